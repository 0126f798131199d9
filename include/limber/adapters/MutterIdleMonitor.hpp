#pragma once
// Mutter's idle monitor (GNOME, X11 or Wayland) on the session bus: one idle
// watch for `idle_after`, and a user-active watch while idle. Mutter sends
// WatchFired when either is crossed; limberd never asks in between.

#include <limber/core/Time.hpp>
#include <limber/daemon/PresenceSource.hpp>

#include <gio/gio.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace limber::adapters {

/** The source "mutter-idle": reports idle (since = when input stopped) and back; in use while Mutter is on the bus. */
class MutterIdleMonitor final : public daemon::PresenceSource {
public:
    /** nullptr without a session bus. */
    static std::unique_ptr<daemon::PresenceSource> make(const daemon::PresenceContext& context);
    explicit MutterIdleMonitor(const daemon::PresenceContext& context);
    ~MutterIdleMonitor() override;
    MutterIdleMonitor(const MutterIdleMonitor&) = delete;
    MutterIdleMonitor& operator=(const MutterIdleMonitor&) = delete;

    std::string name() const override { return "mutter-idle"; }
    /** Mutter's idle monitor is on the bus. */
    bool in_use() const override { return !owner_.empty(); }
    /** The first answer about the name is in. */
    bool settled() const override { return settled_; }
    bool tells_presence() const override { return true; }
    /** A new idle_after (profile reload): the idle watch is replaced. */
    void set_idle_after(core::Duration idle_after) override;
    bool idle() const noexcept { return idle_; }

    struct Impl;

private:
    void on_owner(const std::string& owner);
    void on_fired(guint32 id);
    void add_idle_watch();
    void add_active_watch();
    void set_idle(bool idle, std::optional<core::Instant> since);

    core::Duration idle_after_;
    daemon::PresenceContext context_;
    std::unique_ptr<Impl> impl_;
    std::string owner_;
    guint32 idle_watch_ = 0;
    guint32 active_watch_ = 0;
    bool idle_ = false;
    bool settled_ = false;
};

}  // namespace limber::adapters
