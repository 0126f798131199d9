"""[hooks] on_shown, on_answered and on_pause run by the real limberd: argv
taken word for word (no shell ever sees profile text), event details in the
environment, failures logged, a hanging hook killed after hooks.timeout while
limberd keeps answering."""

import json
import os
import time
import unittest

from harness import LimberTestCase, PYTHON, wait_until

HERE = os.path.dirname(os.path.abspath(__file__))
RECORD = os.path.join(HERE, "hook_record.py")


def toml_array(items):
    return "[" + ", ".join(json.dumps(i) for i in items) + "]"


class HooksTest(LimberTestCase):
    def setUp(self):
        super().setUp()
        self.start_bus()
        self.log = os.path.join(self.tmp, "hooks.jsonl")

    def hook(self, *args):
        return [PYTHON, RECORD, self.log] + list(args)

    def records(self):
        try:
            with open(self.log, encoding="utf-8") as f:
                return [json.loads(l) for l in f if l.endswith("\n")]
        except FileNotFoundError:
            return []

    def wait_records(self, predicate, what):
        return wait_until(lambda: [r for r in self.records() if predicate(r)], what=what,
                          detail=lambda: "records: %r\n%s" % (self.records(), self.report_all()))

    def start(self, hooks, title="Posture", every="1h", extra=""):
        profile = "[hooks]\n%s\n%s\n[reminders.posture]\nkind = \"posture\"\nevery = \"%s\"\n" \
                  "duration = \"1s\"\ntitle = %s\n" % (hooks, extra, every, json.dumps(title))
        limberd = self.start_limberd(self.write_profile(profile))
        self.wait_ready(limberd)
        return limberd

    def test_arguments_and_profile_text_are_never_interpreted(self):
        victim = os.path.join(self.tmp, "victim")
        os.mkdir(victim)
        pwned = [os.path.join(self.tmp, "pwned%d" % i) for i in range(4)]
        args = ["$(touch %s)" % pwned[0], "; rm -rf %s" % victim, "`touch %s`" % pwned[1],
                "'single' \"double\" \\back", "a b\tc", "*", "&& touch %s" % pwned[2], "$HOME", ""]
        title = "Sit up $(touch %s); `id` \"q\" 'q'" % pwned[3]
        self.env["NOTIFY_SOCKET"] = os.path.join(self.tmp, "no-such-notify-socket")
        limberd = self.start("on_shown = %s" % toml_array(self.hook(*args)), title=title)
        self.assertEqual(self.ctl("trigger", "posture").returncode, 0)
        rec = self.wait_records(lambda r: r["env"].get("LIMBER_EVENT") == "shown", "the on_shown hook")[0]
        self.assertEqual(rec["argv"], args, "each argument arrives exactly as written")
        self.assertEqual(rec["env"]["LIMBER_TITLE"], title)
        self.assertEqual(rec["env"]["LIMBER_REMINDER"], "posture")
        self.assertEqual(rec["env"]["LIMBER_REMINDERS"], "posture")
        self.assertEqual(rec["env"]["LIMBER_KIND"], "posture")
        self.assertNotIn("NOTIFY_SOCKET", rec["notify"], "limberd's systemd socket is not the hook's")
        # Its own process group: a timeout can stop what it started as well.
        self.assertEqual(rec["pgid"], rec["pid"])
        for path in pwned:
            self.assertFalse(os.path.exists(path), "%s was created: a shell ran" % path)
        self.assertTrue(os.path.isdir(victim))
        self.assertTrue(limberd.alive())

    def test_answered_and_pause_hooks_get_their_details(self):
        hooks = "on_answered = %s\non_pause = %s" % (toml_array(self.hook("answered")),
                                                     toml_array(self.hook("pause")))
        self.start(hooks)
        self.assertEqual(self.ctl("trigger", "posture").returncode, 0)
        self.assertEqual(self.ctl("done", "posture").returncode, 0)
        rec = self.wait_records(lambda r: r["argv"] == ["answered"], "the on_answered hook")[0]
        self.assertEqual(rec["env"]["LIMBER_EVENT"], "answered")
        self.assertEqual(rec["env"]["LIMBER_OUTCOME"], "done")
        self.assertEqual(rec["env"]["LIMBER_REMINDER"], "posture")
        self.assertEqual(rec["env"]["LIMBER_KIND"], "posture")

        self.assertEqual(self.ctl("pause", "30m").returncode, 0)
        rec = self.wait_records(lambda r: r["env"].get("LIMBER_EVENT") == "pause", "on_pause for pause")[0]
        self.assertRegex(rec["env"]["LIMBER_PAUSED_UNTIL"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
        self.assertEqual(self.ctl("resume").returncode, 0)
        rec = self.wait_records(lambda r: r["env"].get("LIMBER_EVENT") == "resume", "on_pause for resume")[0]
        self.assertEqual(rec["env"]["LIMBER_PAUSED_UNTIL"], "")
        self.assertEqual(rec["argv"], ["pause"])
        # A timed pause that ends by itself is a resume too.
        self.assertEqual(self.ctl("pause", "1s").returncode, 0)
        wait_until(lambda: [r["env"]["LIMBER_EVENT"] for r in self.records() if r["argv"] == ["pause"]] ==
                   ["pause", "resume", "pause", "resume"], what="pause, resume, pause, resume",
                   detail=lambda: repr(self.records()))

    def test_failing_and_missing_hooks_are_logged(self):
        hooks = "on_shown = %s\non_answered = [\"/nonexistent/limber-hook\", \"x\"]" % toml_array(
            self.hook("--fail"))
        limberd = self.start(hooks)
        self.assertEqual(self.ctl("trigger", "posture").returncode, 0)
        limberd.wait_line(r"\[hooks\] \[warning\] on_shown hook .*failed", what="the failure logged")
        self.assertEqual(self.ctl("skip").returncode, 0)
        limberd.wait_line(r"\[hooks\] \[warning\] on_answered hook /nonexistent/limber-hook could not start",
                          what="the failure to start logged")
        # limberd carries on as before.
        self.assertEqual(self.ctl("trigger", "posture").returncode, 0)
        limberd.wait_shows(2)
        self.assertTrue(limberd.alive())

    def test_hanging_hook_is_killed_and_limberd_stays_responsive(self):
        limberd = self.start("on_shown = %s" % toml_array(self.hook("--hang")), extra='timeout = "1s"')
        self.assertEqual(self.ctl("trigger", "posture").returncode, 0)
        rec = self.wait_records(lambda r: True, "the hanging hook to start")[0]
        os.kill(rec["pid"], 0)  # running now
        # While it hangs limberd answers at once.
        started = time.monotonic()
        res = self.ctl("status", "--format", "waybar")
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertLess(time.monotonic() - started, 1.0)
        # It ignores SIGTERM, so after 1 s and the grace period, SIGKILL.
        limberd.wait_line(r"on_shown hook .* ran longer than 1s and was stopped with SIGKILL",
                          what="the hanging hook to be killed")

        def gone():
            try:
                os.kill(rec["pid"], 0)
                return False
            except ProcessLookupError:
                return True
        wait_until(gone, what="the hook process to be gone")
        self.assertEqual(self.ctl("trigger", "posture").returncode, 0)
        limberd.wait_shows(2)


if __name__ == "__main__":
    unittest.main(verbosity=2)
