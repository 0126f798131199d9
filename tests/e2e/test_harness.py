"""Self-tests of the e2e fixtures, using notify-send as the client.

These do not involve limberd. When they fail, the environment or the harness
is broken (a missing package, a changed dunst or dbusmock), and the failures
of the limberd tests say nothing about limberd.
"""

import subprocess
import unittest

import harness
from harness import LimberTestCase, NOTIFICATIONS_NAME, wait_until


class HarnessTest(LimberTestCase):

    def notify_send(self, *args):
        res = subprocess.run(["notify-send"] + list(args), env=self.env,
                             capture_output=True, text=True, timeout=harness.TIMEOUT)
        self.assertEqual(res.returncode, 0, "notify-send failed: %s" % res.stderr)
        return res.stdout

    def test_private_bus_has_no_activatable_services(self):
        self.start_bus()
        self.assertTrue(self.bus_address.startswith("unix:"), self.bus_address)
        self.assertIn(self.tmp, self.bus_address)
        activatable = [str(n) for n in self.bus.list_activatable_names()]
        self.assertEqual(activatable, ["org.freedesktop.DBus"])
        self.assertIsNone(self.name_owner(NOTIFICATIONS_NAME))

    def test_mock_server_records_notify_and_emits_signals(self):
        self.start_bus()
        server = self.start_mock_server(["body", "actions"])
        self.notify_send("-a", "limber", "-h", "string:desktop-entry:limber",
                         "-u", "critical", "Sum & mary", "Bo <dy>")
        calls = server.wait_notify(1)
        self.assertEqual(len(calls), 1)
        call = calls[0]
        self.assertEqual(call.app_name, "limber")
        self.assertEqual(call.replaces_id, 0)
        self.assertEqual(call.summary, "Sum & mary")
        self.assertEqual(call.body, "Bo <dy>")
        self.assertEqual(call.hints["desktop-entry"], "limber")
        self.assertEqual(call.hints["urgency"], 2)
        # Signals reach a client: notify-send --wait prints the action key.
        client = self.spawn("notify-send-wait", [
            "notify-send", "--wait", "-p", "-A", "done=Done", "Press", "me"])
        second = server.wait_notify(2)[1]
        self.assertEqual(second.action_pairs(), [("done", "Done")])
        # The mock numbers notifications from 1; the second one is 2.
        server.emit_action(2, "done")
        client.wait_exit()
        self.assertEqual(client.stdout().split(), ["2", "done"])

    def test_mock_server_stops_and_restarts(self):
        self.start_bus()
        server = self.start_mock_server(["body"])
        server.stop()
        self.wait_name(NOTIFICATIONS_NAME, owned=False)
        again = self.start_mock_server(["body"])
        self.notify_send("a", "b")
        self.assertEqual(again.wait_notify(1)[0].summary, "a")

    def test_dunst_history(self):
        self.start_bus()
        dunst = self.start_dunst()
        first = self.notify_send("-p", "-a", "limber", "Posture & you", "Sit &lt;tall&gt;")
        wait_until(lambda: dunst.count("displayed") == 1, what="dunst to display it")
        self.notify_send("-a", "limber", "-r", first.strip(), "Posture & you", "replaced")
        self.notify_send("-a", "other", "Other", "stacked")
        wait_until(lambda: dunst.count("displayed") == 2, what="dunst to display two")
        dunst.close_all()
        history = dunst.history()
        self.assertEqual(sorted(h["appname"] for h in history), ["limber", "other"])
        mine = [h for h in history if h["appname"] == "limber"][0]
        self.assertEqual(mine["summary"], "Posture & you")
        self.assertEqual(mine["body"], "replaced")
        self.assertEqual(mine["id"], int(first))

    def x_notifier_click(self, server):
        # The AT-SPI tree gives each button's place, and a click there is the server's ActionInvoked.
        self.start_bus()
        x = self.start_x_notifier(server)
        client = self.spawn("notify-send-wait", [
            "notify-send", "--wait", "-A", "yes=Yes", "-A", "no=No", "Pick", "one"], env=x.env)
        window = x.wait_window("Pick")
        buttons = {b["name"]: b["extents"] for b in window["buttons"] if b["name"]}
        self.assertEqual(sorted(buttons), ["No", "Yes"], window)
        x.click(buttons["No"])
        client.wait_exit()
        self.assertEqual(client.stdout().split(), ["no"])
        x.wait_gone("Pick")

    def test_xfce4_notifyd_buttons_are_found_and_clicked(self):
        self.x_notifier_click("xfce4-notifyd")

    def test_notification_daemon_buttons_are_found_and_clicked(self):
        self.x_notifier_click("notification-daemon")

if __name__ == "__main__":
    unittest.main(verbosity=2)
