#include "TrayMenu.hpp"

#include <limber/core/Translate.hpp>

#include <libdbusmenu-glib/client.h>
#include <libdbusmenu-glib/menuitem.h>
#include <libdbusmenu-glib/server.h>

#include <memory>
#include <string>
#include <utility>

namespace limber::tray {
namespace {

using core::tr;

/** A label as dbusmenu shows it: "_" marks the next letter as the mnemonic, so a literal one is doubled. */
std::string label_text(const std::string& text) {
    std::string out;
    for (char c : text) {
        out += c;
        if (c == '_') out += '_';
    }
    return out;
}

void set_label(DbusmenuMenuitem* item, const std::string& text) {
    dbusmenu_menuitem_property_set(item, DBUSMENU_MENUITEM_PROP_LABEL, label_text(text).c_str());
}
void set_visible(DbusmenuMenuitem* item, bool visible) {
    dbusmenu_menuitem_property_set_bool(item, DBUSMENU_MENUITEM_PROP_VISIBLE, visible ? TRUE : FALSE);
}
void set_enabled(DbusmenuMenuitem* item, bool enabled) {
    dbusmenu_menuitem_property_set_bool(item, DBUSMENU_MENUITEM_PROP_ENABLED, enabled ? TRUE : FALSE);
}

}  // namespace

TrayMenu::TrayMenu(const char* path, std::function<void(Action)> clicked)
    : server_(dbusmenu_server_new(path)), root_(dbusmenu_menuitem_new()), clicked_(std::move(clicked)) {
    for (auto& item : upcoming_) {
        item = add_item("", nullptr);
        set_enabled(item, false);  // a line to read, not to click
    }
    add_separator();
    const auto on = [this](Action action) { return [this, action] { clicked_(action); }; };
    pause_30m_ = add_item(tr("Pause 30 min"), on(Action::pause_30m));
    pause_1h_ = add_item(tr("Pause 1 h"), on(Action::pause_1h));
    pause_tomorrow_ = add_item("", on(Action::pause_tomorrow));
    resume_ = add_item(tr("Resume"), on(Action::resume));
    add_separator();
    snooze_ = add_item("", on(Action::snooze));
    done_ = add_item("", on(Action::done));
    add_separator();
    water_ = add_item("", nullptr);
    set_enabled(water_, false);
    drank_ = add_item(tr("Drank a glass"), on(Action::drank));
    add_separator();
    statistics_ = add_item(tr("Statistics"), on(Action::statistics));
    reload_ = add_item(tr("Reload profile"), on(Action::reload));
    add_separator();
    add_item(tr("Quit tray"), on(Action::quit));
    dbusmenu_server_set_root(server_, root_);
}

TrayMenu::~TrayMenu() {
    g_object_unref(server_);
    g_object_unref(root_);
}

DbusmenuMenuitem* TrayMenu::add_item(const char* label, std::function<void()> on_click) {
    DbusmenuMenuitem* item = dbusmenu_menuitem_new();
    set_label(item, label);
    if (on_click) {
        // The callback lives as long as the item (freed with it).
        auto* held = new std::function<void()>(std::move(on_click));
        g_signal_connect_data(
            item, DBUSMENU_MENUITEM_SIGNAL_ITEM_ACTIVATED, G_CALLBACK(+[](DbusmenuMenuitem*, guint, gpointer data) {
                (*static_cast<std::function<void()>*>(data))();
            }),
            held, [](gpointer data, GClosure*) { delete static_cast<std::function<void()>*>(data); },
            static_cast<GConnectFlags>(0));
    }
    dbusmenu_menuitem_child_append(root_, item);
    g_object_unref(item);  // the root holds it
    return item;
}

DbusmenuMenuitem* TrayMenu::add_separator() {
    DbusmenuMenuitem* item = dbusmenu_menuitem_new();
    dbusmenu_menuitem_property_set(item, DBUSMENU_MENUITEM_PROP_TYPE, DBUSMENU_CLIENT_TYPES_SEPARATOR);
    dbusmenu_menuitem_child_append(root_, item);
    g_object_unref(item);
    return item;
}

void TrayMenu::show(const TrayModel& model) {
    for (std::size_t i = 0; i < upcoming_.size(); ++i) {
        const bool used = i < model.upcoming.size();
        set_label(upcoming_[i], used ? model.upcoming[i] : std::string());
        set_visible(upcoming_[i], used);
    }
    for (auto* item : {pause_30m_, pause_1h_, pause_tomorrow_, drank_, statistics_, reload_})
        set_enabled(item, model.running);
    set_label(pause_tomorrow_, model.pause_tomorrow_label);
    set_visible(resume_, model.can_resume);
    set_label(snooze_, model.snooze_label.empty() ? std::string(tr("Snooze the next")) : model.snooze_label);
    set_enabled(snooze_, !model.snooze_label.empty());
    set_label(done_, model.done_label);
    set_visible(done_, !model.done_label.empty());
    set_label(water_, model.water_label);
    set_visible(water_, !model.water_label.empty());
}

}  // namespace limber::tray
