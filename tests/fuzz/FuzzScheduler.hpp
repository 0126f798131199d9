#pragma once
// What fuzz_bus and fuzz_state share: a real core::Scheduler on tests/FakeClock.hpp, a listener
// that counts showings, and the check that turns a broken promise into a libFuzzer finding.

#include <limber/core/Checked.hpp>
#include <limber/core/Scheduler.hpp>

#include "FakeClock.hpp"

#include <cstdlib>
#include <initializer_list>
#include <string>

namespace limber::fuzz {

/** A promise broken: abort, so libFuzzer keeps the input. */
inline void check(bool ok) {
    if (!ok) std::abort();
}

struct Quiet final : core::SchedulerListener {
    int shows = 0;
    void on_show(const core::Notice&) override { ++shows; }
    void on_outcome(const std::string&, core::Outcome, bool) override {}
};

/** Reminders of these names, every 20 minutes, no snooze limit. */
inline core::Profile profile(std::initializer_list<const char*> names) {
    core::Profile p;
    p.general.max_snoozes = 0;
    for (const char* name : names) {
        core::Reminder r;
        r.name = name;
        r.every = std::chrono::minutes(20);
        r.title = name;
        p.reminders.push_back(r);
    }
    return p;
}

/** The next deadline, if any, is ahead of now (else limberd busy-loops) and within the longest duration. */
inline void check_deadline(const core::Scheduler& s, const test::FakeClock& clock) {
    if (const auto at = s.next_deadline()) {
        check(*at > clock.now());
        check(*at - clock.now() <= core::longest_duration);
    }
}

}  // namespace limber::fuzz
