#include <limber/core/Checked.hpp>
#include <limber/core/Duration.hpp>

#include <catch2/catch.hpp>

#include <limits>

using namespace limber::core;
using namespace std::chrono;

TEST_CASE("durations parse in every accepted form", "[core][duration]") {
    CHECK(parse_duration("45s").value == seconds(45));
    CHECK(parse_duration("20m").value == minutes(20));
    CHECK(parse_duration("1h").value == hours(1));
    CHECK(parse_duration("1h30m").value == minutes(90));
    CHECK(parse_duration("1h 30m").value == minutes(90));
    CHECK(parse_duration("2 days").value == hours(48));
    CHECK(parse_duration("1day 1hour 1min 1sec").value == seconds(86400 + 3600 + 61));
    CHECK(parse_duration("0s").value == seconds(0));
    CHECK(parse_duration(" 5m ").value == minutes(5));
    CHECK(parse_duration("20 minutes").value == minutes(20));
    CHECK(parse_duration("30 seconds").value == seconds(30));
    CHECK(parse_duration("1 hr 15 mins").value == minutes(75));
    CHECK(parse_duration("2hrs").value == hours(2));
    CHECK(parse_duration("1 minute 1 second").value == seconds(61));
}

TEST_CASE("every unit word in the table parses to its length", "[core][duration]") {
    for (const auto& unit : duration_units) {
        INFO(unit.name);
        CHECK(parse_duration("3" + std::string(unit.name)).value == seconds(3 * unit.seconds));
        CHECK(parse_duration("3 " + std::string(unit.name)).value == seconds(3 * unit.seconds));
    }
}

TEST_CASE("the accepted forms list exactly the table's words", "[core][duration]") {
    CHECK(duration_unit_list() ==
          "s/sec/secs/second/seconds, m/min/mins/minute/minutes, h/hr/hrs/hour/hours, d/day/days");
    CHECK(duration_forms() ==
          "use a number with a unit, e.g. \"45s\", \"20m\", \"1h\", \"1h30m\", "
          "\"20 minutes\" (units: " +
              duration_unit_list() + ")");
    // Every example in the message parses.
    for (const char* example : {"45s", "20m", "1h", "1h30m", "20 minutes"}) CHECK(parse_duration(example));
}

TEST_CASE("bad durations say what is accepted", "[core][duration]") {
    SECTION("a bare number") {
        auto r = parse_duration("20");
        REQUIRE_FALSE(r);
        CHECK(r.error == "\"20\" has a number without a unit; " + duration_forms());
    }
    SECTION("an unknown unit") {
        auto r = parse_duration("5w");
        REQUIRE_FALSE(r);
        CHECK(r.error == "\"5w\" has an unknown unit \"w\"; " + duration_forms());
    }
    SECTION("milliseconds are refused") {
        CHECK(parse_duration("500ms").error ==
              "\"500ms\" is in milliseconds; durations are whole seconds, e.g. \"1s\"");
    }
    SECTION("unit words are lower case") { CHECK_FALSE(parse_duration("20 Minutes")); }
    SECTION("a unit word that is not in the table") {
        CHECK(parse_duration("2 weeks").error == "\"2 weeks\" has an unknown unit \"weeks\"; " + duration_forms());
    }
    SECTION("empty") { CHECK(parse_duration("").error.rfind("empty duration", 0) == 0); }
    SECTION("no number") { CHECK_FALSE(parse_duration("m")); }
    SECTION("negative") { CHECK_FALSE(parse_duration("-5m")); }
    SECTION("absurdly long") {
        CHECK(parse_duration("999999999d").error == "\"999999999d\" is too long (at most 100 years)");
    }
}

TEST_CASE("durations print the way people write them", "[core][duration]") {
    CHECK(format_duration(minutes(90)) == "1h30m");
    CHECK(format_duration(seconds(45)) == "45s");
    CHECK(format_duration(seconds(0)) == "0s");
    CHECK(format_duration(hours(25)) == "1d1h");
    CHECK(format_duration(microseconds(1'999'999)) == "2s");
}

TEST_CASE("water amounts", "[core][amount]") {
    CHECK(parse_amount("250ml").value == 250);
    CHECK(parse_amount("0.5l").value == 500);
    CHECK(parse_amount("2l").value == 2000);
    CHECK_FALSE(parse_amount("2"));
    CHECK_FALSE(parse_amount("2 gallons"));
    CHECK_FALSE(parse_amount("0ml"));
    CHECK(parse_amount("lots").error == "\"lots\" is not an amount; use e.g. \"250ml\", \"0.5l\" or \"2l\"");
}

TEST_CASE("numbers from outside become durations only within range, never wrapped", "[core][checked]") {
    constexpr auto max = std::numeric_limits<std::int64_t>::max();
    constexpr auto min = std::numeric_limits<std::int64_t>::min();
    CHECK(checked_seconds(std::int64_t{90}) == seconds(90));
    CHECK(checked_seconds(std::int64_t{0}) == seconds(0));
    CHECK(checked_seconds(longest_seconds) == longest_duration);
    CHECK_FALSE(checked_seconds(longest_seconds + 1));
    CHECK_FALSE(checked_seconds(std::int64_t{-1}));
    CHECK_FALSE(checked_seconds(std::int64_t{0}, seconds(1)));
    // Past what microseconds hold: a plain conversion would wrap to a small or negative length.
    CHECK_FALSE(checked_seconds(max));
    CHECK_FALSE(checked_seconds(min));
    CHECK_FALSE(checked_seconds(max / 1'000'000 + 1, Duration::min(), Duration::max()));
    CHECK(checked_seconds(max / 1'000'000, Duration::min(), Duration::max()) == seconds(max / 1'000'000));
    CHECK_FALSE(checked_seconds(std::numeric_limits<std::uint64_t>::max()));
    CHECK_FALSE(checked_seconds(std::uint64_t{1} << 63));
    CHECK(checked_seconds(std::uint64_t{60}) == minutes(1));
    CHECK(checked_micros(5) == microseconds(5));
    CHECK_FALSE(checked_micros(max));
    CHECK_FALSE(checked_micros(-5));
}

TEST_CASE("a Unix time becomes the span from now only when it lies ahead within range", "[core][checked]") {
    constexpr std::int64_t now_s = 1'800'000'000, now_us = now_s * 1'000'000 + 250'000;
    CHECK(checked_until(now_s + 10, now_us, microseconds(1)) == microseconds(9'750'000));
    CHECK_FALSE(checked_until(now_s, now_us, microseconds(1)));  // a quarter second ago
    CHECK(checked_until(now_s + longest_seconds, now_us, microseconds(1)) == longest_duration - milliseconds(250));
    CHECK_FALSE(checked_until(now_s + longest_seconds + 1, now_us, microseconds(1)));
    // 292,000 years ahead, or behind: at * 10^6 would wrap.
    CHECK_FALSE(checked_until(std::numeric_limits<std::int64_t>::max(), now_us, microseconds(1)));
    CHECK_FALSE(checked_until(std::numeric_limits<std::int64_t>::min(), now_us, microseconds(1)));
    CHECK_FALSE(checked_until(9'000'000'000'000, now_us, microseconds(1)));
    // The subtraction itself overflows here, with any limits.
    CHECK_FALSE(
        checked_until(-9'000'000'000'000, std::numeric_limits<std::int64_t>::max(), Duration::min(), Duration::max()));
}

TEST_CASE("the core's additions hold at the ends of the range instead of wrapping", "[core][checked]") {
    CHECK(saturating_add(hours(1), minutes(1)) == minutes(61));
    CHECK(saturating_add(Duration::max(), microseconds(1)) == Duration::max());
    CHECK(saturating_add(Duration::max(), Duration::max()) == Duration::max());
    CHECK(saturating_add(Duration::min(), -microseconds(1)) == Duration::min());
    CHECK(saturating_add(Duration::max(), Duration::min()) == -microseconds(1));
    const Instant at{hours(1000)};
    CHECK(saturating_add(at, hours(1)) == Instant{hours(1001)});
    CHECK(saturating_add(at, Duration::max()) == Instant::max());
    CHECK(saturating_add(at, Duration::max()) > at);
    CHECK(bounded(Duration::max()) == longest_duration);
    CHECK(bounded(-hours(1)) == Duration::zero());
    CHECK(bounded(hours(1)) == hours(1));
}

TEST_CASE("profile durations and amounts share the input limits", "[core][checked]") {
    CHECK(parse_duration("36500 days").value == longest_duration);
    CHECK(parse_duration("36501 days").error == "\"36501 days\" is too long (at most 100 years)");
    CHECK(parse_duration("3153600000s").value == longest_duration);
    CHECK(parse_duration("3153600001s").error == "\"3153600001s\" is too long (at most 100 years)");
    CHECK(parse_duration("9223372036854775807d").error == "\"9223372036854775807d\" is too long (at most 100 years)");
    CHECK(parse_duration("99999999999999999999999s").error ==
          "\"99999999999999999999999s\" is too long (at most 100 years)");
    CHECK(parse_duration("36499d 23h 59m 60s").value == longest_duration);
    CHECK_FALSE(parse_duration("36500d 1s"));
    CHECK(parse_amount("20l").value == most_ml);
    CHECK_FALSE(parse_amount("20001ml"));
    CHECK_FALSE(parse_amount("1e400ml"));
    CHECK_FALSE(parse_amount("99999999999999999999999999999999999999l"));
}
