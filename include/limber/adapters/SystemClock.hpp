#pragma once
// The real clock: CLOCK_MONOTONIC (stops during suspend) and local civil time.

#include <limber/core/Time.hpp>

namespace limber::adapters {

/** CLOCK_MONOTONIC as a core::Instant: what SystemClock::now() reads, for adapters that stamp events without one. */
inline core::Instant monotonic_now() {
    return std::chrono::time_point_cast<core::Duration>(std::chrono::steady_clock::now());
}

class SystemClock final : public core::Clock {
public:
    core::Instant now() const override;
    core::LocalTime local_time() const override;
};

}  // namespace limber::adapters
