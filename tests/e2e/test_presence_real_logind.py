"""limberd under a REAL logind: the build, installed as `cmake --install` installs
it, runs in its sandboxed limber.service under the test user's real
user@UID.service inside a booted systemd-nspawn container (real_logind.py), and
follows the user's display session over the container's real system bus:
GetSession("auto"), LockedHint (set by the desktop's locker when
`loginctl lock-session` asks it to lock) and IdleHint.

Needs root; skips with the reason when the container cannot run here, and
fails instead when LIMBER_REQUIRE_SYSTEMD=1 (as in CI)."""

import json
import os
import re
import subprocess
import sys
import tempfile
import time
import unittest

from harness import LIMBERD, TIMEOUT, cmake_install, wait_until
from real_logind import RealLogind, Unavailable
from real_systemd import require_systemd

# Reminders far off: this test is about presence, and there is no notification server.
PROFILE = """\
[general]
idle_after = "2s"

[reminders.posture]
kind = "posture"
every = "1h"
"""

# Test-only settings for the installed unit, and why.
DROP_IN = """\
[Service]
# systemd-nspawn over-mounts /proc/kmsg with a fifo: with PrivateUsers=yes the unit's
# ProtectKernelLogs=yes then cannot mount over it (226/NAMESPACE). Only inside nspawn.
ProtectKernelLogs=no
"""

# The desktop's part of `loginctl lock-session`: logind only emits Lock/Unlock on the
# session; the screen locker locks and reports it with SetLockedHint (as gnome-shell does).
LOCKER = """\
import sys
from gi.repository import Gio, GLib
path, ready = sys.argv[1], sys.argv[2]
bus = Gio.bus_get_sync(Gio.BusType.SYSTEM, None)
def on_signal(conn, sender, obj, iface, name, params):
    bus.call_sync("org.freedesktop.login1", path, "org.freedesktop.login1.Session", "SetLockedHint",
                  GLib.Variant("(b)", (name == "Lock",)), None, Gio.DBusCallFlags.NONE, -1, None)
    print("locker: %s -> LockedHint=%s" % (name, name == "Lock"), flush=True)
for member in ("Lock", "Unlock"):
    bus.signal_subscribe("org.freedesktop.login1", "org.freedesktop.login1.Session", member, path, None,
                         Gio.DBusSignalFlags.NONE, on_signal)
# A round trip after the (asynchronous) AddMatch calls: once answered, they are in place.
bus.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "GetId", None, None,
              Gio.DBusCallFlags.NONE, -1, None)
open(ready, "w").close()
GLib.MainLoop().run()
"""


def build_dir():
    """The CMake build directory holding LIMBERD (the one `cmake --install` installs from)."""
    d = os.path.dirname(os.path.abspath(LIMBERD))
    while d != "/":
        if os.path.exists(os.path.join(d, "CMakeCache.txt")):
            return d
        d = os.path.dirname(d)
    return None


def stage_install(build, dest):
    """`cmake --install build` into DESTDIR=dest, world-readable; the installed paths."""
    old = os.umask(0o022)
    try:
        r, installed = cmake_install(build, env=dict(os.environ, DESTDIR=dest))
    finally:
        os.umask(old)
    if r.returncode != 0:
        raise AssertionError("cmake --install %s failed (build everything first: cmake --build %s):\n%s%s"
                             % (build, build, r.stdout, r.stderr))
    return installed


class RealLogindTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        build = build_dir()
        reason = RealLogind.unavailable()
        if reason is None and build is None:
            reason = "no CMake build directory above %s" % LIMBERD
        if reason is not None:
            cls.cannot_run(reason)
        stage = tempfile.TemporaryDirectory(prefix="limber-stage-")
        cls.addClassCleanup(stage.cleanup)
        installed = stage_install(build, stage.name)
        unit = [p for p in installed if p.endswith("/systemd/user/limber.service")]
        if not unit:
            raise AssertionError("cmake --install %s installed no systemd/user/limber.service" % build)
        cls.unit_path = unit[0]
        cls.limberctl_path = [p for p in installed if p.endswith("/bin/limberctl")][0]
        cls.c = c = RealLogind()
        cls.addClassCleanup(c.down)
        try:
            c.up()
        except Unavailable as e:
            cls.cannot_run(str(e))
        print("\nreal logind container set-up: %.1f s (systemd-nspawn ready %.1f s, boot %.1f s)"
              % (c.timings["total"], c.timings["nspawn"], c.timings["boot"]), file=sys.stderr)
        c.copy_tree(stage.name)
        home = c.root("sh", "-c", "getent passwd %s | cut -d: -f6" % c.user).strip()
        c.root("install", "-D", "-m", "644", "/dev/stdin", "/etc/systemd/user/limber.service.d/50-test.conf",
               input=DROP_IN)
        c.root("install", "-D", "-m", "644", "/dev/stdin", "/usr/local/share/limber-test/locker.py", input=LOCKER)
        c.root("install", "-D", "-o", c.user, "-m", "644", "/dev/stdin", home + "/.config/limber/profile.toml",
               input=PROFILE)
        c.root("chown", "-R", "%s:%s" % (c.user, c.user), home + "/.config")
        if os.path.dirname(unit[0]) not in ("/usr/lib/systemd/user", "/usr/local/lib/systemd/user"):
            c.as_user("systemctl", "--user", "link", unit[0])
        c.as_user("systemctl", "--user", "daemon-reload")
        t0 = time.monotonic()
        # Type=notify: returns once limberd said READY=1 (or fails when the unit does).
        start = c.as_user_run("systemctl", "--user", "start", "limber.service", timeout=60)
        cls.start_to_ready = time.monotonic() - t0
        if start.returncode != 0:
            raise AssertionError("systemctl --user start limber failed: %s\n%s" % (start.stderr, cls.unit_report()))

    @staticmethod
    def cannot_run(reason):
        if require_systemd():
            raise AssertionError("LIMBER_REQUIRE_SYSTEMD=1, but a real logind cannot run here: " + reason)
        raise unittest.SkipTest(reason)

    @classmethod
    def unit_report(cls):
        c = cls.c
        status = c.as_user_run("systemctl", "--user", "status", "--no-pager", "-l", "limber.service")
        return "$ systemctl --user status limber\n%s%s\n$ journalctl (limber.service)\n%s" % (
            status.stdout, status.stderr, cls.journal())

    @classmethod
    def journal(cls):
        return cls.c.root("journalctl", "--no-pager", "-o", "short-monotonic", "_UID=%d" % cls.c.uid,
                          "_SYSTEMD_USER_UNIT=limber.service", check=False)

    # ---- helpers ----------------------------------------------------------------------

    def status(self):
        return json.loads(self.c.as_user(self.limberctl_path, "--json", "status"))

    def wait_status(self, predicate, what):
        last = {}

        def check():
            last["s"] = self.status()
            return last["s"] if predicate(last["s"]) else None
        return wait_until(check, TIMEOUT, what, lambda: "last status: %r\n%s" % (last.get("s"), self.unit_report()))

    def wait_journal(self, regex, since=0):
        """A line of limber.service's journal matching regex, after the first `since` lines."""
        def find():
            lines = self.journal().splitlines()[since:]
            return [line for line in lines if re.search(regex, line)]
        return wait_until(find, TIMEOUT, "journal line %r" % regex, self.unit_report)

    def journal_mark(self):
        return len(self.journal().splitlines())

    def session_call(self, sid, method, *args):
        """Call a org.freedesktop.login1.Session method as the session's owner, over the system bus."""
        self.c.as_user("busctl", "call", "org.freedesktop.login1", self.c.session_path(sid),
                       "org.freedesktop.login1.Session", method, *args)

    def present(self, s):
        return s["state"] == "active" and s["presence"]["away"] is False and s["presence"]["reasons"] == []

    # ---- tests ------------------------------------------------------------------------

    def test_follows_the_display_session_found_by_get_session_auto(self):
        c = self.c
        self.assertEqual(c.as_user("systemctl", "--user", "is-active", "limber.service").strip(), "active")
        # The unit as cmake --install installs it, with only the test's drop-in.
        self.assertEqual(c.as_user("systemctl", "--user", "show", "-p", "FragmentPath", "-p", "DropInPaths",
                                   "limber.service").split(),
                         ["FragmentPath=" + self.unit_path,
                          "DropInPaths=/etc/systemd/user/limber.service.d/50-test.conf"])
        s = self.wait_status(lambda s: "logind" in s["presence"]["sources"], "logind among the presence sources")
        self.assertTrue(self.present(s), s)
        self.wait_journal(r"presence sources: logind\b")
        # logind's answer to GetSession("auto") for a process of user@UID.service (where limberd
        # runs, in no session): the user's Display session, the x11 one.
        display = c.root("loginctl", "show-user", c.user, "-p", "Display", "--value").strip()
        self.assertEqual(display, c.sessions["x11"])
        auto = c.as_user("systemd-run", "--user", "--wait", "--pipe", "--quiet", "busctl", "call",
                         "org.freedesktop.login1", "/org/freedesktop/login1", "org.freedesktop.login1.Manager",
                         "GetSession", "s", "auto")
        self.assertEqual(auto.strip(), 'o "%s"' % c.session_path(c.sessions["x11"]))
        # Started within the test's budget; the figure is printed, not asserted.
        print("\nlimber.service start to READY=1: %.2f s" % self.start_to_ready, file=sys.stderr)

    def test_lock_session_and_unlock_session(self):
        c = self.c
        x11, plain = c.sessions["x11"], c.sessions["plain"]
        ready = "/run/user/%d/limber-test-locker.ready" % c.uid
        c.as_user("systemd-run", "--user", "--quiet", "--unit=limber-test-locker", "/usr/bin/python3",
                  "/usr/local/share/limber-test/locker.py", c.session_path(x11), ready)
        self.addCleanup(c.as_user_run, "systemctl", "--user", "stop", "limber-test-locker.service")
        wait_until(lambda: c.succeeds("test", "-e", ready), TIMEOUT, "the stand-in screen locker",
                 lambda: c.root("journalctl", "--no-pager", "_SYSTEMD_USER_UNIT=limber-test-locker.service",
                                check=False))
        self.wait_status(self.present, "present at the start")
        # The other session is locked: not the one limberd follows.
        self.session_call(plain, "SetLockedHint", "b", "true")
        self.addCleanup(self.session_call, plain, "SetLockedHint", "b", "false")
        self.assertEqual(c.session_property(plain, "LockedHint"), "yes")
        mark = self.journal_mark()
        c.root("loginctl", "lock-session", x11)
        s = self.wait_status(lambda s: s["state"] == "away", "away after loginctl lock-session")
        self.assertEqual(s["presence"]["reasons"], ["locked"])
        self.assertTrue(s["presence"]["locked"])
        self.assertEqual(c.session_property(x11, "LockedHint"), "yes")
        self.wait_journal(r"away \(logind\)", since=mark)
        c.root("loginctl", "unlock-session", x11)
        # Present again, although the other session is still locked.
        s = self.wait_status(self.present, "present after loginctl unlock-session")
        self.assertFalse(s["presence"]["locked"])
        self.assertEqual(c.session_property(plain, "LockedHint"), "yes")
        self.wait_journal(r"back \(logind\)", since=mark)

    def test_idle_hint(self):
        c = self.c
        x11 = c.sessions["x11"]
        self.wait_status(self.present, "present at the start")
        mark = self.journal_mark()
        self.session_call(x11, "SetIdleHint", "b", "true")
        self.addCleanup(self.session_call, x11, "SetIdleHint", "b", "false")
        self.assertEqual(c.session_property(x11, "IdleHint"), "yes")
        s = self.wait_status(lambda s: s["state"] == "away", "away after SetIdleHint(true)")
        self.assertEqual(s["presence"]["reasons"], ["idle"])
        self.session_call(x11, "SetIdleHint", "b", "false")
        self.wait_status(self.present, "present after SetIdleHint(false)")
        self.wait_journal(r"back \(logind\)", since=mark)


if __name__ == "__main__":
    unittest.main()
