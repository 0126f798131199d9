"""limberd's X11 idle source (MIT-SCREEN-SAVER, XSync IDLETIME alarm) on
Xvfb, with real input synthesised through XTest (xdotool): idle after
idle_after without input, back at the first input, never idle while the
pointer keeps moving, and no polling while present."""

import os
import shutil
import time
import unittest

from presence_harness import NUDGE_PROFILE, PresenceTestCase

PROFILE = NUDGE_PROFILE.replace('every = "4s"', 'every = "30s"')


@unittest.skipUnless(shutil.which("xdotool"), "xdotool is not installed (scripts/setup-debian.sh --test)")
class X11IdleTest(PresenceTestCase):

    def setUp(self):
        super().setUp()
        self.start_bus()
        self.dunst = self.start_dunst()
        self.env["DISPLAY"] = self.dunst.display
        self.x = 0

    def touch(self):
        """Real input: the pointer moves (XTest), as if the person did it."""
        self.x = (self.x + 7) % 700
        res = os.system("DISPLAY=%s xdotool mousemove %d %d" % (self.dunst.display, 50 + self.x, 50))
        self.assertEqual(res, 0, "xdotool failed")

    def test_idle_then_back_on_input(self):
        self.touch()
        limberd = self.start_limberd(self.write_profile(PROFILE))
        self.wait_ready(limberd)
        s = self.status()
        self.assertIn("x11-idle", s["presence"]["sources"])
        self.assertFalse(s["presence"]["idle"])
        mark = limberd.mark()
        # The last input is this one (the clock read before it, so `waited` is never short of the
        # real idle time; earlier status calls are not input): no input for idle_after (2 s): away.
        touched = time.monotonic()
        self.touch()
        line = limberd.wait_line(r"away \(x11-idle\)", since=mark, timeout=6)[0]
        waited = time.monotonic() - touched
        self.assertGreaterEqual(waited, 1.9, "idle before idle_after: " + line.text)
        self.assertLess(waited, 4.0, "idle noticed late (%.1f s after the last input)" % waited)
        s = self.status()
        self.assertEqual(s["state"], "away")
        self.assertEqual(s["presence"]["reasons"], ["idle"])
        time.sleep(0.5)  # away a little longer than idle_after in all
        mark = limberd.mark()
        touched = time.monotonic()
        self.touch()
        limberd.wait_line(r"back \(x11-idle\)", since=mark, timeout=3)
        self.assertLess(time.monotonic() - touched, 1.5, "the return noticed through the alarm, not a poll")
        # Idle since the last input (back-dated), so longer than idle_after: the nudge's break.
        limberd.wait_line(r"posture: natural", since=mark)
        self.assertEqual(self.status()["state"], "active")

    def test_never_idle_while_input_continues(self):
        self.touch()
        limberd = self.start_limberd(self.write_profile(PROFILE))
        self.wait_ready(limberd)
        mark = limberd.mark()
        end = time.monotonic() + 6
        while time.monotonic() < end:
            self.touch()
            time.sleep(0.4)
        self.assertEqual(limberd.matching(r"away \(x11-idle\)", since=mark), [], limberd.report())
        self.assertEqual(self.status()["state"], "active")
        # ...and it does become idle once the input stops.
        limberd.wait_line(r"away \(x11-idle\)", since=mark, timeout=5)

    def test_x_server_going_away_is_survived(self):
        self.touch()
        limberd = self.start_limberd(self.write_profile(PROFILE))
        self.wait_ready(limberd)
        self.assertIn("x11-idle", self.status()["presence"]["sources"])
        mark = limberd.mark()
        self.dunst.xvfb.stop()  # dunst goes with it
        limberd.wait_line(r"the X server went away", since=mark)
        self.assert_alive(limberd, "after its X server went away")
        # ...and idles: no loop on the closed connection.
        cpu = self.cpu_seconds(limberd)
        time.sleep(1.5)
        self.assertLess(self.cpu_seconds(limberd) - cpu, 0.1, "limberd spins after its X server went away")
        s = self.wait_status(lambda s: "x11-idle" not in s["presence"]["sources"], "x11-idle dropped", limberd)
        self.assertEqual(s["state"], "active")

    def test_mutter_takes_over(self):
        # With Mutter's idle monitor on the bus the X11 timer is stopped.
        self.start_mutter()
        self.touch()
        limberd = self.start_limberd(self.write_profile(PROFILE))
        self.wait_ready(limberd)
        s = self.wait_status(lambda s: "mutter-idle" in s["presence"]["sources"], "mutter-idle in use", limberd)
        self.assertNotIn("x11-idle", s["presence"]["sources"])
        mark = limberd.mark()
        time.sleep(3)  # longer than idle_after without input: X11 would say idle
        self.assertEqual(limberd.matching(r"away \(x11-idle\)", since=mark), [], limberd.report())


if __name__ == "__main__":
    unittest.main()
