#pragma once
// The seams of limberd's application side: what it needs of the world
// around it. Daemon wires the real ones (GLib timer, state file, D-Bus,
// hooks, SQLite, the toml++ loader); tests/daemon fakes them. Pure: no GLib.

#include <limber/core/Profile.hpp>
#include <limber/core/Scheduler.hpp>
#include <limber/core/Statistics.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace limber::daemon {

/** Wall-clock time, for what the history and the bus say in Unix seconds and local dates. */
class Wall {
public:
    virtual ~Wall() = default;
    /** Unix time in microseconds. */
    virtual std::int64_t now_us() const = 0;
    /** The local date of a Unix time (seconds). */
    virtual core::CivilDay day_of(std::int64_t unix_seconds) const = 0;
    std::int64_t now() const { return now_us() / 1'000'000; }
};

/** What limberd records and reads back of its own history (SQLite in limberd, a vector in tests). */
class HistoryBook : public core::HistorySink {
public:
    /** Water drunk on `day`, in ml. */
    virtual int water_on(core::CivilDay day) = 0;
    /** Added up per day, kind and reminder on or after `since`, with active time up to `now`. */
    virtual std::vector<core::DayCount> day_counts(core::CivilDay since, core::Moment now) = 0;
    /** Keep `keep` of history. */
    virtual void set_retention(core::Duration keep) = 0;
};

/** A profile read again for a reload: the profile, or the report of its errors. */
struct ProfileLoad {
    std::optional<core::Profile> profile;
    std::string report;  ///< every PATH:LINE:COL error line, newline-separated
};

using HookEnvironment = std::vector<std::pair<std::string, std::string>>;

/** What the application does to the world around it. */
class Ports {
public:
    virtual ~Ports() = default;
    /** Arms the one timer for `at` (CLOCK_MONOTONIC), or disarms it. */
    virtual void arm(std::optional<core::Instant> at) = 0;
    /** Calls Application::flush() once, when this main-loop turn is over, however many changes came. */
    virtual void flush_soon() = 0;
    /** Saves the scheduler's state; `stopping`: the last save, as limberd stops. */
    virtual void save(const core::SchedulerSnapshot& snapshot, bool stopping) = 0;
    /** Publishes what changed in the status (bus properties). */
    virtual void publish() = 0;
    /** A notice was raised (the bus signal Shown). */
    virtual void shown(const std::vector<std::string>& names, const std::string& title) = 0;
    /** A reminder's showing ended (the bus signal Answered). */
    virtual void answered(const std::string& name, core::Outcome outcome) = 0;
    /** Runs a profile hook (`hook` is its key, e.g. "on_shown"); never waits for it. */
    virtual void run_hook(const std::string& hook, const std::vector<std::string>& argv,
                          const HookEnvironment& environment, core::Duration timeout) = 0;
    /** Reads the profile again, from where it was found at start. */
    virtual ProfileLoad load_profile() = 0;
};

}  // namespace limber::daemon
