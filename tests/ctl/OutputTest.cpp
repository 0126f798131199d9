// limberctl's output: lengths and times, the spec's JSON shapes, Waybar, terminal columns.

#include "LocalZone.hpp"

#include <limber/bus/Protocol.hpp>
#include <limber/ctl/Output.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>

using namespace limber::ctl;
using limber::test::central_europe;
using limber::test::LocalZone;
using limber::test::utc;
using nlohmann::json;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

Status sample() {
    Status s;
    s.state = "active";
    s.profile = "/home/u/.config/limber/profile.toml";
    s.reminders = {
        {"posture", "posture", 1200, 0, 734, 0, true, false},
        {"stretch", "stretch", 2700, 60, 2000, 0, true, false},
        {"water", "hydration", 3600, 0, 3300, 2, true, false},
        {"old", "custom", 600, 0, 600, 0, false, false},
    };
    return s;
}

}  // namespace

TEST_CASE("lengths read as people say them", "[ctl][output]") {
    CHECK(in_time(0) == "now");
    CHECK(in_time(-5) == "now");
    CHECK(in_time(1) == "in 1s");
    CHECK(in_time(45) == "in 45s");
    CHECK(in_time(59) == "in 59s");
    CHECK(in_time(60) == "in 1m");
    // A count-down is rounded up to the unit it shows: "in 2m" is at most two minutes away.
    CHECK(in_time(61) == "in 2m");
    CHECK(in_time(119) == "in 2m");
    CHECK(in_time(120) == "in 2m");
    CHECK(in_time(121) == "in 3m");
    CHECK(in_time(734) == "in 13m");
    CHECK(in_time(3540) == "in 59m");
    CHECK(in_time(3541) == "in 1h");
    CHECK(in_time(3599) == "in 1h");
    CHECK(in_time(3600) == "in 1h");
    CHECK(in_time(3601) == "in 1h 1m");
    CHECK(in_time(3900) == "in 1h 5m");
    CHECK(in_time(8 * 3600 + 59) == "in 8h 1m");
    CHECK(in_time(86340) == "in 23h 59m");
    CHECK(in_time(86341) == "in 1d");
    CHECK(in_time(86400) == "in 1d");
    CHECK(in_time(86401) == "in 1d 1h");
    CHECK(in_time(90000) == "in 1d 1h");
    CHECK(count_down(0) == "0s");
    CHECK(count_down(119) == "2m");
    // A length (not a count-down) is rounded down.
    CHECK(human_length(0) == "0s");
    CHECK(human_length(1800) == "30m");
    CHECK(human_length(119) == "1m");
}

TEST_CASE("count_down_changes_in is exactly when count_down shows something else", "[ctl][output][watch]") {
    // Walking the seconds down: the text stays for count_down_changes_in(d) seconds, then changes.
    CHECK_FALSE(count_down_changes_in(0).has_value());
    CHECK_FALSE(count_down_changes_in(-3).has_value());
    std::int64_t bucket_start = 1;  // the lowest d showing what d shows
    for (std::int64_t d = 1; d <= 3 * 86400; ++d) {
        if (count_down(d) != count_down(d - 1)) bucket_start = d;
        const auto wait = count_down_changes_in(d);
        REQUIRE(wait.has_value());
        if (*wait != d - bucket_start + 1) {
            INFO("d = " << d << " shows " << count_down(d) << "; " << count_down(bucket_start - 1) << " from "
                        << bucket_start - 1);
            CHECK(*wait == d - bucket_start + 1);
            break;
        }
    }
}

TEST_CASE("schedule, status, waybar and pause show the same count-down", "[ctl][output][schedule]") {
    LocalZone zone(central_europe);
    const auto now = static_cast<std::time_t>(utc(2026, 11, 25, 9, 0));
    for (const std::int64_t d : {1, 59, 60, 61, 90, 119, 120, 734, 3599, 3601, 86401}) {
        INFO(d << " s away");
        Status s;
        s.state = "active";
        s.reminders = {{"posture", "posture", 100000, 0, d, 0, true, false}};
        const std::string shown = count_down(d);
        CHECK(lines(status_text(s, now))[3] == "posture  posture  1d3h46m40s  in " + shown);
        std::string compact = shown;
        compact.erase(std::remove(compact.begin(), compact.end(), ' '), compact.end());
        CHECK(status_waybar(s, now)["text"] == "posture " + compact);
        CHECK(contains(status_waybar(s, now)["tooltip"], "posture: in " + shown));
        CHECK(lines(schedule_text({{"posture", now + d}}, now, 2 * 86400))[3].find("  in " + shown + "  posture") !=
              std::string::npos);
        CHECK(watch_line(s, "text", now) == "posture " + compact);
    }
    // The case people met: 90 s away is "in 2m", not "in 1m".
    CHECK(lines(schedule_text({{"posture", now + 90}}, now, 8 * 3600))[3] == "10:01  in 2m  posture");
}

TEST_CASE("clock times are local", "[ctl][output][time]") {
    // ISO 8601 times are limber::core::iso8601_local's, tested in tests/core/TextTest.cpp.
    LocalZone zone(central_europe);
    CHECK(clock_time(utc(2026, 11, 25, 13, 5)) == "14:05");
}

TEST_CASE("--json status is exactly the spec's object", "[ctl][output][json]") {
    LocalZone zone(central_europe);
    Status s = sample();

    const json j = status_json(s);
    CHECK(j.size() == 5);  // the spec's four, and water
    CHECK(j["water"] == json::parse(R"({"today_ml": 0, "goal_ml": null})"));
    CHECK(j["state"] == "active");
    CHECK(j["paused_until"].is_null());
    CHECK(j["profile"] == "/home/u/.config/limber/profile.toml");
    REQUIRE(j["reminders"].is_array());
    REQUIRE(j["reminders"].size() == 4);
    const json& posture = j["reminders"][0];
    CHECK(posture == json::parse(R"({"name": "posture", "kind": "posture", "every": 1200, "duration": 0,
                          "due_in": 734, "snoozes": 0, "enabled": true, "on_screen": false})"));
    for (const auto& r : j["reminders"]) {
        for (auto key : {"every", "duration", "due_in", "snoozes"}) CHECK(r[key].is_number_integer());
        CHECK(r["enabled"].is_boolean());
        CHECK(r["name"].is_string());
        CHECK(r["kind"].is_string());
    }
    CHECK(j["reminders"][3]["enabled"] == false);

    s.water_today_ml = 750;
    s.water_goal_ml = 2000;
    CHECK(status_json(s)["water"] == json::parse(R"({"today_ml": 750, "goal_ml": 2000})"));

    s.state = "paused";
    s.paused_until = utc(2026, 11, 25, 13, 0);
    CHECK(status_json(s)["paused_until"] == "2026-11-25T14:00:00+01:00");

    s.reminders.clear();
    CHECK(status_json(s)["reminders"] == json::array());

    // One line, whatever the profile path holds.
    s.profile = "/home/u/\xff.toml";
    const auto line = dump(status_json(s));
    CHECK(line.find('\n') == std::string::npos);
    CHECK(contains(line, "\"profile\":"));
}

TEST_CASE("status reports presence: sources, away reasons, do-not-disturb", "[ctl][output][presence]") {
    LocalZone zone(central_europe);
    const auto now = static_cast<std::time_t>(utc(2026, 11, 25, 9, 0));
    Status s = sample();
    s.state = "away";
    s.presence = Presence{{"logind", "x11-idle", "dunst", "clock"}, false, true, false, true};

    const json j = status_json(s);
    CHECK(j.size() == 6);  // the spec's four, water, presence
    CHECK(j["state"] == "away");
    CHECK(j["presence"] == json::parse(R"({"sources": ["logind", "x11-idle", "dunst", "clock"], "away": true,
                                           "reasons": ["locked"], "idle": false, "locked": true, "dnd": true})"));
    const auto out = lines(status_text(s, now));
    CHECK(out[0] == "limber is waiting while you are away (profile /home/u/.config/limber/profile.toml)");
    CHECK(out[1] == "Presence: away (locked), do-not-disturb on; sources: logind, x11-idle, dunst, clock");
    CHECK(out[2].empty());

    s.presence = Presence{};
    CHECK(lines(status_text(s, now))[1] ==
          "Presence: at the computer; no sources (idle, lock and do-not-disturb are not detected here)");
    CHECK(status_json(s)["presence"]["reasons"] == json::array());
    CHECK(status_json(s)["presence"]["away"] == false);
}

TEST_CASE("status --format waybar", "[ctl][output][waybar]") {
    LocalZone zone(central_europe);
    const auto now = static_cast<std::time_t>(utc(2026, 11, 25, 9, 0));
    Status s = sample();

    json w = status_waybar(s, now);
    CHECK(w["text"] == "posture 13m");
    CHECK(w["class"] == "active");
    CHECK(w["percentage"] == 39);  // (1200 - 734) / 1200
    const std::string tooltip = w["tooltip"];
    CHECK(lines(tooltip) == std::vector<std::string>{"limber: active", "posture: in 13m", "stretch: in 34m",
                                                     "water: in 55m, snoozed 2×", "old: disabled"});
    CHECK(dump(w).find('\n') == std::string::npos);

    s.reminders[1].on_screen = true;
    w = status_waybar(s, now);
    CHECK(w["text"] == "stretch now");
    CHECK(w["percentage"] == 100);

    s.reminders[1].on_screen = false;
    s.reminders[0].due_in = 3900;
    s.reminders[0].every = 7200;
    w = status_waybar(s, now);
    CHECK(w["text"] == "stretch 34m");  // 2000 s: rounded up

    for (auto state : {"away", "off-hours", "dnd"}) {
        s.state = state;
        CHECK(status_waybar(s, now)["class"] == state);
    }

    s.state = "paused";
    s.paused_until = utc(2026, 11, 25, 13, 0);
    w = status_waybar(s, now);
    CHECK(w["text"] == "paused until 14:00");
    CHECK(w["class"] == "paused");
    CHECK(lines(w["tooltip"]).front() == "limber: paused until 14:00, in 4h");
    s.paused_until = 0;
    CHECK(status_waybar(s, now)["text"] == "paused");

    s.state = "active";
    s.reminders.clear();
    w = status_waybar(s, now);
    CHECK(w["text"] == "no reminders");
    CHECK(w["percentage"] == 0);
}

TEST_CASE("waybar's class \"soon\" while the next reminder is due within --soon", "[ctl][output][waybar]") {
    LocalZone zone(central_europe);
    const auto now = static_cast<std::time_t>(utc(2026, 11, 25, 9, 0));
    Status s = sample();  // posture next, in 734 s
    CHECK(status_waybar(s, now)["class"] == "active");
    CHECK(status_waybar(s, now, 734)["class"] == json::array({"active", "soon"}));
    CHECK(status_waybar(s, now, 733)["class"] == "active");
    s.reminders[0].due_in = 60;
    CHECK(status_waybar(s, now)["class"] == json::array({"active", "soon"}));  // default: a minute
    CHECK(json::parse(watch_line(s, "waybar", now))["class"] == json::array({"active", "soon"}));
    CHECK(status_waybar(s, now, 0)["class"] == "active");  // --soon 0s: never
    s.reminders[0].running = false;                        // outside its hours: its clock stands still
    CHECK(status_waybar(s, now)["class"] == "active");
    s.reminders[0].running = true;
    s.reminders[0].on_screen = true;  // shown already: "now", not soon
    CHECK(status_waybar(s, now)["class"] == "active");
    s.reminders[0].on_screen = false;
    s.state = "away";
    CHECK(status_waybar(s, now)["class"] == "away");

    // watch wakes when the class turns soon, not only when the count-down changes.
    Status one = sample();
    one.reminders.resize(1);
    one.reminders[0].due_in = 7260;  // "2h 1m" until 7201: 60 s
    CHECK(next_change_in(one, "waybar", 0) == 60);
    CHECK(next_change_in(one, "waybar", 7230) == 30);
    CHECK(next_change_in(one, "text", 7230) == 60);  // text has no class
}

TEST_CASE("watch lines: one line per format; stopped while limberd is away", "[ctl][output][watch]") {
    LocalZone zone(central_europe);
    const auto now = static_cast<std::time_t>(utc(2026, 11, 25, 9, 0));
    const Status s = sample();
    CHECK(watch_line(s, "text", now) == "posture 13m");
    CHECK(json::parse(watch_line(s, "waybar", now)) == status_waybar(s, now));
    CHECK(json::parse(watch_line(s, "json", now)) == status_json(s));
    for (const char* format : {"text", "waybar", "json"}) {
        INFO(format);
        CHECK(watch_line(s, format, now).find('\n') == std::string::npos);
        CHECK(stopped_line(format).find('\n') == std::string::npos);
    }
    CHECK(stopped_line("text") == "limberd not running");
    const json waybar = json::parse(stopped_line("waybar"));
    CHECK(waybar["class"] == "stopped");
    CHECK(contains(waybar["tooltip"], "systemctl --user start limber"));
    CHECK(json::parse(stopped_line("json"))["state"] == "stopped");
}

TEST_CASE("watch wakes only when the displayed count-down changes", "[ctl][output][watch]") {
    Status s = sample();  // posture next, due in 734 s = "13m" until 721 s, "12m" at 720 s
    CHECK(next_change_in(s, "text") == 14);
    // Waybar's tooltip also shows stretch (2000 s: next at 1980, in 20 s) and water (3300 s = 55m: in 60 s).
    CHECK(next_change_in(s, "waybar") == 14);
    s.reminders[1].due_in = 1990;
    CHECK(next_change_in(s, "waybar") == 10);
    CHECK_FALSE(next_change_in(s, "json").has_value());  // due_in is a snapshot: events only

    Status one = s;
    one.reminders.resize(1);
    auto after = [&one](std::int64_t due_in) {
        one.reminders[0].due_in = due_in;
        return next_change_in(one, "text");
    };
    CHECK(after(45) == 1);              // the last minute counts seconds
    CHECK(after(60) == 1);              // "1m", then "59s"
    CHECK(after(61) == 1);              // "2m", then "1m"
    CHECK(after(119) == 59);            // "2m" until 61
    CHECK(after(7260) == 60);           // "2h 1m" until 7201, "2h" at 7200
    CHECK(after(7261) == 1);            // "2h 2m", then "2h 1m"
    CHECK(after(90001) == 1);           // "1d 2h", then "1d 1h": hours
    CHECK(after(90000) == 3600);        // "1d 1h" until 86401
    CHECK_FALSE(after(0).has_value());  // "now": only an answer changes it

    // Nothing runs down: no timer at all.
    for (const char* state : {"paused", "away", "off-hours", "dnd"}) {
        s.state = state;
        CHECK_FALSE(next_change_in(s, "text").has_value());
        CHECK_FALSE(next_change_in(s, "waybar").has_value());
    }
    s.state = "active";
    s.reminders[0].due_in = 734;
    s.reminders[0].on_screen = true;  // "posture now" until it is answered
    CHECK_FALSE(next_change_in(s, "text").has_value());
    s.reminders[0].on_screen = false;
    s.reminders[0].running = false;                      // outside its own active hours: its clock stands still
    CHECK_FALSE(next_change_in(s, "text").has_value());  // "posture 13m" stays as it is
    CHECK(next_change_in(s, "waybar") == 10);            // the tooltip's other reminders still run
}

TEST_CASE("status in a terminal: header, then aligned columns", "[ctl][output][text]") {
    LocalZone zone(central_europe);
    const auto now = static_cast<std::time_t>(utc(2026, 11, 25, 9, 0));
    Status s = sample();
    s.profile = "/etc/xdg/limber/profile.toml";
    s.reminders[0].on_screen = true;
    const auto out = lines(status_text(s, now));
    REQUIRE(out.size() == 7);
    CHECK(out[0] == "limber is active (profile /etc/xdg/limber/profile.toml)");
    CHECK(out[1].empty());
    CHECK(out[2] == "NAME     KIND       EVERY  NEXT");
    CHECK(out[3] == "posture  posture    20m    on screen");
    CHECK(out[4] == "stretch  stretch    45m    in 34m");
    CHECK(out[5] == "water    hydration  1h     in 55m, snoozed 2×");
    CHECK(out[6] == "old      custom     10m    disabled");

    s.state = "paused";
    s.paused_until = utc(2026, 11, 25, 13, 0);
    s.profile = "";
    CHECK(lines(status_text(s, now))[0] == "limber is paused until 14:00, in 4h (built-in profile)");
    s.paused_until = utc(2026, 11, 26, 7, 0);
    CHECK(lines(status_text(s, now))[0] == "limber is paused until tomorrow 08:00, in 22h (built-in profile)");
    s.paused_until = 0;
    CHECK(lines(status_text(s, now))[0] == "limber is paused until you resume (built-in profile)");
    s.state = "off-hours";
    CHECK(lines(status_text(s, now))[0] == "limber is waiting outside active hours (built-in profile)");
    s.reminders.clear();
    CHECK(lines(status_text(s, now)).back() == "No reminders: the profile has none.");
}

TEST_CASE("schedule: time order, ISO times, merged showings on one line", "[ctl][output][schedule]") {
    LocalZone zone(central_europe);
    const auto now = static_cast<std::time_t>(utc(2026, 11, 25, 21, 0));  // 22:00 local
    const std::vector<Showing> showings = {
        {"water", utc(2026, 11, 25, 22, 0)},
        {"posture", utc(2026, 11, 25, 21, 20)},
        {"stretch", utc(2026, 11, 25, 22, 0)},
        {"posture", utc(2026, 11, 26, 7, 0)},
    };
    const json j = schedule_json(showings);
    CHECK(j == json::parse(R"({"reminders": [
        {"name": "posture", "at": "2026-11-25T22:20:00+01:00"},
        {"name": "water", "at": "2026-11-25T23:00:00+01:00"},
        {"name": "stretch", "at": "2026-11-25T23:00:00+01:00"},
        {"name": "posture", "at": "2026-11-26T08:00:00+01:00"}]})"));
    CHECK(schedule_json({}) == json::parse(R"({"reminders": []})"));

    const auto out = lines(schedule_text(showings, now, 12 * 3600));
    REQUIRE(out.size() == 6);
    CHECK(out[0] == "In the next 12h, if you stay at the computer:");
    CHECK(out[2] == "WHEN                    REMINDERS");
    CHECK(out[3] == "22:20           in 20m  posture");
    CHECK(out[4] == "23:00           in 1h   water, stretch");
    CHECK(out[5] == "tomorrow 08:00  in 10h  posture");
    CHECK(schedule_text({}, now, 8 * 3600) == "Nothing will be shown in the next 8h.\n");

    // A demo profile: several showings a minute.
    const auto fast = lines(
        schedule_text({{"posture", utc(2026, 11, 25, 21, 0, 15)}, {"water", utc(2026, 11, 25, 21, 0, 25)}}, now, 60));
    REQUIRE(fast.size() == 5);
    CHECK(fast[3] == "22:00:15  in 15s  posture");
    CHECK(fast[4] == "22:00:25  in 25s  water");
}

TEST_CASE("check --json", "[ctl][output][json]") {
    CHECK(check_json("/p.toml", {}) == json::parse(R"({"valid": true, "profile": "/p.toml", "errors": []})"));
    const json j = check_json("/p.toml", {{7, 1, "second"}, {3, 9, "first"}});
    CHECK(j == json::parse(R"({"valid": false, "profile": "/p.toml", "errors": [
        {"path": "/p.toml", "line": 3, "column": 9, "message": "first"},
        {"path": "/p.toml", "line": 7, "column": 1, "message": "second"}]})"));
}

TEST_CASE("columns", "[ctl][output]") {
    CHECK(columns({{"a", "bb", "c"}, {"ccc", "d", "e"}}) == "a    bb  c\nccc  d   e\n");
    CHECK(columns({{"×", "x"}, {"ab", "y"}}) == "×   x\nab  y\n");
    CHECK(columns({{"a", ""}, {"b", ""}}, "  ") == "  a\n  b\n");
}

TEST_CASE("daemon errors become one line", "[ctl][output][errors]") {
    namespace e = limber::bus::error;
    CHECK(describe_remote_error("org.freedesktop.DBus.Error.ServiceUnknown", "The name is not activatable",
                                "GetStatus") ==
          "limberd is not running (start it with: systemctl --user start limber)");
    CHECK(describe_remote_error("org.freedesktop.DBus.Error.NameHasNoOwner", "", "Pause") ==
          "limberd is not running (start it with: systemctl --user start limber)");
    CHECK(contains(describe_remote_error("org.freedesktop.DBus.Error.UnknownMethod", "x", "Schedule"),
                   "does not know Schedule"));
    CHECK(describe_remote_error(e::unknown_reminder, "no reminder \"wter\"; known: posture, water", "Trigger") ==
          "no reminder \"wter\"; known: posture, water");
    CHECK(describe_remote_error(e::not_paused, "", "Resume") == "limber is not paused");
    CHECK(contains(describe_remote_error(e::nothing_on_screen, "", "Done"), "on screen"));
    CHECK(contains(describe_remote_error(e::snooze_limit, "", "Snooze"), "max_snoozes"));
    CHECK(describe_remote_error(e::invalid_profile, "p.toml:1:1: error: x\n", "Reload") == "p.toml:1:1: error: x\n");
    CHECK(describe_remote_error("org.example.Other", "something", "Pause") == "something");
}

namespace {

limber::core::StatsReport scripted_stats() {
    using limber::core::EventKind;
    std::vector<limber::core::HistoryEvent> events;
    std::int64_t at = 1'795'000'000;
    auto add = [&](limber::core::CivilDay day, EventKind kind, const char* name, int n = 1, int ml = 0) {
        for (int i = 0; i < n; ++i) events.push_back({at++, day, kind, name, ml});
    };
    add(20261124, EventKind::shown, "posture", 2);
    add(20261124, EventKind::done, "posture", 2);
    add(20261125, EventKind::shown, "posture", 3);
    add(20261125, EventKind::done, "posture");
    add(20261125, EventKind::natural, "posture");
    add(20261125, EventKind::snoozed, "posture");
    add(20261125, EventKind::shown, "water", 2);
    add(20261125, EventKind::done, "water", 2);
    add(20261125, EventKind::water, "water", 2, 250);
    add(20261125, EventKind::water, "", 1, 250);
    // Active time (limberd's History carries it as rows of kind present): unknown on Mon 23.
    auto counts = limber::core::tally(events);
    counts.push_back({20261124, EventKind::present, "", 6 * 3600 + 12 * 60 + 59});
    counts.push_back({20261125, EventKind::present, "", 3000});
    return limber::core::compute_stats(counts, 20261123, 20261125);
}

}  // namespace

TEST_CASE("stats --json: the spec's shape, one entry per day, newest last", "[ctl][output][stats]") {
    const json j = stats_json(scripted_stats(), {"file", "/x/history.sqlite"});
    REQUIRE(j["days"].size() == 3);
    CHECK(j["days"][0]["date"] == "2026-11-23");
    CHECK(j["days"][0]["reminders"] == json::object());
    CHECK(j["days"][0]["water_ml"] == 0);
    CHECK(j["days"][0]["adherence"].is_null());
    CHECK(j["days"][0]["active_s"].is_null());  // presence unknown that day
    CHECK(j["days"][1]["active_s"] == 22379);
    CHECK(j["days"][2]["active_s"] == 3000);
    CHECK(j["total"]["active_s"] == 25379);
    const json& today = j["days"][2];
    CHECK(today["date"] == "2026-11-25");
    CHECK(today["water_ml"] == 750);
    // The spec's example, field for field (adherence is an extra).
    json posture = today["reminders"]["posture"];
    CHECK(posture["adherence"] == Approx(0.667));
    posture.erase("adherence");
    CHECK(posture == json::parse(R"({"shown": 3, "done": 1, "natural": 1, "snoozed": 1, "skipped": 0, "missed": 0,
                                     "dismissed": 0, "ignored": 0})"));
    CHECK(today["reminders"]["water"]["done"] == 2);
    CHECK(today["shown"] == 5);
    CHECK(today["good"] == true);  // 4 of 5
    CHECK(j["total"]["shown"] == 7);
    CHECK(j["total"]["water_ml"] == 750);
    CHECK(j["streaks"] == json::parse(R"({"current": 2, "longest": 2, "threshold": 0.8})"));
    CHECK(j["source"] == "file");

    // The fast writer limberctl uses says exactly the same, in the spec's order.
    const std::string text = stats_json_text(scripted_stats(), {"file", "/x/history.sqlite"});
    CHECK(json::parse(text) == j);
    CHECK(text.rfind(R"({"days":[{"date":"2026-11-23","water_ml":0,"reminders":{},)", 0) == 0);
    CHECK(text.find('\n') == std::string::npos);
}

TEST_CASE("stats --csv: a header and one row per day", "[ctl][output][stats]") {
    const auto csv = stats_csv(scripted_stats());
    const auto rows = lines(csv);
    REQUIRE(rows.size() == 4);
    CHECK(rows[0] ==
          "date,shown,done,natural,snoozed,skipped,missed,adherence,water_ml,pauses,active_s,"
          "posture.shown,posture.done,posture.natural,posture.snoozed,posture.skipped,posture.missed,"
          "water.shown,water.done,water.natural,water.snoozed,water.skipped,water.missed,"
          // The counts added later follow, so the columns before keep their places.
          "dismissed,ignored,posture.dismissed,posture.ignored,water.dismissed,water.ignored\r");
    CHECK(rows[1] == "2026-11-23,0,0,0,0,0,0,,0,0,,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0\r");  // active time unknown
    CHECK(rows[2] == "2026-11-24,2,2,0,0,0,0,1.000,0,0,22379,2,2,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0\r");
    CHECK(rows[3] == "2026-11-25,5,3,1,1,0,0,0.800,750,0,3000,3,1,1,1,0,0,2,2,0,0,0,0,0,0,0,0,0,0\r");
}

TEST_CASE("stats in a terminal: table, streak, water and a chart", "[ctl][output][stats]") {
    const auto report = scripted_stats();
    const auto text = stats_text(report, false);
    const auto out = lines(text);
    CHECK(out[0] == "limber, 2026-11-23 to 2026-11-25 (3 days)");
    CHECK(out[2] == "REMINDER  SHOWN  DONE  NATURAL  SNOOZED  SKIPPED  MISSED  DISMISSED  IGNORED  KEPT");
    CHECK(out[3] == "posture       5     3        1        1        0       0          0        0   80%");
    CHECK(out[4] == "water         2     2        0        0        0       0          0        0  100%");
    CHECK(out[5] == "all           7     5        1        1        0       0          0        0   86%");
    CHECK(contains(text, "Streak: 2 good days (longest 2)"));
    CHECK(contains(text, "Water: 750ml in all"));
    // Mon 23 nothing shown (blank), Tue 24 100%, Wed 25 80%.
    CHECK(contains(text, "  kept    █▇   per day"));
    CHECK(contains(text, "  water    █   per day, top 750ml"));
    CHECK(contains(text, "\nActive: 7h02m in all, 3h31m a day on the 2 days where presence is known.\n"));
    // Mon 23 unknown (blank), Tue 24 the top (6h12m), Wed 25 50 minutes.
    CHECK(contains(text, "  active  █▂   per day, top 6h12m\n"));
    CHECK(contains(text, "         MTW\n"));

    const auto ascii = stats_text(report, true);
    CHECK(std::all_of(ascii.begin(), ascii.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }));
    CHECK(contains(ascii, "  kept    #*   per day"));

    CHECK(contains(ascii, "  active  #.   per day, top 6h12m\n"));

    // Active time alone is something recorded.
    std::vector<limber::core::DayCount> only_active{{20261125, limber::core::EventKind::present, "", 59}};
    const auto away_day = stats_text(limber::core::compute_stats(only_active, 20261125, 20261125), true);
    CHECK_FALSE(contains(away_day, "Nothing recorded"));
    CHECK(contains(away_day, "Active: 0m in all, 0m a day on the 1 day where presence is known."));

    CHECK(hours_minutes(0) == "0m");
    CHECK(hours_minutes(59) == "0m");
    CHECK(hours_minutes(45 * 60 + 30) == "45m");
    CHECK(hours_minutes(3600) == "1h00m");
    CHECK(hours_minutes(6 * 3600 + 12 * 60 + 59) == "6h12m");
    CHECK(hours_minutes(100 * 3600) == "100h00m");

    CHECK(spark({0.0, 0.5, 1.0, std::nullopt}, false) == "▁▅█ ");
    CHECK(spark({0.0, 0.5, 1.0, std::nullopt}, true) == "_=# ");
}

TEST_CASE("stats over a year: a week per chart column", "[ctl][output][stats]") {
    const auto report = limber::core::compute_stats(std::vector<limber::core::HistoryEvent>{}, 20251126, 20261125);
    REQUIRE(report.days.size() == 365);
    const auto text = stats_text(report, true);
    CHECK(contains(text, "Nothing recorded"));
    std::vector<limber::core::HistoryEvent> events;
    for (int d = 0; d < 365; ++d) {
        const auto day = limber::core::add_days(20251126, d);
        events.push_back({0, day, limber::core::EventKind::shown, "posture", 0});
        events.push_back({0, day, limber::core::EventKind::done, "posture", 0});
    }
    const auto full = stats_text(limber::core::compute_stats(events, 20251126, 20261125), true);
    CHECK(contains(full, "  kept   " + std::string(53, '#') + "   per week"));
    CHECK(contains(full, "Streak: 365 good days (longest 365)"));
}
