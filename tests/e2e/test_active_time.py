"""Active time in `limberctl stats`, end to end: the real limberd follows a
dbusmock logind on a private system bus, records start, present, away and
stop in its history, and stats count the time present. The test locks the
session for a measured span, stops limberd cleanly, kills it with SIGKILL and
leaves it down for a measured span, and checks every figure against bounds
it knows for sure from its own clock (the history keeps whole seconds: each
interval is off by less than one second)."""

import json
import os
import signal
import sqlite3
import time
import unittest

from harness import LimberTestCase  # noqa: F401  (the base of PresenceTestCase)
from harness import wait_until
from presence_harness import PresenceTestCase

# One reminder the test triggers itself (every 1h: never due on its own).
PROFILE = """\
[general]
merge_within = "0s"

[reminders.posture]
kind = "posture"
every = "1h"
"""

LOCKED_FOR = 4.0   # seconds: longer than the rounding of two intervals (< 2 s) and the start-up slack
DOWN_FOR = 3.0     # seconds with no limberd after the kill
PRESENT_FOR = 2.0  # seconds present before locking and after: the lower bound is then above 0

KINDS = {9: "present", 10: "away", 11: "unknown", 12: "start", 13: "stop"}


def hold(seconds):
    """Let a measured span of time pass: the stimulus itself (locked, present, down), not a wait
    for something to happen."""
    time.sleep(seconds)


class ActiveTimeTest(PresenceTestCase):

    def setUp(self):
        super().setUp()
        self.start_system_bus()
        self.start_logind()
        self.start_bus()
        self.start_mock_server()
        self.profile = self.write_own_profile(PROFILE)
        self.history = os.path.join(self.tmp, "state", "limber", "history.sqlite")

    def start_present(self):
        """limberd, with logind answering and the person present: (limberd, started, present by)."""
        started = time.time()
        limberd = self.start_limberd(self.profile)
        self.wait_ready(limberd)
        limberd.wait_line(r"presence sources: logind\b.*; present$")
        return limberd, started, time.time()

    def active(self, source):
        """Active seconds over the last two days (the test may cross midnight), and the JSON."""
        stats = json.loads(self.limberctl("--json", "stats", "--days", "2"))
        self.assertEqual(stats["source"], source)
        known = [d["active_s"] for d in stats["days"] if d["active_s"] is not None]
        self.assertTrue(known, stats)
        self.assertEqual(stats["total"]["active_s"], sum(known))
        return stats["total"]["active_s"], stats

    def assert_between(self, low, value, high, what):
        self.assertTrue(low <= value <= high, "%s: %r not within [%.2f, %.2f]\n%s" % (
            what, value, low, high, self.report_all()))

    def presence_rows(self):
        """(kind, at) of every presence event, in recorded order."""
        db = sqlite3.connect("file:%s?mode=ro" % self.history, uri=True)
        try:
            return db.execute("SELECT kind, at FROM events WHERE kind >= 9 ORDER BY id").fetchall()
        finally:
            db.close()

    def presence_kinds(self):
        return [KINDS[k] for k, _ in self.presence_rows()]

    def test_locked_time_stopped_time_and_downtime_after_a_kill_do_not_count(self):
        limberd, started, present = self.start_present()
        hold(PRESENT_FOR)

        # Locked for a measured span.
        mark = limberd.mark()
        lock_asked = time.time()
        self.set_locked_hint(True)
        limberd.wait_line(r"away \(logind\)", since=mark)
        locked = time.time()
        hold(LOCKED_FOR)
        mark = limberd.mark()
        unlock_asked = time.time()
        self.set_locked_hint(False)
        limberd.wait_line(r"back \(logind\)", since=mark)
        unlocked = time.time()
        hold(PRESENT_FOR)

        # Through limberd: present until locked, and from unlocking to now.
        asked = time.time()
        active, stats = self.active("limberd")
        answered = time.time()
        self.assert_between((lock_asked - present) + (asked - unlocked) - 2, active,
                            (locked - started) + (answered - unlock_asked) + 2,
                            "active time through limberd")
        self.assertLess(active, answered - started - LOCKED_FOR + 2, "the locked span was counted")
        self.assertGreaterEqual(active, 2, "the present spans were not counted")
        today = stats["days"][-1]
        self.assertIsInstance(today["active_s"], int)

        # The other views say the same.
        text = self.limberctl("stats", "--days", "1")
        self.assertRegex(text, r"\nActive: \d+m in all, \d+m a day on the 1 day where presence is known\.\n")
        self.assertIn("  active ", text)
        csv = self.limberctl("stats", "--csv", "--days", "1").splitlines()
        header = csv[0].split(",")
        self.assertIn("active_s", header)
        self.assertRegex(csv[1].split(",")[header.index("active_s")], r"^\d+$")

        # Stopped cleanly: the file, read without limberd, ends the time at the stop.
        stop_asked = time.time()
        limberd.send(signal.SIGTERM)
        self.assertEqual(limberd.wait_exit(), 0)
        stopped = time.time()
        self.wait_name("org.limber.Limber1", owned=False)
        after_stop, _ = self.active("file")
        self.assert_between((lock_asked - present) + (stop_asked - unlocked) - 2, after_stop,
                            (locked - started) + (stopped - unlock_asked) + 2,
                            "active time after a clean stop")

        # Present again, a reminder shown, then killed: no stop is recorded.
        limberd, started2, present2 = self.start_present()
        mark = limberd.mark()
        trigger_asked = time.time()
        self.limberctl("trigger", "posture")
        limberd.wait_shows(1, since=mark)
        shown = time.time()
        limberd.send(signal.SIGKILL)
        limberd.wait_exit()
        self.wait_name("org.limber.Limber1", owned=False)

        # Read from the file, the killed run ends at the reminder, its last event; and the time
        # down does not count, however long it lasts.
        after_kill, _ = self.active("file")
        self.assert_between((trigger_asked - present2) - 1, after_kill - after_stop,
                            (shown - started2) + 1, "the killed run")
        hold(DOWN_FOR)
        self.assertEqual(self.active("file")[0], after_kill, "downtime after a kill was counted")

        # A new limberd: the killed run still ends at its last event (not at this start), and the
        # new run counts from its own present up to now.
        limberd, started3, present3 = self.start_present()
        asked = time.time()
        restarted, _ = self.active("limberd")
        answered = time.time()
        self.assert_between((asked - present3) - 1, restarted - after_kill, (answered - started3) + 1,
                            "after the restart (the downtime must not count)")

        self.assertEqual(self.presence_kinds(),
                         ["start", "present", "away", "present", "stop",
                          "start", "present",
                          "start", "present"])

    def test_idle_counts_from_the_last_input(self):
        limberd, started, present = self.start_present()
        hold(PRESENT_FOR + 3)
        # logind says: idle since 3 s ago. The absence is recorded from then, as the scheduler
        # counts it (whole seconds: the time now and the 3 s are each rounded down).
        mark = limberd.mark()
        asked = time.time()
        self.set_idle_hint(True, since_monotonic=time.monotonic() - 3.0)
        limberd.wait_line(r"away \(logind\)", since=mark)
        seen = time.time()
        # limberd logs the change before it records it: wait for the row.
        rows = wait_until(lambda: (lambda r: r if len(r) >= 3 else None)(self.presence_rows()),
                          what="the away event in the history", detail=self.report_all)
        self.assertEqual([KINDS[k] for k, _ in rows], ["start", "present", "away"])
        self.assert_between(asked - 4, rows[2][1], seen - 2, "when the idle absence began")
        active, _ = self.active("limberd")
        self.assert_between((asked - 4) - present - 1, active, (seen - 2) - started + 1,
                            "active time up to the last input")

class ScreenSaverActiveTimeTest(PresenceTestCase):
    """With the screen saver as the only presence source: when it leaves the bus, presence is
    unknown again and no more time counts."""

    def setUp(self):
        super().setUp()
        self.without_system_bus()
        self.start_bus()
        self.start_mock_server()
        self.saver = self.start_gnome_screensaver()
        self.history = os.path.join(self.tmp, "state", "limber", "history.sqlite")

    def test_no_source_left_means_unknown(self):
        started = time.time()
        limberd = self.start_limberd(self.write_own_profile(PROFILE))
        self.wait_ready(limberd)
        limberd.wait_line(r"presence sources: gnome-screensaver\b.*; present$")
        present = time.time()
        hold(PRESENT_FOR)
        mark = limberd.mark()
        gone_asked = time.time()
        self.saver.stop()
        limberd.wait_line(r"presence sources now: (?!.*gnome-screensaver)", since=mark)
        gone = time.time()

        def active():
            stats = json.loads(self.limberctl("--json", "stats", "--days", "2"))
            self.assertEqual(stats["source"], "limberd")
            return stats["total"]["active_s"]
        first = active()
        self.assertIsNotNone(first)
        self.assertTrue((gone_asked - present) - 1 <= first <= (gone - started) + 1,
                        "%r not within [%.2f, %.2f]" % (first, gone_asked - present - 1, gone - started + 1))
        hold(1.5)
        self.assertEqual(active(), first, "time counted while no presence source was there")

        db = sqlite3.connect("file:%s?mode=ro" % self.history, uri=True)
        try:
            kinds = [KINDS[k] for (k,) in db.execute("SELECT kind FROM events WHERE kind >= 9 ORDER BY id")]
        finally:
            db.close()
        self.assertEqual(kinds, ["start", "present", "unknown"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
