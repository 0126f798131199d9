"""The man pages agree with --help (every command, option and help paragraph
is in them), document every profile key the loader accepts, and render
without warnings; the .desktop and D-Bus activation files are well formed."""

import configparser
import os
import re
import shutil
import subprocess
import unittest

from harness import LIMBERCTL, LIMBERD, REPO, LimberTestCase

BUILD = os.path.dirname(LIMBERD)
MAN = os.path.join(BUILD, "man")


def run(argv, **kw):
    res = subprocess.run(argv, capture_output=True, text=True, timeout=30, **kw)
    if res.returncode != 0:
        raise AssertionError("%s failed (%d): %s" % (argv, res.returncode, res.stderr))
    return res.stdout


def words(text):
    """Whitespace collapsed, so wrapping does not matter."""
    return " ".join(text.split())


def rendered(page):
    """The page as man shows it: plain text, wide lines, no hyphenation (the pages say .nh)."""
    env = dict(os.environ, MANWIDTH="250", MAN_KEEP_FORMATTING="0", LC_ALL="C.UTF-8")
    text = run(["man", "-l", os.path.join(MAN, page)], env=env)
    text = re.sub(r".\x08", "", text)  # overstrike bold/underline, if any
    return words(text)


def options_in(text):
    return set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*|-h)\b", text))


def help_sections(text):
    """{"Commands": [(term, description)], ...}: two-space-indented rows of
    help text; continuation lines (deeper indent, no term) join the row above."""
    sections, current = {}, None
    for line in text.splitlines():
        m = re.match(r"^([A-Z][A-Za-z ]*):$", line)
        if m:
            current = sections.setdefault(m.group(1), [])
            continue
        if current is None or not line.startswith("  "):
            if not line.strip():
                continue
            current = None
            continue
        row = re.match(r"^  (\S.*?)(?:\s{2,}(.*))?$", line)
        if row and not line.startswith("   "):
            current.append([row.group(1), row.group(2) or ""])
        elif current:
            current[-1][1] += " " + line.strip()
    return sections


class ManPagesTest(LimberTestCase):
    def test_pages_render_cleanly(self):
        for page in ("limberd.1", "limberctl.1", "limber-profile.5"):
            path = os.path.join(MAN, page)
            self.assertTrue(os.path.exists(path), "%s was not generated" % path)
            self.assertTrue(os.path.exists(path + ".gz"), "%s.gz was not generated" % path)
            res = subprocess.run(["groff", "-man", "-ww", "-z", path], capture_output=True, text=True)
            self.assertEqual(res.stderr, "", "groff warnings in %s" % page)
            self.assertRegex(rendered(page), r"\blimber \d+\.\d+\.\d+\b")

    def test_limberctl_page_has_every_command_option_and_paragraph(self):
        page = rendered("limberctl.1")
        overview = run([LIMBERCTL, "--help"])
        commands = [term.split()[0] for term, _ in help_sections(overview)["Commands"]]
        self.assertGreaterEqual(len(commands), 10, overview)
        self.assertIn("watch", commands)
        options = options_in(overview)
        for command in commands:
            text = run([LIMBERCTL, "help", command])
            synopsis = text.splitlines()[0][len("Usage: "):]
            self.assertIn(words(synopsis), page, "limberctl(1) lacks the synopsis of %s" % command)
            paragraph = words(text.split("\n\n")[1])
            self.assertIn(paragraph, page, "limberctl(1) lacks what `help %s` says" % command)
            for section in ("Arguments", "Options"):
                for term, description in help_sections(text).get(section, []):
                    self.assertIn(words(description), page,
                                  "limberctl(1) lacks %s %s: %s" % (command, term, description))
            options |= options_in(text)
        for option in sorted(options):
            self.assertRegex(page, r"(?<![\w-])%s\b" % re.escape(option), "limberctl(1) lacks %s" % option)

    def test_limberd_page_has_every_option(self):
        page = rendered("limberd.1")
        text = run([LIMBERD, "--help"])
        rows = help_sections(text)["Options"]
        self.assertGreaterEqual(len(rows), 5, text)
        for term, description in rows:
            for option in options_in(term):
                self.assertRegex(page, r"(?<![\w-])%s\b" % re.escape(option), "limberd(1) lacks %s" % option)
            self.assertIn(words(description), page, "limberd(1) lacks the help of %s" % term)
        self.assertIn(words(text.split("\n\n")[1]), page, "limberd(1) lacks limberd's description")

    def test_profile_page_has_every_key_the_loader_accepts(self):
        page = rendered("limber-profile.5")
        with open(os.path.join(REPO, "src", "adapters", "ProfileLoader.cpp")) as f:
            source = f.read()
        for table in ("general_keys", "hook_keys", "reminder_keys"):
            m = re.search(r"%s\{([^}]*)\}" % table, source)
            self.assertIsNotNone(m, table)
            keys = re.findall(r'"([a-z_]+)"', m.group(1))
            self.assertTrue(keys, table)
            for key in keys:
                self.assertRegex(page, r"\b%s\b" % key, "limber-profile(5) lacks %s" % key)
        for section in ("[general]", "[hooks]", "[reminders.NAME]", "EXAMPLE"):
            self.assertIn(section, page)
        # The example is the built-in profile itself.
        with open(os.path.join(REPO, "config", "default.toml")) as f:
            first = next(l for l in f if l.startswith("[reminders."))
        self.assertIn(first.strip(), page)


    def test_every_duration_unit_is_documented(self):
        """The one unit table (core/Duration.hpp) against what the pages and the README say."""
        with open(os.path.join(REPO, "include", "limber", "core", "Duration.hpp")) as f:
            m = re.search(r"duration_units\{\{(.*?)\}\};", f.read(), re.S)
        self.assertIsNotNone(m, "duration_units not found in Duration.hpp")
        units = re.findall(r'\{"([a-z]+)", \d+\}', m.group(1))
        self.assertIn("minutes", units)
        with open(os.path.join(REPO, "README.md")) as f:
            readme = f.read()
        section = readme[readme.index("## Your profile"):readme.index("## What counts as away")]
        docs = {"limber-profile(5)": rendered("limber-profile.5"), "limberctl(1)": rendered("limberctl.1"),
                "README (Your profile)": section}
        for name, text in docs.items():
            for unit in units:
                self.assertRegex(text, r"(?<![\w])%s(?![\w])" % unit, "%s lacks the unit %s" % (name, unit))


class HackingExamplesTest(LimberTestCase):
    def hacking_commands(self):
        with open(os.path.join(REPO, "README.md")) as f:
            readme = f.read()
        section = readme[readme.index("## Hacking"):]
        block = re.search(r"Build and run one test:\s*```sh\n(.*?)```", section, re.S)
        self.assertIsNotNone(block, "README's Hacking section lost its test examples")
        return [line.split("#")[0].strip() for line in block.group(1).splitlines()]

    def test_every_catch2_example_selects_tests(self):
        """`build/tests/test_X "FILTER"` in the README must run something, not nothing."""
        examples = [c for c in self.hacking_commands() if c.startswith("build/tests/")]
        self.assertGreaterEqual(len(examples), 1)
        for command in examples:
            binary, _, selector = command.partition(" ")
            selector = selector.strip().strip('"')
            # Catch2 2 exits with the number of tests listed: the output is what counts.
            res = subprocess.run([os.path.join(BUILD, binary[len("build/"):]), selector, "--list-test-names-only"],
                                 capture_output=True, text=True, timeout=30)
            self.assertEqual(res.stderr, "", command)
            self.assertTrue(res.stdout.strip(), "README example %r matches no test" % command)

    def test_every_ctest_example_selects_tests(self):
        examples = [c for c in self.hacking_commands() if "ctest -R " in c]
        self.assertGreaterEqual(len(examples), 1)
        for command in examples:
            pattern = command.split("ctest -R ")[1].split()[0]
            listing = run(["ctest", "-N", "-R", pattern], cwd=BUILD)
            m = re.search(r"Total Tests: (\d+)", listing)
            self.assertTrue(m and int(m.group(1)) > 0, "README example %r matches no ctest entry" % command)


class DesktopFilesTest(LimberTestCase):
    def read_ini(self, name):
        parser = configparser.ConfigParser(interpolation=None)
        parser.optionxform = str
        with open(os.path.join(BUILD, name)) as f:
            parser.read_file(f)
        return parser

    def test_desktop_entry_matches_the_notification_hint(self):
        entry = self.read_ini("limber.desktop")["Desktop Entry"]
        self.assertEqual(entry["Type"], "Application")
        self.assertEqual(entry["NoDisplay"], "true")
        self.assertEqual(entry["X-GNOME-UsesNotifications"], "true")
        self.assertTrue(entry["Icon"])
        self.assertTrue(entry["Exec"].endswith("/limberd"))
        # The hint limberd really sends names this file (what GNOME looks up for its settings).
        self.start_bus()
        server = self.start_mock_server(caps=["actions", "body"])
        limberd = self.start_limberd(self.write_profile())
        self.wait_ready(limberd)
        hint = server.wait_notify(1, limberd=limberd)[0].hints.get("desktop-entry")
        self.assertEqual(hint, "limber")
        self.assertTrue(os.path.exists(os.path.join(BUILD, hint + ".desktop")))

    @unittest.skipUnless(shutil.which("desktop-file-validate"), "desktop-file-utils is not installed")
    def test_desktop_files_validate(self):
        for name in ("limber.desktop", "limber-autostart.desktop"):
            res = subprocess.run(["desktop-file-validate", os.path.join(BUILD, name)],
                                 capture_output=True, text=True)
            self.assertEqual(res.returncode, 0, res.stdout + res.stderr)
            self.assertEqual(res.stdout + res.stderr, "", "warnings for %s" % name)

    def test_dbus_activation_file(self):
        service = self.read_ini("org.limber.Limber1.service")["D-BUS Service"]
        self.assertEqual(service["Name"], "org.limber.Limber1")
        self.assertTrue(service["Exec"].endswith("/limberd"))
        self.assertEqual(service["SystemdService"], "limber.service")


if __name__ == "__main__":
    unittest.main(verbosity=2)
