// The shared text helpers: join, and local times in ISO 8601 with their offset.

#include "ctl/LocalZone.hpp"

#include <limber/core/Profile.hpp>
#include <limber/core/Text.hpp>

#include <catch2/catch.hpp>

#include <set>
#include <string_view>
#include <vector>

using limber::core::iso8601_local;
using limber::core::join;
using limber::test::central_europe;
using limber::test::LocalZone;
using limber::test::utc;

TEST_CASE("join puts the separator between items only", "[core][text]") {
    CHECK(join(std::vector<std::string>{}, ", ").empty());
    CHECK(join(std::vector<std::string>{"posture"}, ", ") == "posture");
    CHECK(join(std::vector<std::string>{"posture", "eyes", "water"}, ",") == "posture,eyes,water");
    CHECK(join(std::set<std::string>{"x11", "mutter"}, ", ") == "mutter, x11");
    CHECK(join(std::vector<std::string_view>{"a", "b"}, " ") == "a b");
    CHECK(join(limber::core::urgency_names, ", ") == "low, normal, critical");
}

TEST_CASE("local times in ISO 8601 with their offset", "[core][text][time]") {
    SECTION("central Europe, winter and summer") {
        LocalZone zone(central_europe);
        CHECK(iso8601_local(utc(2026, 11, 25, 13, 0)) == "2026-11-25T14:00:00+01:00");
        CHECK(iso8601_local(utc(2026, 7, 1, 6, 30, 15)) == "2026-07-01T08:30:15+02:00");
    }
    SECTION("either side of the autumn DST change: the same wall clock, two offsets") {
        LocalZone zone(central_europe);
        // 2026-10-25 03:00 CEST becomes 02:00 CET at 01:00 UTC; 02:30 happens twice.
        CHECK(iso8601_local(utc(2026, 10, 25, 0, 30)) == "2026-10-25T02:30:00+02:00");
        CHECK(iso8601_local(utc(2026, 10, 25, 1, 30)) == "2026-10-25T02:30:00+01:00");
    }
    SECTION("UTC and west of it") {
        {
            LocalZone zone("UTC0");
            CHECK(iso8601_local(utc(2026, 11, 25, 13, 0)) == "2026-11-25T13:00:00+00:00");
        }
        LocalZone zone("EST5EDT,M3.2.0,M11.1.0");
        CHECK(iso8601_local(utc(2026, 11, 25, 13, 0)) == "2026-11-25T08:00:00-05:00");
        LocalZone india("IST-5:30");
        CHECK(iso8601_local(utc(2026, 11, 25, 13, 0)) == "2026-11-25T18:30:00+05:30");
    }
    SECTION("offsets of a day or more keep their hours (limberctl's copy wrapped them to +00:30)") {
        {
            LocalZone zone("XXX-24:30");  // POSIX signs are inverted: this is UTC+24:30
            CHECK(iso8601_local(utc(2026, 11, 25, 13, 0)) == "2026-11-26T13:30:00+24:30");
        }
        LocalZone zone("YYY+24:30");
        CHECK(iso8601_local(utc(2026, 11, 25, 13, 0)) == "2026-11-24T12:30:00-24:30");
    }
}
