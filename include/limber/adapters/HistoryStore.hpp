#pragma once
// The history in SQLite: $XDG_STATE_HOME/limber/history.sqlite.
//
// limberd is its writer (limberctl writes only `drank` when no limberd runs,
// and otherwise opens it read-only). Durability: every event is its own
// committed transaction before record() returns, so whatever limberd has
// acknowledged (a bus reply, an "answered" log line) is in the file. In WAL
// mode a commit appends to history.sqlite-wal; with synchronous=NORMAL that
// already survives kill -9 (the data is in the kernel's page cache), but the
// last commits could vanish in a power cut or kernel crash. FULL fsyncs the
// WAL on every commit, so acknowledged also means on the disk: one fsync of a
// few milliseconds for each of the few events an hour. Failures never stop reminders:
// a full disk, a read-only directory or another program holding the write lock
// (waited for 100 ms at most) is reported once and the events wait in memory for
// the next write or read; a corrupt file is set aside as history.sqlite.corrupt
// and a fresh one started. A file deleted, replaced or truncated while open is
// noticed before each write and read (its inode and size) and on a failed write:
// one line, and the events go into a usable file. The directory must be the
// person's own (not a link, theirs, not writable by others) and the file is
// never opened through a link.

#include <limber/core/History.hpp>
#include <limber/core/Statistics.hpp>
#include <limber/core/Time.hpp>

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

struct sqlite3;

namespace limber::adapters {

/** Reading the history failed (read-only mode); what() is one line for the user. */
struct HistoryError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class HistoryStore final : public core::HistorySink {
public:
    enum class Mode {
        write,     ///< create, migrate, record (limberd; limberctl drank without limberd)
        read_only  ///< SQLITE_OPEN_READONLY: never creates, migrates or writes
    };
    /** Problems and recoveries, one line each; `warning` false for notes. */
    using Reporter = std::function<void(bool warning, const std::string& line)>;

    /** The schema this build writes (PRAGMA user_version). 1: events; 2: + water. */
    static constexpr int schema_version = 2;

    /**
     * Opens `path`. Write mode creates and migrates it; problems go to `report`, never thrown.
     * Read-only mode opens nothing when there is no file, and throws HistoryError when there is
     * one it cannot read.
     */
    HistoryStore(std::string path, Mode mode, Reporter report = {});
    ~HistoryStore() override;
    HistoryStore(const HistoryStore&) = delete;
    HistoryStore& operator=(const HistoryStore&) = delete;

    /** $XDG_STATE_HOME/limber/history.sqlite, else ~/.local/state/limber/history.sqlite. */
    static std::string default_path();

    /** An event happening now, on today's local date. */
    static core::HistoryEvent now_event(core::EventKind kind, std::string reminder = {}, std::int32_t ml = 0);
    /** The local date of a Unix time. */
    static core::CivilDay local_day(std::int64_t unix_seconds);

    /**
     * Commits the event (and any waiting from earlier failures); prunes first when a new day began.
     * What cannot be written now (reported once) waits in memory, counted by every read.
     */
    void record(const core::HistoryEvent& event) override;
    /** Several events in one transaction (imports, benchmarks); false if they could not be stored. */
    bool record_all(const std::vector<core::HistoryEvent>& events);

    /** Events on or after `since`, oldest first. Read-only mode throws HistoryError when unreadable. */
    std::vector<core::HistoryEvent> events(core::CivilDay since = 0);
    /**
     * The history on or after `since`, added up per day, kind and reminder (core::tally's result,
     * computed by SQLite on its index; rows may repeat a key for events still waiting in memory).
     */
    std::vector<core::DayCount> counts(core::CivilDay since = 0);
    /**
     * What core::active_time needs to be exact from `since` on, in recorded order: the presence
     * events on or after `since` and the last one before it, the event recorded just before each
     * `start` (where a run that never stopped ended), and the last event of all. A few hundred rows
     * for a year, however many reminders it had.
     */
    std::vector<core::HistoryEvent> presence(core::CivilDay since = 0);
    /**
     * Seconds present per day on or after `since` (core::active_time's rows, kind `present`);
     * `now`: limberd is running and wrote this history (its open interval runs to now).
     */
    std::vector<core::DayCount> active(core::CivilDay since, std::optional<core::Moment> now = {});
    /** When local day `day` begins, in Unix seconds (the process's time zone). */
    static std::int64_t day_start(core::CivilDay day);

    /** Water drunk on `day`, in ml. */
    int water_on(core::CivilDay day);

    /** Keeps `keep` of history: prunes now and again on the first write of each new day. */
    void set_retention(core::Duration keep);
    /** Gives SQLite's page cache back (sqlite3_db_release_memory). */
    void release_memory() noexcept;
    /** Deletes events before Unix time `cutoff`; returns how many. */
    int prune_before(std::int64_t cutoff);

    /** "ok", or what PRAGMA integrity_check found. */
    std::string integrity_check();
    /** PRAGMA user_version of the open file, or -1. */
    int user_version();
    /** Open and usable. */
    bool available() const noexcept { return db_ != nullptr; }
    /** Events recorded while the file could not be written, waiting for the next write. */
    std::size_t pending() const noexcept { return pending_.size(); }
    /**
     * Why the history cannot be written now, in the person's language and without the reported
     * line's "; reminders go on…" (limberctl says what it means for its own command); "" when it can.
     */
    const std::string& last_problem() const noexcept { return last_problem_; }
    /** Tries again to write the events waiting in memory (file checked first); a no-op when none wait. */
    void write_waiting();
    const std::string& path() const noexcept { return path_; }

private:
    bool open();
    void close() noexcept;
    /** Closes a connection whose file was deleted or replaced, leaving no -wal for the next file. */
    void let_go() noexcept;
    bool migrate();
    void set_aside(const std::string& why);
    bool write(const std::vector<core::HistoryEvent>& events);
    /** One transaction of `events`: SQLITE_OK, or the code with `why` set (rolled back). */
    int insert(const std::vector<core::HistoryEvent>& events, std::string& why);
    /** Notes which file the open connection writes (device, inode, size). */
    void remember_file();
    /**
     * Whether the file at path() is still the one open, as it was: if it was deleted, replaced or
     * truncated, reports it in one line, starts on a usable file (events waiting in memory are
     * kept) and returns true.
     */
    bool notice_changes();
    void problem(const std::string& what);
    /** "cannot read the history PATH: WHY", for limberctl's HistoryError. */
    std::string read_error(const std::string& why) const;
    void recovered();
    void maybe_prune();
    /** Writes the events waiting in memory, if any and if the file can take them now. */
    void write_pending();
    /** Before a read in write mode: notice_changes(), then write_pending(). */
    void before_reading();

    std::string path_;
    Mode mode_;
    Reporter report_;
    sqlite3* db_ = nullptr;
    int version_ = 0;
    bool failing_ = false;      // a problem was reported and not yet recovered from
    std::string last_problem_;  // its line, without what it means for reminders
    std::deque<core::HistoryEvent> pending_;
    struct FileId {
        std::uint64_t device = 0;
        std::uint64_t inode = 0;  ///< 0: not known
        std::int64_t size = 0;    ///< as last seen: only ever grows while limber writes it
    } file_;
    std::optional<std::int64_t> keep_seconds_;
    core::CivilDay pruned_on_ = 0;
};

}  // namespace limber::adapters
