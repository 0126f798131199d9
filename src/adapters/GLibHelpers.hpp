#pragma once
// Small pieces the GLib adapters share: one owned GVariant, one signal
// subscription, one watched bus name, and the guard around limber code that a
// C library calls back. Internal to src/adapters and limberctl's bus client
// (src/ctl/BusClient.cpp); header-only, needs only GIO (guarded() reports
// through Logging.cpp, so only code linked with limber_adapters may use it).

#include <limber/adapters/Guarded.hpp>

#include <gio/gio.h>

#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <utility>

namespace limber::adapters::glib {

struct VariantUnref {
    void operator()(GVariant* v) const noexcept { g_variant_unref(v); }
};
/** Owns one GVariant reference. */
using Variant = std::unique_ptr<GVariant, VariantUnref>;

/** A property value from an a{sv} only if it has `type` (peers are not trusted to send what they declare). */
inline Variant lookup(GVariant* dict, const char* key, const GVariantType* type) {
    return Variant(g_variant_lookup_value(dict, key, type));
}

/** g_dbus_connection_signal_subscribe for as long as this object lives; the callback gets the parameters. */
class Subscription {
public:
    using Handler = std::function<void(GVariant* parameters)>;
    Subscription(GDBusConnection* bus, const char* sender, const char* interface, const char* member, const char* path,
                 const char* arg0, Handler handler)
        : bus_(G_DBUS_CONNECTION(g_object_ref(bus))),
          handler_(std::move(handler)),
          where_(std::string("the handler of the D-Bus signal ") + (member != nullptr ? member : "(any)")) {
        id_ = g_dbus_connection_signal_subscribe(
            bus_, sender, interface, member, path, arg0, G_DBUS_SIGNAL_FLAGS_NONE,
            [](GDBusConnection*, const gchar*, const gchar*, const gchar*, const gchar*, GVariant* parameters,
               gpointer self) {
                auto* me = static_cast<Subscription*>(self);
                guarded(me->where_.c_str(), [&] { me->handler_(parameters); });
            },
            this, nullptr);
    }
    ~Subscription() {
        g_dbus_connection_signal_unsubscribe(bus_, id_);
        g_object_unref(bus_);
    }
    Subscription(const Subscription&) = delete;
    Subscription& operator=(const Subscription&) = delete;

private:
    GDBusConnection* bus_;
    Handler handler_;
    std::string where_;  // for the log, should the handler throw
    guint id_ = 0;
};

/** g_bus_watch_name_on_connection without auto-start: `on_owner` gets the unique owner, or "" when it vanished. */
class NameWatch {
public:
    using Handler = std::function<void(const std::string& owner)>;
    NameWatch(GDBusConnection* bus, const char* name, Handler handler)
        : handler_(std::move(handler)), where_(std::string("the watch on the bus name ") + name) {
        id_ = g_bus_watch_name_on_connection(
            bus, name, G_BUS_NAME_WATCHER_FLAGS_NONE,
            [](GDBusConnection*, const gchar*, const gchar* owner, gpointer self) {
                auto* me = static_cast<NameWatch*>(self);
                guarded(me->where_.c_str(), [&] { me->handler_(owner); });
            },
            [](GDBusConnection*, const gchar*, gpointer self) {
                auto* me = static_cast<NameWatch*>(self);
                guarded(me->where_.c_str(), [&] { me->handler_({}); });
            },
            this, nullptr);
    }
    ~NameWatch() { g_bus_unwatch_name(id_); }
    NameWatch(const NameWatch&) = delete;
    NameWatch& operator=(const NameWatch&) = delete;

private:
    Handler handler_;
    std::string where_;  // for the log, should the handler throw
    guint id_ = 0;
};

/** A cancellable that is cancelled when its owner goes: async replies after that are dropped. */
class Cancellable {
public:
    Cancellable() : c_(g_cancellable_new()) {}
    ~Cancellable() {
        g_cancellable_cancel(c_);
        g_object_unref(c_);
    }
    Cancellable(const Cancellable&) = delete;
    Cancellable& operator=(const Cancellable&) = delete;
    GCancellable* get() const noexcept { return c_; }

private:
    GCancellable* c_;
};

}  // namespace limber::adapters::glib
