#pragma once
// Runs the profile's [hooks]: each an argv, spawned directly (no shell), with
// the event's details in its environment. limberd never waits for a hook: it
// learns of the exit from a child watch, and a hook still running after the
// timeout is sent SIGTERM, then SIGKILL. A GLib timeout exists only while a
// hook runs, so an idle limberd still does not wake. A hook's stdout and stderr
// are logged through limberd's log, within bounds (max_logged_lines).

#include <glib.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace limber::adapters {

class HookRunner {
public:
    /** Extra environment for one run: (NAME, value) pairs added to limberd's own environment. */
    using Environment = std::vector<std::pair<std::string, std::string>>;

    HookRunner();
    /** Hooks still running are sent SIGTERM: they must not outlive limberd unnoticed. */
    ~HookRunner();
    HookRunner(const HookRunner&) = delete;
    HookRunner& operator=(const HookRunner&) = delete;

    /**
     * Starts `argv` for `event` ("on_shown", …) unless argv is empty. A hook
     * that cannot start, exits non-zero or is killed is logged; nothing is thrown.
     */
    void run(const std::string& event, const std::vector<std::string>& argv, const Environment& environment,
             std::chrono::milliseconds timeout);

    /** How many hooks are running now. */
    std::size_t running() const noexcept { return running_.size(); }

    /** At most this many at once; more are skipped (and logged), so a hung hook cannot pile up processes. */
    static constexpr std::size_t max_running = 8;
    /** After SIGTERM, how long a hook has before SIGKILL. */
    static constexpr std::chrono::milliseconds kill_grace{2000};
    /** What a hook prints (stdout and stderr) is logged up to this many lines or bytes a run; one line
     * then says that more was dropped, so a chatty hook cannot flood the journal. */
    static constexpr std::size_t max_logged_lines = 20;
    static constexpr std::size_t max_logged_bytes = 4096;
    /** Past this much output in one run its pipe is closed: a hook writing on then meets EPIPE. */
    static constexpr std::size_t max_output_bytes = 1 << 20;

private:
    struct Child {
        HookRunner* owner = nullptr;
        GPid pid = 0;
        std::string event;
        std::string program;
        guint watch = 0;
        guint timer = 0;
        bool terminated = false;  ///< SIGTERM sent by the timeout
        bool killed = false;      ///< SIGKILL sent
        std::chrono::milliseconds timeout{};
        int output = -1;         ///< reading end of the pipe on its stdout and stderr
        guint output_watch = 0;  ///< GLib source reading `output`
        std::string partial{};   ///< a line not yet ended
        std::size_t read = 0;    ///< bytes read this run
        std::size_t logged_lines = 0;
        std::size_t logged_bytes = 0;
        bool dropping = false;  ///< the caps were reached: the rest is read and dropped
    };
    static void on_exit(GPid pid, gint wait_status, gpointer child);
    static gboolean on_timeout(gpointer child);
    static gboolean on_output(gint fd, GIOCondition condition, gpointer child);
    /** Reads what the pipe holds now (`once`: one read); false at its end, or past max_output_bytes. */
    bool read_output(Child& child, bool once);
    void log_output_line(Child& child, std::string_view line);
    void close_output(Child& child);

    std::shared_ptr<spdlog::logger> log_;
    std::map<GPid, std::unique_ptr<Child>> running_;
};

}  // namespace limber::adapters
