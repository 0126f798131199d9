"""The man pages agree with --help (every command, option and help paragraph
is in them), document every profile key the loader accepts, every reminder kind
and every member of the bus interface, and render without warnings; the README
links pages and anchors that exist; doc/HACKING.md names only files that exist
and its examples run; the .desktop and D-Bus activation files are well formed."""

import configparser
import glob
import os
import xml.etree.ElementTree as ET
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
        docs = {"limber-profile(5)": rendered("limber-profile.5"), "limberctl(1)": rendered("limberctl.1")}
        for name, text in docs.items():
            for unit in units:
                self.assertRegex(text, r"(?<![\w])%s(?![\w])" % unit, "%s lacks the unit %s" % (name, unit))
        # The README shows a few and sends the reader to the page that has them all.
        with open(os.path.join(REPO, "README.md")) as f:
            readme = f.read()
        section = readme[readme.index("## Your profile"):readme.index("\n## ", readme.index("## Your profile") + 3)]
        self.assertIn("limber-profile(5)", section, "README's profile section no longer points to limber-profile(5)")

    def test_every_reminder_kind_is_documented(self):
        """A kind added to core::kind_names is listed where a user looks for kinds."""
        with open(os.path.join(REPO, "include", "limber", "core", "Profile.hpp")) as f:
            m = re.search(r"kind_names\{([^}]*)\}", f.read())
        self.assertIsNotNone(m, "kind_names not found in Profile.hpp")
        kinds = re.findall(r'"([a-z_]+)"', m.group(1))
        self.assertIn("hydration", kinds)
        with open(os.path.join(REPO, "config", "default.toml")) as f:
            kind_line = next((l for l in f if re.match(r"#\s+kind\s", l)), "")
        self.assertTrue(kind_line, "config/default.toml lost its comment listing the kinds")
        page = rendered("limber-profile.5")
        start = page.index("[reminders.NAME]")
        kind_entry = page[start:page.index("EXAMPLE", start)]  # not the built-in profile the page ends with
        for kind in kinds:
            if kind != "custom":  # the default, named in the page, not in the profile's comment line
                self.assertRegex(kind_line, r"\b%s\b" % kind, "config/default.toml's kind comment lacks %s" % kind)
            self.assertRegex(kind_entry, r"\b%s\b" % kind, "limber-profile(5) lacks the kind %s" % kind)

    def test_limberd_page_has_every_bus_member(self):
        """Every method, property and signal limberctl was built with is named in limberd(1)."""
        root = ET.fromstring(run([LIMBERCTL, "__interface"]))
        iface = root.find("interface[@name='org.limber.Limber1']")
        self.assertIsNotNone(iface, "no org.limber.Limber1 in limberctl __interface")
        members = [e.get("name") for tag in ("method", "property", "signal") for e in iface.findall(tag)]
        self.assertIn("GetStatus", members)
        self.assertIn("Shown", members)
        page = rendered("limberd.1")
        self.assertIn("/org/limber/Limber1", page)
        for name in members:
            self.assertTrue(re.search(r"\b%s\b" % name, page), "limberd(1) lacks the bus member %s" % name)


HACKING = os.path.join(REPO, "doc", "HACKING.md")


def slug(heading):
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*]", "", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


class ReadmeTest(LimberTestCase):
    def readme(self):
        with open(os.path.join(REPO, "README.md")) as f:
            return f.read()

    def test_man_page_commands_name_pages_that_are_built(self):
        """`man -l build/man/X` and `man X` in the README read pages the build makes."""
        readme = self.readme()
        local = re.findall(r"man -l build/man/(\S+?)[`\s]", readme)
        self.assertGreaterEqual(len(set(local)), 3, "README no longer says how to read the pages from a build tree")
        for page in local:
            self.assertTrue(os.path.exists(os.path.join(MAN, page)), "README names build/man/%s, not built" % page)
        installed = re.findall(r"`man (limber[\w-]*)`", readme)
        self.assertGreaterEqual(len(set(installed)), 3, "README no longer says how to read the installed pages")
        built = {os.path.basename(p).rsplit(".", 1)[0] for p in glob.glob(os.path.join(MAN, "*.[0-9]"))}
        for name in installed:
            self.assertIn(name, built, "README says `man %s`; the build makes %s" % (name, sorted(built)))
        for name, section in re.findall(r"\b(limber[\w-]*)\(([0-9])\)", readme):
            self.assertTrue(os.path.exists(os.path.join(MAN, "%s.%s" % (name, section))),
                            "README refers to %s(%s), which is not built" % (name, section))

    def test_links_resolve(self):
        """Every #anchor names a heading, every relative link a file (README and doc/HACKING.md)."""
        for path in (os.path.join(REPO, "README.md"), HACKING):
            with open(path) as f:
                text = f.read()
            prose = re.sub(r"```.*?```", "", text, flags=re.S)
            anchors = {slug(h) for h in re.findall(r"^#+ (.*)$", prose, re.M)}
            links = re.findall(r"\]\(([^)\s]+)\)", prose)
            self.assertTrue(links, path)
            for link in links:
                if re.match(r"[a-z]+:", link):
                    continue
                target, _, anchor = link.partition("#")
                if target:
                    self.assertTrue(os.path.exists(os.path.join(os.path.dirname(path), target)),
                                    "%s links %s, which does not exist" % (path, link))
                elif anchor:
                    self.assertIn(anchor, anchors, "%s links #%s, which is no heading" % (path, anchor))


class HackingTest(LimberTestCase):
    def hacking(self):
        self.assertTrue(os.path.exists(HACKING), "doc/HACKING.md is gone")
        with open(HACKING) as f:
            return f.read()

    def test_every_path_named_exists(self):
        """What HACKING.md calls a file or directory of the tree is one."""
        text = self.hacking()
        paths = set(re.findall(r"(?<![\w./-])((?:include|src|tests|doc|scripts|config|systemd|\.ci)/[\w.*/-]*[\w*/])",
                               text))
        self.assertGreaterEqual(len(paths), 20, sorted(paths))
        for path in sorted(paths):
            found = glob.glob(os.path.join(REPO, path))
            self.assertTrue(found, "doc/HACKING.md names %s, which is not in the tree" % path)

    def test_change_counts_are_marked(self):
        """The counts of what a change touches stay where the reviewer of a merge looks."""
        text = self.hacking()
        self.assertIn("<!-- counts: checked at merge -->", text)
        block = text[text.index("<!-- counts: checked at merge -->"):text.index("<!-- end counts -->")]
        for change in ("controller command", "presence source", "reminder kind"):
            self.assertIn(change, block)


class HackingExamplesTest(LimberTestCase):
    def hacking_commands(self):
        with open(HACKING) as f:
            section = f.read()
        block = re.search(r"Build and run one test:\s*```sh\n(.*?)```", section, re.S)
        self.assertIsNotNone(block, "doc/HACKING.md lost its test examples")
        return [line.split("#")[0].strip() for line in block.group(1).splitlines()]

    def test_every_catch2_example_selects_tests(self):
        """`build/tests/test_X "FILTER"` in doc/HACKING.md must run something, not nothing."""
        examples = [c for c in self.hacking_commands() if c.startswith("build/tests/")]
        self.assertGreaterEqual(len(examples), 1)
        for command in examples:
            binary, _, selector = command.partition(" ")
            selector = selector.strip().strip('"')
            # Catch2 2 exits with the number of tests listed: the output is what counts.
            res = subprocess.run([os.path.join(BUILD, binary[len("build/"):]), selector, "--list-test-names-only"],
                                 capture_output=True, text=True, timeout=30)
            self.assertEqual(res.stderr, "", command)
            self.assertTrue(res.stdout.strip(), "doc/HACKING.md example %r matches no test" % command)

    def test_every_ctest_example_selects_tests(self):
        examples = [c for c in self.hacking_commands() if "ctest -R " in c]
        self.assertGreaterEqual(len(examples), 1)
        for command in examples:
            pattern = command.split("ctest -R ")[1].split()[0]
            listing = run(["ctest", "-N", "-R", pattern], cwd=BUILD)
            m = re.search(r"Total Tests: (\d+)", listing)
            self.assertTrue(m and int(m.group(1)) > 0, "doc/HACKING.md example %r matches no ctest entry" % command)


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
