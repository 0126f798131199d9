// PresenceHub over fake sources: registry order, precedence among rivals, readiness, and the
// hand-off of reports and changes to the listener. No GLib, no bus.

#include <limber/daemon/PresenceHub.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <chrono>

using namespace limber::daemon;
using namespace std::chrono_literals;
using limber::core::Duration;

namespace {

/** What the test sets for one fake source, and what the hub did to it. */
struct FakeState {
    std::string name;
    std::vector<std::string> names;  // empty: {name}
    bool made = true;                // false: the factory returns null (no bus, no display)
    bool in_use = true;
    bool settled = true;
    bool tells_presence = true;
    Duration slept{};
    // Seen:
    std::optional<bool> enabled;  // the last set_enabled, if any
    int enable_calls = 0;
    std::optional<Duration> idle_after;
    PresenceContext context;  // the callbacks the source was given
    bool alive = false;
};

std::array<FakeState, 8> world;  // the factories below read it: a factory is a plain function

class FakeSource final : public PresenceSource {
public:
    explicit FakeSource(FakeState& state) : state_(state) { state_.alive = true; }
    ~FakeSource() override { state_.alive = false; }
    std::string name() const override { return state_.name; }
    bool in_use() const override { return state_.in_use; }
    std::vector<std::string> names() const override {
        return state_.names.empty() ? std::vector<std::string>{state_.name} : state_.names;
    }
    bool settled() const override { return state_.settled; }
    bool tells_presence() const override { return state_.tells_presence; }
    void set_idle_after(Duration idle_after) override { state_.idle_after = idle_after; }
    void set_enabled(bool enabled) override {
        state_.enabled = enabled;
        ++state_.enable_calls;
    }
    Duration slept() override { return std::exchange(state_.slept, Duration{}); }

private:
    FakeState& state_;
};

template <std::size_t I>
std::unique_ptr<PresenceSource> make_fake(const PresenceContext& context) {
    FakeState& state = world[I];
    state.context = context;
    state.idle_after = context.idle_after;
    if (!state.made) return nullptr;
    return std::make_unique<FakeSource>(state);
}

/** A registry shaped like the real one. */
const std::vector<PresenceEntry> registry = {
    {make_fake<0>},                     // logind
    {make_fake<1>},                     // a screen saver
    {make_fake<2>, Rivals::idle_time},  // mutter-idle
    {make_fake<3>, Rivals::idle_time},  // x11-idle
    {make_fake<4>, Rivals::idle_time},  // kde-idle
    {make_fake<5>},                     // dnd: several names
    {make_fake<6>},                     // clock
};

void reset_world() {
    world = {};
    const char* names[] = {"logind", "gnome-screensaver", "mutter-idle", "x11-idle", "kde-idle", "dnd", "clock", ""};
    for (std::size_t i = 0; i < world.size(); ++i) world[i].name = names[i];
    world[5].names = {"dunst", "gnome-notifications"};
    world[5].tells_presence = false;
    world[6].tells_presence = false;
}

struct Listener final : PresenceListener {
    std::vector<Report> reports;
    int changes = 0;
    std::function<void()> on_change;
    void on_report(const Report& report) override { reports.push_back(report); }
    void on_sources_changed() override {
        ++changes;
        if (on_change) on_change();
    }
};

using Names = std::vector<std::string>;

}  // namespace

TEST_CASE("among rivals the first in use wins; the others stand down", "[daemon][presence]") {
    using R = Rivals;
    CHECK(outranked({R::idle_time, R::idle_time, R::idle_time}, {false, true, true}) ==
          std::vector<bool>{false, false, true});
    CHECK(outranked({R::idle_time, R::idle_time, R::idle_time}, {true, true, true}) ==
          std::vector<bool>{false, true, true});
    // Nothing in use: every rival stays ready to answer.
    CHECK(outranked({R::idle_time, R::idle_time}, {false, false}) == std::vector<bool>{false, false});
    // Sources without rivals never stand down, and do not count as winners.
    CHECK(outranked({R::none, R::idle_time, R::none, R::idle_time}, {true, false, true, true}) ==
          std::vector<bool>{false, false, false, false});
}

TEST_CASE("the hub lists the sources in use in registry order, after precedence", "[daemon][presence]") {
    reset_world();
    world[2].in_use = false;  // Mutter has not answered yet
    Listener listener;
    PresenceHub hub(listener, registry);
    hub.start(nullptr, 3min);

    CHECK(hub.in_use() == Names{"logind", "gnome-screensaver", "x11-idle", "dunst", "gnome-notifications", "clock"});
    CHECK(world[4].enabled == false);  // KDE stands down while X11 answers
    CHECK(world[3].enabled == true);
    CHECK(world[6].enable_calls == 0);  // no rivals: never told
    CHECK(listener.changes == 0);       // start is not a change: the caller asks once start returns

    SECTION("Mutter appearing stands X11 and KDE down, before the listener hears of it") {
        bool x11_down_when_told = false;
        listener.on_change = [&] { x11_down_when_told = world[3].enabled == false; };
        world[2].in_use = true;
        world[2].context.changed();
        CHECK(listener.changes == 1);
        CHECK(x11_down_when_told);
        CHECK(world[4].enabled == false);
        CHECK(hub.in_use() ==
              Names{"logind", "gnome-screensaver", "mutter-idle", "dunst", "gnome-notifications", "clock"});

        // Mutter going: X11 takes over again.
        world[2].in_use = false;
        world[2].context.changed();
        CHECK(world[3].enabled == true);
        CHECK(world[4].enabled == false);
        CHECK(hub.in_use() ==
              Names{"logind", "gnome-screensaver", "x11-idle", "dunst", "gnome-notifications", "clock"});
    }
    SECTION("the X server going away brings KDE back") {
        world[3].in_use = false;
        world[3].context.changed();
        CHECK(world[4].enabled == true);
        CHECK(hub.in_use() ==
              Names{"logind", "gnome-screensaver", "kde-idle", "dunst", "gnome-notifications", "clock"});
    }
    SECTION("a source that is not in use is not listed") {
        world[1].in_use = false;
        world[5].in_use = false;
        world[1].context.changed();
        CHECK(hub.in_use() == Names{"logind", "x11-idle", "clock"});
    }
}

TEST_CASE("a source its factory cannot make is left out", "[daemon][presence]") {
    reset_world();
    world[0].made = false;  // no logind session
    world[3].made = false;  // no X display
    world[2].in_use = false;
    Listener listener;
    PresenceHub hub(listener, registry);
    hub.start(nullptr, 3min);
    CHECK(hub.in_use() == Names{"gnome-screensaver", "kde-idle", "dunst", "gnome-notifications", "clock"});
    CHECK(world[4].enabled == true);
}

TEST_CASE("known, settled, slept and idle_after over all sources", "[daemon][presence]") {
    reset_world();
    Listener listener;
    PresenceHub hub(listener, registry);

    SECTION("known: some source in use can tell presence") {
        for (auto i : {0, 1, 2, 3, 4}) world[i].in_use = false;
        hub.start(nullptr, 3min);
        CHECK_FALSE(hub.known());  // only do-not-disturb and the clock
        world[4].in_use = true;
        CHECK(hub.known());
    }
    SECTION("settled: every source answered once") {
        world[1].settled = false;
        world[5].settled = false;
        hub.start(nullptr, 3min);
        CHECK_FALSE(hub.settled());
        world[1].settled = true;
        CHECK_FALSE(hub.settled());
        world[5].settled = true;
        CHECK(hub.settled());
    }
    SECTION("slept: what the measuring source says, once") {
        hub.start(nullptr, 3min);
        CHECK(hub.slept() == Duration{});
        world[6].slept = 90s;
        CHECK(hub.slept() == Duration(90s));
        CHECK(hub.slept() == Duration{});
    }
    SECTION("idle_after reaches every source, at start and on reload") {
        hub.start(nullptr, 3min);
        CHECK(world[3].idle_after == Duration(3min));
        hub.set_idle_after(5min);
        for (auto i : {0, 1, 2, 3, 4, 5, 6}) CHECK(world[i].idle_after == Duration(5min));
    }
}

TEST_CASE("reports reach the listener as they are, from start to stop", "[daemon][presence]") {
    reset_world();
    Listener listener;
    PresenceHub hub(listener, registry);
    hub.start(nullptr, 3min);
    const auto since = limber::core::Instant(10s);
    world[3].context.report({"x11-idle", Signal::idle, true, since});
    world[5].context.report({"dunst", Signal::dnd, true, std::nullopt});
    REQUIRE(listener.reports.size() == 2);
    CHECK(listener.reports[0].source == "x11-idle");
    CHECK(listener.reports[0].signal == Signal::idle);
    CHECK(listener.reports[0].on);
    CHECK(listener.reports[0].since == since);
    CHECK(listener.reports[1].source == "dunst");
    CHECK(listener.reports[1].signal == Signal::dnd);

    SECTION("changes during start are not passed on") {
        hub.stop();
        world[2].in_use = false;
        listener.changes = 0;
        // A factory that says "changed" while it is made (as X11Fullscreen's first reading does).
        static const std::vector<PresenceEntry> eager = {{[](const PresenceContext& context) {
            context.changed();
            return make_fake<7>(context);
        }}};
        PresenceHub other(listener, eager);
        world[7].name = "eager";
        other.start(nullptr, 3min);
        CHECK(listener.changes == 0);
        CHECK(other.in_use() == Names{"eager"});
    }
    SECTION("stop ends every source") {
        hub.stop();
        for (auto i : {0, 1, 2, 3, 4, 5, 6}) CHECK_FALSE(world[i].alive);
        CHECK(hub.in_use().empty());
        CHECK_FALSE(hub.known());
    }
}
