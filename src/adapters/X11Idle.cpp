#include <limber/adapters/SystemClock.hpp>
#include <limber/core/Translate.hpp>

#include <limber/adapters/Guarded.hpp>
#include <limber/adapters/X11Idle.hpp>

#if LIMBER_HAVE_X11

#include "LeftOnPurpose.hpp"
#include "XLib.hpp"

#include <X11/Xlib.h>
#include <X11/extensions/scrnsaver.h>
#include <X11/extensions/sync.h>
#include <glib-unix.h>
#include <glib.h>
#include <spdlog/spdlog.h>

#include <dlfcn.h>
#include <cstdlib>
#include <cstring>

namespace limber::adapters {
namespace {

// libX11, libXss and libXext are opened only when there is an X display: a Wayland session, or
// limberd outside a desktop, does not pay for loading and relocating them (about 0.5 MiB RSS).
#define LIMBER_X_FUNCTIONS(F)     \
    F(XScreenSaverQueryExtension) \
    F(XScreenSaverAllocInfo)      \
    F(XScreenSaverQueryInfo)      \
    F(XSyncQueryExtension)        \
    F(XSyncInitialize)            \
    F(XSyncListSystemCounters)    \
    F(XSyncFreeSystemCounterList) \
    F(XSyncQueryCounter)          \
    F(XSyncCreateAlarm)           \
    F(XSyncChangeAlarm)           \
    F(XSyncDestroyAlarm)          \
    F(XSyncIntToValue)            \
    F(XSyncValueAdd)

struct XApi {
#define LIMBER_X_POINTER(name) decltype(&::name) name = nullptr;
    LIMBER_X_FUNCTIONS(LIMBER_X_POINTER)
#undef LIMBER_X_POINTER
    bool loaded = false;
};

/** The MIT-SCREEN-SAVER and SYNC functions (libX11's own are xlib::api()), loaded at the first call;
 * `loaded` is false where a library is missing. */
const XApi& x() {
    static const XApi api = [] {
        XApi a;
        if (!xlib::api().loaded) return a;
        void* libs[] = {dlopen("libXss.so.1", RTLD_NOW | RTLD_LOCAL), dlopen("libXext.so.6", RTLD_NOW | RTLD_LOCAL)};
        for (void* lib : libs)
            if (lib == nullptr) return a;
        bool all = true;
        auto find = [&](const char* name) -> void* {
            for (void* lib : libs)
                if (void* f = dlsym(lib, name)) return f;
            all = false;
            return nullptr;
        };
#define LIMBER_X_LOAD(name) a.name = reinterpret_cast<decltype(a.name)>(find(#name));
        LIMBER_X_FUNCTIONS(LIMBER_X_LOAD)
#undef LIMBER_X_LOAD
        a.loaded = all;
        return a;
    }();
    return api;
}

std::shared_ptr<spdlog::logger> log() { return spdlog::get("presence"); }

/** Without IDLETIME alarms: how often to look for the person's return while idle. */
constexpr auto fallback_recheck = std::chrono::seconds(5);

}  // namespace

struct X11Idle::Impl {
    Display* display = nullptr;
    XScreenSaverInfo* info = nullptr;
    guint fd_source = 0;
    guint timer = 0;
    bool broken = false;  // the X connection is gone: Xlib must not be called again
    bool have_sync = false;
    int sync_event_base = 0;
    XSyncCounter idletime{};
    XSyncAlarm return_alarm = None;

    ~Impl() {
        if (timer != 0) g_source_remove(timer);
        if (fd_source != 0) g_source_remove(fd_source);
        if (info != nullptr) xlib::api().XFree(info);  // plain memory: freed even when the connection broke
        if (broken) {
            left_on_purpose(display);  // closing a broken connection is not safe
            return;
        }
        if (return_alarm != None) x().XSyncDestroyAlarm(display, return_alarm);
        if (display != nullptr) xlib::api().XCloseDisplay(display);
    }
};

std::unique_ptr<daemon::PresenceSource> X11Idle::make(const daemon::PresenceContext& context) {
    const char* name = std::getenv("DISPLAY");
    if (name == nullptr || *name == '\0') {
        log()->debug("x11-idle: no DISPLAY");
        return nullptr;
    }
    // A Wayland session's DISPLAY is Xwayland: it sees only X clients' input.
    const char* type = std::getenv("XDG_SESSION_TYPE");
    if (std::getenv("WAYLAND_DISPLAY") != nullptr || (type != nullptr && std::strcmp(type, "wayland") == 0)) {
        log()->debug("x11-idle: a Wayland session; Xwayland's idle time would be wrong");
        return nullptr;
    }
    if (!x().loaded) {
        log()->debug("x11-idle: libX11, libXss or libXext is missing");
        return nullptr;
    }
    std::unique_ptr<X11Idle> self(new X11Idle);
    self->impl_ = std::make_unique<Impl>();
    Impl& xi = *self->impl_;
    xi.display = xlib::api().XOpenDisplay(name);
    if (xi.display == nullptr) {
        log()->debug("x11-idle: cannot open display {}", name);
        return nullptr;
    }
    xlib::api().XSetErrorHandler(&xlib::log_error);
    int event_base = 0, error_base = 0;
    if (!x().XScreenSaverQueryExtension(xi.display, &event_base, &error_base)) {
        log()->debug("x11-idle: display {} has no MIT-SCREEN-SAVER extension", name);
        return nullptr;
    }
    xi.info = x().XScreenSaverAllocInfo();
    if (xlib::api().XSetIOErrorExitHandler != nullptr && xlib::api().XSetIOErrorHandler != nullptr) {
        // Xlib's default I/O error handler exits; ours only notes it, and the exit handler does the rest.
        xlib::api().XSetIOErrorHandler([](Display*) { return 0; });
        xlib::api().XSetIOErrorExitHandler(
            xi.display, [](Display*, void* owner) { static_cast<X11Idle*>(owner)->on_connection_lost(); }, self.get());
    }
    int sync_error = 0, major = 0, minor = 0;
    if (x().XSyncQueryExtension(xi.display, &xi.sync_event_base, &sync_error) &&
        x().XSyncInitialize(xi.display, &major, &minor)) {
        int count = 0;
        XSyncSystemCounter* counters = x().XSyncListSystemCounters(xi.display, &count);
        for (int i = 0; i < count; ++i)
            if (std::strcmp(counters[i].name, "IDLETIME") == 0) {
                xi.idletime = counters[i].counter;
                xi.have_sync = true;
            }
        if (counters != nullptr) x().XSyncFreeSystemCounterList(counters);
    }
    self->idle_after_ = context.idle_after;
    self->context_ = context;
    X11Idle* raw = self.get();
    xi.fd_source = g_unix_fd_add(
        ConnectionNumber(xi.display), G_IO_IN,
        [](gint, GIOCondition, gpointer p) -> gboolean {
            auto* watcher = static_cast<X11Idle*>(p);
            guarded("the X11 idle source", [watcher] { watcher->on_x_events(); });
            if (!watcher->impl_->broken) return G_SOURCE_CONTINUE;
            watcher->tear_down();
            return G_SOURCE_REMOVE;
        },
        raw);
    log()->debug("x11-idle: display {}{}", name, xi.have_sync ? ", IDLETIME alarms" : ", no IDLETIME counter");
    self->check();
    return self;
}

X11Idle::~X11Idle() = default;

bool X11Idle::in_use() const { return !impl_->broken; }

void X11Idle::report(bool idle, std::optional<core::Instant> since) {
    if (context_.report) context_.report({name(), daemon::Signal::idle, idle, since});
}

void X11Idle::on_connection_lost() {
    // Called inside Xlib: only note it. The connection's fd is at end of file, so its source
    // dispatches next, and on_x_events() stops everything there.
    impl_->broken = true;
    impl_->return_alarm = None;
}

void X11Idle::tear_down() {
    if (impl_->timer != 0) g_source_remove(impl_->timer);
    impl_->timer = 0;
    impl_->fd_source = 0;  // returning G_SOURCE_REMOVE ends it
    log()->warn("x11-idle: {}", core::tr("the X server went away; idle is no longer read from it"));
    if (idle_) {
        idle_ = false;
        report(false, std::nullopt);
    }
    if (context_.changed) context_.changed();
}

core::Duration X11Idle::idle_time() const {
    if (impl_->broken) return {};
    if (!x().XScreenSaverQueryInfo(impl_->display, DefaultRootWindow(impl_->display), impl_->info)) return {};
    return std::chrono::milliseconds(impl_->info->idle);
}

void X11Idle::set_idle_after(core::Duration idle_after) {
    if (idle_after == idle_after_) return;
    idle_after_ = idle_after;
    if (enabled_ && !idle_) check();
}

void X11Idle::set_enabled(bool enabled) {
    if (enabled == enabled_ || impl_->broken) return;
    enabled_ = enabled;
    if (enabled) {
        check();
        return;
    }
    if (impl_->timer != 0) g_source_remove(impl_->timer);
    impl_->timer = 0;
    if (impl_->return_alarm != None) x().XSyncDestroyAlarm(impl_->display, impl_->return_alarm);
    impl_->return_alarm = None;
    xlib::api().XFlush(impl_->display);
    if (idle_) {
        idle_ = false;
        report(false, std::nullopt);
    }
}

void X11Idle::check() {
    if (!enabled_ || impl_->broken) return;
    const core::Duration idle_for = idle_time();
    log()->debug("x11-idle: idle for {} ms", std::chrono::duration_cast<std::chrono::milliseconds>(idle_for).count());
    if (!idle_) {
        if (idle_for >= idle_after_) {
            idle_ = true;
            idle_since_ = monotonic_now() - idle_for;
            report(true, idle_since_);
            if (impl_->have_sync)
                arm_return_alarm();
            else
                arm_timer(fallback_recheck);
        } else {
            // The earliest moment the idle time can reach idle_after (+1 ms: the server counts whole ms).
            arm_timer(idle_after_ - idle_for + std::chrono::milliseconds(1));
        }
        return;
    }
    // Idle: back when there was input since we left (the alarm fired, or, without IDLETIME,
    // the idle time started after the one we saw; half a second of slack).
    if (idle_for < idle_after_ || monotonic_now() - idle_for > idle_since_ + std::chrono::milliseconds(500)) {
        idle_ = false;
        if (impl_->return_alarm != None) x().XSyncDestroyAlarm(impl_->display, impl_->return_alarm);
        impl_->return_alarm = None;
        xlib::api().XFlush(impl_->display);
        report(false, std::nullopt);
        if (idle_for >= idle_after_)
            check();  // and already idle again
        else
            arm_timer(idle_after_ - idle_for + std::chrono::milliseconds(1));
    } else if (!impl_->have_sync) {
        arm_timer(fallback_recheck);
    }
}

void X11Idle::arm_timer(core::Duration after) {
    if (impl_->timer != 0) g_source_remove(impl_->timer);
    const auto ms = std::max<std::int64_t>(1, std::chrono::duration_cast<std::chrono::milliseconds>(after).count());
    impl_->timer = g_timeout_add(
        static_cast<guint>(ms),
        [](gpointer p) -> gboolean {
            auto* self = static_cast<X11Idle*>(p);
            self->impl_->timer = 0;
            guarded("the X11 idle timer", [self] { self->check(); });
            return G_SOURCE_REMOVE;
        },
        this);
}

void X11Idle::arm_return_alarm() {
    Impl& xi = *impl_;
    // The alarm fires when IDLETIME drops below its value now, i.e. at the first input.
    XSyncValue current;
    if (!x().XSyncQueryCounter(xi.display, xi.idletime, &current)) return;
    XSyncValue minus_one, threshold;
    x().XSyncIntToValue(&minus_one, -1);
    Bool overflow = False;
    x().XSyncValueAdd(&threshold, current, minus_one, &overflow);
    XSyncAlarmAttributes attributes{};
    attributes.trigger.counter = xi.idletime;
    attributes.trigger.value_type = XSyncAbsolute;
    attributes.trigger.test_type = XSyncNegativeComparison;
    attributes.trigger.wait_value = threshold;
    x().XSyncIntToValue(&attributes.delta, 0);
    const unsigned long mask = XSyncCACounter | XSyncCAValueType | XSyncCATestType | XSyncCAValue | XSyncCADelta;
    if (xi.return_alarm == None)
        xi.return_alarm = x().XSyncCreateAlarm(xi.display, mask, &attributes);
    else
        x().XSyncChangeAlarm(xi.display, xi.return_alarm, mask, &attributes);
    xlib::api().XFlush(xi.display);
}

void X11Idle::on_x_events() {
    bool alarm = false;
    while (!impl_->broken && xlib::api().XPending(impl_->display) > 0) {
        XEvent event;
        xlib::api().XNextEvent(impl_->display, &event);
        if (impl_->have_sync && event.type == impl_->sync_event_base + XSyncAlarmNotify) {
            const auto* notify = reinterpret_cast<XSyncAlarmNotifyEvent*>(&event);
            if (notify->alarm == impl_->return_alarm) alarm = true;
        }
    }
    if (alarm && idle_) check();
}

}  // namespace limber::adapters

#else  // built without libX11/libXss/libXext: no X11 idle source

#include <spdlog/spdlog.h>

namespace limber::adapters {
struct X11Idle::Impl {};
std::unique_ptr<daemon::PresenceSource> X11Idle::make(const daemon::PresenceContext&) {
    spdlog::get("presence")->debug("x11-idle: built without libXss");
    return nullptr;
}
X11Idle::~X11Idle() = default;
void X11Idle::set_idle_after(core::Duration) {}
void X11Idle::set_enabled(bool) {}
core::Duration X11Idle::idle_time() const { return {}; }
bool X11Idle::in_use() const { return false; }
void X11Idle::report(bool, std::optional<core::Instant>) {}
void X11Idle::on_connection_lost() {}
void X11Idle::tear_down() {}
}  // namespace limber::adapters

#endif
