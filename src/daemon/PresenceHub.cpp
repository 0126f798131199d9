#include <limber/daemon/PresenceHub.hpp>

#include <algorithm>

namespace limber::daemon {

std::vector<bool> outranked(const std::vector<Rivals>& rivals, const std::vector<bool>& in_use) {
    std::vector<bool> out(rivals.size(), false);
    std::vector<Rivals> taken;  // the groups whose winner has been seen
    for (std::size_t i = 0; i < rivals.size(); ++i) {
        if (rivals[i] == Rivals::none) continue;
        const bool beaten = std::find(taken.begin(), taken.end(), rivals[i]) != taken.end();
        out[i] = beaten;
        if (!beaten && in_use.at(i)) taken.push_back(rivals[i]);
    }
    return out;
}

PresenceHub::PresenceHub(PresenceListener& listener, const std::vector<PresenceEntry>& registry)
    : listener_(listener), registry_(registry) {}

PresenceHub::~PresenceHub() { stop(); }

void PresenceHub::start(GDBusConnection* bus, core::Duration idle_after) {
    stop();
    PresenceContext context;
    context.bus = bus;
    context.idle_after = idle_after;
    context.report = [this](const Report& report) { listener_.on_report(report); };
    context.changed = [this] { on_changed(); };
    quiet_ = true;
    for (const auto& entry : registry_)
        if (auto source = entry.make(context)) sources_.push_back({std::move(source), entry.rivals});
    resolve();
    quiet_ = false;
}

void PresenceHub::stop() {
    quiet_ = true;
    while (!sources_.empty()) {
        // Out of the list before it ends, so that whatever it says meanwhile meets a consistent hub.
        auto last = std::move(sources_.back().source);
        sources_.pop_back();
        last.reset();
    }
    quiet_ = false;
}

std::vector<bool> PresenceHub::outranked_now() const {
    std::vector<Rivals> rivals;
    std::vector<bool> in_use;
    for (const auto& slot : sources_) {
        rivals.push_back(slot.rivals);
        in_use.push_back(slot.source->in_use());
    }
    return outranked(rivals, in_use);
}

void PresenceHub::resolve() {
    const auto down = outranked_now();
    for (std::size_t i = 0; i < sources_.size(); ++i)
        if (sources_[i].rivals != Rivals::none) sources_[i].source->set_enabled(!down[i]);
}

void PresenceHub::on_changed() {
    if (quiet_) return;
    resolve();
    listener_.on_sources_changed();
}

std::vector<std::string> PresenceHub::in_use() const {
    const auto down = outranked_now();
    std::vector<std::string> out;
    for (std::size_t i = 0; i < sources_.size(); ++i) {
        const auto& source = *sources_[i].source;
        if (!source.in_use() || down[i]) continue;
        for (auto& name : source.names()) out.push_back(std::move(name));
    }
    return out;
}

bool PresenceHub::known() const {
    return std::any_of(sources_.begin(), sources_.end(),
                       [](const Slot& slot) { return slot.source->tells_presence() && slot.source->in_use(); });
}

bool PresenceHub::settled() const {
    return std::all_of(sources_.begin(), sources_.end(), [](const Slot& slot) { return slot.source->settled(); });
}

core::Duration PresenceHub::slept() {
    core::Duration longest{};
    for (auto& slot : sources_) longest = std::max(longest, slot.source->slept());
    return longest;
}

void PresenceHub::set_idle_after(core::Duration idle_after) {
    for (auto& slot : sources_) slot.source->set_idle_after(idle_after);
}

}  // namespace limber::daemon
