#pragma once
// Do-not-disturb while the active window on an X11 display is fullscreen
// (a presentation, a video, a game), as the window manager says through
// EWMH: the root window's _NET_ACTIVE_WINDOW names the active window, whose
// _NET_WM_STATE holds _NET_WM_STATE_FULLSCREEN while it fills the screen.
//
// Wake-ups: none of its own. PropertyNotify events on the root window (when
// the active window changes) and on the active window (when its state, title
// or other properties change) arrive on the X connection; nothing is polled.
// Only where a window manager announces _NET_ACTIVE_WINDOW and
// _NET_WM_STATE_FULLSCREEN in _NET_SUPPORTED (followed too: a window manager
// started after limberd is picked up).

#include <limber/daemon/PresenceSource.hpp>

#include <memory>

namespace limber::adapters {

/**
 * The source "x11-fullscreen": reports dnd while the active window is fullscreen (off when it stops
 * being so or goes away); in use while a window manager that tells both runs and the X server is
 * there. Its own X connection, so that it keeps working when Mutter's idle monitor replaces x11-idle.
 */
class X11Fullscreen final : public daemon::PresenceSource {
public:
    /** Opens $DISPLAY; nullptr (logged at debug) without an X11 display (or under Wayland). */
    static std::unique_ptr<daemon::PresenceSource> make(const daemon::PresenceContext& context);
    ~X11Fullscreen() override;
    X11Fullscreen(const X11Fullscreen&) = delete;
    X11Fullscreen& operator=(const X11Fullscreen&) = delete;

    std::string name() const override { return "x11-fullscreen"; }
    /** A window manager that tells the active window and fullscreen is running, and the X server is there. */
    bool in_use() const override;
    bool tells_presence() const override { return false; }
    bool fullscreen() const noexcept { return fullscreen_; }

    struct Impl;

private:
    X11Fullscreen() = default;
    void on_x_events();
    void read_supported();
    void follow_active();
    void read_state();
    void set_fullscreen(bool on);
    void on_connection_lost();
    void tear_down();

    std::unique_ptr<Impl> impl_;
    void changed();

    daemon::PresenceContext context_;
    bool fullscreen_ = false;
};

}  // namespace limber::adapters
