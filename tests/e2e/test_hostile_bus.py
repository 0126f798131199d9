"""Times and amounts from outside (issue 10): abusive Pause, Snooze, Schedule and Drank calls
sent with gdbus to a running limberd, and a state file with absurd numbers. limberd answers each
out-of-range value with InvalidArgument naming the limit, stays responsive, shows nothing at once,
and takes the largest values it accepts without a deadline in the past, before and after a
restart."""

import json
import os
import signal
import subprocess
import time
import unittest

from ctl_helpers import CtlTestCase
from harness import LIMBER_NAME, TIMEOUT, wait_until

LIMBER_PATH = "/org/limber/Limber1"
LIMBER_IFACE = "org.limber.Limber1"
INVALID = "org.limber.Limber1.Error.InvalidArgument"

HUNDRED_YEARS = 100 * 365 * 86400
WEEK = 7 * 86400
INT64_MAX = 2**63 - 1
UINT64_MAX = 2**64 - 1

PROFILE = """\
[general]
max_snoozes = 0
merge_within = "0s"

[reminders.posture]
kind = "posture"
every = "1h"

[reminders.water]
kind = "hydration"
every = "2h"
goal = "2l"
"""


def many_reminders(n):
    """n reminders every 30 minutes: a week of them is far more showings than Schedule returns."""
    text = '[general]\nmerge_within = "0s"\n'
    for i in range(n):
        text += '\n[reminders.r%d]\nevery = "30m"\n' % i
    return text


class HostileBusTest(CtlTestCase):

    def setUp(self):
        super().setUp()
        self.start_bus()
        self.profile = self.write_own_profile(PROFILE)

    def daemon(self):
        limberd = self.start_limberd(self.profile)
        self.wait_ready(limberd)
        return limberd

    def state_path(self):
        return os.path.join(self.env["XDG_STATE_HOME"], "limber", "state.json")

    def gdbus(self, method, *args):
        """`gdbus call` of one method; returns (exit status, stdout, stderr)."""
        res = subprocess.run(
            ["gdbus", "call", "--session", "--dest", LIMBER_NAME, "--object-path", LIMBER_PATH,
             "--timeout", str(int(TIMEOUT)), "--method", "%s.%s" % (LIMBER_IFACE, method)] + list(args),
            env=self.env, capture_output=True, text=True, timeout=TIMEOUT + 5)
        return res.returncode, res.stdout, res.stderr

    def refused(self, method, args, message):
        rc, out, err = self.gdbus(method, *args)
        self.assertNotEqual(rc, 0, "%s%r was taken: %s\n%s" % (method, args, out, self.report_all()))
        self.assertIn(INVALID, err, (method, args))
        self.assertIn(message, err, (method, args))

    def taken(self, method, *args):
        rc, out, err = self.gdbus(method, *args)
        self.assertEqual(rc, 0, "%s%r: %s\n%s" % (method, args, err, self.report_all()))
        return out

    def assert_nothing_shown(self, limberd):
        # A round trip first: whatever limberd would do at once after the calls is done by then.
        self.status()
        self.assertEqual(limberd.shows(), [], limberd.report())
        self.assertTrue(limberd.alive(), limberd.report())

    def test_out_of_range_values_are_refused_naming_the_limit(self):
        limberd = self.daemon()
        cases = [
            ("Pause", ["{'for': <uint64 %d>}" % UINT64_MAX], "must be from 1 second to 100 years"),
            ("Pause", ["{'for': <uint64 %d>}" % INT64_MAX], "must be from 1 second to 100 years"),
            ("Pause", ["{'for': <uint64 %d>}" % (HUNDRED_YEARS + 1)], "must be from 1 second to 100 years"),
            ("Pause", ["{'for': <uint64 0>}"], "must be from 1 second to 100 years"),
            # 292,000 years ahead: "until" times 10^6 wrapped before.
            ("Pause", ["{'until': <int64 %d>}" % INT64_MAX], "must be at most 100 years from now"),
            ("Pause", ["{'until': <int64 9223372036855>}"], "must be at most 100 years from now"),
            ("Pause", ["{'until': <int64 %d>}" % (int(time.time()) + HUNDRED_YEARS + 3600)],
             "must be at most 100 years from now"),
            ("Pause", ["{'until': <int64 %d>}" % -2**63], "is in the past"),
            ("Pause", ["{'until': <int64 -9223372036855>}"], "is in the past"),
            ("Snooze", ["'posture'", "{'for': <uint64 %d>}" % UINT64_MAX], "must be from 1 second to 100 years"),
            ("Snooze", ["'posture'", "{'for': <uint64 %d>}" % INT64_MAX], "must be from 1 second to 100 years"),
            ("Snooze", ["''", "{'for': <uint64 9223372036855>}"], "must be from 1 second to 100 years"),
            ("Schedule", ["{'for': <uint64 %d>}" % (WEEK + 1)], "must be from 1 second to 7 days"),
            ("Schedule", ["{'for': <uint64 %d>}" % HUNDRED_YEARS], "must be from 1 second to 7 days"),
            ("Schedule", ["{'for': <uint64 %d>}" % UINT64_MAX], "must be from 1 second to 7 days"),
            ("Drank", ["{'ml': <uint32 4294967295>}"], "must be from 1 to 20000"),
            ("Drank", ["{'ml': <uint32 20001>}"], "must be from 1 to 20000"),
        ]
        for method, args, message in cases:
            with self.subTest(method=method, args=args):
                self.refused(method, args, message)
        status = self.status()
        self.assertEqual(status["state"], "active", status)
        self.assertEqual([r["snoozes"] for r in status["reminders"]], [0, 0], status)
        self.assertEqual(status["water"]["today_ml"], 0, status)
        self.assert_nothing_shown(limberd)

    def test_the_largest_values_taken_leave_no_deadline_in_the_past_across_a_restart(self):
        limberd = self.daemon()
        # Snoozes add up; a hundred of a hundred years each stop at the longest duration.
        for _ in range(100):
            self.taken("Snooze", "'posture'", "{'for': <uint64 %d>}" % HUNDRED_YEARS)
        until = int(time.time()) + HUNDRED_YEARS - 3600
        self.taken("Pause", "{'until': <int64 %d>}" % until)
        status = self.status()
        self.assertEqual(status["state"], "paused", status)
        posture = status["reminders"][0]
        self.assertEqual(posture["snoozes"], 100)
        self.assertTrue(HUNDRED_YEARS - 5 <= posture["due_in"] <= HUNDRED_YEARS, posture)
        self.assert_nothing_shown(limberd)
        wait_until(lambda: self.saved_pause(), what="the pause in state.json", detail=self.report_all)

        limberd.send(signal.SIGTERM)
        self.assertEqual(limberd.wait_exit(5), 0, limberd.report())
        self.wait_name(LIMBER_NAME, owned=False)
        again = self.daemon()
        again.wait_line(r"continued from .*state\.json")
        after = self.status()
        self.assertEqual(after["state"], "paused", after)
        self.assertTrue(HUNDRED_YEARS - 60 <= after["reminders"][0]["due_in"] <= HUNDRED_YEARS, after)
        self.assertEqual(after["reminders"][0]["snoozes"], 100)
        # The pause ends when asked, and the snoozed reminder is still a century away.
        self.ok("resume")
        self.assertTrue(HUNDRED_YEARS - 60 <= self.reminder("posture")["due_in"] <= HUNDRED_YEARS)
        self.assert_nothing_shown(again)

    def saved_pause(self):
        try:
            with open(self.state_path()) as f:
                return json.load(f).get("pause_left_us")
        except (OSError, ValueError):
            return None

    def test_schedule_is_bounded(self):
        self.profile = self.write_own_profile(many_reminders(100))
        limberd = self.daemon()
        out = self.taken("Schedule", "{'for': <uint64 %d>}" % WEEK)
        # 100 reminders every 30 minutes for a week: 33,600 showings, cut at 10,000.
        self.assertEqual(out.count("('r"), 10000, out[:200])
        # Two rounds of 100 in the first hour and 100 s: unmerged ("0s"), they go out a second apart.
        out = self.taken("Schedule", "{'for': <uint64 3700>}")
        self.assertEqual(out.count("('r"), 200, out[:200])
        self.assert_nothing_shown(limberd)

    def test_a_state_file_with_absurd_numbers_is_set_aside(self):
        os.makedirs(os.path.dirname(self.state_path()), exist_ok=True)
        content = json.dumps({
            "version": 1, "saved_at": int(time.time()) - 5, "day": "2027-01-01", "stopped": True,
            "paused": True, "pause_left_us": INT64_MAX,
            "clocks": [{"name": "posture", "elapsed_us": 0, "target_us": INT64_MAX, "snoozes": 1,
                        "after_snooze": True, "next_tip": 0}],
        }).encode()
        with open(self.state_path(), "wb") as f:
            f.write(content)
        limberd = self.daemon()
        warnings = limberd.matching(r"\[warning\].*state")
        self.assertEqual(len(warnings), 1, "one warning about the state file\n" + limberd.report())
        self.assertIn("pause_left_us", warnings[0].text)
        self.assertIn("started afresh", warnings[0].text)
        with open(self.state_path() + ".corrupt", "rb") as f:
            self.assertEqual(f.read(), content, "the file is kept aside as it was")
        status = self.status()
        self.assertEqual(status["state"], "active", status)
        self.assertTrue(3590 <= status["reminders"][0]["due_in"] <= 3600, status)
        self.assert_nothing_shown(limberd)


if __name__ == "__main__":
    unittest.main()
