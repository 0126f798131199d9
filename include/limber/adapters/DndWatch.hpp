#pragma once
// The desktop's do-not-disturb, where it can be read: dunst's "paused"
// (org.dunstproject.cmd0) or KDE's "Inhibited" property on the notification
// server, and GNOME's org.gnome.desktop.notifications show-banners setting.
// Every source is followed through change signals; none is polled.

#include <limber/daemon/PresenceSource.hpp>

#include <gio/gio.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace limber::adapters {

/**
 * The source "dnd": reports dnd under the name of each switch it follows ("dunst",
 * "kde-notifications", "gnome-notifications"); in use while it follows one.
 */
class DndWatch final : public daemon::PresenceSource {
public:
    /** nullptr without a session bus. */
    static std::unique_ptr<daemon::PresenceSource> make(const daemon::PresenceContext& context);
    explicit DndWatch(const daemon::PresenceContext& context);
    ~DndWatch() override;
    DndWatch(const DndWatch&) = delete;
    DndWatch& operator=(const DndWatch&) = delete;

    std::string name() const override { return "dnd"; }
    bool in_use() const override { return !names().empty(); }
    /** The switches being followed now: "dunst", "kde-notifications", "gnome-notifications". */
    std::vector<std::string> names() const override;
    /** The notification server (if any) has been asked what it offers. */
    bool settled() const override { return settled_; }
    bool tells_presence() const override { return false; }

    struct Impl;

private:
    enum class Server { none, dunst, kde };
    void on_server(const std::string& owner);
    void probe(Server which);
    void set_server_dnd(bool on);
    void settle();
    void set_gnome_dnd(bool on);

    void report(const char* source, bool on);

    daemon::PresenceContext context_;
    std::unique_ptr<Impl> impl_;
    std::string owner_;
    Server server_ = Server::none;
    bool server_dnd_ = false;
    bool gnome_dnd_ = false;
    bool settled_ = false;
};

}  // namespace limber::adapters
