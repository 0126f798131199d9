#include <limber/adapters/X11Fullscreen.hpp>
#include <limber/core/Translate.hpp>

#include <limber/adapters/Guarded.hpp>

#if LIMBER_HAVE_X11

#include "XCB.hpp"

#include <glib-unix.h>
#include <glib.h>
#include <spdlog/spdlog.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace limber::adapters {
namespace {

const xcb::Api& x() { return xcb::api(); }
std::shared_ptr<spdlog::logger> log() { return spdlog::get("presence"); }

enum AtomIndex { net_supported, net_active_window, net_wm_state, net_wm_state_fullscreen, atom_count };
const char* atom_names[atom_count] = {"_NET_SUPPORTED", "_NET_ACTIVE_WINDOW", "_NET_WM_STATE",
                                      "_NET_WM_STATE_FULLSCREEN"};

}  // namespace

struct X11Fullscreen::Impl {
    xcb_connection_t* c = nullptr;
    guint fd_source = 0;
    bool broken = false;  // the X connection is gone: nothing is read from it again
    bool supported = false;
    xcb_window_t root = XCB_NONE;
    xcb_window_t active = XCB_NONE;  // followed for _NET_WM_STATE (PropertyChangeMask selected on it)
    xcb_atom_t atoms[atom_count] = {};

    ~Impl() {
        if (fd_source != 0) g_source_remove(fd_source);
        // Safe on a broken connection too (unlike Xlib's XCloseDisplay): it only frees and closes.
        if (c != nullptr) x().xcb_disconnect(c);
    }

    /** The events of `window` this client hears of (the others' selections are their own). */
    void select(xcb_window_t window, std::uint32_t mask) const {
        x().xcb_change_window_attributes(c, window, XCB_CW_EVENT_MASK, &mask);
    }

    /** A 32-bit list property (ATOM or WINDOW) of `window`; empty when absent or the window is gone. */
    std::vector<std::uint32_t> list(xcb_window_t window, xcb_atom_t property) const {
        std::vector<std::uint32_t> out;
        xcb_generic_error_t* error = nullptr;
        const auto reply = xcb::own(x().xcb_get_property_reply(
            c, x().xcb_get_property(c, 0, window, property, XCB_GET_PROPERTY_TYPE_ANY, 0, 1024), &error));
        if (error != nullptr) xcb::log_error(*xcb::own(error));  // BadWindow when it is gone: at debug
        if (reply && reply->format == 32) {
            const auto* values = static_cast<const std::uint32_t*>(x().xcb_get_property_value(reply.get()));
            out.assign(values, values + x().xcb_get_property_value_length(reply.get()) / 4);
        }
        return out;
    }

    bool has(const std::vector<std::uint32_t>& values, AtomIndex which) const {
        for (std::uint32_t v : values)
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
        log()->debug("x11-fullscreen: libxcb is missing");
        return nullptr;
    }
    std::unique_ptr<X11Fullscreen> self(new X11Fullscreen);
    self->impl_ = std::make_unique<Impl>();
    self->context_ = context;
    Impl& xi = *self->impl_;
    xi.c = xcb::connect("x11-fullscreen", name, xi.root);
    if (xi.c == nullptr) return nullptr;
    // All the atoms in one round trip.
    xcb_intern_atom_cookie_t cookies[atom_count];
    for (int i = 0; i < atom_count; ++i)
        cookies[i] =
            x().xcb_intern_atom(xi.c, 0, static_cast<std::uint16_t>(std::strlen(atom_names[i])), atom_names[i]);
    for (int i = 0; i < atom_count; ++i) {
        xcb_generic_error_t* error = nullptr;
        const auto atom = xcb::own(x().xcb_intern_atom_reply(xi.c, cookies[i], &error));
        if (error != nullptr) xcb::log_error(*xcb::own(error));
        if (atom) xi.atoms[i] = atom->atom;
    }
    // Events first, then the first reading: no change falls between the two.
    xi.select(xi.root, XCB_EVENT_MASK_PROPERTY_CHANGE);
    xi.fd_source = g_unix_fd_add(
        x().xcb_get_file_descriptor(xi.c), G_IO_IN,
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
    // Seen in on_x_events(): only note it; the fd source (at end of file) tears down there.
    impl_->broken = true;
}

void X11Fullscreen::tear_down() {
    impl_->fd_source = 0;  // returning G_SOURCE_REMOVE ends it
    impl_->active = XCB_NONE;
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
    xcb_window_t window = XCB_NONE;
    if (xi.supported) {
        const auto active = xi.list(xi.root, xi.atoms[net_active_window]);
        if (!active.empty() && active.front() != xi.root) window = active.front();
    }
    if (window != xi.active) {
        // Only this client's interest in the old window is dropped (BadWindow if it is gone: logged at debug).
        if (xi.active != XCB_NONE) xi.select(xi.active, XCB_EVENT_MASK_NO_EVENT);
        xi.active = window;
        if (window != XCB_NONE) xi.select(window, XCB_EVENT_MASK_PROPERTY_CHANGE);
        log()->debug("x11-fullscreen: active window 0x{:x}", window);
    }
    read_state();
}

void X11Fullscreen::read_state() {
    Impl& xi = *impl_;
    set_fullscreen(xi.active != XCB_NONE &&
                   xi.has(xi.list(xi.active, xi.atoms[net_wm_state]), net_wm_state_fullscreen));
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
        const bool connected = xcb::drain(xi.c, [&](const xcb_generic_event_t& event) {
            if (xcb::type_of(event) != XCB_PROPERTY_NOTIFY) return;
            const auto& p = reinterpret_cast<const xcb_property_notify_event_t&>(event);
            if (p.window == xi.root) {
                supported = supported || p.atom == xi.atoms[net_supported];
                active = active || p.atom == xi.atoms[net_active_window];
            } else if (p.window == xi.active && p.atom == xi.atoms[net_wm_state]) {
                state = true;
            }
        });
        if (!connected) {
            on_connection_lost();
            return;
        }
        if (!(supported || active || state)) return;
        // Each reading is a round trip, during which more events may be queued: look again after it.
        if (supported)
            read_supported();
        else if (active)
            follow_active();
        else
            read_state();
    }
}

}  // namespace limber::adapters

#else  // built without libxcb: no fullscreen source

#include <spdlog/spdlog.h>

namespace limber::adapters {
struct X11Fullscreen::Impl {};
std::unique_ptr<daemon::PresenceSource> X11Fullscreen::make(const daemon::PresenceContext&) {
    spdlog::get("presence")->debug("x11-fullscreen: built without libxcb");
    return nullptr;
}
X11Fullscreen::~X11Fullscreen() = default;
bool X11Fullscreen::in_use() const { return false; }
void X11Fullscreen::changed() {}
void X11Fullscreen::on_connection_lost() {}
void X11Fullscreen::tear_down() {}
}  // namespace limber::adapters

#endif
