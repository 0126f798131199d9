// Timing rules 1, 4 and 8 one at a time: present-time clocks, natural breaks,
// working hours and days (also over midnight), a fresh start each window,
// do-not-disturb, suspend and lock, and wall-clock changes.

#include "Harness.hpp"

using namespace limber::core;
using namespace limber::test;
using namespace std::chrono;

namespace {

LocalTime at(int weekday, int hh, int mm, int ss = 0) { return {weekday, hh * 3600 + mm * 60 + ss}; }

constexpr std::uint8_t mon_fri = 0x1f;
constexpr std::uint8_t fri = 1 << 4;

/** posture (20m nudge), water (1h, no natural break), both 08:00-18:00 every day. */
Profile day_profile() {
    Profile p;
    p.reminders.push_back(make_reminder("posture", Kind::posture, minutes(20)));
    p.reminders.push_back(make_reminder("water", Kind::hydration, hours(1)));
    for (auto& r : p.reminders) r.window = hours_window("08:00-18:00");
    return p;
}

Duration due_in(const Scheduler& s, const std::string& name) {
    for (const auto& r : s.status())
        if (r.name == name) return r.due_in;
    FAIL("no reminder " << name);
    return {};
}

}  // namespace

TEST_CASE("where the current stretch of a window began", "[core][window][presence]") {
    const auto day = hours_window("08:00-18:00", mon_fri);
    CHECK(day.seconds_since_start(at(0, 8, 0)) == 0);
    CHECK(day.seconds_since_start(at(2, 9, 30, 5)) == 5405);
    CHECK(day.seconds_since_start(at(4, 17, 59, 59)) == 10 * 3600 - 1);
    CHECK_FALSE(day.seconds_since_start(at(0, 7, 59, 59)));
    CHECK_FALSE(day.seconds_since_start(at(0, 18, 0)));
    CHECK_FALSE(day.seconds_since_start(at(5, 9, 0)));  // Saturday

    // A span over midnight belongs to the day it starts: "fri" = Friday 22:00 to Saturday 06:00.
    const auto night = hours_window("22:00-06:00", fri);
    CHECK(night.seconds_since_start(at(4, 22, 0)) == 0);
    CHECK(night.seconds_since_start(at(5, 5, 0)) == 7 * 3600);
    CHECK_FALSE(night.seconds_since_start(at(4, 5, 0)));    // Thursday's night: not active
    CHECK_FALSE(night.seconds_since_start(at(5, 22, 30)));  // Saturday's night: not active
    CHECK_FALSE(night.seconds_since_start(at(6, 2, 0)));

    // Days that touch make one stretch: Monday and Tuesday all day run from Monday 00:00.
    const auto two_days = hours_window("00:00-24:00", 0b11);
    CHECK(two_days.seconds_since_start(at(1, 12, 0)) == 36 * 3600);
    CHECK_FALSE(two_days.seconds_since_start(at(2, 0, 0)));
    // Every night of the week: each night is its own stretch.
    const auto nights = hours_window("22:00-06:00");
    CHECK(nights.seconds_since_start(at(0, 3, 0)) == 5 * 3600);  // Sunday 22:00
    CHECK(nights.seconds_since_start(at(6, 23, 0)) == 3600);
    // A window that never closes has no beginning to restart at.
    CHECK_FALSE(ActiveWindow{}.seconds_since_start(at(3, 12, 0)));
}

TEST_CASE("a night shift over midnight runs on the day it starts", "[core][presence][window]") {
    FakeClock clock(0, 0);  // Monday 00:00
    WallRecorder rec(clock);
    Profile p;
    p.reminders.push_back(make_reminder("night", Kind::eyes, minutes(30)));
    p.reminders[0].window = hours_window("22:00-06:00", fri);
    Scheduler s(clock, p, rec);
    CHECK(s.state() == State::off_hours);
    pass(clock, s, hours(24 * 7));
    const auto shows = rec.take_shows();
    REQUIRE(shows.size() == 15);  // Friday 22:30 … Saturday 05:30; none at 06:00, the end
    CHECK(shows.front() == "Fri 22:30:00 night");
    CHECK(shows[2] == "Fri 23:30:00 night");
    CHECK(shows[3] == "Sat 00:00:00 night");
    CHECK(shows.back() == "Sat 05:30:00 night");
}

TEST_CASE("present time: clocks run only in the window, not paused, not away", "[core][presence][rule1]") {
    FakeClock clock(7, 0);
    WallRecorder rec(clock);
    Scheduler s(clock, day_profile(), rec);
    pass(clock, s, hours(1) + minutes(10));  // 08:10: ten minutes inside the window
    CHECK(due_in(s, "posture") == minutes(10));
    s.pause();
    pass(clock, s, minutes(5));
    s.resume();
    s.set_away(Away::locked, true);
    pass(clock, s, minutes(1));  // shorter than idle_after: no break, and the minute is not present
    s.set_away(Away::locked, false);
    CHECK(due_in(s, "posture") == minutes(10));
    // Idle is detected idle_after after the last input; until then the clocks run (rule 1).
    pass(clock, s, minutes(2));
    s.set_away(Away::idle, true, clock.now() - minutes(2));
    CHECK(due_in(s, "water") == minutes(48));
    CHECK(s.status()[1].running == false);
    pass(clock, s, minutes(30));
    CHECK(due_in(s, "water") == minutes(48));
    CHECK(rec.take_shows().empty());
}

TEST_CASE("natural breaks are per reminder and count from the last input (rule 4)", "[core][presence][rule4]") {
    FakeClock clock(9, 0);
    WallRecorder rec(clock);
    Profile p;
    p.general.idle_after = minutes(10);
    p.reminders.push_back(make_reminder("posture", Kind::posture, minutes(20)));
    p.reminders.push_back(make_reminder("stretch", Kind::stretch, minutes(50), minutes(12)));
    p.reminders.push_back(make_reminder("walk", Kind::movement, hours(2), minutes(30)));
    p.reminders.push_back(make_reminder("water", Kind::hydration, hours(1)));
    Scheduler s(clock, p, rec);
    pass(clock, s, minutes(15));  // 09:15

    SECTION("idle: the absence counts from the last input, idle_after before it was detected") {
        pass(clock, s, minutes(10));  // last input 09:15, idle detected 09:25
        s.set_away(Away::idle, true, clock.now() - minutes(10));
        pass(clock, s, minutes(3));  // back at 09:28: away 13 minutes, though idle was known for 3
        s.set_away(Away::idle, false);
        CHECK(rec.take_outcomes() ==
              std::vector<std::string>{"Mon 09:28:00 posture natural", "Mon 09:28:00 stretch natural"});
        CHECK(due_in(s, "posture") == minutes(20));
        CHECK(due_in(s, "stretch") == minutes(50));
        CHECK(due_in(s, "walk") == minutes(120 - 25));  // 30-minute break: not enough
        CHECK(due_in(s, "water") == minutes(60 - 25));  // natural_break = false: never
    }
    SECTION("a nudge needs idle_after away, a break its duration") {
        s.set_away(Away::locked, true);
        pass(clock, s, minutes(10) - seconds(1));
        s.set_away(Away::locked, false);
        CHECK(rec.take_outcomes().empty());
        pass(clock, s, minutes(1) - seconds(59));
        s.set_away(Away::locked, true);
        pass(clock, s, minutes(10));
        s.set_away(Away::locked, false);
        CHECK(rec.take_outcomes() == std::vector<std::string>{"Mon 09:35:00 posture natural"});
        s.set_away(Away::locked, true);
        pass(clock, s, minutes(30));
        s.set_away(Away::locked, false);
        CHECK(rec.take_outcomes() ==
              std::vector<std::string>{"Mon 10:05:00 stretch natural", "Mon 10:05:00 walk natural"});
        CHECK(due_in(s, "posture") == minutes(20));             // restarted at 09:35 and not run since
        CHECK(due_in(s, "water") == minutes(45) - seconds(1));  // the second between the locks was present
    }
    SECTION("locked first, then idle since an earlier last input: one absence from that input") {
        pass(clock, s, minutes(5));  // 09:20, posture shown; last input
        pass(clock, s, minutes(5));
        s.set_away(Away::locked, true);  // 09:25: the screen saver locks
        pass(clock, s, minutes(5));
        s.set_away(Away::idle, true, clock.now() - minutes(10));  // 09:30: idle since 09:20
        pass(clock, s, minutes(2));
        s.set_away(Away::idle, false);
        s.set_away(Away::locked, false);  // 09:32: 12 minutes since the last input
        CHECK(rec.take_outcomes() ==
              std::vector<std::string>{"Mon 09:32:00 posture natural", "Mon 09:32:00 stretch natural"});
    }
    SECTION("an absence of no length credits nothing, even with idle_after = 0") {
        Profile zero = p;
        zero.general.idle_after = Duration::zero();
        s.replace_profile(zero);
        s.set_away(Away::locked, true);
        s.set_away(Away::locked, false);
        CHECK(rec.take_outcomes().empty());
        CHECK(due_in(s, "posture") == minutes(5));
    }
}

TEST_CASE("a new working day restarts every clock, however it began (rule 4)", "[core][presence][rule4]") {
    FakeClock clock(8, 0);
    WallRecorder rec(clock);
    Scheduler s(clock, day_profile(), rec);
    pass(clock, s, hours(8) + minutes(50));  // 16:50: water shown at 16:00, 50 of 60 minutes
    s.answer("water", Answer::done);
    s.answer("water", Answer::snooze);  // and put off: due at 17:05
    REQUIRE(due_in(s, "water") == minutes(15));
    REQUIRE(s.status()[1].snoozes == 1);
    rec.take_shows();

    auto fresh = [&] {
        CHECK(due_in(s, "water") == hours(1));
        CHECK(s.status()[1].snoozes == 0);
        CHECK(due_in(s, "posture") <= minutes(20));
    };
    SECTION("awake all night") {
        pass(clock, s, hours(16) + minutes(10));  // Tuesday 09:00
        CHECK(rec.take_shows() == std::vector<std::string>{"Mon 17:00:00 posture", "Mon 17:05:00 water",
                                                           "Mon 17:20:00 posture", "Mon 17:40:00 posture",
                                                           "Tue 08:20:00 posture", "Tue 08:40:00 posture",
                                                           "Tue 09:00:00 posture+water"});
    }
    SECTION("asleep over night, announced by logind") {
        s.set_away(Away::asleep, true);
        clock.suspend(hours(16) + minutes(10));  // Tuesday 09:00
        s.resumed_from_sleep(hours(16) + minutes(10));
        s.set_away(Away::asleep, false);
        fresh();
        CHECK(rec.take_shows().empty());
    }
    SECTION("asleep over night, logind's wake-up reported before the measured sleep") {
        s.set_away(Away::asleep, true);
        clock.suspend(hours(16) + minutes(10));
        s.set_away(Away::asleep, false);  // PrepareForSleep(false) first
        s.resumed_from_sleep(hours(16) + minutes(10));
        fresh();
        CHECK(rec.take_shows().empty());
    }
    SECTION("asleep over night, noticed only afterwards from the clocks") {
        clock.suspend(hours(16) + minutes(10));
        s.resumed_from_sleep(hours(16) + minutes(10));
        fresh();
        CHECK(rec.take_shows().empty());
    }
    SECTION("paused over night: the window opened while nobody looked") {
        s.pause();
        pass(clock, s, hours(16) + minutes(10));
        s.resume();
        fresh();
        CHECK(rec.take_shows().empty());
    }
    SECTION("limberd down over night: a new day, not a continuation (rule 7)") {
        const auto saved = s.snapshot();
        FakeClock later(9, 0);
        later.jump_wall(hours(24));  // Tuesday 09:00
        WallRecorder rec2(later);
        Scheduler restarted(later, day_profile(), rec2);
        restarted.restore(saved, hours(16) + minutes(10));
        CHECK(due_in(restarted, "water") == hours(1));
        CHECK(restarted.status()[1].snoozes == 0);
        CHECK(rec2.take_shows().empty());
    }
    SECTION("limberd crashed yesterday evening: the last save is from the old day, so a new one starts") {
        const auto saved = s.snapshot();
        FakeClock later(9, 0);
        later.jump_wall(hours(24));
        WallRecorder rec2(later);
        Scheduler restarted(later, day_profile(), rec2);
        restarted.restore(saved, hours(16) + minutes(10), false);
        CHECK(due_in(restarted, "water") == hours(1));
        CHECK(restarted.status()[1].snoozes == 0);
        CHECK(rec2.take_outcomes().empty());
    }
    SECTION("limberd restarted within the day continues") {
        const auto saved = s.snapshot();
        FakeClock later(16, 55);
        WallRecorder rec2(later);
        Scheduler restarted(later, day_profile(), rec2);
        restarted.restore(saved, minutes(5));
        CHECK(due_in(restarted, "water") == minutes(15));
        CHECK(restarted.status()[1].snoozes == 1);
    }
    SECTION("nudges left on screen overnight count as done (rule 3; water: ignored), whatever natural_break says") {
        pass(clock, s, minutes(50));  // 17:40: posture on screen, water shown at 17:05 on screen
        REQUIRE(s.on_screen() == std::vector<std::string>{"water", "posture"});
        rec.take_outcomes();
        pass(clock, s, hours(14) + minutes(30));  // Tuesday 08:10
        CHECK(rec.take_outcomes() ==
              std::vector<std::string>{"Tue 08:00:00 posture done", "Tue 08:00:00 water ignored"});
    }
}

TEST_CASE("a DST change overnight moves the morning's start, announced or not (rule 8)", "[core][presence][rule8]") {
    FakeClock clock(17, 0);
    WallRecorder rec(clock);
    Scheduler s(clock, day_profile(), rec);
    pass(clock, s, hours(9));  // Tuesday 02:00, clocks stopped at 18:00
    rec.take_shows();
    const bool announced = GENERATE(false, true);
    const auto shift = GENERATE(hours(1), -hours(1));  // spring forward, fall back
    CAPTURE(announced, shift.count());
    std::optional<Instant> timer = s.next_deadline();  // armed by the daemon at 18:00
    clock.jump_wall(shift);  // the system clock does not step for DST: usually nobody announces it
    if (announced) {
        s.wall_clock_changed();
        timer = s.next_deadline();  // the daemon re-arms after every input
    }
    REQUIRE(timer);
    clock.advance(*timer - clock.now());  // the timer fires as armed, whatever the wall clock did
    s.tick();
    pass(clock, s, hours(24 + 10) - clock.wall());  // to Tuesday 10:00 on the new wall clock
    CHECK(rec.take_shows() == std::vector<std::string>{"Tue 08:20:00 posture", "Tue 08:40:00 posture",
                                                       "Tue 09:00:00 posture+water", "Tue 09:20:00 posture",
                                                       "Tue 09:40:00 posture", "Tue 10:00:00 posture+water"});
}

TEST_CASE("a time-zone change moves the hours, never the clocks (rule 8)", "[core][presence][rule8]") {
    FakeClock clock(8, 0);
    WallRecorder rec(clock);
    Profile p = day_profile();
    p.reminders.push_back(make_reminder("stretch", Kind::stretch, minutes(45), minutes(2)));
    p.reminders.back().window = hours_window("08:00-18:00");
    Scheduler s(clock, p, rec);
    pass(clock, s, hours(1) + minutes(55));  // 09:55
    clock.advance(minutes(4));               // 09:59: the daemon has not looked since 09:55
    REQUIRE(due_in(s, "stretch") == minutes(16));
    REQUIRE(due_in(s, "water") == minutes(1));
    rec.take_outcomes();

    SECTION("back, landing just after the window opened: the same day goes on") {
        clock.jump_wall(-hours(1) - minutes(57));  // 08:02
        s.wall_clock_changed();
        CHECK(due_in(s, "stretch") == minutes(16));
        CHECK(due_in(s, "water") == minutes(1));
        CHECK(rec.take_outcomes().empty());
    }
    SECTION("forward out of the window: clocks stop and keep their value") {
        clock.jump_wall(hours(9));  // 18:59
        s.wall_clock_changed();
        CHECK(s.state() == State::off_hours);
        CHECK(due_in(s, "stretch") == minutes(16));
        CHECK_FALSE(s.status()[2].running);
        pass(clock, s, hours(2));
        CHECK(due_in(s, "water") == minutes(1));
        CHECK(rec.take_shows().size() == 7);  // those before the jump only
    }
    SECTION("an NTP step of a few seconds changes nothing") {
        clock.jump_wall(seconds(3));
        s.wall_clock_changed();
        CHECK(due_in(s, "stretch") == minutes(16));
        CHECK(s.state() == State::active);
        CHECK(rec.take_outcomes().empty());
    }
}

TEST_CASE("do-not-disturb holds due reminders with their clocks and releases them once", "[core][presence][dnd]") {
    FakeClock clock(9, 0);
    WallRecorder rec(clock);
    Profile p = day_profile();
    p.reminders.push_back(make_reminder("stretch", Kind::stretch, minutes(45), minutes(5)));
    Scheduler s(clock, p, rec);
    pass(clock, s, minutes(10));
    s.set_dnd(true);
    CHECK(s.state() == State::dnd);
    pass(clock, s, minutes(80));  // 10:30: posture (09:20…), stretch (09:45) and water (10:00) all due
    CHECK(rec.take_shows().empty());
    CHECK(due_in(s, "water") == Duration::zero());
    CHECK_FALSE(s.next_deadline() < clock.now() + hours(1));  // no busy waking while held

    SECTION("released merged, most overdue first, and only once") {
        s.set_dnd(false);
        CHECK(rec.take_shows() == std::vector<std::string>{"Mon 10:30:00 posture+stretch+water"});
        pass(clock, s, minutes(19));
        CHECK(rec.take_shows().empty());
        pass(clock, s, minutes(1));
        CHECK(rec.take_shows() == std::vector<std::string>{"Mon 10:50:00 posture"});
    }
    SECTION("an absence during the hold is a break: only what is still due goes out") {
        s.set_away(Away::locked, true);
        pass(clock, s, minutes(10));
        s.set_dnd(false);  // ends while away: nothing yet
        CHECK(rec.take_shows().empty());
        s.set_away(Away::locked, false);
        CHECK(rec.take_shows() == std::vector<std::string>{"Mon 10:40:00 water"});
    }
    SECTION("respect_dnd = false shows through it") {
        Profile through = p;
        through.general.respect_dnd = false;
        s.replace_profile(through);
        CHECK(rec.take_shows() == std::vector<std::string>{"Mon 10:30:00 posture+stretch+water"});
        CHECK(s.state() == State::active);
    }
}

TEST_CASE("no burst after a suspend or a long lock (rule 8)", "[core][presence][rule8]") {
    FakeClock clock(9, 0);
    WallRecorder rec(clock);
    Profile p = day_profile();
    p.reminders.push_back(make_reminder("stretch", Kind::stretch, minutes(45), minutes(5)));
    p.reminders.push_back(make_reminder("tea", Kind::hydration, minutes(50)));
    Scheduler s(clock, p, rec);
    s.set_dnd(true);
    pass(clock, s, hours(2));  // 11:00: everything overdue, held
    s.set_dnd(false);
    REQUIRE(rec.take_shows() == std::vector<std::string>{"Mon 11:00:00 posture+stretch+tea+water"});
    pass(clock, s, minutes(55));  // 11:55: water 55/60, tea 55/50 → tea shown at 11:50
    REQUIRE(rec.take_shows() == std::vector<std::string>{"Mon 11:20:00 posture", "Mon 11:40:00 posture",
                                                         "Mon 11:45:00 stretch", "Mon 11:50:00 tea"});
    s.set_dnd(true);
    pass(clock, s, minutes(35));  // 12:30: posture (12:00), water (12:00) and stretch (12:30) held
    CHECK(rec.take_shows().empty());
    const bool lock = GENERATE(true, false);
    CAPTURE(lock);
    if (lock) {
        s.set_away(Away::locked, true);
        pass(clock, s, hours(3));
        s.set_dnd(false);  // ends during the absence: nothing yet
        CHECK(rec.take_shows().empty());
        s.set_away(Away::locked, false);
    } else {
        s.set_away(Away::asleep, true);  // PrepareForSleep(true)
        clock.suspend(hours(3));
        s.set_dnd(false);
        s.resumed_from_sleep(hours(3));
        CHECK(rec.take_shows().empty());
        s.set_away(Away::asleep, false);
    }
    // Posture and stretch had their break; water is still due: it alone, once.
    CHECK(rec.take_shows() == std::vector<std::string>{"Mon 15:30:00 water"});
    pass(clock, s, minutes(15));
    CHECK(rec.take_shows() == std::vector<std::string>{"Mon 15:40:00 tea"});  // 40 of 50 before the absence
}

TEST_CASE("a night shift keeps its clocks when summer time ends under a long lock (rule 8)",
          "[core][presence][rule8]") {
    FakeClock clock(22, 0);  // Monday 22:00, the shift begins
    WallRecorder rec(clock);
    Profile p = day_profile();
    for (auto& r : p.reminders) r.window = hours_window("22:00-06:00");
    Scheduler s(clock, p, rec);
    TimerLoop loop(clock, s);
    loop.until(wall_at(0, 22, 30));
    REQUIRE(rec.take_shows() == std::vector<std::string>{"Mon 22:20:00 posture"});
    loop.input([&] { s.set_away(Away::locked, true); });
    loop.until(wall_at(1, 3, 0));
    clock.jump_wall(-hours(1));  // 03:00 becomes 02:00; nobody announces it
    loop.until(wall_at(1, 5, 0));
    loop.input([&] { s.set_away(Away::locked, false); });
    CHECK(due_in(s, "water") == minutes(30));  // the same shift: no fresh start
    CHECK(rec.take_outcomes() == std::vector<std::string>{"Tue 05:00:00 posture natural"});
}

TEST_CASE("a long window and a short night: a suspend over the closing still starts a new day",
          "[core][presence][rule4]") {
    FakeClock clock(22, 0);
    WallRecorder rec(clock);
    Profile p = day_profile();
    for (auto& r : p.reminders) r.window = hours_window("06:00-23:00");
    Scheduler s(clock, p, rec);
    pass(clock, s, minutes(50));  // 22:50: water 50 of 60
    const bool warned = GENERATE(false, true);
    CAPTURE(warned);
    if (warned) s.set_away(Away::asleep, true);
    clock.suspend(hours(7) + minutes(40));  // Tuesday 06:30
    if (warned) s.set_away(Away::asleep, false);
    s.resumed_from_sleep(hours(7) + minutes(40));
    CHECK(due_in(s, "water") == hours(1));
}
