#include <limber/adapters/SystemClock.hpp>

#include <ctime>

namespace limber::adapters {

core::Instant SystemClock::now() const { return monotonic_now(); }

core::LocalTime SystemClock::local_time() const {
    ::tzset();  // follow a time-zone change without a restart
    const std::time_t t = std::time(nullptr);
    std::tm local{};
    ::localtime_r(&t, &local);
    return {(local.tm_wday + 6) % 7, local.tm_hour * 3600 + local.tm_min * 60 + local.tm_sec};
}

}  // namespace limber::adapters
