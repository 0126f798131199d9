"""KDE Plasma 5.27 for the suite: plasmashell with its default desktop layout (the panel at the
bottom with the system tray, whose notifications applet holds Plasma's notification server) as an
ordinary user (desktop.py) on a private session bus, under Xvfb with Qt's software renderer;
test_plasma.py (notifications) and tray_hosts.py (the system tray as a StatusNotifierItem host)
build on it.

Plasma is started the way a Plasma session starts what it needs, minus the session manager: the
accessibility bus (at-spi-bus-launcher) and kactivitymanagerd, which a login gets by D-Bus
activation (the test's bus activates nothing), kded5 when the test needs it (KDED: Plasma's
daemon of modules, one of which, statusnotifierwatcher, is the org.kde.StatusNotifierWatcher;
startplasma starts kded5 before the shell), then `plasmashell`.

plasmashell's windows are read as a screen reader reads them, from Qt's AT-SPI tree
(QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1, atspi_windows.py); clicks are real (xdotool), screenshots are
ImageMagick's import of the X screen.

Skipped where plasmashell or its pieces are not installed (Debian: plasma-desktop plasma-workspace
kactivitymanagerd) or plasmashell cannot start, with the reason; with LIMBER_REQUIRE_DESKTOPS=1
(the CI root) those are failures."""

import json
import os
import shutil

from desktop import DesktopTestCase, require_desktops
from harness import AT_SPI_BUS_LAUNCHER, ATSPI_WINDOWS, PYTHON, Picture, centre, find_program, wait_until

# Debian keeps it in the multiarch libexec directory.
KACTIVITYMANAGERD = find_program("/usr/lib/*/libexec/kactivitymanagerd")
# The shell package of Plasma's desktop (Debian package plasma-desktop): the default layout, with
# the panel and its system tray, which holds the notifications applet.
SHELL_PACKAGE = "/usr/share/plasma/shells/org.kde.plasma.desktop"
SCREEN = (1024, 768)
# Starting plasmashell takes a few seconds, more on a loaded machine.
SHELL_TIMEOUT = 90

MISSING = [p for p in ("plasmashell", "xdotool", "import", "gdbus") if not shutil.which(p)] + \
    [p for p in (SHELL_PACKAGE, AT_SPI_BUS_LAUNCHER) if not os.path.exists(p)] + \
    ([] if KACTIVITYMANAGERD else ["kactivitymanagerd"])


class PlasmaCannotStart(AssertionError):
    """plasmashell (or kded5) exited during start-up."""


class PlasmaTestCase(DesktopTestCase):
    """plasmashell of the test's user on Xvfb, its panel on screen and its notification server on
    the bus when setUp returns (self.shell; self.kded with KDED)."""

    # Start kded5 before plasmashell, as a Plasma session does: the system tray applet asks it to
    # load its statusnotifierwatcher module (the org.kde.StatusNotifierWatcher).
    KDED = False

    def setUp(self):
        super().setUp()
        missing = MISSING + ([] if not self.KDED or shutil.which("kded5") else ["kded5"])
        if missing:
            message = ("needs KDE Plasma 5.27 (Debian: plasma-desktop plasma-workspace kactivitymanagerd "
                       "kded5 at-spi2-core xdotool imagemagick); missing: %s" % ", ".join(missing))
            self.desktop_missing(message)
        self.xvfb, self.display = self.start_xvfb("%dx%d" % SCREEN)
        self.env.update(DISPLAY=self.display, XDG_CURRENT_DESKTOP="KDE", XDG_SESSION_DESKTOP="KDE",
                        XDG_SESSION_TYPE="x11", KDE_FULL_SESSION="true", KDE_SESSION_VERSION="5")
        self.start_user_bus()
        # Plasma's environment: X11 through xcb, Qt Quick's software renderer (no GPU), and Qt's
        # accessibility bridge on (LimberTestCase turns the bridge off for everything else).
        self.plasma_env = dict(self.env, QT_QPA_PLATFORM="xcb", QT_QUICK_BACKEND="software",
                               LIBGL_ALWAYS_SOFTWARE="1", QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1")
        self.plasma_env.pop("NO_AT_BRIDGE", None)
        # The reader of the accessibility tree, where the user can read it.
        self.atspi_windows = shutil.copy(ATSPI_WINDOWS, self.tmp)
        self.give(self.atspi_windows)
        atspi = self.spawn_as("at-spi-bus", [AT_SPI_BUS_LAUNCHER, "--launch-immediately"], env=self.plasma_env)
        self.wait_owned("org.a11y.Bus", atspi)
        activities = self.spawn_as("kactivitymanagerd", [KACTIVITYMANAGERD], env=self.plasma_env)
        self.wait_owned("org.kde.ActivityManager", activities)
        if self.KDED:
            self.kded = self.spawn_as("kded5", ["kded5"], env=self.plasma_env)
            self.wait_up(self.kded, lambda: self.name_owned("org.kde.kded5"), "kded5 to own org.kde.kded5")
        self.start_plasma()

    # -- Plasma -------------------------------------------------------------
    def wait_up(self, proc, up, what):
        """Waits (SHELL_TIMEOUT) until up(); a start-up failure of `proc` skips the test (fails with
        LIMBER_REQUIRE_DESKTOPS=1)."""
        def check():
            if not proc.alive():
                raise PlasmaCannotStart("%s exited during start-up\n%s" % (proc.name, proc.report()))
            return up()
        try:
            return wait_until(check, SHELL_TIMEOUT, what, self.report_all)
        except PlasmaCannotStart as exc:
            if require_desktops():
                raise
            self.skipTest("Plasma cannot start here: %s" % exc)

    def start_plasma(self):
        shell = self.spawn_as("plasmashell", ["plasmashell", "--no-respawn"], env=self.plasma_env)
        self.wait_up(shell, lambda: self.name_owned("org.freedesktop.Notifications"),
                     "plasmashell to own org.freedesktop.Notifications")
        self.shell = shell
        info = self.run_ok(["gdbus", "call", "--session", "--dest", "org.freedesktop.Notifications",
                            "--object-path", "/org/freedesktop/Notifications", "--method",
                            "org.freedesktop.Notifications.GetServerInformation"])
        self.assertTrue(info.startswith("('Plasma', 'KDE', '5."), info)
        # The panel is up (its launcher button is on the accessibility bus): popups are placed
        # against it, and a click reaches a popup only once the shell handles input.
        wait_until(lambda: any(b["name"] == "Application Launcher" for w in self.windows()
                               for b in w["buttons"]),
                   SHELL_TIMEOUT, "Plasma's panel to be on screen", self.describe)

    def windows(self):
        """plasmashell's windows on screen, read from the accessibility tree (atspi_windows.py),
        or [] while plasmashell is not (or the window closed while the tree was read)."""
        r = self.run_as([PYTHON, self.atspi_windows, "plasmashell"], env=self.plasma_env, text=True)
        if r.returncode in (1, 3):
            return []
        if r.returncode != 0:
            raise AssertionError("atspi_windows.py failed (%d): %s" % (r.returncode, r.stderr))
        return json.loads(r.stdout)

    def describe(self):
        return "plasmashell's windows: %r\n%s" % (self.windows(), self.report_all())

    def click(self, extents, button=1):
        """A real click (XTest) of `button` in the middle of `extents` [x, y, w, h], as a person would."""
        x, y = centre(extents)
        self.run_ok(["xdotool", "mousemove", str(x), str(y), "click", str(button)])

    def park_pointer(self):
        """The pointer away from the popups (Plasma keeps a popup up while the pointer is on it)."""
        self.run_ok(["xdotool", "mousemove", str(SCREEN[0] // 2), "10"])

    def screenshot(self, name):
        """The whole X screen, kept as NAME.png in the test's directory: (its path, a Picture)."""
        path = os.path.join(self.tmp, name + ".png")
        # Compressed fast (-quality 10: zlib level 1, no filter): at import's default the photograph
        # of Plasma's wallpaper takes seconds to compress on a loaded machine (7 s on two busy cores).
        self.run_ok(["import", "-display", self.display, "-window", "root", "-quality", "10", path])
        return path, Picture.load(path)
