// limber-tray's model: the icon, tooltip and menu for each status, and when a count-down changes.

#include "../ctl/LocalZone.hpp"

#include <limber/tray/TrayModel.hpp>

#include <catch2/catch.hpp>

using namespace limber::tray;
using limber::bus::ReminderStatus;
using limber::bus::Status;
using limber::test::central_europe;
using limber::test::LocalZone;
using limber::test::utc;

namespace {

// Wednesday 2026-11-25 10:00 in Berlin (+01:00).
const std::time_t wednesday_ten = static_cast<std::time_t>(utc(2026, 11, 25, 9, 0));

ReminderStatus reminder(std::string name, std::int64_t due_in) {
    ReminderStatus r;
    r.name = std::move(name);
    r.kind = "posture";
    r.every = 1200;
    r.due_in = due_in;
    return r;
}

Status active_status() {
    Status s;
    s.state = "active";
    s.profile = "/home/a/.config/limber/profile.toml";
    s.reminders = {reminder("stretch", 1500), reminder("posture", 725)};
    return s;
}

}  // namespace

TEST_CASE("each state has its own icon, and no limberd its own too", "[tray][icon]") {
    CHECK(tray_state(std::nullopt) == TrayState::not_running);
    const std::pair<const char*, const char*> cases[] = {
        {"active", "limber-tray-active"}, {"paused", "limber-tray-paused"},
        {"away", "limber-tray-away"},     {"off-hours", "limber-tray-off-hours"},
        {"dnd", "limber-tray-dnd"},       {"a-state-of-tomorrow", "limber-tray-active"}};
    for (const auto& [state, icon] : cases) {
        Status s = active_status();
        s.state = state;
        CHECK(icon_name(tray_state(s)) == icon);
    }
    CHECK(icon_name(TrayState::not_running) == "limber-tray-not-running");
}

TEST_CASE("active: the soonest reminder in the tooltip and first in the menu, with its count-down", "[tray][menu]") {
    const LocalZone zone(central_europe);
    const TrayModel m = tray_model(active_status(), {}, wednesday_ten);
    CHECK(m.running);
    CHECK(m.item_status == "Active");
    CHECK(m.tooltip_title == "limber: active");
    CHECK(m.tooltip_body == "posture in 13m");
    REQUIRE(m.upcoming.size() == 2);
    CHECK(m.upcoming[0] == "posture: in 13m");
    CHECK(m.upcoming[1] == "stretch: in 25m");
    CHECK(m.snooze_label == "Snooze posture");
    CHECK(m.done_label.empty());
    CHECK_FALSE(m.can_resume);
    // 725 s shows "13m" until 720 s: the one timer is armed for 5 s.
    REQUIRE(m.changes_in);
    CHECK(*m.changes_in == 5);
}

TEST_CASE("minutes only: the last minute reads \"in 1m\" with one timer to \"now\", not a tick a second",
          "[tray][timer]") {
    const LocalZone zone(central_europe);
    Status s = active_status();
    s.reminders[1].due_in = 61;  // "in 2m" for one more second
    TrayModel m = tray_model(s, {}, wednesday_ten);
    CHECK(m.tooltip_body == "posture in 2m");
    CHECK(m.changes_in == std::optional<std::int64_t>(1));
    s.reminders[1].due_in = 45;
    m = tray_model(s, {}, wednesday_ten);
    CHECK(m.tooltip_body == "posture in 1m");
    CHECK(m.changes_in == std::optional<std::int64_t>(45));
    s.reminders[1].due_in = 0;
    m = tray_model(s, {}, wednesday_ten);
    CHECK(m.tooltip_body == "posture now");
    CHECK(m.changes_in == std::optional<std::int64_t>(60));  // stretch's "in 25m" still counts down
}

TEST_CASE("the one on screen comes first, and Done names it", "[tray][menu]") {
    const LocalZone zone(central_europe);
    Status s = active_status();
    s.reminders[0].on_screen = true;
    const TrayModel m = tray_model(s, {}, wednesday_ten);
    CHECK(m.upcoming[0] == "stretch: on screen");
    CHECK(m.tooltip_body == "stretch on screen");
    CHECK(m.done_label == "Done: stretch");
    CHECK(m.snooze_label == "Snooze stretch");
    REQUIRE(m.changes_in);  // posture's count-down still runs
    CHECK(*m.changes_in == 5);
}

TEST_CASE("paused: Resume offered, the end of the pause in the tooltip, no timer", "[tray][menu]") {
    const LocalZone zone(central_europe);
    Status s = active_status();
    s.state = "paused";
    s.paused_until = wednesday_ten + 1800;
    const TrayModel m = tray_model(s, {}, wednesday_ten);
    CHECK(m.state == TrayState::paused);
    CHECK(m.icon == "limber-tray-paused");
    CHECK(m.can_resume);
    CHECK(m.tooltip_title == "limber: paused until 10:30");
    CHECK_FALSE(m.changes_in);
    s.paused_until = 0;
    CHECK(tray_model(s, {}, wednesday_ten).tooltip_title == "limber: paused until you resume");
}

TEST_CASE("clocks that stand arm no timer: away, off-hours, a reminder outside its hours", "[tray][timer]") {
    const LocalZone zone(central_europe);
    for (const char* state : {"away", "off-hours", "dnd"}) {
        Status s = active_status();
        s.state = state;
        const TrayModel m = tray_model(s, {}, wednesday_ten);
        CHECK_FALSE(m.changes_in);
        // Only outside active hours may the host tuck the item away.
        CHECK(m.item_status == (std::string(state) == "off-hours" ? "Passive" : "Active"));
    }
    Status s = active_status();
    for (auto& r : s.reminders) r.running = false;
    const TrayModel m = tray_model(s, {}, wednesday_ten);
    CHECK_FALSE(m.changes_in);
    CHECK(m.upcoming[0] == "posture: outside its hours");
}

TEST_CASE("not running: a grey icon kept in sight, one line, no actions", "[tray][menu]") {
    const LocalZone zone(central_europe);
    const TrayModel m = tray_model(std::nullopt, {}, wednesday_ten);
    CHECK_FALSE(m.running);
    CHECK(m.item_status == "Active");
    CHECK(m.icon == "limber-tray-not-running");
    CHECK(m.tooltip_title == "limber is not running");
    CHECK(m.upcoming == std::vector<std::string>{"limberd is not running"});
    CHECK(m.snooze_label.empty());
    CHECK(m.water_label.empty());
    CHECK_FALSE(m.changes_in);
}

TEST_CASE("water in glasses, against the goal when there is one", "[tray][water]") {
    const LocalZone zone(central_europe);
    Status s = active_status();
    s.water_today_ml = 750;
    s.water_goal_ml = 2000;
    CHECK(tray_model(s, {250, 0}, wednesday_ten).water_label == "Water: 3 of 8 glasses");
    s.water_goal_ml = 0;
    s.water_today_ml = 250;
    CHECK(tray_model(s, {250, 0}, wednesday_ten).water_label == "Water: 1 glass today");
}

TEST_CASE("Pause until tomorrow's start of hours", "[tray][pause]") {
    const LocalZone zone(central_europe);
    const TrayModel m = tray_model(active_status(), {250, 8 * 60}, wednesday_ten);
    CHECK(m.pause_tomorrow_until == utc(2026, 11, 26, 7, 0));  // 08:00 in Berlin
    CHECK(m.pause_tomorrow_label == "Pause until tomorrow 08:00");
    // Across the change to summer time: 2027-03-27 10:00 CET, tomorrow 08:00 is CEST (+02:00).
    CHECK(tomorrow_at(8 * 60, static_cast<std::time_t>(utc(2027, 3, 27, 9, 0))) == utc(2027, 3, 28, 6, 0));
}

TEST_CASE("advance runs down only the clocks that run, and only while active", "[tray][timer]") {
    Status s = active_status();
    s.reminders[0].on_screen = true;
    const Status later = advance(s, 100);
    CHECK(later.reminders[0].due_in == 1500);  // on screen
    CHECK(later.reminders[1].due_in == 625);
    CHECK(advance(s, 10000).reminders[1].due_in == 0);
    s.state = "paused";
    CHECK(advance(s, 100) == s);
}

TEST_CASE("today's summary names every count", "[tray][stats]") {
    limber::core::StatsReport report;
    report.total.shown = 5;
    report.total.done = 3;
    report.total.snoozed = 1;
    report.water_ml = 750;
    report.active_s = 3 * 3600 + 20 * 60;
    const std::string text = today_summary(report);
    CHECK(text.find("Reminders shown: 5") != std::string::npos);
    CHECK(text.find("Done: 3") != std::string::npos);
    CHECK(text.find("Snoozed: 1") != std::string::npos);
    CHECK(text.find("Water: 750 ml") != std::string::npos);
    CHECK(text.find("At the computer: 3h 20m") != std::string::npos);
}
