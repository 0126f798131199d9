"""limberd against real GTK notification servers on X11: xfce4-notifyd (XFCE) and
notification-daemon (the GNOME fallback one, used by many window-manager desktops).

Each server runs on its own Xvfb with the AT-SPI accessibility bus on the test's
private session bus. The test finds what a person sees the way a screen reader
does (atspi_windows.py: the notification's labels, its buttons and icon with
their places on screen), clicks the buttons for real with xdotool at the place
the tree gives, photographs the screen with ImageMagick's import, and reads
the outcome back with limberctl (`--json status`, `--json stats`).

Every built-in kind has a reminder of its own (default title and message, a
nudge, due in an hour so only `limberctl trigger` shows it: one notification
at a time, at a known moment). Kept screenshots: run with LIMBER_E2E_KEEP=1.
"""

import os
import signal
import unittest

from ctl_helpers import CtlTestCase
from harness import ICON_DIR, colour_distance, icon_seen, most_common_colour, wait_until

# The built-in kinds (include/limber/core/Profile.hpp) and their default titles (src/core/Profile.cpp).
TITLES = {
    "hydration": "Drink some water",
    "posture": "Posture check",
    "stretch": "Time to stretch",
    "movement": "Time to move",
    "eyes": "Rest your eyes",
    "breathing": "Breathe",
    "custom": "Reminder",
}
# The breaks of the built-in profile (config/default.toml), with their lengths there; the other kinds are nudges.
BREAKS = {"stretch": "1m30s", "movement": "5m", "breathing": "1m"}
# The button each kind's notification is answered with: every button on more than one kind, breaks and
# nudges among each; hydration with Done, so the glass it logs shows in the statistics; the break answered
# with Done last, because Done starts its count-down, which stays on screen.
ANSWERS = [("hydration", "Done"), ("posture", "Snooze"), ("stretch", "Skip"), ("custom", "Done"),
           ("eyes", "Snooze"), ("breathing", "Skip"), ("movement", "Done")]
OUTCOME = {"Done": "done", "Snooze": "snoozed", "Skip": "skipped"}

KINDS_PROFILE = '[general]\nsnooze = "10m"\nmax_snoozes = 3\nmerge_within = "0s"\n' + "".join(
    '\n[reminders.%s]\nkind = "%s"\nevery = "1h"\nduration = "%s"\n' % (kind, kind, BREAKS.get(kind, "0s"))
    for kind in TITLES)


def button_named(window, label):
    """The button a person reads as `label` (the Snooze button says for how long: "Snooze 10 min")."""
    for button in window["buttons"]:
        if button["name"] == label or (label == "Snooze" and button["name"].startswith("Snooze ")):
            return button
    return None


class XServerCase(CtlTestCase):
    """The tests every server runs; a subclass names the server (SERVER)."""

    SERVER = None
    EXPIRY_NOTE = ""  # what the server needs to say that a notification expired

    def setUp(self):
        super().setUp()
        self.start_bus()
        self.x = self.start_x_notifier(self.SERVER)
        self.limberd, _, _ = self.start_daemon(KINDS_PROFILE)

    # -- what limberd says -------------------------------------------------
    def wait_not_on_screen(self, name, why=""):
        return self.wait_status(lambda s: not self.reminder(name, s)["on_screen"],
                                "status to say %s is no longer on screen%s" % (name, why))

    def show(self, kind):
        """Triggers `kind`'s reminder; returns its window once the server shows it."""
        self.ok("trigger", kind)
        window = self.x.wait_window(TITLES[kind])
        self.assertTrue(self.reminder(kind)["on_screen"], self.status())
        return window

    # -- the tests ---------------------------------------------------------
    def test_every_kind_is_answered_with_its_buttons(self):
        for kind, label in ANSWERS:
            answered = False
            with self.subTest(kind=kind, button=label):
                window = self.show(kind)
                names = [b["name"] for b in window["buttons"]]
                for want in ("Done", "Snooze", "Skip"):
                    self.assertIsNotNone(button_named(window, want),
                                         "%s shows no %s button for %s: %r"
                                         % (self.SERVER, want, kind, window))
                self.assertEqual([n for n in names if n], [button_named(window, w)["name"]
                                                           for w in ("Done", "Snooze", "Skip")],
                                 "%s shows other buttons than Done, Snooze, Skip in that order for %s"
                                 % (self.SERVER, kind))
                self.x.click(button_named(window, label)["extents"])
                counts = self.wait_counted(kind, OUTCOME[label])
                self.assertEqual(counts.get("shown"), 1, counts)
                for other in set(OUTCOME.values()) - {OUTCOME[label]}:
                    self.assertEqual(counts.get(other, 0), 0, counts)
                status = self.wait_not_on_screen(kind)
                if label == "Snooze":
                    mine = self.reminder(kind, status)
                    self.assertEqual(mine["snoozes"], 1, mine)
                    self.assertGreater(mine["due_in"], 9 * 60, "snoozed for 10m: %r" % mine)
                if kind in BREAKS and label == "Done":
                    # Done takes the break: the same notification counts it down.
                    self.wait_countdown(kind)
                else:
                    self.x.wait_gone(TITLES[kind], what="after its %s button was pressed" % label)
                answered = True
            if not answered:
                break  # what is left on screen would only make the next kinds fail too
        else:
            totals, water = self.day_totals()
            self.assertEqual(water, 250, "hydration's Done logs one glass: %r" % (totals,))
        self.assert_alive(self.limberd)

    def wait_countdown(self, kind):
        """The server shows `kind`'s break counting down ("Break: 5 min left.") under its title."""
        def counting():
            window = self.x.window_titled(TITLES[kind])
            texts = [label["text"] for label in window["labels"]] if window else []
            return window if any(t.startswith("Break: ") and t.endswith(" left.") for t in texts) else None
        window = wait_until(counting, what="%s to show %s's break counting down" % (self.SERVER, kind),
                            detail=self.x.describe)
        shot_path = os.path.join(self.tmp, "%s-%s-countdown.png" % (self.SERVER, kind))
        shot = self.x.screenshot(shot_path)
        # Drawn, not only in the accessibility tree: the title and the time left hold text pixels
        # (xfce4-notifyd 0.7 draws a notification with a progress value as its icon and a bar only).
        background = most_common_colour(shot.pixels(window["extents"]))
        drawn = []
        for label in window["labels"]:
            if label["text"] == TITLES[kind] or label["text"].startswith("Break: "):
                inked = [p for p in shot.pixels(label["extents"]) if colour_distance(p, background) > 80]
                self.assertGreater(len(inked), 20, "%s: %r is not drawn in the count-down (screenshot %s)"
                                   % (self.SERVER, label["text"], shot_path))
                drawn.append(label["text"])
        self.assertEqual(len(drawn), 2, "%s: the count-down shows its title and the time left: %r (screenshot %s)"
                         % (self.SERVER, window["labels"], shot_path))
        return window

    def close_gesture(self, window):
        """What a person does to throw the notification away without answering it."""
        raise NotImplementedError

    def test_closed_by_the_person_is_dismissed(self):
        window = self.show("posture")
        self.close_gesture(window)
        self.x.wait_gone(TITLES["posture"])
        self.wait_not_on_screen("posture")
        counts = self.wait_counted("posture", "dismissed")
        self.assertEqual(counts.get("dismissed"), 1, counts)
        for other in ("done", "snoozed", "skipped", "missed"):
            self.assertEqual(counts.get(other, 0), 0, counts)
        self.assert_alive(self.limberd)

    def test_expired_notification_is_no_longer_on_screen(self):
        # A posture nudge (normal urgency) and a hydration one (low), left alone until the
        # server takes them down by its own timeout.
        self.x.park_pointer()
        for kind in ("posture", "hydration"):
            self.show(kind)
        for kind in ("posture", "hydration"):
            self.x.wait_gone(TITLES[kind], timeout=30)
            self.wait_not_on_screen(kind, " (%s took it down: limberd hears that only from a "
                                    "NotificationClosed signal%s)" % (self.SERVER, self.EXPIRY_NOTE))
        # Decided at once: an unanswered nudge counts as done, an unanswered water nudge as
        # ignored, and no glass is logged.
        self.assertEqual(self.wait_counted("posture", "done").get("dismissed", 0), 0)
        counts = self.wait_counted("hydration", "ignored")
        self.assertEqual(counts.get("done", 0), 0, counts)
        self.assertEqual(self.day_totals()[1], 0, "no water was logged")
        self.assert_alive(self.limberd)

    def test_stopping_limberd_takes_its_notification_down(self):
        self.show("posture")
        self.limberd.send(signal.SIGTERM)
        self.assertEqual(self.limberd.wait_exit(), 0, self.limberd.report())
        # Nothing left on screen that no limberd would hear an answer to.
        self.x.wait_gone(TITLES["posture"], what="after limberd stopped")

    def test_every_kind_shows_its_icon(self):
        for kind in TITLES:
            taken_down = False
            with self.subTest(kind=kind):
                svg = os.path.join(ICON_DIR, "limber-%s.svg" % kind)
                self.assertTrue(os.path.isfile(svg), "limber's icon for %s is not in the build tree "
                                "(%s)" % (kind, svg))
                window = self.show(kind)
                shot_path = os.path.join(self.tmp, "%s-%s.png" % (self.SERVER, kind))
                shot = self.x.screenshot(shot_path)
                # Taken down before anything is asserted, so the next kind's notification takes the
                # same place whatever this one showed; by the person's gesture, which every server
                # honours (notification-daemon 3.20 leaves a bubble up when limberd withdraws it).
                self.close_gesture(window)
                self.x.wait_gone(TITLES[kind])
                taken_down = True
                labels = [label["text"] for label in window["labels"]]
                self.assertIn(TITLES[kind], labels)
                self.assertTrue(window["icons"], "%s shows no icon for %s (screenshot %s): %r"
                                % (self.SERVER, kind, shot_path, window))
                area = max(window["icons"], key=lambda e: e[2] * e[3])
                background = most_common_colour(shot.pixels(window["extents"]))
                seen, measured = icon_seen(shot, area, background, svg)
                self.assertTrue(seen, "%s: %s's icon is not on screen: %s (screenshot %s)"
                                % (self.SERVER, kind, measured, shot_path))
                # The title is drawn too: its label's area holds text pixels.
                title = next(l for l in window["labels"] if l["text"] == TITLES[kind])
                inked = [p for p in shot.pixels(title["extents"]) if colour_distance(p, background) > 80]
                self.assertGreater(len(inked), 20, "no text drawn where the title is (%s)" % shot_path)
            if not taken_down:
                break  # the next kinds would queue behind it


class XfceNotifydTest(XServerCase):
    SERVER = "xfce4-notifyd"

    def close_gesture(self, window):
        # xfce4-notifyd has no close button: a click on the notification closes it (its title here).
        self.x.click(window["labels"][0]["extents"])


class NotificationDaemonTest(XServerCase):
    SERVER = "notification-daemon"
    # notification-daemon 3.20 keeps an expired notification in its queue (to show again from its tray
    # icon) and says nothing, unless the notification is transient (nd-queue.c, on_bubble_destroyed).
    EXPIRY_NOTE = "; notification-daemon sends it on expiry only for a notification with the transient hint"

    def close_gesture(self, window):
        # The ✕ in the top right corner: a button with no text, described as closing.
        close = [b for b in window["buttons"] if not b["name"] and "close" in b["description"].lower()]
        self.assertEqual(len(close), 1, "one close button expected: %r" % window["buttons"])
        self.x.click(close[0]["extents"])


del XServerCase  # the shared tests run once per server, never on their own

if __name__ == "__main__":
    unittest.main(verbosity=2)
