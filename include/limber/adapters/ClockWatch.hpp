#pragma once
// The clocks around the monotonic one: how long the machine slept (the
// growth of CLOCK_BOOTTIME - CLOCK_MONOTONIC, which nothing can miss), and
// when the wall clock was set or the time zone changed (a timerfd that the
// kernel cancels on every clock_settime and at every resume, and an inotify
// watch on /etc/localtime itself, not on /etc). No wake-ups otherwise.

#include <limber/core/Time.hpp>
#include <limber/daemon/PresenceSource.hpp>

#include <functional>
#include <memory>
#include <string>

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

/**
 * Tells when the time-zone file (/etc/localtime) changes: written in place, replaced by a new link
 * (timedatectl, ln -sf), removed, or created where there was none. It watches the file itself (never
 * followed), so nothing else written in its directory wakes limberd; only while the file is missing is
 * the directory watched, for its name alone. One GLib source on the default main context.
 */
class TimeZoneWatch {
public:
    TimeZoneWatch(std::string path, std::function<void()> changed);
    ~TimeZoneWatch();
    TimeZoneWatch(const TimeZoneWatch&) = delete;
    TimeZoneWatch& operator=(const TimeZoneWatch&) = delete;

    /** inotify is there and the file (or, while it is missing, its directory) is watched. */
    bool watching() const noexcept { return file_watch_ >= 0 || dir_watch_ >= 0; }

private:
    void watch();
    void on_events();

    std::string path_;
    std::string dir_;
    std::string base_;
    std::function<void()> changed_;
    int fd_ = -1;
    unsigned source_ = 0;
    int file_watch_ = -1;
    int dir_watch_ = -1;
};

/** The source "clock": reports wall_clock when the wall clock was set, the time zone changed, or the machine resumed.
 */
class ClockWatch final : public daemon::PresenceSource {
public:
    /** Always made (no bus needed). */
    static std::unique_ptr<daemon::PresenceSource> make(const daemon::PresenceContext& context);
    explicit ClockWatch(const daemon::PresenceContext& context);
    ~ClockWatch() override;
    ClockWatch(const ClockWatch&) = delete;
    ClockWatch& operator=(const ClockWatch&) = delete;

    std::string name() const override { return "clock"; }
    /** The kernel reports wall-clock changes (timerfd with TFD_TIMER_CANCEL_ON_SET). */
    bool in_use() const override;
    bool tells_presence() const override { return false; }
    /** Time spent suspended since the last call (zero if none); call on every wake-up. */
    core::Duration slept() override;

    struct Impl;

private:
    void arm();
    void on_cancelled();
    void report();

    daemon::PresenceContext context_;
    std::unique_ptr<Impl> impl_;
    SleepMeter sleep_;
};

}  // namespace limber::adapters
