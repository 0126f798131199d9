#pragma once
// systemd-logind on the system bus: this session's lock and idle hints, and
// the machine going to sleep and waking up. Holds a "delay" sleep inhibitor
// so that limberd's state is written before the machine sleeps.

#include <limber/core/Time.hpp>

#include <gio/gio.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace limber::adapters {

class LogindSession {
public:
    struct Events {
        /** the session was locked (true) or unlocked */
        std::function<void(bool locked)> locked;
        /** the session became idle (`since`: when, on CLOCK_MONOTONIC) or active again */
        std::function<void(bool idle, std::optional<core::Instant> since)> idle;
        /**
         * true: the machine is about to sleep; save everything before returning (the delay
         * inhibitor is released right after). false: it woke up.
         */
        std::function<void(bool sleeping)> sleep;
    };

    /** Connects to logind and finds this session; nullptr (logged at debug) where there is none. */
    static std::unique_ptr<LogindSession> connect(Events events);
    ~LogindSession();
    LogindSession(const LogindSession&) = delete;
    LogindSession& operator=(const LogindSession&) = delete;

    /** The session's object path, e.g. /org/freedesktop/login1/session/_32. */
    const std::string& session() const noexcept { return session_path_; }
    bool locked() const noexcept { return locked_; }
    bool idle() const noexcept { return idle_; }

    struct Impl;

private:
    LogindSession() = default;
    void on_session_changed(GVariant* changed);
    void on_prepare_for_sleep(bool sleeping);
    void take_inhibitor();
    void release_inhibitor();

    Events events_;
    std::unique_ptr<Impl> impl_;
    std::string session_path_;
    bool locked_ = false;
    bool idle_ = false;
    int inhibitor_fd_ = -1;
};

}  // namespace limber::adapters
