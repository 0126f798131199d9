// libFuzzer target: any bytes as a state file, through StateStore::parse (what limberd reads at
// start) and, when taken, into a real core::Scheduler's restore, as Daemon and Application do.
//
// Checked: parse either throws a std::exception (limberd then sets the file aside with one
// warning) or returns values inside the ranges a state file may hold; restoring them leaves no
// deadline at or before now (limberd would busy-loop at 100 % CPU, again after every restart)
// and none past the longest duration; and what is saved again parses to the same values.
#include <limber/adapters/StateStore.hpp>

#include "FuzzScheduler.hpp"

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string>

using namespace limber;
using fuzz::check;
using namespace std::chrono_literals;

namespace {

constexpr std::int64_t now_s = 1'800'000'000;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    adapters::StateStore::Loaded loaded;
    try {
        loaded = adapters::StateStore::parse(text, now_s, "2027-01-15");
    } catch (const std::exception&) {
        return 0;  // set aside with one warning
    }
    check(loaded.down_for >= core::Duration::zero() && loaded.down_for <= core::longest_duration);
    if (loaded.snapshot.pause_left)
        check(*loaded.snapshot.pause_left >= core::Duration::zero() &&
              *loaded.snapshot.pause_left <= core::longest_duration);
    for (const auto& c : loaded.snapshot.clocks)
        check(c.elapsed >= core::Duration::zero() && c.target >= core::Duration::zero() && c.snoozes >= 0);

    for (const bool stopped : {true, false}) {
        test::FakeClock clock;
        fuzz::Quiet quiet;
        core::Scheduler scheduler(clock, fuzz::profile({"posture", "water", "eyes"}), quiet);
        scheduler.restore(loaded.snapshot, loaded.down_for, stopped);
        // Whatever restore showed (an overdue reminder, once), what comes next is ahead and finite.
        fuzz::check_deadline(scheduler, clock);
        // Saved again and read back: the same, so a restart never compounds a value.
        const auto again = scheduler.snapshot();
        const auto reread = adapters::StateStore::parse(adapters::StateStore::serialize(again, now_s, "2027-01-15"),
                                                        now_s, "2027-01-15");
        check(reread.snapshot.clocks.size() == again.clocks.size());
        for (std::size_t i = 0; i < again.clocks.size(); ++i)
            check(reread.snapshot.clocks[i].elapsed == again.clocks[i].elapsed &&
                  reread.snapshot.clocks[i].target == again.clocks[i].target);
        check(reread.snapshot.pause_left == again.pause_left);
    }
    return 0;
}
