#include "BusClient.hpp"

#include <limber/adapters/BusInterface.hpp>

#include "../adapters/GLibHelpers.hpp"

#include <gio/gio.h>

#include <sys/stat.h>
#include <cstdlib>
#include <memory>

namespace limber::ctl {
namespace {

/** Long enough for a busy desktop, short enough that a hung limberd is reported, not waited on. */
constexpr int timeout_ms = 5000;

using adapters::glib::Variant;

std::int64_t as_int(GVariant* v) {
    if (v == nullptr) return 0;
    switch (g_variant_classify(v)) {
        case G_VARIANT_CLASS_INT64:
            return g_variant_get_int64(v);
        case G_VARIANT_CLASS_UINT64:
            return static_cast<std::int64_t>(g_variant_get_uint64(v));
        case G_VARIANT_CLASS_INT32:
            return g_variant_get_int32(v);
        case G_VARIANT_CLASS_UINT32:
            return g_variant_get_uint32(v);
        case G_VARIANT_CLASS_INT16:
            return g_variant_get_int16(v);
        case G_VARIANT_CLASS_UINT16:
            return g_variant_get_uint16(v);
        case G_VARIANT_CLASS_BYTE:
            return g_variant_get_byte(v);
        case G_VARIANT_CLASS_BOOLEAN:
            return g_variant_get_boolean(v) ? 1 : 0;
        case G_VARIANT_CLASS_DOUBLE:
            return static_cast<std::int64_t>(g_variant_get_double(v));
        default:
            return 0;
    }
}

std::int64_t lookup_int(GVariant* dict, const char* key) {
    Variant v(g_variant_lookup_value(dict, key, nullptr));
    return as_int(v.get());
}

std::string lookup_string(GVariant* dict, const char* key) {
    Variant v(g_variant_lookup_value(dict, key, G_VARIANT_TYPE_STRING));
    return v ? g_variant_get_string(v.get(), nullptr) : "";
}

bool lookup_bool(GVariant* dict, const char* key, bool fallback) {
    Variant v(g_variant_lookup_value(dict, key, nullptr));
    return v ? as_int(v.get()) != 0 : fallback;
}

/** a{sv} with "for" (t) and "until" (x) where given. */
GVariant* options(std::optional<std::int64_t> for_seconds, std::optional<std::int64_t> until) {
    GVariantBuilder builder;
    g_variant_builder_init(&builder, G_VARIANT_TYPE_VARDICT);
    if (for_seconds)
        g_variant_builder_add(&builder, "{sv}", "for", g_variant_new_uint64(static_cast<guint64>(*for_seconds)));
    if (until) g_variant_builder_add(&builder, "{sv}", "until", g_variant_new_int64(*until));
    return g_variant_builder_end(&builder);
}

bool socket_exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
}

}  // namespace

BusClient::BusClient() {
    // Without an address GLib would fall back to X11 autolaunch (spawning dbus-launch); say what is wrong instead.
    const char* address = std::getenv("DBUS_SESSION_BUS_ADDRESS");
    const char* runtime = std::getenv("XDG_RUNTIME_DIR");
    if ((address == nullptr || *address == '\0') &&
        (runtime == nullptr || !socket_exists(std::string(runtime) + "/bus")))
        throw BusFailure(
            "no D-Bus session bus here (DBUS_SESSION_BUS_ADDRESS is not set); limberd and limberctl "
            "run in a desktop session",
            {});
    GError* error = nullptr;
    connection_ = g_bus_get_sync(G_BUS_TYPE_SESSION, nullptr, &error);
    if (connection_ == nullptr) {
        std::string message = "cannot connect to the D-Bus session bus: ";
        message += error != nullptr ? error->message : "unknown error";
        g_clear_error(&error);
        throw BusFailure(message, {});
    }
}

BusClient::~BusClient() {
    if (connection_ != nullptr) g_object_unref(connection_);
}

GVariant* BusClient::call(const char* method, GVariant* parameters, const GVariantType* reply_type) {
    GError* error = nullptr;
    GVariant* reply =
        g_dbus_connection_call_sync(connection_, bus::name, bus::path, bus::interface, method, parameters, reply_type,
                                    G_DBUS_CALL_FLAGS_NO_AUTO_START, timeout_ms, nullptr, &error);
    if (reply != nullptr) return reply;
    std::string name;
    std::string message;
    if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)) {
        message = "limberd did not answer within " + std::to_string(timeout_ms / 1000) + "s";
    } else if (g_dbus_error_is_remote_error(error)) {
        gchar* remote = g_dbus_error_get_remote_error(error);
        name = remote != nullptr ? remote : "";
        g_free(remote);
        g_dbus_error_strip_remote_error(error);
        message = describe_remote_error(name, error->message, method);
    } else {
        message = error != nullptr ? error->message : "the call failed";
    }
    g_clear_error(&error);
    throw BusFailure(message, name);
}

Status BusClient::status() {
    Variant reply(call("GetStatus", nullptr, G_VARIANT_TYPE("(a{sv})")));
    Variant dict(g_variant_get_child_value(reply.get(), 0));
    Status out;
    out.state = lookup_string(dict.get(), "state");
    out.paused_until = lookup_int(dict.get(), "paused_until");
    out.profile = lookup_string(dict.get(), "profile");
    Variant list(g_variant_lookup_value(dict.get(), "reminders", G_VARIANT_TYPE("aa{sv}")));
    if (list) {
        const gsize n = g_variant_n_children(list.get());
        for (gsize i = 0; i < n; ++i) {
            Variant r(g_variant_get_child_value(list.get(), i));
            ReminderStatus rs;
            rs.name = lookup_string(r.get(), "name");
            rs.kind = lookup_string(r.get(), "kind");
            rs.every = lookup_int(r.get(), "every");
            rs.duration = lookup_int(r.get(), "duration");
            rs.due_in = lookup_int(r.get(), "due_in");
            rs.snoozes = lookup_int(r.get(), "snoozes");
            rs.enabled = lookup_bool(r.get(), "enabled", true);
            rs.on_screen = lookup_bool(r.get(), "on_screen", false);
            rs.running = lookup_bool(r.get(), "running", true);
            out.reminders.push_back(std::move(rs));
        }
    }
    Variant presence(g_variant_lookup_value(dict.get(), "presence", G_VARIANT_TYPE_VARDICT));
    if (presence) {
        Presence p;
        Variant sources(g_variant_lookup_value(presence.get(), "sources", G_VARIANT_TYPE_STRING_ARRAY));
        if (sources) {
            const gsize n = g_variant_n_children(sources.get());
            for (gsize i = 0; i < n; ++i) {
                Variant s(g_variant_get_child_value(sources.get(), i));
                p.sources.emplace_back(g_variant_get_string(s.get(), nullptr));
            }
        }
        p.idle = lookup_bool(presence.get(), "idle", false);
        p.locked = lookup_bool(presence.get(), "locked", false);
        p.asleep = lookup_bool(presence.get(), "asleep", false);
        p.dnd = lookup_bool(presence.get(), "dnd", false);
        out.presence = std::move(p);
    }
    out.water_today_ml = lookup_int(dict.get(), "water_today_ml");
    out.water_goal_ml = lookup_int(dict.get(), "water_goal_ml");
    return out;
}

void BusClient::pause(std::optional<std::int64_t> for_seconds, std::optional<std::int64_t> until) {
    Variant reply(call("Pause", g_variant_new("(@a{sv})", options(for_seconds, until)), nullptr));
}

void BusClient::resume() { Variant reply(call("Resume", nullptr, nullptr)); }

std::vector<std::string> BusClient::answer(const char* method, const std::string& reminder,
                                           std::optional<std::int64_t> for_seconds) {
    GVariant* parameters = g_variant_new("(s@a{sv})", reminder.c_str(), options(for_seconds, std::nullopt));
    Variant reply(call(method, parameters, G_VARIANT_TYPE("(as)")));
    std::vector<std::string> names;
    Variant list(g_variant_get_child_value(reply.get(), 0));
    const gsize n = g_variant_n_children(list.get());
    for (gsize i = 0; i < n; ++i) {
        Variant name(g_variant_get_child_value(list.get(), i));
        names.emplace_back(g_variant_get_string(name.get(), nullptr));
    }
    return names;
}

void BusClient::trigger(const std::string& reminder) {
    Variant reply(call("Trigger", g_variant_new("(s)", reminder.c_str()), nullptr));
}

std::string BusClient::reload() {
    Variant reply(call("Reload", nullptr, G_VARIANT_TYPE("(s)")));
    const gchar* profile = nullptr;
    g_variant_get(reply.get(), "(&s)", &profile);
    return profile != nullptr ? profile : "";
}

std::vector<Showing> BusClient::schedule(std::int64_t for_seconds) {
    Variant reply(
        call("Schedule", g_variant_new("(@a{sv})", options(for_seconds, std::nullopt)), G_VARIANT_TYPE("(a(sx))")));
    std::vector<Showing> out;
    Variant list(g_variant_get_child_value(reply.get(), 0));
    const gsize n = g_variant_n_children(list.get());
    for (gsize i = 0; i < n; ++i) {
        const gchar* name = nullptr;
        gint64 at = 0;
        g_variant_get_child(list.get(), i, "(&sx)", &name, &at);
        out.push_back({name != nullptr ? name : "", at});
    }
    return out;
}

bool BusClient::not_running(const BusFailure& failure) {
    const auto& name = failure.remote_name();
    return name.empty() || name == "org.freedesktop.DBus.Error.ServiceUnknown" ||
           name == "org.freedesktop.DBus.Error.NameHasNoOwner";
}

std::vector<core::DayCount> BusClient::history(core::CivilDay since) {
    GVariantBuilder builder;
    g_variant_builder_init(&builder, G_VARIANT_TYPE_VARDICT);
    g_variant_builder_add(&builder, "{sv}", "since", g_variant_new_int32(since));
    Variant reply(call("History", g_variant_new("(a{sv})", &builder), G_VARIANT_TYPE("(asaiayauau)")));
    Variant names_list(g_variant_get_child_value(reply.get(), 0));
    std::vector<std::string> names;
    const gsize name_count = g_variant_n_children(names_list.get());
    for (gsize i = 0; i < name_count; ++i) {
        Variant name(g_variant_get_child_value(names_list.get(), i));
        names.emplace_back(g_variant_get_string(name.get(), nullptr));
    }
    Variant days_v(g_variant_get_child_value(reply.get(), 1));
    Variant kinds_v(g_variant_get_child_value(reply.get(), 2));
    Variant names_v(g_variant_get_child_value(reply.get(), 3));
    Variant values_v(g_variant_get_child_value(reply.get(), 4));
    gsize n = 0, n_kinds = 0, n_names = 0, n_values = 0;
    const auto* days = static_cast<const gint32*>(g_variant_get_fixed_array(days_v.get(), &n, sizeof(gint32)));
    const auto* kinds = static_cast<const guint8*>(g_variant_get_fixed_array(kinds_v.get(), &n_kinds, 1));
    const auto* index =
        static_cast<const guint32*>(g_variant_get_fixed_array(names_v.get(), &n_names, sizeof(guint32)));
    const auto* values =
        static_cast<const guint32*>(g_variant_get_fixed_array(values_v.get(), &n_values, sizeof(guint32)));
    if (n_kinds != n || n_names != n || n_values != n)
        throw BusFailure("limberd sent a malformed history (arrays of different lengths)", {});
    std::vector<core::DayCount> out;
    out.reserve(n);
    for (gsize i = 0; i < n; ++i) {
        // Counts, and the seconds present per day (kind present); anything else is from a newer limberd.
        const bool known = kinds[i] <= static_cast<guint8>(core::EventKind::water) ||
                           kinds[i] == static_cast<guint8>(core::EventKind::present);
        if (!known || index[i] >= names.size()) continue;
        out.push_back({days[i], static_cast<core::EventKind>(kinds[i]), names[index[i]], values[i]});
    }
    return out;
}

BusClient::Water BusClient::drank(int ml) {
    GVariantBuilder builder;
    g_variant_builder_init(&builder, G_VARIANT_TYPE_VARDICT);
    if (ml > 0) g_variant_builder_add(&builder, "{sv}", "ml", g_variant_new_uint32(static_cast<guint32>(ml)));
    Variant reply(call("Drank", g_variant_new("(a{sv})", &builder), G_VARIANT_TYPE("(a{sv})")));
    Variant dict(g_variant_get_child_value(reply.get(), 0));
    return {lookup_int(dict.get(), "ml"), lookup_int(dict.get(), "today_ml"), lookup_int(dict.get(), "goal_ml")};
}

}  // namespace limber::ctl
