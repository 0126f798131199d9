#pragma once
// What limberctl prints: the daemon's answers as terminal text, as the
// spec's JSON objects, and as Waybar's custom-module object. Pure: times
// are passed in, local time comes from the process's time zone.

#include <limber/bus/Status.hpp>
#include <limber/core/Diagnostic.hpp>
#include <limber/core/Statistics.hpp>
#include <limber/ctl/Commands.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace limber::ctl {

// The shapes limberd answers with, as the bus carries them (include/limber/bus/Status.hpp).
using bus::Presence;
using bus::ReminderStatus;
using bus::Showing;
using bus::Status;

/** "14:05", local. */
std::string clock_time(std::int64_t unix_seconds);

/** A length as people say it in a terminal: "45s", "12m", "1h 5m", "2d 3h" (rounded down). */
std::string human_length(std::int64_t seconds);

/**
 * A count-down, the one format of status, schedule, pause and watch: exact seconds in the last
 * minute, then minutes up to a day, then hours, each rounded up: "2m" for 61-120 s, "1h" for
 * 3541-3600 s, "1h 1m" for 3601-3660 s, "1d 1h" for 86401-90000 s.
 */
std::string count_down(std::int64_t seconds);

/** Seconds until count_down(seconds) shows something else as the seconds run down; none at 0. */
std::optional<std::int64_t> count_down_changes_in(std::int64_t seconds);

/** "now", or "in " + count_down(): "in 45s", "in 13m", "in 1h 5m". */
std::string in_time(std::int64_t seconds);

/**
 * The spec's `--json status` object (plus "on_screen" per reminder), and, when limberd reports it,
 * "presence": {"sources": [...], "away": bool, "reasons": ["idle"|"locked"|"asleep"...],
 *              "idle": bool, "locked": bool, "dnd": bool}.
 */
nlohmann::json status_json(const Status& status);

/** The terminal view: a header line, a presence line, then NAME KIND EVERY NEXT columns. */
std::string status_text(const Status& status, std::time_t now);

/** "Presence: away (locked), do-not-disturb on; sources: logind, dunst" (one line). */
std::string presence_text(const Presence& presence);

/**
 * Waybar's custom-module object: text, tooltip, class (the state; ["active", "soon"] while the next
 * reminder is due within `soon_s` seconds, 0 = never), alt (the state), percentage.
 */
nlohmann::json status_waybar(const Status& status, std::time_t now, std::int64_t soon_s = default_soon_s);

/** One line (no newline) of `watch`: "text" is Waybar's text, "json" the --json object, "waybar" Waybar's object. */
std::string watch_line(const Status& status, std::string_view format, std::time_t now,
                       std::int64_t soon_s = default_soon_s);

/** The `watch` line while limberd is not running: class and state "stopped". */
std::string stopped_line(std::string_view format);

/**
 * Seconds until `watch_line` would print something else with nothing happening
 * but clocks running down (the next displayed minute, or second in the last
 * minute); empty when only an event can change it (paused, away, on screen, or
 * the json format, whose due_in is a snapshot).
 */
std::optional<std::int64_t> next_change_in(const Status& status, std::string_view format,
                                           std::int64_t soon_s = default_soon_s);

/** {"reminders": [{"name", "at"}...]} in time order. */
nlohmann::json schedule_json(std::vector<Showing> showings);

/** WHEN / REMINDER lines in time order; `span` is the look-ahead in seconds. */
std::string schedule_text(std::vector<Showing> showings, std::time_t now, std::int64_t span);

/** `check --json`: {"valid", "profile", "errors": [{"path","line","column","message"}]}. */
nlohmann::json check_json(const std::string& path, const std::vector<core::Diagnostic>& errors);

/** Where a stats report came from, for the JSON ("limberd" or "file"). */
struct StatsSource {
    std::string from;
    std::string path;  ///< the history file, when read directly
};

/**
 * `stats --json`: {"days": [{"date", "water_ml", "reminders": {NAME: {shown, done, natural, snoozed,
 * skipped, missed, adherence}}, "shown", …, "adherence", "pauses", "good", "active_s"}, …], "total",
 * "streaks", "source"}, one entry per day, newest last. adherence is null on days with nothing shown,
 * active_s (whole seconds present) on days when presence was never known; the total's active_s is
 * over the days that have one.
 */
nlohmann::json stats_json(const core::StatsReport& report, const StatsSource& source = {});
/** The same as one line of text, written directly (a year is ~20,000 values: several times faster). */
std::string stats_json_text(const core::StatsReport& report, const StatsSource& source = {});

/** `stats --csv`: one row per day, newest last; totals, water, pauses, active_s (empty: unknown), then NAME.shown … per
 * reminder. */
std::string stats_csv(const core::StatsReport& report);

/**
 * The terminal view: a table per reminder, streaks, water and active time, then
 * a chart of the days (one column a day; a week a column beyond 60 days) in
 * Unicode blocks, or ASCII with `ascii`.
 */
std::string stats_text(const core::StatsReport& report, bool ascii);

/** Active time as the stats show it: "45m", "6h12m" (whole minutes, rounded down). */
std::string hours_minutes(std::int64_t seconds);

/** "▁▂▃…" (or ASCII) for values 0..1; a space where there is no value. */
std::string spark(const std::vector<std::optional<double>>& values, bool ascii);

/** One line of JSON, with invalid UTF-8 replaced rather than thrown on. */
std::string dump(const nlohmann::json& value);

/** Aligns rows into columns two spaces apart; the last column is not padded. */
std::string columns(const std::vector<std::vector<std::string>>& rows, std::string_view indent = {});

/**
 * The one line limberctl prints for a named D-Bus error from limberd (without
 * the "limberctl: " prefix). `message` is the remote message, already stripped
 * of its "GDBus.Error:NAME: " prefix.
 */
std::string describe_remote_error(std::string_view error_name, std::string_view message, std::string_view method);

}  // namespace limber::ctl
