#pragma once
// Parsing and printing of the profile's duration and amount strings.

#include <limber/core/Time.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace limber::core {

/** Either a value or a message saying what is wrong and what is accepted. */
template <typename T>
struct Parsed {
    std::optional<T> value;
    std::string error;
    explicit operator bool() const noexcept { return value.has_value(); }
};

/** One accepted unit word and its length in seconds. */
struct DurationUnit {
    std::string_view name;
    std::int64_t seconds;
};

/** Every unit word parse_duration accepts (lower case), grouped by unit; the one table. */
inline constexpr std::array<DurationUnit, 18> duration_units{{
    {"s", 1},
    {"sec", 1},
    {"secs", 1},
    {"second", 1},
    {"seconds", 1},
    {"m", 60},
    {"min", 60},
    {"mins", 60},
    {"minute", 60},
    {"minutes", 60},
    {"h", 3600},
    {"hr", 3600},
    {"hrs", 3600},
    {"hour", 3600},
    {"hours", 3600},
    {"d", 86400},
    {"day", 86400},
    {"days", 86400},
}};

/** The unit words of duration_units, grouped: "s/sec/secs/second/seconds, m/min/..., d/day/days". */
const std::string& duration_unit_list();

/**
 * The accepted duration forms, for error messages, built from duration_units:
 * use a number with a unit, e.g. "45s", ... (units: s/sec/.../seconds, m/min/.../minutes, ...)
 */
const std::string& duration_forms();

/** Parses "45s", "20m", "1h30m", "1h 30m", "2 days", "20 minutes"; whole seconds only. */
Parsed<Duration> parse_duration(std::string_view text);

/** Formats a duration the way a person writes it: "1h30m", "45s", "0s". */
std::string format_duration(Duration d);

/** Parses a water amount "250ml", "0.5l", "2l" into millilitres. */
Parsed<int> parse_amount(std::string_view text);

}  // namespace limber::core
