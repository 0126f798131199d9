#include <limber/adapters/SystemClock.hpp>
#include <limber/core/Translate.hpp>

#include <limber/adapters/Guarded.hpp>
#include <limber/adapters/X11Idle.hpp>

#if LIMBER_HAVE_X11

#include "XCB.hpp"

#include <glib-unix.h>
#include <glib.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace limber::adapters {
namespace {

// libxcb, libxcb-screensaver and libxcb-sync are opened only when there is an X display: a Wayland
// session, or limberd outside a desktop, does not pay for loading and relocating them.
const xcb::Api& x() { return xcb::api(); }

std::shared_ptr<spdlog::logger> log() { return spdlog::get("presence"); }

/** Without IDLETIME alarms: how often to look for the person's return while idle. */
constexpr auto fallback_recheck = std::chrono::seconds(5);

std::int64_t to_int(xcb_sync_int64_t v) {
    return static_cast<std::int64_t>((static_cast<std::uint64_t>(static_cast<std::uint32_t>(v.hi)) << 32U) | v.lo);
}

xcb_sync_int64_t to_value(std::int64_t v) {
    const auto bits = static_cast<std::uint64_t>(v);
    return {static_cast<std::int32_t>(static_cast<std::uint32_t>(bits >> 32U)), static_cast<std::uint32_t>(bits)};
}

/**
 * The IDLETIME system counter in a ListSystemCounters reply; XCB_NONE if there is none. Read here from
 * the bytes: libxcb's iterator over the list (1.15) takes each name two bytes too far (it counts the
 * padded size of its struct, 16 bytes, where the protocol's entry has 14 before the name).
 */
xcb_sync_counter_t idletime_counter(const xcb_sync_list_system_counters_reply_t& reply) {
    // Each entry: COUNTER (4 bytes), INT64 resolution (8), CARD16 name length (2), the name, padded to 4.
    const auto* p = reinterpret_cast<const unsigned char*>(&reply + 1);
    const unsigned char* const end = p + std::size_t{reply.length} * 4;
    constexpr std::size_t head = 14;
    for (std::uint32_t i = 0; i < reply.counters_len && end - p >= static_cast<std::ptrdiff_t>(head); ++i) {
        xcb_sync_counter_t counter = XCB_NONE;
        std::uint16_t length = 0;
        std::memcpy(&counter, p, sizeof counter);
        std::memcpy(&length, p + 12, sizeof length);
        if (end - p - static_cast<std::ptrdiff_t>(head) < length) break;
        if (std::string_view(reinterpret_cast<const char*>(p + head), length) == "IDLETIME") return counter;
        p += std::min<std::ptrdiff_t>(end - p, static_cast<std::ptrdiff_t>((head + length + 3) & ~std::size_t{3}));
    }
    return XCB_NONE;
}

}  // namespace

struct X11Idle::Impl {
    xcb_connection_t* c = nullptr;
    xcb_window_t root = XCB_NONE;
    guint fd_source = 0;
    guint timer = 0;
    bool broken = false;  // the X connection is gone: nothing is read from it again
    bool have_sync = false;
    std::uint8_t sync_event_base = 0;
    xcb_sync_counter_t idletime = XCB_NONE;
    xcb_sync_alarm_t return_alarm = XCB_NONE;

    ~Impl() {
        if (timer != 0) g_source_remove(timer);
        if (fd_source != 0) g_source_remove(fd_source);
        if (c == nullptr) return;
        if (!broken && return_alarm != XCB_NONE) x().xcb_sync_destroy_alarm(c, return_alarm);
        // Safe on a broken connection too (unlike Xlib's XCloseDisplay): it only frees and closes.
        x().xcb_disconnect(c);  // flushes the destruction first
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
    if (!x().idle_loaded) {
        log()->debug("x11-idle: libxcb, libxcb-screensaver or libxcb-sync is missing");
        return nullptr;
    }
    std::unique_ptr<X11Idle> self(new X11Idle);
    self->impl_ = std::make_unique<Impl>();
    Impl& xi = *self->impl_;
    xi.c = xcb::connect("x11-idle", name, xi.root);
    if (xi.c == nullptr) return nullptr;
    const xcb_query_extension_reply_t* saver = x().xcb_get_extension_data(xi.c, x().xcb_screensaver_id);
    if (saver == nullptr || saver->present == 0) {
        log()->debug("x11-idle: display {} has no MIT-SCREEN-SAVER extension", name);
        return nullptr;
    }
    const xcb_query_extension_reply_t* sync = x().xcb_get_extension_data(xi.c, x().xcb_sync_id);
    if (sync != nullptr && sync->present != 0 &&
        xcb::own(x().xcb_sync_initialize_reply(
            xi.c, x().xcb_sync_initialize(xi.c, XCB_SYNC_MAJOR_VERSION, XCB_SYNC_MINOR_VERSION), nullptr))) {
        xi.sync_event_base = sync->first_event;
        const auto counters =
            xcb::own(x().xcb_sync_list_system_counters_reply(xi.c, x().xcb_sync_list_system_counters(xi.c), nullptr));
        if (counters) xi.idletime = idletime_counter(*counters);
        xi.have_sync = xi.idletime != XCB_NONE;
    }
    self->idle_after_ = context.idle_after;
    self->context_ = context;
    X11Idle* raw = self.get();
    xi.fd_source = g_unix_fd_add(
        x().xcb_get_file_descriptor(xi.c), G_IO_IN,
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
    // Seen in on_x_events(), called by the connection's fd source, which tears everything down
    // once it returns; until then no request is sent.
    impl_->broken = true;
    impl_->return_alarm = XCB_NONE;
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
    xcb_generic_error_t* error = nullptr;
    const auto info = xcb::own(
        x().xcb_screensaver_query_info_reply(impl_->c, x().xcb_screensaver_query_info(impl_->c, impl_->root), &error));
    if (error != nullptr) xcb::log_error(*xcb::own(error));
    if (!info) return {};  // or the connection broke: its fd source sees it next
    return std::chrono::milliseconds(info->ms_since_user_input);
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
    if (impl_->return_alarm != XCB_NONE) x().xcb_sync_destroy_alarm(impl_->c, impl_->return_alarm);
    impl_->return_alarm = XCB_NONE;
    x().xcb_flush(impl_->c);
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
        if (impl_->return_alarm != XCB_NONE) x().xcb_sync_destroy_alarm(impl_->c, impl_->return_alarm);
        impl_->return_alarm = XCB_NONE;
        x().xcb_flush(impl_->c);
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
    xcb_generic_error_t* error = nullptr;
    const auto current =
        xcb::own(x().xcb_sync_query_counter_reply(xi.c, x().xcb_sync_query_counter(xi.c, xi.idletime), &error));
    if (error != nullptr) xcb::log_error(*xcb::own(error));
    if (!current) return;
    const xcb_sync_int64_t threshold = to_value(to_int(current->counter_value) - 1);
    const std::uint32_t mask =
        XCB_SYNC_CA_COUNTER | XCB_SYNC_CA_VALUE_TYPE | XCB_SYNC_CA_TEST_TYPE | XCB_SYNC_CA_VALUE | XCB_SYNC_CA_DELTA;
    // Create and change take the same attributes in two types of the same layout.
    auto fill = [&](auto& attributes) {
        attributes.counter = xi.idletime;
        attributes.valueType = XCB_SYNC_VALUETYPE_ABSOLUTE;
        attributes.testType = XCB_SYNC_TESTTYPE_NEGATIVE_COMPARISON;
        attributes.value = threshold;
        attributes.delta = to_value(0);
    };
    if (xi.return_alarm == XCB_NONE) {
        xcb_sync_create_alarm_value_list_t attributes{};
        fill(attributes);
        xi.return_alarm = x().xcb_generate_id(xi.c);
        x().xcb_sync_create_alarm_aux(xi.c, xi.return_alarm, mask, &attributes);
    } else {
        xcb_sync_change_alarm_value_list_t attributes{};
        fill(attributes);
        x().xcb_sync_change_alarm_aux(xi.c, xi.return_alarm, mask, &attributes);
    }
    x().xcb_flush(xi.c);
}

void X11Idle::on_x_events() {
    for (;;) {
        bool alarm = false;
        const bool connected = xcb::drain(impl_->c, [&](const xcb_generic_event_t& event) {
            if (impl_->have_sync && xcb::type_of(event) == impl_->sync_event_base + XCB_SYNC_ALARM_NOTIFY) {
                const auto& notify = reinterpret_cast<const xcb_sync_alarm_notify_event_t&>(event);
                if (notify.alarm == impl_->return_alarm) alarm = true;
            }
        });
        if (!connected) {
            on_connection_lost();
            return;
        }
        if (!alarm || !idle_) return;
        // check() makes round trips, during which more events may be queued: look again after it.
        check();
    }
}

}  // namespace limber::adapters

#else  // built without libxcb, libxcb-screensaver and libxcb-sync: no X11 idle source

#include <spdlog/spdlog.h>

namespace limber::adapters {
struct X11Idle::Impl {};
std::unique_ptr<daemon::PresenceSource> X11Idle::make(const daemon::PresenceContext&) {
    spdlog::get("presence")->debug("x11-idle: built without libxcb-screensaver");
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
