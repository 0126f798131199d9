#pragma once
// All of limberd's history bookkeeping in one place: what happened (shown,
// answers, pauses, water, start and stop), and the person's presence as
// active time, each written once and dated right.

#include <limber/core/Control.hpp>
#include <limber/core/History.hpp>
#include <limber/core/Statistics.hpp>
#include <limber/daemon/Ports.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace limber::daemon {

class Recorder {
public:
    explicit Recorder(const Wall& wall) : wall_(wall) {}

    /** Starts recording into `book` (once this limberd is the session's one): records `start`. */
    void open(std::unique_ptr<HistoryBook> book, core::Duration keep, bool paused);
    bool is_open() const noexcept { return book_ != nullptr; }
    /** Records `stop`: active time ends here (after a crash it ends at the last event recorded). */
    void close();

    /** Records one event now. */
    void record(core::EventKind kind, const std::string& reminder = {}, int ml = 0);
    /** The event an outcome is recorded as. */
    void outcome(const std::string& reminder, core::Outcome outcome);
    /** Records a pause or a resume when `paused` differs from the last one recorded; true if it did. */
    bool pause_state(bool paused);
    /**
     * Records present / away / unknown when it differs from the last one recorded. `left_at`: when
     * the person actually left (Unix seconds), for an absence noticed later (idle after idle_after).
     * Nothing before `presence_ready` (every source has answered at start: no present-then-locked flicker).
     */
    void presence(core::EventKind now, std::optional<std::int64_t> left_at = {});
    void presence_ready() { presence_ready_ = true; }
    /** Start-up is over: every source has answered once. */
    bool presence_is_ready() const noexcept { return presence_ready_; }
    /** The pause state last recorded. */
    bool recorded_paused() const noexcept { return recorded_paused_; }
    /** A sleep nobody announced, seen at wake-up: away from when it began; returns true if recorded. */
    bool slept(core::Duration slept);

    /** Today's water against `goal_ml`. */
    core::WaterStatus water(int goal_ml);
    /** The history on or after `since`, with this run's active time up to now. */
    std::vector<core::DayCount> history(core::CivilDay since);
    void set_retention(core::Duration keep);

private:
    core::HistoryEvent now_event(core::EventKind kind, std::string reminder = {}, int ml = 0) const;
    void write(const core::HistoryEvent& event);

    const Wall& wall_;
    std::unique_ptr<HistoryBook> book_;
    bool recorded_paused_ = false;
    bool presence_ready_ = false;
    core::EventKind recorded_presence_ = core::EventKind::unknown;  ///< present, away or unknown, as last recorded
    std::int64_t recorded_presence_at_ = 0;  ///< when (Unix seconds): an absence is never dated before it
};

}  // namespace limber::daemon
