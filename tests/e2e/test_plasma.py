"""limberd against a real KDE Plasma 5.27 (plasma.py: plasmashell with its default desktop layout,
as an ordinary user on a private session bus, under Xvfb): the notifications applet in the panel's
system tray holds Plasma's notification server, libnotificationmanager, which owns
org.freedesktop.Notifications and draws Plasma's own popups.

What a person sees and does is read and done as a screen reader and a person would: the
popup's title, buttons and close button with their places on screen from Qt's AT-SPI tree
(atspi_windows.py), clicks with xdotool where the tree says a button is, screenshots with
ImageMagick's import (the icon is found by its colours in the popup's top right corner, where
Plasma draws a notification's image).

Skipped where Plasma cannot run (plasma.py); with LIMBER_REQUIRE_DESKTOPS=1 (the CI root) that is
a failure. Kept screenshots: LIMBER_E2E_KEEP=1.
"""

import unittest

import test_mako as mako
import test_x_servers as x_servers
from desktop import DND_PROFILE, ICON_SHARE, icon_colours, icon_share
from harness import PYTHON, colour_distance, most_common_colour, wait_until
from plasma import PlasmaTestCase

TITLES, BREAKS, ANSWERS, OUTCOME = x_servers.TITLES, x_servers.BREAKS, x_servers.ANSWERS, x_servers.OUTCOME
PROFILE = x_servers.KINDS_PROFILE


def body_lines(popup):
    """The lines of a popup's body (Plasma draws it as selectable text, not a label)."""
    return [line.strip() for t in (popup or {}).get("texts", []) for line in t["text"].splitlines()]


# A program asking Plasma for do-not-disturb as a video player does (org.freedesktop.Notifications.Inhibit,
# a KDE extension; Plasma lifts it when the program leaves the bus), held until the test stops it.
INHIBITOR = r"""
import dbus, sys
from gi.repository import GLib
from dbus.mainloop.glib import DBusGMainLoop
DBusGMainLoop(set_as_default=True)
bus = dbus.SessionBus()
server = bus.get_object("org.freedesktop.Notifications", "/org/freedesktop/Notifications")
cookie = server.Inhibit("limber-e2e", "a presentation", {}, dbus_interface="org.freedesktop.Notifications")
print("inhibited", int(cookie), flush=True)
GLib.MainLoop().run()
"""


class PlasmaTest(PlasmaTestCase):

    def popup(self, title):
        """The popup on screen whose title is `title`, or None: a window with a close button."""
        for window in self.windows():
            if any(b["name"] == "Close" for b in window["buttons"]) and \
                    any(label["text"] == title for label in window["labels"]):
                return window
        return None

    def wait_popup(self, title, what=None):
        return wait_until(lambda: self.popup(title), what=what or "Plasma to pop up %r" % title,
                          detail=self.describe)

    def wait_gone(self, title, what="", timeout=None):
        wait_until(lambda: self.popup(title) is None, timeout,
                   "Plasma to take the popup %r down%s" % (title, (" " + what) if what else ""), self.describe)

    # -- limberd ------------------------------------------------------------
    def reminder(self, name):
        return next(r for r in self.ctl_json("status")["reminders"] if r["name"] == name)

    def wait_not_on_screen(self, name, why=""):
        return self.wait_ctl_json(["status"], lambda s: not next(r for r in s["reminders"]
                                                                  if r["name"] == name)["on_screen"],
                                  "status to say %s is no longer on screen%s" % (name, why))

    def show(self, kind):
        self.ctl_ok("trigger", kind)
        popup = self.wait_popup(TITLES[kind])
        self.assertTrue(self.reminder(kind)["on_screen"])
        return popup

    def assert_icon(self, kind, popup, shot_name):
        """limber's icon of `kind` is drawn in the popup: Plasma draws a notification's image at the
        right of its title and text, between the header and the buttons."""
        path, shot = self.screenshot(shot_name)
        x, y, w, h = popup["extents"]
        title = next(l for l in popup["labels"] if l["text"] == TITLES[kind])
        buttons_top = min([b["extents"][1] for b in popup["buttons"] if b["name"] != "Close"] or [y + h])
        left = title["extents"][0] + title["extents"][2]
        area = (left, title["extents"][1], x + w - left, buttons_top - title["extents"][1])
        svg, colours = icon_colours(kind)
        share = icon_share(shot.pixels(area), colours)
        self.assertGreaterEqual(share, ICON_SHARE, "%s: the popup's image area %r has %.1f%% of the colours of "
                                "%s; screenshot %s" % (kind, area, 100 * share, svg, path))
        # The title is drawn too: its label's area holds text pixels.
        background = most_common_colour(shot.pixels(popup["extents"]))
        inked = [p for p in shot.pixels(title["extents"]) if colour_distance(p, background) > 80]
        self.assertGreater(len(inked), 20, "no text drawn where the title is (%s)" % path)
        return path

    # -- tests --------------------------------------------------------------
    def test_every_kind_pops_up_with_its_icon_and_is_answered_with_its_buttons(self):
        """Every built-in kind pops a Plasma popup (hydration, eyes and breathing are `low` in the
        profile, and sent so: Plasma pops low up too) with limber's icon and Done, Snooze, Skip, and
        the button pressed is the reminder's answer."""
        self.start_limberd_as_user(self.write("profile.toml", PROFILE))
        for kind, label in ANSWERS:
            answered = False
            with self.subTest(kind=kind, button=label):
                popup = self.show(kind)
                self.assert_icon(kind, popup, "plasma-" + kind)
                lines = body_lines(popup)
                self.assertTrue(lines, "no body text on %s's popup: %r" % (kind, popup))
                if kind in BREAKS:
                    self.assertTrue(any("break" in line for line in lines),
                                    "%s's popup says nothing of its break: %r" % (kind, lines))
                buttons = sorted((b for b in popup["buttons"] if b["name"] != "Close"),
                                 key=lambda b: b["extents"][0])
                self.assertEqual([b["name"].split()[0] for b in buttons], ["Done", "Snooze", "Skip"],
                                 "the buttons of %s, left to right: %r" % (kind, popup["buttons"]))
                self.click(next(b for b in buttons if b["name"].startswith(label))["extents"])
                counts = self.wait_counted(kind, OUTCOME[label])
                self.assertEqual(counts.get("shown"), 1, counts)
                for other in set(OUTCOME.values()) - {OUTCOME[label]}:
                    self.assertEqual(counts.get(other, 0), 0, counts)
                self.assertEqual(counts.get("dismissed", 0), 0, counts)
                self.wait_not_on_screen(kind)
                if label == "Snooze":
                    self.assertEqual(self.reminder(kind)["snoozes"], 1)
                if kind in BREAKS and label == "Done":
                    self.wait_countdown(kind)
                else:
                    self.wait_gone(TITLES[kind], "after its %s button was pressed" % label)
                answered = True
            if not answered:
                break  # what is left on screen would only make the next kinds fail too
        else:
            self.assertEqual(self.day_totals()[1], 250, "hydration's Done logs one glass")

    def wait_countdown(self, kind):
        """The break's popup now counts it down: the same title, a line "Break: … left."."""
        def counting():
            popup = self.popup(TITLES[kind])
            return popup if any(t.startswith("Break: ") and t.endswith(" left.") for t in body_lines(popup)) else None
        popup = wait_until(counting, what="Plasma to show %s's break counting down" % kind, detail=self.describe)
        self.screenshot("plasma-%s-countdown" % kind)
        return popup

    def test_a_click_on_the_popup_is_done(self):
        """Clicking the popup itself (not a button) runs its default action: Done."""
        self.start_limberd_as_user(self.write("profile.toml", PROFILE))
        popup = self.show("posture")
        self.click(next(l for l in popup["labels"] if l["text"] == TITLES["posture"])["extents"])
        counts = self.wait_counted("posture", "done")
        self.assertEqual(counts.get("dismissed", 0), 0, counts)
        self.wait_not_on_screen("posture")
        self.wait_gone(TITLES["posture"], "after a click on it")

    def test_closed_with_the_cross_is_dismissed(self):
        self.start_limberd_as_user(self.write("profile.toml", PROFILE))
        popup = self.show("stretch")
        close = [b for b in popup["buttons"] if b["name"] == "Close"]
        self.click(close[0]["extents"])
        self.wait_gone(TITLES["stretch"], "after its ✕ was pressed")
        self.wait_not_on_screen("stretch")
        counts = self.wait_counted("stretch", "dismissed")
        for other in ("done", "snoozed", "skipped", "missed"):
            self.assertEqual(counts.get(other, 0), 0, counts)

    def test_a_nudge_expires_and_a_break_stays(self):
        """A nudge keeps Plasma's own expiry (5 s): once it is down, limberd knows (NotificationClosed,
        expired) and decides it; a break, shown at the same time, never expires: it waits for an answer."""
        self.park_pointer()
        self.start_limberd_as_user(self.write("profile.toml", PROFILE))
        self.show("stretch")
        for kind in ("posture", "hydration"):
            self.show(kind)
        for kind in ("posture", "hydration"):
            self.wait_gone(TITLES[kind], "by its own timeout", timeout=30)
            self.wait_not_on_screen(kind, " (Plasma took it down: limberd hears that only from a "
                                    "NotificationClosed signal)")
        self.assertEqual(self.wait_counted("posture", "done").get("dismissed", 0), 0)
        counts = self.wait_counted("hydration", "ignored")
        self.assertEqual(counts.get("done", 0), 0, counts)
        self.assertEqual(self.day_totals()[1], 0, "no water was logged")
        # Both nudges went by Plasma's timeout; the break shown before them is still up and answerable.
        self.assertIsNotNone(self.popup(TITLES["stretch"]), self.describe())
        self.assertTrue(self.reminder("stretch")["on_screen"])
        self.screenshot("plasma-break-stays")

    def test_merged_popup_holds_every_reminder(self):
        """Three reminders due together: one popup, a short title, one line per reminder (every one
        of them, none cut), and its buttons answer all three."""
        limberd = self.start_limberd_as_user(self.write("profile.toml", mako.MERGED_PROFILE))
        show = limberd.wait_shows(1)[0]
        self.assertEqual(sorted(show.names), ["eyes", "posture", "water"], show.line.text)
        popup = wait_until(lambda: next((w for w in self.windows() if any(b["name"] == "Close" for b in w["buttons"])
                                         and body_lines(w)), None),
                           what="Plasma to pop up the merged reminders", detail=self.describe)
        lines = [line for line in body_lines(popup) if line]
        self.assertEqual(sorted(lines), sorted(mako.MERGED_TITLES), popup)
        # The labels: the application's name, the title, and the buttons' own.
        title = [l for l in popup["labels"] if l["text"] != "limber" and
                 l["text"] not in [b["name"] for b in popup["buttons"]]]
        self.assertEqual(len(title), 1, popup)
        self.assertLess(len(title[0]["text"]), 40, "a short title: %r" % title[0])
        path, shot = self.screenshot("plasma-merged")
        # Drawn whole: the body's text area lies inside the popup, above its buttons.
        body = popup["texts"][0]["extents"]
        buttons_top = min(b["extents"][1] for b in popup["buttons"] if b["name"] != "Close")
        self.assertLessEqual(body[1] + body[3], buttons_top, "the body runs under the buttons (%s)" % path)
        done = next(b for b in popup["buttons"] if b["name"] == "Done")
        self.click(done["extents"])
        for name in ("posture", "water", "eyes"):
            self.wait_counted(name, "done")

    def notify(self, title, urgency):
        """A notification of another program's, sent straight to Plasma."""
        self.run_ok(["gdbus", "call", "--session", "--dest", "org.freedesktop.Notifications", "--object-path",
                     "/org/freedesktop/Notifications", "--method", "org.freedesktop.Notifications.Notify", "--",
                     "probe", "0", "", title, "", "[]", "{'urgency': <byte %d>}" % urgency, "0"])

    def test_plasma_pops_up_low_urgency(self):
        """Why limberd sends the profile's `low` to Plasma as it is (GNOME Shell gets `normal`): Plasma
        5.27 pops a low-urgency notification up as any other, where GNOME shows no banner."""
        self.notify("Low probe", 0)
        self.notify("Normal probe", 1)
        self.wait_popup("Normal probe")
        self.assertIsNotNone(self.popup("Low probe"), self.describe())

    def test_do_not_disturb_holds_reminders(self):
        """Plasma's do-not-disturb (here asked for by a program, as a video player does) holds reminders:
        limberd follows the server's Inhibited property, and shows the held one once it is lifted."""
        limberd = self.start_limberd_as_user(self.write("profile.toml", DND_PROFILE))
        self.wait_ctl_json(["status"], lambda s: "kde-notifications" in s["presence"]["sources"],
                           "limberd to follow Plasma's do-not-disturb")
        inhibitor = self.spawn_as("inhibitor", [PYTHON, self.write("inhibitor.py", INHIBITOR)])
        wait_until(lambda: "inhibited" in inhibitor.stdout(), what="Plasma to take the inhibition",
                   detail=self.report_all)
        self.wait_ctl_json(["status"], lambda s: s["state"] == "dnd", "state dnd while Plasma inhibits")
        mark = limberd.mark()
        self.wait_ctl_json(["status"], lambda s: s["reminders"][0]["due_in"] == 0,
                           "the posture reminder to fall due during do-not-disturb")
        self.assertEqual(limberd.shows(mark), [], limberd.report())
        inhibitor.stop()
        self.wait_ctl_json(["status"], lambda s: s["state"] == "active", "state active once do-not-disturb is lifted")
        limberd.wait_shows(1, since=mark)
        self.wait_popup("Posture e2e", "the held reminder's popup once do-not-disturb is lifted")


if __name__ == "__main__":
    unittest.main(verbosity=2)
