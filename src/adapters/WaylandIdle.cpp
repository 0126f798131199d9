#include <limber/adapters/Guarded.hpp>
#include <limber/adapters/SystemClock.hpp>
#include <limber/adapters/WaylandIdle.hpp>
#include <limber/core/Translate.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace limber::adapters {

WaylandIdleProtocol choose_wayland_idle(std::uint32_t ext_version, bool kde) noexcept {
    if (ext_version >= 2) return WaylandIdleProtocol::ext_input;
    if (ext_version == 1) return WaylandIdleProtocol::ext;
    return kde ? WaylandIdleProtocol::kde : WaylandIdleProtocol::none;
}

const char* wayland_idle_name(WaylandIdleProtocol protocol) noexcept {
    switch (protocol) {
        case WaylandIdleProtocol::ext_input:
            return "ext-idle-notify-v1 (input)";
        case WaylandIdleProtocol::ext:
            return "ext-idle-notify-v1";
        case WaylandIdleProtocol::kde:
            return "org_kde_kwin_idle";
        case WaylandIdleProtocol::none:
            break;
    }
    return "none";
}

}  // namespace limber::adapters

#if LIMBER_HAVE_WAYLAND

#include "wayland/ext-idle-notifier-v2.h"

#include <ext-idle-notify-v1-client-protocol.h>
#include <glib-unix.h>
#include <glib.h>
#include <kde-idle-client-protocol.h>
#include <wayland-client.h>

namespace limber::adapters {
namespace {

std::shared_ptr<spdlog::logger> log() { return spdlog::get("presence"); }

/** The globals the registry announced at connection. */
struct Globals {
    wl_seat* seat = nullptr;
    ext_idle_notifier_v1* ext = nullptr;
    std::uint32_t ext_version = 0;
    org_kde_kwin_idle* kde = nullptr;
};

void on_global(void* data, wl_registry* registry, std::uint32_t name, const char* interface, std::uint32_t version) {
    auto& g = *static_cast<Globals*>(data);
    if (std::strcmp(interface, wl_seat_interface.name) == 0 && g.seat == nullptr) {
        g.seat = static_cast<wl_seat*>(wl_registry_bind(registry, name, &wl_seat_interface, 1));
    } else if (std::strcmp(interface, ext_idle_notifier_v1_interface.name) == 0 && g.ext == nullptr) {
        g.ext_version = std::min<std::uint32_t>(version, 2);
        g.ext = static_cast<ext_idle_notifier_v1*>(
            wl_registry_bind(registry, name, &limber_ext_idle_notifier_v2_interface, g.ext_version));
    } else if (std::strcmp(interface, org_kde_kwin_idle_interface.name) == 0 && g.kde == nullptr) {
        g.kde = static_cast<org_kde_kwin_idle*>(wl_registry_bind(registry, name, &org_kde_kwin_idle_interface, 1));
    }
}

void on_global_remove(void*, wl_registry*, std::uint32_t) {}

const wl_registry_listener registry_listener = {on_global, on_global_remove};

}  // namespace

struct WaylandIdle::Impl {
    wl_display* display = nullptr;
    wl_registry* registry = nullptr;
    Globals globals;
    WaylandIdleProtocol protocol = WaylandIdleProtocol::none;
    ext_idle_notification_v1* ext_notification = nullptr;
    org_kde_kwin_idle_timeout* kde_timeout = nullptr;
    guint fd_source = 0;
    bool broken = false;  // the compositor went away: nothing is sent any more

    /** Destroys the proxies (without requests once broken) and closes the connection. */
    ~Impl() {
        if (fd_source != 0) g_source_remove(fd_source);
        if (display == nullptr) return;
        if (ext_notification != nullptr)
            broken ? wl_proxy_destroy(reinterpret_cast<wl_proxy*>(ext_notification))
                   : ext_idle_notification_v1_destroy(ext_notification);
        if (kde_timeout != nullptr)
            broken ? wl_proxy_destroy(reinterpret_cast<wl_proxy*>(kde_timeout))
                   : org_kde_kwin_idle_timeout_release(kde_timeout);
        if (globals.ext != nullptr)
            broken ? wl_proxy_destroy(reinterpret_cast<wl_proxy*>(globals.ext))
                   : ext_idle_notifier_v1_destroy(globals.ext);
        if (globals.kde != nullptr) wl_proxy_destroy(reinterpret_cast<wl_proxy*>(globals.kde));
        if (globals.seat != nullptr) wl_proxy_destroy(reinterpret_cast<wl_proxy*>(globals.seat));
        if (registry != nullptr) wl_registry_destroy(registry);
        if (!broken) wl_display_flush(display);
        wl_display_disconnect(display);
    }
};

std::unique_ptr<daemon::PresenceSource> WaylandIdle::make(const daemon::PresenceContext& context) {
    const char* name = std::getenv("WAYLAND_DISPLAY");
    if (name == nullptr || *name == '\0') {
        log()->debug("wayland-idle: no WAYLAND_DISPLAY");
        return nullptr;
    }
    std::unique_ptr<WaylandIdle> self(new WaylandIdle);
    self->impl_ = std::make_unique<Impl>();
    Impl& w = *self->impl_;
    w.display = wl_display_connect(nullptr);
    if (w.display == nullptr) {
        log()->debug("wayland-idle: cannot connect to the compositor at {}", name);
        return nullptr;
    }
    w.registry = wl_display_get_registry(w.display);
    wl_registry_add_listener(w.registry, &registry_listener, &w.globals);
    if (wl_display_roundtrip(w.display) < 0) {
        log()->debug("wayland-idle: the compositor at {} did not answer", name);
        w.broken = true;
        return nullptr;
    }
    w.protocol = choose_wayland_idle(w.globals.ext_version, w.globals.kde != nullptr);
    if (w.globals.seat == nullptr || w.protocol == WaylandIdleProtocol::none) {
        log()->debug("wayland-idle: the compositor at {} offers {}", name,
                     w.globals.seat == nullptr ? "no seat" : "neither ext-idle-notify-v1 nor org_kde_kwin_idle");
        return nullptr;
    }
    self->idle_after_ = context.idle_after;
    self->context_ = context;
    w.fd_source = g_unix_fd_add(
        wl_display_get_fd(w.display), static_cast<GIOCondition>(G_IO_IN | G_IO_HUP | G_IO_ERR),
        [](gint, GIOCondition condition, gpointer p) -> gboolean {
            auto* source = static_cast<WaylandIdle*>(p);
            guarded("the Wayland idle source",
                    [source, condition] { source->on_socket((condition & (G_IO_HUP | G_IO_ERR)) != 0); });
            if (!source->impl_->broken) return G_SOURCE_CONTINUE;
            source->impl_->fd_source = 0;
            guarded("the Wayland idle source", [source] { source->tear_down(); });
            return G_SOURCE_REMOVE;
        },
        self.get());
    self->arm();
    log()->info("wayland-idle: compositor {}, {}", name, wayland_idle_name(w.protocol));
    return self;
}

WaylandIdle::~WaylandIdle() = default;

bool WaylandIdle::in_use() const { return !impl_->broken; }

void WaylandIdle::report(bool idle, std::optional<core::Instant> since) {
    if (context_.report) context_.report({name(), daemon::Signal::idle, idle, since});
}

void WaylandIdle::arm() {
    Impl& w = *impl_;
    if (w.broken || !enabled_) return;
    armed_for_ = idle_after_;
    const auto ms = static_cast<std::uint32_t>(std::clamp<std::int64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(idle_after_).count(), 1, UINT32_MAX));
    if (w.protocol == WaylandIdleProtocol::kde) {
        static const org_kde_kwin_idle_timeout_listener listener = {
            [](void* p, org_kde_kwin_idle_timeout*) { static_cast<WaylandIdle*>(p)->on_idled(); },
            [](void* p, org_kde_kwin_idle_timeout*) { static_cast<WaylandIdle*>(p)->on_resumed(); },
        };
        w.kde_timeout = org_kde_kwin_idle_get_idle_timeout(w.globals.kde, w.globals.seat, ms);
        org_kde_kwin_idle_timeout_add_listener(w.kde_timeout, &listener, this);
    } else {
        static const ext_idle_notification_v1_listener listener = {
            [](void* p, ext_idle_notification_v1*) { static_cast<WaylandIdle*>(p)->on_idled(); },
            [](void* p, ext_idle_notification_v1*) { static_cast<WaylandIdle*>(p)->on_resumed(); },
        };
        if (w.protocol == WaylandIdleProtocol::ext_input)
            w.ext_notification = reinterpret_cast<ext_idle_notification_v1*>(wl_proxy_marshal_flags(
                reinterpret_cast<wl_proxy*>(w.globals.ext), LIMBER_EXT_IDLE_NOTIFIER_GET_INPUT_IDLE_NOTIFICATION,
                &ext_idle_notification_v1_interface, wl_proxy_get_version(reinterpret_cast<wl_proxy*>(w.globals.ext)),
                0, nullptr, ms, w.globals.seat));
        else
            w.ext_notification = ext_idle_notifier_v1_get_idle_notification(w.globals.ext, ms, w.globals.seat);
        ext_idle_notification_v1_add_listener(w.ext_notification, &listener, this);
    }
    wl_display_flush(w.display);
    log()->debug("wayland-idle: armed at {} ms", ms);
}

void WaylandIdle::disarm() {
    Impl& w = *impl_;
    if (w.broken) return;
    if (w.ext_notification != nullptr) ext_idle_notification_v1_destroy(w.ext_notification);
    if (w.kde_timeout != nullptr) org_kde_kwin_idle_timeout_release(w.kde_timeout);
    w.ext_notification = nullptr;
    w.kde_timeout = nullptr;
    wl_display_flush(w.display);
}

void WaylandIdle::set_idle_after(core::Duration idle_after) {
    if (idle_after == idle_after_) return;
    idle_after_ = idle_after;
    // While idle the armed notification stays until it says resumed (a new one would not).
    if (!enabled_ || idle_ || impl_->broken) return;
    disarm();
    arm();
}

void WaylandIdle::set_enabled(bool enabled) {
    if (enabled == enabled_ || impl_->broken) return;
    enabled_ = enabled;
    if (enabled) {
        arm();
        return;
    }
    disarm();
    if (idle_) {
        idle_ = false;
        report(false, std::nullopt);
    }
}

void WaylandIdle::on_idled() {
    if (idle_) return;
    idle_ = true;
    report(true, monotonic_now() - armed_for_);
}

void WaylandIdle::on_resumed() {
    if (!idle_) return;
    idle_ = false;
    report(false, std::nullopt);
    if (armed_for_ != idle_after_) {
        disarm();
        arm();
    }
}

void WaylandIdle::on_socket(bool hung_up) {
    Impl& w = *impl_;
    // Another reader cannot exist (one thread), so prepare_read fails only while events are queued.
    while (wl_display_prepare_read(w.display) != 0)
        if (wl_display_dispatch_pending(w.display) < 0) break;
    if (wl_display_read_events(w.display) < 0 || wl_display_dispatch_pending(w.display) < 0 ||
        wl_display_get_error(w.display) != 0)
        w.broken = true;
    // A hang-up with nothing left to read: read_events got end of file.
    if (hung_up && !w.broken) w.broken = true;
}

void WaylandIdle::tear_down() {
    const int error = wl_display_get_error(impl_->display);
    log()->warn("wayland-idle: {}",
                core::format(core::tr("the compositor went away (%s); idle is no longer read from it"),
                             error != 0 ? std::strerror(error) : core::tr("hang-up")));
    if (idle_) {
        idle_ = false;
        report(false, std::nullopt);
    }
    if (context_.changed) context_.changed();
}

}  // namespace limber::adapters

#else  // built without libwayland-client or the protocol XML: no Wayland idle source

namespace limber::adapters {
struct WaylandIdle::Impl {};
std::unique_ptr<daemon::PresenceSource> WaylandIdle::make(const daemon::PresenceContext&) {
    spdlog::get("presence")->debug("wayland-idle: built without libwayland-client");
    return nullptr;
}
WaylandIdle::~WaylandIdle() = default;
bool WaylandIdle::in_use() const { return false; }
void WaylandIdle::set_idle_after(core::Duration) {}
void WaylandIdle::set_enabled(bool) {}
void WaylandIdle::arm() {}
void WaylandIdle::disarm() {}
void WaylandIdle::on_idled() {}
void WaylandIdle::on_resumed() {}
void WaylandIdle::on_socket(bool) {}
void WaylandIdle::tear_down() {}
void WaylandIdle::report(bool, std::optional<core::Instant>) {}
}  // namespace limber::adapters

#endif
