#pragma once
// limberd's wiring: the scheduler, the desktop notifier, one deadline timer,
// the bus name and Unix signals, on one GLib main loop.

#include <limber/adapters/BusService.hpp>
#include <limber/adapters/DeadlineTimer.hpp>
#include <limber/adapters/DesktopNotifier.hpp>
#include <limber/adapters/HookRunner.hpp>
#include <limber/adapters/StateStore.hpp>
#include <limber/adapters/SystemClock.hpp>
#include <limber/core/Scheduler.hpp>

#include <gio/gio.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <optional>
#include <string>

namespace limber::daemon {

class Daemon final : public core::SchedulerListener, public adapters::Controller {
public:
    /** `profile_option` is --profile, if given; reload looks the profile up again the same way. */
    Daemon(std::optional<std::string> profile_option, core::Profile profile);
    ~Daemon() override;
    Daemon(const Daemon&) = delete;
    Daemon& operator=(const Daemon&) = delete;

    /** Runs until SIGTERM/SIGINT; returns the exit status. */
    int run();

    void on_show(const core::Notice& notice) override;
    void on_outcome(const std::string& name, core::Outcome outcome, bool withdraw) override;
    void on_changed() override;

    // Controller: what limberctl asks over the bus.
    adapters::DaemonStatus status() override;
    void pause(std::optional<core::Duration> length) override;
    void resume() override;
    std::vector<std::string> answer(const std::string& name, core::Answer answer,
                                    std::optional<core::Duration> snooze_for) override;
    void trigger(const std::string& name) override;
    std::string reload() override;
    std::vector<std::pair<std::string, std::int64_t>> schedule(core::Duration span) override;

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
    /** Runs the profile's hook for `event` with LIMBER_EVENT and `details` in its environment. */
    void run_hook(const char* event, const std::vector<std::string>& argv, adapters::HookRunner::Environment details);
    /** on_pause on every change between paused and not, however it came (bus, timed end, restored state). */
    void pause_hooks();

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
    std::unique_ptr<adapters::BusService> service_;
    adapters::HookRunner hooks_;
    bool hooked_paused_ = false;  ///< the pause state on_pause last reported
    guint flush_source_ = 0;
    GDBusConnection* bus_ = nullptr;
    guint name_id_ = 0;
    bool name_owned_ = false;
    bool is_ready_ = false;
    int exit_status_ = 0;
};

}  // namespace limber::daemon
