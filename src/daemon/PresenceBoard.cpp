#include <limber/daemon/PresenceBoard.hpp>

namespace limber::daemon {

bool PresenceBoard::set_away(const std::string& source, core::Away reason, bool away) {
    auto& who = away_[reason];
    const bool before = !who.empty();
    if (away) who.insert(source);
    else who.erase(source);
    return before != !who.empty();
}

bool PresenceBoard::set_dnd(const std::string& source, bool on) {
    const bool before = !dnd_.empty();
    if (on) dnd_.insert(source);
    else dnd_.erase(source);
    return before != !dnd_.empty();
}

std::vector<core::Away> PresenceBoard::forget(const std::string& source, bool* dnd_ended) {
    std::vector<core::Away> ended;
    for (auto& [reason, who] : away_)
        if (who.erase(source) > 0 && who.empty()) ended.push_back(reason);
    const bool dnd_was = !dnd_.empty();
    dnd_.erase(source);
    if (dnd_ended != nullptr) *dnd_ended = dnd_was && dnd_.empty();
    return ended;
}

bool PresenceBoard::any_away() const {
    for (const auto& [reason, who] : away_)
        if (!who.empty()) return true;
    return false;
}

const std::set<std::string>& PresenceBoard::holders(core::Away reason) const {
    static const std::set<std::string> none;
    const auto it = away_.find(reason);
    return it == away_.end() ? none : it->second;
}

}  // namespace limber::daemon
