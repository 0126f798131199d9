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

#include <functional>
#include <memory>

namespace limber::adapters {

class X11Fullscreen {
public:
    /** `on_fullscreen(on)`: the active window became fullscreen or stopped being so (or went away). */
    using FullscreenHandler = std::function<void(bool fullscreen)>;

    /** Opens $DISPLAY; nullptr (logged at debug) without an X11 display (or under Wayland). */
    static std::unique_ptr<X11Fullscreen> open(FullscreenHandler on_fullscreen);
    ~X11Fullscreen();
    X11Fullscreen(const X11Fullscreen&) = delete;
    X11Fullscreen& operator=(const X11Fullscreen&) = delete;

    /** A window manager that tells the active window and fullscreen is running, and the X server is there. */
    bool available() const noexcept;
    bool fullscreen() const noexcept { return fullscreen_; }
    /** Called from the main loop when `available()` changed (a window manager came or went, the X server went away). */
    void on_available(std::function<void()> handler) { on_available_ = std::move(handler); }

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
    FullscreenHandler on_fullscreen_;
    std::function<void()> on_available_;
    bool fullscreen_ = false;
};

}  // namespace limber::adapters
