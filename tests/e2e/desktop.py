"""A desktop session of an ordinary user for the suite: the session bus, limberd, limberctl
and a compositor (sway, GNOME Shell) all run as that user, as on a real login, while the
test itself may run as root (CI).

sway and GNOME Shell refuse to run as root, and a D-Bus bus lets in only its own user, so
as root everything of the session runs as the test user `limberdesk` (a system account
without home or login shell, made once with useradd and kept), from copies of limberd,
limberctl, limber-tray (with the build's share/ tree beside them, so icons are found as in the build)
and the bus configurations in the test's directory: the checkout may be unreadable to
that user (CI clones under /root, 0700). The test's directory, HOME and every XDG
directory in it belong to the user. Run by an ordinary user, the session is that user's.

The test reads what the session shows through the user's own tools (limberctl, gdbus,
makoctl, grim), run with `run_as`."""

import glob
import json
import os
import pwd
import re
import shutil
import subprocess

from harness import (ICON_DIR, LIMBER_TRAY, LIMBERCTL, LIMBERD, SESSION_CONF, TIMEOUT, Limberd, LimberTestCase,
                     wait_until)

HERE = os.path.dirname(os.path.abspath(__file__))
SYSTEM_CONF = os.path.join(HERE, "system.conf")
DESKTOP_USER = "limberdesk"


# A reminder due every 3 s, for the tests of a desktop's do-not-disturb (GNOME Shell, Plasma).
DND_PROFILE = """\
[general]
idle_after = "10m"

[reminders.posture]
kind = "posture"
every = "3s"
title = "Posture e2e"
"""


def require_desktops():
    """True when a desktop that cannot run here must fail its tests, not skip them (the CI root)."""
    return os.environ.get("LIMBER_REQUIRE_DESKTOPS") == "1"


def icon_colours(kind):
    """(path, colours): limber's icon of this kind in the build tree and the colours (not greys: a
    server's own symbolic or fallback icon is grey or white) its SVG names. Fails, saying why, when
    there is no such icon or it names no colour."""
    path = os.path.join(ICON_DIR, "limber-%s.svg" % kind)
    if not os.path.exists(path):
        raise AssertionError("no icon for %s in the build tree: %s" % (kind, path))
    with open(path, encoding="utf-8") as f:
        named = {tuple(int(h[i:i + 2], 16) for i in (0, 2, 4))
                 for h in re.findall(r"#([0-9a-fA-F]{6})\b", f.read())}
    colours = {c for c in named if max(c) - min(c) > 40}
    if not colours:
        raise AssertionError("the icon %s names no colour (#rrggbb other than greys) to look for on "
                             "screen: %r" % (path, sorted(named)))
    return path, colours


def icon_share(pixels, colours, tolerance=24):
    """The share of `pixels` ((r, g, b, ...) tuples) within `tolerance` of one of the icon's
    `colours` in every channel (scaling blends an icon's colours at its edges). An icon drawn in
    the area covers a good share of it; anti-aliased text, which may blend into an icon colour
    here and there, a handful of pixels."""
    pixels = list(pixels)
    near = sum(1 for p in pixels
               if any(all(abs(p[i] - c[i]) <= tolerance for i in range(3)) for c in colours))
    return near / float(len(pixels)) if pixels else 0.0


# An icon is seen where at least this share of its area has its colours.
ICON_SHARE = 0.05


def ordinary_user():
    """The uid the session runs as: as root, the test user (created with useradd when
    missing), else None (the current user)."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(DESKTOP_USER).pw_uid
    except KeyError:
        pass
    r = subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                        DESKTOP_USER], capture_output=True, text=True, timeout=TIMEOUT)
    if r.returncode not in (0, 9):  # 9: made meanwhile by a test running beside this one
        raise AssertionError("useradd %s failed (%d): %s (Debian package passwd)"
                             % (DESKTOP_USER, r.returncode, r.stderr.strip()))
    return pwd.getpwnam(DESKTOP_USER).pw_uid


def ppm_pixels(data):
    """(width, height, rows) of a binary PPM (P6) image; rows[y][x] = (r, g, b)."""
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos)
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    if fields[0] != b"P6" or fields[3] != b"255":
        raise AssertionError("not an 8-bit P6 image: %r" % fields)
    width, height = int(fields[1]), int(fields[2])
    pixels = data[pos + 1:]
    rows = [[tuple(pixels[(y * width + x) * 3:(y * width + x) * 3 + 3]) for x in range(width)]
            for y in range(height)]
    return width, height, rows


def ppm_colours(data):
    """The set of (r, g, b) in a binary PPM (P6) image."""
    _w, _h, rows = ppm_pixels(data)
    return {p for row in rows for p in row}


class DesktopTestCase(LimberTestCase):
    """LimberTestCase whose session (bus, limberd, desktop) runs as an ordinary user."""

    def desktop_missing(self, message):
        """A desktop (or a part of one) this test needs is not here: the test fails where desktops are
        required (LIMBER_REQUIRE_DESKTOPS=1, the CI root), and is skipped elsewhere, saying why."""
        if require_desktops():
            self.fail(message)
        self.skipTest(message)

    def setUp(self):
        super().setUp()
        self.user = ordinary_user()
        self.limberd_path, self.limberctl_path, self.tray_path = LIMBERD, LIMBERCTL, LIMBER_TRAY
        self.session_conf, self.system_conf = SESSION_CONF, SYSTEM_CONF
        if self.user is not None:
            copies = os.path.join(self.tmp, "copies")
            os.mkdir(copies)
            self.limberd_path, self.limberctl_path, self.session_conf, self.system_conf = (
                shutil.copy(path, copies) for path in (LIMBERD, LIMBERCTL, SESSION_CONF, SYSTEM_CONF))
            if os.path.exists(LIMBER_TRAY):
                self.tray_path = shutil.copy(LIMBER_TRAY, copies)
            share = os.path.join(os.path.dirname(LIMBERD), "share")
            if os.path.isdir(share):
                shutil.copytree(share, os.path.join(copies, "share"))
            for root, dirs, files in os.walk(self.tmp):
                for name in [root] + [os.path.join(root, n) for n in dirs + files]:
                    self.give(name)

    # -- the user's commands ----------------------------------------------
    def run_as(self, argv, env=None, timeout=None, **kw):
        """argv run to completion as the session's user, in the session's environment."""
        ids = {} if self.user is None else {
            "user": self.user, "group": pwd.getpwuid(self.user).pw_gid, "extra_groups": []}
        return subprocess.run(argv, env=self.env if env is None else env, capture_output=True,
                              timeout=TIMEOUT if timeout is None else timeout, cwd=self.tmp,
                              **ids, **kw)

    def run_ok(self, argv, **kw):
        """run_as that must succeed; its standard output as text."""
        r = self.run_as(argv, text=True, **kw)
        if r.returncode != 0:
            raise AssertionError("%s failed (%d): %s%s\n%s" % (" ".join(argv), r.returncode, r.stdout,
                                                              r.stderr, self.report_all()))
        return r.stdout

    def write(self, name, text):
        """A file in the test's directory, the user's."""
        path = os.path.join(self.tmp, name)
        self.make_dirs(os.path.dirname(path))
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        self.give(path)
        return path

    def make_dirs(self, path):
        """os.makedirs, each directory made the user's."""
        if not os.path.isdir(path):
            self.make_dirs(os.path.dirname(path))
            os.mkdir(path, 0o700)
            self.give(path)

    def user_copy(self, path):
        """A copy of `path` (a script of the suite) in the test's directory, the user's: the checkout may
        be unreadable to that user (CI clones under /root, 0700). Made once per test."""
        copy = os.path.join(self.tmp, os.path.basename(path))
        if not os.path.exists(copy):
            shutil.copy(path, copy)
            self.give(copy)
        return copy

    def give(self, path):
        if self.user is not None:
            os.chown(path, self.user, pwd.getpwuid(self.user).pw_gid)

    def spawn_as(self, name, argv, env=None, cls=None):
        """A long-running process of the session."""
        kw = {} if cls is None else {"cls": cls}
        return self.spawn(name, argv, env=env, user=self.user, **kw)

    # -- the session ------------------------------------------------------
    def start_user_bus(self):
        """The user's session bus; sets DBUS_SESSION_BUS_ADDRESS."""
        self.env["DBUS_SESSION_BUS_ADDRESS"] = self.spawn_bus(self.session_conf, user=self.user)
        return self.env["DBUS_SESSION_BUS_ADDRESS"]

    def start_user_system_bus(self):
        """A private system bus of the user's (python3-dbusmock can own system names on it);
        sets DBUS_SYSTEM_BUS_ADDRESS."""
        self.env["DBUS_SYSTEM_BUS_ADDRESS"] = self.spawn_bus(self.system_conf, "dbus-daemon-system",
                                                             user=self.user)
        return self.env["DBUS_SYSTEM_BUS_ADDRESS"]

    def name_owned(self, name, system=False):
        r = self.run_as(["gdbus", "call", "--system" if system else "--session", "--dest",
                         "org.freedesktop.DBus", "--object-path", "/org/freedesktop/DBus", "--method",
                         "org.freedesktop.DBus.GetNameOwner", name], text=True)
        return r.returncode == 0

    def wait_owned(self, name, proc, system=False, timeout=None):
        """Wait until `name` is owned on the session (or system) bus; fails at once if `proc`,
        which is to own it, exits."""
        def owned():
            if not proc.alive():
                raise AssertionError("%s exited before owning %s\n%s" % (proc.name, name, proc.report()))
            return self.name_owned(name, system)
        wait_until(owned, timeout, "%s to own %s" % (proc.name, name), self.report_all)

    def start_limberd_as_user(self, profile, name="limberd", env=None):
        argv = [self.limberd_path] + self.limberd_argv(profile)[1:]
        limberd = self.spawn_as(name, argv, env=env, cls=Limberd)
        limberd.wait_line(r"\bready\b", what="limberd to log `ready`")
        wait_until(lambda: self.run_as([self.limberctl_path, "status"]).returncode == 0,
                   what="limberctl to reach limberd", detail=self.report_all)
        return limberd

    def ctl_ok(self, *args):
        """limberctl ARGS as the user, which must succeed; its output."""
        return self.run_ok([self.limberctl_path] + list(args))

    def ctl_json(self, *args):
        return json.loads(self.ctl_ok("--json", *args))

    def wait_ctl_json(self, args, predicate, what):
        """Poll `limberctl --json ARGS` until predicate(answer) holds; return the answer."""
        last = {}

        def check():
            last["v"] = self.ctl_json(*args)
            return last["v"] if predicate(last["v"]) else None
        return wait_until(check, what=what,
                          detail=lambda: "last answer: %r\n%s" % (last.get("v"), self.report_all()))

    def start_sway(self, config="output HEADLESS-1 resolution 640x60\n"):
        """sway on wlroots' headless backend (no GPU, no input devices); sets WAYLAND_DISPLAY and SWAYSOCK."""
        env = dict(self.env, WLR_BACKENDS="headless", WLR_LIBINPUT_NO_DEVICES="1", WLR_RENDERER="pixman")
        sway = self.spawn_as("sway", ["sway", "-c", self.write("sway.conf", config)], env=env)
        runtime = self.env["XDG_RUNTIME_DIR"]

        def socket():
            if not sway.alive():
                raise AssertionError("sway exited\n" + sway.report())
            return next((n for n in sorted(os.listdir(runtime))
                         if n.startswith("wayland-") and not n.endswith(".lock")), None)
        self.env["WAYLAND_DISPLAY"] = wait_until(socket, what="sway's Wayland socket", detail=sway.report)
        self.env["SWAYSOCK"] = wait_until(lambda: next(iter(glob.glob(os.path.join(runtime, "sway-ipc.*.sock"))), None),
                                          what="sway's IPC socket", detail=sway.report)
        return sway

    def grim(self, path=None):
        """A screenshot of the sway output as binary PPM bytes (also written to `path`)."""
        r = self.run_as(["grim", "-t", "ppm", "-"])
        if r.returncode != 0:
            raise AssertionError("grim failed: %s" % r.stderr.decode(errors="replace"))
        if path is not None:
            with open(path, "wb") as f:
                f.write(r.stdout)
        return r.stdout
