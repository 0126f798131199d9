#include <limber/core/Duration.hpp>

#include <limber/core/Checked.hpp>
#include <limber/core/Translate.hpp>

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
    // TRANSLATORS: the units are what limber reads: they stay English.
    static const std::string forms =
        format(tr("use a number with a unit, e.g. \"45s\", \"20m\", \"1h\", \"1h30m\", \"20 minutes\" (units: %s)"),
               duration_unit_list().c_str());
    return forms;
}

Parsed<Duration> parse_duration(std::string_view text) {
    const std::string given(text);
    const char* quoted = given.c_str();
    std::size_t i = 0;
    std::int64_t total = 0;
    auto skip_space = [&] {
        while (i < text.size() && is_space(text[i])) ++i;
    };
    skip_space();
    if (i == text.size()) return {{}, tr("empty duration") + std::string("; ") + duration_forms()};
    while (i < text.size()) {
        std::size_t start = i;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
        if (start == i) return {{}, format(tr("\"%s\" is not a duration"), quoted) + "; " + duration_forms()};
        std::int64_t number = 0;
        auto [ptr, ec] = std::from_chars(text.data() + start, text.data() + i, number);
        if (ec != std::errc() || number > longest_seconds)
            return {{}, format(tr("\"%s\" is too long (at most 100 years)"), quoted)};
        if (i < text.size() && (text[i] == '.' || text[i] == ','))
            return {{},
                    format(tr("\"%s\" has a fraction; use whole numbers of each unit, e.g. \"1h30m\" for an "
                              "hour and a half"),
                           quoted)};
        skip_space();
        std::size_t unit_start = i;
        while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
        std::string_view unit = text.substr(unit_start, i - unit_start);
        if (unit.empty())
            return {{}, format(tr("\"%s\" has a number without a unit"), quoted) + "; " + duration_forms()};
        const DurationUnit* found = nullptr;
        for (const auto& u : duration_units)
            if (u.name == unit) found = &u;
        if (unit == "ms" || unit == "msec" || unit == "msecs")
            return {{}, format(tr("\"%s\" is in milliseconds; durations are whole seconds, e.g. \"1s\""), quoted)};
        if (found == nullptr)
            return {{},
                    format(tr("\"%s\" has an unknown unit \"%s\""), quoted, std::string(unit).c_str()) + "; " +
                        duration_forms()};
        total += number * found->seconds;
        if (total > longest_seconds) return {{}, format(tr("\"%s\" is too long (at most 100 years)"), quoted)};
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
    const std::string given(text);
    const char* quoted = given.c_str();
    const std::string forms = tr("use e.g. \"250ml\", \"0.5l\" or \"2l\"");
    std::size_t i = 0;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
    std::string_view number = text.substr(0, i);
    std::string_view unit = text.substr(i);
    while (!unit.empty() && is_space(unit.front())) unit.remove_prefix(1);
    if (number.empty() || unit.empty()) return {{}, format(tr("\"%s\" is not an amount"), quoted) + "; " + forms};
    double value = 0;
    auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (ec != std::errc() || ptr != number.data() + number.size())
        return {{}, format(tr("\"%s\" is not an amount"), quoted) + "; " + forms};
    double ml;
    if (unit == "ml")
        ml = value;
    else if (unit == "l")
        ml = value * 1000;
    else
        return {{}, format(tr("\"%s\" has an unknown unit \"%s\""), quoted, std::string(unit).c_str()) + "; " + forms};
    if (ml < 1 || ml > most_ml) return {{}, format(tr("\"%s\" is out of range (1ml to 20l)"), quoted)};
    return {static_cast<int>(std::lround(ml)), {}};
}

}  // namespace limber::core
