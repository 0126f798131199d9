// The registry of presence sources: one line per source. A new source is its own files (a class
// implementing daemon::PresenceSource with a factory) plus one line here.
//
// Order: the order `limberctl status` lists them in (and the order they are made in).
// Rivals: sources that do the same job compete, the first one in use in this list wins; the later
// ones are stood down (set_enabled(false)) and left out of status until it goes.

#include <limber/adapters/ClockWatch.hpp>
#include <limber/adapters/DndWatch.hpp>
#include <limber/adapters/LogindSession.hpp>
#include <limber/adapters/MutterIdleMonitor.hpp>
#include <limber/adapters/ScreenSaverWatch.hpp>
#include <limber/adapters/SessionIdleTime.hpp>
#include <limber/adapters/WaylandIdle.hpp>
#include <limber/adapters/X11Fullscreen.hpp>
#include <limber/adapters/X11Idle.hpp>
#include <limber/daemon/PresenceSource.hpp>

namespace limber::daemon {

const std::vector<PresenceEntry>& presence_registry() {
    using namespace adapters;
    static const std::vector<PresenceEntry> registry = {
        {LogindSession::make},                         // system bus: locked, idle, asleep
        {ScreenSaverWatch::gnome},                     // locked
        {ScreenSaverWatch::freedesktop},               // locked
        {MutterIdleMonitor::make, Rivals::idle_time},  // idle: Mutter's watches are events, the best
        {X11Idle::make, Rivals::idle_time},            // idle: a timer per idle_after, alarms while idle
        {SessionIdleTime::make, Rivals::idle_time},    // idle: KDE on Wayland, asked every 5 s while idle
        {WaylandIdle::make, Rivals::idle_time},        // idle: sway, Hyprland, river...: idled/resumed events
        {DndWatch::make},                              // do-not-disturb: dunst, KDE, GNOME
        {X11Fullscreen::make},                         // do-not-disturb while a window is fullscreen
        {ClockWatch::make},                            // wall-clock changes, time slept
    };
    return registry;
}

}  // namespace limber::daemon
