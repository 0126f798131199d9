#pragma once
// Runs a test in a fixed time zone (a POSIX TZ rule, so no tzdata is needed).

#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

namespace limber::test {

/** Central European time with its DST rule; "UTC0" and "EST5EDT,M3.2.0,M11.1.0" work too. */
inline constexpr const char* central_europe = "CET-1CEST,M3.5.0,M10.5.0/3";

class LocalZone {
public:
    explicit LocalZone(const char* tz) {
        if (const char* old = std::getenv("TZ")) previous_ = old;
        ::setenv("TZ", tz, 1);
        ::tzset();
    }
    ~LocalZone() {
        if (previous_)
            ::setenv("TZ", previous_->c_str(), 1);
        else
            ::unsetenv("TZ");
        ::tzset();
    }
    LocalZone(const LocalZone&) = delete;
    LocalZone& operator=(const LocalZone&) = delete;

private:
    std::optional<std::string> previous_;
};

/** Unix seconds of a UTC civil time. */
inline std::int64_t utc(int year, int month, int day, int hour, int minute, int second = 0) {
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_sec = second;
    return static_cast<std::int64_t>(::timegm(&tm));
}

}  // namespace limber::test
