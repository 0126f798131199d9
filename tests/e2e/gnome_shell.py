"""GNOME Shell 43 for the suite: the Shell as a headless Wayland compositor
(`gnome-shell --wayland --headless --no-x11 --virtual-monitor 1280x800`) as an ordinary user
(desktop.py) on a private session bus, with dconf for GSettings and a python3-dbusmock logind on a
private system bus; test_gnome_shell.py (notifications) and tray_hosts.py (the AppIndicator
extension's tray) build on it.

What a person sees and does is read and done through the Shell itself:
  * GNOME Shell 43 has no --unsafe-mode option; the test's own extension (written to the
    user's extension directory and enabled in GSettings before the Shell starts) turns the
    Shell's unsafe mode on, as Looking Glass would by hand: that opens
    org.gnome.Shell.Eval and org.gnome.Shell.Screenshot to the test;
  * buttons are pressed with a virtual pointer (a Clutter virtual input device: motion and
    button events through the Shell's own input handling), where the Shell draws them;
  * screenshots are the Shell's own (org.gnome.Shell.Screenshot).

Skipped where the pieces are not installed (Debian: gnome-shell gjs dconf-service
libglib2.0-bin) or the Shell cannot start here, with the reason; with
LIMBER_REQUIRE_DESKTOPS=1 (the CI root) those are failures.
"""

import base64
import json
import os
import re
import shutil
import unittest
import warnings

from desktop import DESKTOP_USER, DesktopTestCase, require_desktops
from harness import PYTHON, wait_until

DCONF_SERVICE = "/usr/libexec/dconf-service"
SHELL_NOTIFICATIONS = "/usr/share/gnome-shell/org.gnome.Shell.Notifications"
EXTENSION_UUID = "limber-e2e@limber.test"
SCREEN = (1280, 800)
# Starting the Shell takes a few seconds, more on a loaded machine.
SHELL_TIMEOUT = 60

# The test's extension: unsafe mode on (as Looking Glass would), and a few readers and a
# virtual pointer the test calls through org.gnome.Shell.Eval.
EXTENSION_JS = r"""
const { Clutter, GLib } = imports.gi;
const Main = imports.ui.main;
const MessageTray = imports.ui.messageTray;

function place(actor) {
    const [x, y] = actor.get_transformed_position();
    const [w, h] = actor.get_transformed_size();
    return { x: Math.round(x), y: Math.round(y), w: Math.round(w), h: Math.round(h) };
}

var limberE2E = {
    pointer: null,
    // The banner on screen, or null.
    banner() {
        const tray = Main.messageTray;
        const b = tray._banner;
        // Still sliding in (or out): not yet where the person sees it.
        if (!b || tray._notificationState !== MessageTray.State.SHOWN || !tray._bannerBin.mapped)
            return null;
        const n = b.notification;
        if (!n)  // answered: on its way out
            return null;
        return {
            title: n.title, body: n.bannerBodyText, urgency: n.urgency, expanded: b.expanded,
            place: place(tray._bannerBin), icon: place(b._iconBin), text: place(b.titleLabel),
            buttons: (b._buttonBox ? b._buttonBox.get_children() : [])
                .filter(c => c.mapped).map(c => Object.assign({ label: c.label }, place(c))),
        };
    },
    // The tray's own view of the banner, for failure reports.
    trayState() {
        const t = Main.messageTray;
        return { state: t._notificationState, pointerIn: t._pointerInNotification, hover: t._bannerBin.hover,
                 pointer: global.get_pointer().slice(0, 2),
                 shownAt: [t._showNotificationMouseX, t._showNotificationMouseY],
                 userActive: t._userActiveWhileNotificationShown };
    },
    // Every notification the Shell holds (banner or message list).
    held() {
        return Main.messageTray.getSources().flatMap(s => s.notifications.map(
            n => ({ source: s.title, title: n.title, urgency: n.urgency })));
    },
    move(x, y) {
        this.pointer.notify_absolute_motion(GLib.get_monotonic_time(), x, y);
        return true;
    },
    // Whether the Shell has caught up with the pointer: pointer events go to the actor at (x, y).
    // (It handles motion once a frame, a press at once: a press right after a move may still go
    // where the pointer was.)
    at(x, y) {
        const seat = Clutter.get_default_backend().get_default_seat();
        const current = global.stage.get_device_actor(seat.get_pointer(), null);
        return current !== null && current === global.stage.get_actor_at_pos(Clutter.PickMode.REACTIVE, x, y);
    },
    // A click of a button (1 primary, 2 middle, 3 secondary) where the pointer is.
    click(button = Clutter.BUTTON_PRIMARY) {
        const t = GLib.get_monotonic_time();
        this.pointer.notify_button(t, button, Clutter.ButtonState.PRESSED);
        this.pointer.notify_button(t + 50000, button, Clutter.ButtonState.RELEASED);
        return true;
    },
};

class Extension {
    enable() {
        global.context.unsafe_mode = true;
        global.limberE2E = limberE2E;
        // From the start: the first events of a device just made can be lost.
        const seat = Clutter.get_default_backend().get_default_seat();
        limberE2E.pointer = seat.create_virtual_device(Clutter.InputDeviceType.POINTER_DEVICE);
        // The Shell's own notice that unsafe mode is on: not a banner the test asked for.
        for (const source of Main.messageTray.getSources()) {
            if (source instanceof MessageTray.SystemNotificationSource)
                source.destroy();
        }
    }

    disable() {
        delete global.limberE2E;
        global.context.unsafe_mode = false;
    }
}

function init() {
    return new Extension();
}
"""

MISSING = [p for p in ("gnome-shell", "gjs", "gsettings", "gdbus") if not shutil.which(p)] + \
    [p for p in (DCONF_SERVICE, SHELL_NOTIFICATIONS) if not os.path.exists(p)]


class ShellCannotStart(AssertionError):
    """GNOME Shell exited before it was up."""


@unittest.skipIf(MISSING and not require_desktops(),
                 "needs GNOME Shell 43 and its pieces (Debian: gnome-shell gjs dconf-service "
                 "libglib2.0-bin); missing: %s" % ", ".join(MISSING))
class GnomeShellTestCase(DesktopTestCase):
    """A GNOME Shell session of the test's user, up when setUp returns (self.shell), its
    notification service on the bus."""

    # Installed extensions (UUIDs) enabled beside the test's own.
    EXTENSIONS = ()

    def setUp(self):
        super().setUp()
        self.env["XDG_CURRENT_DESKTOP"] = "GNOME"
        self.env["XDG_SESSION_TYPE"] = "wayland"
        self.env["XDG_SESSION_DESKTOP"] = "gnome"
        self.start_user_bus()
        self.start_user_system_bus()
        logind = self.spawn_as("mock-logind", [PYTHON, "-m", "dbusmock", "--system", "--template", "logind"])
        self.wait_owned("org.freedesktop.login1", logind, system=True)
        self.run_ok(["gdbus", "call", "--system", "--dest", "org.freedesktop.login1", "--object-path",
                     "/org/freedesktop/login1", "--method", "org.freedesktop.DBus.Mock.AddSession",
                     "auto", "seat0", str(os.getuid() if self.user is None else self.user),
                     DESKTOP_USER, "true"])
        dconf = self.spawn_as("dconf-service", [DCONF_SERVICE])
        self.wait_owned("ca.desrt.dconf", dconf)
        ext = os.path.join(self.env["XDG_DATA_HOME"], "gnome-shell", "extensions", EXTENSION_UUID)
        self.write(os.path.join(ext, "metadata.json"), json.dumps({
            "uuid": EXTENSION_UUID, "name": "limber e2e", "shell-version": ["43"],
            "description": "unsafe mode and a virtual pointer for limber's tests"}))
        self.write(os.path.join(ext, "extension.js"), EXTENSION_JS)
        # Not the first login: the Shell's one-time notice that screen locking needs GDM was
        # shown before (it would hold the banner place until the person moves the pointer).
        self.write(os.path.join(self.env["XDG_DATA_HOME"], "gnome-shell", "lock-warning-shown"), "")
        self.gsettings("set", "org.gnome.shell", "enabled-extensions",
                       "[%s]" % ", ".join("'%s'" % uuid for uuid in (EXTENSION_UUID,) + self.EXTENSIONS))
        # Banners slide in; without animations they are where they will stay at once.
        self.gsettings("set", "org.gnome.desktop.interface", "enable-animations", "false")
        self.start_shell()

    # -- the Shell ----------------------------------------------------------
    def gsettings(self, *args):
        return self.run_ok(["gsettings"] + list(args))

    def eval_js(self, code, check=True):
        """The value of a JavaScript expression evaluated in the Shell (org.gnome.Shell.Eval),
        as a Python value; None when check is False and the call failed."""
        wrapped = ("(() => { const v = JSON.stringify((%s) ?? null); return imports.gi.GLib.base64_encode("
                   "new TextEncoder().encode(v)); })()" % code)
        r = self.run_as(["gdbus", "call", "--session", "--dest", "org.gnome.Shell", "--object-path",
                         "/org/gnome/Shell", "--method", "org.gnome.Shell.Eval", wrapped], text=True)
        m = re.match(r"^\(true, '\"([A-Za-z0-9+/=]*)\"'\)$", r.stdout.strip())
        if not m:
            if not check:
                return None
            raise AssertionError("org.gnome.Shell.Eval of %s failed: %s%s\n%s"
                                 % (code, r.stdout, r.stderr, self.report_all()))
        return json.loads(base64.b64decode(m.group(1)).decode("utf-8"))

    def start_shell(self):
        shell = self.spawn_as("gnome-shell", ["gnome-shell", "--wayland", "--headless", "--no-x11",
                                              "--virtual-monitor", "%dx%d" % SCREEN])

        def up():
            if not shell.alive():
                raise ShellCannotStart("gnome-shell exited during start-up\n" + shell.report())
            return self.eval_js("global.limberE2E !== undefined && global.context.unsafe_mode && "
                                "!imports.ui.main.layoutManager._startingUp", check=False)
        try:
            wait_until(up, SHELL_TIMEOUT, "GNOME Shell to run with the test's extension",
                       self.report_all)
        except ShellCannotStart as exc:
            if require_desktops():
                raise
            self.skipTest("GNOME Shell cannot start here: %s" % exc)
        self.shell = shell
        service = self.spawn_as("gnome-shell-notifications", ["gjs", SHELL_NOTIFICATIONS])
        self.wait_owned("org.freedesktop.Notifications", service)

    def screenshot(self, name):
        """The Shell's screenshot of the whole screen, as a GdkPixbuf (also kept as NAME.png)."""
        path = os.path.join(self.tmp, name + ".png")
        self.run_ok(["gdbus", "call", "--session", "--dest", "org.gnome.Shell", "--object-path",
                     "/org/gnome/Shell/Screenshot", "--method", "org.gnome.Shell.Screenshot.Screenshot",
                     "false", "false", path])
        with warnings.catch_warnings():  # gi's importer predates Python 3.11's exec_module
            warnings.simplefilter("ignore", ImportWarning)
            import gi
            gi.require_version("GdkPixbuf", "2.0")
            from gi.repository import GdkPixbuf
        return GdkPixbuf.Pixbuf.new_from_file(path)

    def click(self, box, button=1):
        """A click of the virtual pointer's `button` (1 primary, 2 middle, 3 secondary) in the middle
        of a {x, y, w, h} box on screen, once the pointer is there as far as the Shell knows."""
        x, y = box["x"] + box["w"] // 2, box["y"] + box["h"] // 2
        self.eval_js("global.limberE2E.move(%d, %d)" % (x, y))
        wait_until(lambda: self.eval_js("global.limberE2E.at(%d, %d)" % (x, y)),
                   what="the Shell to see the pointer at (%d, %d)" % (x, y), detail=self.report_all)
        self.eval_js("global.limberE2E.click(%d)" % button)
