"""A headless sway 1.7 session for the suite (Waybar, Wayland idle): sway refuses to run as
root, so as root the whole session (bus, limberd, sway, its clients, limberctl) runs as nobody,
from copies of limberd, limberctl and session.conf in the test's directory (the checkout may be
unreadable to nobody, e.g. under /root). Debian: sway (and waybar, grim for the bar)."""

import glob
import os
import shutil
import subprocess

from harness import LIMBERCTL, LIMBERD, SESSION_CONF, Limberd, LimberTestCase, wait_until


class SwayTestCase(LimberTestCase):
    def setUp(self):
        super().setUp()
        self.user = 65534 if os.geteuid() == 0 else None  # nobody
        self.limberd, self.limberctl, self.session_conf = LIMBERD, LIMBERCTL, SESSION_CONF
        if self.user is not None:
            copies = os.path.join(self.tmp, "copies")
            os.mkdir(copies)
            self.limberd, self.limberctl, self.session_conf = (
                shutil.copy(path, copies) for path in (LIMBERD, LIMBERCTL, SESSION_CONF))
            for root, dirs, files in os.walk(self.tmp):
                for name in [root] + [os.path.join(root, n) for n in dirs + files]:
                    os.chown(name, self.user, self.user)

    def run_as(self, argv, **kw):
        ids = {} if self.user is None else {"user": self.user, "group": self.user, "extra_groups": []}
        return subprocess.run(argv, env=self.env, capture_output=True, timeout=10, **ids, **kw)

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(text)
        if self.user is not None:
            os.chown(path, self.user, self.user)
        return path

    def ctl_ok(self, *args):
        res = self.run_as([self.limberctl] + list(args), text=True)
        self.assertEqual(res.returncode, 0, res.stderr)
        return res.stdout

    def start_user_bus(self):
        """A session bus of the user's own, on a socket in the test's directory."""
        bus = self.spawn("dbus-daemon", ["dbus-daemon", "--config-file=" + self.session_conf,
                                         "--address=unix:dir=" + self.tmp, "--print-address=1",
                                         "--nofork", "--nopidfile", "--nosyslog"], user=self.user)
        address = wait_until(lambda: bus.stdout().endswith("\n") and bus.stdout().splitlines()[0],
                             what="dbus-daemon's address", detail=bus.report)
        self.env["DBUS_SESSION_BUS_ADDRESS"] = address

    def start_limberd_as_user(self, profile, name="limberd"):
        argv = [self.limberd] + self.limberd_argv(profile)[1:]
        limberd = self.spawn(name, argv, cls=Limberd, user=self.user)
        limberd.wait_line(r"\bready\b", what="limberd to log `ready`")
        wait_until(lambda: self.run_as([self.limberctl, "status"]).returncode == 0, what="limberctl to reach limberd",
                   detail=self.report_all)
        return limberd

    def start_sway(self, config="output HEADLESS-1 resolution 640x60\n"):
        """A headless sway without input devices; sets WAYLAND_DISPLAY and SWAYSOCK in self.env."""
        sway_env = dict(self.env, WLR_BACKENDS="headless", WLR_LIBINPUT_NO_DEVICES="1", WLR_RENDERER="pixman")
        sway = self.spawn("sway", ["sway", "-c", self.write("sway.conf", config)], env=sway_env, user=self.user)
        runtime = self.env["XDG_RUNTIME_DIR"]
        display = wait_until(lambda: next((n for n in sorted(os.listdir(runtime))
                                           if n.startswith("wayland-") and not n.endswith(".lock")), None),
                             what="sway's Wayland socket", detail=sway.report)
        self.env["WAYLAND_DISPLAY"] = display
        self.env["SWAYSOCK"] = wait_until(lambda: next(iter(glob.glob(os.path.join(runtime, "sway-ipc.*.sock"))), None),
                                          what="sway's IPC socket", detail=sway.report)
        return sway

    def swaymsg(self, *args):
        res = self.run_as(["swaymsg"] + list(args), text=True)
        self.assertEqual(res.returncode, 0, "swaymsg %s: %s%s" % (" ".join(args), res.stdout, res.stderr))
        return res.stdout
