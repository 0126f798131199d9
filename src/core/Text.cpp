#include <limber/core/Text.hpp>

#include <cstdio>
#include <ctime>

namespace limber::core {

std::string iso8601_local(std::int64_t unix_seconds) {
    const auto t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    ::localtime_r(&t, &tm);
    char date[32];
    const std::size_t n = std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
    // Hours are not wrapped at 24: a POSIX TZ may say UTC+24:30, and "+00:30" would name another instant.
    const long offset = tm.tm_gmtoff;
    const long minutes = (offset < 0 ? -offset : offset) / 60;
    char zone[32];
    std::snprintf(zone, sizeof zone, "%c%02ld:%02ld", offset < 0 ? '-' : '+', minutes / 60, minutes % 60);
    return std::string(date, n) + zone;
}

}  // namespace limber::core
