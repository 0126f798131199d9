"""limberd following logind on a private system bus (python3-dbusmock's
logind template, a session added as "auto"): the lock hint, the idle hint
(back-dated by IdleSinceHintMonotonic) and PrepareForSleep with a delay
inhibitor. The real limberd, observed through its log, limberctl and the
mock's inhibitor list."""

import os
import time
import unittest

from harness import LimberTestCase  # noqa: F401  (the base of PresenceTestCase)
from presence_harness import NUDGE_PROFILE, PresenceTestCase

INHIBITOR = ("sleep", "limber", "save state", "delay")


class LogindTest(PresenceTestCase):

    def setUp(self):
        super().setUp()
        self.start_system_bus()
        self.start_logind()
        self.start_bus()
        self.start_mock_server()
        self.limberd = self.start_limberd(self.write_own_profile(NUDGE_PROFILE))
        self.wait_ready(self.limberd)


    def assert_no_burst(self, back_line, since):
        """After coming back: the first showing is a whole `every` (4 s) later, and alone."""
        first = self.limberd.wait_shows(1, since=since, timeout=8)[0]
        gap = self.line_time(first.line) - self.line_time(back_line)
        self.assertGreaterEqual(gap, 3.5, "shown %.1f s after coming back: %r" % (gap, first.line.text))
        self.assertEqual(len(self.limberd.shows(since)), 1, self.limberd.report())

    def test_sources_and_status(self):
        self.limberd.wait_line(r"presence sources: logind\b.*\bclock\b")
        s = self.status()
        self.assertEqual(s["state"], "active")
        self.assertIn("logind", s["presence"]["sources"])
        self.assertEqual(s["presence"]["away"], False)
        self.assertEqual(s["presence"]["reasons"], [])
        text = self.limberctl("status")
        self.assertIn("Presence: at the computer; sources: logind", text)
        # The delay inhibitor is held from the start.
        self.assertIn(INHIBITOR, self.inhibitors())

    def test_lock_holds_reminders_credits_a_break_and_no_burst(self):
        self.limberd.wait_shows(1)
        mark = self.limberd.mark()
        self.set_locked_hint(True)
        s = self.wait_status(lambda s: s["state"] == "away", "state away while locked", self.limberd)
        self.assertEqual(s["presence"]["reasons"], ["locked"])
        self.assertTrue(s["presence"]["locked"])
        self.assertIn("away (locked)", self.limberctl("status"))
        # Locked for three times `every`: nothing is shown.
        self.assert_quiet(12, mark, "the session was locked")
        self.set_locked_hint(False)
        back = self.limberd.wait_line(r"back \(logind\)", since=mark)[0]
        # Locked longer than idle_after: the nudge's break is credited...
        self.limberd.wait_line(r"posture: natural", since=mark)
        self.wait_status(lambda s: s["state"] == "active" and not s["presence"]["locked"],
                         "state active after unlock", self.limberd)
        # ...and nothing overdue is released: the next one comes a whole interval later.
        self.assert_no_burst(back, mark)

    def test_idle_hint_is_back_dated(self):
        self.limberd.wait_shows(1)
        mark = self.limberd.mark()
        # The desktop says: idle since 3 s ago.
        self.set_idle_hint(True, since_monotonic=time.monotonic() - 3.0)
        s = self.wait_status(lambda s: s["state"] == "away", "state away while idle", self.limberd)
        self.assertEqual(s["presence"]["reasons"], ["idle"])
        # Back after well under idle_after of real time: the 3 s before count, so the break is credited.
        self.set_idle_hint(False)
        self.limberd.wait_line(r"back \(logind\)", since=mark)
        self.limberd.wait_line(r"posture: natural", since=mark)

    def test_short_lock_is_not_a_break(self):
        self.limberd.wait_shows(1)
        mark = self.limberd.mark()
        self.set_locked_hint(True)
        self.wait_status(lambda s: s["state"] == "away", "state away while locked", self.limberd)
        self.set_locked_hint(False)
        self.limberd.wait_line(r"back \(logind\)", since=mark)
        # Away less than idle_after (2 s): the clock only paused, and the reminder still comes.
        self.limberd.wait_shows(1, since=mark, timeout=8)
        self.assertEqual(self.limberd.matching(r"posture: natural", since=mark), [])

    def test_sleep_saves_state_releases_inhibitor_and_wakes_without_burst(self):
        self.limberd.wait_shows(1)
        state_file = os.path.join(self.env["XDG_STATE_HOME"], "limber", "state.json")
        mark = self.limberd.mark()
        before = time.time()
        self.prepare_for_sleep(True)
        self.limberd.wait_line(r"going to sleep", since=mark)
        # State written, then the delay inhibitor let go so the machine can sleep.
        from harness import wait_until
        wait_until(lambda: INHIBITOR not in self.inhibitors(), what="the inhibitor to be released",
                   detail=self.limberd.report)
        self.assertGreaterEqual(os.stat(state_file).st_mtime, before - 1)
        s = self.status()
        self.assertEqual(s["state"], "away")
        self.assertEqual(s["presence"]["reasons"], ["asleep"])
        self.assert_quiet(5, mark, "the machine was asleep")
        self.prepare_for_sleep(False)
        back = self.limberd.wait_line(r"woke up", since=mark)[0]
        wait_until(lambda: INHIBITOR in self.inhibitors(), what="the inhibitor to be taken again",
                   detail=self.limberd.report)
        self.limberd.wait_line(r"posture: natural", since=mark)
        self.assertEqual(self.status()["state"], "active")
        self.assert_no_burst(back, mark)


class LogindDisplaySessionTest(PresenceTestCase):
    """Under systemd --user limberd is in no session: "auto" finds none, and the user's
    display session (logind's User.Display) is the one followed."""

    def test_falls_back_to_the_users_display_session(self):
        import dbus
        from harness import MOCK_IFACE
        from presence_harness import LOGIND_NAME
        self.start_system_bus()
        proc = self.spawn("mock-logind", ["/usr/bin/python3", "-m", "dbusmock", "--system", "--template", "logind"])
        from harness import wait_until
        wait_until(lambda: self.system_bus.name_has_owner(LOGIND_NAME), what="the logind mock",
                   detail=proc.report)
        manager = dbus.Interface(self.system_bus.get_object(LOGIND_NAME, "/org/freedesktop/login1",
                                                            introspect=False), MOCK_IFACE)
        # The template's GetUser adds a str to a uint (dbusmock 0.28): script a working one.
        manager.AddMethod("org.freedesktop.login1.Manager", "GetUser", "u", "o",
                          'ret = dbus.ObjectPath("/org/freedesktop/login1/user/%d" % args[0])')
        path = manager.AddSession("c2", "seat0", dbus.UInt32(os.getuid()), "tester", True)
        user = dbus.Interface(self.system_bus.get_object(
            LOGIND_NAME, "/org/freedesktop/login1/user/%d" % os.getuid(), introspect=False),
            "org.freedesktop.DBus.Properties")
        user.Set("org.freedesktop.login1.User", "Display",
                 dbus.Struct(("c2", dbus.ObjectPath(path)), signature="so", variant_level=1))
        self.start_bus()
        limberd = self.start_limberd(self.write_profile(NUDGE_PROFILE))
        self.wait_ready(limberd)
        self.assertIn("logind", self.status()["presence"]["sources"])
        mark = limberd.mark()
        session = dbus.Interface(self.system_bus.get_object(LOGIND_NAME, path, introspect=False),
                                 "org.freedesktop.login1.Session")
        session.SetLockedHint(True)
        limberd.wait_line(r"away \(logind\)", since=mark)
        self.assertEqual(self.status()["state"], "away")


if __name__ == "__main__":
    unittest.main()
