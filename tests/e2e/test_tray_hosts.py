"""Tray hosts beyond Waybar (tray_hosts.py): XFCE's panel, Ubuntu's GNOME (GNOME Shell 43 with
the AppIndicator extension) and KDE Plasma 5.27's system tray, headless, as an ordinary user on a
private session bus.

Each host is first proved on its own with sni_item.py, a tiny StatusNotifierItem of one known
colour: the host registers it (RegisteredStatusNotifierItems), draws it (a screenshot read for
its colour where the host draws items), calls it when it is clicked (Activate on a left click,
SecondaryActivate on a middle one) and drops it when it goes.

Then the real limber-tray against each host, with limberd: registered, limber's icon drawn (the
disc colour of limber-tray-active.svg), Pause 30 min from its menu (com.canonical.dbusmenu
GetLayout and Event "clicked", as a host sends them) pauses limberd and the paused icon replaces
it; and the same as a person does it: a click on the icon opens the host's own menu built from the
tray's dbusmenu, and Pause 30 min chosen there (clicked in the Shell, chosen with the keyboard in
XFCE's GTK menu) pauses limberd. Skipped when limber-tray is not built (LIMBER_TRAY, or beside
LIMBERD); with LIMBER_REQUIRE_DESKTOPS=1 a missing host or tray fails. Kept screenshots:
LIMBER_E2E_KEEP=1."""

import os
import re
import unittest

from tray_hosts import (AppIndicatorTestCase, PlasmaTrayTestCase, WaybarTrayTestCase, XfcePanelTestCase, item_calls,
                        uses_limber_tray)
from harness import ICON_DIR, wait_until

# Each way of registering its own colour: an item gone may still be drawn for a moment.
STUB_COLOURS = {"name": (230, 30, 200), "path": (30, 200, 230)}


def disc_colour(kind):
    """The colour of the disc limber's icon of this kind is drawn on (the first fill of
    limber-KIND.svg in the build tree: config/icons/)."""
    path = os.path.join(ICON_DIR, "limber-%s.svg" % kind)
    with open(path, encoding="utf-8") as f:
        m = re.search(r'fill="#([0-9a-fA-F]{6})"', f.read())
    if not m:
        raise AssertionError("no fill colour in %s" % path)
    return tuple(int(m.group(1)[i:i + 2], 16) for i in (0, 2, 4))


PROFILE = """\
[reminders.posture]
kind = "posture"
every = "20m"
"""


class StubItemCases:
    """A host proved on its own with sni_item.py (mixed into each host's test case), the item
    registered each way the host is tested with (REGISTER_BY: by bus name, by object path)."""

    REGISTER_BY = ("name", "path")

    def test_stub_item_is_registered_drawn_and_activated(self):
        for how in self.REGISTER_BY:
            with self.subTest(register_by=how):
                item, name = self.start_sni_item(STUB_COLOURS[how], how, name="sni-item-by-" + how)
                self.wait_registered(name)
                box = self.wait_drawn_here(STUB_COLOURS[how], "stub-by-" + how)
                if not self.CLICKS:
                    continue
                self.click_at(box)
                wait_until(lambda: any(c[0] == "Activate" for c in item_calls(item)),
                           what="the host to call Activate on a left click", detail=self.report_all)
                # The middle click is SecondaryActivate on both. (XFCE's right click shows the item's
                # dbusmenu, or the panel's own menu when the item has none; the AppIndicator
                # extension's, the item's menu: neither calls ContextMenu.)
                self.click_at(box, 2)
                wait_until(lambda: any(c[0] == "SecondaryActivate" for c in item_calls(item)),
                           what="the host to call SecondaryActivate on a middle click", detail=self.report_all)
                item.stop()
                wait_until(lambda: not any(re.split(r"[/@]", i)[0] == name for i in self.registered_items() or []),
                           what="the watcher to drop the item once it is gone", detail=self.report_all)


class LimberTrayCases:
    """The real limber-tray with limberd on a host (mixed into each host's test case)."""

    @uses_limber_tray
    def test_limber_tray_is_registered_drawn_and_pauses_from_its_menu(self):
        self.start_limberd_as_user(self.write("profile.toml", PROFILE))
        tray, item = self.start_limber_tray()
        # The disc of limber's active icon (its person is drawn over it in a light grey).
        self.wait_drawn_here(disc_colour("tray-active"), "limber-tray-active", min_side=8, fill=0.3)
        labels = [i["label"] for i in self.menu(item, "layout") if i["visible"]]
        self.assertIn("Pause 30 min", labels, labels)
        self.menu(item, "click", "Pause 30 min")
        self.wait_ctl_json(["status"], lambda s: s["state"] == "paused", "Pause 30 min in the tray's menu to "
                           "pause limberd")
        self.assertIn("Resume", [i["label"] for i in self.menu(item, "layout") if i["visible"]])
        # The host follows the item's NewIcon: the paused icon in the same place.
        self.wait_drawn_here(disc_colour("tray-paused"), "limber-tray-paused", min_side=8, fill=0.3)


class XfcePanelTest(StubItemCases, LimberTrayCases, XfcePanelTestCase):
    @uses_limber_tray
    def test_limber_tray_menu_opens_on_a_click_and_pauses(self):
        """As a person does it: a click on limber's icon in the panel pops up its menu (GTK's, built
        by the panel from the tray's dbusmenu), Pause 30 min chosen there pauses limberd, and the icon
        turns to the paused one."""
        self.start_limberd_as_user(self.write("profile.toml", PROFILE))
        _tray, item = self.start_limber_tray()
        box = self.wait_drawn_here(disc_colour("tray-active"), "limber-tray-active", min_side=8, fill=0.3)
        self.click_at(box)
        self.wait_menu_shown("limber-tray-menu")
        self.assertEqual(self.ctl_json("status")["state"], "active", "a click that opens the menu changed limberd")
        self.choose_in_menu(self.menu(item, "layout"), "Pause 30 min")
        self.wait_ctl_json(["status"], lambda s: s["state"] == "paused",
                           "Pause 30 min chosen in the panel's menu to pause limberd")
        self.wait_drawn_here(disc_colour("tray-paused"), "limber-tray-paused", min_side=8, fill=0.3)


class WaybarTrayTest(StubItemCases, WaybarTrayTestCase):
    """Waybar accepts an item registered either way too (limber-tray's own tests use Waybar)."""


class AppIndicatorTest(StubItemCases, LimberTrayCases, AppIndicatorTestCase):
    # Debian 12's AppIndicator extension (46) loses an item registered by its bus name about every
    # other time: its name watcher's first "appeared" can come after the item's properties are read;
    # it then clears Id and Menu, re-reads them a second later and fails on the cleared value
    # ("While initalizing proxy for org.kde.StatusNotifierItem-…: Error: Argument two may not be
    # null"), and takes the item off the top bar. Registered by object path (libappindicator's way),
    # no name watcher is made: the item stays. The stub registers that way here; limber-tray's own
    # tests below show what its way of registering gets.
    REGISTER_BY = ("path",)

    @uses_limber_tray
    def test_limber_tray_menu_opens_on_a_click_and_pauses(self):
        """As a person does it: a click on limber's icon in the top bar opens its menu (built by the
        Shell from the tray's dbusmenu), a click on Pause 30 min pauses limberd, and the icon turns
        to the paused one."""
        self.start_limberd_as_user(self.write("profile.toml", PROFILE))
        self.start_limber_tray()
        box = self.wait_drawn_here(disc_colour("tray-active"), "limber-tray-active", min_side=8, fill=0.3)
        self.click_at(box)
        entry = self.wait_menu_entry("Pause 30 min")
        self.assertTrue(entry["sensitive"], entry)
        self.shell_picture("limber-tray-menu")  # kept for a person to look at (LIMBER_E2E_KEEP=1)
        status = self.ctl_json("status")
        self.assertEqual(status["state"], "active", "a click that opens the menu changed limberd: %r" % status)
        self.click(entry)
        self.wait_ctl_json(["status"], lambda s: s["state"] == "paused",
                           "a click on Pause 30 min in the Shell's menu to pause limberd")
        self.wait_drawn_here(disc_colour("tray-paused"), "limber-tray-paused", min_side=8, fill=0.3)


class PlasmaTrayTest(StubItemCases, LimberTrayCases, PlasmaTrayTestCase):

    @uses_limber_tray
    def test_left_click_on_limber_is_activate_a_pause_toggle(self):
        """Plasma 5.27 calls Activate on a left click although the item says it is a menu (ItemIsMenu):
        limber-tray's Activate toggles pause, so a real click on limber's icon pauses limberd and turns
        the icon to the paused one, and a second click resumes."""
        self.start_limberd_as_user(self.write("profile.toml", PROFILE))
        self.start_limber_tray()
        box = self.wait_drawn_here(disc_colour("tray-active"), "limber-tray-active", min_side=8, fill=0.3)
        self.click_at(box)
        self.wait_ctl_json(["status"], lambda s: s["state"] == "paused", "a left click on limber's icon in "
                           "Plasma's tray to pause limberd (Activate)")
        box = self.wait_drawn_here(disc_colour("tray-paused"), "limber-tray-paused", min_side=8, fill=0.3)
        self.click_at(box)
        self.wait_ctl_json(["status"], lambda s: s["state"] == "active", "a second left click to resume limberd")


if __name__ == "__main__":
    unittest.main(verbosity=2)
