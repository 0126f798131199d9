"""limberctl status --format waybar and limberctl watch, followed live against
the real limberd while reminders fire: one line at once, then one per change
(shown, answered, pause, resume, limberd gone and back), no polling."""

import json
import os
import signal
import subprocess
import time
import unittest

from harness import LIMBERCTL, LIMBER_NAME, LimberTestCase, wait_until

# A 2 s break (it waits for an answer, so it stays "on screen"), due every 4 s.
WATCH_PROFILE = """\
[general]
merge_within = "0s"

[reminders.posture]
kind = "posture"
every = "4s"
duration = "2s"
title = "Posture"
"""

# Nothing due for an hour: the count-down shows minutes, so nothing should change for a while.
SLOW_PROFILE = """\
[reminders.posture]
kind = "posture"
every = "1h"
"""


class Watch:
    """A running `limberctl watch`, its stdout read line by line as it grows."""

    def __init__(self, test, proc, parse=json.loads):
        self.test, self.proc, self.parse = test, proc, parse

    def lines(self):
        text = self.proc.stdout()
        complete = text[:text.rfind("\n") + 1] if "\n" in text else ""
        return [self.parse(l) for l in complete.splitlines()]

    def wait_for(self, predicate, since=0, what="a watch line"):
        def check():
            for i, line in enumerate(self.lines()[since:], start=since):
                if predicate(line):
                    return (i, line)
            if not self.proc.alive():
                raise AssertionError("limberctl watch exited while waiting for %s\n%s"
                                     % (what, self.test.report_all()))
            return None
        return wait_until(check, what=what, detail=lambda: "lines so far:\n%s\n%s" % (
            "\n".join(map(str, self.lines())), self.test.report_all()))


class WaybarStatusTest(LimberTestCase):
    def setUp(self):
        super().setUp()
        self.start_bus()

    def test_status_format_waybar_and_json(self):
        limberd = self.start_limberd(self.write_profile(SLOW_PROFILE))
        self.wait_ready(limberd)
        res = self.ctl("status", "--format", "waybar")
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertEqual(res.stdout.count("\n"), 1, "one line for Waybar: %r" % res.stdout)
        obj = json.loads(res.stdout)
        self.assertEqual(set(obj) >= {"text", "tooltip", "class", "percentage"}, True, obj)
        self.assertRegex(obj["text"], r"^posture (59m|1h)$")
        self.assertEqual(obj["class"], "active")
        self.assertIn("posture: in ", obj["tooltip"])
        self.assertTrue(0 <= obj["percentage"] <= 1, obj)
        # --json stays the spec's object.
        spec = json.loads(self.ctl("--json", "status").stdout)
        self.assertEqual(spec["state"], "active")
        self.assertIsNone(spec["paused_until"])
        self.assertEqual(spec["reminders"][0]["name"], "posture")
        self.assertEqual(json.loads(self.ctl("status", "--format", "json").stdout)["state"], "active")

    def test_status_without_limberd(self):
        # The bar gets the same stopped object watch prints (exit 0); status for people fails.
        res = self.ctl("status", "--format", "waybar")
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertEqual(res.stderr, "")
        obj = json.loads(res.stdout)
        self.assertEqual((obj["class"], obj["text"]), ("stopped", "limber off"), obj)
        self.assertIn("limberd is not running", obj["tooltip"])
        res = self.ctl("status")
        self.assertEqual(res.returncode, 1)
        self.assertIn("limberd is not running", res.stderr)


class WatchTest(LimberTestCase):
    def setUp(self):
        super().setUp()
        self.start_bus()

    def start_watch(self, *args, parse=json.loads):
        proc = self.spawn("watch", [LIMBERCTL, "watch"] + list(args))
        return Watch(self, proc, parse)

    def test_waybar_lines_follow_shown_answered_pause_and_restart(self):
        self.start_mock_server(caps=["actions", "body"])
        profile = self.write_profile(WATCH_PROFILE)
        limberd = self.start_limberd(profile)
        self.wait_ready(limberd)
        watch = self.start_watch("--format", "waybar")

        first = watch.wait_for(lambda l: True, what="the first line")[1]
        # Due within a minute (--soon's default): the state, and "soon" beside it for the bar's CSS.
        self.assertEqual(first["class"], ["active", "soon"])
        self.assertEqual(first["alt"], "active")
        self.assertRegex(first["text"], r"^posture \ds$")

        # Shown: the reminder is on screen.
        i, shown = watch.wait_for(lambda l: l["text"] == "posture now", what="a line for Shown")
        self.assertEqual(shown["percentage"], 100)
        self.assertIn("posture: on screen", shown["tooltip"])

        # Answered: done from the controller; the count-down starts again.
        res = self.ctl("done")
        self.assertEqual(res.returncode, 0, res.stderr)
        i, answered = watch.wait_for(lambda l: l["text"] != "posture now", since=i + 1,
                                     what="a line after Answered")
        self.assertRegex(answered["text"], r"^posture \ds$")
        self.assertLess(answered["percentage"], 100)

        # Pause and resume.
        self.assertEqual(self.ctl("pause").returncode, 0)
        i, paused = watch.wait_for(lambda l: l["class"] == "paused", since=i + 1, what="a paused line")
        self.assertEqual(paused["text"], "paused")
        self.assertEqual(self.ctl("pause", "1h").returncode, 0)
        i, timed = watch.wait_for(lambda l: l["text"].startswith("paused until "), since=i + 1,
                                  what="a line for the timed pause")
        self.assertEqual(self.ctl("resume").returncode, 0)
        i, _ = watch.wait_for(lambda l: l["alt"] == "active", since=i + 1, what="an active line after resume")

        # limberd goes away: "stopped", and watch waits for it to come back.
        limberd.send(signal.SIGTERM)
        self.assertEqual(limberd.wait_exit(), 0, limberd.report())
        i, stopped = watch.wait_for(lambda l: l["class"] == "stopped", since=i + 1, what="a stopped line")
        self.assertIn("not running", stopped["tooltip"])
        self.assertTrue(watch.proc.alive(), "watch must outlive limberd\n" + watch.proc.report())
        limberd = self.start_limberd(profile, name="limberd-again")
        self.wait_ready(limberd)
        i, _ = watch.wait_for(lambda l: l["alt"] == "active", since=i + 1,
                              what="an active line after limberd is back")
        # The new limberd's signals are followed too.
        self.assertEqual(self.ctl("pause").returncode, 0)
        watch.wait_for(lambda l: l["class"] == "paused", since=i + 1, what="a paused line from the new limberd")

        # Lines change only with what they show: no two in a row are the same.
        lines = watch.lines()
        for a, b in zip(lines, lines[1:]):
            self.assertNotEqual(a, b, "a repeated line")

        watch.proc.send(signal.SIGINT)
        self.assertEqual(watch.proc.wait_exit(), 0, watch.proc.report())
        self.assertEqual(watch.proc.stderr(), "")

    def test_text_and_json_formats(self):
        limberd = self.start_limberd(self.write_profile(WATCH_PROFILE))
        self.wait_ready(limberd)
        text = self.start_watch(parse=str)
        js = self.start_watch("--format", "json")
        text.wait_for(lambda l: l == "posture now", what="a text line for Shown")
        i, shown = js.wait_for(lambda l: any(r["on_screen"] for r in l["reminders"]),
                               what="a json line with the reminder on screen")
        self.assertEqual(shown["state"], "active")
        self.ctl("pause")
        text.wait_for(lambda l: l == "paused", what="a text line for the pause")
        js.wait_for(lambda l: l["state"] == "paused", since=i + 1, what="a json line for the pause")

    def test_no_polling_while_nothing_changes(self):
        # Debug logging makes limberd log each method call it answers.
        limberd = self.start_limberd(self.write_profile(SLOW_PROFILE), args=["--log-level", "debug"])
        self.wait_ready(limberd)
        mark = limberd.mark()
        watch = self.start_watch("--format", "waybar")
        watch.wait_for(lambda l: True, what="the first line")
        limberd.wait_line(r"GetStatus from", since=mark)
        # The count-down shows minutes: nothing is due to change for up to a minute, and
        # one at most on the next minute boundary. A poller would call GetStatus again.
        time.sleep(2.5)  # observing an absence: a fixed window is the point here
        calls = limberd.matching(r"GetStatus from", since=mark)
        self.assertLessEqual(len(calls), 2, "watch polled limberd:\n%s" % limberd.report())
        self.assertLessEqual(len(watch.lines()), 2, watch.lines())

    def test_starts_before_limberd_and_ends_on_closed_pipe(self):
        # No limberd yet: "stopped" at once, then the live line when it starts.
        proc = subprocess.Popen([LIMBERCTL, "watch", "--format", "waybar"], env=self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            first = json.loads(proc.stdout.readline())
            self.assertEqual(first["class"], "stopped")
            self.assertEqual(first["text"], "limber off")
            limberd = self.start_limberd(self.write_profile(WATCH_PROFILE))
            self.wait_ready(limberd)
            second = json.loads(proc.stdout.readline())
            self.assertEqual(second["alt"], "active")
            # The status bar goes away: the next write meets a closed pipe; exit 0, quietly.
            proc.stdout.close()
            wait_until(lambda: proc.poll() is not None, what="watch to exit after its reader left",
                       detail=self.report_all)
            self.assertEqual(proc.returncode, 0, proc.stderr.read())
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stderr.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
