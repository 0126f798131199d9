// Random presence, checked against a model written apart from the scheduler.
//
// Each seed draws a profile (intervals, breaks, natural_break, windows over
// midnight or not, merge_within, respect_dnd) and a few hundred events: time
// passing, locks, idle (reported idle_after late, back-dated), suspends (with
// and without logind's warning), DND, pauses (timed or not), announced
// wall-clock jumps (DST, time zones, NTP steps), answers and triggers. The
// scheduler is driven like limberd drives it: one timer armed at
// next_deadline() after every input and every tick.
//
// The model keeps, per reminder, its present time: time inside its own
// window (read from a minute-of-week table built here, not by ActiveWindow),
// not paused, not away. Properties, for every notification not asked for by
// trigger:
//   P1 nothing is shown while paused, locked, idle (once reported) or asleep;
//   P2 nothing while DND holds with respect_dnd;
//   P3 a reminder is shown only inside its active days and hours, and only if enabled;
//   P4 between two showings of one reminder at least `every - merge_within` of
//      its present time has passed (`every` exactly when merge_within = 0);
//      after a snooze by L, at least `L - merge_within`; after a trigger, the
//      trigger counts as the showing; a restart of its clock (a new stretch of
//      its window, the end of an absence for natural_break reminders, done or
//      skip before it was shown) may cut a longer snooze short, never below
//      `every - merge_within` from the restart;
//   P5 never two notifications at one instant (no burst, whatever the absence);
//   P6 (seeds without answers) a reminder eligible without a break — present,
//      in its window, not held — for longer than `every` has been shown meanwhile
//      (with merge_within = 0, a second later for each other reminder due with it).
// A failure prints the seed and the events before it; rerun one seed with
// LIMBER_SEED=<n>.

#include "Harness.hpp"

#include <array>
#include <cstdlib>
#include <deque>
#include <map>
#include <random>
#include <sstream>

using namespace limber::core;
using namespace limber::test;
using namespace std::chrono;

namespace {

constexpr int week_minutes = 7 * 24 * 60;

/** Which minutes of the week a window covers, computed directly from its fields. */
std::vector<bool> minutes_of_week(const ActiveWindow& w) {
    std::vector<bool> on(week_minutes, false);
    for (int day = 0; day < 7; ++day) {
        if (((w.days >> day) & 1) == 0) continue;
        const int end = w.end_minute > w.start_minute ? w.end_minute : 24 * 60 + w.end_minute;
        for (int m = w.start_minute; m < end; ++m) on[(day * 24 * 60 + m) % week_minutes] = true;
    }
    return on;
}

/** For each minute inside: how many minutes ago its stretch began (-1 outside, or when it never began). */
std::vector<int> minutes_into_stretch(const std::vector<bool>& on) {
    std::vector<int> into(week_minutes, -1);
    int run = -1;
    for (int pass = 0; pass < 2; ++pass)  // twice round, so stretches over the week's end are counted
        for (int m = 0; m < week_minutes; ++m) {
            run = on[m] ? (run >= 0 ? run + 1 : (on[(m + week_minutes - 1) % week_minutes] ? -1 : 0)) : -1;
            if (pass == 1) into[m] = run;
        }
    return into;
}

struct Model final : SchedulerListener {
    struct Entry {
        std::string name;
        Duration every{};
        bool enabled = true;
        bool natural_break = true;
        std::vector<bool> week;
        std::vector<int> into;  // per minute of the week: minutes since its stretch began, -1 = never began
        bool was_inside = false;
        long stretch = -2;        // wall minute the current stretch of its window began at
        Duration present{};       // present time so far
        Duration allowed{};       // P4: present time before which it must not be shown
        Duration eligible_run{};  // P6: present, in window, not held, since last shown
    };

    const FakeClock& clock;
    Scheduler* s = nullptr;
    std::vector<Entry> entries;
    Duration merge{};
    bool respect_dnd = true;
    bool locked = false, idle = false, asleep = false, dnd = false, paused = false;
    std::optional<Instant> pause_end;
    bool triggering = false;
    std::optional<std::pair<Instant, Duration>> last_show;  // monotonic and wall time
    std::vector<std::string> violations;
    std::deque<std::string> events;   // inputs
    std::deque<std::string> decided;  // notices and outcomes
    std::string profile_text;
    int shows = 0;

    explicit Model(const FakeClock& c) : clock(c) {}

    bool away() const { return locked || idle || asleep; }
    bool held() const { return dnd && respect_dnd; }
    bool inside(const Entry& e) const {
        const LocalTime t = clock.local_time();
        return e.week[t.weekday * 24 * 60 + t.seconds_of_day / 60];
    }
    bool present(const Entry& e) const { return e.enabled && !paused && !away() && inside(e); }

    /** The clock of `e` may have been restarted now: it must still wait `every - merge`, no more. */
    void may_restart(Entry& e) { e.allowed = std::min(e.allowed, e.present + e.every - merge); }

    /** A window stretch that began since the last look restarts the clock (rule 4). */
    void observe() {
        const LocalTime t = clock.local_time();
        const int minute = t.weekday * 24 * 60 + t.seconds_of_day / 60;
        const long wall_minute = static_cast<long>(duration_cast<std::chrono::minutes>(clock.wall()).count());
        for (auto& e : entries) {
            const bool in = e.week[minute];
            const long stretch = in && e.into[minute] >= 0 ? wall_minute - e.into[minute] : -1;
            if (in && (!e.was_inside || stretch != e.stretch)) may_restart(e);
            e.was_inside = in;
            e.stretch = stretch;
        }
    }
    /** An absence ended: natural breaks may restart clocks (rule 4). */
    void absence_ended() {
        for (auto& e : entries)
            if (e.natural_break) may_restart(e);
    }
    Entry& entry(const std::string& name) {
        for (auto& e : entries)
            if (e.name == name) return e;
        throw std::logic_error("unknown " + name);
    }

    void note(std::string what) {
        events.push_back(wall_text(clock) + " " + what);
        if (events.size() > 30) events.pop_front();
    }
    void note_decision(std::string what) {
        decided.push_back(wall_text(clock) + " " + what);
        if (decided.size() > 16) decided.pop_front();
    }
    std::deque<std::string> events_at_failure, decided_at_failure;
    void violate(const std::string& what) {
        if (violations.empty()) events_at_failure = events, decided_at_failure = decided;
        if (violations.size() < 5) violations.push_back(wall_text(clock) + ": " + what);
    }

    void on_show(const Notice& n) override {
        std::string names;
        for (const auto& name : n.names) names += (names.empty() ? "" : "+") + name;
        note_decision((triggering ? "trigger shows " : "shows ") + names);
        ++shows;
        if (triggering) {
            for (const auto& name : n.names) {
                Entry& e = entry(name);
                e.allowed = e.present + e.every - merge;
                e.eligible_run = Duration::zero();
            }
            return;
        }
        if (paused) violate("P1 shown while paused: " + names);
        if (away()) violate("P1 shown while away: " + names);
        if (held()) violate("P2 shown while DND holds: " + names);
        const std::pair<Instant, Duration> now{clock.now(), clock.wall()};
        if (last_show == now) violate("P5 a second notification at one instant: " + names);
        last_show = now;
        for (const auto& name : n.names) {
            Entry& e = entry(name);
            if (!e.enabled) violate("P3 disabled reminder shown: " + name);
            if (!inside(e)) violate("P3 shown outside its hours: " + name);
            if (e.present < e.allowed)
                violate("P4 " + name + " shown after " + std::to_string(duration_cast<seconds>(e.present).count()) +
                        " s of present time; allowed from " +
                        std::to_string(duration_cast<seconds>(e.allowed).count()) + " s");
            e.allowed = e.present + e.every - merge;
            e.eligible_run = Duration::zero();
        }
    }
    void on_outcome(const std::string& name, Outcome o, bool) override {
        note_decision(name + " " + std::string(to_string(o)));
    }
};

Duration pick_seconds(std::mt19937& rng, int lo, int hi) {
    return seconds(std::uniform_int_distribution<int>(lo, hi)(rng));
}

ActiveWindow random_window(std::mt19937& rng) {
    ActiveWindow w;
    switch (std::uniform_int_distribution<int>(0, 4)(rng)) {
        case 0:
            return w;  // always
        case 1:
            return hours_window("08:00-18:00", 0x1f);
        case 2:
            return hours_window("22:00-06:00",
                                static_cast<std::uint8_t>(std::uniform_int_distribution<int>(1, 127)(rng)));
        default: {
            w.days = static_cast<std::uint8_t>(std::uniform_int_distribution<int>(1, 127)(rng));
            w.start_minute = std::uniform_int_distribution<int>(0, 24 * 60 - 1)(rng);
            do w.end_minute = std::uniform_int_distribution<int>(1, 24 * 60)(rng);
            while (w.end_minute == w.start_minute || (w.end_minute == 24 * 60 && w.start_minute == 0));
            return w;
        }
    }
}

/** One seed: returns the model for the caller's checks. */
void run_seed(unsigned seed, int steps, std::string& report, int& shows) {
    std::mt19937 rng(seed);
    auto chance = [&rng](int percent) { return std::uniform_int_distribution<int>(0, 99)(rng) < percent; };
    FakeClock clock(std::uniform_int_distribution<int>(0, 23)(rng), std::uniform_int_distribution<int>(0, 59)(rng));
    clock.jump_wall(hours(24 * std::uniform_int_distribution<int>(0, 6)(rng)));
    Model model(clock);

    Profile p;
    const std::array<int, 3> merges{0, 60, 120};
    p.general.merge_within = seconds(merges[std::uniform_int_distribution<std::size_t>(0, 2)(rng)]);
    p.general.idle_after = pick_seconds(rng, 30, 300);
    p.general.respect_dnd = chance(75);
    p.general.max_snoozes = std::uniform_int_distribution<int>(0, 3)(rng);
    p.general.snooze = pick_seconds(rng, 30, 600);
    const int count = std::uniform_int_distribution<int>(1, 5)(rng);
    for (int i = 0; i < count; ++i) {
        const Duration every =
            chance(20) ? pick_seconds(rng, 1, 120) : minutes(std::uniform_int_distribution<int>(2, 90)(rng));
        const int every_s = static_cast<int>(duration_cast<seconds>(every).count());
        const Duration length = every_s < 2 || chance(50) ? Duration::zero() : pick_seconds(rng, 1, every_s - 1);
        Reminder r =
            make_reminder("r" + std::to_string(i), chance(30) ? Kind::hydration : Kind::stretch, every, length);
        r.natural_break = chance(70);
        r.enabled = chance(90);
        r.window = chance(30) ? ActiveWindow{} : random_window(rng);
        p.reminders.push_back(r);
        Model::Entry e;
        e.name = r.name;
        e.every = r.every;
        e.enabled = r.enabled;
        e.natural_break = r.natural_break;
        e.week = minutes_of_week(r.window);
        e.into = minutes_into_stretch(e.week);
        model.entries.push_back(std::move(e));
    }
    model.merge = p.general.merge_within;
    model.respect_dnd = p.general.respect_dnd;
    const bool answers = chance(50);

    Scheduler s(clock, p, model);
    model.s = &s;
    model.observe();
    TimerLoop loop(clock, s);

    auto next_change = [&](const Model::Entry& e, Duration limit) {
        // Seconds until this reminder's membership in its window changes, up to `limit`.
        const LocalTime t = clock.local_time();
        const int minute = t.weekday * 24 * 60 + t.seconds_of_day / 60;
        const bool now_in = e.week[minute];
        const Duration to_boundary = seconds(60 - t.seconds_of_day % 60);
        for (int k = 1; seconds(60) * (k - 1) + to_boundary <= limit; ++k)
            if (e.week[(minute + k) % week_minutes] != now_in) return seconds(60) * (k - 1) + to_boundary;
        return limit;
    };

    auto let_time_pass = [&](Duration span) {
        int stuck = 0;
        while (span > Duration::zero()) {
            Duration slice = span;
            if (loop.armed) slice = std::min(slice, *loop.armed - clock.now());
            if (model.paused && model.pause_end) slice = std::min(slice, *model.pause_end - clock.now());
            for (const auto& e : model.entries) slice = std::min(slice, next_change(e, slice));
            REQUIRE(slice >= Duration::zero());
            stuck = slice == Duration::zero() ? stuck + 1 : 0;
            REQUIRE(stuck < 50);  // the timer would keep firing without time passing
            for (auto& e : model.entries) {
                if (!model.present(e) || model.held()) e.eligible_run = Duration::zero();  // a break in eligibility
                if (!model.present(e)) continue;
                e.present += slice;
                if (!model.held()) e.eligible_run += slice;
            }
            clock.advance(slice);
            span -= slice;
            if (model.paused && model.pause_end && clock.now() >= *model.pause_end) {
                model.paused = false;
                model.pause_end.reset();
                model.note("timed pause ends");
            }
            model.observe();
            if (loop.armed && *loop.armed == clock.now()) {
                s.tick();
                loop.rearm();
            }
            for (auto& e : model.entries) {
                if (!model.present(e) || model.held()) e.eligible_run = Duration::zero();
                // With merge_within = 0, reminders due together go out a second apart (never merged,
                // never two at one instant): one may wait a second for each of the others.
                const Duration slack = model.merge == Duration::zero()
                                           ? seconds(static_cast<int>(model.entries.size()) - 1)
                                           : Duration::zero();
                if (!answers && e.eligible_run > e.every + slack)
                    model.violate("P6 " + e.name + " eligible for " +
                                  std::to_string(duration_cast<seconds>(e.eligible_run).count()) +
                                  " s without being shown");
            }
        }
    };

    for (int step = 0; step < steps && model.violations.empty(); ++step) {
        const int r = std::uniform_int_distribution<int>(0, 99)(rng);
        let_time_pass(r < 5 ? pick_seconds(rng, 3600, 20 * 3600) : pick_seconds(rng, 1, 1200));
        const int event = std::uniform_int_distribution<int>(0, 11)(rng);
        auto name = [&] {
            return model.entries[std::uniform_int_distribution<std::size_t>(0, model.entries.size() - 1)(rng)].name;
        };
        switch (event) {
            case 0:
                model.locked = !model.locked;
                model.note(model.locked ? "lock" : "unlock");
                if (!model.away()) model.absence_ended();
                loop.input([&] { s.set_away(Away::locked, model.locked); });
                break;
            case 1:
                model.idle = !model.idle;
                model.note(model.idle ? "idle noticed" : "input again");
                if (!model.away()) model.absence_ended();
                loop.input([&] {
                    s.set_away(Away::idle, model.idle,
                               model.idle ? std::optional<Instant>(clock.now() - p.general.idle_after) : std::nullopt);
                });
                break;
            case 2: {
                const Duration slept = chance(20) ? pick_seconds(rng, 3600, 30 * 3600) : pick_seconds(rng, 1, 3600);
                const bool warned = chance(50);
                model.note("suspend " + std::to_string(slept.count() / 1000000) + " s" +
                           (warned ? " (announced)" : ""));
                if (warned) {
                    model.asleep = true;
                    loop.input([&] { s.set_away(Away::asleep, true); });
                }
                clock.suspend(slept);
                for (auto& e : model.entries) e.eligible_run = Duration::zero();  // a suspend is an absence
                model.observe();
                model.absence_ended();
                loop.input([&] { s.resumed_from_sleep(slept); });
                if (warned) {
                    model.asleep = false;
                    loop.input([&] { s.set_away(Away::asleep, false); });
                }
                break;
            }
            case 3:
                model.dnd = !model.dnd;
                model.note(model.dnd ? "dnd on" : "dnd off");
                loop.input([&] { s.set_dnd(model.dnd); });
                break;
            case 4:
                if (model.paused) {
                    model.paused = false;
                    model.pause_end.reset();
                    model.note("resume");
                    loop.input([&] { s.resume(); });
                } else {
                    std::optional<Duration> length;
                    if (chance(50)) length = pick_seconds(rng, 1, 7200);
                    model.paused = true;
                    if (length) model.pause_end = clock.now() + *length;
                    model.note("pause");
                    loop.input([&] { s.pause(length); });
                }
                break;
            case 5: {
                const int kind = std::uniform_int_distribution<int>(0, 2)(rng);
                const Duration jump = kind == 0   ? (chance(50) ? hours(1) : -hours(1))
                                      : kind == 1 ? hours(std::uniform_int_distribution<int>(-12, 12)(rng))
                                                  : pick_seconds(rng, -120, 120);
                if (clock.wall() + jump < Duration::zero()) break;
                model.note("wall clock moves " + std::to_string(jump.count() / 1000000) + " s");
                clock.jump_wall(jump);
                model.observe();
                loop.input([&] { s.wall_clock_changed(); });
                break;
            }
            case 6:
            case 7: {
                if (!answers) break;
                const std::string who = name();
                const int what = std::uniform_int_distribution<int>(0, 2)(rng);
                const Duration length = chance(50) ? p.general.snooze : pick_seconds(rng, 1, 1800);
                model.note("answer " + who + (what == 0 ? " done" : what == 1 ? " skip" : " snooze"));
                loop.input([&] {
                    const Reply reply = s.answer(who,
                                                 what == 0   ? Answer::done
                                                 : what == 1 ? Answer::skip
                                                             : Answer::snooze,
                                                 length);
                    if (what == 2 && reply == Reply::ok) {
                        auto& e = model.entry(who);
                        e.allowed = e.present + length - model.merge;  // due `length` from now, or later
                    }
                    if (what != 2 && reply == Reply::ok) {
                        model.entry(who).eligible_run = Duration::zero();
                        model.may_restart(model.entry(who));  // done or skip before it was shown: restarts it
                    }
                });
                break;
            }
            case 8: {
                if (!answers) break;
                const std::string who = name();
                model.triggering = true;
                loop.input([&] { s.trigger(who); });
                model.triggering = false;
                break;
            }
            default:
                break;
        }
    }
    shows = model.shows;
    if (model.violations.empty()) return;
    std::ostringstream out;
    out << "seed " << seed << " (rerun: LIMBER_SEED=" << seed << " test_core \"[property]\")\n";
    for (const auto& v : model.violations) out << "  " << v << "\n";
    out << "events before:\n";
    for (const auto& e : model.events_at_failure) out << "  " << e << "\n";
    out << "decisions before:\n";
    for (const auto& e : model.decided_at_failure) out << "  " << e << "\n";
    out << "profile: merge_within " << duration_cast<seconds>(p.general.merge_within).count() << " s, idle_after "
        << duration_cast<seconds>(p.general.idle_after).count() << " s\n";
    for (const auto& r : p.reminders)
        out << "  " << r.name << " every " << duration_cast<seconds>(r.every).count() << " s, duration "
            << duration_cast<seconds>(r.duration).count() << " s, natural_break " << r.natural_break << ", enabled "
            << r.enabled << ", days " << int(r.window.days) << " minutes " << r.window.start_minute << "-"
            << r.window.end_minute << "\n";
    report = out.str();
}

}  // namespace

TEST_CASE("random presence keeps rules 1, 4 and 8 (properties P1-P6)", "[core][presence][property]") {
    unsigned first = 1, last = 1000;
    if (const char* many = std::getenv("LIMBER_SEEDS")) last = static_cast<unsigned>(std::strtoul(many, nullptr, 10));
    if (const char* one = std::getenv("LIMBER_SEED"))
        first = last = static_cast<unsigned>(std::strtoul(one, nullptr, 10));
    int total_shows = 0, failures = 0;
    for (unsigned seed = first; seed <= last; ++seed) {
        CAPTURE(seed);
        std::string report;
        int shows = 0;
        run_seed(seed, 300, report, shows);
        total_shows += shows;
        if (!report.empty() && ++failures <= 3) FAIL_CHECK(report);
    }
    CHECK(failures == 0);
    CHECK(total_shows > 1000 * static_cast<int>(last - first + 1) / 100);  // not vacuous
}
