#include <limber/daemon/Daemon.hpp>

#include <limber/adapters/BusInterface.hpp>
#include <limber/adapters/ProfileLoader.hpp>

#include <glib-unix.h>
#include <systemd/sd-daemon.h>

#include <csignal>
#include <ctime>

namespace limber::daemon {
namespace {

std::string join(const std::vector<std::string>& names, const char* separator) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : separator) + n;
    return out;
}

/** "20:45", the wall-clock time `from_now` ahead. */
std::string clock_time_in(core::Duration from_now) {
    const std::time_t at = std::time(nullptr) + std::chrono::duration_cast<std::chrono::seconds>(from_now).count();
    std::tm local{};
    ::localtime_r(&at, &local);
    char text[16];
    std::strftime(text, sizeof text, "%H:%M", &local);
    return text;
}

}  // namespace

Daemon::Daemon(std::optional<std::string> profile_option, core::Profile profile)
    : profile_option_(std::move(profile_option)),
      log_(spdlog::get("daemon")),
      core_log_(spdlog::get("core")),
      loop_(g_main_loop_new(nullptr, FALSE)),
      timer_([this] {
          scheduler_.tick();
          rearm();
      }),
      notifier_([this](const std::vector<std::string>& names, core::Answer answer) { on_action(names, answer); }),
      scheduler_(clock_, std::move(profile), *this) {}

Daemon::~Daemon() {
    if (name_id_ != 0) g_bus_unown_name(name_id_);
    if (bus_ != nullptr) g_object_unref(bus_);
    g_main_loop_unref(loop_);
}

int Daemon::run() {
    g_unix_signal_add(SIGTERM, [](gpointer self) -> gboolean {
        static_cast<Daemon*>(self)->stop(0);
        return G_SOURCE_CONTINUE;
    }, this);
    g_unix_signal_add(SIGINT, [](gpointer self) -> gboolean {
        static_cast<Daemon*>(self)->stop(0);
        return G_SOURCE_CONTINUE;
    }, this);
    g_unix_signal_add(SIGHUP, [](gpointer self) -> gboolean {
        static_cast<Daemon*>(self)->reload();
        return G_SOURCE_CONTINUE;
    }, this);

    GError* error = nullptr;
    bus_ = g_bus_get_sync(G_BUS_TYPE_SESSION, nullptr, &error);
    if (bus_ == nullptr) {
        spdlog::get("bus")->warn("no D-Bus session bus ({}); reminders are written to this log only. "
                                 "Run limberd in a desktop session, or try: dbus-run-session -- limberd",
                                 error->message);
        g_error_free(error);
        ready();
    } else {
        g_dbus_connection_set_exit_on_close(bus_, FALSE);
        name_id_ = g_bus_own_name_on_connection(bus_, bus::name, G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE,
                                                &Daemon::name_acquired, &Daemon::name_lost, this, nullptr);
    }
    g_main_loop_run(loop_);
    sd_notify(0, "STOPPING=1");
    log_->info("stopped");
    return exit_status_;
}

void Daemon::name_acquired(GDBusConnection*, const gchar* name, gpointer self_ptr) {
    auto* self = static_cast<Daemon*>(self_ptr);
    self->name_owned_ = true;
    spdlog::get("bus")->debug("owns {}", name);
    self->ready();
}

void Daemon::name_lost(GDBusConnection* connection, const gchar* name, gpointer self_ptr) {
    auto* self = static_cast<Daemon*>(self_ptr);
    if (!self->name_owned_ && connection != nullptr) {
        spdlog::get("bus")->error("limberd is already running in this session ({} is taken); "
                                  "see it with: limberctl status, or stop it with: systemctl --user stop limber",
                                  name);
        self->stop(1);
        return;
    }
    self->name_owned_ = false;
    spdlog::get("bus")->warn("lost the session bus; reminders continue on this log");
    if (!self->is_ready_) self->ready();
}

void Daemon::ready() {
    if (is_ready_) return;
    is_ready_ = true;
    log_plan();
    scheduler_.tick();
    rearm();
    sd_notify(0, "READY=1\nSTATUS=Reminding");
    log_->info("ready");
}

void Daemon::log_plan() {
    const core::Profile& p = scheduler_.profile();
    log_->info("profile {}: {} reminder{}", p.origin, p.reminders.size(), p.reminders.size() == 1 ? "" : "s");
    bool any = false;
    for (const auto& s : scheduler_.status()) {
        if (!s.enabled) {
            log_->info("  {:<12} disabled", s.name);
            continue;
        }
        any = true;
        const std::string kind = s.duration == core::Duration::zero()
                                     ? "a nudge"
                                     : "a " + core::format_duration(s.duration) + " break";
        if (s.running)
            log_->info("  {:<12} every {}, {}; next in {} (at {})", s.name, core::format_duration(s.every), kind,
                       core::format_duration(s.due_in), clock_time_in(s.due_in));
        else
            log_->info("  {:<12} every {}, {}; outside its active hours now", s.name,
                       core::format_duration(s.every), kind);
    }
    if (!any) log_->info("no reminder is enabled; limberd idles");
}

void Daemon::rearm() { timer_.arm(scheduler_.next_deadline()); }

void Daemon::stop(int status) {
    exit_status_ = status;
    g_main_loop_quit(loop_);
}

void Daemon::reload() {
    sd_notify(0, "RELOADING=1");
    const auto source = adapters::locate_profile(profile_option_);
    auto result = adapters::load_profile(source);
    if (!result.profile) {
        for (const auto& d : result.errors) log_->error("{}", core::format(result.path, d));
        log_->warn("reload failed: keeping the running profile {}", scheduler_.profile().origin);
    } else {
        scheduler_.replace_profile(std::move(*result.profile));
        log_->info("reloaded profile {}", scheduler_.profile().origin);
        log_plan();
        rearm();
    }
    sd_notify(0, "READY=1");
}

void Daemon::on_show(const core::Notice& notice) {
    // Always on the log too: that is where reminders go when no server is there.
    core_log_->info("show {}: {}: {}{}", join(notice.names, ","), notice.title, notice.message,
                    notice.tip.empty() ? "" : " (" + notice.tip + ")");
    notifier_.show(notice);
}

void Daemon::on_outcome(const std::string& name, core::Outcome outcome, bool withdraw) {
    core_log_->info("{}: {}", name, core::to_string(outcome));
    if (withdraw) notifier_.withdraw(name);
}

void Daemon::on_action(const std::vector<std::string>& names, core::Answer answer) {
    static constexpr const char* said[] = {"done", "skipped", "snoozed"};
    for (const auto& name : names) {
        core_log_->info("answered {}: {}", name, said[static_cast<int>(answer)]);
        switch (scheduler_.answer(name, answer)) {
            case core::Reply::snooze_limit:
                core_log_->info("{}: snooze limit reached", name);
                break;
            case core::Reply::unknown_reminder:
            case core::Reply::disabled:
                core_log_->debug("{}: answer ignored, no longer in the profile", name);
                break;
            case core::Reply::ok: break;
        }
    }
    rearm();
}

}  // namespace limber::daemon
