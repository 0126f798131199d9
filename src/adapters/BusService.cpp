#include <limber/adapters/BusService.hpp>

#include <limber/adapters/BusInterface.hpp>

#include "GLibHelpers.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <memory>

namespace limber::adapters {
namespace {

using core::ControlError;
using core::Refusal;
using glib::Variant;

/** The D-Bus error name of a refusal: the one place refusals meet the bus. */
const char* error_name(Refusal why) {
    switch (why) {
        case Refusal::unknown_reminder:
            return bus::error::unknown_reminder;
        case Refusal::invalid_profile:
            return bus::error::invalid_profile;
        case Refusal::invalid_argument:
            return bus::error::invalid_argument;
        case Refusal::not_paused:
            return bus::error::not_paused;
        case Refusal::snooze_limit:
            return bus::error::snooze_limit;
        case Refusal::nothing_on_screen:
            return bus::error::nothing_on_screen;
        case Refusal::disabled:
            return bus::error::disabled;
    }
    return "org.freedesktop.DBus.Error.Failed";
}

std::int64_t wall_now() { return g_get_real_time() / G_USEC_PER_SEC; }

std::int64_t seconds(core::Duration d) { return std::chrono::round<std::chrono::seconds>(d).count(); }

/** An option of type `type`, or nothing; present with another type is an InvalidArgument. */
Variant option(GVariant* options, const char* key, const GVariantType* type) {
    Variant value(g_variant_lookup_value(options, key, nullptr));
    if (value && !g_variant_is_of_type(value.get(), type))
        throw ControlError(Refusal::invalid_argument, std::string("option \"") + key + "\" must be of type " +
                                                          std::string(g_variant_type_peek_string(type), 1) + ", not " +
                                                          g_variant_get_type_string(value.get()));
    return value;
}

std::optional<core::Duration> duration_option(GVariant* options, const char* key) {
    Variant v = option(options, key, G_VARIANT_TYPE_UINT64);
    if (!v) return std::nullopt;
    const auto secs = g_variant_get_uint64(v.get());
    if (secs == 0 || secs > 100ULL * 365 * 86400)
        throw ControlError(Refusal::invalid_argument, "\"" + std::string(key) + "\" must be 1 second or more");
    return std::chrono::seconds(static_cast<std::int64_t>(secs));
}

GVariant* strings(const std::vector<std::string>& items) {
    GVariantBuilder b;
    g_variant_builder_init(&b, G_VARIANT_TYPE("as"));
    for (const auto& s : items) g_variant_builder_add(&b, "s", s.c_str());
    return g_variant_builder_end(&b);
}

}  // namespace

BusService::BusService(GDBusConnection* bus, core::Controller& controller)
    : bus_(G_DBUS_CONNECTION(g_object_ref(bus))),
      controller_(controller),
      node_(g_dbus_node_info_new_for_xml(bus::introspection_xml, nullptr)) {
    static const GDBusInterfaceVTable vtable{&BusService::on_method, &BusService::on_get_property, nullptr, {}};
    GError* error = nullptr;
    registration_ =
        g_dbus_connection_register_object(bus_, bus::path, node_->interfaces[0], &vtable, this, nullptr, &error);
    if (registration_ == 0) {
        spdlog::get("bus")->error("cannot export {}: {}", bus::path, error->message);
        g_error_free(error);
    }
    last_ = read_properties();
}

BusService::~BusService() {
    if (registration_ != 0) g_dbus_connection_unregister_object(bus_, registration_);
    g_dbus_node_info_unref(node_);
    g_object_unref(bus_);
}

BusService::Properties BusService::read_properties() {
    const core::DaemonStatus s = controller_.status();
    Properties p;
    p.state = std::string(core::to_string(s.state));
    p.paused_until = s.paused_until;
    const core::ReminderStatus* next = nullptr;
    for (const auto& r : s.reminders)
        if (r.enabled && r.running && (next == nullptr || r.due_in < next->due_in)) next = &r;
    if (next != nullptr && s.state == core::State::active) {
        p.next_reminder = next->name;
        p.next_due = wall_now() + seconds(next->due_in);
    }
    return p;
}

void BusService::refresh() {
    if (registration_ == 0) return;
    const Properties now = read_properties();
    GVariantBuilder changed;
    g_variant_builder_init(&changed, G_VARIANT_TYPE("a{sv}"));
    bool any = false;
    if (now.state != last_.state) {
        g_variant_builder_add(&changed, "{sv}", "State", g_variant_new_string(now.state.c_str()));
        any = true;
    }
    if (now.paused_until != last_.paused_until) {
        g_variant_builder_add(&changed, "{sv}", "PausedUntil", g_variant_new_int64(now.paused_until));
        any = true;
    }
    if (now.next_reminder != last_.next_reminder) {
        g_variant_builder_add(&changed, "{sv}", "NextReminder", g_variant_new_string(now.next_reminder.c_str()));
        any = true;
    }
    // The due time is recomputed from a running clock: ignore rounding jitter.
    if (std::llabs(now.next_due - last_.next_due) > 1) {
        g_variant_builder_add(&changed, "{sv}", "NextDue", g_variant_new_int64(now.next_due));
        any = true;
    }
    if (!any) {
        g_variant_builder_clear(&changed);
        return;
    }
    last_ = now;
    g_dbus_connection_emit_signal(bus_, nullptr, bus::path, "org.freedesktop.DBus.Properties", "PropertiesChanged",
                                  g_variant_new("(sa{sv}as)", bus::interface, &changed, nullptr), nullptr);
}

void BusService::emit_shown(const std::vector<std::string>& names, const std::string& title) {
    if (registration_ == 0) return;
    g_dbus_connection_emit_signal(bus_, nullptr, bus::path, bus::interface, "Shown",
                                  g_variant_new("(@ass)", strings(names), title.c_str()), nullptr);
}

void BusService::emit_answered(const std::string& name, core::Outcome outcome) {
    if (registration_ == 0) return;
    g_dbus_connection_emit_signal(bus_, nullptr, bus::path, bus::interface, "Answered",
                                  g_variant_new("(ss)", name.c_str(), std::string(core::to_string(outcome)).c_str()),
                                  nullptr);
}

GVariant* BusService::on_get_property(GDBusConnection*, const gchar*, const gchar*, const gchar*, const gchar* property,
                                      GError** error, gpointer self_ptr) {
    auto* self = static_cast<BusService*>(self_ptr);
    const Properties p = self->read_properties();
    const std::string name = property;
    if (name == "State") return g_variant_new_string(p.state.c_str());
    if (name == "PausedUntil") return g_variant_new_int64(p.paused_until);
    if (name == "NextReminder") return g_variant_new_string(p.next_reminder.c_str());
    if (name == "NextDue") return g_variant_new_int64(p.next_due);
    g_set_error(error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY, "no property %s", property);
    return nullptr;
}

void BusService::on_method(GDBusConnection*, const gchar* sender, const gchar*, const gchar*, const gchar* method,
                           GVariant* parameters, GDBusMethodInvocation* invocation, gpointer self_ptr) {
    auto* self = static_cast<BusService*>(self_ptr);
    spdlog::get("bus")->debug("{} from {}", method, sender != nullptr ? sender : "?");
    try {
        g_dbus_method_invocation_return_value(invocation, self->dispatch(method, parameters));
    } catch (const ControlError& e) {
        g_dbus_method_invocation_return_dbus_error(invocation, error_name(e.why), e.what());
    } catch (const std::exception& e) {
        // Never out through GDBus's C frames: the caller gets an answer, limberd goes on.
        spdlog::get("bus")->error("{} failed: {}", method, e.what());
        g_dbus_method_invocation_return_dbus_error(invocation, "org.freedesktop.DBus.Error.Failed", e.what());
    }
}

GVariant* BusService::dispatch(const std::string& method, GVariant* parameters) {
    if (method == "GetStatus") {
        const core::DaemonStatus s = controller_.status();
        GVariantBuilder reminders;
        g_variant_builder_init(&reminders, G_VARIANT_TYPE("aa{sv}"));
        for (const auto& r : s.reminders) {
            GVariantBuilder item;
            g_variant_builder_init(&item, G_VARIANT_TYPE("a{sv}"));
            g_variant_builder_add(&item, "{sv}", "name", g_variant_new_string(r.name.c_str()));
            g_variant_builder_add(&item, "{sv}", "kind",
                                  g_variant_new_string(std::string(core::to_string(r.kind)).c_str()));
            g_variant_builder_add(&item, "{sv}", "every", g_variant_new_uint64(static_cast<guint64>(seconds(r.every))));
            g_variant_builder_add(&item, "{sv}", "duration",
                                  g_variant_new_uint64(static_cast<guint64>(seconds(r.duration))));
            g_variant_builder_add(&item, "{sv}", "due_in",
                                  g_variant_new_uint64(static_cast<guint64>(seconds(r.due_in))));
            g_variant_builder_add(&item, "{sv}", "snoozes", g_variant_new_uint32(static_cast<guint32>(r.snoozes)));
            g_variant_builder_add(&item, "{sv}", "enabled", g_variant_new_boolean(r.enabled));
            g_variant_builder_add(&item, "{sv}", "on_screen", g_variant_new_boolean(r.on_screen));
            g_variant_builder_add(&item, "{sv}", "running", g_variant_new_boolean(r.running));
            g_variant_builder_add_value(&reminders, g_variant_builder_end(&item));
        }
        GVariantBuilder status;
        g_variant_builder_init(&status, G_VARIANT_TYPE("a{sv}"));
        g_variant_builder_add(&status, "{sv}", "state",
                              g_variant_new_string(std::string(core::to_string(s.state)).c_str()));
        g_variant_builder_add(&status, "{sv}", "paused_until", g_variant_new_int64(s.paused_until));
        g_variant_builder_add(&status, "{sv}", "profile", g_variant_new_string(s.profile.c_str()));
        g_variant_builder_add(&status, "{sv}", "reminders", g_variant_builder_end(&reminders));
        GVariantBuilder presence;
        g_variant_builder_init(&presence, G_VARIANT_TYPE("a{sv}"));
        g_variant_builder_add(&presence, "{sv}", "sources", strings(s.presence.sources));
        g_variant_builder_add(&presence, "{sv}", "idle", g_variant_new_boolean(s.presence.idle));
        g_variant_builder_add(&presence, "{sv}", "locked", g_variant_new_boolean(s.presence.locked));
        g_variant_builder_add(&presence, "{sv}", "asleep", g_variant_new_boolean(s.presence.asleep));
        g_variant_builder_add(&presence, "{sv}", "dnd", g_variant_new_boolean(s.presence.dnd));
        g_variant_builder_add(&status, "{sv}", "presence", g_variant_builder_end(&presence));
        g_variant_builder_add(&status, "{sv}", "water_today_ml",
                              g_variant_new_uint32(static_cast<guint32>(s.water.today_ml)));
        g_variant_builder_add(&status, "{sv}", "water_goal_ml",
                              g_variant_new_uint32(static_cast<guint32>(s.water.goal_ml)));
        return g_variant_new("(a{sv})", &status);
    }
    if (method == "Pause") {
        const Variant options(g_variant_get_child_value(parameters, 0));
        std::optional<core::Duration> length = duration_option(options.get(), "for");
        if (const Variant until = option(options.get(), "until", G_VARIANT_TYPE_INT64)) {
            const std::int64_t at = g_variant_get_int64(until.get());
            if (length) throw ControlError(Refusal::invalid_argument, "give \"for\" or \"until\", not both");
            // To the microsecond, so that status reports exactly the second asked for.
            const std::int64_t left_us = at * G_USEC_PER_SEC - g_get_real_time();
            if (left_us <= 0) throw ControlError(Refusal::invalid_argument, "\"until\" is in the past");
            length = std::chrono::microseconds(left_us);
        }
        controller_.pause(length);
        return nullptr;
    }
    if (method == "Resume") {
        controller_.resume();
        return nullptr;
    }
    if (method == "Snooze" || method == "Done" || method == "Skip") {
        const gchar* name = nullptr;
        GVariant* options_ptr = nullptr;
        g_variant_get(parameters, "(&s@a{sv})", &name, &options_ptr);
        const Variant options(options_ptr);
        std::optional<core::Duration> length;
        if (method == "Snooze") length = duration_option(options.get(), "for");
        const core::Answer answer = method == "Done"   ? core::Answer::done
                                    : method == "Skip" ? core::Answer::skip
                                                       : core::Answer::snooze;
        return g_variant_new("(@as)", strings(controller_.answer(name, answer, length)));
    }
    if (method == "Trigger") {
        const gchar* name = nullptr;
        g_variant_get(parameters, "(&s)", &name);
        controller_.trigger(name);
        return nullptr;
    }
    if (method == "Reload") {
        return g_variant_new("(s)", controller_.reload().c_str());
    }
    if (method == "Schedule") {
        const Variant options(g_variant_get_child_value(parameters, 0));
        const std::optional<core::Duration> span = duration_option(options.get(), "for");
        GVariantBuilder b;
        g_variant_builder_init(&b, G_VARIANT_TYPE("a(sx)"));
        for (const auto& [name, at] : controller_.schedule(span.value_or(std::chrono::hours(8))))
            g_variant_builder_add(&b, "(sx)", name.c_str(), static_cast<gint64>(at));
        return g_variant_new("(a(sx))", &b);
    }
    if (method == "History") {
        const Variant options(g_variant_get_child_value(parameters, 0));
        core::CivilDay since = 0;
        if (const Variant v = option(options.get(), "since", G_VARIANT_TYPE_INT32))
            since = g_variant_get_int32(v.get());
        const auto counts = controller_.history(since);
        std::vector<std::string> names;
        std::vector<gint32> days;
        std::vector<guint8> kinds;
        std::vector<guint32> name_index, values;
        days.reserve(counts.size());
        kinds.reserve(counts.size());
        name_index.reserve(counts.size());
        values.reserve(counts.size());
        for (const auto& c : counts) {
            auto it = std::find(names.begin(), names.end(), c.reminder);
            if (it == names.end()) it = names.insert(names.end(), c.reminder);
            days.push_back(c.day);
            kinds.push_back(static_cast<guint8>(c.kind));
            name_index.push_back(static_cast<guint32>(it - names.begin()));
            values.push_back(static_cast<guint32>(std::clamp<std::int64_t>(c.value, 0, G_MAXUINT32)));
        }
        auto fixed = [](const GVariantType* type, const void* data, std::size_t n, std::size_t size) {
            return g_variant_new_fixed_array(type, data, n, size);
        };
        return g_variant_new("(@as@ai@ay@au@au)", strings(names),
                             fixed(G_VARIANT_TYPE_INT32, days.data(), days.size(), sizeof(gint32)),
                             fixed(G_VARIANT_TYPE_BYTE, kinds.data(), kinds.size(), 1),
                             fixed(G_VARIANT_TYPE_UINT32, name_index.data(), name_index.size(), sizeof(guint32)),
                             fixed(G_VARIANT_TYPE_UINT32, values.data(), values.size(), sizeof(guint32)));
    }
    if (method == "Drank") {
        const Variant options(g_variant_get_child_value(parameters, 0));
        int ml = 0;
        if (const Variant v = option(options.get(), "ml", G_VARIANT_TYPE_UINT32)) {
            const auto given = g_variant_get_uint32(v.get());
            if (given == 0 || given > 20000)
                throw ControlError(Refusal::invalid_argument, "\"ml\" must be from 1 to 20000 (20l)");
            ml = static_cast<int>(given);
        }
        const auto [logged, water] = controller_.drank(ml);
        GVariantBuilder b;
        g_variant_builder_init(&b, G_VARIANT_TYPE("a{sv}"));
        g_variant_builder_add(&b, "{sv}", "ml", g_variant_new_uint32(static_cast<guint32>(logged)));
        g_variant_builder_add(&b, "{sv}", "today_ml", g_variant_new_uint32(static_cast<guint32>(water.today_ml)));
        g_variant_builder_add(&b, "{sv}", "goal_ml", g_variant_new_uint32(static_cast<guint32>(water.goal_ml)));
        return g_variant_new("(a{sv})", &b);
    }
    throw ControlError(Refusal::invalid_argument, "unknown method " + method);
}

}  // namespace limber::adapters
