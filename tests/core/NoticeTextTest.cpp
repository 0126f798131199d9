// The words of a notification: lengths as a sentence says them, the merged
// notice's summary and lines, a break's body, and the count-down's few updates.

#include <limber/core/NoticeText.hpp>

#include <catch2/catch.hpp>

using namespace limber::core;
using namespace std::chrono;

TEST_CASE("lengths read as a sentence says them", "[core][notice-text]") {
    CHECK(spoken_length(seconds(0)) == "0 s");
    CHECK(spoken_length(seconds(45)) == "45 s");
    CHECK(spoken_length(seconds(90)) == "1 min 30 s");
    CHECK(spoken_length(minutes(20)) == "20 min");
    CHECK(spoken_length(hours(1) + minutes(5) + seconds(3)) == "1 h 5 min");
    CHECK(spoken_length(milliseconds(59'600)) == "1 min");  // rounded to the second
}

TEST_CASE("a merged notice: a short title, one line per reminder starting with its title", "[core][notice-text]") {
    CHECK(merged_title(3) == "3 reminders");
    Reminder nudge;
    nudge.title = "Posture check";
    nudge.message = "Sit back.";
    Reminder pause = nudge;
    pause.title = "Time to stretch";
    pause.message = "Stretch gently.";
    pause.duration = seconds(90);
    CHECK(merged_line(nudge) == "Posture check");
    CHECK(merged_line(pause) == "Time to stretch (1 min 30 s break)");
}

TEST_CASE("a break's body says how long it lasts; a nudge's does not", "[core][notice-text]") {
    Notice n;
    n.names = {"stretch"};
    n.message = "Stretch gently.";
    n.tip = "Never force a stretch.";
    CHECK(notice_body(n) == "Stretch gently.\n\nNever force a stretch.");
    n.length = minutes(2);
    CHECK(notice_body(n) == "Stretch gently.\nA 2 min break: Done starts it.\n\nNever force a stretch.");
    n.tip.clear();
    CHECK(notice_body(n) == "Stretch gently.\nA 2 min break: Done starts it.");
    // A merged notice says each break's length on its own line (merged_line), not once more.
    n.names = {"stretch", "posture"};
    n.message = "Time to stretch (2 min break)\nPosture check";
    CHECK(notice_body(n) == n.message);
}

TEST_CASE("a break's count-down: a handful of updates, then break over", "[core][notice-text]") {
    SECTION("a short break: start, halfway, over") {
        const auto steps = countdown("Time to stretch", seconds(90));
        REQUIRE(steps.size() == 3);
        CHECK(steps[0].at == Duration::zero());
        CHECK(steps[0].body == "Break: 1 min 30 s left.");
        CHECK(steps[0].title == "Time to stretch");
        CHECK(steps[0].percent == 0);
        CHECK(steps[1].at == seconds(45));
        CHECK(steps[1].body == "Break: 45 s left.");
        CHECK(steps[1].percent == 50);
        CHECK(steps[2].at == seconds(90));
        CHECK(steps[2].title == "Break over");
        CHECK(steps[2].body == "Time to stretch: done. Back to work, gently.");
        CHECK(steps[2].percent == 100);
        CHECK(steps[2].over);
        CHECK_FALSE(steps[1].over);
    }
    SECTION("a long break adds the last minute, and never more than four updates") {
        const auto steps = countdown("Move around", minutes(10));
        REQUIRE(steps.size() == 4);
        CHECK(steps[1].body == "Break: 5 min left.");
        CHECK(steps[2].at == minutes(9));
        CHECK(steps[2].body == "Break: 1 min left.");
        CHECK(steps[2].percent == 90);
        for (Duration length :
             std::initializer_list<Duration>{seconds(1), seconds(2), minutes(2), minutes(3), hours(2)}) {
            const auto s = countdown("x", length);
            INFO(spoken_length(length));
            CHECK(s.size() <= 4);
            CHECK(s.back().over);
            CHECK(s.back().at == length);
            for (std::size_t i = 1; i < s.size(); ++i) CHECK(s[i - 1].at < s[i].at);
        }
    }
    SECTION("a nudge has no count-down") { CHECK(countdown("x", Duration::zero()).empty()); }
}
