#pragma once
// The idle time KDE Plasma (and other org.freedesktop.ScreenSaver servers)
// report through GetSessionIdleTime, for Plasma on Wayland where there is
// no X11 idle time to read. Used only when no better source is there.
//
// Wake-ups: while the person is present, one call when the idle time could
// first reach `idle_after` (at most one per `idle_after`). The interface has
// no "user is back" signal, so while idle it is asked every 5 s: the
// documented cost of this source, paid only while the person is away.

#include <limber/core/Time.hpp>
#include <limber/daemon/PresenceSource.hpp>

#include <gio/gio.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace limber::adapters {

/** The source "kde-idle": reports idle and back as the other idle sources; in use while the server answers
 * GetSessionIdleTime. */
class SessionIdleTime final : public daemon::PresenceSource {
public:
    /** nullptr without a session bus. */
    static std::unique_ptr<daemon::PresenceSource> make(const daemon::PresenceContext& context);
    explicit SessionIdleTime(const daemon::PresenceContext& context);
    ~SessionIdleTime() override;
    SessionIdleTime(const SessionIdleTime&) = delete;
    SessionIdleTime& operator=(const SessionIdleTime&) = delete;

    std::string name() const override { return "kde-idle"; }
    /** The server answers GetSessionIdleTime. */
    bool in_use() const override { return available_; }
    bool settled() const override { return settled_; }
    bool tells_presence() const override { return true; }
    void set_idle_after(core::Duration idle_after) override;
    /** Off while a better (event-driven) source is in use. */
    void set_enabled(bool enabled) override;

    struct Impl;

private:
    void on_owner(const std::string& owner);
    void ask();
    void on_idle_time(core::Duration idle_for);
    void arm(core::Duration after);
    void set_idle(bool idle, std::optional<core::Instant> since);

    core::Duration idle_after_;
    daemon::PresenceContext context_;
    std::unique_ptr<Impl> impl_;
    std::string owner_;
    bool available_ = false;
    bool settled_ = false;
    bool enabled_ = true;
    bool idle_ = false;
    core::Instant idle_since_{};  // when input stopped, as the server said when we went idle
};

}  // namespace limber::adapters
