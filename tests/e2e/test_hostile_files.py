"""Hostile files under the real limberd (issue 10): a history deleted while
limberd runs is noticed and nothing answered is lost; another program holding
the history's write lock neither fails an answer nor loses it; a state
directory that is not the person's own is refused with one line saying what
to do, and reminders go on."""

import json
import os
import re
import signal
import sqlite3
import unittest

from harness import TIMEOUT, LimberTestCase, wait_until


# Shown only when triggered (every 1h): the test decides every showing and every answer. Several,
# so that one `limberctl done` answers many at once (a write each, and one more for the water).
PROFILE = """\
[general]
merge_within = "0s"

[reminders.posture]
kind = "posture"
every = "1h"
duration = "30s"

[reminders.eyes]
kind = "eyes"
every = "1h"

[reminders.stretch]
kind = "stretch"
every = "1h"

[reminders.walk]
kind = "movement"
every = "1h"

[reminders.breathe]
kind = "breathing"
every = "1h"

[reminders.water]
kind = "hydration"
every = "1h"
glass = "300ml"
"""
NAMES = ("posture", "eyes", "stretch", "walk", "breathe", "water")

KINDS = {0: "shown", 1: "done", 2: "natural", 3: "snoozed", 4: "skipped", 5: "missed",
         6: "pause", 7: "resume", 9: "present", 10: "away", 11: "unknown", 12: "start", 13: "stop"}


class HostileFilesTest(LimberTestCase):

    def setUp(self):
        super().setUp()
        self.without_system_bus()
        self.start_bus()
        self.profile = self.write_own_profile(PROFILE)
        self.env["LIMBER_PROFILE"] = self.profile
        self.state_dir = os.path.join(self.tmp, "state", "limber")
        self.history = os.path.join(self.state_dir, "history.sqlite")

    # -- helpers ----------------------------------------------------------
    def start(self):
        limberd = self.start_limberd(self.profile)
        self.wait_ready(limberd)
        return limberd

    def show(self, limberd, name="posture"):
        mark = limberd.mark()
        self.ctl_ok("trigger", name)
        limberd.wait_shows(1, since=mark)

    def stop(self, limberd):
        limberd.send(signal.SIGTERM)
        self.assertEqual(limberd.wait_exit(), 0, limberd.report())

    def counts(self):
        """Integrity, (kind, reminder) -> n and the water, as another program reads the file."""
        db = sqlite3.connect("file:%s?mode=ro" % self.history, uri=True)
        try:
            integrity = db.execute("PRAGMA integrity_check").fetchall()
            counts = {}
            for kind, reminder, n in db.execute(
                    "SELECT kind, reminder, count(*) FROM events GROUP BY kind, reminder"):
                counts[(KINDS.get(kind, kind), reminder)] = n
            water = db.execute("SELECT coalesce(sum(ml), 0) FROM water").fetchone()[0]
        finally:
            db.close()
        return integrity, counts, water

    def reminder_stats(self, limberd, name):
        stats = json.loads(self.ctl_ok("--json", "stats", "--days", "1"))
        return stats["source"], stats["days"][-1]["reminders"].get(name, {})

    # -- tests ------------------------------------------------------------
    def test_history_deleted_while_running_keeps_later_answers(self):
        self.start_mock_server()
        limberd = self.start()
        self.show(limberd)
        os.remove(self.history)
        self.ctl_ok("done", "posture")
        limberd.wait_line(r"\[store\] \[warning\] the history .*history\.sqlite was deleted while in use")
        self.stop(limberd)

        # The file at the path has the answer and the stop: nothing went into a file nobody sees.
        integrity, counts, _ = self.counts()
        self.assertEqual(integrity, [("ok",)])
        self.assertEqual(counts.get(("done", "posture")), 1, counts)
        self.assertEqual(counts.get(("stop", "")), 1, counts)
        source, posture = self.reminder_stats(limberd, "posture")
        self.assertEqual(source, "file")
        self.assertEqual(posture["done"], 1, posture)
        self.assertEqual(len(limberd.matching(r"was deleted while in use")), 1, limberd.report())

    def test_write_lock_held_elsewhere_neither_fails_nor_loses_an_answer(self):
        self.start_mock_server()
        limberd = self.start()
        for name in NAMES:
            self.show(limberd, name)
        lock = sqlite3.connect(self.history, isolation_level=None, timeout=TIMEOUT)
        try:
            lock.execute("BEGIN EXCLUSIVE")
            # Applied, so acknowledged: exit 0. (It used to wait a second for each of the seven
            # writes, and limberctl gave up after five: exit 1 for answers that were applied.)
            mark = limberd.mark()
            self.ctl_ok("done")
            limberd.wait_line(r"answered \w+: done", count=len(NAMES), since=mark)
            # Counted while they wait in memory; the file does not have them yet.
            source, posture = self.reminder_stats(limberd, "posture")
            self.assertEqual((source, posture["done"]), ("limberd", 1))
            self.assertNotIn(("done", "posture"), self.counts()[1])
        finally:
            lock.execute("COMMIT")
            lock.close()
        self.assertEqual(len(limberd.matching(r"\[store\] \[warning\] .*holds its lock")), 1, limberd.report())

        # Once the lock is gone they reach the file, once, by limberd's own retry: no answer, read
        # or stop has to come first (a crash in the meantime would otherwise lose them). The retry
        # backs off from 1 s; the lock was held for a few seconds, so it comes within the deadline.
        limberd.wait_line(r"the history .* is written again", timeout=3 * TIMEOUT)
        self.assertEqual(self.counts()[1].get(("done", "posture")), 1, limberd.report())
        self.assertEqual(self.reminder_stats(limberd, "water")[1]["done"], 1)
        self.stop(limberd)
        integrity, counts, water = self.counts()
        self.assertEqual(integrity, [("ok",)])
        for name in NAMES:
            self.assertEqual((counts.get(("shown", name)), counts.get(("done", name))), (1, 1), counts)
        self.assertEqual(water, 300)

    def test_state_directory_writable_by_others_is_refused_and_reminders_go_on(self):
        os.makedirs(self.state_dir, mode=0o700)
        os.chmod(self.state_dir, 0o777)
        self.start_mock_server()
        limberd = self.start()
        self.show(limberd)
        self.ctl_ok("done", "posture")
        self.ctl_ok("pause", "10m")  # a change that is saved
        self.ctl_ok("resume")
        self.stop(limberd)
        here = re.escape(self.state_dir)
        refused = limberd.matching(r"\[store\] \[warning\] not keeping state in " + here +
                                   r": .*mode 0777.*run chmod go-w " + here)
        self.assertEqual(len(refused), 1, limberd.report())
        self.assertEqual(len(limberd.matching(r"not writing the history .*chmod go-w")), 1, limberd.report())
        self.assertEqual(os.listdir(self.state_dir), [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
