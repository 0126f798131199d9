"""limberd's X11 fullscreen source: do-not-disturb while the active window is
fullscreen (EWMH _NET_WM_STATE_FULLSCREEN on the window _NET_ACTIVE_WINDOW
names). Everything is real: Xvfb, the openbox window manager (which sets
those properties itself), xmessage windows as the clients, wmctrl asking
openbox for fullscreen and focus as a desktop's keyboard shortcut would,
dunst as the notification server, and the limberd binary observed through
its log and limberctl."""

import ctypes
import os
import re
import shutil
import struct
import subprocess
import time
import unittest

from harness import TIMEOUT, wait_until
from presence_harness import NUDGE_PROFILE, PresenceTestCase

NEEDED = ("openbox", "wmctrl", "xmessage", "xprop")
MISSING = [t for t in NEEDED if shutil.which(t) is None]

# A nudge every 3 s; do-not-disturb spells below last longer than that. Nobody types on this Xvfb:
# idle_after is long, so that the X11 idle source does not call the person away meanwhile.
PROFILE = NUDGE_PROFILE.replace('every = "4s"', 'every = "3s"').replace('idle_after = "2s"', 'idle_after = "1h"')

# What limberd's time-zone watch on /etc selects (src/adapters/ClockWatch.cpp): IN_CREATE | IN_MOVED_TO |
# IN_DELETE | IN_CLOSE_WRITE. The kernel cannot filter a directory watch by name, so limberd wakes for
# every such event in /etc, whatever the file.
ETC_EVENTS = 0x100 | 0x80 | 0x200 | 0x8


class EtcChanges:
    """The events limberd's /etc watch gets, seen through a watch of our own: another process writing in
    /etc (useradd or dpkg in a test running in parallel, an apt-get on the machine) wakes limberd about
    once per file, and that is not a wake-up the X11 source caused."""

    def __init__(self):
        libc = ctypes.CDLL(None, use_errno=True)
        self.fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0 or libc.inotify_add_watch(self.fd, b"/etc", ETC_EVENTS) < 0:
            raise OSError(ctypes.get_errno(), "cannot watch /etc with inotify")

    def names(self):
        """Names of the /etc entries changed since the last call."""
        names = []
        while True:
            try:
                buf = os.read(self.fd, 65536)
            except BlockingIOError:
                return names
            at = 0
            while at < len(buf):
                _wd, _mask, _cookie, size = struct.unpack_from("iIII", buf, at)
                names.append(buf[at + 16:at + 16 + size].rstrip(b"\0").decode("utf-8", "replace"))
                at += 16 + size

    def close(self):
        os.close(self.fd)


@unittest.skipIf(MISSING, "not installed: %s (scripts/setup-debian.sh --test)" % ", ".join(MISSING))
class X11FullscreenTest(PresenceTestCase):

    def setUp(self):
        super().setUp()
        self.start_bus()
        self.dunst = self.start_dunst()
        self.display = self.dunst.display
        self.env["DISPLAY"] = self.display
        self.limberd = None
        self.clients = {}  # X window id -> the xmessage process

    # -- the desktop ----------------------------------------------------------
    def x(self, *argv):
        """Run an X client to completion; its output."""
        res = subprocess.run(list(argv), env=self.env, capture_output=True, text=True, timeout=TIMEOUT)
        self.assertEqual(res.returncode, 0, "%s failed: %s%s" % (" ".join(argv), res.stdout, res.stderr))
        return res.stdout

    def root_property(self, name):
        return self.x("xprop", "-root", name)

    def start_openbox(self):
        proc = self.spawn("openbox", ["openbox", "--sm-disable"])

        def managing():
            if not proc.alive():
                raise AssertionError("openbox exited\n" + proc.report())
            return "_NET_WM_STATE_FULLSCREEN" in self.root_property("_NET_SUPPORTED")
        wait_until(managing, what="openbox to announce EWMH fullscreen", detail=self.report_all)
        return proc

    def active_window(self):
        m = re.search(r"window id # (0x[0-9a-f]+)", self.root_property("_NET_ACTIVE_WINDOW"))
        return int(m.group(1), 16) if m else 0

    def open_window(self, title):
        """An xmessage window, managed (and focused) by openbox; its X id once it is the active window."""
        proc = self.spawn("xmessage-" + title, ["xmessage", "-title", title, "-name", title, title])

        def mapped():
            if not proc.alive():
                raise AssertionError("xmessage exited\n" + proc.report())
            # Fails until openbox has published its client list (just after _NET_SUPPORTED).
            res = subprocess.run(["wmctrl", "-l"], env=self.env, capture_output=True, text=True, timeout=TIMEOUT)
            for line in res.stdout.splitlines() if res.returncode == 0 else []:
                fields = line.split(None, 3)
                if len(fields) == 4 and fields[3] == title:
                    return int(fields[0], 16)
            return None
        # A deadline, not a wait: xmessage's start and openbox's managing it took over 10 s once while
        # a build shared the two cores (before limberd was even started).
        wid = wait_until(mapped, timeout=3 * TIMEOUT, what="openbox to manage " + title, detail=self.report_all)
        wait_until(lambda: self.active_window() == wid, what=title + " to be the active window",
                   detail=lambda: self.root_property("_NET_ACTIVE_WINDOW") + self.report_all())
        self.clients[wid] = proc
        return wid

    def state(self, wid):
        return self.x("xprop", "-id", hex(wid), "_NET_WM_STATE")

    def set_fullscreen(self, wid, on):
        """Asks openbox (a _NET_WM_STATE client message), as a video player's full-screen button does."""
        self.x("wmctrl", "-i", "-r", hex(wid), "-b", ("add" if on else "remove") + ",fullscreen")
        wait_until(lambda: ("_NET_WM_STATE_FULLSCREEN" in self.state(wid)) == on,
                   what="openbox to %s fullscreen" % ("set" if on else "clear"))

    def activate(self, wid):
        self.x("wmctrl", "-i", "-a", hex(wid))
        wait_until(lambda: self.active_window() == wid, what="window %s to be active" % hex(wid),
                   detail=lambda: self.root_property("_NET_ACTIVE_WINDOW"))

    # -- limberd ----------------------------------------------------------------
    def start(self, profile=PROFILE):
        self.limberd = self.start_limberd(self.write_profile(profile))
        self.wait_ready(self.limberd)
        return self.limberd


    def dnd(self, on, why):
        return self.wait_status(lambda s: s["presence"]["dnd"] == on, why, self.limberd)

    def main_thread_switches(self):
        """Voluntary context switches of limberd's main thread: its wake-ups."""
        with open("/proc/%d/task/%d/status" % (self.limberd.pid, self.limberd.pid)) as f:
            return int(re.search(r"^voluntary_ctxt_switches:\s+(\d+)", f.read(), re.M).group(1))

    def thread_switches(self):
        """Voluntary context switches of each of limberd's threads, as {"NAME/TID": count}: in a failure
        message, which thread moved tells D-Bus traffic (gdbus) from the main context's own sources."""
        counts = {}
        for tid in os.listdir("/proc/%d/task" % self.limberd.pid):
            try:
                with open("/proc/%d/task/%s/status" % (self.limberd.pid, tid)) as f:
                    text = f.read()
            except FileNotFoundError:  # a thread that just ended
                continue
            name = re.search(r"^Name:\s+(.*)$", text, re.M).group(1)
            counts["%s/%s" % (name, tid)] = int(re.search(r"^voluntary_ctxt_switches:\s+(\d+)", text, re.M).group(1))
        return counts

    # -- tests ------------------------------------------------------------------
    def test_fullscreen_holds_reminders_until_it_ends(self):
        self.start_openbox()
        wid = self.open_window("slides")
        self.start()
        s = self.wait_status(lambda s: "x11-fullscreen" in s["presence"]["sources"],
                             "x11-fullscreen among the sources", self.limberd)
        self.assertFalse(s["presence"]["dnd"])
        self.limberd.wait_shows(1)
        mark = self.limberd.mark()
        self.set_fullscreen(wid, True)
        self.limberd.wait_line(r"do-not-disturb on \(x11-fullscreen\)", since=mark)
        s = self.wait_status(lambda s: s["state"] == "dnd", "state dnd while the window is fullscreen",
                             self.limberd)
        self.assertTrue(s["presence"]["dnd"])
        text = self.limberctl("status")
        self.assertIn("do-not-disturb on", text)
        self.assertIn("x11-fullscreen", text)
        # Due during the presentation: it waits with its clock full; nothing is shown.
        self.assert_quiet(4.5, mark, "the active window was fullscreen")
        held = self.status()["reminders"][0]
        self.assertEqual(held["due_in"], 0, held)
        self.set_fullscreen(wid, False)
        off = self.limberd.wait_line(r"do-not-disturb off \(x11-fullscreen\)", since=mark)[0]
        shows = self.limberd.wait_shows(1, since=mark, timeout=3)
        self.assertLess(self.line_time(shows[0].line) - self.line_time(off), 1.0,
                        "the held reminder is shown when fullscreen ends")
        # Once: the next one a whole interval later, not a burst of those missed meanwhile.
        second = self.limberd.wait_shows(2, since=mark, timeout=6)[1]
        self.assertGreaterEqual(self.line_time(second.line) - self.line_time(shows[0].line), 2.5)
        self.assertFalse(self.status()["presence"]["dnd"])
        wait_until(lambda: self.dunst.count("displayed") + self.dunst.count("history") >= 1,
                   what="dunst to have shown the held reminder", detail=self.limberd.report)

    def test_follows_the_active_window(self):
        """Only the active window counts, and the window followed changes with it."""
        self.start_openbox()
        video = self.open_window("video")
        self.set_fullscreen(video, True)  # before limberd starts: read at start
        self.start()
        self.dnd(True, "dnd: the active window is fullscreen at start")
        notes = self.open_window("notes")  # focus moves to a window that is not fullscreen
        self.dnd(False, "dnd off once a normal window is active")
        self.activate(video)
        self.dnd(True, "dnd again with the fullscreen window active")
        # Its state is followed again after the switch back: leaving fullscreen ends it.
        self.set_fullscreen(video, False)
        self.dnd(False, "dnd off when the active window leaves fullscreen")
        # A window that is not the active one saying fullscreen does not count (openbox raises and
        # focuses a window asked to go fullscreen, so the property is written here directly).
        mark = self.limberd.mark()
        self.activate(notes)
        self.x("xprop", "-id", hex(video), "-f", "_NET_WM_STATE", "32a", "-set", "_NET_WM_STATE",
               "_NET_WM_STATE_FULLSCREEN")
        self.assertIn("_NET_WM_STATE_FULLSCREEN", self.state(video))
        time.sleep(0.5)  # a window in which a wrong "on" would show (not a wait for something)
        self.assertFalse(self.status()["presence"]["dnd"], self.limberd.report())
        self.x("xprop", "-id", hex(video), "-remove", "_NET_WM_STATE")
        self.activate(video)
        self.set_fullscreen(video, True)
        # The active window closing ends it too.
        self.dnd(True, "dnd with the fullscreen window active")
        self.clients[video].stop()
        self.dnd(False, "dnd off once the fullscreen window is gone")
        self.assertEqual(self.limberd.matching(r"\[warning\].*X error", since=mark), [],
                         "a vanished window is not worth a warning")
        self.assert_alive(self.limberd)

    def test_respect_dnd_false_keeps_reminding(self):
        self.start_openbox()
        wid = self.open_window("game")
        self.start(PROFILE.replace("[general]\n", "[general]\nrespect_dnd = false\n"))
        self.wait_status(lambda s: "x11-fullscreen" in s["presence"]["sources"], "x11-fullscreen in use",
                         self.limberd)
        mark = self.limberd.mark()
        self.set_fullscreen(wid, True)
        self.limberd.wait_line(r"do-not-disturb on \(x11-fullscreen\); respect_dnd = false", since=mark)
        self.assertTrue(self.status()["presence"]["dnd"])
        self.limberd.wait_shows(1, since=mark, timeout=5)

    def test_no_wake_ups_while_nothing_changes(self):
        """Event-driven: a fullscreen window sitting there, and property changes on a window
        that is no longer active (limberd followed it before), wake limberd not at all."""
        self.start_openbox()
        other = self.open_window("other")
        self.start(PROFILE.replace('every = "3s"', 'every = "1h"'))
        self.wait_status(lambda s: "x11-fullscreen" in s["presence"]["sources"], "x11-fullscreen in use",
                         self.limberd)
        video = self.open_window("film")  # limberd drops its interest in "other" here
        self.set_fullscreen(video, True)
        self.dnd(True, "dnd while the film is fullscreen")
        etc = EtcChanges()
        self.addCleanup(etc.close)

        def touch(wid, n):
            self.x("xprop", "-id", hex(wid), "-f", "LIMBER_TEST", "8s", "-set", "LIMBER_TEST", str(n))

        def quiet():
            """Neither limberd's main thread nor /etc moved for 0.3 s (the status calls' own wake-ups
            are over; nothing in /etc is being written)."""
            before, _ = self.main_thread_switches(), etc.names()
            time.sleep(0.3)
            return self.main_thread_switches() == before and not etc.names()
        # A window in which /etc changed measures another source: it is dropped and measured again.
        dropped = []
        for attempt in range(5):
            wait_until(quiet, what="limberd's main thread and /etc to be quiet for 0.3 s "
                       "(a limberd that keeps waking never is)", detail=self.limberd.report)
            before, threads = self.main_thread_switches(), self.thread_switches()
            for n in range(5):
                touch(other, n + 5 * attempt)
            time.sleep(2)  # a window in which a wake-up would show (not a wait for something)
            woke = self.main_thread_switches() - before
            moved = {t: n - threads.get(t, 0) for t, n in self.thread_switches().items() if n != threads.get(t)}
            changed = etc.names()
            if not changed:
                break
            names = sorted(set(changed))
            dropped.append("%d wake-ups while /etc changed: %s%s" % (
                woke, ", ".join(names[:6]), " and %d more" % (len(names) - 6) if len(names) > 6 else ""))
        else:
            self.fail("/etc changed during each of 5 windows, so limberd's wake-ups could not be told "
                      "from those of its time-zone watch; run the test again when nothing is writing "
                      "/etc:\n" + "\n".join(dropped))
        self.assertEqual(woke, 0, "limberd woke up while the active window's state did not change "
                         "(voluntary switches per thread in the window: %r)" % moved
                         + "".join("\n(dropped: %s)" % d for d in dropped))
        # The measure can see a wake-up: a property change on the active window is one.
        before = self.main_thread_switches()
        touch(video, 9)
        wait_until(lambda: self.main_thread_switches() > before,
                   what="limberd to wake for a property change on the active window")

    def test_window_manager_started_later_and_x_server_gone(self):
        self.start()
        self.assertNotIn("x11-fullscreen", self.status()["presence"]["sources"],
                         "listed without a window manager that announces fullscreen")
        self.start_openbox()
        self.wait_status(lambda s: "x11-fullscreen" in s["presence"]["sources"],
                         "x11-fullscreen once openbox runs", self.limberd)
        wid = self.open_window("late")
        self.set_fullscreen(wid, True)
        self.dnd(True, "dnd with a window manager started after limberd")
        mark = self.limberd.mark()
        self.dunst.xvfb.stop()  # openbox, dunst and the client go with it
        self.limberd.wait_line(r"x11-fullscreen: the X server went away", since=mark)
        s = self.wait_status(lambda s: "x11-fullscreen" not in s["presence"]["sources"],
                             "x11-fullscreen dropped", self.limberd)
        self.assertFalse(s["presence"]["dnd"], "do-not-disturb ends with the X server")
        self.assert_alive(self.limberd, "after its X server went away")


if __name__ == "__main__":
    unittest.main()
