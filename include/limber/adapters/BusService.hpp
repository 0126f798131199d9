#pragma once
// limberd's side of the session-bus interface (GDBus): turns method calls
// into typed calls on a Controller and the daemon's changes into properties
// and signals. Nothing else in limberd touches GVariant.

#include <limber/core/Scheduler.hpp>
#include <limber/core/Statistics.hpp>

#include <gio/gio.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace limber::adapters {

/** A failure to report as a named D-Bus error (names in BusInterface.hpp). */
struct ControlError : std::runtime_error {
    ControlError(const char* error_name, const std::string& message) : std::runtime_error(message), name(error_name) {}
    const char* name;
};

/** Where limberd learns whether the person is there, and what they say now. */
struct PresenceStatus {
    std::vector<std::string> sources;  ///< in use now, e.g. "logind", "x11-idle", "dunst"
    bool idle = false;
    bool locked = false;
    bool asleep = false;
    bool dnd = false;
};

/** Water today against the goal of the profile's first hydration reminder. */
struct WaterStatus {
    int today_ml = 0;
    int goal_ml = 0;  ///< 0 = no goal set
};

/** What the daemon reports through GetStatus and the properties. */
struct DaemonStatus {
    core::State state = core::State::active;
    std::int64_t paused_until = 0;  ///< Unix seconds; 0 = not paused, or paused until resume
    std::string profile;
    std::vector<core::ReminderStatus> reminders;
    PresenceStatus presence;
    WaterStatus water;
};

/** What the bus may ask of the daemon; methods throw ControlError. */
class Controller {
public:
    virtual ~Controller() = default;
    virtual DaemonStatus status() = 0;
    virtual void pause(std::optional<core::Duration> length) = 0;
    virtual void resume() = 0;
    /** `name` empty = the reminder(s) on screen (snooze: else the next due). Returns those answered. */
    virtual std::vector<std::string> answer(const std::string& name, core::Answer answer,
                                            std::optional<core::Duration> snooze_for) = 0;
    virtual void trigger(const std::string& name) = 0;
    /** Returns the profile now in use. */
    virtual std::string reload() = 0;
    /** (name, Unix seconds) for each showing within `span`, in time order. */
    virtual std::vector<std::pair<std::string, std::int64_t>> schedule(core::Duration span) = 0;
    /** The history on or after local day `since`, added up per day, kind and reminder. */
    virtual std::vector<core::DayCount> history(core::CivilDay since) = 0;
    /** Logs `ml` of water (0 = one glass); returns what was logged and today's water after it. */
    virtual std::pair<int, WaterStatus> drank(int ml) = 0;
};

class BusService {
public:
    /** Exports the interface on `bus` at bus::path. */
    BusService(GDBusConnection* bus, Controller& controller);
    ~BusService();
    BusService(const BusService&) = delete;
    BusService& operator=(const BusService&) = delete;

    /** Re-reads the status and emits PropertiesChanged for what changed. */
    void refresh();
    void emit_shown(const std::vector<std::string>& names, const std::string& title);
    void emit_answered(const std::string& name, core::Outcome outcome);

private:
    struct Properties {
        std::string state;
        std::int64_t paused_until = 0;
        std::string next_reminder;
        std::int64_t next_due = 0;
    };
    Properties read_properties();
    static void on_method(GDBusConnection*, const gchar*, const gchar*, const gchar*, const gchar* method,
                          GVariant* parameters, GDBusMethodInvocation* invocation, gpointer self);
    static GVariant* on_get_property(GDBusConnection*, const gchar*, const gchar*, const gchar*, const gchar* property,
                                     GError** error, gpointer self);
    GVariant* dispatch(const std::string& method, GVariant* parameters);

    GDBusConnection* bus_;
    Controller& controller_;
    GDBusNodeInfo* node_;
    guint registration_ = 0;
    Properties last_;
};

}  // namespace limber::adapters
