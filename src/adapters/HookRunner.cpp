#include <limber/adapters/HookRunner.hpp>

#include "GLibHelpers.hpp"

#include <sys/types.h>
#include <unistd.h>
#include <csignal>

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
        // One already past its timeout has ignored SIGTERM once: it gets SIGKILL.
        ::kill(-pid, child->terminated ? SIGKILL : SIGTERM);
        g_spawn_close_pid(pid);
        log_->info("{} hook {} (pid {}) still running at exit; sent {}", child->event, child->program, pid,
                   child->terminated ? "SIGKILL" : "SIGTERM");
    }
}

void HookRunner::run(const std::string& event, const std::vector<std::string>& argv, const Environment& environment,
                     std::chrono::milliseconds timeout) {
    if (argv.empty()) return;
    if (running_.size() >= max_running) {
        log_->warn("{} hook {} not started: {} hooks are still running", event, argv.front(), running_.size());
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

    GPid pid = 0;
    GError* error = nullptr;
    const auto flags =
        static_cast<GSpawnFlags>(G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDIN_FROM_DEV_NULL);
    const gboolean ok = g_spawn_async(nullptr, args.data(), env, flags, &new_process_group, nullptr, &pid, &error);
    g_strfreev(env);
    if (!ok) {
        log_->warn("{} hook {} could not start: {}", event, argv.front(), error != nullptr ? error->message : "?");
        g_clear_error(&error);
        return;
    }
    // The parent sets the group too, so a kill right after spawning cannot miss it.
    ::setpgid(pid, pid);
    auto child = std::make_unique<Child>(Child{this, pid, event, argv.front(), 0, 0, false, false, timeout});
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
        GError* error = nullptr;
        if (child->terminated) {
            self->log_->warn("{} hook {} (pid {}) ran longer than {}s and was stopped{}", child->event, child->program,
                             pid, static_cast<double>(child->timeout.count()) / 1000.0,
                             child->killed ? " with SIGKILL" : "");
        } else if (!g_spawn_check_wait_status(wait_status, &error)) {
            self->log_->warn("{} hook {} (pid {}) failed: {}", child->event, child->program, pid, error->message);
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
