"""Process and bus faults (issue 10), against the real binaries: limberd losing its session bus exits
non-zero (so that Restart=on-failure restarts it) after saving its state; limberctl output that cannot
be written fails the command; `limberctl watch | head -1` ends when its reader does; a hook's output
reaches the log within bounds."""

import json
import os
import re
import signal
import subprocess
import unittest

from harness import FAST_PROFILE, LIMBERCTL, PYTHON, LimberTestCase, TIMEOUT, wait_until

# Nothing due for an hour: nothing changes by itself while a test runs.
SLOW_PROFILE = """\
[reminders.posture]
kind = "posture"
every = "1h"
duration = "1s"
title = "Posture"
"""


class BusLossTest(LimberTestCase):
    """A limberd carrying on without its bus could never be reached again, and a second one would
    write the same state and history: it stops and exits non-zero, as systemd services do when what
    they need is gone, and Restart=on-failure (limber.service) starts it on the new bus."""

    def test_limberd_exits_non_zero_when_the_bus_goes(self):
        self.start_bus()
        bus = self.procs[-1]
        self.write_own_profile(FAST_PROFILE)
        limberd = self.start_limberd()
        self.wait_ready(limberd)
        # Our own connection goes first, so it never sees its bus vanish.
        self.bus.close()
        self.bus = None
        bus.send(signal.SIGKILL)
        status = limberd.wait_exit(what="limberd to exit after its bus went away")
        self.assertEqual(status, 1, limberd.report())
        lost = limberd.matching(r"\[bus\] \[error\] lost the session bus; exiting so that systemd restarts limberd$")
        self.assertEqual(len(lost), 1, limberd.report())
        # It stopped as on SIGTERM: the state saved as stopped, after the line that says why.
        self.assertTrue(limberd.matching(r"\[daemon\] \[info\] stopped$", since=lost[0].index + 1),
                        limberd.report())
        with open(os.path.join(self.env["XDG_STATE_HOME"], "limber", "state.json"), encoding="utf-8") as f:
            self.assertIs(json.load(f)["stopped"], True)

        # The restart systemd makes: on the new bus it owns the name and continues where it stopped.
        self.start_bus()
        again = self.start_limberd()
        self.wait_ready(again)
        again.wait_line(r"continued from ")


class OutputFaultTest(LimberTestCase):
    """Every limberctl write is checked: output that did not arrive is a failure, said on stderr."""

    def setUp(self):
        super().setUp()
        self.start_bus()
        self.limberd = self.start_limberd(self.write_profile(SLOW_PROFILE))
        self.wait_ready(self.limberd)

    def run_ctl(self, args, stdout, preexec_fn=None):
        return subprocess.run([LIMBERCTL] + args, env=self.env, stdout=stdout, stderr=subprocess.PIPE,
                              text=True, timeout=TIMEOUT, preexec_fn=preexec_fn)

    def test_full_disk(self):
        for args in (["--version"], ["status"], ["--json", "status"], ["help", "stats"]):
            with open("/dev/full", "w") as full:
                res = self.run_ctl(args, full)
            self.assertEqual((res.returncode, res.stderr),
                             (1, "limberctl: cannot write the output: No space left on device\n"), args)

    def test_closed_stdout(self):
        # With descriptor 1 closed, the bus connection would be opened on it and take the output.
        for args in (["--version"], ["status"], ["schedule", "--for", "2h"]):
            res = self.run_ctl(args, None, preexec_fn=lambda: os.close(1))
            self.assertEqual((res.returncode, res.stderr),
                             (1, "limberctl: cannot write the output: Bad file descriptor\n"), args)
        self.assertTrue(self.limberd.alive())
        self.assertEqual(self.ctl("status").returncode, 0)

    def test_reader_gone(self):
        # Like coreutils: a reader that left ends the command non-zero, quietly (with SIGPIPE ignored,
        # as a shell or a status bar may leave it; otherwise SIGPIPE ends it).
        read_end, write_end = os.pipe()
        os.close(read_end)
        try:
            res = self.run_ctl(["status"], write_end,
                               preexec_fn=lambda: signal.signal(signal.SIGPIPE, signal.SIG_IGN))
        finally:
            os.close(write_end)
        self.assertEqual((res.returncode, res.stderr), (1, ""))

    def test_watch_to_a_full_disk(self):
        with open("/dev/full", "w") as full:
            res = self.run_ctl(["watch"], full)
        self.assertEqual((res.returncode, res.stderr),
                         (1, "limberctl: cannot write the output: No space left on device\n"))


class WatchReaderTest(LimberTestCase):
    """`limberctl watch | head -1` ends with head, not at the next change (an hour away here)."""

    def watch_head(self, args):
        watch = subprocess.Popen([LIMBERCTL, "watch"] + args, env=self.env, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE)
        head = subprocess.Popen(["head", "-1"], stdin=watch.stdout, stdout=subprocess.PIPE)
        watch.stdout.close()  # head holds the only reading end
        try:
            first = head.communicate(timeout=TIMEOUT)[0].decode()
            wait_until(lambda: watch.poll() is not None, what="limberctl watch to end after head -1 did",
                       detail=self.report_all)
            self.assertEqual(watch.returncode, 0, watch.stderr.read())
            self.assertEqual(watch.stderr.read(), b"")
            self.assertEqual(len(first.splitlines()), 1, first)
            return first
        finally:
            for proc in (watch, head):
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
            watch.stderr.close()

    def test_watch_ends_with_its_reader(self):
        self.start_bus()
        # No limberd: one "stopped" line, then nothing would ever change.
        self.assertIn("stopped", self.watch_head(["--format", "json"]))
        limberd = self.start_limberd(self.write_profile(SLOW_PROFILE))
        self.wait_ready(limberd)
        self.assertEqual(json.loads(self.watch_head(["--format", "json"]))["state"], "active")
        self.assertIn("limber", self.watch_head(["--format", "waybar"]))


HOOK_FLOOD = r"""
import sys
for i in range(1000):
    print("line %d" % i)
sys.stderr.write("\x1b[31mto stderr\n")
sys.exit(3)
"""

HOOK_ENDLESS = r"""
import sys
while True:
    sys.stdout.write("x" * 1000 + "\n")
"""


class HookOutputTest(LimberTestCase):
    """What a hook prints (stdout and stderr) is logged, its first 20 lines of a run, then one line
    saying more was dropped; an endless writer has its output closed, and limberd carries on."""

    def start(self, program):
        profile = ("[hooks]\non_shown = %s\ntimeout = \"5s\"\n\n" % json.dumps([PYTHON, "-c", program])
                   + SLOW_PROFILE)
        self.start_bus()
        limberd = self.start_limberd(self.write_profile(profile))
        self.wait_ready(limberd)
        self.assertEqual(self.ctl("trigger", "posture").returncode, 0)
        return limberd

    def test_output_is_logged_within_bounds(self):
        limberd = self.start(HOOK_FLOOD)
        limberd.wait_line(r"\[hooks\] \[warning\] on_shown hook .*failed", what="the hook's end logged")
        lines = [l.message for l in limberd.matching(r"\[hooks\] \[info\] on_shown hook ")]
        self.assertEqual([l.split(": ", 1)[1] for l in lines], ["line %d" % i for i in range(20)],
                         limberd.report())
        self.assertRegex(lines[0], r"^on_shown hook %s \(pid \d+\): line 0$" % re.escape(PYTHON))
        dropped = limberd.matching(r"\[hooks\] \[warning\] on_shown hook .*: more output dropped \(the first 20 "
                                   r"lines or 4096 bytes of each run are logged\)$")
        self.assertEqual(len(dropped), 1, limberd.report())
        self.assertEqual(limberd.matching(r"line 20\b|to stderr"), [], "nothing after the cap is logged")

    def test_stderr_is_logged_as_text(self):
        limberd = self.start("import sys\nsys.stderr.write('\\x1b[31mred\\rlast\\n')\n")
        limberd.wait_line(r"on_shown hook .*: \?\[31mred\?last$", what="the hook's stderr, its control "
                          "characters shown as ?")

    def test_endless_output_is_cut_off(self):
        limberd = self.start(HOOK_ENDLESS)
        # Its pipe is closed past 1 MiB: the writer meets a broken pipe and fails, well before the timeout.
        limberd.wait_line(r"\[hooks\] \[warning\] on_shown hook .*failed", what="the endless hook to fail")
        self.assertEqual(limberd.matching(r"ran longer than"), [], limberd.report())
        # Four lines of 1,000 bytes, then the fifth cut at 4,096 bytes in all.
        logged = [l.message.split(": ", 1)[1] for l in limberd.matching(r"\[hooks\] \[info\] on_shown hook ")]
        self.assertEqual(logged, ["x" * 1000] * 4 + ["x" * (4096 - 4 * 1001)], limberd.report())
        self.assertEqual(len(limberd.matching(r"more output dropped")), 1)
        self.assertEqual(self.ctl("status").returncode, 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
