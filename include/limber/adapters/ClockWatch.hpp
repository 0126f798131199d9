#pragma once
// The clocks around the monotonic one: how long the machine slept (the
// growth of CLOCK_BOOTTIME - CLOCK_MONOTONIC, which nothing can miss), and
// when the wall clock was set or the time zone changed (a timerfd that the
// kernel cancels on every clock_settime and at every resume, and an inotify
// watch on /etc/localtime). No wake-ups otherwise.

#include <limber/core/Time.hpp>

#include <functional>
#include <memory>

namespace limber::adapters {

/**
 * Time the machine spent suspended: the growth of CLOCK_BOOTTIME - CLOCK_MONOTONIC (BOOTTIME
 * counts suspended time, MONOTONIC does not). The readings can be injected, for tests.
 */
class SleepMeter {
public:
    enum class Clock { boottime, monotonic };
    using Reader = std::function<core::Duration(Clock)>;

    /** The kernel's clocks. */
    static Reader system_clocks();
    explicit SleepMeter(Reader read = system_clocks());

    /** Time spent suspended since the last call (or construction); zero below 1 ms (reading jitter). */
    core::Duration slept();

private:
    core::Duration offset() const;

    Reader read_;
    core::Duration offset_{};  // BOOTTIME - MONOTONIC at the last look
};

class ClockWatch {
public:
    /** `on_wall_clock_changed`: the wall clock was set, the time zone changed, or the machine resumed. */
    explicit ClockWatch(std::function<void()> on_wall_clock_changed);
    ~ClockWatch();
    ClockWatch(const ClockWatch&) = delete;
    ClockWatch& operator=(const ClockWatch&) = delete;

    /** Time spent suspended since the last call (zero if none); call on every wake-up. */
    core::Duration slept();
    /** Whether the kernel reports wall-clock changes (timerfd with TFD_TIMER_CANCEL_ON_SET). */
    bool watching() const noexcept;

    struct Impl;

private:
    void arm();
    void on_cancelled();

    std::function<void()> on_change_;
    std::unique_ptr<Impl> impl_;
    SleepMeter sleep_;
};

}  // namespace limber::adapters
