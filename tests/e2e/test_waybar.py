"""A real Waybar on a headless sway, fed by `limberctl watch --format waybar`
as its custom module (exec in continuous mode): the bar follows limberd's
state. Each state has its own background colour in the bar's CSS (the module
gets the line's `class`), and screenshots (grim) are read for that colour.

sway refuses to run as root; as root, the whole session (bus, limberd, sway,
waybar, limberctl) runs as nobody, from copies of limberd, limberctl and
session.conf in the test's directory (the checkout may be unreadable to
nobody, e.g. under /root). Skipped where sway, waybar or grim are not
installed (Debian: sway waybar grim)."""

import os
import shutil
import signal
import subprocess
import unittest

from harness import (LIMBERCTL, LIMBERD, SESSION_CONF, Limberd, LimberTestCase, wait_until)

PROFILE = """\
[reminders.posture]
kind = "posture"
every = "20m"
"""

CSS = """\
* { font-family: monospace; font-size: 14px; }
window#waybar { background: #000000; }
#custom-limber { color: #ffffff; padding: 0 10px; }
#custom-limber.active { background: #00ff00; color: #000000; }
#custom-limber.paused { background: #ff0000; }
#custom-limber.stopped { background: #0000ff; }
"""
COLOURS = {"active": (0, 255, 0), "paused": (255, 0, 0), "stopped": (0, 0, 255)}


def ppm_colours(data):
    """The set of (r, g, b) in a binary PPM (P6) image."""
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
    pixels = data[pos + 1:]
    return {tuple(pixels[i:i + 3]) for i in range(0, len(pixels) - 2, 3)}


@unittest.skipUnless(all(shutil.which(p) for p in ("sway", "waybar", "grim")),
                     "needs sway, waybar and grim")
class WaybarTest(LimberTestCase):
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

    def screenshot_colours(self):
        res = self.run_as(["grim", "-t", "ppm", "-"])
        if res.returncode != 0:
            raise AssertionError("grim failed: %s" % res.stderr.decode(errors="replace"))
        self.last_shot = res.stdout
        return ppm_colours(res.stdout)

    def wait_bar(self, state):
        def shown():
            return COLOURS[state] in self.screenshot_colours()

        def detail():
            path = os.path.join(self.tmp, "last.ppm")
            with open(path, "wb") as f:
                f.write(getattr(self, "last_shot", b""))
            return "screenshot in %s\n%s" % (path, self.report_all())
        wait_until(shown, what="the bar to show limber %s (colour %r)" % (state, COLOURS[state]), detail=detail)

    def ctl_ok(self, *args):
        res = self.run_as([self.limberctl] + list(args), text=True)
        self.assertEqual(res.returncode, 0, res.stderr)

    def start_limberd_as_user(self, profile, name="limberd"):
        argv = [self.limberd] + self.limberd_argv(profile)[1:]
        limberd = self.spawn(name, argv, cls=Limberd, user=self.user)
        limberd.wait_line(r"\bready\b", what="limberd to log `ready`")
        wait_until(lambda: self.run_as([self.limberctl, "status"]).returncode == 0, what="limberctl to reach limberd",
                   detail=self.report_all)
        return limberd

    def test_bar_follows_limberd(self):
        # A session bus of nobody's own, on a socket in the test's directory.
        bus = self.spawn("dbus-daemon", ["dbus-daemon", "--config-file=" + self.session_conf,
                                         "--address=unix:dir=" + self.tmp, "--print-address=1",
                                         "--nofork", "--nopidfile", "--nosyslog"], user=self.user)
        address = wait_until(lambda: bus.stdout().endswith("\n") and bus.stdout().splitlines()[0],
                             what="dbus-daemon's address", detail=bus.report)
        self.env["DBUS_SESSION_BUS_ADDRESS"] = address
        profile = self.write("profile.toml", PROFILE)
        limberd = self.start_limberd_as_user(profile)

        sway_env = dict(self.env, WLR_BACKENDS="headless", WLR_LIBINPUT_NO_DEVICES="1", WLR_RENDERER="pixman")
        sway_conf = self.write("sway.conf", "output HEADLESS-1 resolution 640x60\n")
        sway = self.spawn("sway", ["sway", "-c", sway_conf], env=sway_env, user=self.user)
        runtime = self.env["XDG_RUNTIME_DIR"]
        display = wait_until(lambda: next((n for n in sorted(os.listdir(runtime))
                                           if n.startswith("wayland-") and not n.endswith(".lock")), None),
                             what="sway's Wayland socket", detail=sway.report)
        self.env["WAYLAND_DISPLAY"] = display
        config = self.write("waybar.json", """{"position": "top", "height": 30, "modules-left": ["custom/limber"],
            "custom/limber": {"exec": "%s watch --format waybar", "return-type": "json", "restart-interval": 1}}"""
                            % self.limberctl)
        self.spawn("waybar", ["waybar", "-c", config, "-s", self.write("style.css", CSS)], user=self.user)

        self.wait_bar("active")
        self.ctl_ok("pause", "30m")
        self.wait_bar("paused")
        self.ctl_ok("resume")
        self.wait_bar("active")
        limberd.send(signal.SIGTERM)
        self.assertEqual(limberd.wait_exit(), 0, limberd.report())
        self.wait_bar("stopped")
        self.start_limberd_as_user(profile, name="limberd-again")
        self.wait_bar("active")


if __name__ == "__main__":
    unittest.main(verbosity=2)
