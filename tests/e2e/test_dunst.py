"""limberd against a real notification server: dunst on Xvfb.

What arrived is read back the way a user (or a status bar) would: close the
notifications with `dunstctl close-all`, then read `dunstctl history`.
"""

import json
import os
import subprocess
import unittest

from harness import (FAST_MESSAGE, FAST_TIPS, FAST_TITLE, ICON_DIR, LimberTestCase, expected_body,
                     markup_escape, wait_until)


class DunstCase(LimberTestCase):
    """dunst and limberd on PROFILE; no tests of its own."""

    PROFILE = None  # harness.FAST_PROFILE

    def setUp(self):
        super().setUp()
        self.start_bus()
        self.dunst = self.start_dunst()
        self.limberd = self.start_limberd(self.write_profile(self.PROFILE) if self.PROFILE
                                          else self.write_profile())
        self.wait_ready(self.limberd)

    def limber_history(self):
        return [h for h in self.dunst.history() if h.get("appname") == "limber"]

    def wait_displayed(self):
        wait_until(lambda: self.dunst.count("displayed") >= 1,
                   what="dunst to display limber's notification",
                   detail=self.report_all)


class DunstTest(DunstCase):

    def test_reminder_arrives(self):
        show = self.limberd.wait_shows(1)[0]
        self.assert_show(show, ["posture"], FAST_TITLE)
        self.wait_displayed()
        self.dunst.close_all()
        history = self.limber_history()
        self.assertGreaterEqual(len(history), 1, self.dunst.history())
        first = history[-1]  # the oldest: history lists the newest first
        self.assertEqual(first["summary"], FAST_TITLE)
        # dunst takes body markup, so limberd sends the body escaped (with
        # the first tip, or the second if a later showing replaced it) ...
        bodies = [expected_body(FAST_MESSAGE, tip, markup=True) for tip in FAST_TIPS]
        self.assertIn(first["body"], bodies)
        # ... and dunst renders exactly the profile's text: its message is
        # the pango markup of "<b>%s</b>\n%b" (tests/e2e/dunstrc).
        self.assertEqual(first["message"],
                         "<b>%s</b>\n%s" % (markup_escape(FAST_TITLE), first["body"]))
        self.assert_alive(self.limberd)

    def test_showing_again_replaces_instead_of_stacking(self):
        # Three showings while nothing is closed: only one notification may
        # be on screen.
        self.limberd.wait_shows(3)
        self.wait_displayed()
        self.assertEqual(self.dunst.count("displayed"), 1,
                         "limber's notifications stacked instead of replacing\n"
                         + self.report_all())
        self.assertEqual(self.dunst.count("waiting"), 0)
        self.dunst.close_all()
        history = self.limber_history()
        self.assertEqual(len(history), 1, "expected one (replaced) notification: %r" % history)
        self.assertEqual(history[0]["summary"], FAST_TITLE)
        self.assertIn(history[0]["body"],
                      [expected_body(FAST_MESSAGE, tip, markup=True) for tip in FAST_TIPS])
        self.assert_alive(self.limberd)

    def test_icon_arrives_as_a_file(self):
        """dunst looks up no icon theme of limber's: the SVG arrives as image-path, and dunst
        reads it (its history names the file it shows)."""
        self.limberd.wait_shows(1)
        self.wait_displayed()
        self.dunst.close_all()
        first = self.limber_history()[-1]
        self.assertEqual(first["icon_path"], os.path.join(ICON_DIR, "limber-posture.svg"), first)
        self.assertTrue(os.path.isfile(first["icon_path"]))


BREAK_PROFILE = """\
[general]
merge_within = "1s"

[reminders.posture]
kind = "posture"
every = "3s"
title = "Posture check"
message = "Sit back."

[reminders.stretch]
kind = "stretch"
every = "3s"
duration = "2s"
title = "Time to stretch"
message = "Roll your shoulders."
"""


class DunstBreakTest(DunstCase):
    """A merged notice with a break, and the break's count-down, on dunst."""

    PROFILE = BREAK_PROFILE

    def test_merged_reads_one_line_per_reminder(self):
        show = self.limberd.wait_shows(1)[0]
        self.assertEqual(sorted(show.names), ["posture", "stretch"])
        self.wait_displayed()
        self.dunst.close_all()
        first = self.limber_history()[-1]
        self.assertEqual(first["summary"], "2 reminders")
        lines = first["body"].split("\n")
        self.assertEqual(len(lines), 2, first)
        titles = {"posture": "Posture check", "stretch": "Time to stretch"}
        for name, line in zip(show.names, lines):
            self.assertTrue(line.startswith(titles[name]), line)
        self.assertIn("(2 s break)", first["body"])
        # A break waits for an answer: it never expires (dunst's history keeps the timeout it used).
        self.assertEqual(first["timeout"], 0, first)

    def test_done_on_a_break_counts_it_down(self):
        self.limberd.wait_shows(1)
        self.wait_displayed()
        # A click on the notification (here dunstctl's "action", which invokes the default action
        # where there is one) is Done: for a break, the count-down starts in the same notification.
        mark = self.limberd.mark()
        self.dunst.ctl("action", "0")
        self.limberd.wait_line(r"answered stretch: done", since=mark)
        self.limberd.wait_line(r"break over: (posture,)?stretch", since=mark)
        self.assertEqual(self.dunst.count("displayed"), 1, self.report_all())
        self.dunst.close_all()
        last = self.limber_history()[0]  # newest first
        self.assertEqual(last["summary"], "Break over", last)
        # Merged with posture: the count-down is "your break" (one break alone says its title).
        self.assertEqual(last["body"], "Your break: done. Back to work, gently.")
        self.assertEqual(last["progress"], 100, last)
        self.assertEqual(last["icon_path"], os.path.join(ICON_DIR, "limber-posture.svg"))  # the first's


class DunstClosedTest(DunstCase):
    """Closing limber's notification on dunst reaches limberd: it is dismissed, not on screen."""

    PROFILE = """\
[reminders.posture]
kind = "posture"
every = "1h"
"""

    def status(self):
        res = self.ctl("--json", "status")
        self.assertEqual(res.returncode, 0, res.stderr)
        return json.loads(res.stdout)["reminders"][0]

    def shown(self):
        self.assertEqual(self.ctl("trigger", "posture").returncode, 0)
        wait_until(lambda: self.dunst.count("displayed") >= 1,
                   what="dunst to display limber's notification", detail=self.report_all)
        self.assertTrue(self.status()["on_screen"])
        return self.limberd.mark()

    def test_left_click_is_dismissed(self):
        mark = self.shown()
        # dunst's default left click closes the notification (close_current): a click on its window.
        env = dict(self.env, DISPLAY=self.dunst.display)
        found = subprocess.run(["xdotool", "search", "--class", "dunst"], env=env, capture_output=True,
                               text=True, timeout=10)
        self.assertTrue(found.stdout.split(), "no dunst window on %s: %s" % (self.dunst.display, found.stderr))
        click = subprocess.run(["xdotool", "mousemove", "--window", found.stdout.split()[-1], "20", "10",
                                "click", "1"], env=env, capture_output=True, text=True, timeout=10)
        self.assertEqual(click.returncode, 0, click.stderr)
        self.limberd.wait_line(r"posture: dismissed\b", since=mark)
        self.assertFalse(self.status()["on_screen"])

    def test_close_all_is_dismissed(self):
        mark = self.shown()
        self.dunst.close_all()  # dunst closes it as the person would: NotificationClosed reason 2
        self.limberd.wait_line(r"posture: dismissed\b", since=mark)
        self.assertFalse(self.status()["on_screen"])
        res = self.ctl("--json", "stats", "--days", "1")
        self.assertEqual(res.returncode, 0, res.stderr)
        posture = json.loads(res.stdout)["days"][-1]["reminders"]["posture"]
        self.assertEqual((posture["shown"], posture["dismissed"], posture["done"]), (1, 1, 0), posture)
        self.assert_alive(self.limberd)


if __name__ == "__main__":
    unittest.main(verbosity=2)
