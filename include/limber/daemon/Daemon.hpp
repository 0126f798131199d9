#pragma once
// limberd's wiring: the scheduler, the desktop notifier, one deadline timer,
// the bus name and Unix signals, on one GLib main loop.

#include <limber/adapters/BusService.hpp>
#include <limber/adapters/DeadlineTimer.hpp>
#include <limber/adapters/DesktopNotifier.hpp>
#include <limber/adapters/HistoryStore.hpp>
#include <limber/adapters/HookRunner.hpp>
#include <limber/adapters/StateStore.hpp>
#include <limber/adapters/SystemClock.hpp>
#include <limber/core/Scheduler.hpp>
#include <limber/daemon/PresenceBoard.hpp>
#include <limber/daemon/PresenceHub.hpp>

#include <gio/gio.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <optional>
#include <string>

namespace limber::daemon {

class Daemon final : public core::SchedulerListener, public core::Controller, public PresenceListener {
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

    void on_show(const core::Notice& notice) override;
    void on_outcome(const std::string& name, core::Outcome outcome, bool withdraw) override;
    void on_changed() override;

    // PresenceListener: what the presence sources say, through the hub.
    void on_report(const Report& report) override;
    void on_sources_changed() override;

    // Controller: what limberctl asks over the bus.
    core::DaemonStatus status() override;
    void pause(std::optional<core::Duration> length) override;
    void resume() override;
    std::vector<std::string> answer(const std::string& name, core::Answer answer,
                                    std::optional<core::Duration> snooze_for) override;
    void trigger(const std::string& name) override;
    std::string reload() override;
    std::vector<std::pair<std::string, std::int64_t>> schedule(core::Duration span) override;
    std::vector<core::DayCount> history(core::CivilDay since) override;
    std::pair<int, core::WaterStatus> drank(int ml) override;

private:
    void rearm();
    void reload_on_signal();
    /** Saves state and updates bus properties once per main-loop turn, however many changes came. */
    void flush_soon();
    void flush();
    std::string known_names() const;
    void ready();
    void log_plan();
    void on_action(const std::vector<std::string>& names, core::Answer answer);
    void stop(int status);
    /** Records a pause or resume when the scheduler's pause state changed since the last one recorded. */
    void record_pause_change();
    core::WaterStatus water();
    void record(core::EventKind kind, const std::string& reminder = {}, int ml = 0);
    /**
     * Records present / away / unknown when what the presence sources say changed since the last
     * one recorded (active time). `left_at`: when the person actually left (Unix seconds), for an
     * absence noticed later (idle after idle_after, a sleep seen at wake-up).
     */
    void record_presence(std::optional<std::int64_t> left_at = {});
    /** Runs the profile's hook for `event` with LIMBER_EVENT and `details` in its environment. */
    void run_hook(const char* event, const std::vector<std::string>& argv, adapters::HookRunner::Environment details);
    /** on_pause on every change between paused and not, however it came (bus, timed end, restored state). */
    void pause_hooks();

    // Presence: on_report hands each report to one of these; they feed the board and the scheduler.
    void on_away(const std::string& source, core::Away reason, bool away, std::optional<core::Instant> since = {});
    void on_dnd(const std::string& source, bool on);
    void on_sleep(const std::string& source, bool sleeping);
    void on_wall_clock_changed();
    /** Credits time suspended since the last look (BOOTTIME - MONOTONIC); call on every wake-up. */
    void check_sleep();
    std::string describe_presence() const;

    static void name_acquired(GDBusConnection*, const gchar*, gpointer self);
    static void name_lost(GDBusConnection*, const gchar*, gpointer self);

    std::optional<std::string> profile_option_;
    std::shared_ptr<spdlog::logger> log_;
    std::shared_ptr<spdlog::logger> core_log_;
    adapters::SystemClock clock_;
    GMainLoop* loop_;
    adapters::DeadlineTimer timer_;
    adapters::DesktopNotifier notifier_;
    core::Scheduler scheduler_;
    adapters::StateStore store_;
    std::unique_ptr<adapters::HistoryStore> history_;  // opened once this limberd is the session's one

    bool recorded_paused_ = false;
    bool resuming_ = false;  ///< inside resume(): the pause ends on request, not because its time is up
    core::EventKind recorded_presence_ = core::EventKind::unknown;  ///< present, away or unknown, as last recorded
    std::int64_t recorded_presence_at_ = 0;  ///< when (Unix seconds): an absence is never dated before it
    std::unique_ptr<adapters::BusService> service_;
    adapters::HookRunner hooks_;
    bool hooked_paused_ = false;  ///< the pause state on_pause last reported
    PresenceBoard board_;
    std::shared_ptr<spdlog::logger> presence_log_;
    PresenceHub presence_;  ///< the sources (src/daemon/PresenceSources.cpp), made in run()
    std::string logged_sources_;
    bool sources_logged_ = false;
    guint flush_source_ = 0;
    GDBusConnection* bus_ = nullptr;
    guint name_id_ = 0;
    bool name_owned_ = false;
    bool is_ready_ = false;
    int exit_status_ = 0;
};

}  // namespace limber::daemon
