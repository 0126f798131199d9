#pragma once
// Mutter's idle monitor (GNOME, X11 or Wayland) on the session bus: one idle
// watch for `idle_after`, and a user-active watch while idle. Mutter sends
// WatchFired when either is crossed; limberd never asks in between.

#include <limber/core/Time.hpp>

#include <gio/gio.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace limber::adapters {

class MutterIdleMonitor {
public:
    using IdleHandler = std::function<void(bool idle, std::optional<core::Instant> since)>;

    /** `on_idle`: idle for `idle_after` (since = when input stopped) or back; `on_present`: Mutter came or went. */
    MutterIdleMonitor(GDBusConnection* bus, core::Duration idle_after, IdleHandler on_idle,
                      std::function<void(bool present)> on_present);
    ~MutterIdleMonitor();
    MutterIdleMonitor(const MutterIdleMonitor&) = delete;
    MutterIdleMonitor& operator=(const MutterIdleMonitor&) = delete;

    /** A new idle_after (profile reload): the idle watch is replaced. */
    void set_idle_after(core::Duration idle_after);
    bool present() const noexcept { return !owner_.empty(); }
    /** The first answer about the name is in. */
    bool settled() const noexcept { return settled_; }
    bool idle() const noexcept { return idle_; }

    struct Impl;

private:
    void on_owner(const std::string& owner);
    void on_fired(guint32 id);
    void add_idle_watch();
    void add_active_watch();
    void set_idle(bool idle, std::optional<core::Instant> since);

    core::Duration idle_after_;
    IdleHandler on_idle_;
    std::function<void(bool)> on_present_;
    std::unique_ptr<Impl> impl_;
    std::string owner_;
    guint32 idle_watch_ = 0;
    guint32 active_watch_ = 0;
    bool idle_ = false;
    bool settled_ = false;
};

}  // namespace limber::adapters
