#include <limber/adapters/DeadlineTimer.hpp>

#include "GLibHelpers.hpp"

namespace limber::adapters {

struct DeadlineTimer::Source {
    GSource base;
    DeadlineTimer* owner;
};

namespace {
GSourceFuncs deadline_funcs{nullptr, nullptr, nullptr, nullptr, nullptr, nullptr};
}  // namespace

gboolean DeadlineTimer::dispatch(GSource* source, GSourceFunc, gpointer) {
    auto* self = reinterpret_cast<Source*>(source)->owner;
    g_source_set_ready_time(source, -1);
    guarded("the deadline timer", [self] { self->on_fire_(); });
    return G_SOURCE_CONTINUE;
}

DeadlineTimer::DeadlineTimer(std::function<void()> on_fire) : on_fire_(std::move(on_fire)) {
    deadline_funcs.dispatch = &DeadlineTimer::dispatch;
    source_ = reinterpret_cast<Source*>(g_source_new(&deadline_funcs, sizeof(Source)));
    source_->owner = this;
    g_source_set_name(&source_->base, "limber deadline");
    g_source_set_ready_time(&source_->base, -1);
    g_source_attach(&source_->base, g_main_context_get_thread_default());
}

DeadlineTimer::~DeadlineTimer() {
    g_source_destroy(&source_->base);
    g_source_unref(&source_->base);
}

void DeadlineTimer::arm(std::optional<core::Instant> at) {
    // g_source_set_ready_time takes g_get_monotonic_time() microseconds: CLOCK_MONOTONIC, like steady_clock.
    const gint64 ready = at ? std::max<gint64>(0, at->time_since_epoch().count()) : -1;
    g_source_set_ready_time(&source_->base, ready);
}

}  // namespace limber::adapters
