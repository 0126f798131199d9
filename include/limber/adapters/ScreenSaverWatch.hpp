#pragma once
// A screen saver on the session bus (org.gnome.ScreenSaver or
// org.freedesktop.ScreenSaver): whether it is active, i.e. the screen is
// blanked or locked. Follows the name as it comes and goes.

#include <gio/gio.h>

#include <functional>
#include <memory>
#include <string>

namespace limber::adapters {

class ScreenSaverWatch {
public:
    /** Which screen saver interface to follow. */
    enum class Flavour { gnome, freedesktop };

    /**
     * `on_active` gets each change (false when the screen saver leaves the bus);
     * `on_present` tells whether the name is on the bus.
     */
    ScreenSaverWatch(GDBusConnection* bus, Flavour flavour, std::function<void(bool active)> on_active,
                     std::function<void(bool present)> on_present);
    ~ScreenSaverWatch();
    ScreenSaverWatch(const ScreenSaverWatch&) = delete;
    ScreenSaverWatch& operator=(const ScreenSaverWatch&) = delete;

    bool present() const noexcept { return !owner_.empty(); }
    /** The first answer is in (absent, or present and its state read): `on_present` was called. */
    bool settled() const noexcept { return settled_; }
    bool active() const noexcept { return active_; }
    /** "gnome-screensaver" or "freedesktop-screensaver": the source's name in status. */
    const char* source_name() const noexcept;

    struct Impl;

private:
    void on_owner(const std::string& owner);
    void set_active(bool active);

    Flavour flavour_;
    std::function<void(bool)> on_active_;
    std::function<void(bool)> on_present_;
    std::unique_ptr<Impl> impl_;
    std::string owner_;
    bool active_ = false;
    bool settled_ = false;
};

}  // namespace limber::adapters
