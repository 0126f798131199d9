#pragma once
// Shared by the presence tests: a listener that records every decision against
// the fake wall clock, reminders built in one line, and time that passes the way
// the daemon lets it (waking exactly at each deadline).

#include <limber/core/Scheduler.hpp>

#include "FakeClock.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace limber::test {

inline constexpr const char* weekday_names[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

/** "Tue 08:20:00" for the fake clock's local wall time. */
inline std::string wall_text(const FakeClock& clock) {
    const core::LocalTime t = clock.local_time();
    char out[32];
    std::snprintf(out, sizeof out, "%s %02d:%02d:%02d", weekday_names[t.weekday], t.seconds_of_day / 3600,
                  t.seconds_of_day / 60 % 60, t.seconds_of_day % 60);
    return out;
}

/** Every notice and outcome, stamped with the local wall time it happened at. */
struct WallRecorder final : core::SchedulerListener {
    const FakeClock& clock;
    std::vector<std::string> shows;     ///< "Mon 09:20:00 posture+water"
    std::vector<std::string> outcomes;  ///< "Mon 09:20:00 posture done"
    std::vector<core::Notice> notices;

    explicit WallRecorder(const FakeClock& c) : clock(c) {}
    void on_show(const core::Notice& n) override {
        std::string names;
        for (const auto& name : n.names) names += (names.empty() ? "" : "+") + name;
        shows.push_back(wall_text(clock) + " " + names);
        notices.push_back(n);
    }
    void on_outcome(const std::string& name, core::Outcome o, bool) override {
        outcomes.push_back(wall_text(clock) + " " + name + " " + std::string(to_string(o)));
    }
    /** What happened since the last call, then forgotten: keeps each step of a script readable. */
    std::vector<std::string> take_shows() { return std::exchange(shows, {}); }
    std::vector<std::string> take_outcomes() { return std::exchange(outcomes, {}); }
};

inline core::Reminder make_reminder(std::string name, core::Kind kind, core::Duration every,
                                    core::Duration length = {}) {
    core::Reminder r;
    r.name = std::move(name);
    r.kind = kind;
    r.every = every;
    r.duration = length;
    r.title = std::string(core::kind_defaults(kind).title);
    r.message = std::string(core::kind_defaults(kind).message);
    r.natural_break = kind != core::Kind::hydration;
    return r;
}

inline core::ActiveWindow hours_window(std::string_view hours, std::uint8_t days = 0x7f) {
    core::ActiveWindow w = core::parse_hours(hours).value.value();
    w.days = days;
    return w;
}

/** Lets `span` of time pass, waking exactly at each deadline like the daemon's timer. */
inline void pass(FakeClock& clock, core::Scheduler& s, core::Duration span) {
    const core::Instant end = clock.now() + span;
    for (int wakes = 0;; ++wakes) {
        auto deadline = s.next_deadline();
        if (!deadline || *deadline > end) break;
        REQUIRE(*deadline >= clock.now());  // a deadline in the past would busy-loop the daemon
        REQUIRE(wakes < 100000);
        clock.advance(*deadline - clock.now());
        s.tick();
    }
    clock.advance(end - clock.now());
    s.tick();
}

/** Local wall time `hh:mm` on `day` (0 = the first Monday), as FakeClock::wall() counts it. */
inline core::Duration wall_at(int day, int hh, int mm) {
    return std::chrono::hours(24 * day + hh) + std::chrono::minutes(mm);
}

/** The daemon's loop without the daemon: one timer, re-armed after every input and every
    tick, that fires when the monotonic clock reaches it whatever the wall clock did since. */
struct TimerLoop {
    FakeClock& clock;
    core::Scheduler& s;
    std::optional<core::Instant> armed;

    TimerLoop(FakeClock& c, core::Scheduler& scheduler) : clock(c), s(scheduler) { rearm(); }
    void rearm() { armed = s.next_deadline(); }
    /** An input reached the daemon: it tells the scheduler, then re-arms. */
    template <typename F>
    void input(F&& f) {
        f();
        rearm();
    }
    /** Time passes until the wall clock shows `wall`; the timer fires on the way. */
    void until(core::Duration wall) {
        REQUIRE(wall >= clock.wall());
        for (int fired = 0; fired < 100000; ++fired) {
            const core::Duration left = wall - clock.wall();
            if (!armed || *armed - clock.now() > left) {
                clock.advance(left);
                return;
            }
            REQUIRE(*armed >= clock.now());  // a deadline in the past would busy-loop the daemon
            clock.advance(*armed - clock.now());
            s.tick();
            rearm();
        }
        FAIL("the timer keeps firing without time passing");
    }
};

}  // namespace limber::test
