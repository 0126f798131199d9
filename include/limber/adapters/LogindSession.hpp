#pragma once
// systemd-logind on the system bus: this session's lock and idle hints, and
// the machine going to sleep and waking up. Holds a "delay" sleep inhibitor
// so that limberd's state is written before the machine sleeps.

#include <limber/core/Time.hpp>
#include <limber/daemon/PresenceSource.hpp>

#include <gio/gio.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace limber::adapters {

/**
 * The source "logind": reports locked (LockedHint), idle (IdleHint, with IdleSinceHintMonotonic)
 * and asleep (PrepareForSleep: on = about to sleep, and the report must save everything before it
 * returns, the delay inhibitor is released right after; off = woke up).
 */
class LogindSession final : public daemon::PresenceSource {
public:
    /** Connects to logind and finds this session; nullptr (logged at debug) where there is none. */
    static std::unique_ptr<daemon::PresenceSource> make(const daemon::PresenceContext& context);
    ~LogindSession() override;
    LogindSession(const LogindSession&) = delete;
    LogindSession& operator=(const LogindSession&) = delete;

    std::string name() const override { return "logind"; }
    /** Made only where there is a session: always. */
    bool in_use() const override { return true; }
    bool tells_presence() const override { return true; }

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

    void report(daemon::Signal signal, bool on, std::optional<core::Instant> since = std::nullopt);

    daemon::PresenceContext context_;
    std::unique_ptr<Impl> impl_;
    std::string session_path_;
    bool locked_ = false;
    bool idle_ = false;
    int inhibitor_fd_ = -1;
};

}  // namespace limber::adapters
