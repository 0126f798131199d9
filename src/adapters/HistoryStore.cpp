#include <limber/adapters/HistoryStore.hpp>
#include <limber/adapters/XdgDirs.hpp>

#include <limber/core/Translate.hpp>

#include "MakeDirs.hpp"

#include <sqlite3.h>

#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
#include <sstream>

namespace limber::adapters {
namespace {

/** Events kept in memory while the file cannot be written (about a month of a busy profile). */
constexpr std::size_t max_pending = 10000;

/**
 * How long a write waits for another program's lock. Short: limberd writes on its main loop, and
 * what cannot be written now waits in memory for the next write (a commit of limberd's or of
 * `limberctl drank` takes a few milliseconds; a program holding the lock for longer only delays).
 */
constexpr int busy_timeout_ms = 100;

/**
 * The migrations, in order: migrations[v] takes a file at user_version v to
 * v + 1. A file is only ever moved forward, one step per transaction.
 */
constexpr const char* migrations[] = {
    // 0 -> 1: shown reminders, their outcomes, pauses and resumes.
    "CREATE TABLE events ("
    "  id INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"    // Unix seconds
    "  day INTEGER NOT NULL,"   // local date yyyymmdd when it happened
    "  kind INTEGER NOT NULL,"  // core::EventKind
    "  reminder TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX events_day ON events(day);",
    // 1 -> 2: water intake; events indexed for adding up per day, kind and reminder, which
    // statistics do (a covering index: a year is summed without touching the table).
    "DROP INDEX events_day;"
    "CREATE INDEX events_tally ON events(day, kind, reminder);"
    "CREATE TABLE water ("
    "  id INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  day INTEGER NOT NULL,"
    "  ml INTEGER NOT NULL CHECK (ml > 0),"
    "  reminder TEXT NOT NULL DEFAULT '');"  // the hydration reminder whose Done counted it, or ''
    "CREATE INDEX water_day ON water(day);",
};
static_assert(std::size(migrations) == HistoryStore::schema_version);

bool is_corruption(int code) noexcept {
    const int primary = code & 0xff;
    return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
}

/** Another connection holds the lock: nothing is wrong with the file, it is only busy now. */
bool is_busy(int code) noexcept {
    const int primary = code & 0xff;
    return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

/** The directory a file is in ("." for a bare name). */
std::string parent_of(const std::string& path) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

/** One prepared statement. */
class Statement {
public:
    Statement(sqlite3* db, const char* sql) : db_(db) { code_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
    ~Statement() { sqlite3_finalize(stmt_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    int code() const noexcept { return code_; }
    bool ok() const noexcept { return code_ == SQLITE_OK; }
    Statement& bind(int i, std::int64_t v) {
        sqlite3_bind_int64(stmt_, i, v);
        return *this;
    }
    Statement& bind(int i, const std::string& v) {
        sqlite3_bind_text(stmt_, i, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    /** SQLITE_ROW, SQLITE_DONE or an error. */
    int step() { return code_ = sqlite3_step(stmt_); }
    void reset() {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }
    std::int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }
    std::string text(int col) const {
        const auto* p = sqlite3_column_text(stmt_, col);
        return p != nullptr ? std::string(reinterpret_cast<const char*>(p),
                                          static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
                            : std::string();
    }

private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
    int code_;
};

std::string message(sqlite3* db, int code) {
    std::string out = sqlite3_errstr(code);
    if (db != nullptr) {
        const char* detail = sqlite3_errmsg(db);
        if (detail != nullptr && out != detail) out += std::string(": ") + detail;
        // The operating system's reason says more than "unable to open database file".
        if (const int sys = sqlite3_system_errno(db); sys != 0) out += std::string(" (") + std::strerror(sys) + ")";
    }
    return out;
}

}  // namespace

HistoryStore::HistoryStore(std::string path, Mode mode, Reporter report)
    : path_(std::move(path)), mode_(mode), report_(std::move(report)) {
    if (!report_) report_ = [](bool, const std::string&) {};
    open();
}

HistoryStore::~HistoryStore() { close(); }

std::string HistoryStore::default_path() { return limber_state_dir() + "/history.sqlite"; }

core::CivilDay HistoryStore::local_day(std::int64_t unix_seconds) {
    const auto t = static_cast<std::time_t>(unix_seconds);
    std::tm local{};
    ::localtime_r(&t, &local);
    return (local.tm_year + 1900) * 10000 + (local.tm_mon + 1) * 100 + local.tm_mday;
}

core::HistoryEvent HistoryStore::now_event(core::EventKind kind, std::string reminder, std::int32_t ml) {
    const auto now = static_cast<std::int64_t>(std::time(nullptr));
    return {now, local_day(now), kind, std::move(reminder), ml};
}

void HistoryStore::close() noexcept {
    if (db_ != nullptr) sqlite3_close_v2(db_);
    db_ = nullptr;
    file_ = {};
}

bool HistoryStore::open() {
    close();
    if (mode_ == Mode::read_only) {
        struct stat st {};
        if (::stat(path_.c_str(), &st) != 0) return false;  // no history yet: nothing to read
        if (const std::string foreign = check_own_dir(parent_of(path_)); !foreign.empty())
            throw HistoryError(
                core::format(core::tr("not reading the history %1$s: %2$s"), path_.c_str(), foreign.c_str()));
        const int rc = sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOFOLLOW, nullptr);
        if (rc != SQLITE_OK) {
            const std::string why = message(db_, rc);
            close();
            throw HistoryError(read_error(why));
        }
        sqlite3_busy_timeout(db_, busy_timeout_ms);
        version_ = user_version();
        if (version_ < 0) {
            const std::string why = sqlite3_errmsg(db_);
            close();
            throw HistoryError(read_error(why));
        }
        return true;
    }

    const std::string dir = parent_of(path_);
    if (!make_dirs(dir)) {
        problem(core::format(core::tr("cannot create %s: %s"), dir.c_str(), std::strerror(errno)));
        return false;
    }
    // Only in a directory of the person's own, and never through a link: another user must not
    // be able to prepare a place where limber writes into their files.
    if (const std::string foreign = check_own_dir(dir); !foreign.empty()) {
        // TRANSLATORS: %1$s is the history file, %2$s what is wrong with its directory (a sentence of its own).
        problem(core::format(core::tr("not writing the history %1$s: %2$s"), path_.c_str(), foreign.c_str()));
        return false;
    }
    for (int attempt = 0; attempt < 2; ++attempt) {
        int rc = sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW,
                                 nullptr);
        if (rc != SQLITE_OK) {
            // TRANSLATORS: %1$s is a file or directory, %2$s why (the system's or SQLite's words).
            problem(core::format(core::tr("cannot open %1$s: %2$s"), path_.c_str(), message(db_, rc).c_str()));
            close();
            return false;
        }
        sqlite3_busy_timeout(db_, busy_timeout_ms);
        // WAL: a commit appends to history.sqlite-wal; FULL: and fsyncs it before returning.
        // A small page cache: limberd writes a row now and then; reads of a year come from the OS cache.
        rc = sqlite3_exec(db_, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-256;", nullptr,
                          nullptr, nullptr);
        std::string damage;  // what quick_check found; the statement is gone before the file is set aside
        if (rc == SQLITE_OK) {
            Statement check(db_, "PRAGMA quick_check");
            rc = check.code();
            if (check.ok()) {
                rc = check.step();
                if (rc == SQLITE_ROW && check.text(0) != "ok") damage = "PRAGMA quick_check: " + check.text(0);
                if (rc == SQLITE_ROW) rc = SQLITE_OK;
            }
        }
        if (!damage.empty()) {
            set_aside(damage);
            continue;
        }
        if (is_corruption(rc)) {
            set_aside(message(db_, rc));
            continue;
        }
        if (rc != SQLITE_OK) {
            // TRANSLATORS: %1$s is the history file, %2$s SQLite's reason (English).
            problem(core::format(core::tr("cannot use %1$s: %2$s"), path_.c_str(), message(db_, rc).c_str()));
            close();
            return false;
        }
        if (!migrate()) {
            close();
            return false;
        }
        remember_file();
        return true;
    }
    close();
    return false;
}

void HistoryStore::remember_file() {
    struct stat st {};
    if (::stat(path_.c_str(), &st) != 0) return;
    file_ = {static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino),
             static_cast<std::int64_t>(st.st_size)};
}

bool HistoryStore::notice_changes() {
    if (db_ == nullptr || mode_ == Mode::read_only || file_.inode == 0) return false;
    struct stat st {};
    if (::stat(path_.c_str(), &st) != 0) {
        if (errno != ENOENT) return false;  // cannot look: the write goes on and reports what fails
        // Writing on would go into a file nobody can see, lost at exit: a new one, with what waits in memory.
        let_go();
        report_(true,
                core::format(core::tr("the history %s was deleted while in use; started a new one"), path_.c_str()));
        open();
        return true;
    }
    if (static_cast<std::uint64_t>(st.st_dev) != file_.device || static_cast<std::uint64_t>(st.st_ino) != file_.inode) {
        // Someone else's file now: whatever it is, it is opened (and set aside if damaged) as at start.
        let_go();
        report_(true,
                core::format(core::tr("the history %s was replaced by another file while in use; using that one now"),
                             path_.c_str()));
        open();
        return true;
    }
    if (st.st_size < file_.size) {
        // Its pages are gone; what the connection still holds is written back before it is set aside.
        // TRANSLATORS: why the history is damaged: its size in bytes before and now.
        set_aside(core::format(core::tr("truncated from %1$lld to %2$lld bytes while in use"),
                               static_cast<long long>(file_.size), static_cast<long long>(st.st_size)));
        open();
        return true;
    }
    file_.size = static_cast<std::int64_t>(st.st_size);
    return false;
}

void HistoryStore::let_go() noexcept {
    // SQLite neither checkpoints nor removes the -wal of a file that is no longer at its path, and the
    // next file opened there would take that -wal's pages as its own: emptied first (into the old file).
    sqlite3_exec(db_, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
    close();
}

void HistoryStore::set_aside(const std::string& why) {
    close();
    const std::string aside = path_ + ".corrupt";
    std::rename(path_.c_str(), aside.c_str());
    std::rename((path_ + "-wal").c_str(), (aside + "-wal").c_str());
    std::remove((path_ + "-shm").c_str());
    // TRANSLATORS: %1$s is the history file, %2$s why it is damaged, %3$s the name it is kept under.
    report_(true, core::format(core::tr("the history %1$s is damaged (%2$s); kept it as %3$s and started a new one"),
                               path_.c_str(), why.c_str(), aside.c_str()));
}

int HistoryStore::user_version() {
    if (db_ == nullptr) return -1;
    Statement s(db_, "PRAGMA user_version");
    if (!s.ok() || s.step() != SQLITE_ROW) return -1;
    return static_cast<int>(s.integer(0));
}

bool HistoryStore::migrate() {
    version_ = user_version();
    if (version_ < 0) {
        problem(
            core::format(core::tr("cannot read the schema version of %1$s: %2$s"), path_.c_str(), sqlite3_errmsg(db_)));
        return false;
    }
    if (version_ > schema_version) {
        // TRANSLATORS: %1$s is the history file; %2$d the schema number it has, %3$d the one this limber knows.
        problem(
            core::format(core::tr("%1$s was written by a newer limber (schema %2$d, this one knows %3$d); history is "
                                  "not recorded"),
                         path_.c_str(), version_, schema_version));
        return false;
    }
    const int found = version_;
    while (version_ < schema_version) {
        const std::string sql = std::string("BEGIN IMMEDIATE;") + migrations[version_] +
                                "PRAGMA user_version=" + std::to_string(version_ + 1) + ";COMMIT;";
        char* error = nullptr;
        const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
        if (rc != SQLITE_OK) {
            const std::string why = error != nullptr ? error : sqlite3_errstr(rc);
            sqlite3_free(error);
            sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
            // TRANSLATORS: %1$s is the history file, %2$d its schema number, %3$s SQLite's reason (English).
            problem(core::format(core::tr("cannot update the history %1$s from schema %2$d: %3$s"), path_.c_str(),
                                 version_, why.c_str()));
            return false;
        }
        ++version_;
    }
    if (found > 0 && found < schema_version)
        report_(false, core::format(core::tr("updated the history %1$s from schema %2$d to %3$d"), path_.c_str(), found,
                                    schema_version));
    return true;
}

void HistoryStore::problem(const std::string& what) {
    if (!failing_)
        // TRANSLATORS: %s is what went wrong with the history (one of the messages above).
        report_(true, core::format(core::tr("%s; reminders go on, and what happens is kept in memory until the "
                                            "history can be written again"),
                                   what.c_str()));
    failing_ = true;
    last_problem_ = what;
}

std::string HistoryStore::read_error(const std::string& why) const {
    return core::format(core::tr("cannot read the history %1$s: %2$s"), path_.c_str(), why.c_str());
}

void HistoryStore::recovered() {
    if (failing_) report_(false, core::format(core::tr("the history %s is written again"), path_.c_str()));
    failing_ = false;
    last_problem_.clear();
}

int HistoryStore::insert(const std::vector<core::HistoryEvent>& events, std::string& why) {
    // The statements are finalized before this returns: a connection closed with statements still
    // open lingers, and its late close would delete the -wal of the file opened after it.
    auto fail = [&](int rc) {
        why = message(db_, rc);
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        return rc;
    };
    int rc = sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return fail(rc);
    Statement event(db_, "INSERT INTO events(at, day, kind, reminder) VALUES (?, ?, ?, ?)");
    if (!event.ok()) return fail(event.code());
    Statement water(db_, "INSERT INTO water(at, day, ml, reminder) VALUES (?, ?, ?, ?)");
    if (!water.ok()) return fail(water.code());
    for (const auto& e : events) {
        Statement& s = e.kind == core::EventKind::water ? water : event;
        s.bind(1, e.at).bind(2, e.day);
        if (e.kind == core::EventKind::water)
            s.bind(3, e.ml);
        else
            s.bind(3, static_cast<std::int64_t>(e.kind));
        s.bind(4, e.reminder);
        rc = s.step();
        s.reset();
        if (rc != SQLITE_DONE) return fail(rc);
    }
    rc = sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return fail(rc);
    return SQLITE_OK;
}

bool HistoryStore::write(const std::vector<core::HistoryEvent>& events) {
    notice_changes();
    if (db_ == nullptr && !open()) return false;
    std::string why;
    int rc = insert(events, why);
    if (rc == SQLITE_OK) return true;
    if (is_busy(rc)) {
        // Nothing wrong with the file: the events wait in memory and go with the next write.
        // TRANSLATORS: %1$s is the history file, %2$s SQLite's reason (English).
        problem(core::format(core::tr("cannot write the history %1$s now: another program holds its lock (%2$s)"),
                             path_.c_str(), why.c_str()));
        return false;
    }
    // A failed write may be the first sign of a file changed under the connection (checked again:
    // it may have happened just now), or of a damaged one: either way, once more on a usable file.
    bool reopened = notice_changes();
    if (!reopened && is_corruption(rc)) {
        set_aside(why);
        open();
        reopened = true;
    }
    if (reopened && db_ != nullptr && insert(events, why) == SQLITE_OK) return true;
    // TRANSLATORS: %1$s is the history file, %2$s SQLite's reason (English).
    problem(core::format(core::tr("cannot write the history %1$s: %2$s"), path_.c_str(), why.c_str()));
    return false;
}

void HistoryStore::record(const core::HistoryEvent& event) {
    if (mode_ == Mode::read_only) return;
    if (event.kind == core::EventKind::water && event.ml <= 0) return;
    pending_.push_back(event);
    if (pending_.size() > max_pending) pending_.pop_front();  // the oldest go first
    maybe_prune();
    write_pending();
}

void HistoryStore::write_pending() {
    if (pending_.empty()) return;
    const std::vector<core::HistoryEvent> batch(pending_.begin(), pending_.end());
    if (!write(batch)) return;
    pending_.clear();
    recovered();
}

void HistoryStore::write_waiting() {
    if (mode_ == Mode::read_only) return;
    write_pending();  // write() checks the file first
}

void HistoryStore::before_reading() {
    if (mode_ == Mode::read_only) return;
    // Reads come from the file at path() (not one deleted under the connection), with whatever waited
    // in memory (a busy lock) written first when it can be now (write() checks the file first).
    if (pending_.empty())
        notice_changes();
    else
        write_pending();
}

bool HistoryStore::record_all(const std::vector<core::HistoryEvent>& events) {
    if (mode_ == Mode::read_only) return false;
    if (!write(events)) return false;
    recovered();
    return true;
}

std::vector<core::HistoryEvent> HistoryStore::events(core::CivilDay since) {
    before_reading();
    std::vector<core::HistoryEvent> out;
    auto fail = [this](int rc) -> std::vector<core::HistoryEvent> {
        const std::string why = message(db_, rc);
        if (mode_ == Mode::read_only) throw HistoryError(read_error(why));
        return {pending_.begin(), pending_.end()};
    };
    if (db_ != nullptr) {
        Statement s(db_, "SELECT at, day, kind, reminder FROM events WHERE day >= ? ORDER BY id");
        if (!s.ok()) return fail(s.code());
        s.bind(1, since);
        int rc;
        while ((rc = s.step()) == SQLITE_ROW) {
            const auto kind = s.integer(2);
            // Water is never in this table; larger numbers come from a newer limber.
            if (kind < 0 || kind > static_cast<int>(core::last_event_kind) ||
                kind == static_cast<int>(core::EventKind::water))
                continue;
            out.push_back({s.integer(0), static_cast<core::CivilDay>(s.integer(1)), static_cast<core::EventKind>(kind),
                           s.text(3), 0});
        }
        if (rc != SQLITE_DONE) return fail(rc);
    }
    if (db_ != nullptr && version_ >= 2) {
        Statement s(db_, "SELECT at, day, ml, reminder FROM water WHERE day >= ? ORDER BY id");
        if (!s.ok()) return fail(s.code());
        s.bind(1, since);
        int rc;
        while ((rc = s.step()) == SQLITE_ROW)
            out.push_back({s.integer(0), static_cast<core::CivilDay>(s.integer(1)), core::EventKind::water, s.text(3),
                           static_cast<std::int32_t>(s.integer(2))});
        if (rc != SQLITE_DONE) return fail(rc);
    }
    // Events still waiting to be written belong to the history too.
    for (const auto& e : pending_)
        if (e.day >= since) out.push_back(e);
    return out;
}

std::vector<core::DayCount> HistoryStore::counts(core::CivilDay since) {
    before_reading();
    std::vector<core::DayCount> out;
    auto fail = [this](int rc) {
        const std::string why = message(db_, rc);
        if (mode_ == Mode::read_only) throw HistoryError(read_error(why));
    };
    if (db_ != nullptr) {
        // Schema 1 has no water table, and its index does not cover this: still right, just slower.
        // Water is added up as in water_on(): never a failing sum(), held at the largest int.
        const std::string sql =
            std::string(
                "SELECT day, kind, reminder, count(*) FROM events WHERE day >= ?1 GROUP BY day, kind, reminder") +
            (version_ >= 2 ? " UNION ALL SELECT day, 8, reminder, CAST(max(0, min(total(ml), 2147483647)) AS INTEGER)"
                             " FROM water WHERE day >= ?1 GROUP BY day, reminder"
                           : "");
        Statement s(db_, sql.c_str());
        if (!s.ok()) {
            fail(s.code());
        } else {
            s.bind(1, since);
            int rc;
            while ((rc = s.step()) == SQLITE_ROW) {
                const auto kind = s.integer(1);
                // Counts of showings, outcomes, pauses and water; presence is read in order by presence(), and
                // larger numbers come from a newer limber.
                if (kind < 0 || kind > static_cast<int>(core::last_event_kind) ||
                    core::is_presence(static_cast<core::EventKind>(kind)))
                    continue;
                out.push_back({static_cast<core::CivilDay>(s.integer(0)), static_cast<core::EventKind>(kind), s.text(2),
                               s.integer(3)});
            }
            if (rc != SQLITE_DONE) fail(rc);
        }
    }
    if (!pending_.empty()) {
        std::vector<core::HistoryEvent> waiting;
        for (const auto& e : pending_)
            if (e.day >= since) waiting.push_back(e);
        for (auto& c : core::tally(waiting)) out.push_back(std::move(c));
    }
    return out;
}

std::vector<core::HistoryEvent> HistoryStore::presence(core::CivilDay since) {
    before_reading();
    // Rows by id (recorded order). Presence kinds are 9 to 13 (core::is_presence).
    std::map<std::int64_t, core::HistoryEvent> rows;
    auto fail = [this](int rc) {
        const std::string why = message(db_, rc);
        if (mode_ == Mode::read_only) throw HistoryError(read_error(why));
    };
    const auto first_presence = static_cast<int>(core::EventKind::present);
    const auto last_presence = static_cast<int>(core::EventKind::stop);
    const auto last_kind = static_cast<int>(core::last_event_kind);
    auto collect = [&](Statement& s) {
        int rc;
        while ((rc = s.step()) == SQLITE_ROW) {
            const auto kind = s.integer(3);
            if (kind < 0 || kind > last_kind) continue;  // from a newer limber
            rows[s.integer(0)] = {
                s.integer(1), static_cast<core::CivilDay>(s.integer(2)), static_cast<core::EventKind>(kind), {}, 0};
        }
        if (rc != SQLITE_DONE) fail(rc);
        s.reset();
    };
    if (db_ != nullptr) {
        // The presence events from `since` on (the tally index narrows the days) …
        Statement in_range(db_, "SELECT id, at, day, kind FROM events WHERE day >= ?1 AND kind >= ?2 AND kind <= ?3");
        // … the last one before (the state the first day begins in) …
        Statement before(db_,
                         "SELECT id, at, day, kind FROM events WHERE id = "
                         "(SELECT max(id) FROM events WHERE day < ?1 AND kind >= ?2 AND kind <= ?3)");
        // … the event just before a start, and the last of all: where a run without a stop ended.
        Statement previous(db_, "SELECT id, at, day, kind FROM events WHERE id < ?1 ORDER BY id DESC LIMIT 1");
        Statement last(db_, "SELECT id, at, day, kind FROM events ORDER BY id DESC LIMIT 1");
        for (Statement* s : {&in_range, &before, &previous, &last})
            if (!s->ok()) {
                fail(s->code());
                return {};
            }
        for (Statement* s : {&in_range, &before}) {
            s->bind(1, since).bind(2, first_presence).bind(3, last_presence);
            collect(*s);
        }
        std::vector<std::int64_t> starts;
        for (const auto& [id, e] : rows)
            if (e.kind == core::EventKind::start) starts.push_back(id);
        for (const auto id : starts) {
            previous.bind(1, id);
            collect(previous);
        }
        collect(last);
    }
    std::vector<core::HistoryEvent> out;
    out.reserve(rows.size() + pending_.size());
    for (auto& [id, e] : rows) out.push_back(std::move(e));
    // Events still waiting to be written come after everything in the file.
    for (const auto& e : pending_)
        if (e.kind != core::EventKind::water) out.push_back(e);
    return out;
}

std::int64_t HistoryStore::day_start(core::CivilDay day) {
    std::tm tm{};
    tm.tm_year = day / 10000 - 1900;
    tm.tm_mon = day / 100 % 100 - 1;
    tm.tm_mday = day % 100;
    tm.tm_isdst = -1;  // whatever applies at that midnight (where DST begins at midnight: 01:00)
    return static_cast<std::int64_t>(std::mktime(&tm));
}

std::vector<core::DayCount> HistoryStore::active(core::CivilDay since, std::optional<core::Moment> now) {
    auto rows = core::active_time(presence(since), &HistoryStore::day_start, now);
    std::erase_if(rows, [since](const core::DayCount& c) { return c.day < since; });
    return rows;
}

int HistoryStore::water_on(core::CivilDay day) {
    // Added up without wrapping (total(): a float sum that, unlike sum(), never fails on overflow) and
    // held at the largest int: a day of many big glasses, or a file written by hand, never turns negative.
    constexpr std::int64_t most = 2147483647;  // INT_MAX
    std::int64_t total = 0;
    if (db_ != nullptr && version_ >= 2) {
        Statement s(db_, "SELECT max(0, min(total(ml), 2147483647)) FROM water WHERE day = ?");
        if (s.ok()) {
            s.bind(1, day);
            if (s.step() == SQLITE_ROW) total = s.integer(0);
        }
    }
    for (const auto& e : pending_)
        if (e.kind == core::EventKind::water && e.day == day && e.ml > 0) total += e.ml;
    return static_cast<int>(total < 0 ? 0 : total > most ? most : total);
}

void HistoryStore::set_retention(core::Duration keep) {
    keep_seconds_ = std::chrono::duration_cast<std::chrono::seconds>(keep).count();
    pruned_on_ = 0;
    maybe_prune();
}

void HistoryStore::maybe_prune() {
    if (!keep_seconds_ || mode_ == Mode::read_only) return;
    const auto now = static_cast<std::int64_t>(std::time(nullptr));
    const core::CivilDay today = local_day(now);
    if (today == pruned_on_) return;
    if (db_ == nullptr && !open()) return;
    pruned_on_ = today;
    const int removed = prune_before(now - *keep_seconds_);
    if (removed > 0)
        report_(false, core::format(core::trn("removed %d history event older than keep_history",
                                              "removed %d history events older than keep_history",
                                              static_cast<unsigned long>(removed)),
                                    removed));
}

int HistoryStore::prune_before(std::int64_t cutoff) {
    if (db_ == nullptr || mode_ == Mode::read_only) return 0;
    int removed = 0;
    for (const char* sql : {"DELETE FROM events WHERE at < ?", "DELETE FROM water WHERE at < ?"}) {
        if (std::string(sql).find("water") != std::string::npos && version_ < 2) continue;
        Statement s(db_, sql);
        if (!s.ok()) return removed;
        s.bind(1, cutoff);
        const int rc = s.step();
        if (rc != SQLITE_DONE) {
            // TRANSLATORS: %1$s is the history file, %2$s SQLite's reason (English).
            problem(
                core::format(core::tr("cannot prune the history %1$s: %2$s"), path_.c_str(), message(db_, rc).c_str()));
            return removed;
        }
        removed += sqlite3_changes(db_);
    }
    return removed;
}

void HistoryStore::release_memory() noexcept {
    if (db_ != nullptr) sqlite3_db_release_memory(db_);
}

std::string HistoryStore::integrity_check() {
    if (db_ == nullptr) return "not open";
    Statement s(db_, "PRAGMA integrity_check");
    if (!s.ok()) return message(db_, s.code());
    std::string out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) out += (out.empty() ? "" : "\n") + s.text(0);
    if (rc != SQLITE_DONE) return message(db_, rc);
    return out;
}

}  // namespace limber::adapters
