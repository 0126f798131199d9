#include "StatusNotifierItem.hpp"

#include <limber/core/Translate.hpp>

#include <gio/gio.h>

#include <unistd.h>
#include <cstdio>
#include <utility>

namespace limber::tray {
namespace {

constexpr const char* item_path = "/StatusNotifierItem";
constexpr const char* item_interface = "org.kde.StatusNotifierItem";
constexpr const char* watcher_name = "org.kde.StatusNotifierWatcher";
constexpr const char* watcher_path = "/StatusNotifierWatcher";

constexpr const char* item_xml = R"xml(<node>
  <interface name="org.kde.StatusNotifierItem">
    <property name="Category" type="s" access="read"/>
    <property name="Id" type="s" access="read"/>
    <property name="Title" type="s" access="read"/>
    <property name="Status" type="s" access="read"/>
    <property name="WindowId" type="i" access="read"/>
    <property name="IconName" type="s" access="read"/>
    <property name="IconThemePath" type="s" access="read"/>
    <property name="IconPixmap" type="a(iiay)" access="read"/>
    <property name="OverlayIconName" type="s" access="read"/>
    <property name="AttentionIconName" type="s" access="read"/>
    <property name="ToolTip" type="(sa(iiay)ss)" access="read"/>
    <property name="ItemIsMenu" type="b" access="read"/>
    <property name="Menu" type="o" access="read"/>
    <method name="ContextMenu"><arg name="x" type="i" direction="in"/><arg name="y" type="i" direction="in"/></method>
    <method name="Activate"><arg name="x" type="i" direction="in"/><arg name="y" type="i" direction="in"/></method>
    <method name="SecondaryActivate"><arg name="x" type="i" direction="in"/><arg name="y" type="i" direction="in"/></method>
    <method name="Scroll"><arg name="delta" type="i" direction="in"/><arg name="orientation" type="s" direction="in"/></method>
    <signal name="NewTitle"/>
    <signal name="NewIcon"/>
    <signal name="NewAttentionIcon"/>
    <signal name="NewOverlayIcon"/>
    <signal name="NewToolTip"/>
    <signal name="NewStatus"><arg name="status" type="s"/></signal>
  </interface>
</node>
)xml";

GDBusInterfaceInfo* item_info() {
    static GDBusNodeInfo* node = g_dbus_node_info_new_for_xml(item_xml, nullptr);  // valid by test
    return node->interfaces[0];
}

}  // namespace

StatusNotifierItem::StatusNotifierItem(GDBusConnection* connection, std::string icon_theme_path, std::string menu_path,
                                       std::function<void()> activate)
    : connection_(connection),
      icon_theme_path_(std::move(icon_theme_path)),
      menu_path_(std::move(menu_path)),
      activate_(std::move(activate)),
      bus_name_("org.kde.StatusNotifierItem-" + std::to_string(::getpid()) + "-1") {
    static const GDBusInterfaceVTable vtable = {
        &StatusNotifierItem::method_call, &StatusNotifierItem::get_property, nullptr, {}};
    GError* error = nullptr;
    object_ = g_dbus_connection_register_object(connection_, item_path, item_info(), &vtable, this, nullptr, &error);
    if (object_ == 0) {
        std::fprintf(stderr, "limber-tray: %s\n",
                     core::format(core::tr("cannot export %1$s: %2$s"), item_path, error->message).c_str());
        g_clear_error(&error);
    }
    owner_ = g_bus_own_name_on_connection(
        connection_, bus_name_.c_str(), G_BUS_NAME_OWNER_FLAGS_NONE,
        [](GDBusConnection*, const gchar*, gpointer self) {
            auto* me = static_cast<StatusNotifierItem*>(self);
            me->name_owned_ = true;
            me->register_with_watcher();
        },
        [](GDBusConnection*, const gchar*, gpointer self) {
            static_cast<StatusNotifierItem*>(self)->name_owned_ = false;
        },
        this, nullptr);
    // Appeared is reported at once when a watcher is there, and again each time one comes back.
    watcher_watch_ = g_bus_watch_name_on_connection(
        connection_, watcher_name, G_BUS_NAME_WATCHER_FLAGS_NONE,
        [](GDBusConnection*, const gchar*, const gchar*, gpointer self) {
            auto* me = static_cast<StatusNotifierItem*>(self);
            me->watcher_there_ = true;
            me->register_with_watcher();
        },
        [](GDBusConnection*, const gchar*, gpointer self) {
            static_cast<StatusNotifierItem*>(self)->watcher_there_ = false;  // wait, silently, for the next one
        },
        this, nullptr);
}

StatusNotifierItem::~StatusNotifierItem() {
    if (watcher_watch_ != 0) g_bus_unwatch_name(watcher_watch_);
    if (owner_ != 0) g_bus_unown_name(owner_);
    if (object_ != 0) g_dbus_connection_unregister_object(connection_, object_);
}

void StatusNotifierItem::register_with_watcher() {
    if (!name_owned_ || !watcher_there_) return;
    // By object path (the watcher takes the sender for the service), which every host tried takes
    // (Plasma, XFCE's panel, Waybar): Debian 12's AppIndicator extension (46) drops about a third of
    // the items registered by bus name a second after showing them ("Argument two may not be null").
    g_dbus_connection_call(
        connection_, watcher_name, watcher_path, watcher_name, "RegisterStatusNotifierItem",
        g_variant_new("(s)", item_path), nullptr, G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, nullptr,
        [](GObject* source, GAsyncResult* result, gpointer) {
            GError* error = nullptr;
            GVariant* reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &error);
            if (reply != nullptr) {
                g_variant_unref(reply);
                std::fputs("limber-tray: registered with the StatusNotifierWatcher\n", stderr);
            } else {
                // A watcher that went away between its appearing and our call is followed by the next one.
                std::fprintf(
                    stderr, "limber-tray: %s\n",
                    core::format(core::tr("the StatusNotifierWatcher refused the item: %s"), error->message).c_str());
                g_clear_error(&error);
            }
        },
        nullptr);
}

void StatusNotifierItem::show(const ItemLook& look) {
    const ItemLook before = std::exchange(look_, look);
    if (object_ == 0) return;
    if (look.icon != before.icon) emit("NewIcon", nullptr);
    if (look.status != before.status) emit("NewStatus", g_variant_new("(s)", look.status.c_str()));
    if (look.tooltip_title != before.tooltip_title || look.tooltip_body != before.tooltip_body)
        emit("NewToolTip", nullptr);
}

void StatusNotifierItem::emit(const char* signal, GVariant* parameters) {
    g_dbus_connection_emit_signal(connection_, nullptr, item_path, item_interface, signal, parameters, nullptr);
}

void StatusNotifierItem::method_call(GDBusConnection*, const char*, const char*, const char*, const char* method,
                                     GVariant*, GDBusMethodInvocation* invocation, void* self) {
    auto* me = static_cast<StatusNotifierItem*>(self);
    const std::string name = method;
    // Answered first: what Activate does may call limberd, and the host should not wait on that.
    g_dbus_method_invocation_return_value(invocation, nullptr);
    if (name == "Activate" && me->activate_) me->activate_();
    // ContextMenu: hosts that show menus read Menu (dbusmenu); SecondaryActivate and Scroll do nothing.
}

GVariant* StatusNotifierItem::get_property(GDBusConnection*, const char*, const char*, const char*,
                                           const char* property, GError** error, void* self) {
    auto* me = static_cast<StatusNotifierItem*>(self);
    const std::string p = property;
    if (p == "Category") return g_variant_new_string("ApplicationStatus");
    if (p == "Id") return g_variant_new_string("limber");
    if (p == "Title") return g_variant_new_string("limber");
    if (p == "Status") return g_variant_new_string(me->look_.status.empty() ? "Passive" : me->look_.status.c_str());
    if (p == "WindowId") return g_variant_new_int32(0);
    if (p == "IconName") return g_variant_new_string(me->look_.icon.c_str());
    if (p == "IconThemePath") return g_variant_new_string(me->icon_theme_path_.c_str());
    if (p == "IconPixmap") return g_variant_new_array(G_VARIANT_TYPE("(iiay)"), nullptr, 0);
    if (p == "OverlayIconName" || p == "AttentionIconName") return g_variant_new_string("");
    if (p == "ToolTip")
        return g_variant_new("(s@a(iiay)ss)", me->look_.icon.c_str(),
                             g_variant_new_array(G_VARIANT_TYPE("(iiay)"), nullptr, 0), me->look_.tooltip_title.c_str(),
                             me->look_.tooltip_body.c_str());
    if (p == "ItemIsMenu") return g_variant_new_boolean(TRUE);
    if (p == "Menu") return g_variant_new_object_path(me->menu_path_.c_str());
    g_set_error(error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY, "no property %s", property);
    return nullptr;
}

}  // namespace limber::tray
