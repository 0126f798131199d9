#pragma once
// The port through which the daemon shows the scheduler's notices. The core
// owns the interface; adapters (libnotify) implement it.

#include <limber/core/Scheduler.hpp>

#include <functional>
#include <string>
#include <vector>

namespace limber::core {

/** Raises and withdraws notices on the desktop. */
class Notifier {
public:
    /** A button was pressed on the notice holding these reminders. */
    using ActionHandler = std::function<void(const std::vector<std::string>& names, Answer answer)>;
    /**
     * The notice holding these reminders left the screen without a button: it expired, or the person
     * closed it. Never for a notice limberd itself replaced or withdrew, nor after a button press.
     */
    using ClosedHandler = std::function<void(const std::vector<std::string>& names, CloseReason reason)>;

    virtual ~Notifier() = default;
    /** Raise a notice; a reminder already on screen is replaced, not stacked. */
    virtual void show(const Notice& notice) = 0;
    /** Take reminder `name` off the screen, if it is there. */
    virtual void withdraw(const std::string& name) = 0;
};

}  // namespace limber::core
