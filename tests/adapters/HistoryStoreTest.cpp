// The SQLite history: creation, migration from schema 1, retention, damaged
// files set aside, unwritable places reported once and never fatal.

#include <limber/adapters/HistoryStore.hpp>
#include <limber/core/Statistics.hpp>

#include "ctl/LocalZone.hpp"

#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <sys/resource.h>
#include <unistd.h>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>

using namespace limber;
using adapters::HistoryStore;
using core::EventKind;
using test::LocalZone;
namespace fs = std::filesystem;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        char name[] = "/tmp/limber-history-XXXXXX";
        path = ::mkdtemp(name);
    }
    ~TempDir() { fs::remove_all(path); }
};

/** What the store reported, in order. */
struct Reports {
    std::vector<std::pair<bool, std::string>> lines;
    HistoryStore::Reporter sink() {
        return [this](bool warning, const std::string& line) { lines.emplace_back(warning, line); };
    }
    int warnings() const {
        int n = 0;
        for (const auto& [warning, line] : lines) n += warning ? 1 : 0;
        return n;
    }
    bool any(const std::string& part) const {
        for (const auto& [warning, line] : lines)
            if (line.find(part) != std::string::npos) return true;
        return false;
    }
};

std::int64_t now() { return static_cast<std::int64_t>(std::time(nullptr)); }

core::HistoryEvent event(EventKind kind, const std::string& reminder, std::int64_t at = now(), int ml = 0) {
    return {at, HistoryStore::local_day(at), kind, reminder, ml};
}

/** Runs SQL on a file with the plain SQLite API (fixtures and checks from outside the store). */
void exec(const fs::path& file, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    INFO((error != nullptr ? error : ""));
    sqlite3_free(error);
    sqlite3_close(db);
    REQUIRE(rc == SQLITE_OK);
}

/**
 * What limber 0.1's history looked like (schema 1: no water), kept here as
 * the fixture a migration starts from; never change it.
 */
constexpr const char* schema_1 =
    "CREATE TABLE events (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, day INTEGER NOT NULL,"
    " kind INTEGER NOT NULL, reminder TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX events_day ON events(day);"
    "PRAGMA user_version=1;";

}  // namespace

TEST_CASE("a new history: created in WAL mode at the current schema, events round-trip", "[history]") {
    TempDir dir;
    const fs::path file = dir.path / "state" / "limber" / "history.sqlite";
    Reports reports;
    HistoryStore store(file.string(), HistoryStore::Mode::write, reports.sink());
    REQUIRE(store.available());
    CHECK(store.user_version() == HistoryStore::schema_version);
    CHECK(store.integrity_check() == "ok");
    CHECK(reports.lines.empty());
    CHECK((fs::status(file.parent_path()).permissions() & fs::perms::others_all) == fs::perms::none);

    const auto a = event(EventKind::shown, "posture", 1'795'000'000);
    const auto b = event(EventKind::done, "posture", 1'795'000'005);
    const auto w = event(EventKind::water, "water", 1'795'000'010, 250);
    const auto p = event(EventKind::pause, "", 1'795'000'020);
    for (const auto& e : {a, b, w, p}) store.record(e);
    store.record(event(EventKind::water, "", now(), 0));  // no water: not recorded
    CHECK(store.pending() == 0);

    const auto events = store.events();
    REQUIRE(events.size() == 4);
    CHECK(events[0] == a);
    CHECK(events[1] == b);
    CHECK(events[2] == p);  // events first, then water
    CHECK(events[3] == w);
    CHECK(store.water_on(w.day) == 250);
    CHECK(store.events(core::add_days(a.day, 1)).empty());

    // Another connection sees WAL mode and every event: each record() committed.
    HistoryStore reader(file.string(), HistoryStore::Mode::read_only);
    CHECK(reader.events().size() == 4);
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(s) == SQLITE_ROW);
    CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, 0))) == "wal");
    sqlite3_finalize(s);
    sqlite3_close(db);
}

TEST_CASE("dismissed and ignored are stored, counted and read back; presence and newer kinds stay apart", "[history]") {
    TempDir dir;
    const fs::path file = dir.path / "history.sqlite";
    const std::int64_t at = 1'795'000'000;
    {
        HistoryStore store(file.string(), HistoryStore::Mode::write);
        REQUIRE(store.available());
        // What an older limber wrote stays as it was: the kinds keep their numbers.
        for (auto kind : {EventKind::start, EventKind::present, EventKind::shown, EventKind::done, EventKind::shown,
                          EventKind::dismissed, EventKind::shown, EventKind::ignored})
            store.record(event(kind, is_presence(kind) ? "" : "water", at));
    }
    // A row from a limber newer than this one (kind 16) is skipped, not misread.
    exec(file, "INSERT INTO events(at, day, kind, reminder) VALUES (1795000001, " +
                   std::to_string(HistoryStore::local_day(at)) + ", 16, 'water');");
    HistoryStore reader(file.string(), HistoryStore::Mode::read_only);
    const auto counts = reader.counts();
    auto count_of = [&](EventKind kind) {
        for (const auto& c : counts)
            if (c.kind == kind && c.reminder == "water") return c.value;
        return std::int64_t{0};
    };
    CHECK(count_of(EventKind::shown) == 3);
    CHECK(count_of(EventKind::done) == 1);
    CHECK(count_of(EventKind::dismissed) == 1);
    CHECK(count_of(EventKind::ignored) == 1);
    for (const auto& c : counts) CHECK((static_cast<int>(c.kind) <= 15 && !is_presence(c.kind)));
    CHECK(reader.events().size() == 8);
    for (const auto& e : reader.presence()) CHECK(is_presence(e.kind));
    const auto stats = core::compute_stats(counts, HistoryStore::local_day(at), HistoryStore::local_day(at));
    CHECK(stats.total.dismissed == 1);
    CHECK(stats.total.ignored == 1);
    CHECK(stats.water_ml == 0);
}

TEST_CASE("a schema 1 file is migrated to schema 2, keeping its events", "[history]") {
    TempDir dir;
    const fs::path file = dir.path / "history.sqlite";
    exec(file, schema_1);
    exec(file,
         "INSERT INTO events(at, day, kind, reminder) VALUES (1795000000, 20261125, 0, 'posture'),"
         " (1795000001, 20261125, 1, 'posture'), (1795000002, 20261125, 6, '');");

    SECTION("read-only: readable as it is, and left as it is") {
        HistoryStore reader(file.string(), HistoryStore::Mode::read_only);
        CHECK(reader.user_version() == 1);
        const auto events = reader.events();
        REQUIRE(events.size() == 3);
        CHECK(events[1].kind == EventKind::done);
        CHECK(reader.water_on(20261125) == 0);
    }
    SECTION("write: migrated once, events kept, water recorded") {
        Reports reports;
        {
            HistoryStore store(file.string(), HistoryStore::Mode::write, reports.sink());
            REQUIRE(store.available());
            CHECK(store.user_version() == 2);
            CHECK(reports.any("from schema 1 to 2"));
            CHECK(reports.warnings() == 0);
            const auto events = store.events();
            REQUIRE(events.size() == 3);
            CHECK(events[0] == core::HistoryEvent{1795000000, 20261125, EventKind::shown, "posture", 0});
            CHECK(events[2].kind == EventKind::pause);
            store.record({1795000100, 20261125, EventKind::water, "", 500});
            CHECK(store.water_on(20261125) == 500);
            CHECK(store.integrity_check() == "ok");
        }
        Reports again;
        HistoryStore reopened(file.string(), HistoryStore::Mode::write, again.sink());
        CHECK(again.lines.empty());  // nothing more to migrate
        CHECK(reopened.events().size() == 4);
    }
}

TEST_CASE("a file from a newer limber is left alone", "[history]") {
    TempDir dir;
    const fs::path file = dir.path / "history.sqlite";
    exec(file, std::string(schema_1) + "PRAGMA user_version=7;");
    Reports reports;
    HistoryStore store(file.string(), HistoryStore::Mode::write, reports.sink());
    CHECK_FALSE(store.available());
    CHECK(reports.any("newer limber"));
    store.record(event(EventKind::shown, "posture"));  // kept in memory, not fatal
    CHECK(store.pending() == 1);
    CHECK(fs::exists(file));
    CHECK_FALSE(fs::exists(file.string() + ".corrupt"));
}

TEST_CASE("retention: old events are pruned when the store opens and on a new day", "[history]") {
    TempDir dir;
    const fs::path file = dir.path / "history.sqlite";
    Reports reports;
    HistoryStore store(file.string(), HistoryStore::Mode::write, reports.sink());
    const std::int64_t day = 86400;
    REQUIRE(store.record_all(
        {event(EventKind::shown, "posture", now() - 400 * day), event(EventKind::water, "", now() - 400 * day, 250),
         event(EventKind::done, "posture", now() - 366 * day), event(EventKind::shown, "posture", now() - 364 * day),
         event(EventKind::shown, "posture", now() - 10)}));
    CHECK(store.events().size() == 5);
    store.set_retention(std::chrono::hours(24 * 365));
    const auto left = store.events();
    REQUIRE(left.size() == 2);
    CHECK(left[0].at == now() - 364 * day);
    CHECK(reports.any("removed 3 history events"));

    // Pruned once a day, not on every write.
    REQUIRE(store.record_all({event(EventKind::shown, "posture", now() - 400 * day)}));
    store.record(event(EventKind::done, "posture"));
    CHECK(store.events().size() == 4);
    CHECK(store.prune_before(now() - 365 * day) == 1);
}

TEST_CASE("a damaged history is set aside and a fresh one started", "[history]") {
    TempDir dir;
    const fs::path file = dir.path / "history.sqlite";
    SECTION("not a database at all") {
        std::ofstream(file) << "this is not an SQLite file, just some text that happens to be here\n";
    }
    SECTION("a database with damaged pages") {
        {
            HistoryStore store(file.string(), HistoryStore::Mode::write);
            std::vector<core::HistoryEvent> many;
            for (int i = 0; i < 3000; ++i) many.push_back(event(EventKind::shown, "posture-" + std::to_string(i)));
            REQUIRE(store.record_all(many));
        }  // closing checkpoints the WAL into the file
        REQUIRE(fs::file_size(file) > 5 * 4096);
        std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(2 * 4096);
        const std::string junk(2 * 4096, '\xA5');
        f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    }
    Reports reports;
    HistoryStore store(file.string(), HistoryStore::Mode::write, reports.sink());
    REQUIRE(store.available());
    CHECK(reports.warnings() == 1);
    CHECK(reports.any("damaged"));
    CHECK(reports.any(".corrupt"));
    CHECK(fs::exists(file.string() + ".corrupt"));
    CHECK(store.events().empty());
    store.record(event(EventKind::shown, "posture"));
    CHECK(store.pending() == 0);
    CHECK(store.integrity_check() == "ok");
}

TEST_CASE("an unwritable place is reported once; events wait in memory and are written later", "[history]") {
    TempDir dir;
    // A file where the state directory should be: nothing can be created under it (even as root).
    const fs::path blocker = dir.path / "state";
    std::ofstream(blocker) << "in the way\n";
    const fs::path file = blocker / "limber" / "history.sqlite";
    Reports reports;
    HistoryStore store(file.string(), HistoryStore::Mode::write, reports.sink());
    CHECK_FALSE(store.available());
    store.record(event(EventKind::shown, "posture"));
    store.record(event(EventKind::done, "posture"));
    store.record(event(EventKind::water, "", now(), 300));
    CHECK(reports.warnings() == 1);  // once, not per event
    CHECK(reports.any("cannot create"));
    CHECK(store.pending() == 3);
    CHECK(store.events().size() == 3);  // still counted in the meantime
    CHECK(store.water_on(HistoryStore::local_day(now())) == 300);

    fs::remove(blocker);  // the place becomes writable
    store.record(event(EventKind::skipped, "posture"));
    CHECK(store.pending() == 0);
    CHECK(reports.any("written again"));
    HistoryStore reader(file.string(), HistoryStore::Mode::read_only);
    CHECK(reader.events().size() == 4);
}

TEST_CASE("a day's water past 2^31 ml is held at the largest int, never negative", "[history][checked]") {
    TempDir dir;
    const fs::path file = dir.path / "history.sqlite";
    const core::CivilDay day = 20261125;
    SECTION("recorded: 110,000 glasses of 20 litres") {
        HistoryStore store(file.string(), HistoryStore::Mode::write);
        std::vector<core::HistoryEvent> glasses(110'000, {1'795'000'000, day, EventKind::water, "", 20'000});
        REQUIRE(store.record_all(glasses));
        CHECK(store.water_on(day) == std::numeric_limits<int>::max());
        CHECK(store.water_on(core::add_days(day, 1)) == 0);
    }
    SECTION("a file written by hand, where even a 64-bit sum overflows") {
        { HistoryStore create(file.string(), HistoryStore::Mode::write); }
        exec(file,
             "INSERT INTO water(at, day, ml, reminder) VALUES (1795000000, 20261125, 9223372036854775807, ''),"
             " (1795000001, 20261125, 9223372036854775807, '')");
        HistoryStore store(file.string(), HistoryStore::Mode::read_only);
        CHECK(store.water_on(day) == std::numeric_limits<int>::max());
        // The statistics read the same sums: no SQLite "integer overflow", no negative litres.
        const auto counts = store.counts(day);
        REQUIRE(counts.size() == 1);
        CHECK(counts[0].kind == EventKind::water);
        CHECK(counts[0].value == std::numeric_limits<int>::max());
        CHECK(core::compute_stats(counts, day, day).water_ml == std::numeric_limits<int>::max());
    }
    SECTION("waiting in memory") {
        std::ofstream(dir.path / "blocker") << "in the way\n";
        HistoryStore store((dir.path / "blocker" / "history.sqlite").string(), HistoryStore::Mode::write);
        for (int i = 0; i < 3; ++i)
            store.record({1'795'000'000, day, EventKind::water, "", std::numeric_limits<std::int32_t>::max()});
        REQUIRE(store.pending() == 3);
        CHECK(store.water_on(day) == std::numeric_limits<int>::max());
    }
}

TEST_CASE("a full disk is reported once and nothing is lost once there is room", "[history]") {
    TempDir dir;
    const fs::path file = dir.path / "history.sqlite";
    Reports reports;
    HistoryStore store(file.string(), HistoryStore::Mode::write, reports.sink());
    REQUIRE(store.available());
    store.record(event(EventKind::shown, "posture"));

    // A file-size limit makes every write past it fail, as a full disk does (and works as root).
    std::signal(SIGXFSZ, SIG_IGN);
    rlimit old{};
    ::getrlimit(RLIMIT_FSIZE, &old);
    rlimit tiny = old;
    tiny.rlim_cur = 512;
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &tiny) == 0);
    for (int i = 0; i < 5; ++i) store.record(event(EventKind::done, "posture"));
    ::setrlimit(RLIMIT_FSIZE, &old);
    std::signal(SIGXFSZ, SIG_DFL);

    CHECK(store.pending() == 5);
    CHECK(reports.warnings() == 1);
    store.record(event(EventKind::missed, "posture"));
    CHECK(store.pending() == 0);
    CHECK(store.integrity_check() == "ok");
    HistoryStore reader(file.string(), HistoryStore::Mode::read_only);
    CHECK(reader.events().size() == 7);
}

TEST_CASE("read-only mode never creates, writes or migrates", "[history]") {
    TempDir dir;
    const fs::path file = dir.path / "history.sqlite";
    HistoryStore missing(file.string(), HistoryStore::Mode::read_only);
    CHECK_FALSE(missing.available());
    CHECK(missing.events().empty());
    CHECK_FALSE(fs::exists(file));

    std::ofstream(file) << "garbage that is not a database, long enough to have a header............\n";
    CHECK_THROWS_AS(HistoryStore(file.string(), HistoryStore::Mode::read_only), adapters::HistoryError);
    CHECK_FALSE(fs::exists(file.string() + ".corrupt"));  // only the writer sets files aside
}

namespace {

/** Active time from `since` on, as active_time computes it from `events`. */
std::vector<core::DayCount> active_from(const std::vector<core::HistoryEvent>& events, core::CivilDay since,
                                        std::optional<core::Moment> now = {}) {
    auto rows = core::active_time(events, &HistoryStore::day_start, now);
    std::erase_if(rows, [since](const core::DayCount& c) { return c.day < since; });
    return rows;
}

}  // namespace

TEST_CASE("presence: the few rows the store reads give the active time that every event gives", "[history][active]") {
    LocalZone zone(test::central_europe);
    TempDir dir;
    const fs::path file = dir.path / "history.sqlite";
    HistoryStore store(file.string(), HistoryStore::Mode::write);
    REQUIRE(store.available());

    // Six weeks of runs: each starts, learns presence (or never does), goes away and comes back,
    // shows and answers reminders, and stops cleanly or is killed; water now and then, with or
    // without limberd. Runs cross midnight.
    std::mt19937 random(20261125);
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(random); };
    std::vector<core::HistoryEvent> script;
    std::int64_t at = test::utc(2026, 10, 1, 6, 0);
    const std::int64_t end = at + 42 * 86400;
    int runs = 0, crashes = 0, unknown = 0;
    while (at < end) {
        ++runs;
        script.push_back(event(EventKind::start, "", at));
        const bool sources = pick(0, 5) != 0;
        if (!sources) ++unknown;
        for (int step = pick(1, 30); step > 0; --step) {
            at += pick(10, 3 * 3600);
            const int what = pick(0, 9);
            if (sources && what < 4)
                script.push_back(event(what % 2 == 0 ? EventKind::present : EventKind::away, "", at));
            else if (sources && what == 4)
                script.push_back(event(EventKind::unknown, "", at));
            else if (what == 9)
                script.push_back(event(EventKind::water, "water", at, 250));
            else
                script.push_back(event(pick(0, 1) ? EventKind::shown : EventKind::done, "posture", at));
        }
        at += pick(1, 600);
        if (pick(0, 2) == 0)
            ++crashes;
        else
            script.push_back(event(EventKind::stop, "", at));
        at += pick(60, 20 * 3600);
        if (pick(0, 3) == 0) script.push_back(event(EventKind::water, "", at - 30, 300));  // limberctl drank
    }
    REQUIRE(crashes > 3);
    REQUIRE(unknown > 1);
    REQUIRE(store.record_all(script));

    const auto everything = store.events();
    const core::CivilDay first = HistoryStore::local_day(script.front().at);
    for (int offset_days : {0, 1, 7, 20, 41, 50}) {
        const core::CivilDay since = core::add_days(first, offset_days);
        INFO("since " << since);
        const auto few = store.presence(since);
        CHECK(few.size() < everything.size() / 2);
        const auto want = active_from(script, since);
        CHECK(active_from(everything, since) == want);
        CHECK(active_from(few, since) == want);
        CHECK(store.active(since) == want);
        const core::Moment later{end + 7200, HistoryStore::local_day(end + 7200)};
        CHECK(store.active(since, later) == active_from(script, since, later));
        if (offset_days == 50) CHECK(store.active(since).empty());
    }
    // Only counts are counted: presence is in active(), never in counts().
    for (const auto& c : store.counts()) CHECK_FALSE(core::is_presence(c.kind));
    // The reader sees the same.
    HistoryStore reader(file.string(), HistoryStore::Mode::read_only);
    CHECK(reader.active(first) == store.active(first));
}

TEST_CASE("presence: days split at local midnight, events waiting in memory included", "[history][active]") {
    LocalZone zone(test::central_europe);
    TempDir dir;
    const fs::path file = dir.path / "history.sqlite";
    HistoryStore store(file.string(), HistoryStore::Mode::write);
    // 2026-03-28 22:00 CET (21:00 UTC) to 2026-03-29 04:00 CEST (02:00 UTC): the night the clocks
    // go forward, five hours of real time of which two are on the 28th.
    store.record(event(EventKind::start, "", test::utc(2026, 3, 28, 21, 0)));
    store.record(event(EventKind::present, "", test::utc(2026, 3, 28, 21, 0)));
    store.record(event(EventKind::away, "", test::utc(2026, 3, 29, 2, 0)));
    CHECK(HistoryStore::day_start(20260329) == test::utc(2026, 3, 28, 23, 0));
    CHECK(HistoryStore::day_start(20260330) == test::utc(2026, 3, 29, 22, 0));  // a 23-hour day
    using Rows = std::vector<core::DayCount>;
    CHECK(store.active(20260328) ==
          Rows{{20260328, EventKind::present, "", 2 * 3600}, {20260329, EventKind::present, "", 3 * 3600}});
    CHECK(store.active(20260329) == Rows{{20260329, EventKind::present, "", 3 * 3600}});

    // Back at 08:00 CEST while the disk is full (a file-size limit, as in the test above): the
    // events wait in memory and still count. Killed after the reminder at 08:30; a limberd that
    // starts at 09:00 reads the run as ended there.
    std::signal(SIGXFSZ, SIG_IGN);
    rlimit old{};
    ::getrlimit(RLIMIT_FSIZE, &old);
    rlimit tiny = old;
    tiny.rlim_cur = 512;
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &tiny) == 0);
    store.record(event(EventKind::present, "", test::utc(2026, 3, 29, 6, 0)));
    store.record(event(EventKind::shown, "posture", test::utc(2026, 3, 29, 6, 30)));
    store.record(event(EventKind::start, "", test::utc(2026, 3, 29, 7, 0)));
    const auto waiting = store.pending();
    const auto rows = store.active(20260329);
    ::setrlimit(RLIMIT_FSIZE, &old);
    std::signal(SIGXFSZ, SIG_DFL);
    CHECK(waiting == 3);
    CHECK(rows == Rows{{20260329, EventKind::present, "", 3 * 3600 + 1800}});
    store.record(event(EventKind::stop, "", test::utc(2026, 3, 29, 7, 5)));
    CHECK(store.pending() == 0);
    CHECK(store.active(20260329) == rows);
}

namespace {

/** Events of every kind that limberd writes, `n` of them. */
std::vector<core::HistoryEvent> many_events(int n) {
    std::vector<core::HistoryEvent> out;
    for (int i = 0; i < n; ++i) out.push_back(event(EventKind::shown, "posture-" + std::to_string(i)));
    return out;
}

/** How many events another program finds in the file at `file` (read-only, as limberctl reads it). */
std::size_t events_in(const fs::path& file) {
    HistoryStore reader(file.string(), HistoryStore::Mode::read_only);
    return reader.events().size();
}

}  // namespace

TEST_CASE("a history deleted, replaced or truncated while open: noticed, and nothing in memory lost",
          "[history][hostile]") {
    TempDir dir;
    const fs::path file = dir.path / "history.sqlite";
    Reports reports;
    HistoryStore store(file.string(), HistoryStore::Mode::write, reports.sink());
    REQUIRE(store.available());
    REQUIRE(store.record_all(many_events(3000)));
    std::size_t expected = 0;  // what the file holds afterwards besides the events recorded below
    std::string said;
    SECTION("deleted") {
        fs::remove(file);
        said = "was deleted";
    }
    SECTION("deleted with its -wal and -shm") {
        for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(file.string() + suffix);
        said = "was deleted";
    }
    SECTION("replaced by another history") {
        const fs::path other = dir.path / "restored.sqlite";
        {
            HistoryStore restored(other.string(), HistoryStore::Mode::write);
            REQUIRE(restored.record_all(many_events(7)));
        }
        fs::rename(other, file);
        expected = 7;
        said = "was replaced";
    }
    SECTION("truncated to nothing, after a checkpoint put its pages in the file") {
        exec(file, "PRAGMA wal_checkpoint(TRUNCATE)");
        REQUIRE(fs::file_size(file) > 8 * 4096);
        fs::resize_file(file, 0);
        said = "truncated";
    }
    SECTION("truncated to its first pages") {
        exec(file, "PRAGMA wal_checkpoint(TRUNCATE)");
        fs::resize_file(file, 2 * 4096);
        said = "damaged";  // not smaller than the store saw it last (before that checkpoint): found damaged
    }
    store.record(event(EventKind::done, "posture"));
    CHECK(reports.any(said));
    CHECK(store.pending() == 0);
    // Every later write works too, and the file at the path (not one nobody sees) has them.
    for (int i = 0; i < 3; ++i) store.record(event(EventKind::missed, "posture"));
    CHECK(store.pending() == 0);
    CHECK(store.integrity_check() == "ok");
    CHECK(events_in(file) == expected + 4);
    CHECK(store.events().size() == expected + 4);
    CHECK(reports.warnings() == 1);  // one line for what happened
}

TEST_CASE("a history deleted while open is noticed by a read too, which counts the new file", "[history][hostile]") {
    TempDir dir;
    const fs::path file = dir.path / "history.sqlite";
    Reports reports;
    HistoryStore store(file.string(), HistoryStore::Mode::write, reports.sink());
    REQUIRE(store.record_all(many_events(10)));
    fs::remove(file);
    CHECK(store.counts().empty());
    CHECK(reports.any("was deleted"));
    CHECK(fs::exists(file));
}

TEST_CASE("a write lock held by another program: events wait in memory, reported once, written once it is free",
          "[history][hostile]") {
    TempDir dir;
    const fs::path file = dir.path / "history.sqlite";
    Reports reports;
    HistoryStore store(file.string(), HistoryStore::Mode::write, reports.sink());
    store.record(event(EventKind::shown, "posture"));
    REQUIRE(store.pending() == 0);

    sqlite3* other = nullptr;
    REQUIRE(sqlite3_open(file.c_str(), &other) == SQLITE_OK);
    REQUIRE(sqlite3_exec(other, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr) == SQLITE_OK);
    store.record(event(EventKind::done, "posture"));
    store.record(event(EventKind::water, "", now(), 300));
    store.record(event(EventKind::shown, "posture"));
    CHECK(store.pending() == 3);
    CHECK(reports.warnings() == 1);  // once, not per event
    CHECK(reports.any("another program holds its lock"));
    // The problem on its own, for limberctl's message (whatever the language, without the reported line's tail).
    CHECK(store.last_problem().find("another program holds its lock") != std::string::npos);
    CHECK(store.last_problem().find("reminders go on") == std::string::npos);
    // Still counted while they wait.
    CHECK(store.events().size() == 4);
    CHECK(store.water_on(HistoryStore::local_day(now())) == 300);
    CHECK(store.pending() == 3);  // that read could not write them either
    REQUIRE(sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(other);

    // The next read writes them (no need to wait for another event), exactly once.
    CHECK(store.counts().size() == 3);  // shown, done and water for posture/'' today
    CHECK(store.pending() == 0);
    CHECK(reports.any("written again"));
    CHECK(store.last_problem().empty());
    CHECK(events_in(file) == 4);
    store.record(event(EventKind::skipped, "posture"));
    CHECK(events_in(file) == 5);
}

TEST_CASE("a history directory that is not the person's own is refused; its file is never a link",
          "[history][hostile]") {
    TempDir dir;
    const fs::path limber = dir.path / "limber";
    fs::create_directory(limber);
    fs::permissions(limber, fs::perms::owner_all, fs::perm_options::replace);
    fs::path file = limber / "history.sqlite";
    std::string said;
    SECTION("writable by its group") {
        fs::permissions(limber, fs::perms::group_write | fs::perms::group_exec, fs::perm_options::add);
        said = "chmod go-w " + limber.string();
    }
    SECTION("owned by another user") {
        if (::geteuid() == 0) {
            REQUIRE(::chown(limber.c_str(), 65534, 65534) == 0);
        } else {
            file = "/usr/share/limber-test-history.sqlite";  // root's: the nearest directory of another user
        }
        said = "not to you";
    }
    SECTION("a symbolic link to a directory") {
        fs::create_directory_symlink(limber, dir.path / "link");
        file = dir.path / "link" / "history.sqlite";
        said = "symbolic link";
    }
    SECTION("the file a link to another file") {
        fs::create_symlink(dir.path / "victim", file);
        said = "cannot open";
    }
    std::ofstream(dir.path / "victim") << "the person's own file\n";
    Reports reports;
    HistoryStore store(file.string(), HistoryStore::Mode::write, reports.sink());
    CHECK_FALSE(store.available());
    store.record(event(EventKind::shown, "posture"));
    store.record(event(EventKind::done, "posture"));
    CHECK(store.pending() == 2);
    CHECK(reports.warnings() == 1);
    INFO((reports.lines.empty() ? std::string("nothing reported") : reports.lines.front().second));
    CHECK(reports.any(said));
    std::ifstream victim(dir.path / "victim");
    std::string text;
    std::getline(victim, text);
    CHECK(text == "the person's own file");
    CHECK_FALSE(fs::exists(limber / "history.sqlite-wal"));
}
