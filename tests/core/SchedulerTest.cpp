#include <limber/core/Checked.hpp>
#include <limber/core/Scheduler.hpp>

#include "FakeClock.hpp"

#include <catch2/catch.hpp>

#include <limits>
#include <map>
#include <random>

using namespace limber::core;
using namespace std::chrono;
using limber::test::FakeClock;

namespace {

/** Everything the scheduler decided, stamped with the minute of the fake clock. */
struct Recorder final : SchedulerListener {
    const FakeClock& clock;
    Instant start;
    std::vector<std::pair<double, Notice>> shows;
    std::vector<std::tuple<double, std::string, Outcome>> outcomes;

    explicit Recorder(const FakeClock& c) : clock(c), start(c.now()) {}
    double minute() const { return duration<double, std::ratio<60>>(clock.now() - start).count(); }
    void on_show(const Notice& n) override { shows.emplace_back(minute(), n); }
    void on_outcome(const std::string& name, Outcome o, bool) override { outcomes.emplace_back(minute(), name, o); }

    /** "20 posture", "60 posture+water": one line per notification. */
    std::vector<std::string> timeline() const {
        std::vector<std::string> out;
        for (const auto& [m, n] : shows) {
            std::string names;
            for (const auto& name : n.names) names += (names.empty() ? "" : "+") + name;
            char at[32];
            std::snprintf(at, sizeof at, "%g ", m);
            out.push_back(at + names);
        }
        return out;
    }
    int count(const std::string& name, Outcome o) const {
        int n = 0;
        for (const auto& [m, who, what] : outcomes) n += who == name && what == o;
        return n;
    }
};

Reminder reminder(std::string name, Kind kind, Duration every, Duration length = {}) {
    Reminder r;
    r.name = std::move(name);
    r.kind = kind;
    r.every = every;
    r.duration = length;
    r.title = std::string(kind_defaults(kind).title);
    r.message = std::string(kind_defaults(kind).message);
    r.natural_break = kind != Kind::hydration;
    return r;
}

Profile office_profile() {
    Profile p;
    p.general.merge_within = minutes(2);
    p.reminders.push_back(reminder("posture", Kind::posture, minutes(20)));
    p.reminders.push_back(reminder("stretch", Kind::stretch, minutes(45), minutes(2)));
    p.reminders.push_back(reminder("water", Kind::hydration, hours(1)));
    p.reminders[0].tips = {"tip A", "tip B"};
    return p;
}

/** Lets time pass, waking exactly at each deadline like the daemon's timer does. */
void run_for(FakeClock& clock, Scheduler& s, Duration span) {
    const Instant end = clock.now() + span;
    for (;;) {
        auto deadline = s.next_deadline();
        if (!deadline || *deadline > end) break;
        REQUIRE(*deadline >= clock.now());  // never a deadline in the past: that would busy-loop
        clock.advance(*deadline - clock.now());
        s.tick();
    }
    clock.advance(end - clock.now());
    s.tick();
}

}  // namespace

TEST_CASE("a working morning: exact show times, merging and outcomes", "[core][scheduler]") {
    FakeClock clock;
    Recorder rec(clock);
    Scheduler s(clock, office_profile(), rec);
    run_for(clock, s, hours(2) + minutes(20));
    CHECK(rec.timeline() == std::vector<std::string>{"20 posture", "40 posture", "45 stretch", "60 posture+water",
                                                     "80 posture", "90 stretch", "100 posture", "120 posture+water",
                                                     "135 stretch", "140 posture"});
    // Unanswered nudges count as done, unanswered breaks as missed, when shown again.
    CHECK(rec.count("posture", Outcome::done) == 6);
    CHECK(rec.count("stretch", Outcome::missed) == 2);
    CHECK(rec.count("posture", Outcome::missed) == 0);
    // Tips rotate in order; the merged notice has a short title and one line per reminder, no tip.
    CHECK(rec.shows[0].second.tip == "tip A");
    CHECK(rec.shows[1].second.tip == "tip B");
    CHECK(rec.shows[3].second.title == "2 reminders");
    CHECK(rec.shows[3].second.tip.empty());
    CHECK(rec.shows[4].second.tip == "tip A");                                // the merged showing took none
    CHECK(rec.shows[2].second.length == minutes(2));                          // stretch: a break
    CHECK(rec.shows[0].second.length == Duration::zero());                    // posture: a nudge
    CHECK(rec.shows[3].second.message == "Posture check\nDrink some water");  // one title per line
    CHECK(rec.shows[3].second.urgency == Urgency::normal);
}

TEST_CASE("reminders due within merge_within share one notice; the earliest time wins", "[core][scheduler]") {
    FakeClock clock;
    Recorder rec(clock);
    Profile p = office_profile();
    p.general.merge_within = minutes(5);
    Scheduler s(clock, p, rec);
    run_for(clock, s, minutes(46));
    // Stretch (45) is due 5 minutes after posture (40): it comes along at 40 and restarts from there.
    CHECK(rec.timeline() == std::vector<std::string>{"20 posture", "40 posture+stretch"});
    run_for(clock, s, minutes(50));
    CHECK(rec.timeline().back() == "80 posture+stretch");
}

TEST_CASE("merge_within = 0s never merges", "[core][scheduler]") {
    FakeClock clock;
    Recorder rec(clock);
    Profile p;
    p.general.merge_within = seconds(0);
    p.reminders.push_back(reminder("a", Kind::posture, minutes(10)));
    p.reminders.push_back(reminder("b", Kind::eyes, minutes(11)));
    Scheduler s(clock, p, rec);
    run_for(clock, s, minutes(12));
    CHECK(rec.timeline() == std::vector<std::string>{"10 a", "11 b"});
}

TEST_CASE("merge_within = 0s never merges, even two reminders due in the same second", "[core][scheduler]") {
    FakeClock clock;
    Recorder rec(clock);
    Profile p;
    p.general.merge_within = seconds(0);
    p.reminders.push_back(reminder("a", Kind::posture, minutes(10)));
    p.reminders.push_back(reminder("b", Kind::eyes, minutes(10)));
    Scheduler s(clock, p, rec);
    run_for(clock, s, minutes(11));
    // Two notices, a second apart: unmerged, and never two at one instant (no burst).
    CHECK(rec.timeline() == std::vector<std::string>{"10 a", "10.0167 b"});
    // What do-not-disturb held still goes out as one notice when it ends.
    s.set_dnd(true);
    run_for(clock, s, minutes(10));
    s.set_dnd(false);
    CHECK(rec.timeline().back() == "21 a+b");
}

TEST_CASE("a notice closed without a button: dismissed, or expired and decided at once", "[core][scheduler][closed]") {
    FakeClock clock;
    Recorder rec(clock);
    Profile p = office_profile();
    p.general.merge_within = seconds(0);
    Scheduler s(clock, p, rec);
    auto on_screen = [&](const std::string& name) {
        for (const auto& r : s.status())
            if (r.name == name) return r.on_screen;
        FAIL("no reminder " << name);
        return false;
    };

    SECTION("dismissed by the person: that outcome, at once, and the count-down starts from the showing") {
        run_for(clock, s, minutes(25));  // posture shown at 20
        REQUIRE(on_screen("posture"));
        CHECK(s.closed("posture", CloseReason::dismissed) == Reply::ok);
        CHECK(rec.count("posture", Outcome::dismissed) == 1);
        CHECK_FALSE(on_screen("posture"));
        CHECK(s.on_screen().empty());
        CHECK(s.status()[0].due_in == minutes(15));
        // A second close of the same showing, or one of a reminder not on screen, changes nothing.
        s.closed("posture", CloseReason::dismissed);
        s.closed("water", CloseReason::expired);
        CHECK(rec.outcomes.size() == 1);
        // The next showing settles nothing more: the dismissed one was already decided.
        run_for(clock, s, minutes(16));
        CHECK(rec.count("posture", Outcome::done) == 0);
        CHECK(rec.outcomes.size() == 1);
    }
    SECTION("closed by limberd (reason 3) means nothing") {
        run_for(clock, s, minutes(21));
        s.closed("posture", CloseReason::by_limber);
        CHECK(rec.outcomes.empty());
        CHECK(on_screen("posture"));
    }
    SECTION("expired: missed for a break, done for a nudge, ignored for a hydration nudge") {
        run_for(clock, s, minutes(61));  // posture 20, 40, stretch 45, posture and water 60
        rec.outcomes.clear();
        REQUIRE(on_screen("stretch"));
        s.closed("stretch", CloseReason::expired);
        s.closed("posture", CloseReason::undefined);
        s.closed("water", CloseReason::expired);
        CHECK(rec.count("stretch", Outcome::missed) == 1);
        CHECK(rec.count("posture", Outcome::done) == 1);
        CHECK(rec.count("water", Outcome::ignored) == 1);
        CHECK(rec.count("water", Outcome::done) == 0);
        CHECK(s.on_screen().empty());
        for (const auto& [m, name, o] : rec.outcomes) CHECK(m == 61);  // decided now, not when next shown
    }
    SECTION("unknown names are refused") { CHECK(s.closed("nope", CloseReason::dismissed) == Reply::unknown_reminder); }
}

TEST_CASE("a hydration nudge left unanswered until its next showing is ignored, not done", "[core][scheduler]") {
    FakeClock clock;
    Recorder rec(clock);
    Scheduler s(clock, office_profile(), rec);
    run_for(clock, s, minutes(125));  // water shown at 60 and 120
    CHECK(rec.count("water", Outcome::ignored) == 1);
    CHECK(rec.count("water", Outcome::done) == 0);
    CHECK(rec.count("posture", Outcome::done) == 5);  // other nudges still count done
}

TEST_CASE("snooze postpones from now, up to max_snoozes", "[core][scheduler]") {
    FakeClock clock;
    Recorder rec(clock);
    Profile p;
    p.general.max_snoozes = 2;
    p.general.snooze = minutes(5);
    p.reminders.push_back(reminder("posture", Kind::posture, minutes(20)));
    Scheduler s(clock, p, rec);
    run_for(clock, s, minutes(21));
    REQUIRE(rec.timeline() == std::vector<std::string>{"20 posture"});
    CHECK(rec.shows.back().second.can_snooze);
    CHECK(s.answer("posture", Answer::snooze) == Reply::ok);  // at 21: due again at 26
    run_for(clock, s, minutes(6));
    REQUIRE(rec.timeline().back() == "26 posture");
    CHECK(rec.shows.back().second.can_snooze);
    CHECK(s.answer("posture", Answer::snooze, minutes(1)) == Reply::ok);  // at 27, --for 1m: due at 28
    run_for(clock, s, minutes(2));
    REQUIRE(rec.timeline().back() == "28 posture");
    CHECK_FALSE(rec.shows.back().second.can_snooze);
    CHECK(s.answer("posture", Answer::snooze) == Reply::snooze_limit);
    CHECK(s.answer("posture", Answer::done) == Reply::ok);
    CHECK(rec.count("posture", Outcome::snoozed) == 2);
    CHECK(rec.count("posture", Outcome::done) == 1);
    // Done resets the count: the next showing (28 + 20) may be snoozed again.
    run_for(clock, s, minutes(20));
    CHECK(rec.timeline().back() == "48 posture");
    CHECK(rec.shows.back().second.can_snooze);
    CHECK(s.answer("nope", Answer::done) == Reply::unknown_reminder);
}

TEST_CASE("max_snoozes = 0 means no limit", "[core][scheduler]") {
    FakeClock clock;
    Recorder rec(clock);
    Profile p;
    p.general.max_snoozes = 0;
    p.reminders.push_back(reminder("posture", Kind::posture, minutes(20)));
    Scheduler s(clock, p, rec);
    for (int i = 0; i < 10; ++i) CHECK(s.answer("posture", Answer::snooze) == Reply::ok);
}

TEST_CASE("snoozing a reminder not yet due postpones it by the snooze length", "[core][scheduler]") {
    FakeClock clock;
    Recorder rec(clock);
    Profile p;
    p.reminders.push_back(reminder("posture", Kind::posture, minutes(20)));
    Scheduler s(clock, p, rec);
    run_for(clock, s, minutes(10));
    s.answer("posture", Answer::snooze);
    CHECK(s.status()[0].due_in == minutes(15));
    run_for(clock, s, minutes(16));
    CHECK(rec.timeline() == std::vector<std::string>{"25 posture"});
}

TEST_CASE("done and skip answer the notice on screen; the clock keeps running from the showing", "[core][scheduler]") {
    FakeClock clock;
    Recorder rec(clock);
    Profile p = office_profile();
    Scheduler s(clock, p, rec);
    run_for(clock, s, minutes(46));  // stretch shown at 45
    CHECK(s.on_screen() == std::vector<std::string>{"posture", "stretch"});
    CHECK(s.answer("stretch", Answer::skip) == Reply::ok);
    CHECK(rec.count("stretch", Outcome::skipped) == 1);
    CHECK(s.status()[1].due_in == minutes(44));
    CHECK(s.on_screen() == std::vector<std::string>{"posture"});
    // Done on a reminder that is not on screen means "did it now": its clock restarts.
    CHECK(s.answer("water", Answer::done) == Reply::ok);
    CHECK(s.status()[2].due_in == hours(1));
}

TEST_CASE("pause freezes every clock; resume continues; a timed pause ends by itself", "[core][scheduler]") {
    FakeClock clock;
    Recorder rec(clock);
    Profile p;
    p.reminders.push_back(reminder("posture", Kind::posture, minutes(20)));
    Scheduler s(clock, p, rec);
    run_for(clock, s, minutes(10));
    SECTION("until resume") {
        s.pause();
        CHECK(s.state() == State::paused);
        CHECK_FALSE(s.next_deadline());  // nothing to wake for
        run_for(clock, s, hours(3));
        CHECK(rec.shows.empty());
        CHECK(s.status()[0].due_in == minutes(10));
        s.resume();
        run_for(clock, s, minutes(11));
        CHECK(rec.timeline() == std::vector<std::string>{"200 posture"});  // 10 + 180 paused + 10
    }
    SECTION("timed") {
        s.pause(minutes(30));
        CHECK(s.next_deadline() == clock.now() + minutes(30));
        run_for(clock, s, minutes(31));
        CHECK_FALSE(s.paused());
        CHECK(rec.shows.empty());
        run_for(clock, s, minutes(10));
        CHECK(rec.timeline() == std::vector<std::string>{"50 posture"});
    }
    SECTION("trigger shows now even while paused, and restarts the clock") {
        s.pause();
        CHECK(s.trigger("posture") == Reply::ok);
        CHECK(rec.timeline() == std::vector<std::string>{"10 posture"});
        CHECK(s.trigger("nope") == Reply::unknown_reminder);
        s.resume();
        run_for(clock, s, minutes(21));
        CHECK(rec.timeline().back() == "30 posture");
    }
}

TEST_CASE("being away long enough counts as the break (rule 4)", "[core][scheduler][presence]") {
    FakeClock clock;
    Recorder rec(clock);
    Scheduler s(clock, office_profile(), rec);
    run_for(clock, s, minutes(30));  // posture shown at 20; stretch at 30 of 45; water 30 of 60
    SECTION("idle past idle_after: nudges and short breaks are credited; hydration is not") {
        // Idle detected at 32, last input at 30 (idle_after = 2m).
        clock.advance(minutes(2));
        s.set_away(Away::idle, true, clock.now() - minutes(2));
        CHECK(s.state() == State::away);
        clock.advance(minutes(3));
        s.set_away(Away::idle, false);  // back at 35: away for 5 min
        CHECK(rec.count("posture", Outcome::natural) == 1);
        CHECK(rec.count("stretch", Outcome::natural) == 1);
        CHECK(rec.count("water", Outcome::natural) == 0);
        auto st = s.status();
        CHECK(st[0].due_in == minutes(20));
        CHECK(st[1].due_in == minutes(45));
        CHECK(st[2].due_in == minutes(28));  // water ran 32 of 60 and froze while away
    }
    SECTION("a short absence credits only nudges") {
        s.set_away(Away::locked, true);
        clock.advance(seconds(90));
        s.set_away(Away::locked, false);
        CHECK(rec.count("posture", Outcome::natural) == 0);  // 90 s < idle_after
        s.set_away(Away::locked, true);
        clock.advance(seconds(119));
        s.set_away(Away::locked, false);
        CHECK(rec.count("stretch", Outcome::natural) == 0);  // 119 s < 2 min
        s.set_away(Away::locked, true);
        clock.advance(seconds(120));
        s.set_away(Away::locked, false);
        CHECK(rec.count("posture", Outcome::natural) == 1);
        CHECK(rec.count("stretch", Outcome::natural) == 1);
    }
    SECTION("overlapping reasons are one absence") {
        s.set_away(Away::idle, true);
        clock.advance(minutes(1));
        s.set_away(Away::locked, true);
        clock.advance(minutes(1));
        s.set_away(Away::idle, false);
        CHECK(s.state() == State::away);
        clock.advance(minutes(1));
        s.set_away(Away::locked, false);
        CHECK(s.state() == State::active);
        CHECK(rec.count("stretch", Outcome::natural) == 1);  // 3 min together
    }
    SECTION("a break on screen is settled as natural when the person leaves long enough") {
        run_for(clock, s, minutes(15));  // stretch shown at 45
        REQUIRE(s.on_screen() == std::vector<std::string>{"posture", "stretch"});
        s.set_away(Away::idle, true);
        clock.advance(minutes(4));
        s.set_away(Away::idle, false);
        CHECK(s.on_screen().empty());
        CHECK(rec.count("stretch", Outcome::natural) == 1);
        CHECK(rec.count("stretch", Outcome::missed) == 0);
    }
    SECTION("natural_break = false keeps the clock") {
        Profile p = office_profile();
        p.reminders[1].natural_break = false;
        s.replace_profile(p);
        s.set_away(Away::idle, true);
        clock.advance(minutes(30));
        s.set_away(Away::idle, false);
        CHECK(s.status()[1].due_in == minutes(15));
    }
}

TEST_CASE("suspend counts as away and never releases a burst (rule 8)", "[core][scheduler][presence]") {
    FakeClock clock;
    Recorder rec(clock);
    Scheduler s(clock, office_profile(), rec);
    run_for(clock, s, minutes(50));
    const auto shown_before = rec.shows.size();
    SECTION("detected afterwards from the clocks") {
        s.resumed_from_sleep(hours(3));  // the monotonic clock did not move
        CHECK(rec.shows.size() == shown_before);
        CHECK(s.status()[0].due_in == minutes(20));
        CHECK(s.status()[1].due_in == minutes(45));
        CHECK(s.status()[2].due_in == minutes(10));  // hydration keeps its clock
    }
    SECTION("announced by logind, then measured") {
        s.set_away(Away::asleep, true);
        s.resumed_from_sleep(minutes(10));
        s.set_away(Away::asleep, false);
        CHECK(rec.count("stretch", Outcome::natural) == 1);
        CHECK(rec.shows.size() == shown_before);
    }
}

TEST_CASE("do-not-disturb holds due reminders and releases them as one notice", "[core][scheduler][presence]") {
    FakeClock clock;
    Recorder rec(clock);
    Scheduler s(clock, office_profile(), rec);
    run_for(clock, s, minutes(19));
    s.set_dnd(true);
    CHECK(s.state() == State::dnd);
    run_for(clock, s, minutes(60));  // posture (20, 40…), stretch (45) and water (60) fall due
    CHECK(rec.shows.empty());
    s.set_dnd(false);
    CHECK(rec.timeline() == std::vector<std::string>{"79 posture+stretch+water"});
    SECTION("unless respect_dnd = false") {
        Profile p = office_profile();
        p.general.respect_dnd = false;
        s.replace_profile(p);
        s.set_dnd(true);
        CHECK(s.state() == State::active);
        run_for(clock, s, minutes(21));
        CHECK(rec.timeline().back() == "99 posture");
    }
}

TEST_CASE("working hours: silent outside, a fresh start each morning, wall jumps move hours not clocks",
          "[core][scheduler][presence]") {
    FakeClock clock(8, 0);  // Monday 08:00
    Recorder rec(clock);
    Profile p = office_profile();
    for (auto& r : p.reminders) r.window = parse_hours("08:00-18:00").value.value();
    p.reminders[0].window.days = 0x1f;  // posture mon-fri
    Scheduler s(clock, p, rec);
    run_for(clock, s, hours(9) + minutes(55));  // to 17:55
    const auto monday = rec.shows.size();
    const auto day = rec.timeline();
    CHECK(std::find(day.begin(), day.end(), "580 posture") != day.end());
    CHECK(day.back() == "585 stretch");
    run_for(clock, s, minutes(10));  // 18:05
    CHECK(s.state() == State::off_hours);
    // The evening and night: nothing, and no tick: one wake two hours before the morning edge
    // (to re-read the wall clock, which a DST change moves unannounced), then the edge itself.
    CHECK(s.next_deadline() == clock.now() + hours(11) + minutes(55));
    run_for(clock, s, hours(11) + minutes(55));  // 06:00
    CHECK(s.next_deadline() == clock.now() + hours(2));
    run_for(clock, s, hours(2) + minutes(5));  // Tuesday 08:05
    CHECK(rec.shows.size() == monday);
    CHECK(s.state() == State::active);
    run_for(clock, s, minutes(16));  // 08:21
    // Every clock restarted at 08:00: posture at 08:20 (minute 1460), not a burst at 08:00.
    CHECK(rec.timeline().back() == "1460 posture");
    CHECK(rec.shows.size() == monday + 1);

    SECTION("a time-zone change moves the hours, never the clocks") {
        const auto due = s.status()[1].due_in;
        clock.jump_wall(hours(2));  // now 10:21 on the wall
        s.wall_clock_changed();
        CHECK(s.status()[1].due_in == due);
        clock.jump_wall(hours(8));  // 18:21: off hours
        s.wall_clock_changed();
        CHECK(s.state() == State::off_hours);
        run_for(clock, s, hours(1));
        CHECK(rec.shows.size() == monday + 1);
    }
    SECTION("the weekend is off for posture only") {
        run_for(clock, s, hours(24 * 4));  // to Saturday 08:21
        const auto before = rec.shows.size();
        run_for(clock, s, hours(2));
        for (auto i = before; i < rec.shows.size(); ++i)
            CHECK(std::find(rec.shows[i].second.names.begin(), rec.shows[i].second.names.end(), "posture") ==
                  rec.shows[i].second.names.end());
        CHECK(rec.shows.size() > before);  // stretch and water still run on Saturday
    }
}

TEST_CASE("reload keeps the clocks of reminders that remain", "[core][scheduler]") {
    FakeClock clock;
    Recorder rec(clock);
    Scheduler s(clock, office_profile(), rec);
    run_for(clock, s, minutes(30));
    Profile p = office_profile();
    p.reminders.erase(p.reminders.begin() + 1);                        // stretch removed
    p.reminders.push_back(reminder("eyes", Kind::eyes, minutes(20)));  // new
    p.reminders[1].every = minutes(40);                                // water shortened
    s.replace_profile(p);
    auto st = s.status();
    REQUIRE(st.size() == 3);
    CHECK(st[0].due_in == minutes(10));
    CHECK(st[1].due_in == minutes(10));
    CHECK(st[2].due_in == minutes(20));
}

TEST_CASE("disabled reminders and empty profiles idle without deadlines", "[core][scheduler]") {
    FakeClock clock;
    Recorder rec(clock);
    Profile p = office_profile();
    for (auto& r : p.reminders) r.enabled = false;
    Scheduler s(clock, p, rec);
    CHECK_FALSE(s.next_deadline());
    CHECK(s.answer("posture", Answer::done) == Reply::disabled);
    Scheduler empty(clock, Profile{}, rec);
    CHECK_FALSE(empty.next_deadline());
    CHECK(empty.state() == State::active);
}

TEST_CASE("a long simulated week of many reminders", "[core][scheduler][long]") {
    FakeClock clock(0, 0);
    Recorder rec(clock);
    Profile p;
    p.general.merge_within = seconds(0);
    const std::vector<int> every_minutes{7, 11, 13, 20, 30, 45, 60, 90, 120, 240};
    for (std::size_t i = 0; i < every_minutes.size(); ++i)
        p.reminders.push_back(reminder("r" + std::to_string(i), Kind::custom, minutes(every_minutes[i])));
    Scheduler s(clock, p, rec);
    // A minute more than the week: reminders falling due together go out a second apart, unmerged,
    // and each restarts its clock when shown, so the last showings come a few seconds late.
    run_for(clock, s, hours(24 * 7) + minutes(1));
    std::map<std::string, int> shown;
    for (const auto& [m, n] : rec.shows)
        for (const auto& name : n.names) ++shown[name];
    for (std::size_t i = 0; i < every_minutes.size(); ++i)
        CHECK(shown["r" + std::to_string(i)] == 7 * 24 * 60 / every_minutes[i]);
}

TEST_CASE("random presence never shows early, while paused or while away", "[core][scheduler][property]") {
    for (unsigned seed = 1; seed <= 20; ++seed) {
        CAPTURE(seed);
        FakeClock clock;
        std::mt19937 rng(seed);
        struct Watch final : SchedulerListener {
            Scheduler* s = nullptr;
            Duration present{};
            std::map<std::string, Duration> last;
            std::map<std::string, Duration> every;
            int violations = 0, shows = 0;
            void on_show(const Notice& n) override {
                ++shows;
                if (s->paused() || s->state() == State::away) ++violations;
                for (const auto& name : n.names) {
                    if (last.count(name) && present - last[name] < every[name]) ++violations;
                    last[name] = present;
                }
            }
            void on_outcome(const std::string&, Outcome, bool) override {}
        } watch;
        Profile p;
        p.general.merge_within = seconds(0);
        for (int i = 0; i < 4; ++i) {
            p.reminders.push_back(
                reminder("r" + std::to_string(i), Kind::posture, minutes(5 + 7 * i), i % 2 ? minutes(1) : Duration{}));
            watch.every["r" + std::to_string(i)] = minutes(5 + 7 * i);
        }
        Scheduler s(clock, p, watch);
        watch.s = &s;
        bool away = false, paused = false;
        for (int step = 0; step < 400; ++step) {
            // Let a random amount of time pass, waking at deadlines, counting present time ourselves.
            Duration left = seconds(std::uniform_int_distribution<int>(1, 900)(rng));
            while (left > Duration::zero()) {
                auto d = s.next_deadline();
                Duration step_len = left;
                if (d && *d - clock.now() < left) step_len = *d - clock.now();
                clock.advance(step_len);
                if (!away && !paused) watch.present += step_len;
                left -= step_len;
                s.tick();
            }
            switch (std::uniform_int_distribution<int>(0, 3)(rng)) {
                case 0:
                    away = !away;
                    s.set_away(Away::locked, away);
                    break;
                case 1:
                    paused = !paused;
                    paused ? s.pause() : s.resume();
                    break;
                default:
                    break;
            }
        }
        CHECK(watch.violations == 0);
        CHECK(watch.shows > 0);
    }
}

TEST_CASE("plan() runs a copy of the scheduler forward without touching the real one", "[core][scheduler][plan]") {
    FakeClock clock;
    Recorder rec(clock);
    Scheduler s(clock, office_profile(), rec);
    run_for(clock, s, minutes(10));
    const auto before = s.status();
    const auto plan = s.plan(hours(1));
    std::vector<std::string> seen;
    for (const auto& p : plan) {
        std::string names;
        for (const auto& n : p.names) names += (names.empty() ? "" : "+") + n;
        seen.push_back(std::to_string(duration_cast<minutes>(p.after).count()) + " " + names);
    }
    // From minute 10: posture at 20, 40, 60; stretch at 45; water with posture at 60.
    CHECK(seen == std::vector<std::string>{"10 posture", "30 posture", "35 stretch", "50 posture+water"});
    CHECK(rec.shows.empty());
    CHECK(s.status()[0].due_in == before[0].due_in);
    SECTION("a timed pause in the plan") {
        s.pause(minutes(30));
        const auto paused_plan = s.plan(hours(1));
        REQUIRE_FALSE(paused_plan.empty());
        CHECK(paused_plan.front().after == minutes(40));
    }
}

TEST_CASE("snapshot and restore continue clocks, snoozes and pauses across a restart", "[core][scheduler][state]") {
    FakeClock clock;
    Recorder rec(clock);
    Scheduler s(clock, office_profile(), rec);
    run_for(clock, s, minutes(21));
    s.answer("posture", Answer::snooze);  // due at 26
    const auto saved = s.snapshot();

    FakeClock later;  // a new process: a different monotonic origin
    Recorder rec2(later);
    Scheduler restarted(later, office_profile(), rec2);
    SECTION("a quick restart loses nothing and shows nothing twice") {
        restarted.restore(saved, seconds(5));
        CHECK(rec2.shows.empty());
        auto st = restarted.status();
        CHECK(st[0].due_in == minutes(5));
        CHECK(st[0].snoozes == 1);
        CHECK(st[1].due_in == minutes(24));
        CHECK(st[2].due_in == minutes(39));
    }
    SECTION("a long downtime counts as a break, except for water") {
        restarted.restore(saved, minutes(30));
        auto st = restarted.status();
        CHECK(st[0].due_in == minutes(20));
        CHECK(st[1].due_in == minutes(45));
        CHECK(st[2].due_in == minutes(39));
    }
    SECTION("after a crash the clocks go on from the last save, never reset by the gap") {
        restarted.restore(saved, minutes(30), false);
        auto st = restarted.status();
        CHECK(st[0].due_in == minutes(5));
        CHECK(st[1].due_in == minutes(24));
        CHECK(st[2].due_in == minutes(39));
        CHECK(rec2.outcomes.empty());
    }
    SECTION("a timed pause that ended while limberd was down is over") {
        s.pause(minutes(10));
        restarted.restore(s.snapshot(), minutes(11));
        CHECK_FALSE(restarted.paused());
    }
    SECTION("a timed pause still running continues with what is left") {
        s.pause(minutes(10));
        restarted.restore(s.snapshot(), minutes(4));
        CHECK(restarted.paused());
        CHECK(restarted.paused_until() == later.now() + minutes(6));
    }
    SECTION("a pause until resume survives") {
        s.pause();
        restarted.restore(s.snapshot(), hours(1));
        CHECK(restarted.paused());
        CHECK_FALSE(restarted.paused_until());
    }
}

namespace {

/** Nothing shows at once and the next wake-up is ahead of now and within the longest duration. */
void require_quiet_and_finite(FakeClock& clock, Scheduler& s, Recorder& rec) {
    const auto shows = rec.shows.size();
    s.tick();
    CHECK(rec.shows.size() == shows);
    const auto deadline = s.next_deadline();
    if (deadline) {
        CHECK(*deadline > clock.now());  // a deadline at or before now would busy-loop
        CHECK(*deadline - clock.now() <= longest_duration);
    }
    // And time moves on without a burst.
    run_for(clock, s, minutes(1));
    CHECK(rec.shows.size() == shows);
}

}  // namespace

TEST_CASE("huge pauses and snoozes saturate: nothing shown at once, no deadline in the past",
          "[core][scheduler][checked]") {
    FakeClock clock;
    Recorder rec(clock);
    Profile p;
    p.general.max_snoozes = 0;  // no limit: snoozes add up
    p.reminders.push_back(reminder("posture", Kind::posture, minutes(20)));
    Scheduler s(clock, p, rec);
    run_for(clock, s, minutes(10));
    SECTION("a pause of Duration::max() lasts the longest duration") {
        s.pause(Duration::max());
        REQUIRE(s.paused_until());
        CHECK(*s.paused_until() == clock.now() + longest_duration);
        require_quiet_and_finite(clock, s, rec);
        CHECK(s.paused());
    }
    SECTION("a negative pause ends at once and shows nothing early") {
        s.pause(-hours(5));
        run_for(clock, s, minutes(1));
        CHECK_FALSE(s.paused());
        CHECK(rec.shows.empty());
        CHECK(s.status()[0].due_in == minutes(9));
    }
    SECTION("snoozes of Duration::max(), again and again, postpone by the longest duration at most") {
        for (int i = 0; i < 5000; ++i) REQUIRE(s.answer("posture", Answer::snooze, Duration::max()) == Reply::ok);
        CHECK(s.status()[0].due_in == longest_duration);
        CHECK(s.status()[0].snoozes == 5000);
        require_quiet_and_finite(clock, s, rec);
    }
    SECTION("snoozes of the longest duration add up to no more than it") {
        for (int i = 0; i < 3000; ++i) REQUIRE(s.answer("posture", Answer::snooze, longest_duration) == Reply::ok);
        CHECK(s.status()[0].due_in == longest_duration);
        require_quiet_and_finite(clock, s, rec);
    }
    SECTION("snoozed on screen for Duration::max()") {
        run_for(clock, s, minutes(10));
        REQUIRE(s.on_screen() == std::vector<std::string>{"posture"});
        REQUIRE(s.answer("posture", Answer::snooze, Duration::max()) == Reply::ok);
        CHECK(s.status()[0].due_in == longest_duration);
        require_quiet_and_finite(clock, s, rec);
    }
}

TEST_CASE("a restored state with absurd numbers is held in range", "[core][scheduler][checked]") {
    FakeClock clock;
    Recorder rec(clock);
    Profile p;
    p.general.max_snoozes = 0;
    p.reminders.push_back(reminder("posture", Kind::posture, minutes(20)));
    Scheduler s(clock, p, rec);
    SchedulerSnapshot saved;
    saved.clocks.push_back({"posture", Duration::zero(), Duration::max(), std::numeric_limits<int>::max(), true, 0});
    saved.paused = true;
    saved.pause_left = Duration::max();
    SECTION("a snoozed target and a pause of Duration::max()") {
        s.restore(saved, seconds(5));
        REQUIRE(s.paused_until());
        CHECK(*s.paused_until() - clock.now() <= longest_duration);
        require_quiet_and_finite(clock, s, rec);
        s.resume();
        CHECK(s.status()[0].due_in == longest_duration);
        require_quiet_and_finite(clock, s, rec);
        CHECK(s.status()[0].snoozes == std::numeric_limits<int>::max());
        // The snooze count saturates too.
        CHECK(s.answer("posture", Answer::snooze) == Reply::ok);
        CHECK(s.status()[0].snoozes == std::numeric_limits<int>::max());
    }
    SECTION("down for Duration::max(): the pause is over, the day a new one") {
        s.restore(saved, Duration::max());
        CHECK_FALSE(s.paused());
        require_quiet_and_finite(clock, s, rec);
    }
    SECTION("negative clocks and counts count as zero") {
        saved.clocks[0] = {"posture", -hours(1), -hours(1), -4, true, 0};
        saved.paused = false;
        s.restore(saved, Duration::min(), false);
        CHECK(s.status()[0].snoozes == 0);
        CHECK(rec.shows.size() == 1);  // a target of 0: due, once
        run_for(clock, s, minutes(19));
        CHECK(rec.shows.size() == 1);
    }
}

TEST_CASE("plan() stops at most_showings and at the longest span, however dense the profile",
          "[core][scheduler][plan][checked]") {
    FakeClock clock;
    Recorder rec(clock);
    Profile p;
    p.general.merge_within = seconds(1);
    for (int i = 0; i < 300; ++i) p.reminders.push_back(reminder("r" + std::to_string(i), Kind::custom, seconds(1)));
    Scheduler s(clock, p, rec);
    for (const Duration span : {Duration(hours(24 * 7)), Duration::max()}) {
        const auto plan = s.plan(span);
        std::size_t names = 0;
        for (const auto& show : plan) names += show.names.size();
        CHECK(names == most_showings);
        REQUIRE_FALSE(plan.empty());
        CHECK(plan.back().after <= seconds(most_showings));
    }
    // One reminder a second for a week: cut at most_showings as well.
    Profile one;
    one.reminders.push_back(reminder("fast", Kind::custom, seconds(1)));
    Scheduler fast(clock, one, rec);
    CHECK(fast.plan(hours(24 * 7)).size() == most_showings);
    CHECK(fast.plan(seconds(10)).size() == 10);
    CHECK(fast.plan(-hours(1)).empty());
}
