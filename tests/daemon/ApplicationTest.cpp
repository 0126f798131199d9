// limberd's application service driven through whole days with fakes for
// everything around it (timer, state file, bus, hooks, history, notifier,
// presence sources): no GLib, no bus, no sleeping.

#include <limber/core/Control.hpp>
#include <limber/core/Notifier.hpp>
#include <limber/core/Text.hpp>
#include <limber/daemon/Application.hpp>

#include "FakeClock.hpp"
#include "core/Harness.hpp"

#include <spdlog/sinks/ringbuffer_sink.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <map>

namespace limber::test {
namespace {

using namespace std::chrono_literals;
using core::EventKind;

/** Unix time of the fake clock's Monday 00:00 (2026-11-30, as UTC). */
constexpr std::int64_t monday = 1'796'083'200;
constexpr core::CivilDay monday_day = 20261130;

struct FakeWall final : daemon::Wall {
    const FakeClock& clock;
    explicit FakeWall(const FakeClock& c) : clock(c) {}
    std::int64_t now_us() const override {
        return monday * 1'000'000 + std::chrono::duration_cast<std::chrono::microseconds>(clock.wall()).count();
    }
    core::CivilDay day_of(std::int64_t unix_seconds) const override {
        return core::add_days(monday_day, static_cast<int>((unix_seconds - monday) / 86400));
    }
};

/** The history as a list: what was recorded, in order. */
struct FakeBook final : daemon::HistoryBook {
    std::vector<core::HistoryEvent>& events;
    explicit FakeBook(std::vector<core::HistoryEvent>& e) : events(e) {}
    void record(const core::HistoryEvent& event) override { events.push_back(event); }
    int water_on(core::CivilDay day) override {
        int ml = 0;
        for (const auto& e : events)
            if (e.kind == EventKind::water && e.day == day) ml += e.ml;
        return ml;
    }
    std::vector<core::DayCount> day_counts(core::CivilDay since, core::Moment) override {
        std::vector<core::HistoryEvent> from;
        std::copy_if(events.begin(), events.end(), std::back_inserter(from),
                     [&](const core::HistoryEvent& e) { return e.day >= since; });
        return core::tally(from);
    }
    void set_retention(core::Duration keep) override { retention = keep; }
    core::Duration retention{};
};

struct FakeNotifier final : core::Notifier {
    std::vector<std::string> shown;  ///< "posture+water"
    std::vector<std::string> withdrawn;
    void show(const core::Notice& notice) override { shown.push_back(core::join(notice.names, "+")); }
    void withdraw(const std::string& name) override { withdrawn.push_back(name); }
};

struct FakePresence final : daemon::PresenceView {
    std::vector<std::string> sources{"logind", "x11-idle"};
    bool is_settled = true;
    core::Duration to_credit{};
    core::Duration idle_after{};
    std::vector<std::string> in_use() const override { return sources; }
    bool known() const override { return !sources.empty(); }
    bool settled() const override { return is_settled; }
    core::Duration slept() override { return std::exchange(to_credit, core::Duration{}); }
    void set_idle_after(core::Duration d) override { idle_after = d; }
};

struct FakePorts final : daemon::Ports {
    std::optional<core::Instant> armed;
    int arms = 0;
    int flushes_asked = 0;
    int saves = 0;
    bool saved_stopping = false;
    int published = 0;
    std::vector<std::string> signals;  ///< "shown posture", "answered posture done"
    std::vector<std::string> hooks;    ///< "on_pause LIMBER_EVENT=pause"
    std::function<daemon::ProfileLoad()> next_profile;

    void arm(std::optional<core::Instant> at) override {
        armed = at;
        ++arms;
    }
    void flush_soon() override { ++flushes_asked; }
    void save(const core::SchedulerSnapshot&, bool stopping) override {
        ++saves;
        saved_stopping = stopping;
    }
    void publish() override { ++published; }
    void shown(const std::vector<std::string>& names, const std::string&) override {
        signals.push_back("shown " + core::join(names, "+"));
    }
    void answered(const std::string& name, core::Outcome outcome) override {
        signals.push_back("answered " + name + " " + std::string(core::to_string(outcome)));
    }
    void run_hook(const std::string& hook, const std::vector<std::string>&, const daemon::HookEnvironment& env,
                  core::Duration) override {
        hooks.push_back(hook + " " + env.front().first + "=" + env.front().second);
    }
    daemon::ProfileLoad load_profile() override { return next_profile(); }
};

core::Profile day_profile() {
    core::Profile p;
    p.origin = "test.toml";
    p.reminders.push_back(make_reminder("posture", core::Kind::posture, 20min));
    p.reminders.push_back(make_reminder("stretch", core::Kind::stretch, 50min, 5min));
    auto water = make_reminder("water", core::Kind::hydration, 45min);
    water.glass_ml = 300;
    p.reminders.push_back(water);
    p.hooks.on_pause = {"/bin/true"};
    return p;
}

/** limberd without GLib: the application and fakes for all it touches, with its one timer. */
struct Day {
    FakeClock clock{8, 0};
    FakeWall wall{clock};
    FakeNotifier notifier;
    FakePresence presence;
    FakePorts ports;
    std::vector<core::HistoryEvent> events;
    daemon::Application app{clock, wall, day_profile(), ports, notifier, presence};

    explicit Day(bool start = true) {
        if (start) app.start(std::nullopt, std::make_unique<FakeBook>(events));
    }

    /** The main loop: what flush_soon asked for runs once the input is over. */
    void idle() {
        if (std::exchange(ports.flushes_asked, 0) > 0) app.flush();
    }
    /** Time passes until the wall clock shows hh:mm of day 0; the timer fires on the way. */
    void until(int hh, int mm) {
        const core::Duration target = wall_at(0, hh, mm);
        REQUIRE(target >= clock.wall());
        for (int fired = 0; fired < 100000; ++fired) {
            idle();
            const core::Duration left = target - clock.wall();
            if (!ports.armed || *ports.armed - clock.now() > left) {
                clock.advance(left);
                return;
            }
            REQUIRE(*ports.armed >= clock.now());  // a deadline in the past would busy-loop limberd
            clock.advance(*ports.armed - clock.now());
            app.on_deadline();
        }
        FAIL("the timer keeps firing without time passing");
    }
    std::vector<std::string> kinds() const {
        std::vector<std::string> out;
        for (const auto& e : events)
            out.push_back(std::string(core::to_string(e.kind)) + (e.reminder.empty() ? "" : " " + e.reminder));
        return out;
    }
    std::vector<std::string> take_shown() { return std::exchange(notifier.shown, {}); }
};

bool has(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace

TEST_CASE("a scripted working morning through the application service") {
    Day d;
    // Presence is recorded as soon as the sources have answered: here at once, present.
    REQUIRE(d.kinds() == std::vector<std::string>{"start", "present"});

    d.until(8, 20);
    CHECK(d.take_shown() == std::vector<std::string>{"posture"});
    CHECK(has(d.ports.signals, "shown posture"));
    // The button answers exactly as `limberctl done` would.
    d.app.on_buttons({"posture"}, core::Answer::done);
    CHECK(has(d.ports.signals, "answered posture done"));
    CHECK(has(d.kinds(), "shown posture"));
    CHECK(has(d.kinds(), "done posture"));

    // Water at 08:45: done counts the reminder's glass; drank logs another glass of the same size.
    d.until(8, 45);
    CHECK(has(d.take_shown(), "water"));
    CHECK(d.app.answer("water", core::Answer::done, std::nullopt) == std::vector<std::string>{"water"});
    const auto [ml, water] = d.app.drank(0);
    CHECK(ml == 300);
    CHECK(water.today_ml == 600);
    CHECK(d.app.status().water.today_ml == 600);

    // A pause of an hour: nothing shows, the hook hears it once flushed, the history records it.
    d.app.pause(1h);
    d.idle();
    CHECK(has(d.ports.hooks, "on_pause LIMBER_EVENT=pause"));
    CHECK(d.app.status().state == core::State::paused);
    d.until(9, 44);
    CHECK(d.take_shown().empty());
    // The timed pause ends inside the scheduler: recorded as a resume, and the hook is told.
    d.until(9, 46);
    d.idle();
    CHECK(has(d.kinds(), "pause"));
    CHECK(has(d.kinds(), "resume"));
    CHECK(has(d.ports.hooks, "on_pause LIMBER_EVENT=resume"));
    CHECK(d.app.status().state == core::State::active);

    // Idle since 10:00, noticed at 10:02 (idle_after): the stretch break is taken naturally.
    d.until(10, 2);
    d.take_shown();
    d.app.on_report({"x11-idle", daemon::Signal::idle, true, d.clock.now() - 2min});
    CHECK(d.app.status().presence.idle);
    CHECK(d.app.status().state == core::State::away);
    d.until(10, 20);
    d.app.on_report({"x11-idle", daemon::Signal::idle, false, std::nullopt});
    CHECK(has(d.kinds(), "away"));
    CHECK(has(d.kinds(), "natural stretch"));
    const auto away = std::find_if(d.events.begin(), d.events.end(),
                                   [](const core::HistoryEvent& e) { return e.kind == EventKind::away; });
    REQUIRE(away != d.events.end());
    CHECK(away->at == monday + 10 * 3600);  // back-dated to the last input
    CHECK(d.events.back().kind == EventKind::present);

    // Snoozing the one on screen, then refusals with their reasons.
    d.until(10, 40);
    REQUIRE(!d.take_shown().empty());
    CHECK_FALSE(d.app.answer("", core::Answer::snooze, 5min).empty());
    try {
        d.app.answer("nope", core::Answer::done, std::nullopt);
        FAIL("an unknown reminder was accepted");
    } catch (const core::ControlError& e) {
        CHECK(e.why == core::Refusal::unknown_reminder);
        CHECK(std::string(e.what()).find("known reminders: posture, stretch, water") != std::string::npos);
    }
    try {
        d.app.resume();
        FAIL("resume while not paused was accepted");
    } catch (const core::ControlError& e) {
        CHECK(e.why == core::Refusal::not_paused);
    }

    // A bad reload keeps the running profile; a good one replaces it and tells the sources.
    d.ports.next_profile = [] { return daemon::ProfileLoad{std::nullopt, "p.toml:3:1: error: bad\n"}; };
    try {
        d.app.reload();
        FAIL("a bad profile was loaded");
    } catch (const core::ControlError& e) {
        CHECK(e.why == core::Refusal::invalid_profile);
        CHECK(std::string(e.what()) == "p.toml:3:1: error: bad");
    }
    CHECK(d.app.status().reminders.size() == 3);
    d.ports.next_profile = [] {
        auto p = day_profile();
        p.reminders.resize(1);
        p.general.idle_after = 5min;
        return daemon::ProfileLoad{p, ""};
    };
    CHECK(d.app.reload() == "test.toml");
    CHECK(d.app.status().reminders.size() == 1);
    CHECK(d.presence.idle_after == 5min);

    // Stopping: the last save says so, and the history ends with stop.
    d.app.stop(true);
    CHECK(d.ports.saved_stopping);
    CHECK(d.events.back().kind == EventKind::stop);
}

TEST_CASE("the plan logged at start says why a clock stands still: away, not outside its hours") {
    auto sink = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(64);
    spdlog::drop("daemon");
    spdlog::register_logger(std::make_shared<spdlog::logger>("daemon", sink));
    Day d(false);
    spdlog::drop("daemon");  // the application holds its logger; other tests get their own
    // An idle session: the presence source answers before limberd's start logs its plan.
    d.app.on_report({"x11-idle", daemon::Signal::idle, true, d.clock.now() - 5min});
    d.app.start(std::nullopt, std::make_unique<FakeBook>(d.events));
    const auto lines = sink->last_formatted();
    auto any = [&](const std::string& text) {
        return std::any_of(lines.begin(), lines.end(),
                           [&](const std::string& l) { return l.find(text) != std::string::npos; });
    };
    INFO(core::join(lines, ""));
    CHECK(any("posture      every 20m, a nudge; waiting while you are away"));
    CHECK_FALSE(any("outside its active hours"));
}

TEST_CASE("a notification closed without a button is an answer the application hears") {
    Day d;
    auto on_screen = [&](const std::string& name) {
        for (const auto& r : d.app.status().reminders)
            if (r.name == name) return r.on_screen;
        return false;
    };
    d.until(8, 20);
    REQUIRE(d.take_shown() == std::vector<std::string>{"posture"});
    d.idle();
    const int published = d.ports.published;

    // Dismissed (reason 2): recorded, signalled, off the screen at once, and published.
    d.app.on_closed({"posture"}, core::CloseReason::dismissed);
    CHECK(has(d.kinds(), "dismissed posture"));
    CHECK(has(d.ports.signals, "answered posture dismissed"));
    CHECK_FALSE(on_screen("posture"));
    d.idle();
    CHECK(d.ports.published > published);
    CHECK(d.notifier.withdrawn.empty());  // already gone: nothing to take off the screen

    // A close after a button press is no second answer.
    d.until(8, 40);
    REQUIRE(has(d.take_shown(), "posture"));
    d.app.on_buttons({"posture"}, core::Answer::done);
    CHECK(has(d.kinds(), "done posture"));
    const auto events = d.events.size();
    d.app.on_closed({"posture"}, core::CloseReason::dismissed);
    CHECK(d.events.size() == events);

    // Expired (reason 1) water: ignored now, no glass, and the count-down runs to its next showing.
    d.until(8, 45);
    REQUIRE(has(d.take_shown(), "water"));
    d.app.on_closed({"water"}, core::CloseReason::expired);
    CHECK(has(d.kinds(), "ignored water"));
    CHECK_FALSE(has(d.kinds(), "done water"));
    CHECK_FALSE(has(d.kinds(), "water water"));
    CHECK(d.app.status().water.today_ml == 0);
    CHECK_FALSE(on_screen("water"));

    // An expired break is missed at once, not an interval later.
    d.until(8, 50);
    REQUIRE(has(d.take_shown(), "stretch"));
    d.app.on_closed({"stretch"}, core::CloseReason::undefined);
    CHECK(has(d.kinds(), "missed stretch"));
    CHECK_FALSE(on_screen("stretch"));

    // Closed by limberd (reason 3): nothing.
    d.until(9, 0);
    REQUIRE(has(d.take_shown(), "posture"));
    const auto before = d.events.size();
    d.app.on_closed({"posture"}, core::CloseReason::by_limber);
    CHECK(d.events.size() == before);
    CHECK(on_screen("posture"));
}

TEST_CASE("after every kind of input the timer is armed for the next deadline and the next reminder fires") {
    using Input = std::function<void(Day&)>;
    const std::vector<std::pair<const char*, Input>> inputs{
        {"status", [](Day& d) { d.app.status(); }},
        {"schedule", [](Day& d) { d.app.schedule(8h); }},
        {"history", [](Day& d) { d.app.history(0); }},
        {"drank", [](Day& d) { d.app.drank(200); }},
        {"pause for", [](Day& d) { d.app.pause(1min); }},
        {"pause and resume",
         [](Day& d) {
             d.app.pause(std::nullopt);
             d.app.resume();
         }},
        {"resume refused", [](Day& d) { CHECK_THROWS_AS(d.app.resume(), core::ControlError); }},
        {"snooze the next", [](Day& d) { d.app.answer("", core::Answer::snooze, 1min); }},
        {"done refused", [](Day& d) { CHECK_THROWS_AS(d.app.answer("", core::Answer::done, {}), core::ControlError); }},
        {"trigger", [](Day& d) { d.app.trigger("stretch"); }},
        {"trigger refused", [](Day& d) { CHECK_THROWS_AS(d.app.trigger("nope"), core::ControlError); }},
        {"button", [](Day& d) { d.app.on_buttons({"nope"}, core::Answer::done); }},
        {"closed",
         [](Day& d) {
             d.app.on_closed({"posture", "nope"}, core::CloseReason::dismissed);
         }},
        {"reload",
         [](Day& d) {
             d.ports.next_profile = [] { return daemon::ProfileLoad{day_profile(), ""}; };
             d.app.reload();
         }},
        {"reload refused",
         [](Day& d) {
             d.ports.next_profile = [] { return daemon::ProfileLoad{std::nullopt, "x:1:1: error: no"}; };
             d.app.reload_on_signal();
         }},
        {"dnd on and off",
         [](Day& d) {
             d.app.on_report({"dunst", daemon::Signal::dnd, true, {}});
             d.app.on_report({"dunst", daemon::Signal::dnd, false, {}});
         }},
        {"locked and unlocked",
         [](Day& d) {
             d.app.on_report({"logind", daemon::Signal::locked, true, {}});
             d.app.on_report({"logind", daemon::Signal::locked, false, {}});
         }},
        {"idle and back",
         [](Day& d) {
             d.app.on_report({"x11-idle", daemon::Signal::idle, true, d.clock.now()});
             d.app.on_report({"x11-idle", daemon::Signal::idle, false, {}});
         }},
        {"sleep and wake",
         [](Day& d) {
             d.app.on_report({"logind", daemon::Signal::asleep, true, {}});
             d.app.on_report({"logind", daemon::Signal::asleep, false, {}});
         }},
        {"a sleep seen at wake-up",
         [](Day& d) {
             d.clock.suspend(1min);
             d.presence.to_credit = 1min;
             d.app.status();
         }},
        {"wall clock",
         [](Day& d) {
             d.app.on_report({"clock", daemon::Signal::wall_clock, true, {}});
         }},
        {"sources changed",
         [](Day& d) {
             d.presence.sources.emplace_back("dunst");
             d.app.on_sources_changed();
         }},
    };
    for (const auto& [name, input] : inputs) {
        DYNAMIC_SECTION(name) {
            Day d;
            d.until(8, 5);
            const int arms = d.ports.arms;
            input(d);
            d.idle();
            // The ritual ran: the timer was armed again, for exactly what the scheduler waits for.
            CHECK(d.ports.arms > arms);
            CHECK(d.ports.armed == d.app.scheduler().next_deadline());
            // And reminders go on: posture (every 20 min) shows within the next 25 minutes.
            d.until(8, 30);
            CHECK_FALSE(d.take_shown().empty());
        }
    }
}

TEST_CASE("nothing is recorded or flushed before limberd is the session's one") {
    Day d(false);
    d.app.on_sources_changed();
    d.app.on_report({"logind", daemon::Signal::locked, true, {}});
    CHECK(d.ports.flushes_asked == 0);
    d.app.start(std::nullopt, std::make_unique<FakeBook>(d.events));
    CHECK(d.kinds().front() == "start");
}

}  // namespace limber::test
