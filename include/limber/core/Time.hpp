#pragma once
// Time as the core sees it: a monotonic instant that stops during suspend,
// and the local civil time that active hours are read against.

#include <chrono>

namespace limber::core {

/** A span of time; microseconds so tests can simulate days exactly. */
using Duration = std::chrono::microseconds;

/** A point on the monotonic clock (CLOCK_MONOTONIC: does not run while suspended). */
using Instant = std::chrono::time_point<std::chrono::steady_clock, Duration>;

/** Local civil time of day: what working hours are compared with. */
struct LocalTime {
    int weekday = 0;         ///< 0 = Monday … 6 = Sunday
    int seconds_of_day = 0;  ///< 0 … 86399
};

/** The only source of time for the core; injected so tests can drive it. */
class Clock {
public:
    virtual ~Clock() = default;
    /** the current monotonic instant */
    virtual Instant now() const = 0;
    /** the current local civil time (follows time zone and DST) */
    virtual LocalTime local_time() const = 0;
};

using namespace std::chrono_literals;

}  // namespace limber::core
