"""limberd's Wayland idle source against a scripted compositor (tests/wayland/idle_compositor.c,
built with the tests): the compositor offers ext_idle_notifier_v1 (version 1 or 2) and/or
org_kde_kwin_idle and runs each notification's timer as a compositor does; input, an idle
inhibitor and quitting come as commands on a FIFO. Proven here: idle after idle_after, back at
the first input, the natural break credited, version 2's input-only notification preferred (so an
inhibitor does not hide that the person left), the fall-backs, re-arming on a new idle_after,
standing down for Mutter, and the compositor going away. The same source on a real sway 1.7
(org_kde_kwin_idle) is test_presence_sway.py."""

import json
import os
import re
import signal
import time
import unittest

from harness import wait_until
from presence_harness import NUDGE_PROFILE, PresenceTestCase

COMPOSITOR = os.environ.get("LIMBER_IDLE_COMPOSITOR")
PROFILE = NUDGE_PROFILE.replace('every = "4s"', 'every = "30s"')


@unittest.skipUnless(COMPOSITOR, "built without Wayland (LIMBER_IDLE_COMPOSITOR is set by ctest where it is)")
class WaylandIdleTest(PresenceTestCase):

    def setUp(self):
        super().setUp()
        self.start_bus()

    def start_compositor(self, *args):
        """--held: no idle timer runs before the test's first `input` (its last input is the test's)."""
        if not os.access(COMPOSITOR, os.X_OK):
            self.fail("the scripted compositor is not built: %s" % COMPOSITOR)
        self.fifo = os.path.join(self.tmp, "compositor-commands")
        os.mkfifo(self.fifo)
        self.compositor = self.spawn("idle-compositor", [COMPOSITOR, "--socket", "wayland-limber",
                                                          "--commands", self.fifo] + list(args))
        self.wait_said(r"^ready wayland-limber$")
        self.env["WAYLAND_DISPLAY"] = "wayland-limber"

    def command(self, text):
        with open(self.fifo, "w") as f:
            f.write(text + "\n")

    def said(self, regex):
        return [l for l in self.compositor.stdout().splitlines() if re.search(regex, l)]

    def wait_said(self, regex, count=1):
        return wait_until(lambda: len(self.said(regex)) >= count and self.said(regex),
                          what="the compositor to say %r" % regex, detail=self.report_all)

    def start(self, profile=PROFILE):
        self.profile = self.write_profile(profile)
        limberd = self.start_limberd(self.profile)
        self.wait_ready(limberd)
        return limberd

    def natural_breaks(self):
        stats = json.loads(self.limberctl("--json", "stats"))
        return sum(day["reminders"].get("posture", {}).get("natural", 0) for day in stats["days"])

    def test_idle_then_back_on_input(self):
        self.start_compositor("--ext", "2", "--kde", "--held")
        limberd = self.start()
        s = self.status()
        self.assertIn("wayland-idle", s["presence"]["sources"])
        self.assertFalse(s["presence"]["idle"])
        mark = limberd.mark()
        self.command("input")  # the last input: idle_after (2 s) from here
        touched = time.monotonic()
        limberd.wait_line(r"away \(wayland-idle\)", since=mark, timeout=6)
        self.assertGreaterEqual(time.monotonic() - touched, 1.9, "away before idle_after")
        s = self.status()
        self.assertEqual(s["state"], "away")
        self.assertEqual(s["presence"]["reasons"], ["idle"])
        # One notification, armed at idle_after, the input-only kind (version 2), not KDE's.
        self.assertEqual(self.said(r"^armed "), ["armed ext-input 2000"])
        limberd.wait_line(r"wayland-idle: compositor wayland-limber, ext-idle-notify-v1 \(input\)$")
        self.assertEqual(self.said(r"^bound "), ["bound wl_seat 1", "bound ext_idle_notifier_v1 2",
                                                  "bound org_kde_kwin_idle 1"])
        mark = limberd.mark()
        self.command("input")
        limberd.wait_line(r"back \(wayland-idle\)", since=mark, timeout=3)
        # Back-dated to the last input, so away for idle_after and more: the nudge's natural break.
        limberd.wait_line(r"posture: natural", since=mark)
        self.assertEqual(self.status()["state"], "active")
        wait_until(lambda: self.natural_breaks() >= 1, what="the natural break in the history",
                   detail=limberd.report)

    def test_inhibitor_does_not_hide_absence_with_version_2(self):
        # A playing video holds an idle inhibitor: only the input-only notification still fires.
        self.start_compositor("--ext", "2")
        self.command("inhibit")
        limberd = self.start()
        self.wait_said(r"^armed ext-input 2000$")
        limberd.wait_line(r"away \(wayland-idle\)", timeout=6)
        self.assertEqual(self.status()["state"], "away")

    def test_version_1_and_kde_fall_backs(self):
        for args, kind in ((["--ext", "1", "--kde"], "ext"), (["--ext", "0", "--kde"], "kde")):
            with self.subTest(args=args):
                self.start_compositor("--held", *args)
                limberd = self.start()
                self.wait_said(r"^armed %s 2000$" % kind)
                self.command("input")
                limberd.wait_line(r"away \(wayland-idle\)", timeout=6)
                mark = limberd.mark()
                self.command("input")
                limberd.wait_line(r"back \(wayland-idle\)", since=mark, timeout=3)
                self.wait_said(r"^resumed %s$" % kind)
                limberd.stop()
                self.compositor.stop()
                os.unlink(self.fifo)

    def test_no_protocol_no_source(self):
        self.start_compositor("--ext", "0")
        limberd = self.start()
        # limberd looked, and closed its connection.
        self.wait_said(r"^disconnected$")
        self.assertEqual(len(self.said(r"^connected$")), 1, self.compositor.report())
        self.assertNotIn("wayland-idle", self.status()["presence"]["sources"])
        self.assertEqual(self.said(r"^armed "), [])
        self.assert_alive(limberd)

    def test_new_idle_after_arms_again(self):
        self.start_compositor("--ext", "2", "--held")
        limberd = self.start()
        self.wait_said(r"^armed ext-input 2000$")
        with open(self.profile, "w") as f:
            f.write(PROFILE.replace('idle_after = "2s"', 'idle_after = "3s"'))
        limberd.send(signal.SIGHUP)
        self.wait_said(r"^armed ext-input 3000$")
        self.assertEqual(len(self.said(r"^released ext-input$")), 1, self.compositor.report())
        mark = limberd.mark()
        self.command("input")
        touched = time.monotonic()
        limberd.wait_line(r"away \(wayland-idle\)", since=mark, timeout=6)
        self.assertGreaterEqual(time.monotonic() - touched, 2.9, "away before the new idle_after")

    def test_stands_down_for_mutter(self):
        self.start_mutter()
        self.start_compositor("--ext", "2")
        limberd = self.start()
        s = self.wait_status(lambda s: "mutter-idle" in s["presence"]["sources"], "mutter-idle in use", limberd)
        self.assertNotIn("wayland-idle", s["presence"]["sources"])
        # Its notification is released: the compositor has nothing to tell limberd any more.
        live = lambda: len(self.said(r"^armed ")) == len(self.said(r"^released ")) and self.said(r"^armed ")
        wait_until(live, what="the notification released", detail=self.report_all)

    def test_compositor_going_away_is_survived(self):
        self.start_compositor("--ext", "2")
        limberd = self.start()
        self.command("input")
        limberd.wait_line(r"away \(wayland-idle\)", timeout=6)
        mark = limberd.mark()
        self.command("quit")
        self.compositor.wait_exit()
        lines = limberd.wait_line(r"wayland-idle: the compositor went away", since=mark)
        self.assertEqual(len(lines), 1)
        # What it said is withdrawn, and it no longer answers.
        limberd.wait_line(r"back \(wayland-idle\)", since=mark)
        s = self.wait_status(lambda s: "wayland-idle" not in s["presence"]["sources"], "wayland-idle dropped",
                             limberd)
        self.assertEqual(s["state"], "active")
        self.assert_alive(limberd, "after its compositor went away")
        cpu = self.cpu_seconds(limberd)
        time.sleep(1.5)  # a window: a loop on the closed socket would burn CPU here
        self.assertLess(self.cpu_seconds(limberd) - cpu, 0.1, "limberd spins after its compositor went away")
        self.assertEqual(len(limberd.matching(r"compositor went away")), 1, limberd.report())


if __name__ == "__main__":
    unittest.main()
