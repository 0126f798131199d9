#pragma once
// Keyboard and mouse idleness on an X11 display (MIT-SCREEN-SAVER through
// XCB), for window managers that have no idle monitor on the bus.
//
// Wake-ups: while the person is present, one timer armed for the moment the
// idle time could first reach `idle_after` (if they typed meanwhile, it is
// armed again for the rest: at most one wake-up per `idle_after`). While
// idle, no timer at all: an XSync alarm on the server's IDLETIME counter
// sends an event on the X connection at the first input. Servers without
// IDLETIME fall back to a re-check every 5 s while idle (documented cost).

#include <limber/core/Time.hpp>
#include <limber/daemon/PresenceSource.hpp>

#include <functional>
#include <memory>
#include <optional>

namespace limber::adapters {

/** The source "x11-idle": reports idle and back; in use until the X server goes away. */
class X11Idle final : public daemon::PresenceSource {
public:
    /** Opens $DISPLAY; nullptr (logged at debug) when there is no X11 display with MIT-SCREEN-SAVER. */
    static std::unique_ptr<daemon::PresenceSource> make(const daemon::PresenceContext& context);
    ~X11Idle() override;
    X11Idle(const X11Idle&) = delete;
    X11Idle& operator=(const X11Idle&) = delete;

    std::string name() const override { return "x11-idle"; }
    /** False once the X server has gone away (limberd keeps running without this source). */
    bool in_use() const override;
    bool tells_presence() const override { return true; }
    void set_idle_after(core::Duration idle_after) override;
    /** Stops watching (another, event-driven source took over) or starts again. */
    void set_enabled(bool enabled) override;
    bool idle() const noexcept { return idle_; }
    /** The server's idle time now (for tests and status). */
    core::Duration idle_time() const;

    struct Impl;

private:
    X11Idle() = default;
    void check();
    void on_x_events();
    void arm_timer(core::Duration after);
    void arm_return_alarm();
    void on_connection_lost();
    void tear_down();
    void report(bool idle, std::optional<core::Instant> since);

    std::unique_ptr<Impl> impl_;
    core::Duration idle_after_{};
    daemon::PresenceContext context_;
    bool idle_ = false;
    bool enabled_ = true;
    core::Instant idle_since_{};  // when input stopped, as the server said when we went idle
};

}  // namespace limber::adapters
