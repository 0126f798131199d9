// Statistics against a scripted history: exact counts, adherence, streaks, water.

#include <limber/core/Statistics.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

using namespace limber::core;

namespace {

struct Script {
    std::vector<HistoryEvent> events;
    std::int64_t at = 1'795'000'000;
    /** `n` events of `kind` for `reminder` on `day`. */
    Script& add(CivilDay day, EventKind kind, const std::string& reminder, int n = 1, int ml = 0) {
        for (int i = 0; i < n; ++i) events.push_back({at++, day, kind, reminder, ml});
        return *this;
    }
};

/**
 * Thu 19: posture 2 shown, 2 done                          good (100%)  before the range
 * Fri 20: posture 5 shown, 4 done, 1 snoozed                good (80%: exactly the threshold)
 * Sat 21: nothing
 * Sun 22: only 500ml of water                                no showings: neither counts nor breaks
 * Mon 23: posture 4 shown: done, natural, skipped, missed;
 *         water 2 shown, 2 done                             bad (4 of 6)
 * Tue 24: posture 3 shown, 3 done; water 2 shown, 1 done, 1 snoozed;
 *         stretch done early (never shown); a pause and a resume; 750ml   good (5 of 5)
 * Wed 25 (today): posture 2 shown, 1 missed, 1 still on screen   bad so far
 */
Script week() {
    Script s;
    s.add(20261119, EventKind::shown, "posture", 2).add(20261119, EventKind::done, "posture", 2);
    s.add(20261119, EventKind::water, "", 1, 250);
    s.add(20261120, EventKind::shown, "posture", 5).add(20261120, EventKind::done, "posture", 4);
    s.add(20261120, EventKind::snoozed, "posture");
    s.add(20261122, EventKind::water, "", 1, 500);
    s.add(20261123, EventKind::shown, "posture", 4).add(20261123, EventKind::done, "posture");
    s.add(20261123, EventKind::natural, "posture").add(20261123, EventKind::skipped, "posture");
    s.add(20261123, EventKind::missed, "posture");
    s.add(20261123, EventKind::shown, "water", 2).add(20261123, EventKind::done, "water", 2);
    s.add(20261124, EventKind::shown, "posture", 3).add(20261124, EventKind::done, "posture", 3);
    s.add(20261124, EventKind::shown, "water", 2).add(20261124, EventKind::done, "water");
    s.add(20261124, EventKind::snoozed, "water");
    s.add(20261124, EventKind::done, "stretch");
    s.add(20261124, EventKind::pause, "").add(20261124, EventKind::resume, "");
    s.add(20261124, EventKind::water, "water", 3, 250);
    s.add(20261125, EventKind::shown, "posture", 2).add(20261125, EventKind::missed, "posture");
    return s;
}

Counts counts(int shown, int done, int natural, int snoozed, int skipped, int missed) {
    return {shown, done, natural, snoozed, skipped, missed};
}

}  // namespace

TEST_CASE("civil days: yyyymmdd numbers, arithmetic and text", "[core][stats]") {
    CHECK(day_number(19700101) == 0);
    CHECK(day_from_number(0) == 19700101);
    CHECK(add_days(20261125, 7) == 20261202);
    CHECK(add_days(20240301, -1) == 20240229);  // leap year
    CHECK(add_days(20230301, -1) == 20230228);
    CHECK(add_days(20261231, 1) == 20270101);
    CHECK(day_number(20261125) - day_number(20251125) == 365);
    CHECK(format_day(20260105) == "2026-01-05");
    CHECK(parse_day_text("2026-11-25") == 20261125);
    CHECK(parse_day_text("2024-02-29") == 20240229);
    CHECK_FALSE(parse_day_text("2023-02-29"));
    CHECK_FALSE(parse_day_text("2026-13-01"));
    CHECK_FALSE(parse_day_text("2026-11-31"));
    CHECK_FALSE(parse_day_text("26-11-25"));
    CHECK_FALSE(parse_day_text("2026/11/25"));
    CHECK_FALSE(parse_day_text("2026-11-2x"));
    for (auto k : {EventKind::shown, EventKind::missed, EventKind::water}) CHECK(parse_event_kind(to_string(k)) == k);
    CHECK_FALSE(parse_event_kind("drank"));
}

TEST_CASE("a scripted week: per day and per reminder, exact", "[core][stats]") {
    auto events = week().events;
    // Input order does not matter.
    std::shuffle(events.begin(), events.end(), std::mt19937(7));
    const StatsReport r = compute_stats(events, 20261120, 20261125);

    REQUIRE(r.days.size() == 6);
    CHECK(r.days.front().day == 20261120);
    CHECK(r.days.back().day == 20261125);

    const DayStats& fri = r.days[0];
    CHECK(fri.reminders.at("posture") == counts(5, 4, 0, 1, 0, 0));
    CHECK(fri.total.adherence() == Approx(0.8));
    CHECK(fri.good);

    const DayStats& sat = r.days[1];
    CHECK(sat.reminders.empty());
    CHECK(sat.total == Counts{});
    CHECK_FALSE(sat.total.adherence());
    CHECK_FALSE(sat.good);

    CHECK(r.days[2].water_ml == 500);
    CHECK(r.days[2].reminders.empty());

    const DayStats& mon = r.days[3];
    CHECK(mon.reminders.at("posture") == counts(4, 1, 1, 0, 1, 1));
    CHECK(mon.reminders.at("water") == counts(2, 2, 0, 0, 0, 0));
    CHECK(mon.total == counts(6, 3, 1, 0, 1, 1));
    CHECK(*mon.total.adherence() == Approx(4.0 / 6.0));
    CHECK_FALSE(mon.good);

    const DayStats& tue = r.days[4];
    CHECK(tue.reminders.at("posture") == counts(3, 3, 0, 0, 0, 0));
    CHECK(tue.reminders.at("water") == counts(2, 1, 0, 1, 0, 0));
    CHECK(tue.reminders.at("stretch") == counts(0, 1, 0, 0, 0, 0));
    CHECK_FALSE(tue.reminders.at("stretch").adherence());  // never shown: no ratio
    CHECK(tue.total == counts(5, 5, 0, 1, 0, 0));
    CHECK(*tue.total.adherence() == 1.0);
    CHECK(tue.water_ml == 750);
    CHECK(tue.pauses == 1);
    CHECK(tue.good);

    const DayStats& wed = r.days[5];
    CHECK(wed.total == counts(2, 0, 0, 0, 0, 1));
    CHECK(*wed.total.adherence() == 0.0);

    CHECK(r.total == counts(18, 12, 1, 2, 1, 2));
    CHECK(r.water_ml == 1250);  // the 250ml of the 19th is before the range

    // Fri, (Sat, Sun empty), Mon bad, Tue good, Wed (today) bad so far.
    CHECK(r.streaks.longest == 2);  // Thu 19 + Fri 20: empty days in between would not break it
    CHECK(r.streaks.current == 1);  // Tue; today does not break it while under way
}

TEST_CASE("streaks: where the range ends decides the current run", "[core][stats]") {
    const auto events = week().events;
    SECTION("ending on a good day") {
        const auto r = compute_stats(events, 20261124, 20261124);
        CHECK(r.streaks.current == 1);
        CHECK(r.streaks.longest == 2);
    }
    SECTION("ending on Sunday: empty days keep the run from Thursday") {
        const auto r = compute_stats(events, 20261120, 20261122);
        CHECK(r.streaks.current == 2);
        CHECK(r.streaks.longest == 2);
        CHECK(r.total == counts(5, 4, 0, 1, 0, 0));  // only Friday's
    }
    SECTION("ending on the bad Monday: the run before it does not reach it") {
        const auto r = compute_stats(events, 20261123, 20261123);
        CHECK(r.streaks.current == 2);  // Monday is the last day and may still be under way
        SECTION("but the next day it is over") {
            const auto later = compute_stats(events, 20261123, 20261126);
            CHECK(later.streaks.current == 0);  // Wednesday was bad, and is over: the run is broken
        }
    }
    SECTION("a higher threshold") {
        const auto r = compute_stats(events, 20261120, 20261125, 0.9);
        CHECK_FALSE(r.days[0].good);  // Friday's 80%
        CHECK(r.streaks.longest == 1);
        CHECK(r.threshold == 0.9);
    }
}

TEST_CASE("adherence is capped at 1 and empty ranges are empty", "[core][stats]") {
    Counts early = counts(1, 3, 0, 0, 0, 0);  // done twice before being shown
    CHECK(*early.adherence() == 1.0);
    const auto none = compute_stats(std::vector<HistoryEvent>{}, 20261125, 20261124);
    CHECK(none.days.empty());
    const auto empty = compute_stats(std::vector<HistoryEvent>{}, 20261101, 20261130);
    CHECK(empty.days.size() == 30);
    CHECK(empty.streaks.current == 0);
    CHECK(empty.streaks.longest == 0);
}

TEST_CASE("tally: events added up per day, kind and reminder give the same statistics", "[core][stats]") {
    const auto events = week().events;
    const auto counts = tally(events);
    CHECK(counts.size() < events.size());
    CHECK(std::is_sorted(counts.begin(), counts.end(),
                         [](const DayCount& a, const DayCount& b) { return a.day < b.day; }));
    const auto find = [&](CivilDay day, EventKind kind, const std::string& name) {
        for (const auto& c : counts)
            if (c.day == day && c.kind == kind && c.reminder == name) return c.value;
        return std::int64_t{-1};
    };
    CHECK(find(20261120, EventKind::shown, "posture") == 5);
    CHECK(find(20261124, EventKind::water, "water") == 750);  // ml, not events
    CHECK(find(20261124, EventKind::pause, "") == 1);
    CHECK(find(20261121, EventKind::shown, "posture") == -1);

    const auto a = compute_stats(events, 20261120, 20261125);
    const auto b = compute_stats(counts, 20261120, 20261125);
    REQUIRE(a.days.size() == b.days.size());
    for (std::size_t i = 0; i < a.days.size(); ++i) {
        CHECK(a.days[i].reminders == b.days[i].reminders);
        CHECK(a.days[i].water_ml == b.days[i].water_ml);
        CHECK(a.days[i].pauses == b.days[i].pauses);
    }
    CHECK(a.total == b.total);
    CHECK(a.streaks.current == b.streaks.current);
    CHECK(a.streaks.longest == b.streaks.longest);
}

TEST_CASE("dismissed and ignored are counted on their own and never as done", "[core][statistics]") {
    Script s;
    s.add(20261125, EventKind::shown, "posture", 3).add(20261125, EventKind::done, "posture");
    s.add(20261125, EventKind::dismissed, "posture", 2);
    s.add(20261125, EventKind::shown, "water", 2).add(20261125, EventKind::ignored, "water", 2);
    const auto report = compute_stats(s.events, 20261125, 20261125);
    REQUIRE(report.days.size() == 1);
    const auto& d = report.days[0];
    CHECK(d.reminders.at("posture").dismissed == 2);
    CHECK(d.reminders.at("posture").done == 1);
    CHECK(d.reminders.at("water").ignored == 2);
    CHECK(d.reminders.at("water").done == 0);
    CHECK(d.water_ml == 0);  // no glass logged, none claimed
    CHECK(report.total.dismissed == 2);
    CHECK(report.total.ignored == 2);
    // Adherence: done + natural of shown; dismissed and ignored keep it down.
    CHECK(d.total.adherence() == Approx(1.0 / 5.0));
    // Tallied counts carry them too (what limberd sends limberctl).
    const auto again = compute_stats(tally(s.events), 20261125, 20261125);
    CHECK(again.total == report.total);
}
