#pragma once
// Parsing and printing of the profile's duration and amount strings.

#include <limber/core/Time.hpp>

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

/** The accepted duration forms, for error messages. */
inline constexpr std::string_view duration_forms =
    "use a number with a unit, e.g. \"45s\", \"20m\", \"1h\", \"1h30m\" (units: s, m, h, d)";

/** Parses "45s", "20m", "1h30m", "1h 30m", "2 days"; whole seconds only. */
Parsed<Duration> parse_duration(std::string_view text);

/** Formats a duration the way a person writes it: "1h30m", "45s", "0s". */
std::string format_duration(Duration d);

/** Parses a water amount "250ml", "0.5l", "2l" into millilitres. */
Parsed<int> parse_amount(std::string_view text);

}  // namespace limber::core
