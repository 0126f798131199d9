"""limberd against a real mako (1.7) on a headless sway, as an ordinary user (desktop.py):
what a person does there (makoctl invoke, makoctl menu, makoctl dismiss, all of which a
mako key binding or click runs) reaches limberd, and `limberctl --json status`/`stats`
tell the outcome. mako runs with its default configuration (no config file), as a new
user has it. What mako holds is read with `makoctl list`; what it draws, from grim's
screenshots of the sway output.

Skipped where sway, mako, grim or jq (makoctl menu needs it) are not installed
(Debian: sway mako-notifier grim jq); with LIMBER_REQUIRE_DESKTOPS=1 (the CI root) that
is a failure."""

import json
import os
import shutil
import unittest

from desktop import ICON_SHARE, DesktopTestCase, icon_colours, icon_share, ppm_pixels, require_desktops
from harness import wait_until

OUTPUT = (800, 600)
# mako's default colours (background-color, border-color).
MAKO_BACKGROUND = (0x28, 0x55, 0x77)
MAKO_BORDER = (0x4c, 0x78, 0x99)
# Where mako's default layout puts an icon: the left of the notification (border, padding, 64 px).
MAKO_ICON_STRIP = 2 + 5 + 64 + 5

PROFILE = """\
[general]
idle_after = "10m"
merge_within = "0s"
snooze = "5m"

[reminders.posture]
kind = "posture"
every = "1h"
title = "Posture check"
message = "Feet flat, shoulders loose."

[reminders.stretch]
kind = "stretch"
every = "1h"
duration = "30s"
title = "Stretch break"
message = "Stand up and reach."
"""

# Three reminders falling due in the same second, merged into one notification.
MERGED_PROFILE = """\
[general]
idle_after = "10m"
merge_within = "1m"

[reminders.posture]
kind = "posture"
every = "3s"
title = "Posture check"
message = "Feet flat, shoulders loose."

[reminders.water]
kind = "hydration"
every = "3s"
title = "Drink water"
message = "A glass of water."

[reminders.eyes]
kind = "eyes"
every = "3s"
title = "Rest your eyes"
message = "Look far away."
"""
MERGED_TITLES = ("Posture check", "Drink water", "Rest your eyes")

MISSING = [p for p in ("sway", "mako", "makoctl", "grim", "jq", "busctl") if not shutil.which(p)]


@unittest.skipIf(MISSING and not require_desktops(),
                 "needs sway, mako, grim and jq (Debian: sway mako-notifier grim jq); missing: %s"
                 % ", ".join(MISSING))
class MakoTest(DesktopTestCase):

    def setUp(self):
        super().setUp()
        self.start_user_bus()
        self.start_sway("output HEADLESS-1 resolution %dx%d\n" % OUTPUT)
        self.mako = self.spawn_as("mako", ["mako"])
        self.wait_owned("org.freedesktop.Notifications", self.mako)

    def makoctl(self, *args):
        return self.run_ok(["makoctl"] + list(args))

    def held(self):
        """limber's notifications mako holds, as {field: value}."""
        data = json.loads(self.makoctl("list"))["data"]
        entries = data[0] if data else []
        return [{k: v["data"] for k, v in e.items()} for e in entries
                if e.get("app-name", {}).get("data") == "limber"]

    def wait_held(self, title):
        """limber's notification titled `title`, once mako holds it."""
        return wait_until(lambda: next((n for n in self.held() if n["summary"].startswith(title)), None),
                          what="mako to hold limber's %r" % title,
                          detail=lambda: "mako holds: %s\n%s" % (self.makoctl("list"), self.report_all()))

    def show(self, limberd, name, title):
        mark = limberd.mark()
        self.ctl_ok("trigger", name)
        limberd.wait_shows(1, since=mark)
        return self.wait_held(title)

    def wait_outcome(self, name, outcome, count=1):
        return self.wait_ctl_json(
            ["stats"], lambda s: s["days"] and s["days"][-1]["reminders"].get(name, {}).get(outcome) == count,
            "%s to count %d %s in limberctl stats" % (name, count, outcome))["days"][-1]["reminders"][name]

    def on_screen(self, name):
        return next(r for r in self.ctl_json("status")["reminders"] if r["name"] == name).get("on_screen")

    def wait_drawn(self, name, border=MAKO_BORDER):
        """A grim screenshot (kept as NAME.ppm) once mako has drawn a notification with this border
        colour: its pixel rows and the box the border encloses, (x0, y0, x1, y1)."""
        path = os.path.join(self.tmp, name + ".ppm")

        def drawn():
            _w, _h, rows = ppm_pixels(self.grim(path))
            edge = [(x, y) for y, row in enumerate(rows) for x, c in enumerate(row) if c == border]
            if not edge:
                return None
            return rows, (min(x for x, _ in edge), min(y for _, y in edge),
                          max(x for x, _ in edge), max(y for _, y in edge))
        rows, box = wait_until(drawn, what="mako to draw a notification (screenshot %s)" % path,
                               detail=self.report_all)
        self.assertEqual((len(rows[0]), len(rows)), OUTPUT)
        return path, rows, box

    def test_named_actions_and_menu_reach_limberd(self):
        limberd = self.start_limberd_as_user(self.write("profile.toml", PROFILE))
        n = self.show(limberd, "posture", "Posture check")
        self.assertLessEqual({"done", "snooze", "skip"}, set(n["actions"]), n)
        self.makoctl("invoke", "-n", str(n["id"]), "done")
        done = self.wait_outcome("posture", "done")
        self.assertEqual(done.get("dismissed", 0), 0, done)
        wait_until(lambda: not self.held(), what="mako to drop the answered notification",
                   detail=self.report_all)
        # makoctl menu hands the buttons' labels to a picker (dmenu, wofi, fuzzel...) and invokes
        # the picked one: here the picker is grep, picking Snooze, then Skip.
        n = self.show(limberd, "stretch", "Stretch break")
        self.makoctl("menu", "-n", str(n["id"]), "grep", "-m1", "^Snooze")
        self.wait_outcome("stretch", "snoozed")
        status = {r["name"]: r for r in self.ctl_json("status")["reminders"]}
        self.assertEqual(status["stretch"]["snoozes"], 1, status)
        n = self.show(limberd, "stretch", "Stretch break")
        self.makoctl("menu", "-n", str(n["id"]), "grep", "-m1", "^Skip")
        self.wait_outcome("stretch", "skipped")
        self.assertFalse(self.on_screen("stretch"))
        # Done picked in the menu: one entry of that label, or makoctl finds no single action for it.
        n = self.show(limberd, "posture", "Posture check")
        labels = list(n["actions"].values())
        self.assertEqual(labels.count("Done"), 1, "the menu offers %r" % labels)
        self.makoctl("menu", "-n", str(n["id"]), "grep", "-m1", "^Done")
        self.wait_outcome("posture", "done", count=2)

    def test_default_action_reaches_limberd(self):
        """`makoctl invoke` (no action: "default"), what mako's left click runs."""
        limberd = self.start_limberd_as_user(self.write("profile.toml", PROFILE))
        n = self.show(limberd, "posture", "Posture check")
        self.assertIn("default", n["actions"], "limber's notification has no default action: %r" % n)
        mark = limberd.mark()
        self.makoctl("invoke", "-n", str(n["id"]))
        limberd.wait_line(r"\bdefault\b|posture: done", since=mark,
                          what="limberd to hear the default action")
        self.wait_outcome("posture", "done")
        self.assertFalse(self.on_screen("posture"))

    def test_dismiss_is_a_close_by_the_person(self):
        limberd = self.start_limberd_as_user(self.write("profile.toml", PROFILE))
        n = self.show(limberd, "stretch", "Stretch break")
        self.assertTrue(self.on_screen("stretch"))
        self.makoctl("dismiss", "-n", str(n["id"]))
        self.wait_ctl_json(["status"], lambda s: not next(r for r in s["reminders"] if r["name"] == "stretch")
                           .get("on_screen", True), "stretch to be off screen once dismissed in mako")
        dismissed = self.wait_outcome("stretch", "dismissed")
        self.assertEqual((dismissed["done"], dismissed["skipped"], dismissed["missed"]), (0, 0, 0), dismissed)

    def test_merged_notification_keeps_every_text(self):
        limberd = self.start_limberd_as_user(self.write("profile.toml", MERGED_PROFILE))
        show = limberd.wait_shows(1)[0]
        self.assertEqual(sorted(show.names), ["eyes", "posture", "water"], show.line.text)
        n = wait_until(lambda: next(iter(self.held()), None), what="mako to hold the merged notification",
                       detail=self.report_all)
        lines = [l for l in n["body"].splitlines() if l.strip()]
        # One line per reminder, its title: every reminder is there, and nothing wraps.
        self.assertEqual(sorted(lines), sorted(MERGED_TITLES), n["body"])
        self.assertLess(len(n["summary"]), 40, "a short title: %r" % n["summary"])
        path, _rows, (_x0, y0, _x1, y1) = self.wait_drawn("mako-merged")
        # What the text needs: the same notification drawn again with no height limit (and another
        # border colour, to know the new drawing from the old).
        self.write(os.path.join(self.env["XDG_CONFIG_HOME"], "mako", "config"),
                   "height=2000\nborder-color=#ff00ff\n")
        self.makoctl("reload")
        full, _rows, (_x0, full_y0, _x1, full_y1) = self.wait_drawn("mako-merged-unlimited", (255, 0, 255))
        self.assertEqual(y1 - y0, full_y1 - full_y0,
                         "mako's default height (100 px) cuts the merged notification: %d px drawn of the %d "
                         "its text needs; screenshots %s and %s" % (y1 - y0 + 1, full_y1 - full_y0 + 1,
                                                                    path, full))

    def test_screenshot_shows_the_icon(self):
        limberd = self.start_limberd_as_user(self.write("profile.toml", PROFILE))
        self.show(limberd, "posture", "Posture check")
        svg, want = icon_colours("posture")
        want.discard(MAKO_BACKGROUND)
        path, rows, (x0, y0, x1, y1) = self.wait_drawn("mako-icon")
        # mako draws the icon at the left, inside its border (2 px) and padding (5 px), at most 64 px.
        left = min(x1, x0 + MAKO_ICON_STRIP)
        share = icon_share((rows[y][x] for y in range(y0, y1 + 1) for x in range(x0, left + 1)), want)
        self.assertGreaterEqual(share, ICON_SHARE, "the left of mako's notification (%d,%d)-(%d,%d): %.1f%% "
                                "of it has the colours of %s %s; screenshot %s"
                                % (x0, y0, left, y1, 100 * share, svg, sorted(want), path))


if __name__ == "__main__":
    unittest.main(verbosity=2)
