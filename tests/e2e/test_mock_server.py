"""limberd against python3-dbusmock's notification_daemon template.

What limberd sends (Notify arguments) for each combination of the server's
`actions` and `body-markup` capabilities, notification replacement, tip
rotation, and what happens when the user presses Done, Snooze or Skip.
"""

import unittest

import dbus

from harness import (FAST_MESSAGE, FAST_PROFILE, FAST_TIPS, FAST_TITLE, LimberTestCase,
                     expected_body)

BUTTONS = ["done", "snooze", "skip"]


class MockServerTestCase(LimberTestCase):

    def setUp(self):
        super().setUp()
        self.start_bus()

    def start(self, caps, profile=FAST_PROFILE):
        server = self.start_mock_server(caps)
        limberd = self.start_limberd(self.write_profile(profile))
        self.wait_ready(limberd)
        return server, limberd

    def assert_reminder(self, call, tip, markup, actions, title=FAST_TITLE,
                        message=FAST_MESSAGE):
        """One Notify call shows the fast profile's posture reminder."""
        self.assertEqual(call.app_name, "limber", call)
        # The summary is plain text in the spec: never escaped.
        self.assertEqual(call.summary, title, call)
        self.assertEqual(call.body, expected_body(message, tip, markup),
                         "body should be %s\n%r" % (
                             "escaped markup (server has body-markup)" if markup
                             else "plain text (server has no body-markup)", call))
        self.assertEqual(call.hints.get("desktop-entry"), "limber", call)
        self.assertIn("urgency", call.hints, call)
        self.assertIsInstance(call.raw_hints["urgency"], dbus.Byte,
                              "urgency hint must be a byte (y)")
        self.assertIn(call.hints["urgency"], (0, 1, 2), call)
        self.assertTrue(call.app_icon or call.hints.get("image-path")
                        or call.hints.get("image_path"),
                        "a reminder has an icon from its kind: %r" % (call,))
        if actions:
            self.assert_buttons(call, BUTTONS)
        else:
            self.assertEqual(call.actions, [],
                             "server lacks `actions`: no buttons may be sent\n%r" % (call,))

    def assert_buttons(self, call, keys):
        pairs = call.action_pairs()
        self.assertEqual(len(call.actions) % 2, 0, call)
        ours = [k for k, _ in pairs if k != "default"]
        self.assertEqual(ours, keys, "action keys (besides `default`) %r" % (call.actions,))
        labels = dict(pairs)
        if "done" in keys:
            self.assertEqual(labels["done"], "Done")
        if "skip" in keys:
            self.assertEqual(labels["skip"], "Skip")
        if "snooze" in keys:
            self.assertRegex(labels["snooze"], r"^Snooze\b")


class CapabilitiesTest(MockServerTestCase):
    """Notify arguments for each combination of capabilities."""

    def check_caps(self, caps, markup, actions, count=2):
        server, limberd = self.start(caps)
        calls = server.wait_notify(count, limberd=limberd)
        shows = limberd.wait_shows(count)
        for show in shows[:count]:
            self.assert_show(show, ["posture"], FAST_TITLE)
        for i, call in enumerate(calls[:count]):
            self.assert_reminder(call, FAST_TIPS[i % len(FAST_TIPS)], markup, actions)
        # The first is new; every later showing replaces it. The mock answers
        # the first Notify with id 1 (and a replacing one with the id given).
        self.assertEqual(calls[0].replaces_id, 0, calls[0])
        for call in calls[1:count]:
            self.assertEqual(call.replaces_id, 1,
                             "a reminder shown again must replace its notification: %r" % call)
        self.assert_alive(limberd)

    def test_markup_and_actions(self):
        # Three showings: tips rotate in order and wrap around.
        self.check_caps(["body", "body-markup", "actions"], markup=True, actions=True, count=3)

    def test_plain_text_without_actions(self):
        self.check_caps(["body"], markup=False, actions=False)

    def test_actions_without_markup(self):
        self.check_caps(["body", "actions"], markup=False, actions=True)

    def test_markup_without_actions(self):
        self.check_caps(["body", "body-markup"], markup=True, actions=False)

    def test_urgency_from_profile(self):
        profile = FAST_PROFILE + 'urgency = "critical"\n'
        server, limberd = self.start(["body", "actions"], profile)
        call = server.wait_notify(1, limberd=limberd)[0]
        self.assertEqual(call.hints.get("urgency"), 2, call)
        self.assertIsInstance(call.raw_hints["urgency"], dbus.Byte)

    def test_merged_reminders_share_one_notification(self):
        profile = """\
[general]
merge_within = "1s"

[reminders.posture]
kind = "posture"
every = "2s"
title = "Posture & you"
message = "Sit <tall>"

[reminders.stretch]
kind = "stretch"
every = "2s"
title = "Stretch"
message = "Roll your shoulders"
"""
        server, limberd = self.start(["body", "actions"], profile)
        show = limberd.wait_shows(1)[0]
        self.assertEqual(sorted(show.names), ["posture", "stretch"], show.line.text)
        titles = {"posture": "Posture & you", "stretch": "Stretch"}
        # A short title (GNOME truncates a long one), and one line per reminder: its title (three
        # messages wrap past mako's default size).
        self.assertTrue(show.has_title("2 reminders"), show.line.text)
        call = server.wait_notify(1, limberd=limberd)[0]
        self.assertEqual(call.summary, "2 reminders", call)
        self.assertEqual(call.app_name, "limber")
        self.assertEqual(call.body.split("\n"), [titles[n] for n in show.names])
        # One notification, not a burst of two at the same moment.
        self.assertEqual(len([c for c in server.notify_calls() if c.replaces_id == 0]), 1,
                         server.notify_calls())


class ActionTest(MockServerTestCase):
    """Pressing a button: the server emits ActionInvoked(id, key)."""

    CAPS = ["body", "body-markup", "actions"]

    def press(self, key, answered):
        server, limberd = self.start(self.CAPS)
        call = server.wait_notify(1, limberd=limberd)[0]
        self.assertIn(key, call.actions)
        mark = limberd.mark()
        server.emit_action(1, key)  # the mock gave the first notification id 1
        line = limberd.wait_line(r"answered posture: %s\b" % answered, since=mark)[0]
        return server, limberd, line

    def test_done(self):
        server, limberd, _ = self.press("done", "done")
        # limberd goes on reminding afterwards.
        mark = limberd.mark()
        limberd.wait_shows(1, since=mark)
        self.assert_alive(limberd)

    def test_click_on_the_notification_is_done(self):
        """The `default` action (a click on the notification itself, `dunstctl action`,
        `makoctl invoke`) is Done."""
        server, limberd, _ = self.press("default", "done")
        self.assert_alive(limberd)

    def test_skip(self):
        server, limberd, _ = self.press("skip", "skipped")
        mark = limberd.mark()
        limberd.wait_shows(1, since=mark)
        self.assert_alive(limberd)

    def test_snooze_postpones_by_snooze_length(self):
        server, limberd, answered = self.press("snooze", "snoozed")
        # every = 2s, snooze = 3s: unsnoozed, the next showing would come
        # within 2 s of the first (so within 2 s of the answer); snoozed, it
        # comes 3 s after the answer. Measured with limberd's own log times.
        nxt = limberd.wait_shows(1, since=answered.index + 1)[0]
        self.assertIsNotNone(answered.time, "log lines need spdlog timestamps: %r" % answered)
        self.assertIsNotNone(nxt.time, "log lines need spdlog timestamps: %r" % nxt.line)
        gap = (nxt.time - answered.time).total_seconds()
        self.assertGreaterEqual(gap, 2.5, "next showing %.3f s after Snooze; the snooze "
                                "length is 3 s\n%s" % (gap, limberd.report()))
        self.assert_alive(limberd)

    def test_snooze_not_offered_after_max_snoozes(self):
        profile = FAST_PROFILE.replace('snooze = "3s"', 'snooze = "1s"\nmax_snoozes = 1')
        server, limberd = self.start(self.CAPS, profile)
        first = server.wait_notify(1, limberd=limberd)[0]
        self.assert_buttons(first, BUTTONS)
        mark = limberd.mark()
        server.emit_action(1, "snooze")
        limberd.wait_line(r"answered posture: snoozed\b", since=mark)
        # The snoozed reminder comes back; it has used its one snooze.
        again = server.wait_notify(2, limberd=limberd)[1]
        self.assert_buttons(again, ["done", "skip"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
