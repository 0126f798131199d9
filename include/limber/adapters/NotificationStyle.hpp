#pragma once
// How a notice is presented on a given notification server: the urgency, the
// expiry and the hints that make it pop up and stay answerable there. Decided
// from the server's name (GetServerInformation), because what matters differs
// by server, not by capability: GNOME Shell shows no banner for low urgency and
// hides normal ones into its list (where a break cannot be answered) after a
// few seconds; the others (Plasma 5.27 too) show every urgency and honour an
// expiry of 0 (never). Pure: tested without a bus.

#include <limber/core/Scheduler.hpp>

#include <string_view>

namespace limber::adapters {

/** The notification servers limber knows apart; `other` gets the freedesktop defaults. */
enum class Server { gnome_shell, plasma, xfce, dunst, mako, notification_daemon, other };

/** The server of a GetServerInformation name ("gnome-shell", "Plasma", "Xfce Notify Daemon", ...). */
Server server_of(std::string_view name) noexcept;

/** What to send with a notice. */
struct NotificationStyle {
    core::Urgency urgency = core::Urgency::normal;
    int expire_ms = -1;      ///< -1 = the server's default; 0 = never expires
    bool resident = false;   ///< kept on screen when a button is pressed (the count-down replaces it)
    bool transient = false;  ///< notification-daemon says it expired (NotificationClosed 1) only for transient ones
};

/**
 * A notice's style on `server`: the profile's urgency, except that low becomes normal where low gets
 * no banner (GNOME Shell); a notice holding a break, which waits for an answer, never expires
 * (expire 0), and on GNOME Shell, which ignores expiry, it is critical: the only banner GNOME keeps up.
 * On notification-daemon a nudge is transient: that server keeps an expired notification for its tray
 * without a word (nd-queue.c), and sends NotificationClosed on expiry only for a transient one.
 */
NotificationStyle style_for(Server server, const core::Notice& notice) noexcept;

/**
 * Whether the server draws the `value` hint as a progress bar (the break count-down sends it there).
 * Not xfce4-notifyd: 0.7 draws a notification with `value` as its icon and a bar only, without its
 * title and text, so the time left would not be read.
 */
bool shows_progress(Server server) noexcept;

/**
 * Whether the server takes the `default` action as a click on the notification rather than drawing
 * it as a button. xfce4-notifyd 0.7 draws it as a second button (Done, Done, Snooze, Skip) and closes
 * the notification on a click, so it gets no `default`; the others (notification-daemon, GNOME,
 * Plasma, dunst, mako) leave it out of their buttons.
 */
bool takes_default_action(Server server) noexcept;

/**
 * Whether CloseNotification leaves a notification on screen there, so that limberd takes it down by
 * showing it once more with a short expiry instead: notification-daemon 3.20 forgets the notification
 * but leaves its bubble up (nd-queue.c: "withdraw currently showing bubbles" is a FIXME), and shows the
 * next one only once that bubble is gone.
 */
bool keeps_closed_on_screen(Server server) noexcept;

/** How long the last showing of a notification lasts where CloseNotification leaves it on screen. */
constexpr int take_down_ms = 100;

}  // namespace limber::adapters
