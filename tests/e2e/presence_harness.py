"""Fixtures for the presence tests: a private system bus with dbusmock's
logind, dbusmock screen savers and a Mutter idle monitor on the session bus,
limberctl's status, and what the log says about presence.

Everything here is a real process on a private bus, as in harness.py; limberd
is the real binary, observed from outside (its log, the bus, the servers)."""

import json
import os
import subprocess
import time

import dbus

from harness import (MOCK_IFACE, PYTHON, TIMEOUT, LimberTestCase, wait_until)

HERE = os.path.dirname(os.path.abspath(__file__))
SYSTEM_CONF = os.path.join(HERE, "system.conf")

LOGIND_NAME = "org.freedesktop.login1"
LOGIND_PATH = "/org/freedesktop/login1"
MANAGER_IFACE = "org.freedesktop.login1.Manager"
SESSION_IFACE = "org.freedesktop.login1.Session"
SESSION_PATH = "/org/freedesktop/login1/session/auto"

MUTTER_NAME = "org.gnome.Mutter.IdleMonitor"
MUTTER_PATH = "/org/gnome/Mutter/IdleMonitor/Core"
MUTTER_IFACE = "org.gnome.Mutter.IdleMonitor"

# One nudge every 4 s; away for 2 s (idle_after) counts as its break.
NUDGE_PROFILE = """\
[general]
idle_after = "2s"
merge_within = "0s"

[reminders.posture]
kind = "posture"
every = "4s"
title = "Posture"
message = "Sit tall"
"""


class PresenceTestCase(LimberTestCase):
    """LimberTestCase plus the presence peers."""

    def limberctl(self, *args):
        ctl = os.path.join(os.path.dirname(os.path.abspath(self.limberd_path())), "limberctl")
        res = subprocess.run([ctl] + list(args), env=self.env, capture_output=True, text=True,
                             timeout=TIMEOUT)
        if res.returncode != 0:
            raise AssertionError("limberctl %s failed (%d): %s%s" % (
                " ".join(args), res.returncode, res.stdout, res.stderr))
        return res.stdout

    @staticmethod
    def limberd_path():
        from harness import LIMBERD
        return LIMBERD

    def status(self):
        return json.loads(self.limberctl("--json", "status"))

    def wait_status(self, predicate, what, limberd):
        """Poll `limberctl --json status` until predicate(status) holds."""
        last = {}

        def check():
            last["s"] = self.status()
            return last["s"] if predicate(last["s"]) else None
        return wait_until(check, what=what,
                          detail=lambda: "last status: %r\n%s" % (last.get("s"), limberd.report()))

    # -- system bus and logind ----------------------------------------------
    def assert_quiet(self, seconds, since, why):
        """No reminder is shown for `seconds` (a window, not a wait for something)."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            shows = self.limberd.shows(since)
            if shows:
                self.fail("%s, but limberd showed %r\n%s" % (why, shows, self.limberd.report()))
            time.sleep(0.1)

    def start_system_bus(self):
        """A private system bus; sets DBUS_SYSTEM_BUS_ADDRESS in self.env."""
        addr = self.spawn_bus(SYSTEM_CONF, "dbus-daemon-system")
        self.env["DBUS_SYSTEM_BUS_ADDRESS"] = addr
        self.system_bus = dbus.bus.BusConnection(addr)
        self.addCleanup(self.system_bus.close)
        return addr

    def start_logind(self):
        """dbusmock's logind template with one session, added as "auto"."""
        proc = self.spawn("mock-logind", [PYTHON, "-m", "dbusmock", "--system", "--template", "logind"])

        def owner():
            if not proc.alive():
                raise AssertionError("the logind mock exited\n" + proc.report())
            try:
                return str(self.system_bus.get_name_owner(LOGIND_NAME))
            except dbus.exceptions.DBusException:
                return None
        wait_until(owner, what="the logind mock to own " + LOGIND_NAME, detail=self.report_all)
        manager = self.system_bus.get_object(LOGIND_NAME, LOGIND_PATH, introspect=False)
        dbus.Interface(manager, MOCK_IFACE).AddSession("auto", "seat0", dbus.UInt32(os.getuid()),
                                                       "tester", True)
        return proc

    def logind_manager_mock(self):
        return dbus.Interface(self.system_bus.get_object(LOGIND_NAME, LOGIND_PATH, introspect=False),
                              MOCK_IFACE)

    def logind_session(self, iface=SESSION_IFACE):
        return dbus.Interface(self.system_bus.get_object(LOGIND_NAME, SESSION_PATH, introspect=False),
                              iface)

    def set_locked_hint(self, locked):
        self.logind_session().SetLockedHint(dbus.Boolean(locked))

    def set_idle_hint(self, idle, since_monotonic=None):
        props = {"IdleHint": dbus.Boolean(idle)}
        if since_monotonic is not None:
            usec = int(since_monotonic * 1e6)
            props["IdleSinceHintMonotonic"] = dbus.UInt64(usec)
            props["IdleSinceHint"] = dbus.UInt64(int((time.time() - (time.monotonic() - since_monotonic)) * 1e6))
        self.logind_session(MOCK_IFACE).UpdateProperties(SESSION_IFACE, dbus.Dictionary(props, signature="sv"))

    def prepare_for_sleep(self, sleeping):
        self.logind_manager_mock().EmitSignal(MANAGER_IFACE, "PrepareForSleep", "b",
                                              [dbus.Boolean(sleeping)])

    def inhibitors(self):
        manager = dbus.Interface(self.system_bus.get_object(LOGIND_NAME, LOGIND_PATH, introspect=False),
                                 MANAGER_IFACE)
        return [tuple(str(x) for x in i[:4]) for i in manager.ListInhibitors()]

    # -- session-bus peers ----------------------------------------------------
    def start_session_mock(self, name, argv):
        proc = self.spawn(name, [PYTHON, "-m", "dbusmock"] + argv)
        return proc

    def start_gnome_screensaver(self):
        proc = self.start_session_mock("mock-screensaver", ["--template", "gnome_screensaver"])
        self.wait_name("org.gnome.ScreenSaver", detail=self.report_all)
        return proc

    def gnome_screensaver(self):
        return dbus.Interface(self.bus.get_object("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver",
                                                  introspect=False), "org.gnome.ScreenSaver")

    def start_mutter(self):
        """A scripted Mutter idle monitor: AddIdleWatch answers 1, AddUserActiveWatch 2."""
        proc = self.start_session_mock("mock-mutter", [MUTTER_NAME, MUTTER_PATH, MUTTER_IFACE])
        self.wait_name(MUTTER_NAME, detail=self.report_all)
        mock = dbus.Interface(self.bus.get_object(MUTTER_NAME, MUTTER_PATH, introspect=False), MOCK_IFACE)
        mock.AddMethods(MUTTER_IFACE, [
            ("AddIdleWatch", "t", "u", "ret = dbus.UInt32(1)"),
            ("AddUserActiveWatch", "", "u", "ret = dbus.UInt32(2)"),
            ("RemoveWatch", "u", "", ""),
            ("GetIdletime", "", "t", "ret = dbus.UInt64(0)"),
        ])
        return mock

    # -- limberd's log --------------------------------------------------------
    @staticmethod
    def line_time(line):
        return time.mktime(line.time.timetuple()) + line.time.microsecond / 1e6
