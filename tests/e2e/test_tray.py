"""limber-tray against a real StatusNotifierWatcher host: Waybar's tray module on a headless sway
(Waybar hosts the watcher itself). The item registers, its icon is drawn (grim screenshots read
for the icon's colours where the tray is), the menu read over dbusmenu (tray_probe.py: GetLayout on
the item's Menu) follows limberd's state, an Event "clicked" on Pause pauses limberd and one on
Resume resumes it, and restarting the watcher and limberd is survived. With no watcher the tray
waits silently. TrayAnswersTest, on a private bus with dbusmock's notification server and no
watcher: Done and Snooze on the reminder on screen, and Statistics' notification.

Like test_waybar.py, as root the whole session runs as an ordinary user (desktop.py), from copies of
the binaries and of the build tree's share/ (the icons). Skipped where sway, waybar or grim are not
installed (Debian: sway waybar grim), or limber-tray was not built (dbusmenu-glib missing)."""

import json
import os
import re
import shutil
import signal
import subprocess
import unittest

from desktop import ppm_pixels
from harness import LIMBER_TRAY, PYTHON, LimberTestCase, wait_until
from sway_harness import SwayTestCase

PROBE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tray_probe.py")

PROFILE = """\
[reminders.posture]
kind = "posture"
every = "20m"
"""

CSS = """\
* { font-family: monospace; font-size: 14px; }
window#waybar { background: #000000; }
#tray { padding: 0 4px; }
"""
BAR = """{"position": "top", "height": 30, "modules-right": ["tray"], "tray": {"icon-size": 24, "spacing": 4}}"""
# The fill of each icon's disc (config/icons/limber-tray-*.svg).
COLOURS = {"active": (0x3b, 0x8a, 0x5a), "paused": (0x6f, 0x7d, 0x8a), "not-running": (0x8c, 0x8c, 0x8c)}


@unittest.skipUnless(all(shutil.which(p) for p in ("sway", "waybar", "grim")), "needs sway, waybar and grim")
@unittest.skipUnless(os.path.exists(LIMBER_TRAY), "limber-tray not built (needs dbusmenu-glib)")
class TrayTest(SwayTestCase):
    def setUp(self):
        super().setUp()
        share = os.path.join(os.path.dirname(self.tray_path), "share")  # desktop.py copies it beside
        # Waybar draws themed icons through GTK: hicolor's index.theme must be reachable (/usr/share)
        # beside the icons' own directory.
        self.env["XDG_DATA_DIRS"] = share + ":/usr/share"
        self.probe_path = self.user_copy(PROBE)

    # -- the tray from the outside --------------------------------------------------------
    def probe(self, *args):
        res = self.run_as([PYTHON, self.probe_path] + list(args), text=True)
        if res.returncode != 0:
            raise AssertionError("tray_probe %s: %s%s" % (" ".join(args), res.stdout, res.stderr))
        return json.loads(res.stdout)

    def try_probe(self, *args):
        try:
            return self.probe(*args)
        except AssertionError:
            return None

    def wait_layout(self, predicate, what):
        last = {}

        def check():
            last["layout"] = self.try_probe("layout")
            return last["layout"] is not None and predicate(last["layout"]) and last["layout"]
        return wait_until(check, what=what,
                          detail=lambda: "last layout: %r\n%s" % (last.get("layout"), self.report_all()))

    @staticmethod
    def visible(layout, label):
        return [i for i in layout["menu"] if i["visible"] and i["label"].startswith(label)]

    def screenshot_has(self, colour):
        res = self.run_as(["grim", "-t", "ppm", "-"])
        if res.returncode != 0:
            raise AssertionError("grim failed: %s" % res.stderr.decode(errors="replace"))
        self.last_shot = res.stdout
        if os.environ.get("LIMBER_TRAY_SHOTS"):
            with open(os.path.join(os.environ["LIMBER_TRAY_SHOTS"], "%s.ppm" % self.id().rsplit(".", 1)[-1]), "wb") as f:
                f.write(res.stdout)
        width, _height, rows = ppm_pixels(res.stdout)
        # The tray is at the bar's right end (modules-right): look only there, where nothing else is.
        return any(colour in row[width - 80:] for row in rows[:30])

    def wait_icon(self, state):
        def detail():
            path = os.path.join(self.tmp, "last.ppm")
            with open(path, "wb") as f:
                f.write(getattr(self, "last_shot", b""))
            return "screenshot in %s\n%s" % (path, self.report_all())
        wait_until(lambda: self.screenshot_has(COLOURS[state]),
                   what="the tray to draw limber's %s icon (colour %r)" % (state, COLOURS[state]), detail=detail)

    def start_waybar(self, name="waybar"):
        return self.spawn(name, ["waybar", "-c", self.write("waybar.json", BAR), "-s", self.write("style.css", CSS)],
                          user=self.user)

    def wait_registered(self, tray, count):
        wait_until(lambda: len(tray.matching(r"registered with the StatusNotifierWatcher")) >= count,
                   what="limber-tray to register with the watcher (%d time(s))" % count, detail=self.report_all)
        layout = self.probe("layout")
        # limber-tray registers its object path: the watcher lists the sender's unique name with it
        # ("OWNER/PATH" on Waybar and KDE's watcher); a name-registered item shows as "NAME/PATH".
        wait_until(lambda: any(re.split(r"[/@]", i)[0] in (layout["item"], layout["owner"])
                               for i in (self.try_probe("registered") or [])),
                   what="the watcher to list %s (%s)" % (layout["item"], layout["owner"]), detail=self.report_all)

    # -- the test -------------------------------------------------------------------------
    def test_tray_follows_limberd_through_restarts(self):
        self.start_user_bus()
        profile = self.write("profile.toml", PROFILE)
        limberd = self.start_limberd_as_user(profile)
        self.start_sway()

        # No watcher yet: the item is exported and follows limberd, and says nothing.
        tray = self.spawn("limber-tray", [self.tray_path], user=self.user)
        layout = self.wait_layout(lambda l: self.visible(l, "posture: in "), "the menu to list posture")
        self.assertEqual(layout["icon"], "limber-tray-active")
        self.assertEqual(layout["tooltip"][0], "limber: active")
        self.assertRegex(layout["tooltip"][1], r"^posture in (20|19)m$")
        self.assertFalse(self.visible(layout, "Resume"), layout)
        self.assertTrue(self.visible(layout, "Pause 30 min")[0]["enabled"], layout)
        self.assertTrue(self.visible(layout, "Snooze posture"), layout)
        self.assertTrue(tray.alive(), tray.report())
        self.assertEqual(tray.stderr(), "", "limber-tray must wait silently while there is no watcher")

        # Waybar comes with its watcher: the item registers and is drawn.
        waybar = self.start_waybar()
        self.wait_registered(tray, 1)
        self.wait_icon("active")

        # Pause from the menu: limberd pauses, the icon and menu follow; Resume back.
        self.probe("click", "Pause 30 min")
        wait_until(lambda: "paused until" in self.ctl_ok("status"), what="limberctl status to say paused",
                   detail=self.report_all)
        layout = self.wait_layout(lambda l: l["icon"] == "limber-tray-paused", "the paused icon")
        self.assertTrue(self.visible(layout, "Resume"), layout)
        self.assertRegex(layout["tooltip"][0], r"^limber: paused until \d\d:\d\d$")
        self.wait_icon("paused")
        self.probe("click", "Resume")
        wait_until(lambda: "limber is active" in self.ctl_ok("status"), what="limberctl status to say active",
                   detail=self.report_all)
        self.wait_layout(lambda l: l["icon"] == "limber-tray-active" and not self.visible(l, "Resume"),
                         "the active icon and no Resume")

        # Activate (a left click where the tray ignores ItemIsMenu) toggles: paused until resumed, then resumed.
        self.probe("activate")
        wait_until(lambda: "limber is paused until you resume" in self.ctl_ok("status"),
                   what="Activate to pause limberd until resumed", detail=self.report_all)
        self.wait_layout(lambda l: l["tooltip"][0] == "limber: paused until you resume", "the open-ended pause")
        self.probe("activate")
        wait_until(lambda: "limber is active" in self.ctl_ok("status"), what="Activate to resume limberd",
                   detail=self.report_all)

        # A glass from the menu: logged (limberctl status counts it) and the menu's water line follows.
        self.probe("click", "Drank a glass")
        wait_until(lambda: "Water today: 250ml" in self.ctl_ok("status"), what="limberctl status to count a glass",
                   detail=self.report_all)
        self.wait_layout(lambda l: self.visible(l, "Water: 1 glass today"), "the menu to count a glass")

        # The watcher restarts: the item registers again and is drawn again.
        waybar.stop()
        self.start_waybar("waybar-again")
        self.wait_registered(tray, 2)
        self.wait_icon("active")

        # limberd stops: not running, nothing to click; it comes back: followed again.
        limberd.send(signal.SIGTERM)
        self.assertEqual(limberd.wait_exit(), 0, limberd.report())
        layout = self.wait_layout(lambda l: l["icon"] == "limber-tray-not-running", "the not-running icon")
        self.assertEqual([i["label"] for i in layout["menu"] if i["visible"] and i["type"] != "separator"][0],
                         "limberd is not running")
        self.assertFalse(self.visible(layout, "Pause 30 min")[0]["enabled"], layout)
        self.assertEqual(layout["status"], "Active")  # kept in sight (Waybar hides Passive items)
        self.wait_icon("not-running")
        self.start_limberd_as_user(profile, name="limberd-again")
        self.wait_layout(lambda l: l["icon"] == "limber-tray-active" and self.visible(l, "posture: in "),
                         "the menu to follow the new limberd")
        self.wait_icon("active")

        self.assertTrue(tray.alive(), tray.report())
        noise = [l.text for l in tray.lines() if "registered with the StatusNotifierWatcher" not in l.text]
        self.assertEqual(noise, [], "limber-tray said more than its registrations")


@unittest.skipUnless(os.path.exists(LIMBER_TRAY), "limber-tray not built (needs dbusmenu-glib)")
class TrayAnswersTest(LimberTestCase):
    def probe(self, *args):
        res = subprocess.run([PYTHON, PROBE] + list(args), env=self.env, capture_output=True, text=True, timeout=10)
        if res.returncode != 0:
            raise AssertionError("tray_probe %s: %s%s" % (" ".join(args), res.stdout, res.stderr))
        return json.loads(res.stdout)

    def wait_layout(self, predicate, what):
        last = {}

        def check():
            try:
                last["layout"] = self.probe("layout")
            except AssertionError as exc:
                last["layout"] = str(exc)
                return None
            return predicate(last["layout"]) and last["layout"]
        return wait_until(check, what=what,
                          detail=lambda: "last layout: %r\n%s" % (last.get("layout"), self.report_all()))

    def test_answers_and_statistics_from_the_menu(self):
        self.start_bus()
        server = self.start_mock_server()
        limberd = self.start_limberd(self.write_profile(PROFILE))
        self.wait_ready(limberd)
        tray = self.spawn("limber-tray", [LIMBER_TRAY])
        self.wait_layout(lambda l: TrayTest.visible(l, "posture: in "), "the menu to list posture")

        # On screen: listed first, Done names it; Done answers it as `limberctl done` does.
        self.assertEqual(self.ctl("trigger", "posture").returncode, 0)
        layout = self.wait_layout(lambda l: TrayTest.visible(l, "Done: posture"), "Done for posture on screen")
        self.assertTrue(TrayTest.visible(layout, "posture: on screen"), layout)
        self.assertEqual(layout["tooltip"][1], "posture on screen")
        self.probe("click", "Done: posture")
        limberd.wait_line(r"answered posture: done", what="limberd to log posture answered done")
        self.wait_layout(lambda l: not TrayTest.visible(l, "Done:") and TrayTest.visible(l, "posture: in 20m"),
                         "posture answered and counting down again")

        # Snooze the next: what `limberctl snooze` does with nothing on screen (the next due, by the snooze).
        self.probe("click", "Snooze posture")
        wait_until(lambda: "snoozed" in self.ctl("status").stdout, what="limberctl status to say snoozed",
                   detail=self.report_all)

        # Statistics: today's numbers in a notification (the trigger above was shown and done).
        before = len(server.notify_calls())
        self.probe("click", "Statistics")
        calls = server.wait_notify(before + 1, what="the Statistics notification")
        stats = [c for c in calls if c.summary == "limber: today"]
        self.assertEqual(len(stats), 1, calls)
        self.assertIn("Reminders shown: 1", stats[0].body)
        self.assertIn("Done: 1", stats[0].body)
        self.assertEqual(tray.stderr(), "", "no watcher: limber-tray waits silently")


if __name__ == "__main__":
    unittest.main(verbosity=2)
