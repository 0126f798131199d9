#pragma once
// Shows notices as freedesktop notifications through libnotify.
//
// libnotify's calls are synchronous (up to 25 s when a server hangs) and its
// proxy outlives a server restart, so every libnotify call runs on a worker
// thread with its own GLib main context, and the whole libnotify state is
// dropped when the server leaves the bus and rebuilt when one appears.
// While a call waits for a server that does not answer, what is posted queues;
// a queued notice whose reminders are all shown again or withdrawn later in the
// queue is dropped, so a server that answers again gets the latest of each.
//
// What is sent depends on the server (NotificationStyle.hpp): urgency, expiry,
// limber's icon by name and as image-path, and a `default` action (a click on
// the notification) that is Done. Done or a click on a notice holding a break
// starts the break's count-down (core::countdown) in the same notification,
// from one-shot timers on this thread that exist only while a break runs.

#include <limber/core/Notifier.hpp>

#include <memory>

namespace limber::adapters {

class DesktopNotifier final : public core::Notifier {
public:
    /**
     * `on_action` and `on_closed` are called on the thread that constructed the notifier, from its
     * thread-default GLib main context, never after the notifier is destroyed (destroy it on that
     * thread too). `on_closed` hears NotificationClosed of a notice still showing reminders: not
     * reason 3 (closed by limberd), not one replaced or withdrawn, not one whose button was pressed.
     */
    explicit DesktopNotifier(ActionHandler on_action, ClosedHandler on_closed = {});
    ~DesktopNotifier() override;
    DesktopNotifier(const DesktopNotifier&) = delete;
    DesktopNotifier& operator=(const DesktopNotifier&) = delete;

    void show(const core::Notice& notice) override;
    void withdraw(const std::string& name) override;

    struct Worker;

private:
    std::shared_ptr<const ActionHandler> on_action_;
    std::shared_ptr<const ClosedHandler> on_closed_;
    std::unique_ptr<Worker> worker_;
};

}  // namespace limber::adapters
