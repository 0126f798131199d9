#include <limber/adapters/X11Fullscreen.hpp>
#include <limber/core/Translate.hpp>

#include <limber/adapters/Guarded.hpp>

#if LIMBER_HAVE_X11

#include "LeftOnPurpose.hpp"
#include "XLib.hpp"

#include <glib-unix.h>
#include <glib.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <cstring>
#include <vector>

namespace limber::adapters {
namespace {

const xlib::Api& x() { return xlib::api(); }
std::shared_ptr<spdlog::logger> log() { return spdlog::get("presence"); }

enum AtomIndex { net_supported, net_active_window, net_wm_state, net_wm_state_fullscreen, atom_count };
const char* atom_names[atom_count] = {"_NET_SUPPORTED", "_NET_ACTIVE_WINDOW", "_NET_WM_STATE",
                                      "_NET_WM_STATE_FULLSCREEN"};

}  // namespace

struct X11Fullscreen::Impl {
    Display* display = nullptr;
    guint fd_source = 0;
    bool broken = false;  // the X connection is gone: Xlib must not be called again
    bool supported = false;
    Window root = None;
    Window active = None;  // followed for _NET_WM_STATE (PropertyChangeMask selected on it)
    Atom atoms[atom_count] = {};

    ~Impl() {
        if (fd_source != 0) g_source_remove(fd_source);
        if (display == nullptr) return;
        if (broken) {
            left_on_purpose(display);  // closing a broken connection is not safe
            return;
        }
        x().XCloseDisplay(display);
    }

    /** A 32-bit list property (ATOM or WINDOW) of `window`; empty when absent or the window is gone. */
    std::vector<unsigned long> list(Window window, Atom property) const {
        Atom type = None;
        int format = 0;
        unsigned long count = 0, after = 0;
        unsigned char* data = nullptr;
        std::vector<unsigned long> out;
        if (x().XGetWindowProperty(display, window, property, 0, 1024, False, AnyPropertyType, &type, &format, &count,
                                   &after, &data) != Success)
            return out;
        // Format 32 arrives as an array of long, whatever long's size.
        if (data != nullptr && format == 32) {
            const auto* values = reinterpret_cast<const unsigned long*>(data);
            out.assign(values, values + count);
        }
        if (data != nullptr) x().XFree(data);
        return out;
    }

    bool has(const std::vector<unsigned long>& values, AtomIndex which) const {
        for (unsigned long v : values)
            if (v == atoms[which]) return true;
        return false;
    }
};

std::unique_ptr<daemon::PresenceSource> X11Fullscreen::make(const daemon::PresenceContext& context) {
    const char* name = std::getenv("DISPLAY");
    if (name == nullptr || *name == '\0') {
        log()->debug("x11-fullscreen: no DISPLAY");
        return nullptr;
    }
    // Under Wayland, Xwayland knows only X clients' windows: a native fullscreen window would be missed.
    const char* type = std::getenv("XDG_SESSION_TYPE");
    if (std::getenv("WAYLAND_DISPLAY") != nullptr || (type != nullptr && std::strcmp(type, "wayland") == 0)) {
        log()->debug("x11-fullscreen: a Wayland session; Xwayland does not see every window");
        return nullptr;
    }
    if (!x().loaded) {
        log()->debug("x11-fullscreen: libX11 is missing");
        return nullptr;
    }
    std::unique_ptr<X11Fullscreen> self(new X11Fullscreen);
    self->impl_ = std::make_unique<Impl>();
    self->context_ = context;
    Impl& xi = *self->impl_;
    xi.display = x().XOpenDisplay(name);
    if (xi.display == nullptr) {
        log()->debug("x11-fullscreen: cannot open display {}", name);
        return nullptr;
    }
    x().XSetErrorHandler(&xlib::log_error);
    if (x().XSetIOErrorExitHandler != nullptr && x().XSetIOErrorHandler != nullptr) {
        // Xlib's default I/O error handler exits; ours only notes it, and the exit handler does the rest.
        x().XSetIOErrorHandler([](Display*) { return 0; });
        x().XSetIOErrorExitHandler(
            xi.display, [](Display*, void* owner) { static_cast<X11Fullscreen*>(owner)->on_connection_lost(); },
            self.get());
    }
    xi.root = DefaultRootWindow(xi.display);
    x().XInternAtoms(xi.display, const_cast<char**>(atom_names), atom_count, False, xi.atoms);
    // Events first, then the first reading: no change falls between the two.
    x().XSelectInput(xi.display, xi.root, PropertyChangeMask);
    xi.fd_source = g_unix_fd_add(
        ConnectionNumber(xi.display), G_IO_IN,
        [](gint, GIOCondition, gpointer p) -> gboolean {
            auto* watcher = static_cast<X11Fullscreen*>(p);
            guarded("the fullscreen source", [watcher] { watcher->on_x_events(); });
            if (!watcher->impl_->broken) return G_SOURCE_CONTINUE;
            watcher->tear_down();
            return G_SOURCE_REMOVE;
        },
        self.get());
    self->read_supported();
    log()->debug("x11-fullscreen: display {}, {}", name,
                 xi.supported ? "following the active window" : "no EWMH window manager (yet)");
    self->on_x_events();  // anything queued during those round trips
    return self;
}

X11Fullscreen::~X11Fullscreen() = default;

bool X11Fullscreen::in_use() const { return !impl_->broken && impl_->supported; }

void X11Fullscreen::changed() {
    if (context_.changed) context_.changed();
}

void X11Fullscreen::on_connection_lost() {
    // Called inside Xlib: only note it; the fd source sees end of file next and tears down there.
    impl_->broken = true;
}

void X11Fullscreen::tear_down() {
    impl_->fd_source = 0;  // returning G_SOURCE_REMOVE ends it
    impl_->active = None;
    const bool was_available = impl_->supported;
    impl_->supported = false;
    log()->warn("x11-fullscreen: {}", core::tr("the X server went away; fullscreen windows are no longer followed"));
    set_fullscreen(false);
    if (was_available) changed();
}

void X11Fullscreen::read_supported() {
    Impl& xi = *impl_;
    const auto supported = xi.list(xi.root, xi.atoms[net_supported]);
    const bool now = xi.has(supported, net_active_window) && xi.has(supported, net_wm_state_fullscreen);
    if (now != xi.supported) {
        xi.supported = now;
        log()->debug("x11-fullscreen: the window manager {} the active window and fullscreen",
                     now ? "announces" : "no longer announces");
        changed();
    }
    follow_active();
}

void X11Fullscreen::follow_active() {
    Impl& xi = *impl_;
    Window window = None;
    if (xi.supported) {
        const auto active = xi.list(xi.root, xi.atoms[net_active_window]);
        if (!active.empty() && active.front() != xi.root) window = static_cast<Window>(active.front());
    }
    if (window != xi.active) {
        // Only this client's interest in the old window is dropped (BadWindow if it is gone: logged at debug).
        if (xi.active != None) x().XSelectInput(xi.display, xi.active, NoEventMask);
        xi.active = window;
        if (window != None) x().XSelectInput(xi.display, window, PropertyChangeMask);
        log()->debug("x11-fullscreen: active window 0x{:x}", window);
    }
    read_state();
}

void X11Fullscreen::read_state() {
    Impl& xi = *impl_;
    set_fullscreen(xi.active != None && xi.has(xi.list(xi.active, xi.atoms[net_wm_state]), net_wm_state_fullscreen));
}

void X11Fullscreen::set_fullscreen(bool on) {
    if (on == fullscreen_) return;
    fullscreen_ = on;
    log()->debug("x11-fullscreen: the active window {} fullscreen", on ? "is" : "is no longer");
    if (context_.report) context_.report({name(), daemon::Signal::dnd, on, std::nullopt});
}

void X11Fullscreen::on_x_events() {
    Impl& xi = *impl_;
    for (;;) {
        bool supported = false, active = false, state = false;
        while (!xi.broken && x().XPending(xi.display) > 0) {
            XEvent event;
            x().XNextEvent(xi.display, &event);
            if (event.type != PropertyNotify) continue;
            const XPropertyEvent& p = event.xproperty;
            if (p.window == xi.root) {
                supported = supported || p.atom == xi.atoms[net_supported];
                active = active || p.atom == xi.atoms[net_active_window];
            } else if (p.window == xi.active && p.atom == xi.atoms[net_wm_state]) {
                state = true;
            }
        }
        if (xi.broken || !(supported || active || state)) break;
        // Each reading is a round trip, during which more events may be queued: look again after it.
        if (supported)
            read_supported();
        else if (active)
            follow_active();
        else
            read_state();
    }
    if (!xi.broken) x().XFlush(xi.display);
}

}  // namespace limber::adapters

#else  // built without libX11: no fullscreen source

#include <spdlog/spdlog.h>

namespace limber::adapters {
struct X11Fullscreen::Impl {};
std::unique_ptr<daemon::PresenceSource> X11Fullscreen::make(const daemon::PresenceContext&) {
    spdlog::get("presence")->debug("x11-fullscreen: built without libX11");
    return nullptr;
}
X11Fullscreen::~X11Fullscreen() = default;
bool X11Fullscreen::in_use() const { return false; }
void X11Fullscreen::changed() {}
void X11Fullscreen::on_connection_lost() {}
void X11Fullscreen::tear_down() {}
}  // namespace limber::adapters

#endif
