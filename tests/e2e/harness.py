"""Shared fixtures for limber's end-to-end tests.

Every test runs the real limberd binary against real components on a private
D-Bus session bus of its own (dbus-daemon started from session.conf, which
auto-starts nothing): python3-dbusmock's notification_daemon template, dunst
on an Xvfb display, or a GTK server (xfce4-notifyd, notification-daemon) on an
Xvfb display with the AT-SPI accessibility bus, so that a test finds its
notifications' text, buttons and icon where a person sees them (XNotifier:
atspi_windows.py reads the tree, xdotool clicks, import photographs). Nothing from the user's desktop session is touched: the
child environment is built from scratch, with HOME and every XDG directory in a
per-test temporary directory.

Rules the fixtures keep:
  * every wait is "poll a condition every 50 ms until a deadline, then fail
    with a message that says what was awaited and shows the logs";
  * every process is started in its own process group and the whole group is
    stopped in the test's cleanup, whether the test passed or not;
  * when a test fails, the logs of every process it started are printed.

Run (from this directory, with Debian's interpreter):
  LIMBERD=../../build/limberd /usr/bin/python3 -m unittest -v test_mock_server
  /usr/bin/python3 test_dunst.py            # one file
  /usr/bin/python3 -m unittest -v test_lifecycle.DaemonLifecycleTest.test_sighup_reload
ctest runs each test_*.py file as one test (tests/CMakeLists.txt).
test_harness.py checks the fixtures themselves with notify-send: if it fails,
the environment or the harness is broken, not limberd.

Environment:
  LIMBERD                 path of the limberd binary (default:
                          /work/main/build/limberd, i.e. <repo>/build/limberd)
  LIMBER_E2E_TIMEOUT      default deadline in seconds for each wait (10)
  LIMBER_E2E_LOG_LEVEL    --log-level given to limberd (info)
  LIMBER_E2E_KEEP         if set, keep each test's temporary directory
"""

import contextlib
import datetime
import glob
import json
import os
import pwd
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

try:
    import dbus
except ImportError:  # pragma: no cover - environment problem, not a test
    sys.stderr.write(
        "The e2e tests need dbus-python (Debian: python3-dbus) and "
        "python3-dbusmock; run them with /usr/bin/python3, not a pyenv or "
        "virtualenv interpreter (this one is %s).\n" % sys.executable)
    raise

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
LIMBERD = os.environ.get("LIMBERD") or os.path.join(REPO, "build", "limberd")
# limberctl is built beside limberd.
LIMBERCTL = os.environ.get("LIMBERCTL") or os.path.join(os.path.dirname(LIMBERD), "limberctl")
# limber-tray, built beside limberd where Debian's libdbusmenu-glib-dev is.
LIMBER_TRAY = os.environ.get("LIMBER_TRAY") or os.path.join(os.path.dirname(LIMBERD), "limber-tray")
# Debian's interpreter: it is the one python3-dbusmock and python3-dbus are for.
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
SESSION_CONF = os.path.join(HERE, "session.conf")
DUNSTRC = os.path.join(HERE, "dunstrc")
ATSPI_WINDOWS = os.path.join(HERE, "atspi_windows.py")
# limber's icons beside the limberd under test: a build tree holds a copy at the installed place.
ICON_DIR = os.path.join(os.path.dirname(os.path.realpath(LIMBERD)), "share", "icons", "hicolor",
                        "scalable", "apps")
AT_SPI_BUS_LAUNCHER = "/usr/libexec/at-spi-bus-launcher"
# The GTK notification servers the X tests run: (where Debian installs the program, its name on the
# accessibility bus, its Debian package).
X_NOTIFIERS = {
    "xfce4-notifyd": ("/usr/lib/*/xfce4/notifyd/xfce4-notifyd", "xfce4-notifyd", "xfce4-notifyd"),
    "notification-daemon": ("/usr/lib/notification-daemon/notification-daemon",
                            "notification-daemon", "notification-daemon"),
}

TIMEOUT = float(os.environ.get("LIMBER_E2E_TIMEOUT", "10"))
LOG_LEVEL = os.environ.get("LIMBER_E2E_LOG_LEVEL", "info")
POLL = 0.05

NOTIFICATIONS_NAME = "org.freedesktop.Notifications"
NOTIFICATIONS_PATH = "/org/freedesktop/Notifications"
NOTIFICATIONS_IFACE = "org.freedesktop.Notifications"
MOCK_IFACE = "org.freedesktop.DBus.Mock"
LIMBER_NAME = "org.limber.Limber1"

# The profile most tests use: one reminder every 2 s, with text that needs
# escaping as markup and two tips that rotate.
FAST_PROFILE = """\
[general]
snooze = "3s"
merge_within = "0s"

[reminders.posture]
kind = "posture"
every = "2s"
title = "Posture & you"
message = "Sit <tall>"
tips = ["tip one", "tip two"]
"""
FAST_TITLE = "Posture & you"
FAST_MESSAGE = "Sit <tall>"
FAST_TIPS = ["tip one", "tip two"]

# "show NAME[,NAME2...]: TITLE", logged at info every time reminders are shown.
SHOW_RE = re.compile(r"\bshow ([a-z0-9_,-]+): (.*)$")
# spdlog's default pattern: [2026-11-25 20:30:00.123] [logger] [level] text
SPDLOG_RE = re.compile(
    r"^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?)\] \[([^\]]*)\] \[([a-z]+)\] (.*)$")


def markup_escape(text):
    """What the freedesktop spec's body markup needs escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def expected_body(message, tip, markup):
    body = message + "\n\n" + tip
    return markup_escape(body) if markup else body


class Deadline(AssertionError):
    """A condition was not met before its deadline."""


def wait_until(predicate, timeout=None, what="the condition", detail=None):
    """Poll predicate every 50 ms until it returns something truthy, and
    return that; after `timeout` seconds fail with a message naming `what`
    and adding detail() (typically the logs)."""
    timeout = TIMEOUT if timeout is None else timeout
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            msg = "timed out after %.1f s waiting for %s" % (timeout, what)
            if detail is not None:
                try:
                    msg += "\n" + detail()
                except Exception as exc:  # never hide the timeout itself
                    msg += "\n(could not gather details: %r)" % (exc,)
            raise Deadline(msg)
        time.sleep(POLL)


@contextlib.contextmanager
def kept_install_record(build):
    """Puts the build's own install record (install_manifest.txt, install_created_dirs.txt) back as
    it was after a test's install or cpack run, so that never becomes what
    `cmake --build BUILD --target uninstall` removes."""
    record = {}
    for name in ("install_manifest.txt", "install_created_dirs.txt"):
        path = os.path.join(build, name)
        record[path] = _read(path) if os.path.exists(path) else None
    try:
        yield
    finally:
        for path, text in record.items():
            if text is not None:
                with open(path, "w") as f:
                    f.write(text)
            elif os.path.exists(path):
                os.unlink(path)


def cmake_install(build, *args, env=None, timeout=120):
    """`cmake --install BUILD ARGS` for a test: (the finished process, the files it installed)."""
    with kept_install_record(build):
        r = subprocess.run(["cmake", "--install", build, *args], env=env, capture_output=True,
                           text=True, timeout=timeout)
        manifest = os.path.join(build, "install_manifest.txt")
        installed = _read(manifest).split() if r.returncode == 0 else []
    return r, installed


def tail(text, lines=40):
    parts = text.splitlines()
    if len(parts) > lines:
        parts = ["... (%d earlier lines)" % (len(parts) - lines)] + parts[-lines:]
    return "\n".join(parts)


class LogLine:
    """One line of a process's log, parsed as spdlog's default pattern when
    it has that shape."""

    def __init__(self, text, index=None):
        self.text = text
        self.index = index  # position in the log, usable as a `since` mark
        self.time = None
        self.logger = self.level = None
        self.message = text
        m = SPDLOG_RE.match(text)
        if m:
            stamp = m.group(1)
            fmt = "%Y-%m-%d %H:%M:%S.%f" if "." in stamp else "%Y-%m-%d %H:%M:%S"
            self.time = datetime.datetime.strptime(stamp, fmt)
            self.logger, self.level, self.message = m.group(2), m.group(3), m.group(4)

    def __repr__(self):
        return "LogLine(%r)" % self.text


class Show:
    """One `show NAMES: TITLE[: more]` log line. limberd may add the message
    (and tip) after the title, so `text` is everything after the names."""

    def __init__(self, line, match):
        self.line = line
        self.names = match.group(1).split(",")
        self.text = match.group(2).strip()
        self.time = line.time

    def has_title(self, title):
        return self.text == title or self.text.startswith(title + ":")

    def __repr__(self):
        return "Show(%s: %s)" % (",".join(self.names), self.text)


class Proc:
    """A child process in its own process group, stdout and stderr going to
    files in the test's directory (so a chatty child can never block on a
    full pipe and its output survives for the failure report)."""

    def __init__(self, name, argv, env, workdir, pass_fds=(), cwd=None, user=None):
        self.name = name
        self.argv = list(argv)
        self.out_path = os.path.join(workdir, name + ".out")
        self.err_path = os.path.join(workdir, name + ".err")
        # user: run as this uid (and its own group), for programs that refuse root (sway).
        ids = {} if user is None else {"user": user, "group": _gid_of(user), "extra_groups": []}
        with open(self.out_path, "wb") as out, open(self.err_path, "wb") as err:
            self.popen = subprocess.Popen(
                self.argv, env=env, cwd=cwd or workdir, stdin=subprocess.DEVNULL,
                stdout=out, stderr=err, start_new_session=True,
                pass_fds=tuple(pass_fds), close_fds=True, **ids)
        self.pid = self.popen.pid

    # -- output -----------------------------------------------------------
    def stdout(self):
        return _read(self.out_path)

    def stderr(self):
        return _read(self.err_path)

    def lines(self):
        """stderr as parsed lines (limberd logs to stderr)."""
        return [LogLine(t, i) for i, t in enumerate(self.stderr().splitlines())]

    def mark(self):
        """Position to pass as `since` to only look at later log lines."""
        return len(self.stderr().splitlines())

    def matching(self, regex, since=0):
        rx = re.compile(regex)
        return [l for l in self.lines()[since:] if rx.search(l.text)]

    def report(self):
        rc = self.popen.poll()
        state = "running" if rc is None else "exited with %s" % _describe_rc(rc)
        text = "---- %s (pid %d, %s): %s\n" % (self.name, self.pid, state, " ".join(self.argv))
        out, err = self.stdout(), self.stderr()
        if out:
            text += "-- stdout:\n" + tail(out, 60) + "\n"
        if err:
            text += "-- stderr:\n" + tail(err, 80) + "\n"
        return text

    # -- process state ----------------------------------------------------
    def alive(self):
        return self.popen.poll() is None

    @property
    def returncode(self):
        return self.popen.poll()

    def send(self, sig):
        if self.alive():
            os.kill(self.pid, sig)

    def wait_exit(self, timeout=None, what=None):
        """Wait for the process to exit; return its exit status."""
        wait_until(lambda: self.popen.poll() is not None, timeout,
                   what or "%s to exit" % self.name, self.report)
        return self.popen.returncode

    def stop(self, grace=3.0):
        """SIGTERM the process group, SIGKILL it after `grace` seconds."""
        for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(self.pid, sig)
                if sig == signal.SIGTERM:
                    os.killpg(self.pid, signal.SIGCONT)  # in case a test stopped it
            except (ProcessLookupError, PermissionError):
                pass
            try:
                self.popen.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                continue
            # The leader is gone; make sure nothing else of its group is left.
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            return


def _gid_of(uid):
    try:
        return pwd.getpwuid(uid).pw_gid
    except KeyError:  # a uid with no account: its own number as the group
        return uid


def _read(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")
    except FileNotFoundError:
        return ""


def _describe_rc(rc):
    if rc < 0:
        try:
            return "signal %s" % signal.Signals(-rc).name
        except ValueError:
            return "signal %d" % -rc
    return "status %d" % rc


def unwrap(value):
    """dbus-python values to plain Python ones."""
    if isinstance(value, dbus.Boolean):
        return bool(value)
    if isinstance(value, (dbus.String, dbus.ObjectPath, dbus.Signature)):
        return str(value)
    if isinstance(value, dbus.ByteArray):
        return bytes(value)
    if isinstance(value, dbus.Double):
        return float(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, dict):
        return {unwrap(k): unwrap(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [unwrap(v) for v in value]
    return value


class Limberd(Proc):
    """A running limberd with helpers for its log."""

    def shows(self, since=0):
        out = []
        for line in self.lines()[since:]:
            m = SHOW_RE.search(line.message)
            if m:
                out.append(Show(line, m))
        return out

    def wait_line(self, regex, count=1, since=0, timeout=None, what=None):
        """Wait for `count` log lines (after mark `since`) matching regex;
        return the matching lines. Fails at once if limberd has exited."""
        def check():
            found = self.matching(regex, since)
            if len(found) >= count:
                return found
            if not self.alive():
                raise AssertionError(
                    "limberd exited (%s) while waiting for %s\n%s" % (
                        _describe_rc(self.returncode),
                        what or "log line /%s/" % regex, self.report()))
            return None
        return wait_until(check, timeout, what or "%d log line(s) matching /%s/" % (count, regex),
                          self.report)

    def wait_shows(self, count=1, since=0, timeout=None):
        """Wait for `count` `show` lines after mark `since`; return them."""
        def check():
            found = self.shows(since)
            if len(found) >= count:
                return found
            if not self.alive():
                raise AssertionError("limberd exited (%s) while waiting for %d show line(s)\n%s"
                                     % (_describe_rc(self.returncode), count, self.report()))
            return None
        return wait_until(check, timeout, "%d `show NAME: TITLE` log line(s)" % count,
                          self.report)


class MockServer:
    """python3-dbusmock's notification_daemon template, on the test's bus."""

    def __init__(self, test, proc, unique_name, caps):
        self.test = test
        self.proc = proc
        self.unique_name = unique_name
        self.caps = caps

    def _mock(self):
        obj = self.test.bus.get_object(self.unique_name, NOTIFICATIONS_PATH, introspect=False)
        return dbus.Interface(obj, MOCK_IFACE)

    def notify_calls(self):
        """Every Notify the server received, oldest first, as NotifyCall."""
        calls = self._mock().GetMethodCalls("Notify", timeout=TIMEOUT)
        return [NotifyCall(args) for _stamp, args in calls]

    def wait_notify(self, count=1, timeout=None, what=None, limberd=None):
        def detail():
            text = "Notify calls so far: %r\n" % (self.notify_calls(),)
            text += self.proc.report()
            if limberd is not None:
                text += limberd.report()
            return text
        return wait_until(lambda: (lambda c: c if len(c) >= count else None)(self.notify_calls()),
                          timeout, what or "%d Notify call(s) at the mock server" % count, detail)

    def emit_action(self, notification_id, action_key):
        """The user pressed a button: ActionInvoked(id, key) from the server."""
        self._mock().EmitSignal(
            NOTIFICATIONS_IFACE, "ActionInvoked", "us",
            [dbus.UInt32(notification_id), dbus.String(action_key)],
            signature="sssav", timeout=TIMEOUT)

    def emit_closed(self, notification_id, reason=2):
        self._mock().EmitSignal(
            NOTIFICATIONS_IFACE, "NotificationClosed", "uu",
            [dbus.UInt32(notification_id), dbus.UInt32(reason)],
            signature="sssav", timeout=TIMEOUT)

    def stop(self):
        self.proc.stop()


class NotifyCall:
    """The arguments of one org.freedesktop.Notifications.Notify call."""

    FIELDS = ("app_name", "replaces_id", "app_icon", "summary", "body", "actions",
              "hints", "expire_timeout")

    def __init__(self, args):
        if len(args) != 8:
            raise AssertionError("Notify called with %d arguments: %r" % (len(args), args))
        self.raw = list(args)
        (self.app_name, self.replaces_id, self.app_icon, self.summary, self.body,
         self.actions, self.hints, self.expire_timeout) = [unwrap(a) for a in args]
        self.raw_hints = args[6]

    def action_pairs(self):
        """[(key, label), ...] from the flat actions list."""
        acts = self.actions
        return list(zip(acts[0::2], acts[1::2]))

    def __repr__(self):
        return "Notify(%s)" % ", ".join("%s=%r" % (f, getattr(self, f)) for f in self.FIELDS)


class Dunst:
    """dunst on its own Xvfb display, on the test's bus."""

    def __init__(self, test, xvfb, proc, display):
        self.test = test
        self.xvfb = xvfb
        self.proc = proc
        self.display = display

    def ctl(self, *args):
        res = subprocess.run(["dunstctl"] + list(args), env=self.test.env,
                             capture_output=True, text=True, timeout=TIMEOUT)
        if res.returncode != 0:
            raise AssertionError("dunstctl %s failed (%d): %s%s\n%s" % (
                " ".join(args), res.returncode, res.stdout, res.stderr, self.proc.report()))
        return res.stdout

    def count(self, which):
        return int(self.ctl("count", which).strip())

    def close_all(self):
        self.ctl("close-all")

    def history(self):
        """dunst's history as a list of {field: value}, newest first."""
        data = json.loads(self.ctl("history"))
        entries = data["data"][0] if data.get("data") else []
        return [{k: v["data"] for k, v in e.items()} for e in entries]


def find_program(pattern):
    """The first executable file matching the glob `pattern`, or None."""
    for path in sorted(glob.glob(pattern)):
        if os.access(path, os.X_OK):
            return path
    return None


def centre(extents):
    x, y, w, h = extents
    return x + w // 2, y + h // 2


class XNotifier:
    """A GTK notification server (xfce4-notifyd, notification-daemon) on its own Xvfb: its windows
    read from the AT-SPI accessibility tree (atspi_windows.py: labels, buttons and icons with their
    places on screen), clicked with xdotool where the tree says a button is, photographed with
    ImageMagick's import."""

    def __init__(self, test, server, app_name, proc, display, env):
        self.test = test
        self.server = server
        self.app_name = app_name
        self.proc = proc
        self.display = display
        self.env = env

    def windows(self):
        """The server's windows on screen, or None while it is not on the accessibility bus (or a
        window closed while the tree was read: ask again)."""
        res = subprocess.run([PYTHON, ATSPI_WINDOWS, self.app_name], env=self.env,
                             capture_output=True, text=True, timeout=TIMEOUT)
        if res.returncode in (1, 3):
            return None
        if res.returncode != 0:
            raise AssertionError("atspi_windows.py failed (%d): %s" % (res.returncode, res.stderr))
        return json.loads(res.stdout)

    def window_titled(self, title):
        """The window on screen that shows `title` as a label of its own, or None."""
        for window in self.windows() or []:
            if any(label["text"] == title for label in window["labels"]):
                return window
        return None

    def describe(self):
        return "%s's windows: %r\n%s" % (self.server, self.windows(), self.test.report_all())

    def wait_window(self, title, timeout=None):
        return wait_until(lambda: self.window_titled(title), timeout,
                          "%s to show a notification titled %r" % (self.server, title),
                          self.describe)

    def wait_gone(self, title, timeout=None, what=""):
        wait_until(lambda: self.windows() is not None and self.window_titled(title) is None,
                   timeout, "%s to take down the notification titled %r%s" % (
                       self.server, title, (" " + what) if what else ""), self.describe)

    def xdotool(self, *args):
        res = subprocess.run(["xdotool"] + [str(a) for a in args], env=self.env,
                             capture_output=True, text=True, timeout=TIMEOUT)
        if res.returncode != 0:
            raise AssertionError("xdotool %s failed (%d): %s" % (
                " ".join(str(a) for a in args), res.returncode, res.stderr))

    def click(self, extents):
        """A real click (XTest) in the middle of `extents`, as a person would."""
        x, y = centre(extents)
        # No --sync: it waits for the pointer to move, forever when it is already there. The X server
        # handles XTest's motion and click in order, so the click lands where the motion went.
        self.xdotool("mousemove", x, y, "click", "1")

    def park_pointer(self):
        """The pointer to the bottom left corner, away from notifications (a server may keep a
        notification up while the pointer is over it)."""
        self.xdotool("mousemove", 0, 599)

    def screenshot(self, path):
        """The whole screen as a PNG at `path`; returns it as a Picture."""
        res = subprocess.run(["import", "-display", self.display, "-window", "root", path],
                             env=self.env, capture_output=True, text=True, timeout=TIMEOUT)
        if res.returncode != 0:
            raise AssertionError("import -window root failed (%d): %s" % (res.returncode,
                                                                          res.stderr))
        return Picture.load(path)


class Picture:
    """An image's RGB pixels (read with GdkPixbuf, from python3-gi), for looking at screenshots."""

    def __init__(self, pixbuf, name):
        self.name = name
        self.width, self.height = pixbuf.get_width(), pixbuf.get_height()
        self.channels = pixbuf.get_n_channels()
        self.alpha = pixbuf.get_has_alpha()
        self.stride = pixbuf.get_rowstride()
        self.data = pixbuf.get_pixels()

    @staticmethod
    def _pixbuf():
        import warnings
        with warnings.catch_warnings():  # gi's importer predates Python 3.11's exec_module
            warnings.simplefilter("ignore", ImportWarning)
            import gi
            gi.require_version("GdkPixbuf", "2.0")
            from gi.repository import GdkPixbuf
        return GdkPixbuf

    @classmethod
    def load(cls, path, size=None):
        """A PNG, or an SVG drawn at `size` (w, h) the way a GTK server draws an icon."""
        pixbuf_cls = cls._pixbuf().Pixbuf
        pixbuf = (pixbuf_cls.new_from_file(path) if size is None
                  else pixbuf_cls.new_from_file_at_size(path, size[0], size[1]))
        return cls(pixbuf, path)

    def pixel(self, x, y):
        """(r, g, b, a) at (x, y); a is 255 where the image has no alpha."""
        at = y * self.stride + x * self.channels
        px = self.data[at:at + self.channels]
        return (px[0], px[1], px[2], px[3] if self.alpha else 255)

    def pixels(self, extents=None):
        """Every (r, g, b, a) inside extents [x, y, w, h] (clipped to the image), or the whole."""
        x, y, w, h = extents or (0, 0, self.width, self.height)
        for yy in range(max(0, y), min(self.height, y + h)):
            for xx in range(max(0, x), min(self.width, x + w)):
                yield self.pixel(xx, yy)


def colour_distance(a, b):
    """The largest difference of the red, green and blue parts of two colours."""
    return max(abs(a[i] - b[i]) for i in range(3))


def most_common_colour(pixels):
    counts = {}
    for p in pixels:
        counts[p[:3]] = counts.get(p[:3], 0) + 1
    return max(counts, key=counts.get)


def icon_seen(shot, area, background, icon_svg):
    """Whether the screenshot `shot` shows the icon drawn from `icon_svg` in `area` [x, y, w, h] on a
    notification whose background colour is `background`: the icon, drawn here the way a GTK server
    draws it (GdkPixbuf, as large as the area allows) over that background, matches the screen pixel
    by pixel at its best place in the area. A theme's generic icon, a placeholder or an empty box
    differ by far more. Returns (seen, what was measured)."""
    x, y, w, h = area
    if w < 8 or h < 8 or x < 0 or y < 0 or x + w > shot.width or y + h > shot.height:
        return False, "no icon area on screen (%r)" % (area,)
    size = min(w, h)
    icon = Picture.load(icon_svg, (size, size))
    # The icon over the notification's background, as the server composes it.
    drawn = []
    for p in icon.pixels():
        a = p[3] / 255.0
        drawn.append(tuple(p[i] * a + background[i] * (1 - a) for i in range(3)))
    best = None
    for dy in range(0, h - icon.height + 1):
        for dx in range(0, w - icon.width + 1):
            total, i = 0.0, 0
            for yy in range(icon.height):
                for xx in range(icon.width):
                    screen = shot.pixel(x + dx + xx, y + dy + yy)
                    want = drawn[i]
                    total += abs(screen[0] - want[0]) + abs(screen[1] - want[1]) + abs(screen[2] - want[2])
                    i += 1
            diff = total / (3.0 * icon.width * icon.height)
            if best is None or diff < best[0]:
                best = (diff, dx, dy)
    diff, dx, dy = best
    measured = ("%s drawn at %dx%d differs from the screen at (%d,%d) by %.1f per colour part on "
                "average (at most 16 is the icon)" % (os.path.basename(icon_svg), icon.width,
                                                      icon.height, x + dx, y + dy, diff))
    return diff <= 16, measured


class LimberTestCase(unittest.TestCase):
    """Base class: a scratch directory, a clean environment, and process
    bookkeeping that always cleans up."""

    maxDiff = None

    def setUp(self):
        super().setUp()
        self.tmp = tempfile.mkdtemp(prefix="limber-e2e-", dir="/tmp")
        self.addCleanup(self._remove_tmp)
        self.procs = []
        self.bus = None
        self.addCleanup(self._stop_everything)
        home = os.path.join(self.tmp, "home")
        runtime = os.path.join(self.tmp, "run")
        for d in (home, runtime, os.path.join(self.tmp, "config"),
                  os.path.join(self.tmp, "state"), os.path.join(self.tmp, "xdg")):
            os.makedirs(d, mode=0o700, exist_ok=True)
        # Built from scratch: no DISPLAY, no session bus, no user profile
        # unless the test adds them.
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
            "HOME": home,
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "XDG_RUNTIME_DIR": runtime,
            "XDG_CONFIG_HOME": os.path.join(self.tmp, "config"),
            "XDG_CONFIG_DIRS": os.path.join(self.tmp, "xdg"),
            "XDG_STATE_HOME": os.path.join(self.tmp, "state"),
            "XDG_DATA_HOME": os.path.join(self.tmp, "data"),
            "XDG_CACHE_HOME": os.path.join(self.tmp, "cache"),
            "NO_AT_BRIDGE": "1",
        }
        for keep in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "G_DEBUG",
                     "G_MESSAGES_DEBUG"):
            if keep in os.environ:
                self.env[keep] = os.environ[keep]

    # -- cleanup ----------------------------------------------------------
    def _failed(self):
        outcome = getattr(self, "_outcome", None)
        return outcome is not None and not getattr(outcome, "success", True)

    def _stop_everything(self):
        failed = self._failed()
        # Our own connection goes first, so it never sees its bus vanish.
        if self.bus is not None:
            try:
                self.bus.close()
            except Exception:
                pass
            self.bus = None
        # Newest first: limberd before its servers, servers before the bus.
        for proc in reversed(self.procs):
            proc.stop()
        if failed:
            sys.stderr.write("\n==== logs of %s (tmp %s)\n" % (self.id(), self.tmp))
            for proc in self.procs:
                sys.stderr.write(proc.report())
            sys.stderr.write("==== end of logs\n")

    def _remove_tmp(self):
        if os.environ.get("LIMBER_E2E_KEEP"):
            sys.stderr.write("\n(kept %s)\n" % self.tmp)
            return
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- processes --------------------------------------------------------
    def spawn(self, name, argv, env=None, pass_fds=(), cls=Proc, user=None):
        taken = {p.name for p in self.procs}
        unique, n = name, 1
        while unique in taken:
            n += 1
            unique = "%s-%d" % (name, n)
        proc = cls(unique, argv, self.env if env is None else env, self.tmp, pass_fds, user=user)
        self.procs.append(proc)
        return proc

    def report_all(self):
        return "".join(p.report() for p in self.procs)

    # -- D-Bus ------------------------------------------------------------
    def spawn_bus(self, config=SESSION_CONF, name="dbus-daemon", user=None):
        """A dbus-daemon with this configuration on a socket in the test's directory (as `user`
        when given: a bus lets in only its own user); its address."""
        proc = self.spawn(name, [
            "dbus-daemon", "--config-file=" + config,
            "--address=unix:dir=" + self.tmp, "--print-address=1",
            "--nofork", "--nopidfile", "--nosyslog"], user=user)

        def address():
            if not proc.alive():
                raise AssertionError("%s exited\n%s" % (name, proc.report()))
            text = proc.stdout()
            return text.splitlines()[0].strip() if text.endswith("\n") else None
        return wait_until(address, what="%s to print its address" % name, detail=proc.report)

    def start_bus(self):
        """A private session bus; sets DBUS_SESSION_BUS_ADDRESS in self.env."""
        addr = self.spawn_bus()
        self.bus_address = addr
        self.env["DBUS_SESSION_BUS_ADDRESS"] = addr
        self.bus = dbus.bus.BusConnection(addr)
        return addr

    def without_system_bus(self):
        """No system bus for limberd, whatever the host has: no logind, so presence is never known."""
        self.env["DBUS_SYSTEM_BUS_ADDRESS"] = "unix:path=" + os.path.join(self.tmp, "no-system-bus")

    def name_owner(self, name):
        """Unique name owning `name` on the test bus, or None."""
        try:
            return str(self.bus.get_name_owner(name))
        except dbus.exceptions.DBusException as exc:
            if exc.get_dbus_name() == "org.freedesktop.DBus.Error.NameHasNoOwner":
                return None
            raise

    def wait_name(self, name, owned=True, timeout=None, detail=None):
        what = "%s to %s on the bus" % (name, "be owned" if owned else "be released")
        if owned:
            return wait_until(lambda: self.name_owner(name), timeout, what,
                              detail or self.report_all)
        wait_until(lambda: self.name_owner(name) is None, timeout, what,
                   detail or self.report_all)
        return None

    # -- notification servers ---------------------------------------------
    def start_mock_server(self, caps=None):
        """dbusmock's notification_daemon template; caps None = the
        template's defaults (which include body-markup but not actions)."""
        argv = [PYTHON, "-m", "dbusmock", "--template", "notification_daemon"]
        if caps is not None:
            argv += ["-p", json.dumps({"capabilities": " ".join(caps)})]
        log = os.path.join(self.tmp, "mock-calls-%d.log" % len(self.procs))
        argv += ["-l", log]
        proc = self.spawn("mock-notify", argv)

        def owner():
            if not proc.alive():
                raise AssertionError("the mock notification server exited\n" + proc.report())
            return self.name_owner(NOTIFICATIONS_NAME)
        unique = wait_until(owner, what="the mock notification server to own "
                            + NOTIFICATIONS_NAME, detail=self.report_all)
        return MockServer(self, proc, unique, caps)

    def start_xvfb(self, size="800x600"):
        """Xvfb on a free display (it picks one and tells it through -displayfd);
        returns (its process, ":N")."""
        rfd, wfd = os.pipe()
        try:
            xvfb = self.spawn("Xvfb", ["Xvfb", "-displayfd", str(wfd), "-nolisten", "tcp",
                                       "-screen", "0", size + "x24", "-noreset"],
                              pass_fds=(wfd,))
        finally:
            os.close(wfd)
        buf = b""
        deadline = time.monotonic() + TIMEOUT
        try:
            while not buf.endswith(b"\n"):
                left = deadline - time.monotonic()
                if left <= 0 or not xvfb.alive():
                    raise AssertionError("Xvfb did not report its display within %.1f s\n%s"
                                         % (TIMEOUT, xvfb.report()))
                ready, _, _ = select.select([rfd], [], [], min(left, POLL))
                if ready:
                    chunk = os.read(rfd, 64)
                    if not chunk:
                        raise AssertionError("Xvfb closed -displayfd without a display\n"
                                             + xvfb.report())
                    buf += chunk
        finally:
            os.close(rfd)
        return xvfb, ":" + buf.decode().strip()

    def wait_notification_server(self, proc, what):
        """`proc` (a notification server) owns org.freedesktop.Notifications on the test bus."""
        def owner():
            if not proc.alive():
                raise AssertionError("%s exited\n%s" % (what, proc.report()))
            return self.name_owner(NOTIFICATIONS_NAME)
        return wait_until(owner, what=what + " to own " + NOTIFICATIONS_NAME,
                          detail=self.report_all)

    def start_dunst(self):
        """Xvfb on a free display, then dunst with tests/e2e/dunstrc."""
        xvfb, display = self.start_xvfb()
        env = dict(self.env, DISPLAY=display)
        proc = self.spawn("dunst", ["dunst", "-config", DUNSTRC], env=env)
        self.wait_notification_server(proc, "dunst")
        return Dunst(self, xvfb, proc, display)

    def start_x_notifier(self, server):
        """A GTK notification server (a key of X_NOTIFIERS) on its own Xvfb, with the AT-SPI
        accessibility bus on the test's session bus so its windows and buttons can be found as a
        screen reader finds them. Skips the test when the server is not installed."""
        program, app_name, package = X_NOTIFIERS[server]
        binary = find_program(program)
        if binary is None:
            raise unittest.SkipTest("%s is not installed (Debian package %s; scripts/setup-debian.sh "
                                    "--test installs it)" % (server, package))
        for tool, pkg in (("xdotool", "xdotool"), ("import", "imagemagick"),
                          (AT_SPI_BUS_LAUNCHER, "at-spi2-core")):
            if shutil.which(tool) is None:
                self.fail("%s is missing (Debian package %s; scripts/setup-debian.sh --test)"
                          % (tool, pkg))
        xvfb, display = self.start_xvfb()
        # The accessibility bridge is on for these processes only (LimberTestCase's environment
        # turns it off for everything else).
        env = dict(self.env, DISPLAY=display)
        env.pop("NO_AT_BRIDGE", None)
        atspi = self.spawn("at-spi-bus", [AT_SPI_BUS_LAUNCHER, "--launch-immediately"], env=env)
        self.wait_name("org.a11y.Bus", detail=self.report_all)
        proc = self.spawn(server, [binary], env=env)
        self.wait_notification_server(proc, server)
        notifier = XNotifier(self, server, app_name, proc, display, env)
        wait_until(lambda: notifier.windows() is not None,
                   what="%s to join the accessibility bus" % server, detail=self.report_all)
        return notifier

    # -- limberd ----------------------------------------------------------
    def write_profile(self, text=FAST_PROFILE, name="profile.toml"):
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def write_own_profile(self, text=FAST_PROFILE):
        """The person's own profile, $XDG_CONFIG_HOME/limber/profile.toml: a limberd on it keeps its
        state and history in $XDG_STATE_HOME/limber (any other profile's go under profiles/)."""
        path = os.path.join(self.env["XDG_CONFIG_HOME"], "limber", "profile.toml")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def limberd_argv(self, profile=None, args=()):
        argv = [LIMBERD]
        if profile is not None:
            argv += ["--profile", profile]
        if LOG_LEVEL and not any(a.startswith("--log-level") for a in args):
            argv += ["--log-level", LOG_LEVEL]
        return argv + list(args)

    def start_limberd(self, profile=None, args=(), env=None, name="limberd"):
        if not os.access(LIMBERD, os.X_OK):
            self.fail("limberd binary not found or not executable: %s (set LIMBERD)" % LIMBERD)
        return self.spawn(name, self.limberd_argv(profile, args), env=env, cls=Limberd)

    def wait_ready(self, limberd, own_name=True):
        """limberd logged `ready` and (on a bus) owns org.limber.Limber1."""
        limberd.wait_line(r"\bready\b", what="limberd to log `ready`")
        if own_name:
            self.wait_name(LIMBER_NAME, detail=limberd.report)

    def run_limberd(self, args, env=None, timeout=None):
        """Run limberd to completion (for --version, --check, ...)."""
        if not os.access(LIMBERD, os.X_OK):
            self.fail("limberd binary not found or not executable: %s (set LIMBERD)" % LIMBERD)
        proc = self.spawn("limberd-run", [LIMBERD] + list(args), env=env)
        proc.wait_exit(timeout, "`limberd %s` to finish" % " ".join(args))
        return proc

    def ctl(self, *args, env=None, timeout=None):
        """Run limberctl to completion; returns the CompletedProcess (text)."""
        if not os.access(LIMBERCTL, os.X_OK):
            self.fail("limberctl binary not found or not executable: %s (set LIMBERCTL)" % LIMBERCTL)
        return subprocess.run([LIMBERCTL] + list(args), env=self.env if env is None else env,
                              capture_output=True, text=True,
                              timeout=TIMEOUT if timeout is None else timeout)

    def ctl_ok(self, *args):
        """limberctl ARGS, which must exit 0; its output (desktop.py's runs it as the desktop's user)."""
        res = self.ctl(*args)
        self.assertEqual(res.returncode, 0, "limberctl %s failed (%d): %s%s\n%s" % (
            " ".join(args), res.returncode, res.stdout, res.stderr, self.report_all()))
        return res.stdout

    def day_totals(self):
        """`limberctl --json stats`, summed over its days: ({name: {outcome: n}}, water_ml)."""
        totals, water = {}, 0
        for day in json.loads(self.ctl_ok("--json", "stats"))["days"]:
            water += day.get("water_ml", 0)
            for name, counts in day["reminders"].items():
                into = totals.setdefault(name, {})
                for key, n in counts.items():
                    into[key] = into.get(key, 0) + n
        return totals, water

    def wait_counted(self, name, outcome, count=1):
        """`stats` counts `count` `outcome`s for reminder `name`; returns its counts."""
        last = {}

        def check():
            last["t"] = self.day_totals()
            counts = last["t"][0].get(name, {})
            return counts if counts.get(outcome, 0) >= count else None
        return wait_until(check, what="stats to count %d %r for %s" % (count, outcome, name),
                          detail=lambda: "last stats: %r\n%s" % (last.get("t"), self.report_all()))

    def assert_show(self, show, names, title, message=None):
        """A `show` log line names these reminders with this title (and,
        when given, carries the message too)."""
        self.assertEqual(show.names, names, show.line.text)
        self.assertTrue(show.has_title(title),
                        "expected title %r in %r" % (title, show.line.text))
        if message is not None:
            self.assertIn(message, show.text, show.line.text)

    def assert_alive(self, proc, why=""):
        if not proc.alive():
            self.fail("%s is not running%s\n%s" % (proc.name, (" " + why) if why else "",
                                                  proc.report()))

    def cpu_seconds(self, proc):
        """User + system CPU time of a live process, from /proc."""
        with open("/proc/%d/stat" % proc.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) / ticks
