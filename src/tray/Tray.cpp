#include "Tray.hpp"

#include <limber/adapters/ProfileLoader.hpp>
#include <limber/bus/Protocol.hpp>
#include <limber/core/Translate.hpp>

#include <gio/gio.h>
#include <sys/stat.h>

#include <cstdio>
#include <ctime>

namespace limber::tray {
namespace {

constexpr const char* menu_path = "/MenuBar";
constexpr std::int64_t minute = 60;
constexpr std::int64_t hour = 3600;

}  // namespace

Tray::Tray(ctl::BusClient& bus, GMainLoop* loop, const std::string& icon_theme_path)
    : bus_(bus),
      loop_(loop),
      menu_(menu_path, [this](Action action) { act(action); }),
      item_(bus.connection(), icon_theme_path, menu_path, [this] { toggle_pause(); }) {
    render();  // not running until the name watch says otherwise
    follower_.emplace(bus.connection(), [this](bool running) { refresh(running); });
}

Tray::~Tray() {
    follower_.reset();
    if (timer_ != 0) g_source_remove(timer_);
}

void Tray::refresh(bool running) {
    status_.reset();
    if (running) {
        try {
            status_ = bus_.status();
        } catch (const ctl::BusFailure&) {
            // Gone between the signal and the call: the name watch says so next.
        }
    }
    read_at_us_ = g_get_monotonic_time();
    if (status_) read_settings();
    render();
}

void Tray::read_settings() {
    // The profile limberd uses, for the glass and the start of the hours; read again at each change, so
    // an edited and reloaded profile is followed. A profile that does not load keeps what was read.
    const bool builtin = status_->profile.empty() || status_->profile == core::builtin_origin;
    // Parsed again only when the file changed (path, size or time): a refresh runs on every signal.
    struct stat st {};
    const std::string from = builtin || ::stat(status_->profile.c_str(), &st) != 0
                                 ? status_->profile
                                 : status_->profile + "@" + std::to_string(st.st_size) + "@" +
                                       std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec);
    if (from == settings_from_) return;
    const auto loaded = builtin
                            ? adapters::LoadResult{adapters::builtin_profile(), {}, std::string(core::builtin_origin)}
                            : adapters::load_profile_file(status_->profile);
    if (!loaded.profile) return;
    settings_.glass_ml = core::water_plan(*loaded.profile).glass_ml;
    settings_.hours_start_min = loaded.profile->general.window.start_minute;
    settings_from_ = from;
}

void Tray::render() {
    if (timer_ != 0) {
        g_source_remove(timer_);
        timer_ = 0;
    }
    const std::int64_t elapsed_us = g_get_monotonic_time() - read_at_us_;
    std::optional<bus::Status> now_status;
    if (status_) now_status = advance(*status_, elapsed_us / 1000000);
    const TrayModel model = tray_model(now_status, settings_, std::time(nullptr));
    item_.show({model.icon, model.item_status, model.tooltip_title, model.tooltip_body});
    menu_.show(model);
    if (!model.changes_in) return;
    // Milliseconds: the count-downs were read at read_at_us_, a fraction of a second into its second.
    const std::int64_t wait_ms = *model.changes_in * 1000 - (elapsed_us / 1000) % 1000;
    timer_ = g_timeout_add_full(
        G_PRIORITY_DEFAULT, static_cast<guint>(std::max<std::int64_t>(wait_ms, 1)),
        [](gpointer self) -> gboolean {
            auto* me = static_cast<Tray*>(self);
            me->timer_ = 0;
            me->render();
            return G_SOURCE_REMOVE;
        },
        this, nullptr);
}

void Tray::toggle_pause() {
    // A left click where the host does not open the menu itself: as `limberctl resume` while paused,
    // else as `limberctl pause` (until resumed).
    if (!status_) return;
    act(status_->state == "paused" ? Action::resume : Action::pause_until_resumed);
}

void Tray::act(Action action) {
    try {
        switch (action) {
            case Action::pause_30m:
                bus_.pause(30 * minute, std::nullopt);
                break;
            case Action::pause_1h:
                bus_.pause(hour, std::nullopt);
                break;
            case Action::pause_tomorrow:
                bus_.pause(std::nullopt, tomorrow_at(settings_.hours_start_min, std::time(nullptr)));
                break;
            case Action::pause_until_resumed:
                bus_.pause(std::nullopt, std::nullopt);
                break;
            case Action::resume:
                bus_.resume();
                break;
            case Action::snooze:
                bus_.answer(bus::method::snooze, "", std::nullopt);
                break;
            case Action::done:
                bus_.answer(bus::method::done, "", std::nullopt);
                break;
            case Action::drank:
                bus_.drank(0);
                break;
            case Action::statistics: {
                const core::CivilDay today = local_day(std::time(nullptr));
                const auto report = core::compute_stats(bus_.history(0), today, today);
                notify(core::tr("limber: today"), today_summary(report));
                break;
            }
            case Action::reload:
                bus_.reload();
                break;
            case Action::quit:
                g_main_loop_quit(loop_);
                return;
        }
        // What limberd signals comes anyway; water and a reloaded profile it does not signal.
        refresh(follower_->running());
    } catch (const ctl::BusFailure& failure) {
        // What limberctl would print, where the person clicked.
        notify(core::tr("limber"), failure.what());
    }
}

void Tray::notify(const std::string& summary, const std::string& body) {
    GVariantBuilder hints;
    g_variant_builder_init(&hints, G_VARIANT_TYPE("a{sv}"));
    g_variant_builder_add(&hints, "{sv}", "desktop-entry", g_variant_new_string("limber"));
    const char* no_actions[] = {nullptr};
    g_dbus_connection_call(
        bus_.connection(), "org.freedesktop.Notifications", "/org/freedesktop/Notifications",
        "org.freedesktop.Notifications", "Notify",
        g_variant_new("(susss^asa{sv}i)", "limber", 0U, "limber-tray-active", summary.c_str(), body.c_str(), no_actions,
                      &hints, -1),
        G_VARIANT_TYPE("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, nullptr,
        [](GObject* source, GAsyncResult* result, gpointer) {
            GError* error = nullptr;
            GVariant* reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &error);
            if (reply != nullptr) g_variant_unref(reply);
            if (error != nullptr) {
                std::fprintf(stderr, "limber-tray: %s\n",
                             core::format(core::tr("no notification shown: %s"), error->message).c_str());
                g_clear_error(&error);
            }
        },
        nullptr);
}

}  // namespace limber::tray
