#include <limber/adapters/HookRunner.hpp>
#include <limber/core/Translate.hpp>

#include "GLibHelpers.hpp"

#include <glib-unix.h>

#include <fcntl.h>
#include <sys/types.h>
#include <unistd.h>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <utility>

namespace limber::adapters {
namespace {

/** In the child, before exec: its own process group, so a timeout stops what it started too. */
void new_process_group(gpointer) { ::setpgid(0, 0); }

guint timeout_source(std::chrono::milliseconds after, GSourceFunc fire, gpointer data) {
    return g_timeout_add_full(G_PRIORITY_DEFAULT, static_cast<guint>(after.count()), fire, data, nullptr);
}

}  // namespace

HookRunner::HookRunner() : log_(spdlog::get("hooks")) {
    if (!log_) log_ = spdlog::default_logger();
}

HookRunner::~HookRunner() {
    for (auto& [pid, child] : running_) {
        if (child->watch != 0) g_source_remove(child->watch);
        if (child->timer != 0) g_source_remove(child->timer);
        close_output(*child);
        // One already past its timeout has ignored SIGTERM once: it gets SIGKILL.
        ::kill(-pid, child->terminated ? SIGKILL : SIGTERM);
        g_spawn_close_pid(pid);
        // TRANSLATORS: %1$s is the hook's event ("show", "answered"), %2$s its program, %3$d its process id,
        // %4$s the signal sent (SIGTERM or SIGKILL).
        log_->info("{}", core::format(core::tr("%1$s hook %2$s (pid %3$d) still running at exit; sent %4$s"),
                                      child->event.c_str(), child->program.c_str(), static_cast<int>(pid),
                                      child->terminated ? "SIGKILL" : "SIGTERM"));
    }
}

void HookRunner::run(const std::string& event, const std::vector<std::string>& argv, const Environment& environment,
                     std::chrono::milliseconds timeout) {
    if (argv.empty()) return;
    if (running_.size() >= max_running) {
        log_->warn("{}", core::format(core::tr("%1$s hook %2$s not started: %3$d hooks are still running"),
                                      event.c_str(), argv.front().c_str(), static_cast<int>(running_.size())));
        return;
    }
    // argv goes to execvp as it is: profile text never reaches a shell.
    std::vector<gchar*> args;
    for (const auto& a : argv) args.push_back(const_cast<gchar*>(a.c_str()));
    args.push_back(nullptr);
    gchar** env = g_get_environ();
    // limberd's line to systemd is limberd's own (systemd would ignore a hook's messages anyway).
    env = g_environ_unsetenv(env, "NOTIFY_SOCKET");
    for (const auto& [name, value] : environment) env = g_environ_setenv(env, name.c_str(), value.c_str(), TRUE);

    // Its stdout and stderr go to one pipe that limberd reads and logs, within bounds (max_logged_lines).
    int pipe_fds[2] = {-1, -1};
    if (::pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0) {
        log_->warn("{}", core::format(core::tr("%1$s hook %2$s could not start: no pipe for its output: %3$s"),
                                      event.c_str(), argv.front().c_str(), std::strerror(errno)));
        g_strfreev(env);
        return;
    }
    // Only the reading end is limberd's to poll; the hook's end blocks as a pipe normally does.
    ::fcntl(pipe_fds[1], F_SETFL, ::fcntl(pipe_fds[1], F_GETFL) & ~O_NONBLOCK);

    GPid pid = 0;
    GError* error = nullptr;
    const auto flags =
        static_cast<GSpawnFlags>(G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDIN_FROM_DEV_NULL);
    const gboolean ok = g_spawn_async_with_fds(nullptr, args.data(), env, flags, &new_process_group, nullptr, &pid, -1,
                                               pipe_fds[1], pipe_fds[1], &error);
    g_strfreev(env);
    ::close(pipe_fds[1]);
    if (!ok) {
        ::close(pipe_fds[0]);
        log_->warn("{}", core::format(core::tr("%1$s hook %2$s could not start: %3$s"), event.c_str(),
                                      argv.front().c_str(), error != nullptr ? error->message : "?"));
        g_clear_error(&error);
        return;
    }
    // The parent sets the group too, so a kill right after spawning cannot miss it.
    ::setpgid(pid, pid);
    auto child = std::make_unique<Child>(
        Child{.owner = this, .pid = pid, .event = event, .program = argv.front(), .timeout = timeout});
    child->output = pipe_fds[0];
    child->output_watch = g_unix_fd_add(child->output, static_cast<GIOCondition>(G_IO_IN | G_IO_HUP | G_IO_ERR),
                                        &HookRunner::on_output, child.get());
    child->watch = g_child_watch_add(pid, &HookRunner::on_exit, child.get());
    child->timer = timeout_source(timeout, &HookRunner::on_timeout, child.get());
    log_->debug("{} hook {} started (pid {})", event, argv.front(), pid);
    running_.emplace(pid, std::move(child));
}

void HookRunner::on_exit(GPid pid, gint wait_status, gpointer data) {
    guarded("a hook's exit watch", [&] {
        auto* child = static_cast<Child*>(data);
        HookRunner* self = child->owner;
        if (child->timer != 0) g_source_remove(child->timer);
        // What it printed last is in the pipe already: logged before how it ended. Whatever it left
        // running keeps no pipe to limberd (it meets EPIPE).
        if (child->output != -1) {
            self->read_output(*child, false);
            if (!child->partial.empty()) self->log_output_line(*child, std::exchange(child->partial, {}));
        }
        self->close_output(*child);
        GError* error = nullptr;
        if (child->terminated) {
            const std::string limit = fmt::format("{}", static_cast<double>(child->timeout.count()) / 1000.0);
            // TRANSLATORS: %4$s is the hook's time limit in seconds (as in the profile: "2.5").
            self->log_->warn(
                "{}", core::format(child->killed ? core::tr("%1$s hook %2$s (pid %3$d) ran longer than "
                                                            "%4$ss and was stopped with SIGKILL")
                                                 : core::tr("%1$s hook %2$s (pid %3$d) ran longer than "
                                                            "%4$ss and was stopped"),
                                   child->event.c_str(), child->program.c_str(), static_cast<int>(pid), limit.c_str()));
        } else if (!g_spawn_check_wait_status(wait_status, &error)) {
            self->log_->warn("{}",
                             core::format(core::tr("%1$s hook %2$s (pid %3$d) failed: %4$s"), child->event.c_str(),
                                          child->program.c_str(), static_cast<int>(pid), error->message));
        } else {
            self->log_->debug("{} hook {} (pid {}) finished", child->event, child->program, pid);
        }
        g_clear_error(&error);
        // Anything the hook left behind in its group goes with it.
        if (child->terminated) ::kill(-pid, SIGKILL);
        g_spawn_close_pid(pid);
        self->running_.erase(pid);  // frees child; the watch source removes itself
    });
}

gboolean HookRunner::on_output(gint, GIOCondition, gpointer data) {
    auto* child = static_cast<Child*>(data);
    bool more = false;
    // One read a turn: bus calls and timers go between the reads of a chatty hook.
    guarded("reading a hook's output", [&] { more = child->owner->read_output(*child, true); });
    if (more) return G_SOURCE_CONTINUE;
    child->output_watch = 0;  // removed by returning G_SOURCE_REMOVE
    child->owner->close_output(*child);
    return G_SOURCE_REMOVE;
}

bool HookRunner::read_output(Child& child, bool once) {
    char buffer[16384];
    for (;;) {
        const ssize_t n = ::read(child.output, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
        if (n <= 0) {
            // The end (every writer closed it), or an error that will not go away: a last unended line.
            if (!child.partial.empty()) log_output_line(child, std::exchange(child.partial, {}));
            return false;
        }
        child.read += static_cast<std::size_t>(n);
        if (!child.dropping) {
            child.partial.append(buffer, static_cast<std::size_t>(n));
            std::size_t start = 0;
            for (std::size_t end; !child.dropping && (end = child.partial.find('\n', start)) != std::string::npos;
                 start = end + 1)
                log_output_line(child, std::string_view(child.partial).substr(start, end - start));
            child.partial.erase(0, start);
            // A line without end longer than all a run may log: what it holds so far is its line.
            if (!child.dropping && child.partial.size() >= max_logged_bytes)
                log_output_line(child, std::exchange(child.partial, {}));
            if (child.dropping) child.partial.clear();
        }
        if (child.read > max_output_bytes) {
            log_->debug("{} hook {} (pid {}) wrote more than {} bytes: its output is closed", child.event,
                        child.program, child.pid, max_output_bytes);
            return false;
        }
        if (once) return true;
    }
}

void HookRunner::log_output_line(Child& child, std::string_view line) {
    if (child.dropping) return;
    const bool over = child.logged_lines >= max_logged_lines || child.logged_bytes >= max_logged_bytes;
    if (!over) {
        // A line longer than what is left of the run's bytes is cut there, and is the last.
        const std::string_view kept = line.substr(0, max_logged_bytes - child.logged_bytes);
        ++child.logged_lines;
        child.logged_bytes += kept.size() + 1;
        // The journal gets text: invalid UTF-8 would make the line a blob, and a carriage return or an
        // escape sequence of the hook's is shown, not obeyed.
        gchar* valid = g_utf8_make_valid(kept.data(), static_cast<gssize>(kept.size()));
        std::string text(valid);
        g_free(valid);
        if (!text.empty() && text.back() == '\r') text.pop_back();
        for (char& c : text)
            if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) c = '?';
        log_->info("{} hook {} (pid {}): {}", child.event, child.program, child.pid, text);
        if (kept.size() == line.size()) return;
    }
    child.dropping = true;
    log_->warn("{}", core::format(core::tr("%1$s hook %2$s (pid %3$d): more output dropped (the first %4$d lines or "
                                           "%5$d bytes of each run are logged)"),
                                  child.event.c_str(), child.program.c_str(), static_cast<int>(child.pid),
                                  static_cast<int>(max_logged_lines), static_cast<int>(max_logged_bytes)));
}

void HookRunner::close_output(Child& child) {
    if (child.output_watch != 0) g_source_remove(child.output_watch);
    child.output_watch = 0;
    if (child.output != -1) ::close(child.output);
    child.output = -1;
}

gboolean HookRunner::on_timeout(gpointer data) {
    guarded("a hook's timeout", [&] {
        auto* child = static_cast<Child*>(data);
        if (!child->terminated) {
            child->terminated = true;
            ::kill(-child->pid, SIGTERM);
            child->timer = timeout_source(kill_grace, &HookRunner::on_timeout, child);
        } else {
            child->killed = true;
            child->timer = 0;
            ::kill(-child->pid, SIGKILL);
        }
    });
    return G_SOURCE_REMOVE;
}

}  // namespace limber::adapters
