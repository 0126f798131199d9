#pragma once
// The one shape of a presence source (logind, a screen saver, an idle
// monitor, a do-not-disturb switch, the clocks): what PresenceHub builds from
// its registry (src/daemon/PresenceSources.cpp) and asks. Every source is
// made from a PresenceContext and speaks through its two callbacks. Pure: no
// GLib beyond the name of the bus connection's type.

#include <limber/core/Time.hpp>
#include <limber/daemon/PresenceView.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

typedef struct _GDBusConnection GDBusConnection;  // as GIO declares it

namespace limber::daemon {

/** What a source is made from. */
struct PresenceContext {
    /** The session bus; null without one (a source that needs it is then not made). */
    GDBusConnection* bus = nullptr;
    /** The profile's idle_after, for the idle sources. */
    core::Duration idle_after{};
    /** Every report of the source, on the main loop (or inside its factory). */
    std::function<void(const Report&)> report;
    /** in_use() or settled() changed: the source came, went, or answered for the first time. */
    std::function<void()> changed;
};

class PresenceSource {
public:
    virtual ~PresenceSource() = default;

    /** The source's name in reports and in status, e.g. "x11-idle"; the precedence list names it. */
    virtual std::string name() const = 0;
    /** It can answer now (its service is on the bus, its X server is there, ...). */
    virtual bool in_use() const = 0;
    /** The names status shows while it is in use: its name; DndWatch one per switch it follows. */
    virtual std::vector<std::string> names() const { return {name()}; }
    /** It answered once at start (sources that answer asynchronously); start-up waits for every source. */
    virtual bool settled() const { return true; }
    /** While in use it can say whether the person is there (idle, locked, asleep), not only do-not-disturb. */
    virtual bool tells_presence() const = 0;
    /** The profile's idle_after changed; nothing for sources without a threshold. */
    virtual void set_idle_after(core::Duration) {}
    /** Stands down (false) while a rival before it in precedence is in use, or takes over again. */
    virtual void set_enabled(bool) {}
    /** Time the machine spent suspended since the last call, for a source that measures it (else 0). */
    virtual core::Duration slept() { return {}; }
};

/** Makes a source from the context; null where it cannot be (no bus, no X display, no logind session). */
using PresenceFactory = std::unique_ptr<PresenceSource> (*)(const PresenceContext&);

/** Sources that do the same job: the first one in use (in registry order) wins, the later ones stand down. */
enum class Rivals {
    none,
    idle_time,  ///< keyboard and mouse idleness
};

/** One line of the registry. */
struct PresenceEntry {
    PresenceFactory make;
    Rivals rivals = Rivals::none;
};

/** Every source limberd knows, in the order status lists them (src/daemon/PresenceSources.cpp). */
const std::vector<PresenceEntry>& presence_registry();

}  // namespace limber::daemon
