#pragma once
// Statistics over the history: per day and per reminder, what was shown and
// how it ended, adherence, streaks, water and active time. Pure: events in,
// numbers out (when local days begin is passed in, for active time).

#include <limber/core/History.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace limber::core {

/** How often a reminder was shown and how those showings (or early answers) ended. */
struct Counts {
    int shown = 0;
    int done = 0;
    int natural = 0;
    int snoozed = 0;
    int skipped = 0;
    int missed = 0;
    int dismissed = 0;  ///< closed without a button (not done: adherence leaves it out)
    int ignored = 0;    ///< hydration nudges nobody answered (no glass logged)

    /**
     * (done + natural) / shown, at most 1; nothing when nothing was shown.
     * Early answers (done before it was shown) and natural breaks taken while
     * a reminder was not on screen count too, hence the cap.
     */
    std::optional<double> adherence() const noexcept;
    Counts& operator+=(const Counts& other) noexcept;
    bool operator==(const Counts&) const = default;
};

/** One local day. */
struct DayStats {
    CivilDay day = 0;
    std::map<std::string, Counts> reminders;  ///< only reminders with any event that day
    Counts total;                             ///< all reminders together
    int water_ml = 0;
    int pauses = 0;
    /** Seconds at the computer (present) that day; nothing when presence was not known at any time of it. */
    std::optional<std::int64_t> active_s;
    /** The day keeps the streak going: something was shown and adherence reached the threshold. */
    bool good = false;
};

/**
 * A streak is a run of good days. Days on which nothing was shown (weekends,
 * days off, limber not running) neither extend nor break it; a day with
 * showings and adherence below the threshold breaks it. Today, while it is
 * not (yet) good, does not break the current streak.
 */
struct Streaks {
    int current = 0;  ///< good days in the run that reaches the last day (or the day before)
    int longest = 0;  ///< the longest run in all the events given
};

struct StatsReport {
    std::vector<DayStats> days;            ///< every day from `first` to `last`, oldest first, empty days included
    Counts total;                          ///< over `days`
    int water_ml = 0;                      ///< over `days`
    std::optional<std::int64_t> active_s;  ///< over the `days` that have it; nothing when none has
    int active_days = 0;                   ///< the `days` that have active_s
    Streaks streaks;                       ///< over every event given, up to `last`
    double threshold = 0.8;
};

/**
 * How many events of one kind one reminder had on one day (for water: the ml drunk). Kind `present`
 * (reminder empty) is different: the seconds present that day, from active_time(), one row for
 * each day on which presence was known (0 when the person was away all that time).
 */
struct DayCount {
    CivilDay day = 0;
    EventKind kind = EventKind::shown;
    std::string reminder;
    std::int64_t value = 0;

    bool operator==(const DayCount&) const = default;
};

/**
 * The events added up per day, kind and reminder, ordered by day, kind and
 * reminder: all that statistics need but active time, and a small fraction of
 * the events (what limberd sends limberctl). Presence events are left out
 * (active_time() reads them in order).
 */
std::vector<DayCount> tally(const std::vector<HistoryEvent>& events);

/** When local day `day` begins, in Unix seconds (the adapters ask the time zone; tests fix it). */
using DayStart = std::function<std::int64_t(CivilDay)>;

/** A time as the history records it: Unix seconds and the local date then. */
struct Moment {
    std::int64_t at = 0;
    CivilDay day = 0;
};

/**
 * Active time: the seconds present per local day, as DayCount rows of kind `present`, oldest first,
 * one for every day on which presence was known for any time (an away night makes a day with 0),
 * none for days on which it never was.
 *
 * `events` in the order they were recorded (the store's id order). A run of limberd goes from
 * `start` to `stop`; within it, time from `present` to the next presence event counts, time from
 * `away` counts as known but not present, and before the first `present`/`away` or after `unknown`
 * nothing is known. A run with no `stop` (limberd was killed or the machine crashed) ends at the
 * last event recorded in it, whatever its kind except water (which limberctl records without
 * limberd): the downtime after a crash never counts, and at most the time since that last sign
 * of life is lost. `now`, when limberd is running and wrote `events` (its own run is the last),
 * ends the open run at `now` instead. Intervals are split at local midnight with `day_start`;
 * a wall clock set back credits nothing for the interval it shortened.
 */
std::vector<DayCount> active_time(const std::vector<HistoryEvent>& events, const DayStart& day_start,
                                  std::optional<Moment> now = {});

/** The adherence a day needs to count towards a streak. */
inline constexpr double default_streak_threshold = 0.8;

/**
 * Counts (any order) into days `first`..`last` (inclusive). Counts outside
 * the range count only for the streaks (before `first`) or not at all (after
 * `last`). Rows of kind `present` (active_time()) give the days' active_s.
 */
StatsReport compute_stats(const std::vector<DayCount>& counts, CivilDay first, CivilDay last,
                          double threshold = default_streak_threshold);
/** The same, from the events themselves (without active time, which needs day_start: see active_time). */
StatsReport compute_stats(const std::vector<HistoryEvent>& events, CivilDay first, CivilDay last,
                          double threshold = default_streak_threshold);

}  // namespace limber::core
