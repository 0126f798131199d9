"""Hostile profiles against the real limberd and limberctl: a profile that is not a
regular file (a FIFO, a device, a directory), one nested a few thousand levels deep,
and one whose path is not UTF-8. Each is refused at once with a line that says where
and what, and a running limberd keeps its profile and goes on answering.
"""

import os
import re
import signal
import unittest

from ctl_helpers import QUIET_PROFILE, CtlTestCase

NOT_A_FILE = "not a regular file (%s); a profile must be a file"
TOO_DEEP = "nested deeper than 32 levels"


def deep_profiles():
    """Profiles nested far deeper than the limit in the ways toml++'s own limit (256 nested arrays
    and inline tables) does not cover: without the scan, each overflows the stack in toml++."""
    dotted = ".".join(["a"] * 300000)
    part = ".".join(["a"] * 1200)
    return {
        "dotted keys": "[reminders.posture]\nevery = \"20m\"\n\n%s = 1\n" % dotted,
        "a table header": "[%s]\n" % dotted,
        "inline tables of dotted keys": "x = %s1%s\n" % (("{%s = " % part) * 250, "}" * 250),
    }


class NotAFileTest(CtlTestCase):
    """check and --check on what is not a regular file: an error at once, not a hang."""

    def assert_refused(self, path, kind):
        line = "%s:1:1: error: %s\n" % (path, NOT_A_FILE % kind)
        run = self.fails(1, "check", path)
        self.assertEqual(run.err, line, run)
        check = self.run_limberd(["--check", "--profile", path])
        self.assertEqual(check.returncode, 1, check.report())
        self.assertEqual(check.stderr(), line, check.report())

    def test_fifo_without_a_writer(self):
        path = os.path.join(self.tmp, "fifo.toml")
        os.mkfifo(path)
        self.assert_refused(path, "a FIFO")

    def test_endless_device(self):
        self.assert_refused("/dev/zero", "a character device")

    def test_directory(self):
        self.assert_refused(self.tmp, "a directory")

    def test_own_profile_that_is_not_a_file_is_not_skipped(self):
        """A FIFO where the person's profile belongs is an error, not a silent switch to the built-in one."""
        path = os.path.join(self.env["XDG_CONFIG_HOME"], "limber", "profile.toml")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        os.mkfifo(path)
        run = self.fails(1, "check")
        self.assertEqual(run.err, "%s:1:1: error: %s\n" % (path, NOT_A_FILE % "a FIFO"), run)


class DeepNestingTest(CtlTestCase):
    """A few thousand levels of nesting: an error, not a stack overflow."""

    def test_check_refuses_deep_nesting(self):
        for form, text in deep_profiles().items():
            with self.subTest(form=form):
                path = self.write_profile(text, name="deep.toml")
                run = self.fails(1, "check", path)
                self.assertRegex(run.err, r"^%s:\d+:\d+: error: .*%s" % (re.escape(path), TOO_DEEP), run)
                self.assertEqual(run.err.count("\n"), 1, run)
                check = self.run_limberd(["--check", "--profile", path])
                self.assertEqual(check.returncode, 1, check.report())
                self.assertIn(TOO_DEEP, check.stderr(), check.report())

    def test_running_daemon_keeps_its_profile(self):
        self.start_bus()
        limberd, _, path = self.start_daemon(QUIET_PROFILE)
        for form, text in deep_profiles().items():
            with self.subTest(form=form):
                with open(path, "w") as f:
                    f.write(text)
                run = self.fails(1, "reload")
                self.assertIn(TOO_DEEP, run.err, run)
                self.assert_alive(limberd, "after reloading a profile nested %s" % form)
        self.assertEqual([r["name"] for r in self.status()["reminders"]], ["posture", "water"])


class ReloadOntoFifoTest(CtlTestCase):
    """The profile of a running limberd is replaced by a FIFO: reload answers with the error
    at once (no writer ever comes) and limberd keeps running its profile."""

    def test_reload_and_sighup(self):
        self.start_bus()
        limberd, _, path = self.start_daemon(QUIET_PROFILE)
        os.unlink(path)
        os.mkfifo(path)
        run = self.fails(1, "reload")
        self.assertIn("%s:1:1: error: %s" % (path, NOT_A_FILE % "a FIFO"), run.err, run)
        self.assert_alive(limberd)
        status = self.status()
        self.assertEqual(status["profile"], path)
        self.assertEqual([r["name"] for r in status["reminders"]], ["posture", "water"])
        # SIGHUP reloads the same way: the error is logged and limberd still answers.
        mark = limberd.mark()
        limberd.send(signal.SIGHUP)
        limberd.wait_line(re.escape(NOT_A_FILE % "a FIFO"), since=mark)
        limberd.wait_line(r"keeping the running profile", since=mark)
        self.assertEqual(self.status()["profile"], path)


class NonUtf8PathTest(CtlTestCase):
    """A profile path with a byte that is not UTF-8: status names it (the byte shown as U+FFFD),
    never the built-in profile, and reload errors reach limberctl."""

    def test_status_and_reload_errors_name_the_path(self):
        self.start_bus()
        raw = os.path.join(os.fsencode(self.tmp), b"prof\xff.toml")
        with open(raw, "w") as f:
            f.write(QUIET_PROFILE)
        path = os.fsdecode(raw)  # what subprocess turns back into the same bytes
        shown = os.path.join(self.tmp, "prof\ufffd.toml")
        limberd, _, _ = self.start_daemon(profile_path=path)
        self.assertEqual(self.status()["profile"], shown)
        self.assertIn(shown, self.ok("status").out)
        with open(raw, "w") as f:
            f.write(QUIET_PROFILE + "\n[reminders.eyes]\nevry = \"20m\"\n")
        run = self.fails(1, "reload")
        self.assertIn("%s:19:1: error: reminders.eyes.evry: unknown key" % shown, run.err, run)
        self.assert_alive(limberd)
        self.assertEqual(self.status()["profile"], shown)


if __name__ == "__main__":
    unittest.main()
