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

from tray_hosts import TrayHostTestCase, item_calls
from harness import wait_until

STUB_COLOUR = (230, 30, 200)


class XfcePanelTest(TrayHostTestCase):
    def setUp(self):
        super().setUp()
        self.start_user_bus()
        self.start_xfce_panel()

    def test_stub_item_is_registered_drawn_and_activated(self):
        item, name = self.start_sni_item(STUB_COLOUR)
        self.wait_registered(name)
        box = self.wait_drawn_x(STUB_COLOUR, "xfce-stub")
        self.xdotool("mousemove", box[0] + box[2] // 2, box[1] + box[3] // 2, "click", "1")
        wait_until(lambda: any(c[0] == "Activate" for c in item_calls(item)),
                   what="the panel to call Activate on a left click", detail=self.report_all)
        # XFCE's middle click is SecondaryActivate; its right click shows the item's dbusmenu, or
        # the panel's own menu when the item has none: the panel never calls ContextMenu.
        self.xdotool("click", "2")
        wait_until(lambda: any(c[0] == "SecondaryActivate" for c in item_calls(item)),
                   what="the panel to call SecondaryActivate on a middle click", detail=self.report_all)


if __name__ == "__main__":
    unittest.main(verbosity=2)
