#pragma once
// A screen saver on the session bus (org.gnome.ScreenSaver or
// org.freedesktop.ScreenSaver): whether it is active, i.e. the screen is
// blanked or locked. Follows the name as it comes and goes.

#include <limber/daemon/PresenceSource.hpp>

#include <gio/gio.h>

#include <functional>
#include <memory>
#include <string>

namespace limber::adapters {

/**
 * The sources "gnome-screensaver" and "freedesktop-screensaver": report locked while the screen
 * saver is active (off when it leaves the bus); in use while the name is on the bus.
 */
class ScreenSaverWatch final : public daemon::PresenceSource {
public:
    /** Which screen saver interface to follow. */
    enum class Flavour { gnome, freedesktop };

    /** org.gnome.ScreenSaver; nullptr without a session bus. */
    static std::unique_ptr<daemon::PresenceSource> gnome(const daemon::PresenceContext& context);
    /** org.freedesktop.ScreenSaver; nullptr without a session bus. */
    static std::unique_ptr<daemon::PresenceSource> freedesktop(const daemon::PresenceContext& context);
    ScreenSaverWatch(const daemon::PresenceContext& context, Flavour flavour);
    ~ScreenSaverWatch() override;
    ScreenSaverWatch(const ScreenSaverWatch&) = delete;
    ScreenSaverWatch& operator=(const ScreenSaverWatch&) = delete;

    /** "gnome-screensaver" or "freedesktop-screensaver". */
    std::string name() const override;
    /** The name is on the bus. */
    bool in_use() const override { return !owner_.empty(); }
    /** The first answer is in (absent, or present and its state read): `changed` was called. */
    bool settled() const override { return settled_; }
    bool tells_presence() const override { return true; }
    bool active() const noexcept { return active_; }

    struct Impl;

private:
    void on_owner(const std::string& owner);
    void set_active(bool active);

    Flavour flavour_;
    daemon::PresenceContext context_;
    std::unique_ptr<Impl> impl_;
    std::string owner_;
    bool active_ = false;
    bool settled_ = false;
};

}  // namespace limber::adapters
