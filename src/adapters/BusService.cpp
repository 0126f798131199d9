#include <limber/adapters/BusService.hpp>
#include <limber/core/Translate.hpp>

#include <limber/adapters/Guarded.hpp>

#include <limber/bus/Codec.hpp>
#include <limber/bus/Protocol.hpp>

#include <spdlog/spdlog.h>

#include <chrono>
#include <optional>

namespace limber::adapters {
namespace {

using core::ControlError;
using core::Refusal;

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

/** The status as it crosses the bus. */
bus::Status wire_status(const core::DaemonStatus& s) {
    bus::Status out;
    out.state = std::string(core::to_string(s.state));
    out.paused_until = s.paused_until;
    out.profile = s.profile;
    out.reminders.reserve(s.reminders.size());
    for (const auto& r : s.reminders)
        out.reminders.push_back({r.name, std::string(core::to_string(r.kind)), seconds(r.every), seconds(r.duration),
                                 seconds(r.due_in), r.snoozes, r.enabled, r.on_screen, r.running});
    out.presence =
        bus::Presence{s.presence.sources, s.presence.idle, s.presence.locked, s.presence.asleep, s.presence.dnd};
    out.water_today_ml = s.water.today_ml;
    out.water_goal_ml = s.water.goal_ml;
    return out;
}

GVariant* answer(core::Controller& c, GVariant* args, core::Answer how) {
    const bus::AnswerArgs a = bus::decode_answer(args, how == core::Answer::snooze);
    std::optional<core::Duration> length;
    if (a.for_s) length = std::chrono::seconds(*a.for_s);
    return bus::encode_answered(c.answer(a.reminder, how, length));
}

/** A method: decodes its arguments, calls the controller, encodes the answer (null = none). */
struct Method {
    const char* name;
    GVariant* (*call)(core::Controller& controller, GVariant* args);
};

/** Every method of bus::introspection_xml, one row each. */
constexpr Method methods[] = {
    {bus::method::get_status,
     [](core::Controller& c, GVariant*) { return bus::encode_status(wire_status(c.status())); }},
    {bus::method::pause,
     [](core::Controller& c, GVariant* args) -> GVariant* {
         const std::int64_t now_us = g_get_real_time();
         c.pause(bus::pause_length(bus::decode_pause(args, now_us), now_us));
         return nullptr;
     }},
    {bus::method::resume,
     [](core::Controller& c, GVariant*) -> GVariant* {
         c.resume();
         return nullptr;
     }},
    {bus::method::snooze, [](core::Controller& c, GVariant* args) { return answer(c, args, core::Answer::snooze); }},
    {bus::method::done, [](core::Controller& c, GVariant* args) { return answer(c, args, core::Answer::done); }},
    {bus::method::skip, [](core::Controller& c, GVariant* args) { return answer(c, args, core::Answer::skip); }},
    {bus::method::trigger,
     [](core::Controller& c, GVariant* args) -> GVariant* {
         c.trigger(bus::decode_trigger(args));
         return nullptr;
     }},
    {bus::method::reload, [](core::Controller& c, GVariant*) { return bus::encode_reloaded(c.reload()); }},
    {bus::method::schedule,
     [](core::Controller& c, GVariant* args) {
         const auto span = bus::decode_schedule(args).for_s.value_or(bus::default_schedule_seconds);
         std::vector<bus::Showing> showings;
         for (auto& [name, at] : c.schedule(std::chrono::seconds(span))) showings.push_back({std::move(name), at});
         return bus::encode_showings(showings);
     }},
    {bus::method::history,
     [](core::Controller& c, GVariant* args) {
         return bus::encode_counts(c.history(bus::decode_history(args).since));
     }},
    {bus::method::drank,
     [](core::Controller& c, GVariant* args) {
         const auto [logged, water] = c.drank(bus::decode_drank(args).ml);
         return bus::encode_water({logged, water.today_ml, water.goal_ml});
     }},
};

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
        spdlog::get("bus")->error("{}", core::format(core::tr("cannot export %1$s: %2$s"), bus::path, error->message));
        g_error_free(error);
    }
    last_ = read_properties();
}

BusService::~BusService() {
    if (registration_ != 0) g_dbus_connection_unregister_object(bus_, registration_);
    g_dbus_node_info_unref(node_);
    g_object_unref(bus_);
}

bus::Properties BusService::read_properties() {
    const core::DaemonStatus s = controller_.status();
    bus::Properties p;
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
    const bus::Properties now = read_properties();
    GVariant* changed = bus::encode_properties_changed(last_, now);
    if (changed == nullptr) return;
    last_ = now;
    g_dbus_connection_emit_signal(bus_, nullptr, bus::path, "org.freedesktop.DBus.Properties", "PropertiesChanged",
                                  changed, nullptr);
}

void BusService::emit_shown(const std::vector<std::string>& names, const std::string& title) {
    if (registration_ == 0) return;
    g_dbus_connection_emit_signal(bus_, nullptr, bus::path, bus::interface, bus::signal::shown,
                                  bus::encode_shown(names, title), nullptr);
}

void BusService::emit_answered(const std::string& name, core::Outcome outcome) {
    if (registration_ == 0) return;
    g_dbus_connection_emit_signal(bus_, nullptr, bus::path, bus::interface, bus::signal::answered,
                                  bus::encode_answered_signal(name, core::to_string(outcome)), nullptr);
}

std::vector<std::string_view> BusService::method_names() {
    std::vector<std::string_view> out;
    for (const auto& m : methods) out.emplace_back(m.name);
    return out;
}

GVariant* BusService::on_get_property(GDBusConnection*, const gchar*, const gchar*, const gchar*, const gchar* property,
                                      GError** error, gpointer self_ptr) {
    // What refresh() last read: status() has side effects (sleep crediting, a history query).
    auto* self = static_cast<BusService*>(self_ptr);
    GVariant* value = nullptr;
    guarded("reading a bus property", [&] { value = bus::encode_property(self->last_, property); });
    if (value != nullptr) return value;
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
        // Its text may quote a profile path, which need not be UTF-8 (bus_text).
        g_dbus_method_invocation_return_dbus_error(invocation, error_name(e.why), bus::bus_text(e.what()).c_str());
    } catch (const std::exception& e) {
        // Never out through GDBus's C frames: the caller gets an answer, limberd goes on.
        // TRANSLATORS: %1$s is a D-Bus method's name, %2$s what went wrong.
        spdlog::get("bus")->error("{}", core::format(core::tr("%1$s failed: %2$s"), method, e.what()));
        g_dbus_method_invocation_return_dbus_error(invocation, "org.freedesktop.DBus.Error.Failed",
                                                   bus::bus_text(e.what()).c_str());
    } catch (...) {
        spdlog::get("bus")->error("{}", core::format(core::tr("%s failed on an exception of unknown type"), method));
        g_dbus_method_invocation_return_dbus_error(invocation, "org.freedesktop.DBus.Error.Failed", "internal error");
    }
}

GVariant* BusService::dispatch(const std::string& method, GVariant* parameters) {
    for (const auto& m : methods)
        if (method == m.name) return m.call(controller_, parameters);
    throw ControlError(Refusal::invalid_argument, "unknown method " + method);
}

}  // namespace limber::adapters
