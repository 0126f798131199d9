"""limber in the person's language: the same limberd and limberctl, with the built-in profile, under
LANG=de_DE.UTF-8 and under LANG=C.UTF-8.

German: a shown reminder's title, body and buttons (dunst displays them; python3-dbusmock records
the buttons), `limberctl status`, errors (limberctl's own and the daemon's refusals) and `--help`,
and limberd's log lines a person reads (a damaged saved state, a pause, a glass of water).
English: the same, word for word as before translations existed. Machine output (--json, --csv) is
byte for byte the same in both.

The test generates de_DE.UTF-8 with localedef into its own directory and points glibc at it with
LOCPATH: the system's locales are never touched (the locale sources come with Debian's `locales`
package, which scripts/setup-debian.sh --test installs). The catalogue is the build's
(build/share/locale/de/LC_MESSAGES/limber.mo, beside LIMBERD); the expected German texts of the
built-in profile are read from it with Python's gettext, and a few are spelled out here.
"""

import gettext
import json
import os
import re
import shutil
import subprocess
import tempfile
import tomllib
import unittest

from ctl_helpers import LIMBERCTL
from harness import LIMBERD, REPO, TIMEOUT, LimberTestCase, wait_until

LOCALE_DIR = None  # the generated de_DE.UTF-8, set up once for the module
CATALOGUES = os.path.join(os.path.dirname(os.path.abspath(LIMBERD)), "share", "locale")

with open(os.path.join(REPO, "config", "default.toml"), "rb") as f:
    STRETCH = tomllib.load(f)["reminders"]["stretch"]


def setUpModule():
    global LOCALE_DIR
    if shutil.which("localedef") is None:
        raise AssertionError("localedef is missing (Debian package libc-bin)")
    if not os.path.isfile("/usr/share/i18n/locales/de_DE"):
        raise AssertionError("the de_DE locale source is missing (Debian package locales; "
                             "scripts/setup-debian.sh --test installs it)")
    mo = os.path.join(CATALOGUES, "de", "LC_MESSAGES", "limber.mo")
    if not os.path.isfile(mo):
        raise AssertionError("the German catalogue is not built: %s (cmake --build build)" % mo)
    LOCALE_DIR = tempfile.mkdtemp(prefix="limber-e2e-locale-")
    res = subprocess.run(["localedef", "-i", "de_DE", "-f", "UTF-8",
                          os.path.join(LOCALE_DIR, "de_DE.UTF-8")],
                         capture_output=True, text=True, timeout=120)
    # localedef exits 1 on warnings it still wrote the locale for; what counts is the locale.
    if not os.path.isfile(os.path.join(LOCALE_DIR, "de_DE.UTF-8", "LC_CTYPE")):
        raise AssertionError("localedef could not build de_DE.UTF-8 (%d): %s%s"
                             % (res.returncode, res.stdout, res.stderr))


def tearDownModule():
    if LOCALE_DIR:
        shutil.rmtree(LOCALE_DIR, ignore_errors=True)


GERMAN = gettext.translation("limber", localedir=CATALOGUES, languages=["de"]) \
    if os.path.isfile(os.path.join(CATALOGUES, "de", "LC_MESSAGES", "limber.mo")) else None


class Language:
    """What one language shows for the built-in profile's stretch reminder and limberctl."""

    def __init__(self, name, translate, translate_plural):
        self.name = name
        self.t = translate
        self.n = translate_plural

    def env(self, base):
        env = dict(base)
        env.pop("LANGUAGE", None)
        if self.name == "de":
            env.update(LANG="de_DE.UTF-8", LC_ALL="de_DE.UTF-8", LOCPATH=LOCALE_DIR)
        else:
            env.update(LANG="C.UTF-8", LC_ALL="C.UTF-8")
        return env


ENGLISH = Language("en", lambda text: text, lambda one, many, n: one if n == 1 else many)


def german():
    return Language("de", GERMAN.gettext, GERMAN.ngettext)


# What each language says, spelled out (the catalogue is the source for the profile's texts).
WORDS = {
    "en": {
        "title": "Time to stretch",
        "break": "A 1 min 30 s break: Done starts it.",
        "buttons": [("default", "Done (click)"), ("done", "Done"), ("snooze", "Snooze 5 min"),
                    ("skip", "Skip")],
        "status": "limber is active (built-in profile)\n",
        "headings": ["NAME", "KIND", "EVERY", "NEXT"],
        "paused": "limber is paused until you resume (built-in profile)\n",
        "usage": "Usage: limberctl [--json] COMMAND [ARGS]",
        "commands": "Commands:",
        "bad_duration": 'limberctl pause: "5x" has an unknown unit "x"; use a number with a unit',
        "try": "Try 'limberctl pause --help'.",
        "unknown": 'limberctl: unknown reminder "nope" (known reminders: posture, eyes, stretch, '
                   'hydration, movement, breathing)\n',
    },
    "de": {
        "title": "Zeit zum Dehnen",
        "break": "Eine Pause von 1 Min. 30 Sek.: „Erledigt“ beginnt sie.",
        "buttons": [("default", "Erledigt (Klick)"), ("done", "Erledigt"), ("snooze", "5 Min. später"),
                    ("skip", "Überspringen")],
        "status": "limber ist aktiv (eingebautes Profil)\n",
        "headings": ["NAME", "ART", "ALLE", "NÄCHSTE"],
        "paused": "limber ist pausiert bis zum Fortsetzen (eingebautes Profil)\n",
        "usage": "Aufruf: limberctl [--json] COMMAND [ARGS]",
        "commands": "Befehle:",
        "bad_duration": 'limberctl pause: "5x" hat eine unbekannte Einheit "x"; verwenden Sie eine Zahl',
        "try": "Mehr mit 'limberctl pause --help'.",
        "unknown": 'limberctl: unbekannte Erinnerung "nope" (bekannte Erinnerungen: posture, eyes, '
                   'stretch, hydration, movement, breathing)\n',
    },
}


class LanguageCase(LimberTestCase):
    """limberd on the built-in profile in one language; limberctl in the same."""

    def start_in(self, language):
        self.language = language
        self.words = WORDS[language.name]
        self.lang_env = language.env(self.env)
        # No --profile, no profile under XDG_CONFIG_HOME or XDG_CONFIG_DIRS: the built-in one.
        self.limberd = self.start_limberd(env=self.lang_env)
        self.wait_ready(self.limberd)

    def run_ctl(self, *args):
        return subprocess.run([LIMBERCTL] + list(args), env=self.lang_env, capture_output=True,
                              text=True, timeout=TIMEOUT)

    def expected_body(self, tip):
        t = self.language.t
        return "%s\n%s\n\n%s" % (t(STRETCH["message"]), self.words["break"], tip)

    def tips(self):
        return [self.language.t(tip) for tip in STRETCH["tips"]]


class ShownTest(LanguageCase):
    """The built-in stretch reminder as dunst displays it, and the buttons limberd sends."""

    def check_on_dunst(self, language):
        self.start_bus()
        dunst = self.start_dunst()
        self.start_in(language)
        res = self.run_ctl("trigger", "stretch")
        self.assertEqual(res.returncode, 0, res.stderr)
        wait_until(lambda: dunst.count("displayed") >= 1, what="dunst to display the reminder",
                   detail=self.report_all)
        dunst.close_all()
        shown = [h for h in dunst.history() if h.get("appname") == "limber"][-1]
        self.assertEqual(shown["summary"], self.words["title"], shown)
        self.assertEqual(shown["summary"], language.t(STRETCH["title"]))
        tip = shown["body"].split("\n\n", 1)[-1]
        self.assertIn(tip, self.tips(), shown)
        self.assertEqual(shown["body"], self.expected_body(tip), shown)
        return shown

    def check_buttons(self, language):
        self.start_bus()
        server = self.start_mock_server(["actions", "body"])
        self.start_in(language)
        res = self.run_ctl("trigger", "stretch")
        self.assertEqual(res.returncode, 0, res.stderr)
        call = server.wait_notify(1, limberd=self.limberd)[-1]
        self.assertEqual(call.summary, self.words["title"], call)
        self.assertEqual(call.action_pairs(), self.words["buttons"], call)
        tip = call.body.split("\n\n", 1)[-1]
        self.assertEqual(call.body, self.expected_body(tip), call)

    def test_german_on_dunst(self):
        shown = self.check_on_dunst(german())
        # Spelled out once: the catalogue really is German, not the English passed through.
        self.assertTrue(shown["body"].startswith("Nehmen Sie sich ein bis zwei Minuten"), shown)

    def test_english_on_dunst(self):
        shown = self.check_on_dunst(ENGLISH)
        self.assertTrue(shown["body"].startswith(
            "Take a minute or two to stretch your neck, shoulders, back and wrists"), shown)

    def test_german_buttons(self):
        self.check_buttons(german())

    def test_english_buttons(self):
        self.check_buttons(ENGLISH)


class CtlTest(LanguageCase):
    """limberctl's words: status, errors, --help; and its machine output, the same in both."""

    def check_ctl(self, language):
        self.start_bus()
        self.start_in(language)
        status = self.run_ctl("status")
        self.assertEqual(status.returncode, 0, status.stderr)
        self.assertTrue(status.stdout.startswith(self.words["status"]), status.stdout)
        lines = status.stdout.splitlines()
        # The table follows the lines on state, presence and water, after an empty line.
        self.assertEqual(lines[lines.index("") + 1].split(), self.words["headings"], status.stdout)

        # limberctl's own usage error, and the daemon's refusal.
        bad = self.run_ctl("pause", "5x")
        self.assertEqual(bad.returncode, 2)
        self.assertTrue(bad.stderr.startswith(self.words["bad_duration"]), bad.stderr)
        self.assertIn(self.words["try"], bad.stderr)
        unknown = self.run_ctl("trigger", "nope")
        self.assertEqual(unknown.returncode, 1)
        self.assertEqual(unknown.stderr, self.words["unknown"])

        help_text = self.run_ctl("--help")
        self.assertEqual(help_text.returncode, 0, help_text.stderr)
        self.assertTrue(help_text.stdout.startswith(self.words["usage"]), help_text.stdout)
        self.assertIn("\n%s\n" % self.words["commands"], help_text.stdout)

        res = self.run_ctl("pause")
        self.assertEqual(res.returncode, 0, res.stderr)
        paused = self.run_ctl("status")
        self.assertTrue(paused.stdout.startswith(self.words["paused"]), paused.stdout)

    def test_german(self):
        self.check_ctl(german())

    def test_english(self):
        self.check_ctl(ENGLISH)

    def test_machine_output_is_the_same_in_both(self):
        """--json (status, stats, check) and --csv: byte for byte, whichever the language."""
        self.start_bus()
        self.start_in(german())
        # Paused, the clocks stand still: two status calls a moment apart read the same.
        self.assertEqual(self.run_ctl("pause").returncode, 0)
        self.assertEqual(self.run_ctl("drank", "0.5l").returncode, 0)
        envs = {"de": german().env(self.env), "en": ENGLISH.env(self.env)}
        for args in (["--json", "status"], ["--json", "stats", "--days", "2"],
                     ["stats", "--csv", "--days", "2"], ["--json", "check"],
                     ["status", "--format", "waybar"]):
            out = {}
            for name, env in envs.items():
                res = subprocess.run([LIMBERCTL] + args, env=env, capture_output=True, text=True,
                                     timeout=TIMEOUT)
                self.assertEqual(res.returncode, 0, "%s %s: %s" % (name, args, res.stderr))
                out[name] = res.stdout
            if args[-1] == "waybar":
                # Waybar's text and tooltip are read by a person; its class and alt are not.
                de, en = json.loads(out["de"]), json.loads(out["en"])
                self.assertEqual((de["class"], de["alt"]), (en["class"], en["alt"]))
                self.assertEqual(de["text"], "pausiert")
                self.assertEqual(en["text"], "paused")
            else:
                self.assertEqual(out["de"], out["en"], args)


def c_format(pattern, *args):
    """A C printf pattern ("%s", "%d", positional "%2$s") filled in as limberd's core::format does."""
    position = iter(range(len(args)))

    def fill(m):
        index = int(m.group(1)) - 1 if m.group(1) else next(position)
        return str(args[index])
    return re.sub(r"%(?:(\d+)\$)?(?:s|d|lld)", fill, pattern.replace("%%", "\0")).replace("\0", "%")


class LogTest(LanguageCase):
    """limberd's log in the person's language: the lines a person reads (the machine-read `ready`,
    `show` and `answered` stay as they are)."""

    def check_log(self, language):
        t = language.t
        # A saved state that is a symbolic link: refused, set aside, said so.
        state_dir = os.path.join(self.env["XDG_STATE_HOME"], "limber")
        os.makedirs(state_dir, exist_ok=True)
        state = os.path.join(state_dir, "state.json")
        os.symlink("/dev/null", state)
        self.start_bus()
        self.start_in(language)
        line = c_format(t("the saved state %1$s is unreadable (%2$s); kept it as %3$s and started afresh"),
                        state, t("it is a symbolic link"), state + ".corrupt")
        self.limberd.wait_line(re.escape(line), what="the damaged state's line")
        self.assertTrue(os.path.islink(state + ".corrupt"))
        # The plan at start, a pause and a glass of water.
        self.limberd.wait_line(re.escape(c_format(language.n("built-in profile: %d reminder",
                                                             "built-in profile: %d reminders", 6), 6)),
                               what="the profile's line")
        plan = re.escape(c_format(t("every %1$s, %2$s; next in %3$s (at %4$s)"), "20m", t("a nudge"), "\x01",
                                  "\x02"))
        self.limberd.wait_line(r"\bposture\s+" + plan.replace("\x01", r"\S+").replace("\x02", r"\d\d:\d\d"),
                               what="the posture reminder's plan")
        self.assertEqual(self.run_ctl("pause", "30m").returncode, 0)
        self.limberd.wait_line(re.escape(c_format(t("paused for %s"), "30m")), what="the pause's line")
        self.assertEqual(self.run_ctl("drank", "250ml").returncode, 0)
        self.limberd.wait_line(re.escape(c_format(t("drank %1$dml (%2$dml today of %3$dml)"), 250, 250, 2000)),
                               what="the glass's line")
        self.limberd.wait_line(r"\bready\b")
        return self.limberd

    def test_german(self):
        limberd = self.check_log(german())
        # Spelled out once: the catalogue's words, not the English passed through.
        self.assertEqual(limberd.matching(r"\bpaused for\b"), [])
        self.assertEqual(limberd.matching(r"symbolic link"), [])

    def test_english(self):
        limberd = self.check_log(ENGLISH)
        limberd.wait_line(r"\bpaused for 30m\b")
        limberd.wait_line(r"\(it is a symbolic link\)")


if __name__ == "__main__":
    unittest.main(verbosity=2)
