"""limberd against a real GNOME Shell 43: the Shell as a headless Wayland compositor
(`gnome-shell --wayland --headless --no-x11 --virtual-monitor 1280x800`) with its own
notification service (gjs org.gnome.Shell.Notifications, which owns
org.freedesktop.Notifications and hands every notification to the Shell), as an ordinary
user (desktop.py) on a private session bus, with dconf for GSettings and a python3-dbusmock
logind on a private system bus.

What a person sees and does is read and done through the Shell itself:
  * GNOME Shell 43 has no --unsafe-mode option; the test's own extension (written to the
    user's extension directory and enabled in GSettings before the Shell starts) turns the
    Shell's unsafe mode on, as Looking Glass would by hand: that opens
    org.gnome.Shell.Eval and org.gnome.Shell.Screenshot to the test;
  * the banner on screen (Main.messageTray's banner: title, body, buttons, icon, their
    places) is read with Eval;
  * buttons are pressed with a virtual pointer (a Clutter virtual input device: motion and
    button events through the Shell's own input handling): the pointer rests on the banner,
    the Shell expands it to show its buttons, and the button is clicked where it is drawn;
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

from desktop import ICON_SHARE, DESKTOP_USER, DesktopTestCase, icon_colours, icon_share, require_desktops
from harness import PYTHON, wait_until

DCONF_SERVICE = "/usr/libexec/dconf-service"
SHELL_NOTIFICATIONS = "/usr/share/gnome-shell/org.gnome.Shell.Notifications"
EXTENSION_UUID = "limber-e2e@limber.test"
SCREEN = (1280, 800)
# Starting the Shell takes a few seconds, more on a loaded machine.
SHELL_TIMEOUT = 60

# One reminder per built-in kind, each with its kind's default urgency and text; none falls
# due by itself during the test (each is shown with `limberctl trigger`, one banner at a time:
# GNOME shows one banner at once, four seconds each).
KINDS = ("posture", "stretch", "hydration", "movement", "eyes", "breathing", "custom")
BREAKS = {"stretch": "30s", "movement": "1m"}
PROFILE = "[general]\nidle_after = \"10m\"\nmerge_within = \"0s\"\nsnooze = \"5m\"\n\n" + "".join(
    '[reminders.%s]\nkind = "%s"\nevery = "1h"\nduration = "%s"\ntitle = "%s e2e"\n\n'
    % (k, k, BREAKS.get(k, "0s"), k.capitalize()) for k in KINDS)
# The button each kind's banner gets pressed with, and the statistic that then counts it.
PRESS = {"posture": ("Done", "done"), "stretch": ("Skip", "skipped"), "hydration": ("Done", "done"),
         "movement": ("Snooze", "snoozed"), "eyes": ("Done", "done"), "breathing": ("Skip", "skipped"),
         "custom": ("Snooze", "snoozed")}

DND_PROFILE = """\
[general]
idle_after = "10m"

[reminders.posture]
kind = "posture"
every = "3s"
title = "Posture e2e"
"""

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
    // A click of the primary button where the pointer is.
    click() {
        const t = GLib.get_monotonic_time();
        this.pointer.notify_button(t, Clutter.BUTTON_PRIMARY, Clutter.ButtonState.PRESSED);
        this.pointer.notify_button(t + 50000, Clutter.BUTTON_PRIMARY, Clutter.ButtonState.RELEASED);
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
class GnomeShellTest(DesktopTestCase):

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
        self.gsettings("set", "org.gnome.shell", "enabled-extensions", "['%s']" % EXTENSION_UUID)
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

    def banner(self):
        return self.eval_js("global.limberE2E.banner()")

    def wait_banner(self, title, what=None):
        """The banner whose title starts with `title`, once it is on screen."""
        last = {}

        def shown():
            last["b"] = self.banner()
            return last["b"] if last["b"] and last["b"]["title"].startswith(title) else None

        def detail():
            return ("banner on screen: %r\nnotifications the Shell holds (urgency 0 = low: GNOME shows "
                    "no banner for those, only a message-list entry): %r\n%s"
                    % (last.get("b"), self.eval_js("global.limberE2E.held()"), self.report_all()))
        return wait_until(shown, what=what or "a banner titled %r" % title, detail=detail)

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

    def press(self, title, label):
        """Rest the pointer on the banner titled `title` until the Shell shows its buttons, then click
        the one whose label starts with `label` ("Snooze 5 min"); returns the labels it offered."""
        banner = self.wait_banner(title)
        p = banner["place"]
        self.eval_js("global.limberE2E.move(%d, %d)" % (p["x"] + p["w"] // 2, p["y"] + p["h"] // 3))
        def laid_out(b):
            """Expanded, and grown to hold its buttons: clicks land where they are drawn."""
            if not (b and b["expanded"] and b["buttons"]):
                return None
            boxes = [b["place"]] + b["buttons"]
            if any(v is None for box in boxes for v in (box["x"], box["y"], box["w"], box["h"])):
                return None  # not yet allocated
            top, bottom = b["place"]["y"], b["place"]["y"] + b["place"]["h"]
            inside = all(c["h"] > 0 and c["y"] >= top and c["y"] + c["h"] <= bottom for c in b["buttons"])
            return b if inside else None
        banner = wait_until(lambda: laid_out(self.banner()),
                            what="the banner %r to show its buttons under the pointer" % title,
                            detail=lambda: "banner: %r\ntray: %r\n%s" % (
                                self.banner(), self.eval_js("global.limberE2E.trayState()"),
                                self.report_all()))
        labels = [b["label"] for b in banner["buttons"]]
        button = next((b for b in banner["buttons"] if b["label"].startswith(label)), None)
        self.assertIsNotNone(button, "no %r button on the banner %r: %r" % (label, title, banner))
        self.click(button)
        # Away from where the next banner appears.
        self.eval_js("global.limberE2E.move(%d, %d)" % (SCREEN[0] // 2, SCREEN[1] - 10))
        return labels

    def click(self, box):
        """A click of the virtual pointer in the middle of a {x, y, w, h} box on screen, once the
        pointer is there as far as the Shell knows."""
        x, y = box["x"] + box["w"] // 2, box["y"] + box["h"] // 2
        self.eval_js("global.limberE2E.move(%d, %d)" % (x, y))
        wait_until(lambda: self.eval_js("global.limberE2E.at(%d, %d)" % (x, y)),
                   what="the Shell to see the pointer at (%d, %d)" % (x, y), detail=self.report_all)
        self.eval_js("global.limberE2E.click()")

    # -- tests --------------------------------------------------------------
    def test_every_kind_pops_a_banner_and_its_buttons_answer(self):
        """Each built-in kind's banner pops up, shows Done, Snooze and Skip under the pointer, and
        the pressed button is the reminder's answer; a click on the banner itself is Done."""
        limberd = self.start_limberd_as_user(self.write("profile.toml", PROFILE))
        for kind in KINDS:
            title = "%s e2e" % kind.capitalize()
            label, outcome = PRESS[kind]
            mark = limberd.mark()
            self.ctl_ok("trigger", kind)
            limberd.wait_shows(1, since=mark)
            labels = self.press(title, label)
            self.assertEqual(sorted(l.split()[0] for l in labels), ["Done", "Skip", "Snooze"],
                             "the buttons of %s: %r" % (kind, labels))
            counted = self.wait_ctl_json(
                ["stats"], lambda s: s["days"] and s["days"][-1]["reminders"].get(kind, {}).get(outcome) == 1,
                "%s pressed on %s's banner to count as %s" % (label, kind, outcome))
            answered = counted["days"][-1]["reminders"][kind]
            # The press is the answer: the Shell's NotificationClosed that follows it is no dismissal.
            self.assertEqual(answered.get("dismissed", 0), 0, answered)
            wait_until(lambda: not (self.banner() or {}).get("title", "").startswith(title),
                       what="the banner of %s to go once answered" % kind, detail=self.report_all)
        # Clicking the banner itself (not a button) is its default action: Done.
        self.ctl_ok("trigger", "posture")
        banner = self.wait_banner("Posture e2e")
        self.click(banner["text"])
        self.wait_ctl_json(["stats"], lambda s: s["days"][-1]["reminders"]["posture"]["done"] == 2,
                           "a click on posture's banner to count as done")
        status = {r["name"]: r for r in self.ctl_json("status")["reminders"]}
        self.assertFalse(status["posture"].get("on_screen"), status["posture"])
        self.assertEqual(status["movement"]["snoozes"], 1, status["movement"])
        self.assertEqual(self.ctl_json("stats")["days"][-1]["water_ml"], 250)

    def test_banner_screenshot_shows_the_kinds_icon(self):
        limberd = self.start_limberd_as_user(self.write("profile.toml", PROFILE))
        for kind in ("posture", "hydration"):
            mark = limberd.mark()
            self.ctl_ok("trigger", kind)
            limberd.wait_shows(1, since=mark)
            banner = self.wait_banner("%s e2e" % kind.capitalize())
            shot = self.screenshot("banner-" + kind)
            self.assertEqual((shot.get_width(), shot.get_height()), SCREEN)
            svg, want = icon_colours(kind)
            i = banner["icon"]
            pixels = shot.get_pixels()
            stride, n = shot.get_rowstride(), shot.get_n_channels()
            found = [pixels[y * stride + x * n:y * stride + x * n + 3]
                     for y in range(i["y"], i["y"] + i["h"]) for x in range(i["x"], i["x"] + i["w"])]
            share = icon_share(found, want)
            self.assertGreaterEqual(share, ICON_SHARE,
                                    "the banner's icon area %r of %s: %.1f%% of it has the colours of %s %s; "
                                    "screenshot %s" % (i, kind, 100 * share, svg, sorted(want),
                                                       os.path.join(self.tmp, "banner-%s.png" % kind)))
            self.ctl_ok("done", kind)
            wait_until(lambda: not (self.banner() or {}).get("title", "").startswith(kind.capitalize()),
                       what="the banner of %s to go" % kind, detail=self.report_all)

    def test_do_not_disturb_holds_reminders(self):
        limberd = self.start_limberd_as_user(self.write("profile.toml", DND_PROFILE))
        self.wait_ctl_json(["status"], lambda s: "gnome-notifications" in s["presence"]["sources"],
                           "limberd to follow GNOME's notification settings")
        self.gsettings("set", "org.gnome.desktop.notifications", "show-banners", "false")
        self.wait_ctl_json(["status"], lambda s: s["state"] == "dnd", "state dnd once banners are off")
        mark = limberd.mark()
        # Due while do-not-disturb is on: it waits, its clock full, and nothing reaches the Shell.
        self.wait_ctl_json(["status"], lambda s: s["reminders"][0]["due_in"] == 0,
                           "the posture reminder to fall due during do-not-disturb")
        self.assertEqual(limberd.shows(mark), [], limberd.report())
        held = self.eval_js("global.limberE2E.held()")
        self.assertEqual([n for n in held if n["title"].startswith("Posture")], [],
                         "the Shell received a reminder during do-not-disturb")
        self.gsettings("set", "org.gnome.desktop.notifications", "show-banners", "true")
        self.wait_ctl_json(["status"], lambda s: s["state"] == "active", "state active once banners are on")
        self.wait_banner("Posture e2e", "the held reminder's banner once do-not-disturb is off")


if __name__ == "__main__":
    unittest.main(verbosity=2)
