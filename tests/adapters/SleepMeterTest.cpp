// ClockWatch's parts: the suspend measurement behind slept() (the growth of CLOCK_BOOTTIME -
// CLOCK_MONOTONIC, with the two clocks scripted: each reading takes a little time, as real ones do),
// and the time-zone watch on a real file in a scratch directory.

#include <limber/adapters/ClockWatch.hpp>

#include <glib.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace std::chrono;
using limber::adapters::SleepMeter;
using limber::core::Duration;

namespace {

/** MONOTONIC runs while the machine is up; BOOTTIME also while it is suspended. */
struct FakeClocks {
    Duration up{hours(5)};           // CLOCK_MONOTONIC
    Duration suspended{minutes(3)};  // BOOTTIME - MONOTONIC so far (sleeps before limberd started)
    Duration per_read{microseconds(4)};
    int reads = 0;

    SleepMeter::Reader reader() {
        return [this](SleepMeter::Clock clock) {
            ++reads;
            const Duration value = clock == SleepMeter::Clock::boottime ? up + suspended : up;
            up += per_read;
            return value;
        };
    }
};

}  // namespace

TEST_CASE("time passing while awake is no sleep") {
    FakeClocks clocks;
    SleepMeter meter(clocks.reader());
    clocks.up += minutes(10);
    CHECK(meter.slept() == Duration::zero());
    clocks.up += hours(2);
    CHECK(meter.slept() == Duration::zero());
}

TEST_CASE("a suspend is measured once, to the microsecond") {
    FakeClocks clocks;
    SleepMeter meter(clocks.reader());
    clocks.up += seconds(20);
    clocks.suspended += minutes(47) + milliseconds(250);  // the lid closed over lunch
    clocks.up += seconds(3);
    CHECK(meter.slept() == minutes(47) + milliseconds(250));
    // Counted once: the next look starts from there.
    clocks.up += minutes(1);
    CHECK(meter.slept() == Duration::zero());
    // Two suspends between looks add up.
    clocks.suspended += seconds(30);
    clocks.up += seconds(5);
    clocks.suspended += seconds(12);
    CHECK(meter.slept() == seconds(42));
}

TEST_CASE("slow readings of the clocks are not taken for sleep") {
    FakeClocks clocks;
    clocks.per_read = milliseconds(5);  // a loaded machine: 5 ms between two readings at the first look
    SleepMeter meter(clocks.reader());
    CHECK(clocks.reads == 3);  // BOOTTIME, MONOTONIC, BOOTTIME: MONOTONIC against the middle of the two
    clocks.up += seconds(1);
    clocks.per_read = microseconds(2);  // and quick at the next: BOOTTIME read first alone would see 5 ms grow
    CHECK(meter.slept() == Duration::zero());
    clocks.per_read = milliseconds(8);
    CHECK(meter.slept() == Duration::zero());
}

TEST_CASE("below a millisecond is jitter, not sleep") {
    FakeClocks clocks;
    SleepMeter meter(clocks.reader());
    clocks.suspended += microseconds(900);
    CHECK(meter.slept() == Duration::zero());
    clocks.suspended += milliseconds(2);
    CHECK(meter.slept() == milliseconds(2));
}

TEST_CASE("the kernel's clocks: no sleep between two looks a moment apart") {
    SleepMeter meter;  // CLOCK_BOOTTIME and CLOCK_MONOTONIC
    CHECK(meter.slept() == Duration::zero());
}

// --- the time-zone file -------------------------------------------------------------------------------

#include <glib.h>

#include <unistd.h>
#include <cstdio>
#include <filesystem>
#include <fstream>

using limber::adapters::TimeZoneWatch;

namespace {

/** Runs the default main context until `done` or 5 s have passed; whether `done` came true. */
template <typename Condition>
bool spin_until(Condition done, milliseconds limit = seconds(5)) {
    const auto deadline = steady_clock::now() + limit;
    while (!done() && steady_clock::now() < deadline) g_main_context_iteration(nullptr, FALSE), g_usleep(1000);
    return done();
}

struct ZoneDir {
    std::filesystem::path dir;
    ZoneDir() {
        char name[] = "/tmp/limber-zone-XXXXXX";
        dir = ::mkdtemp(name);
    }
    ~ZoneDir() { std::filesystem::remove_all(dir); }
    std::string path() const { return (dir / "localtime").string(); }
    /** As timedatectl and ln -sf do: a new link renamed over the old one. */
    void relink(const std::string& target) const {
        const auto tmp = dir / ".localtime.new";
        std::filesystem::create_symlink(target, tmp);
        std::filesystem::rename(tmp, dir / "localtime");
    }
};

}  // namespace

TEST_CASE("The time-zone watch sees the file replaced, removed, created and written, and nothing else") {
    ZoneDir zone;
    std::filesystem::create_symlink("/usr/share/zoneinfo/Europe/Berlin", zone.dir / "localtime");
    int changes = 0;
    TimeZoneWatch watch(zone.path(), [&changes] { ++changes; });
    REQUIRE(watch.watching());

    // Other files in the directory: no wake-up at all (the whole of /etc was watched before).
    std::ofstream(zone.dir / "passwd") << "someone\n";
    std::filesystem::remove(zone.dir / "passwd");
    CHECK_FALSE(spin_until([&] { return changes > 0; }, milliseconds(200)));

    zone.relink("/usr/share/zoneinfo/Asia/Tokyo");
    REQUIRE(spin_until([&] { return changes >= 1; }));
    // The new link is watched in turn.
    const int after_first = changes;
    zone.relink("/usr/share/zoneinfo/America/New_York");
    REQUIRE(spin_until([&] { return changes > after_first; }));

    std::filesystem::remove(zone.dir / "localtime");
    const int after_removal = (spin_until([&] { return changes > after_first + 1; }), changes);
    CHECK(after_removal > after_first + 1);
    std::ofstream(zone.dir / "unrelated") << "x";
    CHECK_FALSE(spin_until([&] { return changes > after_removal; }, milliseconds(200)));
    // A time-zone file copied in place of a link (containers do this), then rewritten.
    std::ofstream(zone.dir / "localtime") << "TZif";
    REQUIRE(spin_until([&] { return changes > after_removal; }));
    const int after_create = changes;
    std::ofstream(zone.dir / "localtime", std::ios::trunc) << "TZif2";
    REQUIRE(spin_until([&] { return changes > after_create; }));
}
