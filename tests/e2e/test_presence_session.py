"""limberd following presence sources on the session bus: a screen saver
(python3-dbusmock's gnome_screensaver: GetActive, ActiveChanged), Mutter's
idle monitor (a scripted dbusmock object: AddIdleWatch, AddUserActiveWatch,
WatchFired) and dunst's do-not-disturb (dunstctl set-paused, on Xvfb)."""

import os
import subprocess
import unittest

import dbus

from harness import MOCK_IFACE, wait_until
from presence_harness import MUTTER_IFACE, NUDGE_PROFILE, PresenceTestCase

DCONF_SERVICE = "/usr/libexec/dconf-service"


class SessionPresenceTest(PresenceTestCase):

    def setUp(self):
        super().setUp()
        self.start_bus()

    def start(self, profile=NUDGE_PROFILE):
        self.limberd = self.start_limberd(self.write_profile(profile))
        self.wait_ready(self.limberd)
        return self.limberd


    def test_gnome_screensaver(self):
        self.start_mock_server()
        self.start_gnome_screensaver()
        self.start()
        self.wait_status(lambda s: "gnome-screensaver" in s["presence"]["sources"],
                         "gnome-screensaver among the sources", self.limberd)
        self.limberd.wait_shows(1)
        mark = self.limberd.mark()
        self.gnome_screensaver().SetActive(True)
        s = self.wait_status(lambda s: s["state"] == "away", "state away while the screen saver is active",
                             self.limberd)
        self.assertEqual(s["presence"]["reasons"], ["locked"])
        self.assert_quiet(6, mark, "the screen saver was active")
        self.gnome_screensaver().SetActive(False)
        back = self.limberd.wait_line(r"back \(gnome-screensaver\)", since=mark)[0]
        self.limberd.wait_line(r"posture: natural", since=mark)
        first = self.limberd.wait_shows(1, since=mark, timeout=8)[0]
        self.assertGreaterEqual(self.line_time(first.line) - self.line_time(back), 3.5,
                                "a reminder right after the screen saver ended: " + first.line.text)

    def test_screensaver_already_active_at_start(self):
        self.start_mock_server()
        self.start_gnome_screensaver()
        self.gnome_screensaver().SetActive(True)
        self.start()
        s = self.wait_status(lambda s: s["state"] == "away", "limberd to start away (GetActive)", self.limberd)
        self.assertTrue(s["presence"]["locked"])
        # The screen saver leaves the bus: what it said is withdrawn.
        mark = self.limberd.mark()
        self.procs[-2].stop()  # the screen saver mock (started just before limberd)
        self.limberd.wait_line(r"back \(gnome-screensaver\)", since=mark)
        s = self.wait_status(lambda s: s["state"] == "active", "active once the screen saver left",
                             self.limberd)
        self.assertNotIn("gnome-screensaver", s["presence"]["sources"])

    def test_mutter_idle_monitor(self):
        self.start_mock_server()
        mutter = self.start_mutter()
        self.start()

        def calls(method):
            return [list(args) for _t, args in mutter.GetMethodCalls(method)]
        watch = wait_until(lambda: calls("AddIdleWatch"), what="limberd to add an idle watch",
                           detail=self.limberd.report)
        self.assertEqual(watch, [[2000]], "one idle watch for idle_after (2 s) in ms")
        s = self.wait_status(lambda s: "mutter-idle" in s["presence"]["sources"], "mutter-idle among the sources",
                             self.limberd)
        self.assertNotIn("x11-idle", s["presence"]["sources"])
        self.limberd.wait_shows(1)
        mark = self.limberd.mark()
        mutter.EmitSignal(MUTTER_IFACE, "WatchFired", "u", [dbus.UInt32(1)])
        s = self.wait_status(lambda s: s["state"] == "away", "away once the idle watch fired", self.limberd)
        self.assertEqual(s["presence"]["reasons"], ["idle"])
        wait_until(lambda: calls("AddUserActiveWatch"), what="limberd to add a user-active watch",
                   detail=self.limberd.report)
        self.assert_quiet(5, mark, "the person was idle")
        mutter.EmitSignal(MUTTER_IFACE, "WatchFired", "u", [dbus.UInt32(2)])
        self.limberd.wait_line(r"back \(mutter-idle\)", since=mark)
        self.limberd.wait_line(r"posture: natural", since=mark)
        self.assertEqual(self.status()["state"], "active")
        # Events only: nothing was asked of Mutter besides the two watches.
        self.assertEqual(calls("GetIdletime"), [])

    def test_kde_session_idle_time(self):
        """KDE's org.freedesktop.ScreenSaver: GetSessionIdleTime, scripted from the last
        SimulateUserActivity; ActiveChanged for the lock."""
        self.start_mock_server()
        self.start_session_mock("mock-kde-saver", ["org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver",
                                                   "org.freedesktop.ScreenSaver"])
        self.wait_name("org.freedesktop.ScreenSaver", detail=self.report_all)
        saver = dbus.Interface(self.bus.get_object("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver",
                                                   introspect=False), MOCK_IFACE)
        saver.AddMethods("org.freedesktop.ScreenSaver", [
            ("GetActive", "", "b", "ret = False"),
            ("SimulateUserActivity", "", "", "self.last_input = time.monotonic()"),
            ("GetSessionIdleTime", "", "u", "ret = dbus.UInt32(int((time.monotonic() - self.last_input) * 1000))"),
        ])
        kde = dbus.Interface(self.bus.get_object("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver",
                                                 introspect=False), "org.freedesktop.ScreenSaver")
        kde.SimulateUserActivity()
        self.start()
        s = self.wait_status(lambda s: "kde-idle" in s["presence"]["sources"], "kde-idle among the sources",
                             self.limberd)
        self.assertIn("freedesktop-screensaver", s["presence"]["sources"])
        mark = self.limberd.mark()
        # No input for idle_after (2 s): away, noticed by the one call armed for that moment.
        self.limberd.wait_line(r"away \(kde-idle\)", since=mark, timeout=5)
        polls_present = len(saver.GetMethodCalls("GetSessionIdleTime"))
        self.assertLessEqual(polls_present, 3, "asked more than once per idle_after while present")
        kde.SimulateUserActivity()
        self.limberd.wait_line(r"back \(kde-idle\)", since=mark, timeout=8)
        self.limberd.wait_line(r"posture: natural", since=mark)

    @unittest.skipUnless(os.path.exists(DCONF_SERVICE), "dconf-service is not installed")
    def test_gnome_show_banners(self):
        """GNOME's Do Not Disturb: show-banners in GSettings (dconf), changed with gsettings."""
        self.start_mock_server()
        self.spawn("dconf-service", [DCONF_SERVICE])
        self.wait_name("ca.desrt.dconf", detail=self.report_all)
        self.env["XDG_CURRENT_DESKTOP"] = "GNOME"
        self.start()
        s = self.wait_status(lambda s: "gnome-notifications" in s["presence"]["sources"],
                             "gnome-notifications among the sources", self.limberd)
        self.assertFalse(s["presence"]["dnd"])
        subprocess.run(["gsettings", "set", "org.gnome.desktop.notifications", "show-banners", "false"],
                       env=self.env, check=True, timeout=10)
        s = self.wait_status(lambda s: s["state"] == "dnd", "state dnd once banners are off", self.limberd)
        self.assertTrue(s["presence"]["dnd"])
        mark = self.limberd.mark()
        self.assert_quiet(5, mark, "GNOME's Do Not Disturb was on")
        subprocess.run(["gsettings", "set", "org.gnome.desktop.notifications", "show-banners", "true"],
                       env=self.env, check=True, timeout=10)
        self.limberd.wait_line(r"do-not-disturb off \(gnome-notifications\)", since=mark)
        self.assertEqual(len(self.limberd.wait_shows(1, since=mark, timeout=3)), 1)

    def test_dunst_do_not_disturb(self):
        dunst = self.start_dunst()
        # 3 s reminders; do-not-disturb for longer than that.
        self.start(NUDGE_PROFILE.replace('every = "4s"', 'every = "3s"'))
        self.limberd.wait_line(r"following dunst's paused state")
        s = self.wait_status(lambda s: "dunst" in s["presence"]["sources"], "dunst among the sources", self.limberd)
        self.assertFalse(s["presence"]["dnd"])
        self.limberd.wait_shows(1)
        mark = self.limberd.mark()
        dunst.ctl("set-paused", "true")
        s = self.wait_status(lambda s: s["state"] == "dnd", "state dnd while dunst is paused", self.limberd)
        self.assertTrue(s["presence"]["dnd"])
        self.assertIn("do-not-disturb on", self.limberctl("status"))
        # Due during do-not-disturb: it waits (its clock full), nothing is shown.
        self.assert_quiet(5, mark, "dunst was paused")
        on_hold = self.status()["reminders"][0]
        self.assertEqual(on_hold["due_in"], 0, on_hold)
        dunst.ctl("set-paused", "false")
        off = self.limberd.wait_line(r"do-not-disturb off", since=mark)[0]
        shows = self.limberd.wait_shows(1, since=mark, timeout=3)
        self.assertLess(self.line_time(shows[0].line) - self.line_time(off), 1.0,
                        "the held reminder is shown when do-not-disturb ends")
        # Once, not a burst of the showings missed meanwhile: the next one a whole interval later.
        second = self.limberd.wait_shows(2, since=mark, timeout=6)[1]
        self.assertGreaterEqual(self.line_time(second.line) - self.line_time(shows[0].line), 2.5)
        wait_until(lambda: dunst.count("displayed") + dunst.count("history") >= 1,
                   what="dunst to have shown the held reminder", detail=self.limberd.report)


if __name__ == "__main__":
    unittest.main()
