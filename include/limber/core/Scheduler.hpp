#pragma once
// The scheduler decides when each reminder is shown. It owns one clock of
// present time per reminder and is driven only by its inputs: the time
// (through the injected Clock), presence, and the person's answers.

#include <limber/core/Profile.hpp>
#include <limber/core/Time.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace limber::core {

/**
 * How one showing of a reminder ended. `dismissed`: the person closed the notification without a
 * button; `ignored`: a hydration nudge nobody answered (its Done logs a glass, so counting it done
 * would claim water nobody drank).
 */
enum class Outcome { done, skipped, snoozed, natural, missed, dismissed, ignored };
std::string_view to_string(Outcome o) noexcept;

/** Why the person is not at the computer; several can hold at once. */
enum class Away : std::uint8_t { idle = 1, locked = 2, asleep = 4 };

/** What the daemon as a whole is doing, as the controller reports it. */
enum class State { active, paused, away, off_hours, dnd };
std::string_view to_string(State s) noexcept;

/** One notification to raise: one reminder, or several merged. */
struct Notice {
    std::vector<std::string> names;     ///< the reminders in it, the most overdue first
    std::string title;                  ///< summary line
    std::string message;                ///< body text, plain (the adapter escapes it)
    std::string tip;                    ///< the next tip, or empty
    Kind kind = Kind::custom;           ///< of the first reminder, for the icon
    Urgency urgency = Urgency::normal;  ///< the highest of the reminders
    bool can_snooze = true;             ///< false once max_snoozes is reached
    Duration snooze{};                  ///< the snooze length offered
    Duration length{};                  ///< the longest break in it; zero when it holds only nudges
};

/** Receives the scheduler's decisions; the daemon implements it. */
class SchedulerListener {
public:
    virtual ~SchedulerListener() = default;
    /** raise this notification now */
    virtual void on_show(const Notice& notice) = 0;
    /** a showing of reminder `name` ended this way; `withdraw`: take it off the screen */
    virtual void on_outcome(const std::string& name, Outcome outcome, bool withdraw) = 0;
    /** state, pause or a due time changed (for status bars) */
    virtual void on_changed() {}
};

/** What the controller reports for one reminder. */
struct ReminderStatus {
    std::string name;
    Kind kind;
    Duration every;
    Duration duration;
    Duration due_in;  ///< present time still to run before it is shown
    int snoozes;
    bool enabled;
    bool on_screen;  ///< shown and not yet answered
    bool running;    ///< its clock is running now
};

/** One showing foreseen by Scheduler::plan(). */
struct PlannedShow {
    Duration after;                  ///< from now
    std::vector<std::string> names;  ///< shown together
};

/** What survives a restart: every clock, snooze and the pause (timing rule 7). */
struct SchedulerSnapshot {
    struct Clock {
        std::string name;
        Duration elapsed{};
        Duration target{};
        int snoozes = 0;
        bool after_snooze = false;
        std::size_t next_tip = 0;
    };
    std::vector<Clock> clocks;
    bool paused = false;
    std::optional<Duration> pause_left;  ///< a timed pause: how much of it remained
};

/** The person's answer to a reminder. */
enum class Answer { done, skip, snooze };

/**
 * Why a notification left the screen without a button (freedesktop NotificationClosed reasons
 * 1-4): it `expired` (the server's timeout), the person `dismissed` it, limberd closed it
 * (`by_limber`: means nothing), or the server gave no reason (`undefined`: taken as expired).
 */
enum class CloseReason { expired, dismissed, by_limber, undefined };

/** Result of an answer or trigger. */
enum class Reply { ok, unknown_reminder, snooze_limit, disabled };

class Scheduler {
public:
    Scheduler(const Clock& clock, Profile profile, SchedulerListener& listener);

    /** Shows whatever is due now; call when the deadline timer fires. */
    void tick();
    /** When tick() must next run, or nothing (idle until an input arrives); re-arm after every
        input. A window edge more than two hours off comes two hours early, to read the wall
        clock again: a DST change moves local time without any announcement. */
    std::optional<Instant> next_deadline() const;

    /** Replaces the profile; reminders that remain keep their clocks. */
    void replace_profile(Profile profile);
    const Profile& profile() const noexcept { return profile_; }

    /** done / skip / snooze of a reminder (on screen or not); snooze length defaults from the profile. */
    Reply answer(const std::string& name, Answer answer, std::optional<Duration> snooze_for = {});
    /**
     * The notification showing `name` left the screen without a button: dismissed is that outcome,
     * expired (or undefined) decides it now as an unanswered showing would be decided when next
     * shown. Nothing when `name` is not on screen (already answered) or limberd closed it.
     */
    Reply closed(const std::string& name, CloseReason reason);
    /** Shows `name` now, regardless of its clock. */
    Reply trigger(const std::string& name);

    /** Freezes every clock; `length` = a timed pause that ends by itself. */
    void pause(std::optional<Duration> length = {});
    /** Ends a pause; clocks continue where they stopped. */
    void resume();
    bool paused() const noexcept { return paused_; }
    /** End of a timed pause, if any. */
    std::optional<Instant> paused_until() const noexcept { return pause_end_; }

    /** Presence input: `reason` began (`since` = when the person actually left, e.g. the last
        input for idle, which is detected idle_after later; clocks run until the call) or ended.
        Overlapping reasons make one absence; when the last ends, its length is credited (rule 4). */
    void set_away(Away reason, bool away, std::optional<Instant> since = {});
    /** The machine slept for `slept` (measured outside the monotonic clock); counts as away time,
        joined to the current absence if one is open (e.g. Away::asleep from PrepareForSleep),
        and a window that closed and reopened meanwhile starts a new day. Call it once per
        wake-up, before or after Away::asleep ends (before is better: nothing due is shown first). */
    void resumed_from_sleep(Duration slept);
    /** The desktop's do-not-disturb changed; with respect_dnd, due reminders wait and go out merged when it ends. */
    void set_dnd(bool on);
    /** The wall clock or time zone changed: re-read active hours, never the clocks. A DST change
        needs no call (see next_deadline), though one does no harm. */
    void wall_clock_changed();

    /** The showings of the next `span`, given continuous presence: a copy of this scheduler run forward. */
    std::vector<PlannedShow> plan(Duration span) const;

    /** The state to save. */
    SchedulerSnapshot snapshot() const;
    /**
     * Continues from a saved state. `down_for` is the wall time since it was saved: a timed pause
     * ends within it, and with `away_while_down` it counts as away time. Without (a crash: the time
     * since the last save was partly spent at the computer) the clocks continue as saved.
     */
    void restore(const SchedulerSnapshot& saved, Duration down_for, bool away_while_down = true);

    State state() const;
    std::vector<ReminderStatus> status() const;
    /** The reminders on screen (shown, unanswered), oldest first. */
    std::vector<std::string> on_screen() const;

private:
    struct Track {
        Duration elapsed{};  ///< present time since last shown (or restarted)
        Duration target{};   ///< when elapsed reaches it, the reminder is due
        int snoozes = 0;
        bool on_screen = false;
        bool after_snooze = false;
        bool in_window = true;
        std::size_t next_tip = 0;
        Instant shown_at{};
    };

    void sync();  // bring clocks up to clock_.now()
    // Enter/leave active hours. `unseen`: time that passed off the monotonic clock since the
    // last look (sleep, downtime), so a window that closed and opened again meanwhile is
    // noticed; nothing = the wall clock jumped, which moves hours but is no passage of time.
    void refresh_windows(std::optional<Duration> unseen = Duration::zero());
    bool clocks_running() const noexcept { return !paused_ && away_ == 0; }
    bool holding() const noexcept { return dnd_ && profile_.general.respect_dnd; }
    void show(std::vector<std::size_t> indices);
    /** Shows what is due; `held`: do-not-disturb just released it (merged, whatever merge_within). */
    void show_due(bool held);
    bool never_merge() const noexcept;
    void settle(std::size_t i, Outcome outcome, bool withdraw);
    /** What a showing nobody answered ends as: missed for a break, done for a nudge, ignored for water. */
    Outcome unanswered(std::size_t i) const;
    void credit_absence(Duration away_for);
    void restart(std::size_t i);
    Duration due_in(std::size_t i) const;
    std::optional<std::size_t> index_of(const std::string& name) const;
    void adopt(Profile profile, const std::vector<Track>* old_tracks, const Profile* old_profile);

    const Clock& clock_;
    Profile profile_;
    SchedulerListener& listener_;
    std::vector<Track> tracks_;  // parallel to profile_.reminders
    Instant last_sync_;
    Instant last_refresh_;  // when refresh_windows() last looked at the wall clock
    bool paused_ = false;
    std::optional<Instant> pause_end_;
    std::uint8_t away_ = 0;
    Instant away_since_{};
    bool dnd_ = false;
    std::optional<Instant> last_show_;  ///< when the last notice went out
};

}  // namespace limber::core
