"""scripts/check-format.sh, which ctest runs as the entry "format": it passes a tree
formatted as .clang-format says and fails one that is not, naming each file."""

import os
import shutil
import subprocess
import tempfile
import unittest

from harness import REPO

SCRIPT = os.path.join(REPO, "scripts", "check-format.sh")

GOOD = "int add(int a, int b) { return a + b; }\n"
BAD = "int  add( int a,int b ){return a+b;}\n"


class CheckFormatTest(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="limber-format-")
        self.addCleanup(shutil.rmtree, self.root, ignore_errors=True)
        shutil.copy(os.path.join(REPO, ".clang-format"), self.root)

    def write(self, path, text):
        full = os.path.join(self.root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as f:
            f.write(text)

    def check(self, *args):
        return subprocess.run([SCRIPT, *args, self.root], capture_output=True, text=True, timeout=120)

    def test_formatted_tree_passes(self):
        self.write("src/a.cpp", GOOD)
        self.write("include/a.hpp", GOOD)
        self.write("src/t.cpp.in", GOOD)
        res = self.check()
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertIn("all 3 C++ files", res.stdout)

    def test_unformatted_files_are_named_and_fixable(self):
        self.write("src/a.cpp", GOOD)
        self.write("tests/b.cpp", BAD)
        self.write("doc/c.hpp", BAD)
        self.write("src/d.cpp.in", BAD)
        self.write("src/notes.txt", BAD)  # not C++: not checked
        res = self.check()
        self.assertEqual(res.returncode, 1, res)
        self.assertIn("3 of 4 C++ files are not formatted", res.stderr)
        listing = res.stderr.split("says:\n", 1)[1].split("The first difference", 1)[0]
        listed = [l.strip() for l in listing.splitlines()]
        self.assertEqual(listed, ["doc/c.hpp", "src/d.cpp.in", "tests/b.cpp"], res.stderr)
        self.assertIn("scripts/check-format.sh --fix", res.stderr)
        fixed = self.check("--fix")
        self.assertEqual(fixed.returncode, 0, fixed.stderr)
        res = self.check()
        self.assertEqual(res.returncode, 0, res.stderr)
        with open(os.path.join(self.root, "tests", "b.cpp")) as f:
            self.assertEqual(f.read(), GOOD)

    def test_no_cpp_files_is_an_error(self):
        res = self.check()
        self.assertEqual(res.returncode, 1, res)
        self.assertIn("no C++ files", res.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
