// The suspend measurement behind ClockWatch::slept(): the growth of CLOCK_BOOTTIME -
// CLOCK_MONOTONIC, with the two clocks scripted (each reading takes a little time, as real ones do).

#include <limber/adapters/ClockWatch.hpp>

#include <catch2/catch.hpp>

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
