"""limberd's Wayland idle source on a real headless sway 1.7 (wlroots 0.15), which offers KDE's
org_kde_kwin_idle and not ext-idle-notify-v1: away once nothing happened on the seat for
idle_after, back at the next input, injected as sway's own `seat - cursor` command (what a
pointer's motion does: it goes through the seat's idle notification). As root the session runs
as an ordinary user (desktop.py). The ext-idle-notify-v1 path is test_presence_wayland.py."""

import json
import shutil
import time
import unittest

from harness import wait_until
from presence_harness import NUDGE_PROFILE
from sway_harness import SwayTestCase

PROFILE = NUDGE_PROFILE.replace('every = "4s"', 'every = "30s"')


@unittest.skipUnless(shutil.which("sway") and shutil.which("swaymsg"), "needs sway (Debian: sway)")
class SwayIdleTest(SwayTestCase):
    def status(self):
        return json.loads(self.ctl_ok("--json", "status"))

    def touch(self):
        """Input on sway's seat: the pointer moves."""
        self.swaymsg("seat", "-", "cursor", "move", "5", "5")

    def test_idle_then_back_on_input(self):
        self.start_user_bus()
        self.start_sway()
        limberd = self.start_limberd_as_user(self.write("profile.toml", PROFILE))
        s = self.status()
        self.assertIn("wayland-idle", s["presence"]["sources"], limberd.report())
        self.assertFalse(s["presence"]["idle"])
        limberd.wait_line(r"wayland-idle: compositor wayland-\d+, org_kde_kwin_idle$")
        mark = limberd.mark()
        touched = time.monotonic()
        self.touch()
        limberd.wait_line(r"away \(wayland-idle\)", since=mark, timeout=8)
        self.assertGreaterEqual(time.monotonic() - touched, 1.9, "away before idle_after")
        s = self.status()
        self.assertEqual(s["state"], "away")
        self.assertEqual(s["presence"]["reasons"], ["idle"])
        mark = limberd.mark()
        self.touch()
        limberd.wait_line(r"back \(wayland-idle\)", since=mark, timeout=3)
        limberd.wait_line(r"posture: natural", since=mark)
        wait_until(lambda: self.status()["state"] == "active", what="limberd active again", detail=limberd.report)

    def test_input_keeps_it_present(self):
        self.start_user_bus()
        self.start_sway()
        limberd = self.start_limberd_as_user(self.write("profile.toml", PROFILE))
        self.assertIn("wayland-idle", self.status()["presence"]["sources"], limberd.report())
        mark = limberd.mark()
        end = time.monotonic() + 4  # twice idle_after, with input every half second
        while time.monotonic() < end:
            self.touch()
            time.sleep(0.5)
        self.assertEqual(limberd.matching(r"away \(wayland-idle\)", since=mark), [], limberd.report())
        # ...and it does go away once the input stops.
        limberd.wait_line(r"away \(wayland-idle\)", since=mark, timeout=8)


if __name__ == "__main__":
    unittest.main(verbosity=2)
