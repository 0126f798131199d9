"""limberctl against the real limberd on a private bus: every command, its
exit status and message, the JSON shapes of the spec, pause, snooze, done,
skip, trigger, schedule, the notification's buttons, and the bus signals.

State, reload, restarts and load are in test_ctl_state.py.
"""

import contextlib
import datetime
import json
import os
import re
import signal
import sqlite3
import time
import unittest
import zoneinfo

from ctl_helpers import (DURATION_FORMS, ISO_OFFSET_RE, NOT_RUNNING, QUIET_PROFILE,
                         CtlTestCase, parse_iso)
from harness import wait_until

ACTIONS = ["body", "body-markup", "actions"]
# A zone whose offset has minutes, so "+05:30" proves the offset is real.
ZONE = "Asia/Kolkata"
KNOWN = "known reminders: posture, water"


def notification_ids(calls):
    """The id the dbusmock server gave each Notify call (new ids count from 1)."""
    ids, next_id = [], 1
    for c in calls:
        if c.replaces_id:
            ids.append(c.replaces_id)
        else:
            ids.append(next_id)
            next_id += 1
    return ids


class WithoutDaemonTest(CtlTestCase):
    """What limberctl says when it cannot do its job, and usage errors."""

    def test_limberd_not_running(self):
        self.start_bus()
        for args in (["status"], ["--json", "status"], ["pause"], ["pause", "1h"], ["resume"],
                     ["snooze"], ["done", "posture"], ["skip"], ["trigger", "posture"],
                     ["reload"], ["schedule"], ["--json", "schedule", "--for", "1h"]):
            run = self.fails(1, *args)
            self.assertEqual(run.err, NOT_RUNNING, run)

    def test_waybar_status_says_stopped(self):
        """A bar asks once (Waybar's interval): it gets the README's stopped object, exit 0,
        while `status` for people and scripts keeps the spec's exit 1 and its reason."""
        self.start_bus()
        for args in (["status", "--format", "waybar"], ["--json", "status", "--format", "waybar"]):
            obj = self.ok(*args).json()
            self.assertEqual(obj["class"], "stopped", obj)
            self.assertEqual(obj["alt"], "stopped", obj)
            self.assertIn("limberd is not running", obj["tooltip"])
            self.assertTrue(obj["text"], obj)
        for args in (["status", "--format", "text"], ["status", "--format", "json"]):
            self.assertEqual(self.fails(1, *args).err, NOT_RUNNING)

    def test_no_session_bus(self):
        self.env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        run = self.fails(1, "status")
        self.assertEqual(run.err.count("\n"), 1, run)
        self.assertRegex(run.err, r"^limberctl: .*session bus", run)

    def test_usage_errors_exit_2(self):
        cases = [
            ([], r"no command given"),
            (["frobnicate"], r"unknown command 'frobnicate'"),
            (["stauts"], r"did you mean 'status'"),
            (["--bogus", "status"], r"unknown option '--bogus'"),
            (["pause", "10"], re.escape(DURATION_FORMS)),
            (["pause", "soon"], re.escape(DURATION_FORMS)),
            (["snooze", "posture", "--for", "5"], re.escape(DURATION_FORMS)),
            (["schedule", "--for", "0s"], r"at least 1s"),
            (["pause", "--until", "25:00"], r"HH:MM"),
            (["pause", "--until", "noon"], r"HH:MM"),
            (["pause", "1h", "--until", "10:00"], r"not both"),
            (["trigger"], r"missing NAME"),
            (["status", "extra"], r"takes no arguments"),
            (["done", "a", "b"], r"too many arguments"),
            (["status", "--format", "xml"], r"not one of text, json, waybar"),
        ]
        for args, pattern in cases:
            with self.subTest(args=args):
                run = self.fails(2, *args)
                first = run.err.splitlines()[0]
                self.assertRegex(first, r"^limberctl( \w+)?: ", run)
                self.assertRegex(first, pattern, run)
                self.assertIn("--help", run.err, "a usage error says where help is: %r" % run)

    def test_help_and_version(self):
        self.assertIn("Usage: limberctl", self.ok("--help").out)
        for command in ("status", "pause", "resume", "snooze", "done", "skip", "trigger",
                        "reload", "schedule", "check", "stats", "drank", "watch", "init"):
            self.assertIn(command, self.ok("--help").out)
            self.assertIn("Usage: limberctl " + command, self.ok("help", command).out)
        self.assertRegex(self.ok("--version").out, r"^limberctl \d+\.\d+")

    def test_check(self):
        good = self.write_profile(QUIET_PROFILE)
        self.assertIn("ok, 2 reminders", self.ok("check", good).out)
        self.assertEqual(self.ok("--json", "check", good).json()["valid"], True)
        bad = self.write_profile(QUIET_PROFILE.replace('every = "1h"', 'every = "60"')
                                 .replace('kind = "hydration"', 'kind = "drink"'), "bad.toml")
        run = self.fails(1, "check", bad)
        lines = run.err.splitlines()
        self.assertEqual(len(lines), 2, run)
        for line in lines:
            self.assertRegex(line, r"^%s:\d+:\d+: error: " % re.escape(bad), run)
        self.assertIn("45s", run.err)  # the bare number's message shows the accepted forms
        missing = os.path.join(self.tmp, "missing.toml")
        self.assertRegex(self.fails(1, "check", missing).err, r"^%s:1:1: error: " % re.escape(missing))

    def test_stats_and_drank_without_limberd(self):
        # No limberd (and no bus): stats reads the history file itself, drank writes it
        # (test_history.py covers both with and without a running limberd).
        self.assertIn("Nothing recorded", self.ok("stats").out)
        stats = json.loads(self.ok("--json", "stats", "--days", "3").out)
        self.assertEqual(len(stats["days"]), 3)
        self.assertEqual(stats["source"], "file")
        self.assertEqual(json.loads(self.ok("--json", "drank").out),
                         {"ml": 250, "today_ml": 250, "goal_ml": 2000})  # the built-in profile
        self.assertEqual(self.ok("drank", "0.5l").out, "Logged 500ml: 750ml today of 2000ml (38%).\n")
        self.assertEqual(json.loads(self.ok("--json", "stats", "--days", "1").out)["days"][0]["water_ml"], 750)
        run = self.fails(2, "drank", "250")
        self.assertIn("is not an amount", run.err)

    def test_init(self):
        path = os.path.join(self.env["XDG_CONFIG_HOME"], "limber", "profile.toml")
        run = self.ok("init")
        self.assertIn(path, run.out)
        self.assertIn("ok, 6 reminders", self.ok("check").out, "init writes a valid profile "
                      "where check (and limberd) look for it")
        run = self.fails(1, "init")
        self.assertIn("already exists", run.err)
        self.assertIn("--force", run.err)
        self.assertEqual(self.ok("--json", "init", "--force").json(), {"profile": path})

    def test_completions(self):
        for shell, marker in (("bash", "complete"), ("zsh", "#compdef"), ("fish", "complete -c limberctl")):
            script = self.ok("completions", shell).out
            self.assertIn(marker, script)
            for command in ("status", "pause", "snooze", "schedule"):
                self.assertIn(command, script)
        self.fails(2, "completions", "tcsh")


class BusyDaemonTest(CtlTestCase):
    """A limberd that is there but does not answer in time is not a limberd that is not running."""

    def test_drank_to_a_stalled_limberd_is_logged_once(self):
        self.start_bus()
        path = self.write_own_profile(QUIET_PROFILE)
        limberd, _, _ = self.start_daemon(profile_path=path)
        history = os.path.join(self.env["XDG_STATE_HOME"], "limber", "history.sqlite")
        limberd.send(signal.SIGSTOP)
        try:
            run = self.fails(1, "drank", "300ml", timeout=30)
            self.assertIn("limberd did not answer within", run.err)
        finally:
            limberd.send(signal.SIGCONT)
        # limberd answers the call once it runs again: the water is logged once, by limberd alone
        # (limberctl falling back to writing the file itself would log it twice).
        self.wait_status(lambda s: s["water"]["today_ml"] >= 300, "limberd to log the water it was sent")
        limberd.stop()
        with contextlib.closing(sqlite3.connect(history)) as db:
            self.assertEqual(db.execute("SELECT count(*), sum(ml) FROM water").fetchone(), (1, 300))


class ControllerTest(CtlTestCase):
    """Commands against a running limberd (reminders every 1h and 2h, so
    nothing fires by itself) behind a mock server with buttons."""

    def setUp(self):
        super().setUp()
        self.env["TZ"] = ZONE
        self.start_bus()
        self.limberd, self.server, self.profile = self.start_daemon(server_caps=ACTIONS)

    def now_local(self):
        return datetime.datetime.now(zoneinfo.ZoneInfo(ZONE))

    def test_status_json_shape(self):
        status = self.status()
        self.assert_status_shape(status)
        self.assertEqual(status["state"], "active")
        self.assertIsNone(status["paused_until"])
        self.assertEqual(status["profile"], self.profile,
                         "profile must be the absolute path limberd reads")
        self.assertEqual([r["name"] for r in status["reminders"]], ["posture", "water"])
        posture, water = status["reminders"]
        for r, kind, every in ((posture, "posture", 3600), (water, "hydration", 7200)):
            self.assertEqual((r["kind"], r["every"], r["duration"], r["snoozes"], r["enabled"]),
                             (kind, every, 0, 0, True), r)
            self.assertTrue(every - 30 <= r["due_in"] <= every, r)

    def test_status_text_and_waybar(self):
        text = self.ok("status").out
        lines = text.splitlines()
        self.assertRegex(lines[0], r"^limber is active \(profile .*profile\.toml\)$")
        header = next(l for l in lines if l.startswith("NAME"))
        self.assertEqual(header.split(), ["NAME", "KIND", "EVERY", "NEXT"])
        rows = [l for l in lines if l.startswith(("posture", "water"))]
        self.assertEqual(len(rows), 2, text)
        # Aligned columns: every column starts where its heading does.
        for word, row_word in (("KIND", "posture"), ("EVERY", "1h"), ("NEXT", "in ")):
            self.assertEqual(rows[0].index(row_word, len("posture")) if word != "KIND"
                             else rows[0].index("posture", 1), header.index(word), text)
        self.assertRegex(rows[0], r"in 59m$|in 1h$")
        self.assertRegex(rows[1], r"in 1h 59m$|in 2h$")
        bar = self.ok("status", "--format", "waybar").json()
        self.assertEqual(set(bar) >= {"text", "tooltip", "class", "percentage"}, True, bar)
        self.assertEqual(bar["class"], "active")
        self.assertRegex(bar["text"], r"^posture ")

    def test_pause_and_resume(self):
        before = self.reminder("posture")["due_in"]
        run = self.ok("--json", "pause")
        self.assertEqual(run.json(), {"paused_until": None})
        self.assertEqual(self.ok("pause").out, "Paused until you run 'limberctl resume'.\n")
        status = self.status()
        self.assert_status_shape(status)
        self.assertEqual(status["state"], "paused")
        self.assertIsNone(status["paused_until"], "paused until resume: paused_until is null")
        self.assertRegex(self.ok("status").out, r"^limber is paused until you resume")
        # Frozen: the clock does not move while paused (a second and more later).
        frozen = self.reminder("posture")["due_in"]
        deadline = time.monotonic() + 1.5
        while time.monotonic() < deadline:
            self.assertEqual(self.reminder("posture")["due_in"], frozen, "a paused clock moved")
            time.sleep(0.1)
        mark = self.limberd.mark()
        self.assertEqual(self.ok("--json", "resume").json(), {"resumed": True})
        # A requested resume is logged as one, not as a timed pause's end.
        self.limberd.wait_line(r"resumed$", since=mark)
        self.assertEqual(self.limberd.matching(r"timed pause ended", since=mark), [])
        status = self.status()
        self.assertEqual(status["state"], "active")
        self.assertIsNone(status["paused_until"])
        self.assertLessEqual(abs(self.reminder("posture", status)["due_in"] - frozen), 1)
        # Resume when not paused: exit 1, one line.
        run = self.fails(1, "resume")
        self.assertEqual(run.err, "limberctl: limberd is not paused\n")

    def test_pause_answer_and_status_count_down_agree(self):
        # limberctl's answer counts from its own "now"; status from limberd's paused_until. Both
        # must read "in 10m" however the second falls. Each try starts half way through a wall
        # second: where a paused_until rounded to the nearest second lands a second late, and a
        # status in the same second read "in 11m".
        for _ in range(6):
            time.sleep((1.5 - time.time() % 1.0) % 1.0)  # to the next half second, not a wait for anything
            answer = self.ok("pause", "10m").out
            self.assertRegex(answer, r"\(in 10m\)\.$")
            line = self.ok("status").out.splitlines()[0]
            self.assertRegex(line, r"^limber is paused until \d\d:\d\d, in 10m ", line)
            self.ok("resume")

    def test_timed_pause_ends_by_itself(self):
        t0 = self.now_local()
        run = self.ok("--json", "pause", "2s")
        until = parse_iso(run.json()["paused_until"])
        status = self.status()
        self.assertEqual(status["state"], "paused")
        self.assertRegex(status["paused_until"], ISO_OFFSET_RE)
        self.assertTrue(status["paused_until"].endswith("+05:30"), status)
        reported = parse_iso(status["paused_until"])
        self.assertLessEqual(abs((reported - until).total_seconds()), 1, status)
        self.assertLessEqual(abs((reported - t0).total_seconds() - 2), 1.5, status)
        self.assertRegex(self.ok("pause", "90m").out, r"^Paused until \d\d:\d\d \(in 1h 30m\)\.\n$")
        mark = self.limberd.mark()
        self.ok("pause", "2s")
        self.limberd.wait_line(r"paused for 2s$", since=mark)
        # The end is logged as a resume is, once, when limberd ends it.
        ended = self.limberd.wait_line(r"resumed: the timed pause ended$", since=mark, timeout=6)
        self.wait_status(lambda s: s["state"] == "active" and s["paused_until"] is None,
                         "the timed pause to end by itself", timeout=6)
        self.fails(1, "resume")
        self.assertEqual(len(self.limberd.matching(r"resumed", since=mark)), 1, self.limberd.report())
        self.assertGreater(ended[0].index, self.limberd.matching(r"paused for 2s$", since=mark)[0].index)

    def test_pause_until(self):
        now = self.now_local()
        soon = (now + datetime.timedelta(minutes=3)).replace(second=0, microsecond=0)
        run = self.ok("--json", "pause", "--until", soon.strftime("%H:%M"))
        self.assertEqual(run.json()["paused_until"], soon.isoformat())
        status = self.status()
        self.assertEqual(status["state"], "paused")
        self.assertEqual(parse_iso(status["paused_until"]), soon, status)
        self.assertTrue(status["paused_until"].endswith("+05:30"), status)
        # A time already past today means tomorrow.
        past = (now - datetime.timedelta(minutes=3)).replace(second=0, microsecond=0)
        tomorrow = past + datetime.timedelta(days=1)
        run = self.ok("--json", "pause", "--until", past.strftime("%H:%M"))
        self.assertEqual(run.json()["paused_until"], tomorrow.isoformat())
        self.assertEqual(parse_iso(self.status()["paused_until"]), tomorrow)
        self.ok("resume")

    def test_snooze_by_name(self):
        run = self.ok("--json", "snooze", "water", "--for", "10m")
        self.assertEqual(run.json(), {"snoozed": ["water"], "for": 600})
        water = self.reminder("water")
        self.assertEqual(water["snoozes"], 1)
        self.assertTrue(7200 + 600 - 30 <= water["due_in"] <= 7800, water)
        self.assertRegex(self.ok("snooze", "water").out, r"^Snoozed water \(next in 2h 1\dm\)\.\n$")
        self.assertEqual(self.reminder("water")["snoozes"], 2)
        # max_snoozes = 2: the third is refused, with what to do instead.
        run = self.fails(1, "snooze", "water")
        self.assertIn("max_snoozes", run.err)
        self.assertEqual(run.err.count("\n"), 1, run)
        # Done ends the run of snoozes.
        self.assertEqual(self.ok("--json", "done", "water").json(), {"done": ["water"]})
        self.assertEqual(self.reminder("water")["snoozes"], 0)

    def test_snooze_without_name_takes_the_next_due(self):
        self.assertEqual(self.ok("--json", "snooze").json(), {"snoozed": ["posture"]})
        self.assertEqual(self.reminder("posture")["snoozes"], 1)

    def test_snooze_done_skip_of_the_reminder_on_screen(self):
        mon = self.monitor()
        # Nothing on screen: done and skip say so and name the reminders.
        for cmd in ("done", "skip"):
            run = self.fails(1, cmd)
            self.assertIn("no reminder is on screen", run.err)
            self.assertIn(KNOWN, run.err)
        self.assertEqual(self.ok("trigger", "water").out, "Showing water now.\n")
        self.wait_signal(mon, "Shown", r"\['water'\], 'Water'")
        self.server.wait_notify(1, limberd=self.limberd)
        self.assertTrue(self.reminder("water")["on_screen"])
        self.assertEqual(self.ok("--json", "snooze", "--for", "1m").json(),
                         {"snoozed": ["water"], "for": 60})
        water = self.reminder("water")
        self.assertFalse(water["on_screen"])
        self.assertTrue(50 <= water["due_in"] <= 60, "snooze on screen counts from now: %r" % water)
        self.wait_signal(mon, "Answered", r"'water', 'snoozed'")
        self.ok("trigger", "posture")
        self.assertEqual(self.ok("done").out, "Done: posture.\n")
        self.wait_signal(mon, "Answered", r"'posture', 'done'")
        self.assertTrue(3590 <= self.reminder("posture")["due_in"] <= 3600)
        self.ok("trigger", "posture")
        self.assertEqual(self.ok("--json", "skip").json(), {"skipped": ["posture"]})
        self.wait_signal(mon, "Answered", r"'posture', 'skipped'")
        # Each answer took the notification off the screen.
        wait_until(lambda: len(self.server._mock().GetMethodCalls("CloseNotification")) >= 3,
                   what="three CloseNotification calls", detail=self.report_all)

    def test_unknown_reminder_lists_known_names(self):
        for args in (["snooze", "nope"], ["done", "nope"], ["skip", "nope"], ["trigger", "nope"],
                     ["--json", "trigger", "nope"]):
            run = self.fails(1, *args)
            self.assertEqual(run.err, 'limberctl: unknown reminder "nope" (%s)\n' % KNOWN, run)

    def test_trigger(self):
        mon = self.monitor()
        self.assertEqual(self.ok("--json", "trigger", "posture").json(), {"triggered": "posture"})
        call = self.server.wait_notify(1, limberd=self.limberd)[0]
        self.assertEqual(call.summary, "Posture check")
        self.wait_signal(mon, "Shown", r"\['posture'\], 'Posture check'")
        posture = self.reminder("posture")
        self.assertTrue(posture["on_screen"])
        self.assertTrue(3590 <= posture["due_in"] <= 3600, "showing restarts the clock: %r" % posture)

    def test_schedule(self):
        run = self.ok("--json", "schedule", "--for", "5h")
        data = run.json()
        self.assertEqual(set(data), {"reminders"})
        items = data["reminders"]
        for item in items:
            self.assertEqual(set(item), {"name", "at"}, item)
            self.assertRegex(item["at"], ISO_OFFSET_RE)
            self.assertTrue(item["at"].endswith("+05:30"), item)
        times = [parse_iso(i["at"]) for i in items]
        self.assertEqual(times, sorted(times), "schedule must be in time order: %r" % items)
        names = [i["name"] for i in items]
        self.assertEqual(names.count("posture"), 5, items)  # 1h, 2h, 3h, 4h, 5h
        self.assertEqual(names.count("water"), 2, items)    # 2h, 4h
        now = self.now_local()
        first = times[0]
        self.assertEqual(names[0], "posture")
        self.assertLessEqual(abs((first - now).total_seconds() - 3600), 60, items[0])
        # The daemon's own scheduler: a snooze moves water in the schedule.
        self.ok("snooze", "water", "--for", "30m")
        items = self.ok("--json", "schedule", "--for", "5h").json()["reminders"]
        water = [parse_iso(i["at"]) for i in items if i["name"] == "water"]
        self.assertLessEqual(abs((water[0] - now).total_seconds() - 9000), 60, items)
        # Default span is 8h; the text is one row per showing time.
        self.assertEqual(len([i for i in self.ok("--json", "schedule").json()["reminders"]
                              if i["name"] == "posture"]), 8)
        text = self.ok("schedule", "--for", "3h").out
        self.assertRegex(text, r"^In the next 3h, if you stay at the computer:\n")
        self.assertRegex(text, r"\n\d\d:\d\d +in (59m|1h) +posture\n")

    def test_signals_and_properties(self):
        mon = self.monitor()
        self.ok("pause", "1h")
        self.wait_signal(mon, "PropertiesChanged", r"'State': <'paused'>.*'PausedUntil': <int64 \d+>")
        mark = mon.mark()
        self.ok("resume")
        self.wait_signal(mon, "PropertiesChanged", r"'State': <'active'>", since=mark)
        self.ok("trigger", "water")
        self.wait_signal(mon, "Shown", r"\['water'\], 'Water'")
        self.ok("skip", "water")
        self.wait_signal(mon, "Answered", r"'water', 'skipped'")


class RelativeProfileTest(CtlTestCase):
    """limberd started as `limberd --profile profile.toml` from its directory."""

    def test_status_and_reload_name_the_absolute_path(self):
        self.start_bus()
        path = self.write_profile(QUIET_PROFILE)
        limberd = self.start_limberd("profile.toml")  # relative to the test directory, limberd's cwd
        self.wait_ready(limberd)
        self.assertEqual(self.status()["profile"], path,
                         "limberctl runs elsewhere: a relative path would mean nothing to it")
        with open(path, "w") as f:
            f.write(QUIET_PROFILE.replace('every = "1h"', 'every = "5"'))
        run = self.fails(1, "reload")
        self.assertRegex(run.err.splitlines()[0], r"^%s:\d+:\d+: error: " % re.escape(path))


class ButtonTest(CtlTestCase):
    """The notification's buttons (ActionInvoked from a dbusmock server) do
    what the commands do; the Snooze label shows the snooze length."""

    def setUp(self):
        super().setUp()
        self.start_bus()
        self.limberd, self.server, _ = self.start_daemon(server_caps=ACTIONS)
        self.mon = self.monitor()

    def show(self, name, count):
        """Trigger `name`; return the Notify call showing it and its id."""
        self.ok("trigger", name)
        calls = self.server.wait_notify(count, limberd=self.limberd)
        return calls[count - 1], notification_ids(calls)[count - 1]

    def press(self, nid, key, name, outcome):
        mark = self.mon.mark()
        self.server.emit_action(nid, key)
        self.wait_signal(self.mon, "Answered", r"'%s', '%s'" % (name, outcome), since=mark)

    def test_buttons_do_what_the_commands_do(self):
        call, nid = self.show("posture", 1)
        # The first is the default action: a click on the notification itself is Done.
        self.assertEqual(call.action_pairs(), [("default", "Done (click)"), ("done", "Done"), ("snooze", "Snooze 5 min"),
                                               ("skip", "Skip")])
        self.press(nid, "snooze", "posture", "snoozed")
        posture = self.reminder("posture")
        self.assertEqual(posture["snoozes"], 1)
        self.assertFalse(posture["on_screen"])
        self.assertTrue(290 <= posture["due_in"] <= 300, posture)

        call, nid = self.show("posture", 2)
        self.assertIn(("snooze", "Snooze 5 min"), call.action_pairs())
        self.press(nid, "snooze", "posture", "snoozed")
        self.assertEqual(self.reminder("posture")["snoozes"], 2)

        # max_snoozes = 2 reached: no Snooze button any more, and the command refuses too.
        call, nid = self.show("posture", 3)
        self.assertEqual(call.action_pairs(), [("default", "Done (click)"), ("done", "Done"), ("skip", "Skip")])
        self.assertIn("max_snoozes", self.fails(1, "snooze").err)
        self.press(nid, "done", "posture", "done")
        posture = self.reminder("posture")
        self.assertEqual((posture["snoozes"], posture["on_screen"]), (0, False), posture)
        self.assertTrue(3590 <= posture["due_in"] <= 3600, posture)

        call, nid = self.show("water", 4)
        self.press(nid, "skip", "water", "skipped")
        self.assertFalse(self.reminder("water")["on_screen"])
        self.assert_alive(self.limberd)

    def test_snooze_label_follows_the_profile(self):
        self.ok("reload")  # same profile: nothing changes
        with open(self.limberd.argv[self.limberd.argv.index("--profile") + 1], "w") as f:
            f.write(QUIET_PROFILE.replace('snooze = "5m"', 'snooze = "90s"'))
        self.ok("reload")
        call, nid = self.show("water", 1)
        self.assertIn(("snooze", "Snooze 90 s"), call.action_pairs())
        self.press(nid, "snooze", "water", "snoozed")
        self.assertTrue(80 <= self.reminder("water")["due_in"] <= 90)


if __name__ == "__main__":
    unittest.main(verbosity=2)
