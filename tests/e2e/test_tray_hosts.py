"""Tray hosts beyond Waybar (tray_hosts.py): XFCE's panel and Ubuntu's GNOME (GNOME Shell 43 with
the AppIndicator extension), headless, as an ordinary user on a private session bus.

Each host is first proved on its own with sni_item.py, a tiny StatusNotifierItem of one known
colour: the host registers it (RegisteredStatusNotifierItems), draws it (a screenshot read for
its colour where the host draws items) and calls it when it is clicked (Activate).

Then the real limber-tray against the host, with limberd: registered, limber's icon drawn (the
colour of limber-tray-active.svg), and Pause from its menu (com.canonical.dbusmenu GetLayout and
Event "clicked", as a host sends it) pauses limberd. Skipped when limber-tray is not built
(LIMBER_TRAY, or beside LIMBERD); with LIMBER_REQUIRE_DESKTOPS=1 a missing host or tray fails.
Kept screenshots: LIMBER_E2E_KEEP=1."""

import unittest

from tray_hosts import AppIndicatorTestCase, XfcePanelTestCase, item_calls
from desktop import icon_colours
from harness import wait_until

STUB_COLOUR = (230, 30, 200)
PROFILE = """\
[reminders.posture]
kind = "posture"
every = "20m"
"""


class StubItemCases:
    """A host proved on its own with sni_item.py (mixed into each host's test case)."""

    def test_stub_item_is_registered_drawn_and_activated(self):
        item, name = self.start_sni_item(STUB_COLOUR)
        self.wait_registered(name)
        box = self.wait_drawn_here(STUB_COLOUR, "stub")
        self.click_at(box)
        wait_until(lambda: any(c[0] == "Activate" for c in item_calls(item)),
                   what="the host to call Activate on a left click", detail=self.report_all)
        # The middle click is SecondaryActivate on both. (XFCE's right click shows the item's
        # dbusmenu, or the panel's own menu when the item has none; the AppIndicator extension's,
        # the item's menu: neither calls ContextMenu.)
        self.click_at(box, 2)
        wait_until(lambda: any(c[0] == "SecondaryActivate" for c in item_calls(item)),
                   what="the host to call SecondaryActivate on a middle click", detail=self.report_all)


class LimberTrayCases:
    """The real limber-tray with limberd on a host (mixed into each host's test case)."""

    def test_limber_tray_is_registered_drawn_and_pauses_from_its_menu(self):
        self.start_limberd_as_user(self.write("profile.toml", PROFILE))
        tray, item = self.start_limber_tray()
        svg, colours = icon_colours("tray-active")
        # The disc of limber's active icon (its person is drawn over it in a light grey).
        self.wait_drawn_here(sorted(colours)[0], "limber-tray-active", fill=0.3)
        labels = [i["label"] for i in self.menu(item, "layout") if i["visible"]]
        self.assertIn("Pause 30 min", labels, labels)
        self.menu(item, "click", "Pause 30 min")
        self.wait_ctl_json(["status"], lambda s: s["state"] == "paused", "Pause 30 min in the tray's menu to "
                           "pause limberd")
        self.assertIn("Resume", [i["label"] for i in self.menu(item, "layout") if i["visible"]])


class XfcePanelTest(StubItemCases, LimberTrayCases, XfcePanelTestCase):
    pass


class AppIndicatorTest(StubItemCases, LimberTrayCases, AppIndicatorTestCase):
    pass


if __name__ == "__main__":
    unittest.main(verbosity=2)
