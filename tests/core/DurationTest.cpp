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
}

TEST_CASE("bad durations say what is accepted", "[core][duration]") {
    SECTION("a bare number") {
        auto r = parse_duration("20");
        REQUIRE_FALSE(r);
        CHECK(r.error == "\"20\" has a number without a unit; " + std::string(duration_forms));
    }
    SECTION("an unknown unit") {
        auto r = parse_duration("5w");
        REQUIRE_FALSE(r);
        CHECK(r.error == "\"5w\" has an unknown unit \"w\"; " + std::string(duration_forms));
    }
    SECTION("milliseconds are refused") { CHECK_FALSE(parse_duration("500ms")); }
    SECTION("empty") { CHECK(parse_duration("").error.rfind("empty duration", 0) == 0); }
    SECTION("no number") { CHECK_FALSE(parse_duration("m")); }
    SECTION("negative") { CHECK_FALSE(parse_duration("-5m")); }
    SECTION("absurdly long") { CHECK(parse_duration("999999999d").error == "\"999999999d\" is too long (at most 100 years)"); }
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
