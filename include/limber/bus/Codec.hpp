#pragma once
// The GVariant encoders and decoders of limber's bus interface (Protocol.hpp):
// every method's arguments and replies, the signals and the properties, each
// key written once. limberd decodes arguments and encodes replies
// (BusService), limberctl the other way round (BusClient), through the same
// functions. Encoders return floating references (as g_variant_new does);
// decoders borrow the whole in- or out-tuple.
//
// Decoders of arguments check them and throw core::ControlError
// (Refusal::invalid_argument) with the line limberctl prints; decoders of
// replies are lenient, as a newer limberd may send more, and throw
// MalformedReply only for what cannot be read at all.

#include <limber/bus/Status.hpp>
#include <limber/core/Duration.hpp>
#include <limber/core/Statistics.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

typedef struct _GVariant GVariant;

namespace limber::bus {

/** A reply limberctl cannot read; what() is the line to print. */
struct MalformedReply : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/** `text` as a bus string: GVariant strings must be UTF-8, so each byte that is not becomes U+FFFD
 *  (a profile path may hold any byte) rather than the whole string being refused and lost. */
std::string bus_text(std::string_view text);

// Pause(a{sv}): "for" t, or "until" x; neither = until Resume.
struct PauseArgs {
    std::optional<std::int64_t> for_s;  ///< seconds
    std::optional<std::int64_t> until;  ///< Unix seconds
    bool operator==(const PauseArgs&) const = default;
};
GVariant* encode_pause(const PauseArgs& args);
/** Refuses a "for" of 0 s, an "until" at or before `now_us` (Unix microseconds), and both at once. */
PauseArgs decode_pause(GVariant* args, std::int64_t now_us);
/** How long a decoded pause lasts from `now_us`, to the microsecond; none = until Resume. */
std::optional<core::Duration> pause_length(const PauseArgs& args, std::int64_t now_us);

// Snooze, Done, Skip(s reminder, a{sv}) -> (as).
struct AnswerArgs {
    std::string reminder;               ///< "" = the one(s) on screen
    std::optional<std::int64_t> for_s;  ///< Snooze only
    bool operator==(const AnswerArgs&) const = default;
};
GVariant* encode_answer(const AnswerArgs& args);
/** `takes_for`: Snooze reads "for"; Done and Skip ignore their options. */
AnswerArgs decode_answer(GVariant* args, bool takes_for);
GVariant* encode_answered(const std::vector<std::string>& names);
std::vector<std::string> decode_answered(GVariant* reply);

// Trigger(s reminder).
GVariant* encode_trigger(const std::string& reminder);
std::string decode_trigger(GVariant* args);

// Reload -> (s profile).
GVariant* encode_reloaded(const std::string& profile);
std::string decode_reloaded(GVariant* reply);

// Schedule(a{sv}) -> a(sx): option "for" t.
struct ScheduleArgs {
    std::optional<std::int64_t> for_s;  ///< none = the default span
    bool operator==(const ScheduleArgs&) const = default;
};
inline constexpr std::int64_t default_schedule_seconds = std::int64_t{8} * 3600;
GVariant* encode_schedule(const ScheduleArgs& args);
ScheduleArgs decode_schedule(GVariant* args);
GVariant* encode_showings(const std::vector<Showing>& showings);
std::vector<Showing> decode_showings(GVariant* reply);

// History(a{sv}) -> (as, ai, ay, au, au): option "since" i (yyyymmdd; 0 = all).
struct HistoryArgs {
    core::CivilDay since = 0;
    bool operator==(const HistoryArgs&) const = default;
};
GVariant* encode_history(const HistoryArgs& args);
HistoryArgs decode_history(GVariant* args);
/** Values are clamped to 0..2^32-1. */
GVariant* encode_counts(const std::vector<core::DayCount>& counts);
/** Skips rows of kinds this limberctl does not know; throws MalformedReply for arrays of different lengths. */
std::vector<core::DayCount> decode_counts(GVariant* reply);

// Drank(a{sv}) -> (a{sv}): option "ml" u, from 1 to 20000; absent (0 here) = one glass.
struct DrankArgs {
    int ml = 0;
    bool operator==(const DrankArgs&) const = default;
};
GVariant* encode_drank(const DrankArgs& args);
DrankArgs decode_drank(GVariant* args);
GVariant* encode_water(const Water& water);
Water decode_water(GVariant* reply);

// GetStatus -> (a{sv}).
GVariant* encode_status(const Status& status);
Status decode_status(GVariant* reply);

// Signals: Shown(as reminders, s title), Answered(s reminder, s outcome).
GVariant* encode_shown(const std::vector<std::string>& names, const std::string& title);
GVariant* encode_answered_signal(const std::string& reminder, std::string_view outcome);

/** The value of one property (State, PausedUntil, NextReminder, NextDue), or null for another name. */
GVariant* encode_property(const Properties& properties, std::string_view which);
/**
 * PropertiesChanged's (sa{sv}as) for the properties that differ from `before` (NextDue, recomputed
 * from a running clock, only by more than 1 s); null when none does.
 */
GVariant* encode_properties_changed(const Properties& before, const Properties& now);

}  // namespace limber::bus
