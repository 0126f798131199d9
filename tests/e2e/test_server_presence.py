"""limberd with a notification server that is missing, appears, goes away,
comes back, or hangs."""

import signal
import unittest

from harness import FAST_MESSAGE, FAST_TITLE, NOTIFICATIONS_NAME, LimberTestCase

APPEARED = r"notification server.*appeared|appeared.*notification server"
CAPS = ["body", "body-markup", "actions"]


class ServerPresenceTest(LimberTestCase):

    def setUp(self):
        super().setUp()
        self.start_bus()

    def test_no_server_then_appears_vanishes_and_returns(self):
        limberd = self.start_limberd(self.write_profile())
        self.wait_ready(limberd)

        # No server: reminders go to the log, limberd keeps running.
        limberd.wait_line(r"no notification server")
        shows = limberd.wait_shows(2)
        # With nowhere else to show it, the log carries title and message.
        for show in shows[:2]:
            self.assert_show(show, ["posture"], FAST_TITLE, FAST_MESSAGE)
        self.assert_alive(limberd)
        # Waiting for a server must not busy-loop (a few ms of CPU at most).
        cpu = self.cpu_seconds(limberd)
        self.assertLess(cpu, 1.0, "limberd used %.2f s CPU in ~4 s without a server" % cpu)

        # A server appears: limberd notices and uses it.
        mark = limberd.mark()
        server = self.start_mock_server(CAPS)
        limberd.wait_line(APPEARED, since=mark,
                          what="limberd to log that the notification server appeared")
        call = server.wait_notify(1, limberd=limberd)[0]
        self.assertEqual(call.app_name, "limber")
        self.assertEqual(call.summary, FAST_TITLE)
        self.assert_alive(limberd)

        # It goes away: limberd survives and keeps reminding on its log.
        server.stop()
        self.wait_name(NOTIFICATIONS_NAME, owned=False)
        limberd.wait_line(r"went away", since=mark)
        mark = limberd.mark()
        limberd.wait_shows(2, since=mark)
        self.assert_alive(limberd)

        # It comes back: used again.
        mark = limberd.mark()
        again = self.start_mock_server(CAPS)
        limberd.wait_line(APPEARED, since=mark,
                          what="limberd to log that the notification server appeared again")
        call = again.wait_notify(1, limberd=limberd,
                                 what="a Notify call at the restarted server")[0]
        self.assertEqual(call.app_name, "limber")
        self.assertEqual(call.summary, FAST_TITLE)
        self.assertIn("done", call.actions)

        # And still stops cleanly.
        limberd.send(signal.SIGTERM)
        self.assertEqual(limberd.wait_exit(5), 0, limberd.report())

    def test_server_present_at_start_then_restarted(self):
        server = self.start_mock_server(CAPS)
        limberd = self.start_limberd(self.write_profile())
        self.wait_ready(limberd)
        server.wait_notify(1, limberd=limberd)
        mark = limberd.mark()
        server.stop()
        limberd.wait_line(r"went away", since=mark)
        again = self.start_mock_server(["body"])
        # The new server has other capabilities: no buttons, plain body.
        call = again.wait_notify(1, limberd=limberd,
                                 what="a Notify call at the restarted server")[0]
        self.assertEqual(call.summary, FAST_TITLE)
        self.assertEqual(call.actions, [], "the new server has no `actions`: %r" % call)
        self.assertNotIn("&lt;", call.body, "the new server has no `body-markup`: %r" % call)
        self.assert_alive(limberd)

    def test_hung_server_does_not_stall_reminders(self):
        # A server that owns its name but never answers (stopped with SIGSTOP):
        # libnotify's calls would block for 25 s. limberd must keep its
        # schedule and still stop promptly.
        server = self.start_mock_server(CAPS)
        limberd = self.start_limberd(self.write_profile())
        self.wait_ready(limberd)
        server.wait_notify(1, limberd=limberd)
        server.proc.send(signal.SIGSTOP)
        self.addCleanup(server.proc.send, signal.SIGCONT)
        mark = limberd.mark()
        # Every 2 s: two showings take ~4 s if nothing blocks; a blocking
        # Notify call would hold up the second for 25 s.
        limberd.wait_shows(2, since=mark)
        self.assert_alive(limberd)
        limberd.send(signal.SIGTERM)
        self.assertEqual(limberd.wait_exit(5), 0, limberd.report())


if __name__ == "__main__":
    unittest.main(verbosity=2)
