#include <limber/core/Duration.hpp>

#include <limber/core/Checked.hpp>

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>

namespace limber::core {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

}  // namespace

const std::string& duration_unit_list() {
    static const std::string list = [] {
        std::string out;
        for (std::size_t k = 0; k < duration_units.size(); ++k) {
            if (k > 0) out += duration_units[k].seconds == duration_units[k - 1].seconds ? "/" : ", ";
            out += duration_units[k].name;
        }
        return out;
    }();
    return list;
}

const std::string& duration_forms() {
    static const std::string forms =
        "use a number with a unit, e.g. \"45s\", \"20m\", \"1h\", \"1h30m\", \"20 minutes\" (units: " +
        duration_unit_list() + ")";
    return forms;
}

Parsed<Duration> parse_duration(std::string_view text) {
    const std::string quoted = "\"" + std::string(text) + "\"";
    std::size_t i = 0;
    std::int64_t total = 0;
    auto skip_space = [&] {
        while (i < text.size() && is_space(text[i])) ++i;
    };
    skip_space();
    if (i == text.size()) return {{}, "empty duration; " + duration_forms()};
    while (i < text.size()) {
        std::size_t start = i;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
        if (start == i) return {{}, quoted + " is not a duration; " + duration_forms()};
        std::int64_t number = 0;
        auto [ptr, ec] = std::from_chars(text.data() + start, text.data() + i, number);
        if (ec != std::errc() || number > longest_seconds) return {{}, quoted + " is too long (at most 100 years)"};
        if (i < text.size() && (text[i] == '.' || text[i] == ','))
            return {{},
                    quoted +
                        " has a fraction; use whole numbers of each unit, e.g. \"1h30m\" for "
                        "an hour and a half"};
        skip_space();
        std::size_t unit_start = i;
        while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
        std::string_view unit = text.substr(unit_start, i - unit_start);
        if (unit.empty()) return {{}, quoted + " has a number without a unit; " + duration_forms()};
        const DurationUnit* found = nullptr;
        for (const auto& u : duration_units)
            if (u.name == unit) found = &u;
        if (unit == "ms" || unit == "msec" || unit == "msecs")
            return {{}, quoted + " is in milliseconds; durations are whole seconds, e.g. \"1s\""};
        if (found == nullptr)
            return {{}, quoted + " has an unknown unit \"" + std::string(unit) + "\"; " + duration_forms()};
        total += number * found->seconds;
        if (total > longest_seconds) return {{}, quoted + " is too long (at most 100 years)"};
        skip_space();
    }
    return {std::chrono::seconds(total), {}};
}

std::string format_duration(Duration d) {
    // Rounded to the nearest second: 1.9999 s of present time left reads as "2s".
    auto secs = std::chrono::round<std::chrono::seconds>(d).count();
    if (secs <= 0) return "0s";
    std::string out;
    const std::int64_t days = secs / 86400, hours = secs / 3600 % 24, mins = secs / 60 % 60, s = secs % 60;
    if (days) out += std::to_string(days) + "d";
    if (hours) out += std::to_string(hours) + "h";
    if (mins) out += std::to_string(mins) + "m";
    if (s) out += std::to_string(s) + "s";
    return out;
}

Parsed<int> parse_amount(std::string_view text) {
    const std::string quoted = "\"" + std::string(text) + "\"";
    const std::string forms = "use e.g. \"250ml\", \"0.5l\" or \"2l\"";
    std::size_t i = 0;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
    std::string_view number = text.substr(0, i);
    std::string_view unit = text.substr(i);
    while (!unit.empty() && is_space(unit.front())) unit.remove_prefix(1);
    if (number.empty() || unit.empty()) return {{}, quoted + " is not an amount; " + forms};
    double value = 0;
    auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (ec != std::errc() || ptr != number.data() + number.size()) return {{}, quoted + " is not an amount; " + forms};
    double ml;
    if (unit == "ml")
        ml = value;
    else if (unit == "l")
        ml = value * 1000;
    else
        return {{}, quoted + " has an unknown unit \"" + std::string(unit) + "\"; " + forms};
    if (ml < 1 || ml > most_ml) return {{}, quoted + " is out of range (1ml to 20l)"};
    return {static_cast<int>(std::lround(ml)), {}};
}

}  // namespace limber::core
