#include <limber/bus/Follower.hpp>
#include <limber/bus/Protocol.hpp>

#include <gio/gio.h>

#include <utility>

namespace limber::bus {

Follower::Follower(GDBusConnection* connection, Changed changed)
    : connection_(connection), changed_(std::move(changed)) {
    const auto on_signal = [](GDBusConnection*, const gchar*, const gchar*, const gchar*, const gchar*, GVariant*,
                              gpointer self) { static_cast<Follower*>(self)->changed_soon(); };
    // Subscribed before the name watch reports, so no change falls between the first GetStatus and them.
    subscriptions_[0] =
        g_dbus_connection_signal_subscribe(connection_, name, "org.freedesktop.DBus.Properties", "PropertiesChanged",
                                           path, interface, G_DBUS_SIGNAL_FLAGS_NONE, on_signal, this, nullptr);
    subscriptions_[1] = g_dbus_connection_signal_subscribe(connection_, name, interface, signal::shown, path, nullptr,
                                                           G_DBUS_SIGNAL_FLAGS_NONE, on_signal, this, nullptr);
    subscriptions_[2] = g_dbus_connection_signal_subscribe(connection_, name, interface, signal::answered, path,
                                                           nullptr, G_DBUS_SIGNAL_FLAGS_NONE, on_signal, this, nullptr);
    name_watch_ = g_bus_watch_name_on_connection(
        connection_, name, G_BUS_NAME_WATCHER_FLAGS_NONE,
        [](GDBusConnection*, const gchar*, const gchar*, gpointer self) {
            auto* me = static_cast<Follower*>(self);
            me->running_ = true;
            me->changed_soon();
        },
        [](GDBusConnection*, const gchar*, gpointer self) {
            auto* me = static_cast<Follower*>(self);
            me->running_ = false;
            me->changed_soon();
        },
        this, nullptr);
}

Follower::~Follower() {
    for (guint id : subscriptions_)
        if (id != 0) g_dbus_connection_signal_unsubscribe(connection_, id);
    if (name_watch_ != 0) g_bus_unwatch_name(name_watch_);
    if (idle_ != 0) g_source_remove(idle_);
}

void Follower::changed_soon() {
    if (idle_ != 0) return;
    idle_ = g_idle_add(
        [](gpointer self) -> gboolean {
            auto* me = static_cast<Follower*>(self);
            me->idle_ = 0;
            me->changed_(me->running_);
            return G_SOURCE_REMOVE;
        },
        this);
}

}  // namespace limber::bus
