// Which Wayland idle protocol limberd's source uses, given what a compositor offers (pure; the
// source itself runs against a scripted compositor and a real sway in tests/e2e).
#include <limber/adapters/WaylandIdle.hpp>

#include <catch2/catch.hpp>

#include <string>

using limber::adapters::choose_wayland_idle;
using limber::adapters::wayland_idle_name;
using limber::adapters::WaylandIdleProtocol;

TEST_CASE("ext-idle-notify version 2 is preferred: idle from input alone, past idle inhibitors") {
    CHECK(choose_wayland_idle(2, true) == WaylandIdleProtocol::ext_input);
    CHECK(choose_wayland_idle(2, false) == WaylandIdleProtocol::ext_input);
    // A later version still offers version 2's request (limberd binds at most version 2).
    CHECK(choose_wayland_idle(3, false) == WaylandIdleProtocol::ext_input);
}

TEST_CASE("ext-idle-notify version 1 comes before KDE's org_kde_kwin_idle") {
    CHECK(choose_wayland_idle(1, true) == WaylandIdleProtocol::ext);
    CHECK(choose_wayland_idle(1, false) == WaylandIdleProtocol::ext);
}

TEST_CASE("org_kde_kwin_idle alone (sway 1.7, wlroots 0.15) is used; nothing offered, no source") {
    CHECK(choose_wayland_idle(0, true) == WaylandIdleProtocol::kde);
    CHECK(choose_wayland_idle(0, false) == WaylandIdleProtocol::none);
}

TEST_CASE("each protocol has the name limberd logs") {
    CHECK(std::string(wayland_idle_name(WaylandIdleProtocol::ext_input)) == "ext-idle-notify-v1 (input)");
    CHECK(std::string(wayland_idle_name(WaylandIdleProtocol::ext)) == "ext-idle-notify-v1");
    CHECK(std::string(wayland_idle_name(WaylandIdleProtocol::kde)) == "org_kde_kwin_idle");
    CHECK(std::string(wayland_idle_name(WaylandIdleProtocol::none)) == "none");
}
