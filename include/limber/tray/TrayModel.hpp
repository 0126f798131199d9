#pragma once
// What limber-tray shows, decided from limberd's decoded status (bus::Status): the icon for the
// state, the tooltip, and the menu's labels and which of its actions apply. Pure: no GLib, no
// D-Bus; times are passed in, local time comes from the process's time zone. StatusNotifierItem
// and TrayMenu show it; Tray wires them.

#include <limber/bus/Status.hpp>
#include <limber/core/Statistics.hpp>

#include <cstddef>
#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

namespace limber::tray {

/** limberd's state as the tray draws it: one icon each (config/icons/limber-tray-STATE.svg). */
enum class TrayState { active, paused, away, off_hours, dnd, not_running };

/** The state of a status (its `state` text; one the tray does not know is drawn as active), or
 *  not_running without one. */
TrayState tray_state(const std::optional<bus::Status>& status);

/** "limber-tray-active", "limber-tray-off-hours", "limber-tray-not-running"... */
std::string icon_name(TrayState state);

/** What the tray reads from the profile limberd uses. */
struct TraySettings {
    int glass_ml = 250;       ///< what Drank counts (core::water_plan)
    int hours_start_min = 0;  ///< the start of [general] active_hours, minutes after midnight
};

/** The reminders listed at the top of the menu, at most. */
inline constexpr std::size_t max_upcoming = 5;

struct TrayModel {
    TrayState state = TrayState::not_running;
    std::string icon;                   ///< icon_name(state)
    std::string item_status;            ///< StatusNotifierItem's Status: "Active", or "Passive" outside active hours
    std::string tooltip_title;          ///< "limber: active"
    std::string tooltip_body;           ///< "posture in 12m"
    std::vector<std::string> upcoming;  ///< "posture: in 12m", soonest first (a single line when none)
    bool running = false;               ///< limberd answers: every action but Quit needs it
    bool can_resume = false;            ///< paused
    std::int64_t pause_tomorrow_until = 0;  ///< Unix seconds of tomorrow's start of hours
    std::string pause_tomorrow_label;       ///< "Pause until tomorrow 08:00"
    std::string snooze_label;               ///< "Snooze posture"; empty: nothing to snooze
    std::string done_label;                 ///< "Done: posture"; empty: nothing on screen
    std::string water_label;                ///< "Water: 3 of 8 glasses"
    /** Seconds until a shown count-down changes with nothing else happening; none while clocks stand. */
    std::optional<std::int64_t> changes_in;
};

/** The whole view; `status` is none while limberd is not running. */
TrayModel tray_model(const std::optional<bus::Status>& status, const TraySettings& settings, std::time_t now);

/** `status` as it stands `elapsed` seconds after it was read: while active, the clocks that run
 *  (enabled, running, not on screen) have run down by that much, to 0 at least. */
bus::Status advance(bus::Status status, std::int64_t elapsed);

/** Unix seconds of tomorrow (local) at `minute` after midnight. */
std::int64_t tomorrow_at(int minute, std::time_t now);

/** yyyymmdd of the local day of `now`. */
core::CivilDay local_day(std::time_t now);

/** The Statistics notification: today's numbers, one short line each. */
std::string today_summary(const core::StatsReport& report);

}  // namespace limber::tray
