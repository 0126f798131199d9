"""Fixtures for the limberctl end-to-end tests (test_ctl*.py): running the
real limberctl against the real limberd on the test's private bus, and
watching limberd's bus signals with `gdbus monitor`.

Environment (besides harness.py's):
  LIMBERCTL   path of the limberctl binary (default: <repo>/build/limberctl)
"""

import datetime
import json
import os
import re
import subprocess
import time

from harness import REPO, TIMEOUT, LimberTestCase, Proc, wait_until

LIMBERCTL = os.environ.get("LIMBERCTL") or os.path.join(
    os.path.dirname(os.environ.get("LIMBERD") or os.path.join(REPO, "build", "limberd")), "limberctl")

NOT_RUNNING = "limberctl: limberd is not running (start it with: systemctl --user start limber)\n"
DURATION_FORMS = '"45s", "20m", "1h", "1h30m"'

# Two reminders: one that never fires during a test unless triggered, one
# that does not fire either; tests that need firing use their own profiles.
QUIET_PROFILE = """\
[general]
snooze = "5m"
max_snoozes = 2
merge_within = "0s"

[reminders.posture]
kind = "posture"
every = "1h"
title = "Posture check"
message = "Sit tall"

[reminders.water]
kind = "hydration"
every = "2h"
title = "Water"
message = "Drink a glass"
"""

STATUS_KEYS = {"state", "paused_until", "profile", "reminders"}
REMINDER_KEYS = {"name", "kind", "every", "duration", "due_in", "snoozes", "enabled"}
ISO_OFFSET_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")

# One signal line of `gdbus monitor`:  /path: iface.Member (args)
MONITOR_RE = re.compile(r"^(/\S*): (\S+)\.(\w+) (.*)$")


def parse_iso(text):
    """An ISO 8601 time with offset, as an aware datetime."""
    return datetime.datetime.fromisoformat(text)


class Ctl:
    """One finished limberctl run."""

    def __init__(self, argv, res, elapsed):
        self.argv = argv
        self.rc = res.returncode
        self.out = res.stdout
        self.err = res.stderr
        self.elapsed = elapsed

    def json(self):
        try:
            return json.loads(self.out)
        except ValueError as exc:
            raise AssertionError("limberctl %s printed no JSON (%s): %r / %r"
                                 % (" ".join(self.argv), exc, self.out, self.err))

    def __repr__(self):
        return "limberctl %s -> %d\nstdout: %r\nstderr: %r" % (
            " ".join(self.argv), self.rc, self.out, self.err)


class Monitor(Proc):
    """`gdbus monitor` on limberd's name: every signal it emits, as lines."""

    def signals(self, member=None, since=0):
        out = []
        for line in self.stdout().splitlines()[since:]:
            m = MONITOR_RE.match(line)
            if m and (member is None or m.group(3) == member):
                out.append((m.group(3), m.group(4)))
        return out

    def mark(self):
        return len(self.stdout().splitlines())


class CtlTestCase(LimberTestCase):
    """A private bus, limberd on it, and limberctl to talk to it."""

    def setUp(self):
        super().setUp()
        if not os.access(LIMBERCTL, os.X_OK):
            self.fail("limberctl binary not found or not executable: %s (set LIMBERCTL)" % LIMBERCTL)

    # -- limberctl --------------------------------------------------------
    def ctl(self, *args, env=None, timeout=None):
        argv = [str(a) for a in args]
        start = time.monotonic()
        res = subprocess.run([LIMBERCTL] + argv, env=self.env if env is None else env,
                             capture_output=True, text=True,
                             timeout=TIMEOUT if timeout is None else timeout)
        return Ctl(argv, res, time.monotonic() - start)

    def ok(self, *args, **kw):
        """limberctl ARGS must exit 0 and print nothing on stderr."""
        run = self.ctl(*args, **kw)
        self.assertEqual(run.rc, 0, "%r\n%s" % (run, self.report_all()))
        self.assertEqual(run.err, "", run)
        return run

    def ctl_ok(self, *args):
        """The harness's ctl_ok on this class's ctl(): limberctl ARGS must exit 0; its output."""
        return self.ok(*args).out

    def fails(self, rc, *args, **kw):
        """limberctl ARGS must exit `rc` (1 or 2) with nothing on stdout."""
        run = self.ctl(*args, **kw)
        self.assertEqual(run.rc, rc, "%r\n%s" % (run, self.report_all()))
        self.assertEqual(run.out, "", run)
        self.assertNotEqual(run.err, "", run)
        return run

    def status(self):
        return self.ok("--json", "status").json()

    def reminder(self, name, status=None):
        status = status or self.status()
        for r in status["reminders"]:
            if r["name"] == name:
                return r
        self.fail("no reminder %r in %r" % (name, status))

    def wait_status(self, predicate, what, timeout=None):
        """Poll `limberctl --json status` until predicate(status) holds."""
        last = {}

        def check():
            last["s"] = self.status()
            return last["s"] if predicate(last["s"]) else None
        return wait_until(check, timeout, what,
                          lambda: "last status: %r\n%s" % (last.get("s"), self.report_all()))

    def assert_status_shape(self, status):
        """Exactly the spec's `--json status` object (fields may be added)."""
        self.assertTrue(STATUS_KEYS <= set(status), status)
        self.assertIn(status["state"], ("active", "paused", "away", "off-hours", "dnd"))
        if status["paused_until"] is not None:
            self.assertRegex(status["paused_until"], ISO_OFFSET_RE)
        self.assertIsInstance(status["profile"], str)
        self.assertIsInstance(status["reminders"], list)
        for r in status["reminders"]:
            self.assertTrue(REMINDER_KEYS <= set(r), r)
            self.assertRegex(r["name"], r"^[a-z0-9_-]+$")
            self.assertIsInstance(r["kind"], str)
            for key in ("every", "duration", "due_in", "snoozes"):
                self.assertIsInstance(r[key], int, "%s must be whole seconds: %r" % (key, r))
                self.assertNotIsInstance(r[key], bool)
                self.assertGreaterEqual(r[key], 0, r)
            self.assertIsInstance(r["enabled"], bool)
            self.assertLessEqual(r["due_in"], max(r["every"], r["due_in"]), r)

    # -- limberd ----------------------------------------------------------
    def start_daemon(self, profile_text=QUIET_PROFILE, server_caps=None, name="limberd",
                     profile_path=None):
        """limberd on a profile (and, with caps, behind a mock server); ready."""
        server = self.start_mock_server(server_caps) if server_caps is not None else None
        path = profile_path or self.write_profile(profile_text)
        limberd = self.start_limberd(path, name=name)
        self.wait_ready(limberd)
        return limberd, server, path

    def monitor(self):
        """`gdbus monitor` of limberd's signals, subscribed before it returns."""
        mon = self.spawn("gdbus-monitor", ["gdbus", "monitor", "--session",
                                           "--dest", "org.limber.Limber1"], cls=Monitor)
        # It prints this once its match rules are in place and the name is resolved.
        wait_until(lambda: "is owned by" in mon.stdout() or None, what="gdbus monitor to start",
                   detail=mon.report)
        return mon

    def wait_signal(self, mon, member, pattern=".*", since=0, timeout=None):
        rx = re.compile(pattern)

        def check():
            found = [args for m, args in mon.signals(member, since) if rx.search(args)]
            return found or None
        return wait_until(check, timeout, "signal %s matching /%s/" % (member, pattern),
                          lambda: mon.report() + self.report_all())
