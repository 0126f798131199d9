#include <limber/daemon/PresenceBoard.hpp>

#include <catch2/catch.hpp>

using limber::core::Away;
using limber::daemon::PresenceBoard;

TEST_CASE("a reason holds while any source holds it", "[daemon][presence]") {
    PresenceBoard board;
    CHECK(board.set_away("logind", Away::locked, true));                   // began
    CHECK_FALSE(board.set_away("gnome-screensaver", Away::locked, true));  // already held
    CHECK_FALSE(board.set_away("logind", Away::locked, false));            // the screen saver still holds it
    CHECK(board.away(Away::locked));
    CHECK(board.holders(Away::locked) == std::set<std::string>{"gnome-screensaver"});
    CHECK(board.set_away("gnome-screensaver", Away::locked, false));  // ended
    CHECK_FALSE(board.any_away());

    SECTION("reasons are separate") {
        CHECK(board.set_away("x11-idle", Away::idle, true));
        CHECK(board.set_away("logind", Away::locked, true));
        CHECK(board.set_away("x11-idle", Away::idle, false));
        CHECK(board.any_away());
        CHECK_FALSE(board.away(Away::idle));
    }
    SECTION("a repeated answer changes nothing") {
        CHECK(board.set_away("logind", Away::idle, true));
        CHECK_FALSE(board.set_away("logind", Away::idle, true));
        CHECK_FALSE(board.set_away("mutter-idle", Away::idle, false));
        CHECK(board.away(Away::idle));
    }
}

TEST_CASE("do-not-disturb from several sources", "[daemon][presence]") {
    PresenceBoard board;
    CHECK(board.set_dnd("dunst", true));
    CHECK_FALSE(board.set_dnd("gnome-notifications", true));
    CHECK_FALSE(board.set_dnd("dunst", false));
    CHECK(board.dnd());
    CHECK(board.dnd_holders() == std::set<std::string>{"gnome-notifications"});
    CHECK(board.set_dnd("gnome-notifications", false));
    CHECK_FALSE(board.dnd());
}
