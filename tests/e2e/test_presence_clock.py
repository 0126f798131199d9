"""A wall-clock step reaches limberd: the kernel cancels its TFD_TIMER_CANCEL_ON_SET
timerfd on every clock_settime, limberd notices, re-reads active hours, and the
reminder clocks (present time, on the monotonic clock) do not move.

The step is real, so this needs CAP_SYS_TIME (root in CI containers) and is
skipped otherwise. It sets CLOCK_REALTIME to the time it reads a moment
before: a step of a few microseconds backwards, which still counts as the
clock being set (the kernel cancels such timers on any settime, whatever the
size of the step). The machine's clock is never moved by more than that."""

import time
import unittest

from presence_harness import PresenceTestCase

PROFILE = """\
[general]
idle_after = "1h"

[reminders.posture]
kind = "posture"
every = "1h"
title = "Posture"
message = "Sit tall"
"""


def may_set_clock():
    try:
        time.clock_settime_ns(time.CLOCK_REALTIME, time.clock_gettime_ns(time.CLOCK_REALTIME))
        return True
    except PermissionError:
        return False


def step_clock_by_zero():
    """Sets the wall clock to what it reads now: a step of microseconds."""
    time.clock_settime_ns(time.CLOCK_REALTIME, time.clock_gettime_ns(time.CLOCK_REALTIME))


@unittest.skipUnless(may_set_clock(), "setting CLOCK_REALTIME needs CAP_SYS_TIME")
class WallClockStepTest(PresenceTestCase):

    def setUp(self):
        super().setUp()
        self.start_bus()
        self.start_mock_server()

    def due_in(self):
        return self.status()["reminders"][0]["due_in"], time.monotonic()

    def test_clock_step_is_noticed_and_clocks_do_not_move(self):
        limberd = self.start_limberd(self.write_profile(PROFILE), args=("--log-level", "debug"))
        self.wait_ready(limberd)
        self.wait_status(lambda s: "clock" in s["presence"]["sources"], "the clock watch in use", limberd)
        # Some present time on the clock first, so that a reset (back to 1h) would show.
        self.wait_status(lambda s: s["reminders"][0]["due_in"] <= 3600 - 2, "2 s of present time", limberd)
        before, t0 = self.due_in()
        for n in range(1, 3):  # twice: the timer is armed again after each cancel
            mark = limberd.mark()
            step_clock_by_zero()
            limberd.wait_line(r"clock: the wall clock was set", since=mark)
            limberd.wait_line(r"the wall clock or time zone changed; active hours follow it", since=mark)
            self.assertEqual(limberd.matching(r"the machine slept", since=mark), [],
                             "a clock step is not a suspend")
        after, t1 = self.due_in()
        # Present time kept running through the steps, neither reset nor moved (whole seconds).
        self.assertAlmostEqual(before - after, t1 - t0, delta=1.5,
                               msg="due_in went %d -> %d over %.1f s" % (before, after, t1 - t0))
        self.assertEqual(self.status()["state"], "active")
        self.assert_alive(limberd)


if __name__ == "__main__":
    unittest.main()
