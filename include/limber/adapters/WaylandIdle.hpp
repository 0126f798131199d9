#pragma once
// Keyboard and mouse idleness from a Wayland compositor (sway, Hyprland, river, labwc, Wayfire,
// niri, KWin...): ext-idle-notify-v1 where offered (version 2's input-only notification when
// offered, so a video's idle inhibitor does not hide that the person left), else KDE's
// org_kde_kwin_idle (what sway 1.7 / wlroots 0.15 offer).
//
// Wake-ups: none of its own. One notification is armed at idle_after; the compositor sends
// idled, then resumed at the first input, on the Wayland socket that a GLib source watches.
// The compositor going away ends the source (it says so once); limberd goes on without it.

#include <limber/core/Time.hpp>
#include <limber/daemon/PresenceSource.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace limber::adapters {

/** Which idle protocol to use, given what the compositor offers. Pure. */
enum class WaylandIdleProtocol {
    none,
    ext_input,  ///< ext_idle_notifier_v1 version 2: get_input_idle_notification
    ext,        ///< ext_idle_notifier_v1 version 1: get_idle_notification
    kde,        ///< org_kde_kwin_idle: get_idle_timeout
};
/** ext_version: the ext_idle_notifier_v1 version offered (0: none); kde: org_kde_kwin_idle is offered. */
WaylandIdleProtocol choose_wayland_idle(std::uint32_t ext_version, bool kde) noexcept;
/** "ext-idle-notify-v1 (input)", "ext-idle-notify-v1", "org_kde_kwin_idle" or "none". */
const char* wayland_idle_name(WaylandIdleProtocol protocol) noexcept;

/** The source "wayland-idle": reports idle (since = when input stopped) and back; in use until the compositor goes
 * away. */
class WaylandIdle final : public daemon::PresenceSource {
public:
    /** Connects to $WAYLAND_DISPLAY; nullptr (logged at debug) without one, or when it offers neither protocol. */
    static std::unique_ptr<daemon::PresenceSource> make(const daemon::PresenceContext& context);
    ~WaylandIdle() override;
    WaylandIdle(const WaylandIdle&) = delete;
    WaylandIdle& operator=(const WaylandIdle&) = delete;

    std::string name() const override { return "wayland-idle"; }
    /** False once the compositor has gone away. */
    bool in_use() const override;
    bool tells_presence() const override { return true; }
    /** A new idle_after: the notification is armed again (while idle, at the next resume). */
    void set_idle_after(core::Duration idle_after) override;
    /** Drops the notification (a rival before it answers) or arms it again. */
    void set_enabled(bool enabled) override;

    struct Impl;

private:
    WaylandIdle() = default;
    void arm();
    void disarm();
    void on_idled();
    void on_resumed();
    void on_socket(bool hung_up);
    void tear_down();
    void report(bool idle, std::optional<core::Instant> since);

    std::unique_ptr<Impl> impl_;
    core::Duration idle_after_{};
    core::Duration armed_for_{};  // the timeout of the notification armed now
    daemon::PresenceContext context_;
    bool idle_ = false;
    bool enabled_ = true;
};

}  // namespace limber::adapters
