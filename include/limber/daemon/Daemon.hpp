#pragma once
// limberd's wiring and lifecycle: one GLib main loop holding the deadline
// timer, the desktop notifier, the state file, the history, the bus name,
// the presence sources and Unix signals, all feeding one Application.

#include <limber/adapters/BusService.hpp>
#include <limber/adapters/DeadlineTimer.hpp>
#include <limber/adapters/DesktopNotifier.hpp>
#include <limber/adapters/HookRunner.hpp>
#include <limber/adapters/StateStore.hpp>
#include <limber/adapters/SystemClock.hpp>
#include <limber/daemon/Application.hpp>
#include <limber/daemon/PresenceHub.hpp>

#include <gio/gio.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <optional>
#include <string>

namespace limber::daemon {

/** The wall clock of the system: g_get_real_time and the local date of the process's time zone. */
class SystemWall final : public Wall {
public:
    std::int64_t now_us() const override;
    core::CivilDay day_of(std::int64_t unix_seconds) const override;
};

class Daemon final : private Ports, private PresenceListener {
public:
    /**
     * `profile_option` is --profile, if given; reload looks the profile up again the same way.
     * `state_dir` holds state.json and history.sqlite (adapters::StateStore::dir_for).
     */
    Daemon(std::optional<std::string> profile_option, core::Profile profile, const std::string& state_dir);
    ~Daemon() override;
    Daemon(const Daemon&) = delete;
    Daemon& operator=(const Daemon&) = delete;

    /** Runs until SIGTERM/SIGINT; returns the exit status. */
    int run();

private:
    // Ports: what the application does to the world.
    void arm(std::optional<core::Instant> at) override;
    void flush_soon() override;
    void save(const core::SchedulerSnapshot& snapshot, bool stopping) override;
    void publish() override;
    void shown(const std::vector<std::string>& names, const std::string& title) override;
    void answered(const std::string& name, core::Outcome outcome) override;
    void run_hook(const std::string& hook, const std::vector<std::string>& argv, const HookEnvironment& environment,
                  core::Duration timeout) override;
    ProfileLoad load_profile() override;

    // PresenceListener: passed on to the application (the hub is made before it, so it cannot be told of it).
    void on_report(const Report& report) override { app_.on_report(report); }
    void on_sources_changed() override { app_.on_sources_changed(); }

    /** This limberd is the session's one (or there is no bus): state, history, the first deadline. */
    void ready();
    void stop(int status);

    static void name_acquired(GDBusConnection*, const gchar*, gpointer self);
    static void name_lost(GDBusConnection*, const gchar*, gpointer self);

    std::optional<std::string> profile_option_;
    std::shared_ptr<spdlog::logger> log_;
    adapters::SystemClock clock_;
    SystemWall wall_;
    GMainLoop* loop_;
    adapters::DeadlineTimer timer_;
    adapters::DesktopNotifier notifier_;
    adapters::StateStore store_;
    adapters::HookRunner hooks_;
    PresenceHub presence_;  ///< made before app_, which asks it
    Application app_;
    std::unique_ptr<adapters::BusService> service_;
    guint flush_source_ = 0;
    GDBusConnection* bus_ = nullptr;
    guint name_id_ = 0;
    bool name_owned_ = false;
    int exit_status_ = 0;
};

}  // namespace limber::daemon
