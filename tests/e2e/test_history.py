"""History that is never lost: the real limberd records what is shown and
answered in SQLite; limberctl reads it through limberd or, with none running,
from the file; kill -9 loses nothing acknowledged; water is logged with and
without limberd; a damaged or unwritable history never stops reminders."""

import json
import os
import signal
import sqlite3
import subprocess
import unittest

from harness import LIMBERD, TIMEOUT, LimberTestCase, wait_until

LIMBERCTL = os.path.join(os.path.dirname(LIMBERD), "limberctl")

# Reminders that are only shown when triggered (every 1h), so the test decides
# every showing and every answer.
PROFILE = """\
[general]
merge_within = "0s"
snooze = "1h"

[reminders.posture]
kind = "posture"
every = "1h"
duration = "30s"

[reminders.water]
kind = "hydration"
every = "1h"
goal = "2l"
glass = "300ml"
"""

OUTCOMES = ("shown", "done", "natural", "snoozed", "skipped", "missed")


def zero():
    return dict.fromkeys(OUTCOMES, 0)


class HistoryTest(LimberTestCase):

    def setUp(self):
        super().setUp()
        self.without_system_bus()
        self.start_bus()
        self.profile = self.write_own_profile(PROFILE)
        # limberctl's own look-up (drank without limberd) finds the same profile.
        self.env["LIMBER_PROFILE"] = self.profile
        self.history = os.path.join(self.tmp, "state", "limber", "history.sqlite")

    # -- helpers ----------------------------------------------------------
    def ctl(self, *args, ok=True):
        res = subprocess.run([LIMBERCTL] + list(args), env=self.env, capture_output=True,
                             text=True, timeout=TIMEOUT)
        if ok and res.returncode != 0:
            self.fail("limberctl %s failed (%d): %s%s\n%s" % (
                " ".join(args), res.returncode, res.stdout, res.stderr, self.report_all()))
        return res

    def ctl_json(self, *args):
        return json.loads(self.ctl("--json", *args).stdout)

    def start(self):
        limberd = self.start_limberd(self.profile)
        self.wait_ready(limberd)
        return limberd

    def trigger(self, limberd, name):
        mark = limberd.mark()
        self.ctl("trigger", name)
        limberd.wait_shows(1, since=mark)

    def stats_totals(self, stats):
        """Per reminder, summed over the days of a `stats --json`; and the water."""
        totals, water = {}, 0
        for day in stats["days"]:
            water += day["water_ml"]
            for name, counts in day["reminders"].items():
                t = totals.setdefault(name, zero())
                for k in OUTCOMES:
                    t[k] += counts[k]
        return totals, water

    def database(self):
        """The file as another program sees it, read-only: integrity and counts."""
        db = sqlite3.connect("file:%s?mode=ro" % self.history, uri=True)
        try:
            integrity = db.execute("PRAGMA integrity_check").fetchall()
            version = db.execute("PRAGMA user_version").fetchone()[0]
            kinds = {0: "shown", 1: "done", 2: "natural", 3: "snoozed", 4: "skipped",
                     5: "missed", 6: "pause", 7: "resume", 9: "present", 10: "away",
                     11: "unknown", 12: "start", 13: "stop"}
            counts = {}
            for kind, reminder, n in db.execute(
                    "SELECT kind, reminder, count(*) FROM events GROUP BY kind, reminder"):
                counts[(kinds[kind], reminder)] = n
            water = db.execute("SELECT coalesce(sum(ml), 0) FROM water").fetchone()[0]
        finally:
            db.close()
        return integrity, version, counts, water

    # -- tests ------------------------------------------------------------
    def test_answers_survive_kill_9_and_restart(self):
        server = self.start_mock_server(["body", "actions"])
        limberd = self.start()

        # Water first, answered with its Done button (the mock's first notification is id 1).
        self.trigger(limberd, "water")
        server.wait_notify(1, limberd=limberd)
        mark = limberd.mark()
        server.emit_action(1, "done")
        limberd.wait_line(r"answered water: done\b", since=mark)

        # Posture, answered through limberctl: each command returns once it is recorded.
        self.trigger(limberd, "posture")
        self.ctl("done", "posture")
        self.trigger(limberd, "posture")
        self.ctl("skip", "posture")
        self.trigger(limberd, "posture")
        self.ctl("snooze", "posture")
        self.trigger(limberd, "posture")
        self.trigger(limberd, "posture")   # shown again unanswered: the first is missed
        self.ctl("done", "posture")
        self.assertEqual(self.ctl_json("drank", "0.5l"), {"ml": 500, "today_ml": 800, "goal_ml": 2000})
        self.ctl("pause")
        self.ctl("resume")

        # Killed at once after the last acknowledged answer: no shutdown of any kind.
        limberd.send(signal.SIGKILL)
        limberd.wait_exit()
        self.wait_name("org.limber.Limber1", owned=False)

        integrity, version, counts, water = self.database()
        self.assertEqual(integrity, [("ok",)])
        self.assertEqual(version, 2)
        # limberd's start is recorded; killed, it recorded no stop. No presence source here
        # (no logind, no screen saver, no X): no present or away either.
        expected = {("shown", "water"): 1, ("done", "water"): 1,
                    ("shown", "posture"): 5, ("done", "posture"): 2, ("skipped", "posture"): 1,
                    ("snoozed", "posture"): 1, ("missed", "posture"): 1,
                    ("pause", ""): 1, ("resume", ""): 1, ("start", ""): 1}
        self.assertEqual(counts, expected)
        self.assertEqual(water, 800)

        want = {"posture": dict(zero(), shown=5, done=2, skipped=1, snoozed=1, missed=1),
                "water": dict(zero(), shown=1, done=1)}
        # No limberd: limberctl reads the file itself, read-only.
        stats = self.ctl_json("stats", "--days", "2")
        self.assertEqual(stats["source"], "file")
        self.assertEqual(len(stats["days"]), 2)
        self.assertEqual(self.stats_totals(stats), (want, 800))
        # Presence was never known: active time is null, not 0.
        self.assertEqual([d["active_s"] for d in stats["days"]], [None, None])
        self.assertIsNone(stats["total"]["active_s"])
        before = os.stat(self.history).st_mtime_ns
        self.ctl("stats")
        self.assertEqual(os.stat(self.history).st_mtime_ns, before, "a read-only read changed the file")

        # A new limberd continues the same history and serves it over the bus.
        limberd = self.start()
        stats = self.ctl_json("stats", "--days", "2")
        self.assertEqual(stats["source"], "limberd")
        self.assertEqual(self.stats_totals(stats), (want, 800))
        self.assertEqual([d["active_s"] for d in stats["days"]], [None, None])
        status = self.ctl_json("status")
        self.assertEqual(status["water"], {"today_ml": 800, "goal_ml": 2000})
        self.assertIn("Water today: 800ml of 2000ml (40%)", self.ctl("status").stdout)
        self.assertEqual(self.ctl_json("drank"), {"ml": 300, "today_ml": 1100, "goal_ml": 2000})

        # Stopped cleanly this time; water is still logged, straight into the file.
        limberd.send(signal.SIGTERM)
        self.assertEqual(limberd.wait_exit(), 0)
        self.wait_name("org.limber.Limber1", owned=False)
        self.assertEqual(self.ctl_json("drank", "200ml"), {"ml": 200, "today_ml": 1300, "goal_ml": 2000})
        out = self.ctl("drank").stdout
        self.assertEqual(out, "Logged 300ml: 1600ml today of 2000ml (80%).\n")
        bad = self.ctl("drank", "2 gallons", ok=False)
        self.assertEqual(bad.returncode, 2, bad.stderr)
        self.assertIn('unknown unit "gallons"', bad.stderr)

        integrity, _, counts, water = self.database()
        self.assertEqual(integrity, [("ok",)])
        self.assertEqual(water, 1600)
        self.assertEqual((counts[("start", "")], counts[("stop", "")]), (2, 1))
        stats = self.ctl_json("stats")
        self.assertEqual(stats["source"], "file")
        self.assertEqual(self.stats_totals(stats), (want, 1600))

        # The human views read the same numbers.
        text = self.ctl("stats", "--days", "2").stdout
        self.assertRegex(text, r"\nposture +5 +2 +0 +1 +1 +1 +0 +0 +40%\n", text)
        self.assertNotIn("\u2588", text)  # not a terminal: plain ASCII
        csv = self.ctl("stats", "--csv", "--days", "1").stdout.splitlines()
        self.assertTrue(csv[0].startswith("date,shown,done,"), csv)

    def test_damaged_history_is_set_aside(self):
        os.makedirs(os.path.dirname(self.history), exist_ok=True)
        with open(self.history, "w") as f:
            f.write("not a database, just words " * 10)
        self.start_mock_server()
        limberd = self.start()
        line = limberd.wait_line(r"history .* is damaged")[0]
        self.assertIn(".corrupt", line.text)
        self.assertTrue(os.path.exists(self.history + ".corrupt"))
        self.trigger(limberd, "posture")
        self.ctl("done", "posture")
        stats = self.ctl_json("stats", "--days", "1")
        self.assertEqual(self.stats_totals(stats)[0], {"posture": dict(zero(), shown=1, done=1)})
        integrity, _, _, _ = self.database()
        self.assertEqual(integrity, [("ok",)])

    def test_unwritable_state_dir_is_reported_once_and_reminders_go_on(self):
        # A file where the state directory belongs: nothing can be created there (even as root).
        with open(os.path.join(self.tmp, "state", "limber"), "w") as f:
            f.write("in the way\n")
        self.start_mock_server()
        limberd = self.start()
        for _ in range(3):
            self.trigger(limberd, "posture")
            self.ctl("done", "posture")
        self.assertEqual(len(limberd.matching(r"\[store\] \[warning\] .*history\.sqlite")), 1,
                         limberd.report())
        # Still counted while it waits to be written.
        stats = self.ctl_json("stats", "--days", "1")
        self.assertEqual(self.stats_totals(stats)[0], {"posture": dict(zero(), shown=3, done=3)})
        self.assert_alive(limberd)


if __name__ == "__main__":
    unittest.main(verbosity=2)
