#pragma once
// Several sources can say the same thing (logind's LockedHint and the
// screen saver both say "locked"): the board keeps who says what, so that a
// reason holds while any source holds it, and ends when the last one lets go.

#include <limber/core/Scheduler.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace limber::daemon {

class PresenceBoard {
public:
    /** `source` says `reason` holds (or not); true when the combined answer changed. */
    bool set_away(const std::string& source, core::Away reason, bool away);
    /** `source` says do-not-disturb is on (or not); true when the combined answer changed. */
    bool set_dnd(const std::string& source, bool on);

    bool away(core::Away reason) const { return !holders(reason).empty(); }
    bool any_away() const;
    bool dnd() const { return !dnd_.empty(); }
    /** The sources holding `reason`, sorted. */
    const std::set<std::string>& holders(core::Away reason) const;
    const std::set<std::string>& dnd_holders() const { return dnd_; }

private:
    std::map<core::Away, std::set<std::string>> away_;
    std::set<std::string> dnd_;
};

}  // namespace limber::daemon
