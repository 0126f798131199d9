#pragma once
// Runs the profile's [hooks]: each an argv, spawned directly (no shell), with
// the event's details in its environment. limberd never waits for a hook: it
// learns of the exit from a child watch, and a hook still running after the
// timeout is sent SIGTERM, then SIGKILL. A GLib timeout exists only while a
// hook runs, so an idle limberd still does not wake.

#include <glib.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
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

private:
    struct Child {
        HookRunner* owner;
        GPid pid;
        std::string event;
        std::string program;
        guint watch = 0;
        guint timer = 0;
        bool terminated = false;  ///< SIGTERM sent by the timeout
        bool killed = false;      ///< SIGKILL sent
        std::chrono::milliseconds timeout;
    };
    static void on_exit(GPid pid, gint wait_status, gpointer child);
    static gboolean on_timeout(gpointer child);

    std::shared_ptr<spdlog::logger> log_;
    std::map<GPid, std::unique_ptr<Child>> running_;
};

}  // namespace limber::adapters
