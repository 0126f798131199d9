#pragma once
// The desktop's do-not-disturb, where it can be read: dunst's "paused"
// (org.dunstproject.cmd0) or KDE's "Inhibited" property on the notification
// server, and GNOME's org.gnome.desktop.notifications show-banners setting.
// Every source is followed through change signals; none is polled.

#include <gio/gio.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace limber::adapters {

class DndWatch {
public:
    /** `on_dnd(source, on)`: one source's do-not-disturb changed; `on_sources` when a source came or went. */
    DndWatch(GDBusConnection* bus, std::function<void(const char* source, bool on)> on_dnd,
             std::function<void()> on_sources);
    ~DndWatch();
    DndWatch(const DndWatch&) = delete;
    DndWatch& operator=(const DndWatch&) = delete;

    /** The sources being followed now: "dunst", "kde-notifications", "gnome-notifications". */
    std::vector<std::string> sources() const;
    /** The notification server (if any) has been asked what it offers. */
    bool settled() const noexcept { return settled_; }

    struct Impl;

private:
    enum class Server { none, dunst, kde };
    void on_server(const std::string& owner);
    void probe(Server which);
    void set_server_dnd(bool on);
    void settle();
    void set_gnome_dnd(bool on);

    std::function<void(const char*, bool)> on_dnd_;
    std::function<void()> on_sources_;
    std::unique_ptr<Impl> impl_;
    std::string owner_;
    Server server_ = Server::none;
    bool server_dnd_ = false;
    bool gnome_dnd_ = false;
    bool settled_ = false;
};

}  // namespace limber::adapters
