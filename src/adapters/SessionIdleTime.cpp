#include <limber/adapters/SessionIdleTime.hpp>
#include <limber/adapters/SystemClock.hpp>

#include "GLibHelpers.hpp"

#include <spdlog/spdlog.h>

namespace limber::adapters {
namespace {

constexpr const char* saver_name = "org.freedesktop.ScreenSaver";
constexpr const char* saver_path = "/org/freedesktop/ScreenSaver";
constexpr const char* saver_iface = "org.freedesktop.ScreenSaver";
/** While idle: how often to ask whether the person is back (the interface has no signal for it). */
constexpr auto recheck_while_idle = std::chrono::seconds(5);

std::shared_ptr<spdlog::logger> log() { return spdlog::get("presence"); }

}  // namespace

struct SessionIdleTime::Impl {
    GDBusConnection* bus;
    std::unique_ptr<glib::Cancellable> pending;
    std::unique_ptr<glib::NameWatch> watch;
    guint timer = 0;
    explicit Impl(GDBusConnection* b) : bus(G_DBUS_CONNECTION(g_object_ref(b))) {}
    ~Impl() {
        if (timer != 0) g_source_remove(timer);
        watch.reset();
        pending.reset();
        g_object_unref(bus);
    }
};

std::unique_ptr<daemon::PresenceSource> SessionIdleTime::make(const daemon::PresenceContext& context) {
    if (context.bus == nullptr) return nullptr;
    return std::make_unique<SessionIdleTime>(context);
}

SessionIdleTime::SessionIdleTime(const daemon::PresenceContext& context)
    : idle_after_(context.idle_after), context_(context), impl_(std::make_unique<Impl>(context.bus)) {
    GDBusConnection* bus = context.bus;
    impl_->watch =
        std::make_unique<glib::NameWatch>(bus, saver_name, [this](const std::string& owner) { on_owner(owner); });
}

SessionIdleTime::~SessionIdleTime() = default;

void SessionIdleTime::on_owner(const std::string& owner) {
    owner_ = owner;
    impl_->pending = std::make_unique<glib::Cancellable>();
    if (impl_->timer != 0) g_source_remove(impl_->timer);
    impl_->timer = 0;
    const bool had = available_;
    available_ = false;
    set_idle(false, std::nullopt);
    if (owner.empty()) {
        const bool first = !settled_;
        settled_ = true;
        if ((had || first) && context_.changed) context_.changed();
        return;
    }
    ask();
}

void SessionIdleTime::ask() {
    g_dbus_connection_call(
        impl_->bus, owner_.c_str(), saver_path, saver_iface, "GetSessionIdleTime", nullptr, G_VARIANT_TYPE("(u)"),
        G_DBUS_CALL_FLAGS_NO_AUTO_START, 5000, impl_->pending->get(),
        [](GObject* source, GAsyncResult* result, gpointer self_ptr) {
            guarded("KDE's idle time answer", [&] {
                GError* error = nullptr;
                glib::Variant reply(g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &error));
                if (!reply && g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
                    g_error_free(error);
                    return;
                }
                auto* self = static_cast<SessionIdleTime*>(self_ptr);
                const bool first = !self->settled_;
                self->settled_ = true;
                if (!reply) {
                    // Not this server (GNOME's answers NotSupported): not a source.
                    log()->debug("session-idle: GetSessionIdleTime: {}", error->message);
                    g_error_free(error);
                    const bool had = self->available_;
                    self->available_ = false;
                    self->set_idle(false, std::nullopt);
                    if ((had || first) && self->context_.changed) self->context_.changed();
                    return;
                }
                guint32 ms = 0;
                g_variant_get(reply.get(), "(u)", &ms);
                if (!self->available_) {
                    self->available_ = true;
                    if (self->context_.changed) self->context_.changed();
                }
                self->on_idle_time(std::chrono::milliseconds(ms));
            });
        },
        this);
}

void SessionIdleTime::on_idle_time(core::Duration idle_for) {
    if (!enabled_) return;
    const core::Instant since = monotonic_now() - idle_for;
    // Back if there was input since we last looked: the idle time started later than the one we saw
    // (half a second of slack for the round trip). The person may be idle again already.
    if (idle_ && since > idle_since_ + std::chrono::milliseconds(500)) set_idle(false, std::nullopt);
    if (!idle_ && idle_for >= idle_after_) {
        idle_since_ = since;
        set_idle(true, since);
    }
    arm(idle_ ? core::Duration(recheck_while_idle) : idle_after_ - idle_for + std::chrono::milliseconds(1));
}

void SessionIdleTime::arm(core::Duration after) {
    if (impl_->timer != 0) g_source_remove(impl_->timer);
    const auto ms = std::max<std::int64_t>(1, std::chrono::duration_cast<std::chrono::milliseconds>(after).count());
    impl_->timer = g_timeout_add(
        static_cast<guint>(ms),
        [](gpointer p) -> gboolean {
            auto* self = static_cast<SessionIdleTime*>(p);
            self->impl_->timer = 0;
            guarded("the KDE idle time's timer", [self] { self->ask(); });
            return G_SOURCE_REMOVE;
        },
        this);
}

void SessionIdleTime::set_idle_after(core::Duration idle_after) {
    if (idle_after == idle_after_) return;
    idle_after_ = idle_after;
    if (enabled_ && available_ && !idle_) ask();
}

void SessionIdleTime::set_enabled(bool enabled) {
    if (enabled == enabled_) return;
    enabled_ = enabled;
    if (impl_->timer != 0) g_source_remove(impl_->timer);
    impl_->timer = 0;
    if (!enabled)
        set_idle(false, std::nullopt);
    else if (available_)
        ask();
}

void SessionIdleTime::set_idle(bool idle, std::optional<core::Instant> since) {
    if (idle == idle_) return;
    idle_ = idle;
    if (context_.report) context_.report({name(), daemon::Signal::idle, idle, since});
}

}  // namespace limber::adapters
