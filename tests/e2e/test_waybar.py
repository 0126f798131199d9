"""A real Waybar on a headless sway, fed by `limberctl watch --format waybar`
as its custom module (exec in continuous mode): the bar follows limberd's
state. Each state has its own background colour in the bar's CSS (the module
gets the line's `class`), and screenshots (grim) are read for that colour.

sway refuses to run as root; as root, the whole session runs as an ordinary
user (desktop.py). Skipped where sway, waybar or grim are not
installed (Debian: sway waybar grim)."""

import os
import shutil
import signal
import unittest

from desktop import ppm_colours
from harness import wait_until
from sway_harness import SwayTestCase

PROFILE = """\
[reminders.posture]
kind = "posture"
every = "20m"
"""

CSS = """\
* { font-family: monospace; font-size: 14px; }
window#waybar { background: #000000; }
#custom-limber { color: #ffffff; padding: 0 10px; }
#custom-limber.active { background: #00ff00; color: #000000; }
#custom-limber.paused { background: #ff0000; }
#custom-limber.stopped { background: #0000ff; }
"""
COLOURS = {"active": (0, 255, 0), "paused": (255, 0, 0), "stopped": (0, 0, 255)}


@unittest.skipUnless(all(shutil.which(p) for p in ("sway", "waybar", "grim")),
                     "needs sway, waybar and grim")
class WaybarTest(SwayTestCase):
    def screenshot_colours(self):
        self.last_shot = self.grim()
        return ppm_colours(self.last_shot)

    def wait_bar(self, state):
        def shown():
            return COLOURS[state] in self.screenshot_colours()

        def detail():
            path = os.path.join(self.tmp, "last.ppm")
            with open(path, "wb") as f:
                f.write(getattr(self, "last_shot", b""))
            return "screenshot in %s\n%s" % (path, self.report_all())
        wait_until(shown, what="the bar to show limber %s (colour %r)" % (state, COLOURS[state]), detail=detail)

    def test_bar_follows_limberd(self):
        self.start_user_bus()
        profile = self.write("profile.toml", PROFILE)
        limberd = self.start_limberd_as_user(profile)
        self.start_sway()
        config = self.write("waybar.json", """{"position": "top", "height": 30, "modules-left": ["custom/limber"],
            "custom/limber": {"exec": "%s watch --format waybar", "return-type": "json", "restart-interval": 1}}"""
                            % self.limberctl_path)
        self.spawn("waybar", ["waybar", "-c", config, "-s", self.write("style.css", CSS)], user=self.user)

        self.wait_bar("active")
        self.ctl_ok("pause", "30m")
        self.wait_bar("paused")
        self.ctl_ok("resume")
        self.wait_bar("active")
        limberd.send(signal.SIGTERM)
        self.assertEqual(limberd.wait_exit(), 0, limberd.report())
        self.wait_bar("stopped")
        self.start_limberd_as_user(profile, name="limberd-again")
        self.wait_bar("active")


if __name__ == "__main__":
    unittest.main(verbosity=2)
