#include "BusClient.hpp"

#include <limber/bus/Codec.hpp>
#include <limber/bus/Protocol.hpp>
#include <limber/core/Translate.hpp>

#include <gio/gio.h>

#include <sys/stat.h>
#include <cstdlib>
#include <memory>

namespace limber::ctl {
namespace {

/** Long enough for a busy desktop, short enough that a hung limberd is reported, not waited on. */
constexpr int timeout_ms = 5000;

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
            core::tr("no D-Bus session bus here (DBUS_SESSION_BUS_ADDRESS is not set); limberd and limberctl "
                     "run in a desktop session"),
            {});
    GError* error = nullptr;
    connection_ = g_bus_get_sync(G_BUS_TYPE_SESSION, nullptr, &error);
    if (connection_ == nullptr) {
        std::string message = core::format(core::tr("cannot connect to the D-Bus session bus: %s"),
                                           error != nullptr ? error->message : core::tr("unknown error"));
        g_clear_error(&error);
        throw BusFailure(message, {});
    }
}

BusClient::~BusClient() {
    if (connection_ != nullptr) g_object_unref(connection_);
}

GVariant* BusClient::call(const char* method, GVariant* parameters, const char* reply_type) {
    GError* error = nullptr;
    GVariant* reply = g_dbus_connection_call_sync(connection_, bus::name, bus::path, bus::interface, method, parameters,
                                                  reply_type != nullptr ? G_VARIANT_TYPE(reply_type) : nullptr,
                                                  G_DBUS_CALL_FLAGS_NO_AUTO_START, timeout_ms, nullptr, &error);
    if (reply != nullptr) return reply;
    std::string name;
    std::string message;
    if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)) {
        // limberd is there but busy: not "not running", so nothing falls back to writing the file itself
        // (a `drank` acknowledged twice), and the caller says so.
        name = "org.freedesktop.DBus.Error.NoReply";
        message = core::format(core::tr("limberd did not answer within %ds"), timeout_ms / 1000);
    } else if (g_dbus_error_is_remote_error(error)) {
        gchar* remote = g_dbus_error_get_remote_error(error);
        name = remote != nullptr ? remote : "";
        g_free(remote);
        g_dbus_error_strip_remote_error(error);
        message = describe_remote_error(name, error->message, method);
    } else {
        message = error != nullptr ? error->message : core::tr("the call failed");
    }
    g_clear_error(&error);
    throw BusFailure(message, name);
}

Status BusClient::status() { return call(bus::method::get_status, nullptr, bus::reply::status, bus::decode_status); }

void BusClient::pause(std::optional<std::int64_t> for_seconds, std::optional<std::int64_t> until) {
    const Reply reply(call(bus::method::pause, bus::encode_pause({for_seconds, until}), nullptr));
}

void BusClient::resume() { const Reply reply(call(bus::method::resume, nullptr, nullptr)); }

std::vector<std::string> BusClient::answer(const char* method, const std::string& reminder,
                                           std::optional<std::int64_t> for_seconds) {
    return call(method, bus::encode_answer({reminder, for_seconds}), bus::reply::answered, bus::decode_answered);
}

void BusClient::trigger(const std::string& reminder) {
    const Reply reply(call(bus::method::trigger, bus::encode_trigger(reminder), nullptr));
}

std::string BusClient::reload() {
    return call(bus::method::reload, nullptr, bus::reply::profile, bus::decode_reloaded);
}

std::vector<Showing> BusClient::schedule(std::int64_t for_seconds) {
    return call(bus::method::schedule, bus::encode_schedule({for_seconds}), bus::reply::showings, bus::decode_showings);
}

bool BusClient::not_running(const BusFailure& failure) {
    const auto& name = failure.remote_name();
    return name.empty() || name == "org.freedesktop.DBus.Error.ServiceUnknown" ||
           name == "org.freedesktop.DBus.Error.NameHasNoOwner";
}

std::vector<core::DayCount> BusClient::history(core::CivilDay since) {
    return call(bus::method::history, bus::encode_history({since}), bus::reply::history, bus::decode_counts);
}

bus::Water BusClient::drank(int ml) {
    return call(bus::method::drank, bus::encode_drank({ml}), bus::reply::water, bus::decode_water);
}

}  // namespace limber::ctl
