"""limberctl init: writes the built-in profile where limberd looks for the
user's, creating directories; refuses to overwrite without --force."""

import os
import unittest

from harness import REPO, LimberTestCase

with open(os.path.join(REPO, "config", "default.toml"), encoding="utf-8") as _f:
    DEFAULT = _f.read()


class InitTest(LimberTestCase):
    def setUp(self):
        super().setUp()
        # No bus: init needs no daemon.
        self.env["XDG_CONFIG_HOME"] = os.path.join(self.tmp, "deep", "config")
        self.path = os.path.join(self.env["XDG_CONFIG_HOME"], "limber", "profile.toml")

    def read(self):
        with open(self.path, encoding="utf-8") as f:
            return f.read()

    def test_writes_refuses_and_forces(self):
        res = self.ctl("init")
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertIn(self.path, res.stdout)
        self.assertEqual(self.read(), DEFAULT)
        # It is the profile limberctl (and limberd) now find, and it is valid.
        check = self.ctl("check")
        self.assertEqual(check.returncode, 0, check.stderr)
        self.assertIn(self.path, check.stdout)

        with open(self.path, "w", encoding="utf-8") as f:
            f.write("# my edits\n")
        res = self.ctl("init")
        self.assertEqual(res.returncode, 1)
        self.assertIn("already exists", res.stderr)
        self.assertIn("limberctl init --force", res.stderr)
        self.assertEqual(res.stderr.count("\n"), 1, "one line: %r" % res.stderr)
        self.assertEqual(self.read(), "# my edits\n", "init overwrote without --force")

        res = self.ctl("init", "--force")
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertEqual(self.read(), DEFAULT)
        self.assertEqual([n for n in os.listdir(os.path.dirname(self.path))], ["profile.toml"],
                         "no temporary file left behind")

    def test_home_config_when_xdg_config_home_is_unset(self):
        del self.env["XDG_CONFIG_HOME"]
        res = self.ctl("--json", "init")
        self.assertEqual(res.returncode, 0, res.stderr)
        path = os.path.join(self.env["HOME"], ".config", "limber", "profile.toml")
        self.assertIn(path, res.stdout)
        self.assertTrue(os.path.isfile(path))

    def test_unwritable_place_is_one_clear_line(self):
        blocker = os.path.join(self.tmp, "a-file")
        open(blocker, "w").close()
        self.env["XDG_CONFIG_HOME"] = blocker  # a file where a directory must go
        res = self.ctl("init")
        self.assertEqual(res.returncode, 1)
        self.assertRegex(res.stderr, r"^limberctl: cannot create .*a-file/limber")
        self.assertEqual(res.stderr.count("\n"), 1)

    def test_usage(self):
        self.assertEqual(self.ctl("init", "extra").returncode, 2)
        self.assertEqual(self.ctl("init", "--forse").returncode, 2)


if __name__ == "__main__":
    unittest.main(verbosity=2)
