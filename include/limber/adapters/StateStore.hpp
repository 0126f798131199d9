#pragma once
// Saves the scheduler's state (clocks, snoozes, pause) under
// $XDG_STATE_HOME/limber/ so a restart continues where it stopped.

#include <limber/core/Scheduler.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace limber::adapters {

class StateStore {
public:
    /**
     * `dir` is created on first save. It is only read or written when it is the person's own: a
     * directory (not a link) of theirs that nobody else can write to; otherwise one warning says
     * what to do, and reminders go on without saved state.
     */
    explicit StateStore(std::string dir);

    /** $XDG_STATE_HOME/limber, else ~/.local/state/limber: the person's own state and history. */
    static std::string default_dir();

    /**
     * Where a run on `profile` keeps its state and history. The person's own profile (`own`: what
     * the lookup order finds without --profile and $LIMBER_PROFILE; "" = the built-in one, as is
     * `profile` when empty) uses default_dir(); so does a path naming the same file. Any other
     * profile (a demo, someone else's) gets a directory of its own, default_dir()/profiles/NAME-HASH
     * (NAME: the file's name without .toml; HASH: of its absolute path), so that it never continues
     * the person's clocks or adds to their history, and comes back to its own on the next run.
     */
    static std::string dir_for(const std::string& profile, const std::string& own);

    struct Loaded {
        core::SchedulerSnapshot snapshot;
        core::Duration down_for{};  ///< wall time since it was saved (0 if the clock went back)
        bool same_day = true;       ///< saved on today's local date
        bool stopped = true;        ///< saved as limberd stopped; false: it crashed after this save
    };

    /** The saved state, or nothing (none yet; unreadable: warned once, set aside, fresh start). */
    std::optional<Loaded> load();

    /**
     * Writes atomically (write, fsync, rename); a failure is logged once and never thrown.
     * `stopping`: the last save, as limberd stops (what follows is time limberd was not running).
     */
    void save(const core::SchedulerSnapshot& snapshot, bool stopping = false);

    const std::string& path() const noexcept { return path_; }
    const std::string& dir() const noexcept { return dir_; }

    /** The file's text for a snapshot (exposed for tests). */
    static std::string serialize(const core::SchedulerSnapshot& snapshot, std::int64_t saved_at, const std::string& day,
                                 bool stopping = true);
    /** Parses the file's text; throws std::exception on anything malformed. */
    static Loaded parse(const std::string& text, std::int64_t now, const std::string& today);

private:
    /** Logs that `problem` (the directory is not the person's own) keeps state from being read or saved. */
    void refuse(const std::string& problem);
    /** Logs `line` unless it is the one logged last (a failure is reported once, not at every save). */
    void warn_once(const std::string& line);

    std::string dir_;
    std::string path_;
    std::string warned_;  ///< the warning last logged; empty once a save succeeded
};

}  // namespace limber::adapters
