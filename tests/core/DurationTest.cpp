#include <limber/core/Duration.hpp>

#include <catch2/catch.hpp>

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
