#pragma once
// A thin synchronous client of limberd's bus interface (GDBus). Every call
// fails fast: no auto-start, a short timeout, and one readable line.

#include "../adapters/GLibHelpers.hpp"

#include <limber/bus/Codec.hpp>
#include <limber/bus/Status.hpp>
#include <limber/core/Statistics.hpp>
#include <limber/ctl/Output.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace limber::ctl {

/** A call that failed; `what()` is the line to print (may be several for InvalidProfile). */
class BusFailure : public std::runtime_error {
public:
    BusFailure(std::string message, std::string remote_name)
        : std::runtime_error(std::move(message)), remote_name_(std::move(remote_name)) {}
    /** The D-Bus error name, or empty for local failures. */
    const std::string& remote_name() const noexcept { return remote_name_; }

private:
    std::string remote_name_;
};

class BusClient {
public:
    /** Connects to the session bus; throws BusFailure when there is none. */
    BusClient();
    ~BusClient();
    BusClient(const BusClient&) = delete;
    BusClient& operator=(const BusClient&) = delete;

    Status status();
    void pause(std::optional<std::int64_t> for_seconds, std::optional<std::int64_t> until);
    void resume();
    /** Snooze, Done or Skip (bus::method::…); returns the reminders answered. */
    std::vector<std::string> answer(const char* method, const std::string& reminder,
                                    std::optional<std::int64_t> for_seconds);
    void trigger(const std::string& reminder);
    /** Returns the profile now in use. */
    std::string reload();
    std::vector<Showing> schedule(std::int64_t for_seconds);
    /** The history on or after `since` (yyyymmdd; 0 = all), added up per day, kind and reminder. */
    std::vector<core::DayCount> history(core::CivilDay since);
    /** Logs water; 0 = one glass. */
    bus::Water drank(int ml);

    /**
     * Any method: `args` from a bus::encode_… (or null), the reply checked against `reply_type`
     * (bus::reply::…) and read by `decode` (a bus::decode_…). The typed calls above are this; a new
     * command's handler can use it directly.
     */
    template <class Decode>
    auto call(const char* method, GVariant* args, const char* reply_type, Decode decode) {
        const Reply reply(call(method, args, reply_type));
        try {
            return decode(reply.get());
        } catch (const bus::MalformedReply& e) {
            throw BusFailure(e.what(), {});
        }
    }

    /** true when the failure means no limberd is there to answer (so reading the file directly is right). */
    static bool not_running(const BusFailure& failure);

    /** The connection, for `watch` to follow signals on. */
    GDBusConnection* connection() const noexcept { return connection_; }

private:
    using Reply = adapters::glib::Variant;
    /** The reply (owned by the caller), which must be of type `reply_type` (bus::reply::…; null = "()"). */
    GVariant* call(const char* method, GVariant* parameters, const char* reply_type);

    GDBusConnection* connection_ = nullptr;
};

}  // namespace limber::ctl
