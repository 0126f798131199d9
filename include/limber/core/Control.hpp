#pragma once
// What limberd offers whoever controls it (limberctl over the bus, a
// notification's buttons, SIGHUP): the application's own API, with typed
// results and typed refusals. Nothing here knows the bus: BusService alone
// maps a Refusal to a D-Bus error name.

#include <limber/core/Scheduler.hpp>
#include <limber/core/Statistics.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace limber::core {

/** Why a request was refused. */
enum class Refusal {
    unknown_reminder,   ///< no reminder of that name in the profile
    invalid_profile,    ///< reload: the profile has errors (the message holds every PATH:LINE:COL line)
    invalid_argument,   ///< a value out of range or of the wrong type
    not_paused,         ///< resume while not paused
    snooze_limit,       ///< snoozed max_snoozes times already
    nothing_on_screen,  ///< an answer without a name while nothing is on screen
    disabled,           ///< the reminder is disabled in the profile
};

/** A refused request: `why` for machines, what() the one line a person reads. */
struct ControlError : std::runtime_error {
    ControlError(Refusal reason, const std::string& message) : std::runtime_error(message), why(reason) {}
    Refusal why;
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
    State state = State::active;
    std::int64_t paused_until = 0;  ///< Unix seconds; 0 = not paused, or paused until resume
    std::string profile;
    std::vector<ReminderStatus> reminders;
    PresenceStatus presence;
    WaterStatus water;
};

/** What may be asked of the daemon; every method may throw ControlError. */
class Controller {
public:
    virtual ~Controller() = default;
    virtual DaemonStatus status() = 0;
    virtual void pause(std::optional<Duration> length) = 0;
    virtual void resume() = 0;
    /** `name` empty = the reminder(s) on screen (snooze: else the next due). Returns those answered. */
    virtual std::vector<std::string> answer(const std::string& name, Answer answer,
                                            std::optional<Duration> snooze_for) = 0;
    virtual void trigger(const std::string& name) = 0;
    /** Returns the profile now in use. */
    virtual std::string reload() = 0;
    /** (name, Unix seconds) for each showing within `span`, in time order. */
    virtual std::vector<std::pair<std::string, std::int64_t>> schedule(Duration span) = 0;
    /** The history on or after local day `since`, added up per day, kind and reminder. */
    virtual std::vector<DayCount> history(CivilDay since) = 0;
    /** Logs `ml` of water (0 = one glass); returns what was logged and today's water after it. */
    virtual std::pair<int, WaterStatus> drank(int ml) = 0;
};

}  // namespace limber::core
