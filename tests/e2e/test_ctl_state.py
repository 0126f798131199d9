"""limberctl and limberd beyond single commands: reload (good and bad),
state across restarts and crashes, a corrupt state file, a second daemon,
200 concurrent controllers while reminders fire, a notification server that
never answers, and the bus interface agreeing on both sides."""

import json
import os
import re
import signal
import statistics
import subprocess
import time
import unittest
import xml.etree.ElementTree as ET

import dbus

from ctl_helpers import LIMBERCTL, NOT_RUNNING, QUIET_PROFILE, CtlTestCase, parse_iso
from harness import HERE, LIMBER_NAME, PYTHON, TIMEOUT, wait_until

LIMBER_PATH = "/org/limber/Limber1"
LIMBER_IFACE = "org.limber.Limber1"

RELOAD_BEFORE = """\
[general]
snooze = "5m"
merge_within = "0s"

[reminders.posture]
every = "20s"

[reminders.water]
kind = "hydration"
every = "1h"

[reminders.stretch]
kind = "stretch"
every = "2h"
"""

# posture's interval changes (its clock is kept), water stays, stretch goes, eyes is new.
RELOAD_AFTER = """\
[general]
snooze = "5m"
merge_within = "0s"

[reminders.posture]
every = "30s"

[reminders.water]
kind = "hydration"
every = "1h"

[reminders.eyes]
kind = "eyes"
every = "30m"
"""

# Three mistakes on lines 6, 7 and 10.
RELOAD_BAD = """\
[general]
snooze = "5m"
merge_within = "0s"

[reminders.posture]
every = "20"
evry = "1h"

[reminders.water]
kind = "drink"
every = "1h"
"""
BAD_LINES = [6, 7, 10]


class ReloadTest(CtlTestCase):

    def setUp(self):
        super().setUp()
        self.start_bus()
        self.limberd, _, self.profile = self.start_daemon(RELOAD_BEFORE)

    def rewrite(self, text):
        with open(self.profile, "w") as f:
            f.write(text)

    def test_good_reload_keeps_clocks_of_remaining_reminders(self):
        # Let posture's clock run a few seconds, and snooze water.
        self.wait_status(lambda s: s["reminders"][0]["due_in"] <= 16,
                         "posture's clock to run 4 s")
        self.ok("snooze", "water", "--for", "10m")
        self.rewrite(RELOAD_AFTER)
        run = self.ok("reload")
        self.assertEqual(run.out, "Reloaded %s.\n" % self.profile)
        status = self.status()
        self.assertEqual([r["name"] for r in status["reminders"]], ["posture", "water", "eyes"])
        posture, water, eyes = status["reminders"]
        self.assertEqual(posture["every"], 30)
        # Kept clock: 4+ s already ran, so less than 30 - 4 is left (a fresh clock would say 30).
        self.assertTrue(10 <= posture["due_in"] <= 26, posture)
        self.assertEqual(water["snoozes"], 1)
        self.assertTrue(3600 + 600 - 60 <= water["due_in"] <= 4200, water)
        self.assertTrue(1790 <= eyes["due_in"] <= 1800, "a new reminder starts at zero: %r" % eyes)
        run = self.fails(1, "trigger", "stretch")
        self.assertIn("known reminders: posture, water, eyes", run.err)
        self.assertEqual(self.ok("--json", "reload").json(), {"profile": self.profile})

    def test_bad_reload_prints_every_error_and_keeps_the_profile(self):
        before = self.status()
        self.rewrite(RELOAD_BAD)
        mark = self.limberd.mark()
        run = self.fails(1, "reload")
        lines = run.err.splitlines()
        errors = [l for l in lines if re.match(r"^%s:\d+:\d+: error: " % re.escape(self.profile), l)]
        self.assertEqual([int(l.split(":")[1]) for l in errors], BAD_LINES, run)
        self.assertIn("45s", errors[0])          # a bare number: the accepted forms
        self.assertIn('did you mean "every"', errors[1])
        self.assertEqual(lines[-1], "limberctl: the profile has errors; limberd keeps the one it had")
        self.assertEqual(len(lines), len(BAD_LINES) + 1, run)
        self.limberd.wait_line(r"keeping the running profile", since=mark)
        after = self.status()
        self.assertEqual(after["profile"], before["profile"])
        self.assertEqual([(r["name"], r["every"]) for r in after["reminders"]],
                         [(r["name"], r["every"]) for r in before["reminders"]])
        # The kept profile still runs: posture is still counting down, not reset.
        self.assertLessEqual(after["reminders"][0]["due_in"], before["reminders"][0]["due_in"])
        self.assert_alive(self.limberd)


def state_path(test):
    return os.path.join(test.env["XDG_STATE_HOME"], "limber", "state.json")


def read_state(test):
    try:
        with open(state_path(test)) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


STATE_PROFILE = """\
[general]
snooze = "5m"
max_snoozes = 3
merge_within = "0s"

[reminders.posture]
every = "20s"

[reminders.water]
kind = "hydration"
every = "1h"
"""


class StateTest(CtlTestCase):
    """Pause, snoozes and clocks survive a restart and a crash (timing rule 7)."""

    def setUp(self):
        super().setUp()
        self.start_bus()
        self.profile = self.write_own_profile(STATE_PROFILE)

    def daemon(self, name="limberd"):
        limberd = self.start_limberd(self.profile, name=name)
        self.wait_ready(limberd)
        return limberd

    def prepare(self):
        """A clock that has run, a snooze and a timed pause; returns the status."""
        limberd = self.daemon()
        self.wait_status(lambda s: s["reminders"][0]["due_in"] <= 15, "posture's clock to run 5 s")
        self.ok("snooze", "water", "--for", "10m")
        self.ok("pause", "1h")
        status = self.status()
        # Saved on every change: wait until the file holds the pause.
        wait_until(lambda: (read_state(self) or {}).get("paused"), what="the pause in state.json",
                   detail=self.report_all)
        return limberd, status

    def check_restored(self, before, limberd):
        after = self.status()
        self.assertEqual(after["state"], "paused")
        self.assertLessEqual(abs((parse_iso(after["paused_until"])
                                  - parse_iso(before["paused_until"])).total_seconds()), 2,
                             (before, after))
        posture_before, water_before = before["reminders"]
        posture, water = after["reminders"]
        self.assertLessEqual(abs(posture["due_in"] - posture_before["due_in"]), 2, (before, after))
        self.assertEqual(water["snoozes"], 1)
        self.assertLessEqual(abs(water["due_in"] - water_before["due_in"]), 2, (before, after))
        limberd.wait_line(r"continued from .*state\.json")

    def test_restart_restores_clocks_pause_and_snoozes(self):
        limberd, before = self.prepare()
        limberd.send(signal.SIGTERM)
        self.assertEqual(limberd.wait_exit(5), 0, limberd.report())
        self.wait_name(LIMBER_NAME, owned=False)
        self.fails(1, "status")
        self.check_restored(before, self.daemon("limberd-again"))

    def test_kill_9_restores_clocks_pause_and_snoozes(self):
        limberd, before = self.prepare()
        limberd.send(signal.SIGKILL)
        limberd.wait_exit(5)
        self.wait_name(LIMBER_NAME, owned=False)
        self.check_restored(before, self.daemon("limberd-again"))

    def test_timed_pause_that_ended_while_down_is_over(self):
        limberd = self.daemon()
        run = self.ok("--json", "pause", "2s")
        until = parse_iso(run.json()["paused_until"]).timestamp()
        wait_until(lambda: (read_state(self) or {}).get("paused"), what="the pause in state.json")
        limberd.send(signal.SIGTERM)
        limberd.wait_exit(5)
        wait_until(lambda: time.time() > until + 1, what="the pause's end to pass")
        self.daemon("limberd-again")
        status = self.status()
        self.assertEqual(status["state"], "active", status)
        self.assertIsNone(status["paused_until"])

    def test_nothing_shown_twice_after_a_crash(self):
        fast = STATE_PROFILE.replace('every = "20s"', 'every = "3s"')
        with open(self.profile, "w") as f:
            f.write(fast)
        limberd = self.daemon()
        show = limberd.wait_shows(1)[0]
        # The showing is saved (posture's clock restarted) before the crash.
        wait_until(lambda: (lambda s: s and s["clocks"][0]["elapsed_us"] < 1_000_000
                            and s["saved_at"] >= int(show.time.timestamp()) - 1)(read_state(self)),
                   what="state.json to hold posture's restarted clock", detail=self.report_all)
        limberd.send(signal.SIGKILL)
        limberd.wait_exit(5)
        again = self.daemon("limberd-again")
        nxt = again.wait_shows(1)[0]
        gap = (nxt.time - show.time).total_seconds()
        self.assertGreaterEqual(gap, 2.5, "posture was shown again %.2f s after its last showing "
                                "(every 3 s): shown twice across the crash\n%s" % (gap, self.report_all()))

    def test_crash_long_after_the_last_save_keeps_the_clocks(self):
        # idle_after = 2s: an absence of 2 s counts as posture's break. A crash is no absence:
        # the time between the last save and the crash was spent at the computer.
        with open(self.profile, "w") as f:
            f.write(STATE_PROFILE.replace('max_snoozes = 3', 'max_snoozes = 3\nidle_after = "2s"')
                    .replace('every = "20s"', 'every = "30s"'))
        limberd = self.daemon()
        self.wait_status(lambda s: s["reminders"][0]["due_in"] <= 25, "posture's clock to run 5 s")
        self.ok("snooze", "water")  # a change: saved with posture's clock at 5 s or more
        wait_until(lambda: (read_state(self) or {}).get("clocks", [{}, {}])[1].get("snoozes") == 1,
                   what="the snooze in state.json", detail=self.report_all)
        saved = read_state(self)["clocks"][0]["elapsed_us"] / 1e6
        self.assertGreaterEqual(saved, 4)
        # Three more seconds at the computer, then a crash.
        self.wait_status(lambda s: s["reminders"][0]["due_in"] <= 30 - saved - 3,
                         "posture's clock to run 3 s more")
        limberd.send(signal.SIGKILL)
        limberd.wait_exit(5)
        again = self.daemon("limberd-again")
        posture = self.reminder("posture")
        self.assertLessEqual(posture["due_in"], 30 - saved + 1,
                             "the crash reset posture's clock (saved at %.1f s): %r\n%s"
                             % (saved, posture, again.report()))
        self.assertEqual(self.reminder("water")["snoozes"], 1)
        self.assertEqual(again.matching(r"posture: natural"), [], again.report())

    def check_corrupt(self, content):
        os.makedirs(os.path.dirname(state_path(self)), exist_ok=True)
        with open(state_path(self), "wb") as f:
            f.write(content)
        limberd = self.daemon()
        warnings = limberd.matching(r"\[warning\].*state")
        self.assertEqual(len(warnings), 1, "one warning about the state file\n" + limberd.report())
        self.assertIn("started afresh", warnings[0].text)
        with open(state_path(self) + ".corrupt", "rb") as f:
            self.assertEqual(f.read(), content, "the unreadable file is kept aside as it was")
        status = self.status()
        self.assertEqual(status["state"], "active")
        self.assertTrue(15 <= status["reminders"][0]["due_in"] <= 20, status)
        self.assertEqual(status["reminders"][1]["snoozes"], 0)
        # And state is written afresh on the next change.
        self.ok("snooze", "water")
        wait_until(lambda: (read_state(self) or {}).get("clocks", [{}, {}])[1].get("snoozes") == 1,
                   what="a fresh state.json with the snooze", detail=self.report_all)
        self.assert_alive(limberd)
        limberd.send(signal.SIGTERM)
        self.assertEqual(limberd.wait_exit(5), 0)

    def test_corrupt_state_file_garbage(self):
        self.check_corrupt(b"{this is not json\x00\xff")

    def test_corrupt_state_file_wrong_shape(self):
        self.check_corrupt(b'{"version": 1, "clocks": "many"}\n')

    def test_corrupt_state_file_empty(self):
        self.check_corrupt(b"")

    def test_unreadable_state_file(self):
        # A directory where the file should be: it opens, but reading fails (EISDIR).
        os.makedirs(state_path(self))
        limberd = self.daemon()
        warnings = limberd.matching(r"\[warning\].*state")
        self.assertEqual(len(warnings), 1, limberd.report())
        self.assertIn("started afresh", warnings[0].text)
        self.assertTrue(os.path.isdir(state_path(self) + ".corrupt"), "kept aside")
        self.ok("snooze", "water")
        wait_until(lambda: (read_state(self) or {}).get("clocks", [{}, {}])[1].get("snoozes") == 1,
                   what="a fresh state.json with the snooze", detail=self.report_all)

    def test_second_daemon_is_refused(self):
        first = self.daemon()
        second = self.start_limberd(self.profile, name="limberd-second")
        self.assertEqual(second.wait_exit(), 1, second.report())
        refused = [l for l in second.stderr().splitlines() if "already running" in l]
        self.assertEqual(len(refused), 1, second.report())
        self.assert_alive(first)
        self.assertEqual(self.status()["profile"], self.profile)


LOAD_PROFILE = """\
[general]
merge_within = "0s"

[reminders.posture]
every = "1s"

[reminders.eyes]
kind = "eyes"
every = "2s"

[reminders.water]
kind = "hydration"
every = "3s"
"""


class LoadTest(CtlTestCase):

    def setUp(self):
        super().setUp()
        self.start_bus()

    def test_200_concurrent_status_calls_while_reminders_fire(self):
        limberd, server, _ = self.start_daemon(LOAD_PROFILE, server_caps=["body", "actions"])
        limberd.wait_shows(2)
        mark = limberd.mark()
        procs = [subprocess.Popen([LIMBERCTL, "--json", "status"], env=self.env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(200)]
        results = []
        for p in procs:
            out, err = p.communicate(timeout=TIMEOUT * 3)
            results.append((p.returncode, out, err))
        failed = [r for r in results if r[0] != 0 or r[2]]
        self.assertEqual(failed, [], "%d of 200 calls failed, e.g. %r" % (len(failed), failed[:3]))
        for _rc, out, _err in results:
            status = json.loads(out)
            self.assert_status_shape(status)
            self.assertEqual([r["name"] for r in status["reminders"]], ["posture", "eyes", "water"])
        # Reminders went on firing meanwhile.
        limberd.wait_shows(2, since=mark)
        self.assert_alive(limberd)

    def test_hung_notification_server_stalls_neither_limberctl_nor_reminders(self):
        server = self.spawn("hung-notify", [PYTHON, os.path.join(HERE, "hung_notify_server.py")])
        wait_until(lambda: "ready" in server.stdout() or (not server.alive() and
                                                          self.fail(server.report())),
                   what="the hung server to own its name", detail=server.report)
        limberd, _, _ = self.start_daemon(QUIET_PROFILE.replace('every = "1h"', 'every = "2s"'))
        wait_until(lambda: "notify" in server.stdout(), what="a Notify call to hang at the server",
                   detail=self.report_all)
        mark = limberd.mark()
        latencies = []
        for _ in range(20):
            run = self.ok("--json", "status")
            latencies.append(run.elapsed)
            self.assertEqual(run.json()["state"], "active")
        self.assertLess(statistics.median(latencies), 0.2, latencies)
        self.assertLess(max(latencies), 1.0, latencies)
        self.assertEqual(self.ok("--json", "trigger", "water").json(), {"triggered": "water"})
        self.assertEqual(self.ok("--json", "done", "water").json(), {"done": ["water"]})
        # Reminders keep their times: every 2 s, whatever the server does.
        shows = limberd.wait_shows(4, since=mark, timeout=12)
        posture = [s for s in shows if s.names == ["posture"]]
        gaps = [(b.time - a.time).total_seconds() for a, b in zip(posture, posture[1:])]
        self.assertTrue(gaps and all(1.5 <= g <= 2.6 for g in gaps),
                        "gaps between showings %r (every 2 s)\n%s" % (gaps, limberd.report()))
        limberd.send(signal.SIGTERM)
        self.assertEqual(limberd.wait_exit(6), 0, limberd.report())


def interface_of(xml_text):
    """org.limber.Limber1 from introspection XML, as comparable data."""
    root = ET.fromstring(xml_text)
    iface = next((i for i in root.iter("interface") if i.get("name") == LIMBER_IFACE), None)
    if iface is None:
        raise AssertionError("no interface %s in\n%s" % (LIMBER_IFACE, xml_text))

    def args(el):
        return [(a.get("name"), a.get("type"), a.get("direction", "in" if el.tag == "method" else "out"))
                for a in el.findall("arg")]
    return {
        "methods": {m.get("name"): args(m) for m in iface.findall("method")},
        "signals": {s.get("name"): args(s) for s in iface.findall("signal")},
        "properties": {p.get("name"): (p.get("type"), p.get("access"))
                       for p in iface.findall("property")},
    }


# G_DBUS_DEBUG=message output: one block per message.
BLOCK_RE = re.compile(r"^GDBus-debug:Message:\n(.*?)(?=^={10,}|\Z)", re.M | re.S)


def debug_messages(text):
    out = []
    for block in BLOCK_RE.findall(text):
        def field(name):
            m = re.search(r"^\s+%s -> (?:\w+ )?'?([^'\n]*)'?$" % name, block, re.M)
            return m.group(1) if m else None
        kind = re.search(r"^\s+Type:\s+(\S+)", block, re.M).group(1)
        serial = int(re.search(r"^\s+Serial:\s+(\d+)", block, re.M).group(1))
        out.append({"sent": ">>>> SENT" in block, "type": kind, "serial": serial,
                    "member": field("member"), "interface": field("interface"),
                    "signature": field("signature") or "",
                    "reply_serial": int(field("reply-serial")) if field("reply-serial") else None})
    return out


class BusInterfaceTest(CtlTestCase):
    """limberd exports exactly the interface compiled into limberctl, and
    every call limberctl makes matches it."""

    def setUp(self):
        super().setUp()
        self.start_bus()
        self.limberd, _, _ = self.start_daemon()

    def exported(self):
        obj = self.bus.get_object(LIMBER_NAME, LIMBER_PATH, introspect=False)
        xml = obj.Introspect(dbus_interface="org.freedesktop.DBus.Introspectable")
        return interface_of(str(xml))

    def test_daemon_exports_the_interface_limberctl_was_built_with(self):
        compiled = interface_of(self.ok("__interface").out)
        self.assertEqual(self.exported(), compiled)
        # And it is the interface the spec's commands need.
        self.assertLessEqual({"GetStatus", "Pause", "Resume", "Snooze", "Done", "Skip", "Trigger",
                              "Reload", "Schedule"}, set(compiled["methods"]))

    def test_every_call_limberctl_makes_matches_the_exported_signature(self):
        iface = self.exported()
        env = dict(self.env, G_DBUS_DEBUG="message")
        commands = [["status"], ["__reminders"], ["pause", "1h"], ["pause", "--until", "23:59"],
                    ["pause"], ["resume"], ["snooze", "water", "--for", "1m"], ["trigger", "posture"],
                    ["done"], ["trigger", "posture"], ["skip", "posture"], ["snooze"],
                    ["reload"], ["schedule", "--for", "2h"]]
        called = set()
        for args in commands:
            run = self.ctl(*args, env=env)
            self.assertEqual(run.rc, 0, run)
            messages = debug_messages(run.out)  # GLib prints them on stdout
            replies = {m["reply_serial"]: m for m in messages if not m["sent"]}
            calls = [m for m in messages if m["sent"] and m["type"] == "method-call"
                     and m["interface"] == LIMBER_IFACE]
            self.assertTrue(calls, "limberctl %s called nothing on %s" % (args, LIMBER_IFACE))
            for call in calls:
                method = call["member"]
                called.add(method)
                self.assertIn(method, iface["methods"], "limberctl calls %s, not exported" % method)
                want_in = "".join(t for _n, t, d in iface["methods"][method] if d == "in")
                want_out = "".join(t for _n, t, d in iface["methods"][method] if d == "out")
                self.assertEqual(call["signature"], want_in, "%s: limberctl sends (%s), limberd takes (%s)"
                                 % (method, call["signature"], want_in))
                reply = replies.get(call["serial"])
                self.assertIsNotNone(reply, "no reply to %s" % method)
                self.assertEqual(reply["type"], "method-return", reply)
                self.assertEqual(reply["signature"], want_out, method)
        self.assertEqual(called, {"GetStatus", "Pause", "Resume", "Snooze", "Done", "Skip",
                                  "Trigger", "Reload", "Schedule"})

    def test_properties_readable(self):
        obj = self.bus.get_object(LIMBER_NAME, LIMBER_PATH, introspect=False)
        props = obj.GetAll(LIMBER_IFACE, dbus_interface="org.freedesktop.DBus.Properties")
        self.assertEqual(str(props["State"]), "active")
        self.assertEqual(int(props["PausedUntil"]), 0)
        self.assertEqual(str(props["NextReminder"]), "posture")
        self.assertAlmostEqual(int(props["NextDue"]), time.time() + 3600, delta=60)
        self.ok("pause", "1h")
        props = obj.GetAll(LIMBER_IFACE, dbus_interface="org.freedesktop.DBus.Properties")
        self.assertEqual(str(props["State"]), "paused")
        self.assertAlmostEqual(int(props["PausedUntil"]), time.time() + 3600, delta=5)


if __name__ == "__main__":
    unittest.main(verbosity=2)
