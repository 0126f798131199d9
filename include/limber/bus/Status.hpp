#pragma once
// The shapes that cross the bus, as plain structs: what GetStatus, Schedule
// and Drank carry. limberd fills them (BusService, from core::DaemonStatus),
// limberctl prints them; Codec.hpp turns them into GVariants and back. Pure:
// no GLib, so limberctl's output code and its tests use them as they are.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace limber::bus {

/** One reminder in GetStatus. Lengths in whole seconds. */
struct ReminderStatus {
    std::string name;
    std::string kind;
    std::int64_t every = 0;
    std::int64_t duration = 0;
    std::int64_t due_in = 0;  ///< present time still to run
    std::int64_t snoozes = 0;
    bool enabled = true;
    bool on_screen = false;
    bool running = true;  ///< its clock runs now (false outside its active hours)
    bool operator==(const ReminderStatus&) const = default;
};

/** GetStatus's presence: where limberd learns whether the person is there, and what they say now. */
struct Presence {
    std::vector<std::string> sources;  ///< in use, e.g. "logind", "x11-idle", "dunst", "clock"
    bool idle = false;
    bool locked = false;
    bool asleep = false;
    bool dnd = false;
    bool away() const noexcept { return idle || locked || asleep; }
    bool operator==(const Presence&) const = default;
};

/** GetStatus. */
struct Status {
    std::string state;              ///< active | paused | away | off-hours | dnd
    std::int64_t paused_until = 0;  ///< Unix seconds; 0 = none
    std::string profile;
    std::vector<ReminderStatus> reminders;
    std::optional<Presence> presence;  ///< absent from an older limberd
    std::int64_t water_today_ml = 0;
    std::int64_t water_goal_ml = 0;  ///< 0 = no goal
    bool operator==(const Status&) const = default;
};

/** One showing in Schedule. */
struct Showing {
    std::string name;
    std::int64_t at = 0;  ///< Unix seconds
    bool operator==(const Showing&) const = default;
};

/** Drank's answer. */
struct Water {
    std::int64_t ml = 0;  ///< what was logged
    std::int64_t today_ml = 0;
    std::int64_t goal_ml = 0;  ///< 0 = no goal
    bool operator==(const Water&) const = default;
};

/** The properties State, PausedUntil, NextReminder and NextDue. */
struct Properties {
    std::string state;
    std::int64_t paused_until = 0;  ///< Unix seconds; 0 = none
    std::string next_reminder;      ///< empty when none runs (or not active)
    std::int64_t next_due = 0;      ///< Unix seconds; 0 = none
    bool operator==(const Properties&) const = default;
};

}  // namespace limber::bus
