#pragma once
// limberd's application service: what the controller (limberctl over the
// bus), the notification buttons, SIGHUP, the timer and the presence
// sources ask of the daemon. Every input goes through one ritual — credit a
// sleep, act, re-arm the timer, publish once — so none can forget it.
// Pure of GLib and D-Bus: the world is reached through Ports, so tests drive
// a whole day through it with fakes.

#include <limber/core/Control.hpp>
#include <limber/core/Notifier.hpp>
#include <limber/core/Scheduler.hpp>
#include <limber/daemon/Ports.hpp>
#include <limber/daemon/PresenceBoard.hpp>
#include <limber/daemon/PresenceView.hpp>
#include <limber/daemon/Recorder.hpp>

#include <spdlog/spdlog.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace limber::daemon {

/** The state limberd saved, as the state file gave it back. */
struct SavedState {
    core::SchedulerSnapshot snapshot;
    core::Duration down_for{};  ///< wall time since it was saved
    bool same_day = true;       ///< saved on today's local date
    bool stopped = true;        ///< saved as limberd stopped (false: it crashed after this save)
    std::string where;          ///< the file, for the log
};

class Application final : public core::Controller, public core::SchedulerListener, public PresenceListener {
public:
    Application(const core::Clock& clock, const Wall& wall, core::Profile profile, Ports& ports,
                core::Notifier& notifier, PresenceView& presence);
    Application(const Application&) = delete;
    Application& operator=(const Application&) = delete;

    /** This limberd is the session's one: continue from `saved`, record into `history`, arm the timer. */
    void start(std::optional<SavedState> saved, std::unique_ptr<HistoryBook> history);
    bool started() const noexcept { return started_; }
    /** limberd stops: the last save (only after a clean start), `stop` in the history. */
    void stop(bool clean);

    // core::Controller: what limberctl asks over the bus.
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

    // Other inputs.
    /** The timer armed through Ports::arm fired. */
    void on_deadline();
    /** A button on a notification: does exactly what the controller's command does. */
    void on_buttons(const std::vector<std::string>& names, core::Answer answer);
    /** The notification of these reminders left the screen without a button (expired or closed by the person). */
    void on_closed(const std::vector<std::string>& names, core::CloseReason reason);
    /** SIGHUP: reload, keeping the running profile on errors (they are logged). */
    void reload_on_signal();
    void on_report(const Report& report) override;
    void on_sources_changed() override;

    /** Saves state, publishes the status and runs the pause hook: what Ports::flush_soon defers. */
    void flush();

    const core::Scheduler& scheduler() const noexcept { return scheduler_; }

    // core::SchedulerListener: the scheduler's decisions.
    void on_show(const core::Notice& notice) override;
    void on_outcome(const std::string& name, core::Outcome outcome, bool withdraw) override;
    void on_changed() override;

private:
    /** The ritual every input goes through: credit a sleep, act, re-arm, publish what changed. */
    template <class Action>
    auto input(Action&& action) -> decltype(action());
    void settle();
    /** Credits time suspended since the last look. */
    void check_sleep();
    void on_away(const Report& report);
    void on_dnd(const Report& report);
    void on_sleep(const Report& report);
    void on_wall_clock_changed();
    void record_presence(std::optional<std::int64_t> left_at = {});
    void record_pause_change();
    std::string describe_presence() const;
    std::string known_names() const;
    /** The refusal's words for a name the profile does not have. */
    std::string unknown_reminder(const std::string& name) const;
    void log_plan();
    void run_hook(const char* event, const std::vector<std::string>& argv, HookEnvironment details);
    void pause_hooks();
    core::WaterStatus water();
    std::int64_t paused_until() const;

    const core::Clock& clock_;
    const Wall& wall_;
    Ports& ports_;
    core::Notifier& notifier_;
    PresenceView& presence_;
    core::Scheduler scheduler_;
    Recorder recorder_;
    PresenceBoard board_;
    std::shared_ptr<spdlog::logger> log_;
    std::shared_ptr<spdlog::logger> core_log_;
    std::shared_ptr<spdlog::logger> presence_log_;
    bool started_ = false;
    bool changed_ = false;        ///< something to save and publish since the last flush_soon
    bool resuming_ = false;       ///< inside resume(): the pause ends on request, not because its time is up
    bool hooked_paused_ = false;  ///< the pause state on_pause last reported
    std::string logged_sources_;
};

}  // namespace limber::daemon
