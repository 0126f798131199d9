#pragma once
// The one checked conversion of every length, time and amount that comes from outside (the bus,
// the profile, the state file, the history) into the core's Duration and Instant, and the one
// saturating addition the core does with them. Every number from outside goes through here, so
// none can wrap: a value out of range is refused (nothing, for the caller to name) or, where the
// core computes with values already checked, held at the end of the range.

#include <limber/core/Time.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>

namespace limber::core {

/** The longest span any input may name (a profile duration, a pause, a snooze): a hundred years. */
inline constexpr std::int64_t longest_seconds = std::int64_t{100} * 365 * 86400;
inline constexpr Duration longest_duration = std::chrono::seconds(longest_seconds);
/** The longest span Schedule looks ahead: its reply stays small and quick. */
inline constexpr std::int64_t longest_schedule_seconds = std::int64_t{7} * 86400;
/** The most showings Scheduler::plan() (and so Schedule) returns, counting each reminder of a merged notice. */
inline constexpr std::size_t most_showings = 10000;
/** The largest water amount one input may log: 20 litres. */
inline constexpr int most_ml = 20000;

/** `micros` microseconds as a Duration when it lies from `least` to `most`; nothing otherwise. */
constexpr std::optional<Duration> checked_micros(std::int64_t micros, Duration least = Duration::zero(),
                                                 Duration most = longest_duration) noexcept {
    if (micros < least.count() || micros > most.count()) return std::nullopt;
    return Duration(micros);
}

/** `seconds` whole seconds as a Duration when it lies from `least` to `most`; nothing otherwise. */
constexpr std::optional<Duration> checked_seconds(std::int64_t seconds, Duration least = Duration::zero(),
                                                  Duration most = longest_duration) noexcept {
    constexpr std::int64_t per_second = 1'000'000;
    constexpr std::int64_t limit = std::numeric_limits<std::int64_t>::max() / per_second;
    if (seconds > limit || seconds < -limit) return std::nullopt;
    return checked_micros(seconds * per_second, least, most);
}

/** An unsigned count of seconds (the bus's t), as checked_seconds. */
constexpr std::optional<Duration> checked_seconds(std::uint64_t seconds, Duration least = Duration::zero(),
                                                  Duration most = longest_duration) noexcept {
    if (seconds > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
    return checked_seconds(static_cast<std::int64_t>(seconds), least, most);
}

/**
 * The span from `now_us` (Unix microseconds) to the Unix time `at` (whole seconds), when it lies from
 * `least` to `most`; nothing otherwise (in the past, too far, or beyond any clock).
 */
constexpr std::optional<Duration> checked_until(std::int64_t at, std::int64_t now_us, Duration least,
                                                Duration most = longest_duration) noexcept {
    std::int64_t at_us = 0, span = 0;
    if (__builtin_mul_overflow(at, std::int64_t{1'000'000}, &at_us)) return std::nullopt;
    if (__builtin_sub_overflow(at_us, now_us, &span)) return std::nullopt;
    return checked_micros(span, least, most);
}

/** `a` + `b`, held at the ends of Duration's range instead of wrapping. */
constexpr Duration saturating_add(Duration a, Duration b) noexcept {
    std::int64_t sum = 0;
    if (!__builtin_add_overflow(a.count(), b.count(), &sum)) return Duration(sum);
    return b.count() > 0 ? Duration::max() : Duration::min();
}

/** `at` + `d`, held at the ends of Instant's range instead of wrapping. */
constexpr Instant saturating_add(Instant at, Duration d) noexcept {
    return Instant(saturating_add(at.time_since_epoch(), d));
}

/** `total` + `amount` (a day's water, a sum of counts), held within 0 .. the largest int instead of wrapping. */
constexpr int held_sum(int total, std::int64_t amount) noexcept {
    constexpr std::int64_t most = std::numeric_limits<int>::max();
    return static_cast<int>(
        std::clamp<std::int64_t>(std::int64_t{total} + std::clamp<std::int64_t>(amount, 0, most), 0, most));
}

/** `d` held within 0 .. `most`: what the core does with a length it was handed unchecked. */
constexpr Duration bounded(Duration d, Duration most = longest_duration) noexcept {
    return std::clamp(d, Duration::zero(), most);
}

}  // namespace limber::core
