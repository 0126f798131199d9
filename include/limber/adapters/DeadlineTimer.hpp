#pragma once
// One GLib source armed for the next deadline: the daemon never ticks.

#include <limber/core/Time.hpp>

#include <glib.h>

#include <functional>
#include <optional>

namespace limber::adapters {

class DeadlineTimer {
public:
    /** `on_fire` runs on the thread-default main context when the deadline passes. */
    explicit DeadlineTimer(std::function<void()> on_fire);
    ~DeadlineTimer();
    DeadlineTimer(const DeadlineTimer&) = delete;
    DeadlineTimer& operator=(const DeadlineTimer&) = delete;

    /** Arms for `at` (a CLOCK_MONOTONIC instant), or disarms when empty. */
    void arm(std::optional<core::Instant> at);

private:
    static gboolean dispatch(GSource* source, GSourceFunc, gpointer);
    struct Source;
    Source* source_;
    std::function<void()> on_fire_;
};

}  // namespace limber::adapters
