#include <limber/daemon/PresenceBoard.hpp>

namespace limber::daemon {

bool PresenceBoard::set_away(const std::string& source, core::Away reason, bool away) {
    auto& who = away_[reason];
    const bool before = !who.empty();
    if (away)
        who.insert(source);
    else
        who.erase(source);
    return before != !who.empty();
}

bool PresenceBoard::set_dnd(const std::string& source, bool on) {
    const bool before = !dnd_.empty();
    if (on)
        dnd_.insert(source);
    else
        dnd_.erase(source);
    return before != !dnd_.empty();
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
