#include <limber/adapters/DndWatch.hpp>
#include <limber/core/Translate.hpp>

#include "GLibHelpers.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <cstring>

namespace limber::adapters {
namespace {

constexpr const char* server_name = "org.freedesktop.Notifications";
constexpr const char* server_path = "/org/freedesktop/Notifications";
constexpr const char* dunst_iface = "org.dunstproject.cmd0";
constexpr const char* kde_iface = "org.freedesktop.Notifications";
constexpr const char* gnome_schema = "org.gnome.desktop.notifications";

std::shared_ptr<spdlog::logger> log() { return spdlog::get("presence"); }

}  // namespace

struct DndWatch::Impl {
    GDBusConnection* bus;
    std::unique_ptr<glib::Subscription> changes;
    std::unique_ptr<glib::Cancellable> pending;
    std::unique_ptr<glib::NameWatch> watch;
    GSettings* gnome = nullptr;
    explicit Impl(GDBusConnection* b) : bus(G_DBUS_CONNECTION(g_object_ref(b))) {}
    ~Impl() {
        watch.reset();
        pending.reset();
        changes.reset();
        if (gnome != nullptr) g_object_unref(gnome);
        g_object_unref(bus);
    }
};

std::unique_ptr<daemon::PresenceSource> DndWatch::make(const daemon::PresenceContext& context) {
    if (context.bus == nullptr) return nullptr;
    return std::make_unique<DndWatch>(context);
}

DndWatch::DndWatch(const daemon::PresenceContext& context)
    : context_(context), impl_(std::make_unique<Impl>(context.bus)) {
    GDBusConnection* bus = context.bus;
    // PropertiesChanged from the server for either interface; which one counts depends on the server found.
    impl_->changes = std::make_unique<glib::Subscription>(
        bus, server_name, "org.freedesktop.DBus.Properties", "PropertiesChanged", server_path, nullptr,
        [this](GVariant* parameters) {
            if (!g_variant_is_of_type(parameters, G_VARIANT_TYPE("(sa{sv}as)"))) return;
            const gchar* iface = nullptr;
            g_variant_get_child(parameters, 0, "&s", &iface);
            glib::Variant changed(g_variant_get_child_value(parameters, 1));
            if (server_ == Server::dunst && g_str_equal(iface, dunst_iface)) {
                if (glib::Variant v = glib::lookup(changed.get(), "paused", G_VARIANT_TYPE_BOOLEAN))
                    set_server_dnd(g_variant_get_boolean(v.get()) != FALSE);
            } else if (server_ == Server::kde && g_str_equal(iface, kde_iface)) {
                if (glib::Variant v = glib::lookup(changed.get(), "Inhibited", G_VARIANT_TYPE_BOOLEAN))
                    set_server_dnd(g_variant_get_boolean(v.get()) != FALSE);
            } else if (server_ == Server::none && owner_.size() > 0) {
                // A server whose property was not readable at first may announce it later.
                if (g_str_equal(iface, dunst_iface)) probe(Server::dunst);
            }
        });
    impl_->watch =
        std::make_unique<glib::NameWatch>(bus, server_name, [this](const std::string& owner) { on_server(owner); });

    // GNOME: only in a GNOME session (elsewhere nothing reads show-banners, and GSettings would load
    // dconf for nothing), and only where the schema is installed (g_settings_new aborts without it).
    const char* desktop = std::getenv("XDG_CURRENT_DESKTOP");
    const bool gnome = desktop != nullptr && std::strstr(desktop, "GNOME") != nullptr;
    if (GSettingsSchemaSource* schemas = gnome ? g_settings_schema_source_get_default() : nullptr) {
        if (GSettingsSchema* schema = g_settings_schema_source_lookup(schemas, gnome_schema, TRUE)) {
            if (g_settings_schema_has_key(schema, "show-banners")) {
                impl_->gnome = g_settings_new(gnome_schema);
                g_signal_connect(impl_->gnome, "changed::show-banners",
                                 G_CALLBACK(+[](GSettings* settings, const gchar*, gpointer self) {
                                     guarded("GNOME's do-not-disturb setting", [&] {
                                         static_cast<DndWatch*>(self)->set_gnome_dnd(
                                             !g_settings_get_boolean(settings, "show-banners"));
                                     });
                                 }),
                                 this);
                set_gnome_dnd(!g_settings_get_boolean(impl_->gnome, "show-banners"));
            }
            g_settings_schema_unref(schema);
        }
    }
}

DndWatch::~DndWatch() = default;

std::vector<std::string> DndWatch::names() const {
    std::vector<std::string> out;
    if (server_ == Server::dunst) out.emplace_back("dunst");
    if (server_ == Server::kde) out.emplace_back("kde-notifications");
    if (impl_->gnome != nullptr) out.emplace_back("gnome-notifications");
    return out;
}

void DndWatch::on_server(const std::string& owner) {
    owner_ = owner;
    impl_->pending = std::make_unique<glib::Cancellable>();
    const bool had = server_ != Server::none;
    set_server_dnd(false);  // reported under the name of the server that left
    server_ = Server::none;
    if (!owner.empty()) {
        probe(Server::dunst);
        if (had && context_.changed) context_.changed();
        return;
    }
    const bool first = !settled_;
    settled_ = true;
    if ((had || first) && context_.changed) context_.changed();
}

void DndWatch::probe(Server which) {
    // dunst first ("paused"), then KDE ("Inhibited"); a server with neither tells us nothing.
    struct Probe {
        DndWatch* self;
        Server which;
    };
    const char* iface = which == Server::dunst ? dunst_iface : kde_iface;
    const char* property = which == Server::dunst ? "paused" : "Inhibited";
    g_dbus_connection_call(
        impl_->bus, owner_.c_str(), server_path, "org.freedesktop.DBus.Properties", "Get",
        g_variant_new("(ss)", iface, property), G_VARIANT_TYPE("(v)"), G_DBUS_CALL_FLAGS_NO_AUTO_START, 5000,
        impl_->pending->get(),
        [](GObject* source, GAsyncResult* result, gpointer data) {
            guarded("a do-not-disturb answer", [&] {
                std::unique_ptr<Probe> probe(static_cast<Probe*>(data));
                GError* error = nullptr;
                glib::Variant reply(g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &error));
                if (!reply) {
                    const bool cancelled = g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
                    g_error_free(error);
                    if (cancelled) return;
                    if (probe->which == Server::dunst)
                        probe->self->probe(Server::kde);
                    else
                        probe->self->settle();
                    return;
                }
                glib::Variant boxed(g_variant_get_child_value(reply.get(), 0));
                glib::Variant value(g_variant_get_variant(boxed.get()));
                if (!g_variant_is_of_type(value.get(), G_VARIANT_TYPE_BOOLEAN)) {
                    if (probe->which == Server::dunst)
                        probe->self->probe(Server::kde);
                    else
                        probe->self->settle();
                    return;
                }
                DndWatch* self = probe->self;
                self->server_ = probe->which;
                log()->info("do-not-disturb: {}", probe->which == Server::dunst
                                                      ? core::tr("following dunst's paused state")
                                                      : core::tr("following the server's Inhibited property"));
                self->set_server_dnd(g_variant_get_boolean(value.get()) != FALSE);
                self->settled_ = true;
                if (self->context_.changed) self->context_.changed();
            });
        },
        new Probe{this, which});
}

void DndWatch::settle() {
    // The server offers no do-not-disturb we can read.
    const bool first = !settled_;
    settled_ = true;
    if (first && context_.changed) context_.changed();
}

void DndWatch::set_server_dnd(bool on) {
    if (on == server_dnd_) return;
    server_dnd_ = on;
    report(server_ == Server::kde ? "kde-notifications" : "dunst", on);
}

void DndWatch::set_gnome_dnd(bool on) {
    if (on == gnome_dnd_) return;
    gnome_dnd_ = on;
    report("gnome-notifications", on);
}

void DndWatch::report(const char* source, bool on) {
    if (context_.report) context_.report({source, daemon::Signal::dnd, on, std::nullopt});
}

}  // namespace limber::adapters
