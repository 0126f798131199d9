"""limberd's command line, signals, single instance and running without a
session bus."""

import os
import re
import signal
import unittest

from harness import (FAST_MESSAGE, FAST_PROFILE, FAST_TITLE, LIMBER_NAME, LimberTestCase)

# The fast profile with three mistakes, on known lines.
BAD_PROFILE = """\
[general]
snooze = "3s"
merge_within = "0s"

[reminders.posture]
kind = "posture"
every = "0s"
titel = "Posture & you"
urgency = "loud"
message = "Sit <tall>"
"""
BAD_LINES = {
    7: [r"1s"],                                # every below 1s
    8: [r"did you mean", r"title"],            # unknown key
    9: [r"low", r"normal", r"critical"],       # unknown urgency, valid ones listed
}


class CommandLineTest(LimberTestCase):
    """Options that run and exit; no bus needed."""

    def setUp(self):
        super().setUp()
        # If limberd wrongly starts up as a daemon, it must not find a bus.
        self.env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=/nonexistent/limber-e2e-bus"

    def test_version(self):
        run = self.run_limberd(["--version"])
        self.assertEqual(run.returncode, 0, run.report())
        self.assertRegex(run.stdout(), r"\d+\.\d+", run.report())

    def test_help(self):
        run = self.run_limberd(["--help"])
        self.assertEqual(run.returncode, 0, run.report())
        for option in ("--profile", "--check", "--log-level", "--version", "--help"):
            self.assertIn(option, run.stdout(), run.report())

    def test_unknown_option_is_an_error(self):
        run = self.run_limberd(["--no-such-option"])
        self.assertNotEqual(run.returncode, 0, run.report())
        self.assertIn("no-such-option", run.stderr(), run.report())

    def test_bad_log_level_is_an_error(self):
        run = self.run_limberd(["--log-level", "chatty", "--check",
                                "--profile", self.write_profile()])
        self.assertNotEqual(run.returncode, 0, run.report())
        self.assertIn("chatty", run.stderr(), run.report())

    def test_check_good_profile(self):
        run = self.run_limberd(["--check", "--profile", self.write_profile()])
        self.assertEqual(run.returncode, 0, run.report())
        self.assertNotRegex(run.stderr(), r": error: ", run.report())

    def test_check_builtin_profile(self):
        # No --profile, no $LIMBER_PROFILE, nothing under the XDG dirs.
        run = self.run_limberd(["--check"])
        self.assertEqual(run.returncode, 0, run.report())

    def test_check_bad_profile_reports_every_error(self):
        path = self.write_profile(BAD_PROFILE, "bad.toml")
        run = self.run_limberd(["--check", "--profile", path])
        self.assertEqual(run.returncode, 1, run.report())
        errors = re.findall(r"^%s:(\d+):(\d+): error: (.+)$" % re.escape(path),
                            run.stderr(), re.M)
        by_line = {int(line): msg for line, col, msg in errors}
        self.assertEqual(sorted(by_line), sorted(BAD_LINES),
                         "expected one `PATH:LINE:COL: error:` per mistake\n" + run.report())
        for line, words in BAD_LINES.items():
            for word in words:
                self.assertIn(word, by_line[line], "line %d: %s" % (line, by_line[line]))
        for _line, col, _msg in errors:
            self.assertGreaterEqual(int(col), 1)


class DaemonLifecycleTest(LimberTestCase):
    """A running limberd on a private bus (no notification server)."""

    def setUp(self):
        super().setUp()
        self.start_bus()
        self.profile = self.write_profile()

    def test_ready_owns_bus_name(self):
        limberd = self.start_limberd(self.profile)
        self.wait_ready(limberd)
        show = limberd.wait_shows(1)[0]
        self.assert_show(show, ["posture"], FAST_TITLE)

    def test_second_instance_is_refused(self):
        first = self.start_limberd(self.profile)
        self.wait_ready(first)
        owner = self.name_owner(LIMBER_NAME)
        second = self.start_limberd(self.profile, name="limberd-second")
        self.assertEqual(second.wait_exit(), 1, second.report())
        self.assertIn("already running", second.stderr(), second.report())
        self.assert_alive(first, "after a second instance was refused")
        self.assertEqual(self.name_owner(LIMBER_NAME), owner)

    def check_stops_on(self, sig):
        limberd = self.start_limberd(self.profile)
        self.wait_ready(limberd)
        limberd.send(sig)
        self.assertEqual(limberd.wait_exit(5, "limberd to exit on %s" % sig.name), 0,
                         limberd.report())
        self.wait_name(LIMBER_NAME, owned=False)

    def test_sigterm_stops_cleanly(self):
        self.check_stops_on(signal.SIGTERM)

    def test_sigint_stops_cleanly(self):
        self.check_stops_on(signal.SIGINT)

    def test_sighup_reload(self):
        limberd = self.start_limberd(self.profile)
        self.wait_ready(limberd)

        # A bad edit: every error logged with its place, old profile kept.
        with open(self.profile, "w") as f:
            f.write(BAD_PROFILE)
        mark = limberd.mark()
        limberd.send(signal.SIGHUP)
        limberd.wait_line(r"keeping", since=mark)
        for line in BAD_LINES:
            limberd.wait_line(r"%s:%d:\d+: error: " % (re.escape(self.profile), line),
                              since=mark)
        mark = limberd.mark()
        show = limberd.wait_shows(1, since=mark)[0]
        # The running profile is kept after a bad edit.
        self.assert_show(show, ["posture"], FAST_TITLE)
        self.assert_alive(limberd)

        # A good edit is applied.
        with open(self.profile, "w") as f:
            f.write(FAST_PROFILE.replace('title = "Posture & you"', 'title = "Stand tall"'))
        mark = limberd.mark()
        limberd.send(signal.SIGHUP)
        reloaded = limberd.wait_line(r"reloaded", since=mark)[0]
        shows = limberd.wait_shows(1, since=reloaded.index + 1)
        self.assert_show(shows[0], ["posture"], "Stand tall")
        self.assert_alive(limberd)


class NoSessionBusTest(LimberTestCase):
    """A bare terminal: no session bus at all."""

    def check_without_bus(self):
        limberd = self.start_limberd(self.write_profile())
        limberd.wait_line(r"no D-Bus session bus")
        shows = limberd.wait_shows(2)
        # With nowhere else to show it, the log carries title and message.
        for show in shows[:2]:
            self.assert_show(show, ["posture"], FAST_TITLE, FAST_MESSAGE)
        self.assertEqual(len(limberd.matching(r"no D-Bus session bus")), 1,
                         "say it in one line, not on every reminder\n" + limberd.report())
        cpu = self.cpu_seconds(limberd)
        self.assertLess(cpu, 1.0, "limberd used %.2f s CPU in ~4 s without a bus" % cpu)
        limberd.send(signal.SIGTERM)
        self.assertEqual(limberd.wait_exit(5), 0, limberd.report())

    def test_bus_address_unreachable(self):
        self.env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=/nonexistent/limber-e2e-bus"
        self.check_without_bus()

    def test_bus_address_unset(self):
        # No DBUS_SESSION_BUS_ADDRESS, no $XDG_RUNTIME_DIR/bus, no DISPLAY to
        # autolaunch a bus on.
        self.env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        self.assertFalse(os.path.exists(os.path.join(self.env["XDG_RUNTIME_DIR"], "bus")))
        self.check_without_bus()


if __name__ == "__main__":
    unittest.main(verbosity=2)
