#pragma once
// The record of what happened: each reminder shown and how it ended, pauses,
// and water. The daemon writes these events through a HistorySink; the
// statistics are computed from them (Statistics.hpp).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace limber::core {

/** What one history event records. The numbers are stored: never renumber. */
enum class EventKind : std::uint8_t {
    shown = 0,  ///< a reminder was shown
    done = 1,   ///< outcomes, as the scheduler reports them …
    natural = 2,
    snoozed = 3,
    skipped = 4,
    missed = 5,
    pause = 6,   ///< limber was paused (reminder empty)
    resume = 7,  ///< … and resumed
    water = 8,   ///< water drunk: `ml`; `reminder` is the hydration reminder for a Done, else empty
    // Presence, for active time (Statistics.hpp: active_time). Recorded by limberd only when
    // it changes, so they cost no wake-ups; `reminder` is empty.
    present = 9,   ///< a presence source says the person is at the computer (or is back)
    away = 10,     ///< … that they are away: idle, locked or asleep, as the scheduler sees it
    unknown = 11,  ///< no presence source any more: from here presence is not known
    start = 12,    ///< limberd started; presence is not known until a source answers
    stop = 13,     ///< limberd stopped cleanly (a crash leaves no stop: see active_time)
    // More outcomes (added after the presence kinds: the numbers above are stored, and a limber
    // older than these skips numbers it does not know).
    dismissed = 14,  ///< the person closed the notification without a button
    ignored = 15,    ///< a hydration nudge nobody answered
};
/** The last kind this build knows; the store skips larger numbers (written by a newer limber). */
inline constexpr EventKind last_event_kind = EventKind::ignored;
/** present, away, unknown, start, stop: not counted per reminder, but read in order for active time. */
constexpr bool is_presence(EventKind k) noexcept { return k >= EventKind::present && k <= EventKind::stop; }
std::string_view to_string(EventKind k) noexcept;
std::optional<EventKind> parse_event_kind(std::string_view s) noexcept;

/**
 * A local civil date as the number yyyymmdd (20261125): compact to store,
 * readable in the database, and ordered like the dates.
 */
using CivilDay = std::int32_t;

/** Days since 1970-01-01 of a civil day (proleptic Gregorian). */
std::int64_t day_number(CivilDay day) noexcept;
/** The civil day `n` days after 1970-01-01. */
CivilDay day_from_number(std::int64_t n) noexcept;
/** `day` moved by `delta` days. */
inline CivilDay add_days(CivilDay day, std::int64_t delta) noexcept { return day_from_number(day_number(day) + delta); }
/** "2026-11-25" */
std::string format_day(CivilDay day);
/** Parses "2026-11-25"; nothing for anything else, including impossible dates. */
std::optional<CivilDay> parse_day_text(std::string_view text) noexcept;

/** One thing that happened. */
struct HistoryEvent {
    std::int64_t at = 0;  ///< Unix seconds
    CivilDay day = 0;     ///< the local date when it happened (kept, so a later time-zone change moves nothing)
    EventKind kind = EventKind::shown;
    std::string reminder;  ///< the reminder's name; empty for pause and resume
    std::int32_t ml = 0;   ///< water only

    bool operator==(const HistoryEvent&) const = default;
};

/** Where the daemon records events; SQLite implements it (adapters/HistoryStore). */
class HistorySink {
public:
    virtual ~HistorySink() = default;
    /** Stores the event durably before returning, or reports why it cannot; never throws. */
    virtual void record(const HistoryEvent& event) = 0;
};

}  // namespace limber::core
