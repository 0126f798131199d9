#pragma once
// Statistics over the history: per day and per reminder, what was shown and
// how it ended, adherence, streaks and water. Pure: events in, numbers out.

#include <limber/core/History.hpp>

#include <cstdint>
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
    std::vector<DayStats> days;  ///< every day from `first` to `last`, oldest first, empty days included
    Counts total;                ///< over `days`
    int water_ml = 0;            ///< over `days`
    Streaks streaks;             ///< over every event given, up to `last`
    double threshold = 0.8;
};

/** How many events of one kind one reminder had on one day (for water: the ml drunk). */
struct DayCount {
    CivilDay day = 0;
    EventKind kind = EventKind::shown;
    std::string reminder;
    std::int64_t value = 0;

    bool operator==(const DayCount&) const = default;
};

/**
 * The events added up per day, kind and reminder, ordered by day, kind and
 * reminder: all that statistics need, and a small fraction of the events
 * (what limberd sends limberctl).
 */
std::vector<DayCount> tally(const std::vector<HistoryEvent>& events);

/** The adherence a day needs to count towards a streak. */
inline constexpr double default_streak_threshold = 0.8;

/**
 * Counts (any order) into days `first`..`last` (inclusive). Counts outside
 * the range count only for the streaks (before `first`) or not at all (after
 * `last`).
 */
StatsReport compute_stats(const std::vector<DayCount>& counts, CivilDay first, CivilDay last,
                          double threshold = default_streak_threshold);
/** The same, from the events themselves. */
StatsReport compute_stats(const std::vector<HistoryEvent>& events, CivilDay first, CivilDay last,
                          double threshold = default_streak_threshold);

}  // namespace limber::core
