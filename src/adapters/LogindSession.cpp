#include <limber/adapters/LogindSession.hpp>
#include <limber/core/Translate.hpp>

#include "GLibHelpers.hpp"

#include <gio/gunixfdlist.h>
#include <spdlog/spdlog.h>

#include <unistd.h>

namespace limber::adapters {
namespace {

constexpr const char* logind = "org.freedesktop.login1";
constexpr const char* manager_path = "/org/freedesktop/login1";
constexpr const char* manager_iface = "org.freedesktop.login1.Manager";
constexpr const char* session_iface = "org.freedesktop.login1.Session";
constexpr const char* user_iface = "org.freedesktop.login1.User";
constexpr const char* properties_iface = "org.freedesktop.DBus.Properties";
/** Short: logind answers at once or is not there; limberd must not hang at start. */
constexpr int timeout_ms = 3000;

std::shared_ptr<spdlog::logger> log() { return spdlog::get("presence"); }

glib::Variant call(GDBusConnection* bus, const char* path, const char* iface, const char* method, GVariant* parameters,
                   const char* reply_type, std::string* error_text = nullptr) {
    GError* error = nullptr;
    GVariant* reply =
        g_dbus_connection_call_sync(bus, logind, path, iface, method, parameters, G_VARIANT_TYPE(reply_type),
                                    G_DBUS_CALL_FLAGS_NONE, timeout_ms, nullptr, &error);
    if (reply == nullptr) {
        if (error_text != nullptr) *error_text = error->message;
        g_error_free(error);
    }
    return glib::Variant(reply);
}

/** All properties of a session, or nothing when `path` is not a session logind knows. */
glib::Variant session_properties(GDBusConnection* bus, const std::string& path) {
    glib::Variant reply =
        call(bus, path.c_str(), properties_iface, "GetAll", g_variant_new("(s)", session_iface), "(a{sv})");
    if (!reply) return {};
    glib::Variant dict(g_variant_get_child_value(reply.get(), 0));
    // A session object must at least carry the lock hint (a stub object would not).
    if (!glib::lookup(dict.get(), "LockedHint", G_VARIANT_TYPE_BOOLEAN)) return {};
    return dict;
}

std::optional<core::Instant> monotonic_usec(GVariant* dict, const char* key) {
    glib::Variant v = glib::lookup(dict, key, G_VARIANT_TYPE_UINT64);
    if (!v || g_variant_get_uint64(v.get()) == 0) return std::nullopt;
    return core::Instant(core::Duration(static_cast<std::int64_t>(g_variant_get_uint64(v.get()))));
}

}  // namespace

struct LogindSession::Impl {
    GDBusConnection* bus = nullptr;
    std::unique_ptr<glib::Subscription> session_changes;
    std::unique_ptr<glib::Subscription> sleep_signal;
    ~Impl() {
        session_changes.reset();
        sleep_signal.reset();
        if (bus != nullptr) g_object_unref(bus);
    }
};

std::unique_ptr<daemon::PresenceSource> LogindSession::make(const daemon::PresenceContext& context) {
    GError* error = nullptr;
    GDBusConnection* bus = g_bus_get_sync(G_BUS_TYPE_SYSTEM, nullptr, &error);
    if (bus == nullptr) {
        log()->debug("logind: no system bus ({})", error->message);
        g_error_free(error);
        return nullptr;
    }
    g_dbus_connection_set_exit_on_close(bus, FALSE);
    std::unique_ptr<LogindSession> self(new LogindSession);
    self->impl_ = std::make_unique<Impl>();
    self->impl_->bus = bus;
    self->context_ = context;

    // This session: the caller's ("auto"); under systemd --user limberd is in no session, and
    // then the user's display session (the graphical one) is the one that locks and idles.
    std::string why;
    std::string path;
    glib::Variant props;
    if (glib::Variant reply =
            call(bus, manager_path, manager_iface, "GetSession", g_variant_new("(s)", "auto"), "(o)", &why)) {
        const gchar* p = nullptr;
        g_variant_get(reply.get(), "(&o)", &p);
        path = p;
        props = session_properties(bus, path);
    }
    if (!props) {
        if (glib::Variant user = call(bus, manager_path, manager_iface, "GetUser",
                                      g_variant_new("(u)", static_cast<guint32>(::getuid())), "(o)", &why)) {
            const gchar* user_path = nullptr;
            g_variant_get(user.get(), "(&o)", &user_path);
            if (glib::Variant display = call(bus, user_path, properties_iface, "Get",
                                             g_variant_new("(ss)", user_iface, "Display"), "(v)", &why)) {
                glib::Variant inner(g_variant_get_child_value(display.get(), 0));
                glib::Variant value(g_variant_get_variant(inner.get()));
                if (g_variant_is_of_type(value.get(), G_VARIANT_TYPE("(so)"))) {
                    const gchar* id = nullptr;
                    const gchar* p = nullptr;
                    g_variant_get(value.get(), "(&s&o)", &id, &p);
                    if (*id != '\0') {
                        path = p;
                        props = session_properties(bus, path);
                    }
                }
            }
        }
    }
    if (!props) {
        log()->debug("logind: no session found{}", why.empty() ? "" : " (" + why + ")");
        return nullptr;
    }
    self->session_path_ = path;
    LogindSession* raw = self.get();
    self->impl_->session_changes = std::make_unique<glib::Subscription>(
        bus, logind, properties_iface, "PropertiesChanged", path.c_str(), session_iface, [raw](GVariant* parameters) {
            if (!g_variant_is_of_type(parameters, G_VARIANT_TYPE("(sa{sv}as)"))) return;
            glib::Variant changed(g_variant_get_child_value(parameters, 1));
            const gchar** invalidated = nullptr;
            g_variant_get_child(parameters, 2, "^a&s", &invalidated);
            bool reread = false;
            for (const gchar** name = invalidated; name != nullptr && *name != nullptr; ++name)
                reread = reread || g_str_equal(*name, "LockedHint") || g_str_equal(*name, "IdleHint");
            g_free(invalidated);
            if (reread) {
                if (glib::Variant all = session_properties(raw->impl_->bus, raw->session_path_))
                    raw->on_session_changed(all.get());
            } else {
                raw->on_session_changed(changed.get());
            }
        });
    self->impl_->sleep_signal = std::make_unique<glib::Subscription>(
        bus, logind, manager_iface, "PrepareForSleep", manager_path, nullptr, [raw](GVariant* parameters) {
            if (!g_variant_is_of_type(parameters, G_VARIANT_TYPE("(b)"))) return;
            gboolean sleeping = FALSE;
            g_variant_get(parameters, "(b)", &sleeping);
            raw->on_prepare_for_sleep(sleeping != FALSE);
        });
    self->take_inhibitor();
    // The state at start, reported as changes from "present".
    self->on_session_changed(props.get());
    log()->debug("logind: following session {}", path);
    return self;
}

LogindSession::~LogindSession() { release_inhibitor(); }

void LogindSession::report(daemon::Signal signal, bool on, std::optional<core::Instant> since) {
    if (context_.report) context_.report({name(), signal, on, since});
}

void LogindSession::on_session_changed(GVariant* changed) {
    if (glib::Variant v = glib::lookup(changed, "LockedHint", G_VARIANT_TYPE_BOOLEAN)) {
        const bool now = g_variant_get_boolean(v.get()) != FALSE;
        if (now != locked_) {
            locked_ = now;
            report(daemon::Signal::locked, now);
        }
    }
    if (glib::Variant v = glib::lookup(changed, "IdleHint", G_VARIANT_TYPE_BOOLEAN)) {
        const bool now = g_variant_get_boolean(v.get()) != FALSE;
        if (now != idle_) {
            idle_ = now;
            // IdleSinceHintMonotonic comes in the same signal when logind sends it; else ask.
            std::optional<core::Instant> since = monotonic_usec(changed, "IdleSinceHintMonotonic");
            if (now && !since) {
                if (glib::Variant reply = call(impl_->bus, session_path_.c_str(), properties_iface, "Get",
                                               g_variant_new("(ss)", session_iface, "IdleSinceHintMonotonic"), "(v)")) {
                    glib::Variant inner(g_variant_get_child_value(reply.get(), 0));
                    glib::Variant value(g_variant_get_variant(inner.get()));
                    if (g_variant_is_of_type(value.get(), G_VARIANT_TYPE_UINT64) &&
                        g_variant_get_uint64(value.get()) > 0)
                        since =
                            core::Instant(core::Duration(static_cast<std::int64_t>(g_variant_get_uint64(value.get()))));
                }
            }
            report(daemon::Signal::idle, now, now ? since : std::nullopt);
        }
    }
}

void LogindSession::on_prepare_for_sleep(bool sleeping) {
    if (sleeping) {
        report(daemon::Signal::asleep, true);
        // State is saved: let the machine go.
        release_inhibitor();
    } else {
        take_inhibitor();
        report(daemon::Signal::asleep, false);
    }
}

void LogindSession::take_inhibitor() {
    if (inhibitor_fd_ >= 0) return;
    GUnixFDList* fds = nullptr;
    GError* error = nullptr;
    GVariant* reply = g_dbus_connection_call_with_unix_fd_list_sync(
        impl_->bus, logind, manager_path, manager_iface, "Inhibit",
        g_variant_new("(ssss)", "sleep", "limber", "save state", "delay"), G_VARIANT_TYPE("(h)"),
        G_DBUS_CALL_FLAGS_NONE, timeout_ms, nullptr, &fds, nullptr, &error);
    if (reply == nullptr) {
        log()->warn(
            "logind: {}",
            core::format(core::tr("no sleep inhibitor (%s); state is still saved on every change"), error->message));
        g_error_free(error);
        return;
    }
    gint32 index = -1;
    g_variant_get(reply, "(h)", &index);
    g_variant_unref(reply);
    if (fds != nullptr) {
        inhibitor_fd_ = g_unix_fd_list_get(fds, index, nullptr);
        g_object_unref(fds);
    }
    log()->debug("logind: holding a delay inhibitor for sleep (fd {})", inhibitor_fd_);
}

void LogindSession::release_inhibitor() {
    if (inhibitor_fd_ < 0) return;
    ::close(inhibitor_fd_);
    inhibitor_fd_ = -1;
    log()->debug("logind: released the sleep inhibitor");
}

}  // namespace limber::adapters
