"""limberd against a real GNOME Shell 43 (gnome_shell.py: headless, as an ordinary user on a
private session bus) with its own notification service (gjs org.gnome.Shell.Notifications, which
owns org.freedesktop.Notifications and hands every notification to the Shell).

What a person sees and does is read and done through the Shell itself (gnome_shell.py's
extension, Eval and virtual pointer):
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

import os
import unittest

from desktop import DND_PROFILE, ICON_SHARE, icon_colours, icon_share
from gnome_shell import SCREEN, GnomeShellTestCase
from harness import wait_until

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


class GnomeShellTest(GnomeShellTestCase):
    """limberd's notifications on GNOME Shell's banners."""

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
