#include <limber/core/History.hpp>

#include <array>
#include <cstdio>

namespace limber::core {
namespace {

constexpr std::array<std::string_view, 16> event_names{"shown", "done",   "natural",   "snoozed", "skipped", "missed",
                                                       "pause", "resume", "water",     "present", "away",    "unknown",
                                                       "start", "stop",   "dismissed", "ignored"};
static_assert(event_names.size() == static_cast<std::size_t>(last_event_kind) + 1);

// Howard Hinnant's days_from_civil / civil_from_days.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool leap(int y) noexcept { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

}  // namespace

std::string_view to_string(EventKind k) noexcept { return event_names[static_cast<std::size_t>(k)]; }

std::optional<EventKind> parse_event_kind(std::string_view s) noexcept {
    for (std::size_t i = 0; i < event_names.size(); ++i)
        if (event_names[i] == s) return static_cast<EventKind>(i);
    return std::nullopt;
}

std::int64_t day_number(CivilDay day) noexcept {
    return days_from_civil(day / 10000, static_cast<unsigned>(day / 100 % 100), static_cast<unsigned>(day % 100));
}

CivilDay day_from_number(std::int64_t z) noexcept {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return static_cast<CivilDay>((y + (m <= 2)) * 10000 + m * 100 + d);
}

std::string format_day(CivilDay day) {
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", day / 10000, day / 100 % 100, day % 100);
    return text;
}

std::optional<CivilDay> parse_day_text(std::string_view t) noexcept {
    if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
    int parts[3] = {0, 0, 0};
    const std::size_t starts[3] = {0, 5, 8}, lengths[3] = {4, 2, 2};
    for (int p = 0; p < 3; ++p) {
        for (std::size_t i = starts[p]; i < starts[p] + lengths[p]; ++i) {
            if (t[i] < '0' || t[i] > '9') return std::nullopt;
            parts[p] = parts[p] * 10 + (t[i] - '0');
        }
    }
    const int y = parts[0], m = parts[1], d = parts[2];
    static constexpr int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1970 || m < 1 || m > 12 || d < 1) return std::nullopt;
    if (d > month_days[m - 1] + (m == 2 && leap(y) ? 1 : 0)) return std::nullopt;
    return y * 10000 + m * 100 + d;
}

}  // namespace limber::core
