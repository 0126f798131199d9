#pragma once
// The presence sources as a whole: builds them from the registry, resolves
// which rival stands down (Mutter's idle monitor before the X11 idle time
// before KDE's), answers PresenceView, and hands every report and every
// change of sources to one PresenceListener. Pure: the sources do the I/O.

#include <limber/daemon/PresenceSource.hpp>
#include <limber/daemon/PresenceView.hpp>

#include <memory>
#include <string>
#include <vector>

namespace limber::daemon {

/**
 * Which sources stand down: those with a rival (the same Rivals, not none) before them, in
 * registry order, that is in use. `rivals` and `in_use` have one element per source.
 */
std::vector<bool> outranked(const std::vector<Rivals>& rivals, const std::vector<bool>& in_use);

class PresenceHub final : public PresenceView {
public:
    /** `registry`: the sources to build (tests give their own); it must outlive the hub. */
    explicit PresenceHub(PresenceListener& listener, const std::vector<PresenceEntry>& registry = presence_registry());
    ~PresenceHub() override;
    PresenceHub(const PresenceHub&) = delete;
    PresenceHub& operator=(const PresenceHub&) = delete;

    /**
     * Builds every source the registry lists that can be made (`bus` may be null), in registry order,
     * then stands down the outranked ones. Reports made meanwhile reach the listener; changes do not
     * (the caller asks what is in use once start returns).
     */
    void start(GDBusConnection* bus, core::Duration idle_after);
    /** Ends every source, last first. */
    void stop();

    std::vector<std::string> in_use() const override;
    bool known() const override;
    bool settled() const override;
    core::Duration slept() override;
    void set_idle_after(core::Duration idle_after) override;

private:
    struct Slot {
        std::unique_ptr<PresenceSource> source;
        Rivals rivals = Rivals::none;
    };
    std::vector<bool> outranked_now() const;
    void on_changed();
    void resolve();

    PresenceListener& listener_;
    const std::vector<PresenceEntry>& registry_;
    std::vector<Slot> sources_;
    bool quiet_ = false;  ///< starting or stopping: changes are not passed on
};

}  // namespace limber::daemon
