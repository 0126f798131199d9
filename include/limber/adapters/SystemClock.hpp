#pragma once
// The real clock: CLOCK_MONOTONIC (stops during suspend) and local civil time.

#include <limber/core/Time.hpp>

namespace limber::adapters {

class SystemClock final : public core::Clock {
public:
    core::Instant now() const override;
    core::LocalTime local_time() const override;
};

}  // namespace limber::adapters
