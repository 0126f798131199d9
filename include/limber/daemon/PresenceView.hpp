#pragma once
// What the daemon's application side asks of the presence sources as a
// whole; PresenceHub implements it over the real sources, tests fake it.
// Pure: no GLib.

#include <limber/core/Time.hpp>

#include <optional>
#include <string>
#include <vector>

namespace limber::daemon {

/** What a presence source reports, through the one report callback every source has. */
enum class Signal {
    idle,        ///< no input for idle_after (on), or input again (off)
    locked,      ///< the session is locked or the screen saver is active
    asleep,      ///< the machine is about to sleep (on) or woke up (off), as logind announces it
    dnd,         ///< do-not-disturb on or off (a notification server, a fullscreen window)
    wall_clock,  ///< the wall clock or the time zone changed (`on` means nothing)
};

struct Report {
    std::string source;  ///< the source's name, e.g. "logind", "x11-idle", "dunst"
    Signal signal = Signal::idle;
    bool on = false;
    std::optional<core::Instant> since;  ///< idle: when the last input was, when a source knows
};

/** Told of every report and of every change in which sources are in use. */
class PresenceListener {
public:
    virtual ~PresenceListener() = default;
    virtual void on_report(const Report& report) = 0;
    /** A source came, went, or answered for the first time. */
    virtual void on_sources_changed() = 0;
};

/** The sources as a whole. */
class PresenceView {
public:
    virtual ~PresenceView() = default;
    /** The names of the sources in use now, after precedence (e.g. "mutter-idle" hides "x11-idle"). */
    virtual std::vector<std::string> in_use() const = 0;
    /** Some source in use can say whether the person is there (logind, a screen saver, an idle monitor). */
    virtual bool known() const = 0;
    /** Every source that answers asynchronously has answered once (start-up is over). */
    virtual bool settled() const = 0;
    /** Time the machine spent suspended since the last call (0 when none or unknown). */
    virtual core::Duration slept() = 0;
    /** The profile's idle_after changed (reload). */
    virtual void set_idle_after(core::Duration idle_after) = 0;
};

}  // namespace limber::daemon
