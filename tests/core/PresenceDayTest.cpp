// A scripted working day and the morning after, as limberd would live it:
// every notification and outcome, at the wall time it happens.

#include "Harness.hpp"

using namespace limber::core;
using namespace limber::test;
using namespace std::chrono;

namespace {

using Lines = std::vector<std::string>;

/** posture (20m nudge), stretch (50m, a 5m break), water (1h, no natural break); mon-fri 08:00-18:00. */
Profile office() {
    Profile p;  // [general] defaults: idle_after 2m, merge_within 2m, snooze 5m, respect_dnd
    p.reminders.push_back(make_reminder("posture", Kind::posture, minutes(20)));
    p.reminders.push_back(make_reminder("stretch", Kind::stretch, minutes(50), minutes(5)));
    p.reminders.push_back(make_reminder("water", Kind::hydration, hours(1)));
    for (auto& r : p.reminders) r.window = hours_window("08:00-18:00", 0x1f);
    return p;
}

Duration due_in(const Scheduler& s, const std::string& name) {
    for (const auto& r : s.status())
        if (r.name == name) return r.due_in;
    return Duration::max();
}

}  // namespace

TEST_CASE("a scripted day: meeting, lunch, suspend, DND, DST overnight, a time-zone change, evening",
          "[core][presence][day]") {
    FakeClock clock(7, 50);  // Monday 07:50: limberd starts with the session
    WallRecorder rec(clock);
    Scheduler s(clock, office(), rec);
    TimerLoop loop(clock, s);
    constexpr int mon = 0, tue = 1;
    CHECK(s.state() == State::off_hours);

    // Arrive and work; answer a stretch, snooze a glass of water.
    loop.until(wall_at(mon, 8, 52));
    CHECK(rec.take_shows() == Lines{"Mon 08:20:00 posture", "Mon 08:40:00 posture", "Mon 08:50:00 stretch"});
    loop.input([&] { CHECK(s.answer("stretch", Answer::done) == Reply::ok); });
    loop.until(wall_at(mon, 9, 1));
    CHECK(rec.take_shows() == Lines{"Mon 09:00:00 posture+water"});
    loop.input([&] { CHECK(s.answer("water", Answer::snooze) == Reply::ok); });
    loop.until(wall_at(mon, 9, 7));
    CHECK(rec.take_shows() == Lines{"Mon 09:06:00 water"});
    CHECK(rec.notices.back().can_snooze);
    loop.input([&] { CHECK(s.answer("water", Answer::done) == Reply::ok); });
    loop.until(wall_at(mon, 9, 55));
    CHECK(rec.take_shows() == Lines{"Mon 09:20:00 posture", "Mon 09:40:00 posture+stretch"});
    CHECK(rec.take_outcomes() == Lines{"Mon 08:40:00 posture done",  // unanswered nudges count as done
                                       "Mon 08:52:00 stretch done", "Mon 09:00:00 posture done",
                                       "Mon 09:01:00 water snoozed", "Mon 09:07:00 water done",
                                       "Mon 09:20:00 posture done", "Mon 09:40:00 posture done"});

    // A meeting: the screen is locked for an hour. The notice on screen is credited, water waits.
    loop.input([&] { s.set_away(Away::locked, true); });
    CHECK(s.state() == State::away);
    loop.until(wall_at(mon, 10, 55));
    CHECK(rec.take_shows().empty());
    loop.input([&] { s.set_away(Away::locked, false); });
    CHECK(rec.take_outcomes() == Lines{"Mon 10:55:00 posture natural", "Mon 10:55:00 stretch natural"});
    CHECK(due_in(s, "water") == minutes(11));  // 49 of 60 minutes ran before the meeting
    CHECK(s.on_screen().empty());

    // Lunch: the last input at 12:00, idle noticed at 12:02, back at 12:50.
    loop.until(wall_at(mon, 12, 2));
    CHECK(rec.take_shows() == Lines{"Mon 11:06:00 water", "Mon 11:15:00 posture", "Mon 11:35:00 posture",
                                    "Mon 11:45:00 stretch", "Mon 11:55:00 posture"});
    loop.input([&] { s.set_away(Away::idle, true, clock.now() - minutes(2)); });
    loop.until(wall_at(mon, 12, 50));
    loop.input([&] { s.set_away(Away::idle, false); });
    rec.take_outcomes();
    CHECK(due_in(s, "water") == minutes(4));  // ran until idle was noticed: 56 of 60
    CHECK(due_in(s, "stretch") == minutes(50));

    // The afternoon; the lid is closed at 14:00 for 40 minutes.
    loop.until(wall_at(mon, 14, 0));
    CHECK(rec.take_shows() == Lines{"Mon 12:54:00 water", "Mon 13:10:00 posture", "Mon 13:30:00 posture",
                                    "Mon 13:40:00 stretch", "Mon 13:50:00 posture", "Mon 13:54:00 water"});
    rec.take_outcomes();
    loop.input([&] { s.set_away(Away::asleep, true); });  // PrepareForSleep(true)
    clock.suspend(minutes(40));
    loop.input([&] {
        s.resumed_from_sleep(minutes(40));  // CLOCK_BOOTTIME grew by 40 minutes more than CLOCK_MONOTONIC
        s.set_away(Away::asleep, false);
    });
    CHECK(rec.take_outcomes() == Lines{"Mon 14:40:00 posture natural", "Mon 14:40:00 stretch natural"});
    CHECK(rec.take_shows().empty());

    // A presentation: do-not-disturb from 15:50 to 16:25 holds posture and stretch, then one notice.
    loop.until(wall_at(mon, 15, 50));
    CHECK(rec.take_shows() == Lines{"Mon 15:00:00 posture", "Mon 15:20:00 posture", "Mon 15:30:00 stretch",
                                    "Mon 15:34:00 water", "Mon 15:40:00 posture"});
    loop.input([&] { s.set_dnd(true); });
    CHECK(s.state() == State::dnd);
    loop.until(wall_at(mon, 16, 25));
    CHECK(rec.take_shows().empty());
    loop.input([&] { s.set_dnd(false); });
    CHECK(rec.take_shows() == Lines{"Mon 16:25:00 posture+stretch"});

    // The end of working hours: nothing after 18:00; the screen is locked for the night at 18:10.
    loop.until(wall_at(mon, 18, 10));
    CHECK(rec.take_shows() == Lines{"Mon 16:34:00 water", "Mon 16:45:00 posture", "Mon 17:05:00 posture",
                                    "Mon 17:15:00 stretch", "Mon 17:25:00 posture", "Mon 17:34:00 water",
                                    "Mon 17:45:00 posture"});
    CHECK(s.state() == State::off_hours);
    rec.take_outcomes();
    loop.input([&] { s.set_away(Away::locked, true); });

    // Overnight, summer time begins: 02:00 becomes 03:00, and nobody announces it.
    loop.until(wall_at(tue, 2, 0));
    clock.jump_wall(hours(1));
    loop.until(wall_at(tue, 7, 45));
    loop.input([&] { s.set_away(Away::locked, false); });  // in early, before the window opens
    CHECK(s.state() == State::off_hours);
    loop.until(wall_at(tue, 10, 10));
    CHECK(rec.take_outcomes() == Lines{"Tue 07:45:00 posture natural", "Tue 07:45:00 stretch natural",
                                       "Tue 08:00:00 water ignored",  // on screen since yesterday: water, unanswered
                                       "Tue 08:40:00 posture done", "Tue 09:00:00 posture done",
                                       "Tue 09:20:00 posture done", "Tue 09:40:00 posture done",
                                       "Tue 09:40:00 stretch missed", "Tue 10:00:00 posture done",
                                       "Tue 10:00:00 water ignored"});
    CHECK(rec.take_shows() == Lines{"Tue 08:20:00 posture", "Tue 08:40:00 posture", "Tue 08:50:00 stretch",
                                    "Tue 09:00:00 posture+water", "Tue 09:20:00 posture",
                                    "Tue 09:40:00 posture+stretch", "Tue 10:00:00 posture+water"});

    // Travel: the time zone moves an hour west at 10:10, which is now 09:10. The clocks go on.
    const auto before = s.status();
    clock.jump_wall(-hours(1));
    loop.input([&] { s.wall_clock_changed(); });
    for (std::size_t i = 0; i < before.size(); ++i) CHECK(s.status()[i].due_in == before[i].due_in);
    loop.until(wall_at(tue, 18, 30));
    CHECK(rec.take_shows() == Lines{"Tue 09:20:00 posture",
                                    "Tue 09:30:00 stretch",
                                    "Tue 09:40:00 posture",
                                    "Tue 10:00:00 posture+water",
                                    "Tue 10:20:00 posture+stretch",
                                    "Tue 10:40:00 posture",
                                    "Tue 11:00:00 posture+water",
                                    "Tue 11:10:00 stretch",
                                    "Tue 11:20:00 posture",
                                    "Tue 11:40:00 posture",
                                    "Tue 12:00:00 posture+stretch+water",
                                    "Tue 12:20:00 posture",
                                    "Tue 12:40:00 posture",
                                    "Tue 12:50:00 stretch",
                                    "Tue 13:00:00 posture+water",
                                    "Tue 13:20:00 posture",
                                    "Tue 13:40:00 posture+stretch",
                                    "Tue 14:00:00 posture+water",
                                    "Tue 14:20:00 posture",
                                    "Tue 14:30:00 stretch",
                                    "Tue 14:40:00 posture",
                                    "Tue 15:00:00 posture+water",
                                    "Tue 15:20:00 posture+stretch",
                                    "Tue 15:40:00 posture",
                                    "Tue 16:00:00 posture+water",
                                    "Tue 16:10:00 stretch",
                                    "Tue 16:20:00 posture",
                                    "Tue 16:40:00 posture",
                                    "Tue 17:00:00 posture+stretch+water",
                                    "Tue 17:20:00 posture",
                                    "Tue 17:40:00 posture",
                                    "Tue 17:50:00 stretch"});
    CHECK(s.state() == State::off_hours);
    // Asleep until Wednesday's window: one wake two hours early, then the window's edge.
    CHECK(loop.armed == clock.now() + hours(11) + minutes(30));
}
