// Active time against a scripted history: intervals split at local midnight,
// crashes that end a run at its last sign of life, days of unknown presence.

#include <limber/core/Statistics.hpp>

#include <catch2/catch.hpp>

#include <map>
#include <numeric>

using namespace limber::core;

namespace {

/** A fixed zone, UTC+1 (no DST): local midnight of day d is 23:00 UTC of the day before. */
constexpr std::int64_t offset = 3600;
std::int64_t midnight(CivilDay day) { return day_number(day) * 86400 - offset; }
const DayStart day_start = [](CivilDay day) { return midnight(day); };

/** Local wall time on `day`, h:m:s, as Unix seconds. */
std::int64_t local(CivilDay day, int h, int m, int s = 0) { return midnight(day) + h * 3600 + m * 60 + s; }

struct Script {
    std::vector<HistoryEvent> events;
    Script& add(EventKind kind, CivilDay day, int h, int m, int s = 0, const std::string& reminder = {}) {
        events.push_back({local(day, h, m, s), day, kind, reminder, kind == EventKind::water ? 250 : 0});
        return *this;
    }
};

/** active_time's rows as day -> seconds. */
std::map<CivilDay, std::int64_t> by_day(const std::vector<DayCount>& rows) {
    std::map<CivilDay, std::int64_t> out;
    for (const auto& r : rows) {
        CHECK(r.kind == EventKind::present);
        CHECK(r.reminder.empty());
        out[r.day] += r.value;
    }
    return out;
}

using K = EventKind;

/**
 * Mon 23: start 08:00, present 08:00:05 (the sources answered), locked 12:00-13:00, a reminder at 15:00,
 *         idle 17:30-17:40, stopped 18:00                       4h0m55s... = 14395 + 16200 + 1200 = 31795
 * Tue 24: start 20:00, present 20:00, past midnight …                         20:00-24:00 = 14400
 * Wed 25: … a reminder shown 00:30 and then nothing: killed (no stop).       00:00-00:30 = 1800
 *         start 09:00 with no presence source at all, stop 17:00:             unknown, adds nothing
 * Thu 26: start 09:00, stop 17:00, no source:                                 unknown (no row)
 * Fri 27: start 09:00, present, every source gone 10:00 (unknown), present again 11:00,
 *         idle 11:30, stop 12:00                                               3600 + 1800 = 5400
 *         locked 18:00? no: a new run 18:00 locked at start (away), left locked over the weekend,
 *         present Mon 30 08:00 (Sat and Sun known, away)
 * Sat 28: water logged by limberctl (no limberd)                               0 (known: away)
 * Sun 29:                                                                      0 (known: away)
 * Mon 30: present 08:00, a reminder 09:00, killed; limberctl drank 10:00 (no limberd);
 *         start 11:00, present 11:00 …                                 08:00-09:00 = 3600 (+ now)
 */
Script fortnight() {
    Script s;
    s.add(K::start, 20261123, 8, 0).add(K::present, 20261123, 8, 0, 5).add(K::away, 20261123, 12, 0);
    s.add(K::present, 20261123, 13, 0).add(K::shown, 20261123, 15, 0, 0, "posture");
    s.add(K::done, 20261123, 15, 1, 0, "posture").add(K::away, 20261123, 17, 30);
    s.add(K::present, 20261123, 17, 40).add(K::stop, 20261123, 18, 0);

    s.add(K::start, 20261124, 20, 0).add(K::present, 20261124, 20, 0);
    s.add(K::shown, 20261125, 0, 30, 0, "posture");  // the last sign of life before the kill

    s.add(K::start, 20261125, 9, 0).add(K::shown, 20261125, 10, 0, 0, "posture").add(K::stop, 20261125, 17, 0);
    s.add(K::start, 20261126, 9, 0).add(K::pause, 20261126, 9, 30).add(K::stop, 20261126, 17, 0);

    s.add(K::start, 20261127, 9, 0).add(K::present, 20261127, 9, 0).add(K::unknown, 20261127, 10, 0);
    s.add(K::present, 20261127, 11, 0).add(K::away, 20261127, 11, 30).add(K::stop, 20261127, 12, 0);
    s.add(K::start, 20261127, 18, 0).add(K::away, 20261127, 18, 0);
    s.add(K::water, 20261128, 12, 0);
    s.add(K::present, 20261130, 8, 0).add(K::shown, 20261130, 9, 0, 0, "posture");  // killed after this
    s.add(K::water, 20261130, 10, 0);  // limberctl drank, limberd not running
    s.add(K::start, 20261130, 11, 0).add(K::present, 20261130, 11, 0);
    return s;
}

}  // namespace

TEST_CASE("active time: exact seconds per local day over a scripted fortnight", "[stats][active]") {
    const auto events = fortnight().events;
    SECTION("read from the file, no limberd running: the last run ends with its last event") {
        const auto days = by_day(active_time(events, day_start));
        const std::map<CivilDay, std::int64_t> want{
            {20261123, 14395 + 16200 + 1200},  // 08:00:05-12:00, 13:00-17:30, 17:40-18:00
            {20261124, 14400},                 // 20:00 to midnight
            {20261125, 1800},                  // midnight to the reminder at 00:30, then killed
            {20261127, 3600 + 1800},           // 09:00-10:00, 11:00-11:30; locked from 18:00
            {20261128, 0},                     // locked all day: known, not present
            {20261129, 0},
            {20261130, 3600},  // 08:00-09:00 (killed), then a run just begun
        };
        CHECK(days == want);
    }
    SECTION("from limberd while it runs: its open interval runs to now") {
        const auto days = by_day(active_time(events, day_start, Moment{local(20261130, 12, 15), 20261130}));
        CHECK(days.at(20261130) == 3600 + 4500);
        CHECK(days.at(20261123) == 31795);
        CHECK(days.count(20261126) == 0);
    }
}

TEST_CASE("active time: a crash never counts the downtime, whatever comes before the next start", "[stats][active]") {
    Script s;
    // Present from 09:00, a reminder at 09:20 and its answer at 09:25, killed; restarted at 15:00.
    s.add(K::start, 20261125, 9, 0).add(K::present, 20261125, 9, 0);
    s.add(K::shown, 20261125, 9, 20, 0, "posture").add(K::done, 20261125, 9, 25, 0, "posture");
    s.add(K::water, 20261125, 12, 0);  // limberctl drank while no limberd ran: not a sign of the run
    s.add(K::start, 20261125, 15, 0).add(K::away, 20261125, 15, 0, 1).add(K::stop, 20261125, 16, 0);
    CHECK(by_day(active_time(s.events, day_start)) == std::map<CivilDay, std::int64_t>{{20261125, 25 * 60}});

    SECTION("killed right after coming back: nothing of the downtime counts") {
        Script t;
        t.add(K::start, 20261125, 9, 0).add(K::away, 20261125, 9, 0).add(K::present, 20261125, 10, 0);
        t.add(K::start, 20261125, 18, 0).add(K::stop, 20261125, 18, 1);
        CHECK(by_day(active_time(t.events, day_start)) == std::map<CivilDay, std::int64_t>{{20261125, 0}});
    }
    SECTION("killed twice in a row, the second time before any source answered") {
        Script t;
        t.add(K::start, 20261125, 9, 0).add(K::present, 20261125, 9, 0).add(K::resume, 20261125, 9, 10);
        t.add(K::start, 20261125, 11, 0);
        t.add(K::start, 20261125, 13, 0).add(K::present, 20261125, 13, 0).add(K::stop, 20261125, 14, 0);
        CHECK(by_day(active_time(t.events, day_start)) == std::map<CivilDay, std::int64_t>{{20261125, 600 + 3600}});
    }
}

TEST_CASE("active time: no presence source, no active time", "[stats][active]") {
    Script s;
    s.add(K::start, 20261125, 9, 0).add(K::shown, 20261125, 9, 20, 0, "posture").add(K::stop, 20261125, 17, 0);
    CHECK(active_time(s.events, day_start).empty());
    CHECK(active_time({}, day_start, Moment{local(20261125, 12, 0), 20261125}).empty());
    // A history from before presence was recorded: reminders only.
    Script old;
    old.add(K::shown, 20261124, 9, 0, 0, "posture").add(K::done, 20261124, 9, 1, 0, "posture");
    CHECK(active_time(old.events, day_start).empty());
}

TEST_CASE("active time: split where the zone says a day begins", "[stats][active]") {
    // A day of 23 hours (spring forward): day_start is all that is asked, not 86,400 s a day.
    const DayStart short_day = [](CivilDay day) {
        const std::int64_t base = day_number(day) * 86400 - offset;
        return day > 20260329 ? base - 3600 : base;  // from 30 Mar, local midnight an hour earlier in UTC
    };
    Script s;
    s.events.push_back({day_number(20260328) * 86400 + 12 * 3600, 20260328, K::start, {}, 0});
    s.events.push_back({day_number(20260328) * 86400 + 12 * 3600, 20260328, K::present, {}, 0});
    // Present until 02:00 local on the 30th: all of the 23-hour 29th.
    const std::int64_t end = short_day(20260330) + 2 * 3600;
    s.events.push_back({end, 20260330, K::stop, {}, 0});
    const auto days = by_day(active_time(s.events, short_day));
    CHECK(days.at(20260329) == 23 * 3600);
    CHECK(days.at(20260330) == 2 * 3600);
    CHECK(days.at(20260328) + days.at(20260329) + days.at(20260330) == end - s.events.front().at);
}

TEST_CASE("active time: a wall clock set back credits nothing rather than negative time", "[stats][active]") {
    Script s;
    s.add(K::start, 20261125, 10, 0).add(K::present, 20261125, 10, 0);
    s.add(K::away, 20261125, 9, 0);  // the clock went back an hour and more
    s.add(K::present, 20261125, 9, 30).add(K::stop, 20261125, 9, 45);
    CHECK(by_day(active_time(s.events, day_start)) == std::map<CivilDay, std::int64_t>{{20261125, 15 * 60}});
}

TEST_CASE("active time: whole seconds across several days sum to the interval", "[stats][active]") {
    Script s;
    s.add(K::start, 20261120, 18, 0).add(K::present, 20261120, 18, 0, 7).add(K::stop, 20261123, 6, 0, 3);
    const auto days = by_day(active_time(s.events, day_start));
    REQUIRE(days.size() == 4);
    CHECK(days.at(20261120) == 6 * 3600 - 7);
    CHECK(days.at(20261121) == 86400);
    CHECK(days.at(20261122) == 86400);
    CHECK(days.at(20261123) == 6 * 3600 + 3);
}

TEST_CASE("stats carry active time per day: null where unknown, totals over the known days", "[stats][active]") {
    auto events = fortnight().events;
    auto counts = tally(events);
    // Presence events are not counts.
    for (const auto& c : counts) CHECK_FALSE(is_presence(c.kind));
    for (auto& a : active_time(events, day_start)) counts.push_back(a);

    const auto report = compute_stats(counts, 20261124, 20261129);
    REQUIRE(report.days.size() == 6);
    CHECK(report.days[0].active_s == 14400);
    CHECK(report.days[1].active_s == 1800);
    CHECK_FALSE(report.days[2].active_s);  // Thu: limberd ran, presence unknown
    CHECK(report.days[3].active_s == 5400);
    CHECK(report.days[4].active_s == 0);
    CHECK(report.days[5].active_s == 0);
    CHECK(report.active_s == 14400 + 1800 + 5400);
    CHECK(report.active_days == 5);
    // Shown counts and streaks are untouched by presence.
    CHECK(report.days[1].total.shown == 2);
    CHECK(report.total.shown == 2);

    const auto none = compute_stats(tally(events), 20261124, 20261129);
    CHECK_FALSE(none.active_s);
    CHECK(none.active_days == 0);
    for (const auto& d : none.days) CHECK_FALSE(d.active_s);
}

TEST_CASE("presence kinds have names, and only they are presence", "[stats][active]") {
    for (auto k : {K::present, K::away, K::unknown, K::start, K::stop}) {
        CHECK(is_presence(k));
        CHECK(parse_event_kind(to_string(k)) == k);
    }
    CHECK(to_string(K::start) == "start");
    // The outcomes added after them (the stored numbers never move) are counts, not presence.
    for (auto k : {K::dismissed, K::ignored}) {
        CHECK_FALSE(is_presence(k));
        CHECK(parse_event_kind(to_string(k)) == k);
    }
    CHECK(to_string(K::dismissed) == "dismissed");
    CHECK(last_event_kind == K::ignored);
    CHECK_FALSE(is_presence(K::water));
}
