#include <limber/adapters/NotificationStyle.hpp>

namespace limber::adapters {

Server server_of(std::string_view name) noexcept {
    if (name == "gnome-shell") return Server::gnome_shell;
    if (name == "Plasma") return Server::plasma;
    if (name == "Xfce Notify Daemon") return Server::xfce;
    if (name == "dunst") return Server::dunst;
    if (name == "mako") return Server::mako;
    if (name == "Notification Daemon") return Server::notification_daemon;
    return Server::other;
}

NotificationStyle style_for(Server server, const core::Notice& notice) noexcept {
    NotificationStyle style;
    style.urgency = notice.urgency;
    // GNOME Shell shows no banner for low. Plasma 5.27 pops low up as any other (tests/e2e/test_plasma.py),
    // so there the profile's urgency stands.
    if (server == Server::gnome_shell && style.urgency == core::Urgency::low) style.urgency = core::Urgency::normal;
    if (notice.length > core::Duration::zero()) {
        style.resident = true;
        if (server == Server::gnome_shell)
            style.urgency = core::Urgency::critical;
        else
            style.expire_ms = 0;
    } else if (server == Server::notification_daemon) {
        style.transient = true;
    }
    return style;
}

bool shows_progress(Server server) noexcept {
    switch (server) {
        case Server::dunst:
        case Server::mako:
            return true;
        case Server::xfce:
        case Server::gnome_shell:
        case Server::plasma:
        case Server::notification_daemon:
        case Server::other:
            break;
    }
    return false;
}

bool takes_default_action(Server server) noexcept { return server != Server::xfce; }

bool keeps_closed_on_screen(Server server) noexcept { return server == Server::notification_daemon; }

}  // namespace limber::adapters
