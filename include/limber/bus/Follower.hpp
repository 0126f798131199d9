#pragma once
// Following limberd on the bus without polling, for whatever shows its state (`limberctl watch`,
// limber-tray): the owner of its bus name, its PropertiesChanged, and its Shown and Answered
// signals. Several signals of one change (PropertiesChanged and Shown) give one call, made from the
// main loop once it is idle; the caller then asks GetStatus itself. GLib's default main context.

#include <functional>

typedef struct _GDBusConnection GDBusConnection;

namespace limber::bus {

class Follower {
public:
    /** `running`: whether limberd owns its name now. */
    using Changed = std::function<void(bool running)>;

    /**
     * Subscribes on `connection` (borrowed: it must outlive this) and watches limberd's name; the first
     * call of `changed` comes from the main loop soon after (appeared or vanished is reported at once).
     */
    Follower(GDBusConnection* connection, Changed changed);
    ~Follower();
    Follower(const Follower&) = delete;
    Follower& operator=(const Follower&) = delete;

    /** Whether limberd owned its name at the last report. */
    bool running() const noexcept { return running_; }

private:
    void changed_soon();

    GDBusConnection* connection_;
    Changed changed_;
    unsigned subscriptions_[3] = {0, 0, 0};
    unsigned name_watch_ = 0;
    unsigned idle_ = 0;
    bool running_ = false;
};

}  // namespace limber::bus
