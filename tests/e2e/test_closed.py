"""A notification closed without a button is an answer limberd hears.

Against python3-dbusmock's notification_daemon: the mock emits
NotificationClosed(id, reason) as a server does when the person closes a
notification (2), when it expires (1), when limberd closed it (3) or for no
reason given (4). limberd records what each means, and `status` and `stats`
say so at once.
"""

import json
import unittest

from harness import LimberTestCase, wait_until

# The kinds' default titles (core/Profile.cpp): how the test tells each reminder's Notify.
TITLES = {"posture": "Posture check", "stretch": "Time to stretch", "water": "Drink some water"}

PROFILE = """\
[general]
merge_within = "0s"

[reminders.posture]
kind = "posture"
every = "1h"

[reminders.stretch]
kind = "stretch"
every = "1h"
duration = "5m"

[reminders.water]
kind = "hydration"
every = "1h"
glass = "250ml"
"""

FIELDS = ("shown", "done", "natural", "snoozed", "skipped", "missed", "dismissed", "ignored")


class ClosedTest(LimberTestCase):

    def setUp(self):
        super().setUp()
        self.start_bus()
        self.server = self.start_mock_server(["body", "actions"])
        self.limberd = self.start_limberd(self.write_profile(PROFILE))
        self.wait_ready(self.limberd)

    def show(self, name):
        """Triggers `name`; returns the id the mock gave its notification. Found by its title, not
        as the next Notify: a break's count-down (after Done) may update its own notification meanwhile."""
        before = len(self.server.notify_calls())
        self.ctl_ok("trigger", name)

        def shown():
            calls = self.server.notify_calls()
            for i in range(before, len(calls)):
                c = calls[i]
                if c.summary == TITLES[name] and not c.body.startswith("Break"):
                    return c.replaces_id or len([d for d in calls[:i + 1] if d.replaces_id == 0])
            return None
        return wait_until(shown, what="the notification of %s at the mock server" % name,
                          detail=lambda: "%r\n%s" % (self.server.notify_calls(), self.limberd.report()))

    def on_screen(self, name):
        status = json.loads(self.ctl_ok("--json", "status"))
        return [r for r in status["reminders"] if r["name"] == name][0]["on_screen"]

    def counts(self, name):
        day = json.loads(self.ctl_ok("--json", "stats", "--days", "1"))["days"][-1]
        got = day["reminders"].get(name, {})
        return {f: got.get(f) for f in FIELDS}, day

    def expect(self, name, **fields):
        want = {f: fields.get(f, 0) for f in FIELDS}
        wait_until(lambda: self.counts(name)[0] == want,
                   what="stats of %s to be %r" % (name, want),
                   detail=lambda: "%r\n%s" % (self.counts(name)[0], self.limberd.report()))

    def test_closed_by_the_person_is_dismissed_and_off_screen_at_once(self):
        nid = self.show("posture")
        self.assertTrue(self.on_screen("posture"))
        mark = self.limberd.mark()
        self.server.emit_closed(nid, 2)
        self.limberd.wait_line(r"posture: dismissed\b", since=mark)
        self.assertFalse(self.on_screen("posture"))
        self.expect("posture", shown=1, dismissed=1)
        # The text stats say it too.
        self.assertRegex(self.ctl_ok("stats", "--days", "1"), r"DISMISSED")
        # The count-down runs to the next showing: the Waybar line no longer says "now".
        waybar = json.loads(self.ctl_ok("status", "--format", "waybar"))
        self.assertNotIn("now", waybar["text"], waybar)

    def test_an_expired_break_is_missed_at_once(self):
        nid = self.show("stretch")
        mark = self.limberd.mark()
        self.server.emit_closed(nid, 1)
        self.limberd.wait_line(r"stretch: missed\b", since=mark)
        self.assertFalse(self.on_screen("stretch"))
        self.expect("stretch", shown=1, missed=1)

    def test_an_expired_nudge_is_done_and_an_expired_water_nudge_ignored_with_no_water(self):
        posture = self.show("posture")
        water = self.show("water")
        self.server.emit_closed(posture, 4)  # no reason given: taken as expired
        self.server.emit_closed(water, 1)
        self.expect("posture", shown=1, done=1)
        self.expect("water", shown=1, ignored=1)
        _, day = self.counts("water")
        self.assertEqual(day["water_ml"], 0, day)
        self.assertFalse(self.on_screen("water"))

    def test_closed_by_limberd_or_after_a_button_means_nothing(self):
        posture = self.show("posture")
        self.server.emit_closed(posture, 3)  # CloseNotification: limberd's own doing
        stretch = self.show("stretch")
        self.server.emit_action(stretch, "done")
        self.server.emit_closed(stretch, 2)  # the server closes it after the press
        mark = self.limberd.mark()
        water = self.show("water")  # a later signal: once it is heard, both closes above were handled
        self.server.emit_closed(water, 2)
        self.limberd.wait_line(r"water: dismissed\b", since=mark)
        self.expect("stretch", shown=1, done=1)
        self.expect("posture", shown=1)
        self.assertTrue(self.on_screen("posture"), "reason 3 took posture off limberd's screen")
        self.ctl_ok("skip", "posture")
        self.expect("posture", shown=1, skipped=1)


if __name__ == "__main__":
    unittest.main(verbosity=2)
