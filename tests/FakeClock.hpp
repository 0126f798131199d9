#pragma once
// A clock the tests move by hand: monotonic time and local wall time advance
// together, and the wall clock can also jump on its own (time zone, DST).

#include <limber/core/Time.hpp>

namespace limber::test {

class FakeClock final : public core::Clock {
public:
    /** Starts on a Monday (weekday 0) at `hh:mm`. */
    explicit FakeClock(int hh = 8, int mm = 0) : wall_(std::chrono::hours(hh) + std::chrono::minutes(mm)) {}

    core::Instant now() const override { return mono_; }
    core::LocalTime local_time() const override {
        const auto secs = std::chrono::duration_cast<std::chrono::seconds>(wall_).count();
        return {static_cast<int>((secs / 86400) % 7), static_cast<int>(secs % 86400)};
    }

    /** Time passes (both clocks). */
    void advance(core::Duration d) {
        mono_ += d;
        wall_ += d;
    }
    /** Only the wall clock moves (time-zone change, DST, NTP step). */
    void jump_wall(core::Duration d) { wall_ += d; }
    /** The machine sleeps: wall time passes, the monotonic clock stands still (CLOCK_MONOTONIC). */
    void suspend(core::Duration d) { wall_ += d; }
    /** Local wall time since Monday 00:00 of the first week. */
    core::Duration wall() const { return wall_; }

private:
    core::Instant mono_{std::chrono::hours(1000)};
    core::Duration wall_;
};

}  // namespace limber::test
