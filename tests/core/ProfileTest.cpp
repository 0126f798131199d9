#include <limber/core/Profile.hpp>

#include <catch2/catch.hpp>

using namespace limber::core;

namespace {
LocalTime at(int weekday, int hh, int mm) { return {weekday, hh * 3600 + mm * 60}; }
}  // namespace

TEST_CASE("active hours within a day", "[core][window]") {
    auto w = parse_hours("08:00-18:00").value.value();
    w.days = 0x1f;  // mon-fri
    CHECK(w.contains(at(0, 8, 0)));
    CHECK(w.contains(at(4, 17, 59)));
    CHECK_FALSE(w.contains(at(0, 18, 0)));
    CHECK_FALSE(w.contains(at(0, 7, 59)));
    CHECK_FALSE(w.contains(at(5, 12, 0)));  // Saturday
    CHECK(w.seconds_to_next_edge(at(0, 7, 0)) == 3600);
    CHECK(w.seconds_to_next_edge(at(0, 17, 0)) == 3600);
    // Friday evening: the next edge is Monday 08:00.
    CHECK(w.seconds_to_next_edge(at(4, 18, 0)) == (2 * 24 + 14) * 3600);
}

TEST_CASE("active hours spanning midnight belong to the day they start", "[core][window]") {
    auto w = parse_hours("22:00-06:00").value.value();
    w.days = 1;  // Monday night only
    CHECK(w.contains(at(0, 23, 0)));
    CHECK(w.contains(at(1, 5, 59)));  // Tuesday early morning, Monday's shift
    CHECK_FALSE(w.contains(at(1, 23, 0)));
    CHECK_FALSE(w.contains(at(0, 5, 0)));  // Monday early morning belongs to Sunday's shift
    CHECK(w.seconds_to_next_edge(at(0, 21, 0)) == 3600);
    CHECK(w.seconds_to_next_edge(at(0, 23, 0)) == 7 * 3600);
}

TEST_CASE("an all-day window has no edges to wake for", "[core][window]") {
    ActiveWindow w;
    CHECK(w.always());
    CHECK(w.contains(at(6, 23, 59)));
    auto till_midnight = parse_hours("00:00-24:00").value.value();
    CHECK(till_midnight.always());
}

TEST_CASE("bad active hours", "[core][window]") {
    CHECK(parse_hours("25:00-26:00").error.find("impossible time") != std::string::npos);
    CHECK(parse_hours("12:60-13:00").error.find("impossible time") != std::string::npos);
    CHECK(parse_hours("08:00").error.find("not a time span") != std::string::npos);
    CHECK(parse_hours("09:00-09:00").error.find("is empty") != std::string::npos);
    CHECK_FALSE(parse_hours("24:00-08:00"));
    CHECK_FALSE(parse_hours("8:00-18:00"));
}

TEST_CASE("names, kinds and suggestions", "[core][profile]") {
    CHECK(valid_reminder_name("posture_2-b"));
    CHECK_FALSE(valid_reminder_name("Posture"));
    CHECK_FALSE(valid_reminder_name("a b"));
    CHECK_FALSE(valid_reminder_name(""));
    CHECK(parse_kind("hydration") == Kind::hydration);
    CHECK_FALSE(parse_kind("water"));
    CHECK(parse_day("sun") == 6);
    CHECK(closest("evry", {"every", "duration"}) == std::optional<std::string>("every"));
    CHECK(closest("snoze", {"snooze", "max_snoozes"}) == std::optional<std::string>("snooze"));
    CHECK_FALSE(closest("colour", {"every", "duration"}));
    CHECK(kind_defaults(Kind::stretch).title == "Time to stretch");
    CHECK(default_urgency(Kind::hydration) == Urgency::low);
}
