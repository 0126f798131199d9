"""A run on a profile that is not the person's own (the demo, or any file that
--profile or $LIMBER_PROFILE names other than the one the lookup order finds)
keeps its state and history in a directory of its own under
$XDG_STATE_HOME/limber/profiles/, says where at start, and comes back to it on
its next run; the person's own run neither continues its clocks nor counts its
reminders, and limberctl without a daemon reads the person's own history."""

import json
import os
import re
import unittest

from harness import LimberTestCase

# The same reminder name in both, so that mixed-up clocks or counts would show.
OWN = """\
[general]
merge_within = "0s"

[reminders.posture]
kind = "posture"
every = "1h"
"""

DEMO = """\
[general]
merge_within = "0s"

[reminders.posture]
kind = "posture"
every = "1s"
"""

APART_RE = r"is not your own profile \(yours is (.*)\): its state and history are kept apart, in (\S+)$"


class ProfileStateTest(LimberTestCase):

    def setUp(self):
        super().setUp()
        self.without_system_bus()
        self.start_bus()
        self.start_mock_server(["body", "actions"])
        self.own = self.write_own_profile(OWN)
        self.demo = self.write_profile(DEMO, name="demo.toml")
        self.mine = os.path.join(self.env["XDG_STATE_HOME"], "limber")

    def json_ctl(self, *args):
        res = self.ctl("--json", *args)
        self.assertEqual(res.returncode, 0, "limberctl %s: %s%s\n%s" % (
            " ".join(args), res.stdout, res.stderr, self.report_all()))
        return json.loads(res.stdout)

    def shown(self, stats):
        return sum(day["reminders"].get("posture", {}).get("shown", 0) for day in stats["days"])

    def start(self, profile=None, env=None):
        limberd = self.start_limberd(profile, env=env)
        self.wait_ready(limberd)
        return limberd

    def stop(self, limberd):
        limberd.stop()
        self.assertEqual(limberd.returncode, 0, limberd.report())
        self.wait_name("org.limber.Limber1", owned=False)

    def test_demo_runs_apart_from_the_persons_own(self):
        # The demo: told apart at start, with the directory named after it.
        demo = self.start(self.demo)
        line = demo.wait_line(APART_RE)[0]
        own_named, apart = re.search(APART_RE, line.text).groups()
        self.assertEqual(own_named, self.own)
        self.assertEqual(os.path.dirname(apart), os.path.join(self.mine, "profiles"))
        self.assertRegex(os.path.basename(apart), r"^demo-[0-9a-f]{8}$")
        demo.wait_shows(2)
        # limberctl asks the running limberd: the demo's own history.
        self.assertGreaterEqual(self.shown(self.json_ctl("stats", "--days", "1")), 2)
        self.stop(demo)
        for name in ("state.json", "history.sqlite"):
            self.assertTrue(os.path.exists(os.path.join(apart, name)), "%s in %s" % (name, apart))
            self.assertFalse(os.path.exists(os.path.join(self.mine, name)),
                             "the demo wrote the person's own %s" % name)

        # No limberd: limberctl reads the person's own history, which has nothing of the demo.
        stats = self.json_ctl("stats", "--days", "1")
        self.assertEqual(stats["source"], "file")
        self.assertEqual(self.shown(stats), 0, stats)

        # The person's own run (the lookup finds ~/.config/limber/profile.toml): fresh clocks.
        mine = self.start()
        self.assertEqual(mine.matching(r"continued from|not your own profile"), [], mine.report())
        status = self.json_ctl("status")
        self.assertEqual(status["profile"], self.own)
        self.assertGreater(status["reminders"][0]["due_in"], 3500, status)
        self.assertEqual(self.shown(self.json_ctl("stats", "--days", "1")), 0)
        self.stop(mine)
        self.assertTrue(os.path.exists(os.path.join(self.mine, "state.json")))
        self.assertTrue(os.path.exists(os.path.join(self.mine, "history.sqlite")))

        # The demo again, named by $LIMBER_PROFILE this time: it continues its own state.
        env = dict(self.env, LIMBER_PROFILE=self.demo)
        again = self.start(env=env)
        again.wait_line(r"continued from " + re.escape(os.path.join(apart, "state.json")))
        self.assertEqual(re.search(APART_RE, again.wait_line(APART_RE)[0].text).group(2), apart)
        self.stop(again)
        self.assertEqual(self.shown(self.json_ctl("stats", "--days", "1")), 0)

    def test_own_profile_named_explicitly_is_still_the_persons_own(self):
        # --profile through a symbolic link to ~/.config/limber/profile.toml: the same file.
        link = os.path.join(self.tmp, "link.toml")
        os.symlink(self.own, link)
        limberd = self.start(link)
        self.assertEqual(limberd.matching(r"not your own profile"), [], limberd.report())
        self.stop(limberd)
        self.assertTrue(os.path.exists(os.path.join(self.mine, "state.json")))
        self.assertFalse(os.path.exists(os.path.join(self.mine, "profiles")))

    def test_with_no_profile_of_their_own_any_named_profile_is_apart(self):
        # Nothing under the XDG dirs: the person's own is the built-in profile.
        os.remove(self.own)
        limberd = self.start(self.demo)
        own_named, apart = re.search(APART_RE, limberd.wait_line(APART_RE)[0].text).groups()
        self.assertEqual(own_named, "the built-in one")
        self.stop(limberd)
        self.assertTrue(os.path.exists(os.path.join(apart, "state.json")))
        self.assertFalse(os.path.exists(os.path.join(self.mine, "state.json")))


if __name__ == "__main__":
    unittest.main()
