"""Real StatusNotifierItem hosts (tray hosts) for the suite, headless, as the desktop's ordinary user
on a private session bus (desktop.py):

  * XFCE: xfce4-panel 4.18 with its systray plugin (which hosts StatusNotifierItems: it owns
    org.kde.StatusNotifierWatcher itself) on Xvfb, its configuration a channel XML that xfconfd
    (started on the private bus) reads; photographed with ImageMagick's import, clicked with xdotool;
  * Ubuntu's GNOME: GNOME Shell 43 headless (gnome_shell.py) with Debian's
    gnome-shell-extension-appindicator (ubuntu-appindicators@ubuntu.com), which owns the watcher and
    draws each item in the top bar; photographed and clicked through the Shell itself;
  * Waybar's tray on a headless sway, photographed with grim (no clicks: no input devices there).
  * KDE Plasma 5.27: plasmashell with its default layout on Xvfb (plasma.py), whose panel at the
    bottom holds the system tray; the watcher is kded5's statusnotifierwatcher module, loaded when
    the system tray asks kded5 for it; photographed with import, clicked with xdotool.

An item is seen on screen by its colours: `find_colour` finds the box where a colour covers the
screen, in the strip where the host draws its items. sni_item.py is a tiny item of one known colour,
to prove a host on its own (tests/e2e/test_tray_hosts.py)."""

import json
import os
import re
import shutil

from desktop import DesktopTestCase
from gnome_shell import SCREEN, GnomeShellTestCase
from harness import LIMBER_TRAY, PYTHON, TIMEOUT, Picture, wait_until
from plasma import SCREEN as PLASMA_SCREEN
from plasma import PlasmaTestCase

HERE = os.path.dirname(os.path.abspath(__file__))
SNI_ITEM = os.path.join(HERE, "sni_item.py")
DBUSMENU_CLIENT = os.path.join(HERE, "dbusmenu_client.py")
WATCHER = "org.kde.StatusNotifierWatcher"
XFCONFD = "/usr/lib/x86_64-linux-gnu/xfce4/xfconf/xfconfd"
XFCE_SCREEN = (640, 480)
XFCE_PANEL_SIZE = 32
APPINDICATOR_UUID = "ubuntu-appindicators@ubuntu.com"
APPINDICATOR_DIR = "/usr/share/gnome-shell/extensions/" + APPINDICATOR_UUID
WAYBAR_HEIGHT = 30
# GNOME Shell's top bar is at most this high.
TOP_BAR = 40
# Plasma's default panel, at the bottom of the screen, is at most this high (44 pixels in 5.27).
PLASMA_PANEL = 48
# The AppIndicator extension's items in the top bar (Main.panel.statusArea "appindicator-…"), each with
# its menu as the Shell built it from the item's dbusmenu: whether it is open, and its entries shown,
# with their places on screen.
APPINDICATOR_MENUS_JS = """(() => {
    const Main = imports.ui.main;
    const place = a => {
        const [x, y] = a.get_transformed_position();
        const [w, h] = a.get_transformed_size();
        return { x: Math.round(x), y: Math.round(y), w: Math.round(w), h: Math.round(h) };
    };
    return Object.entries(Main.panel.statusArea)
        .filter(([key, button]) => key.startsWith('appindicator-') && button && button.menu)
        .map(([key, button]) => ({
            key, open: button.menu.isOpen, place: place(button),
            items: button.menu._getMenuItems().filter(i => i.label && i.mapped)
                .map(i => Object.assign({ label: i.label.text, sensitive: i.reactive }, place(i))),
        }));
})()"""

# One panel at the top, the whole width, holding only the systray plugin (it shows StatusNotifierItems
# and XEmbed icons alike). Without a channel of its own the panel would ask, in a dialog, which
# default layout to take.
XFCE_PANEL_XML = """<?xml version="1.0" encoding="UTF-8"?>
<channel name="xfce4-panel" version="1.0">
  <property name="configver" type="int" value="2"/>
  <property name="panels" type="array">
    <value type="int" value="1"/>
    <property name="dark-mode" type="bool" value="false"/>
    <property name="panel-1" type="empty">
      <property name="position" type="string" value="p=6;x=0;y=0"/>
      <property name="length" type="uint" value="100"/>
      <property name="position-locked" type="bool" value="true"/>
      <property name="size" type="uint" value="%d"/>
      <property name="icon-size" type="uint" value="24"/>
      <property name="background-style" type="uint" value="1"/>
      <property name="background-rgba" type="array">
        <value type="double" value="0"/><value type="double" value="0"/>
        <value type="double" value="0"/><value type="double" value="1"/>
      </property>
      <property name="plugin-ids" type="array">
        <value type="int" value="1"/>
      </property>
    </property>
  </property>
  <property name="plugins" type="empty">
    <property name="plugin-1" type="string" value="systray">
      <property name="square-icons" type="bool" value="false"/>
      <property name="icon-size" type="int" value="24"/>
    </property>
  </property>
</channel>
""" % XFCE_PANEL_SIZE


def find_colour(shot, colour, area=None, tolerance=24):
    """The bounding box [x, y, w, h] of the largest connected patch of pixels of `shot` (a Picture)
    within `tolerance` of `colour` in every channel, inside area [x, y, w, h] (the whole picture when
    None), and how many pixels it has; (None, 0) when there are none. (A patch, not every such
    pixel: the anti-aliased edges of text and other icons pass through many colours.)"""
    x0, y0, w, h = area or (0, 0, shot.width, shot.height)
    near = set()
    for y in range(max(0, y0), min(shot.height, y0 + h)):
        for x in range(max(0, x0), min(shot.width, x0 + w)):
            p = shot.pixel(x, y)
            if all(abs(p[i] - colour[i]) <= tolerance for i in range(3)):
                near.add((x, y))
    best = []
    while near:
        patch, todo = [], [near.pop()]
        while todo:
            x, y = todo.pop()
            patch.append((x, y))
            for n in ((x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)):
                if n in near:
                    near.remove(n)
                    todo.append(n)
        if len(patch) > len(best):
            best = patch
    if not best:
        return None, 0
    xs, ys = [p[0] for p in best], [p[1] for p in best]
    return [min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1], len(best)


def uses_limber_tray(test):
    """Marks a test that runs limber-tray: where it is not built, the test is skipped (failed with
    LIMBER_REQUIRE_DESKTOPS=1) before its host is started."""
    test.uses_limber_tray = True
    return test


class TrayHostTestCase(DesktopTestCase):
    """DesktopTestCase with a tray host to start and items to read from its watcher."""

    # Whether the host's items can be clicked here (click_at).
    CLICKS = True

    def setUp(self):
        if getattr(getattr(self, self._testMethodName), "uses_limber_tray", False) and \
                not os.path.exists(LIMBER_TRAY):
            message = "limber-tray is not built (%s; it needs Debian's libdbusmenu-glib-dev)" % LIMBER_TRAY
            self.desktop_missing(message)
        super().setUp()

    # -- items --------------------------------------------------------------
    def start_sni_item(self, colour, register_by="name", name="sni-item"):
        """sni_item.py showing a square of `colour` (r, g, b), registered by its bus name or its object
        path (register_by "name" or "path"); returns (its Proc, its bus name)."""
        item = self.spawn_as(name, [PYTHON, self.user_copy(SNI_ITEM), "%02x%02x%02x" % tuple(colour), register_by])

        def named():
            if not item.alive():
                raise AssertionError("%s exited\n%s" % (name, item.report()))
            return next((l.split()[1] for l in item.stdout().splitlines() if l.startswith("name ")), None)
        return item, wait_until(named, what="%s to own its bus name" % name, detail=self.report_all)

    def registered_items(self):
        """The watcher's RegisteredStatusNotifierItems (as the host knows them), or None while there
        is no watcher."""
        r = self.run_as(["gdbus", "call", "--session", "--dest", WATCHER, "--object-path",
                         "/StatusNotifierWatcher", "--method", "org.freedesktop.DBus.Properties.Get",
                         WATCHER, "RegisteredStatusNotifierItems"], text=True)
        if r.returncode != 0:
            return None
        # (<['org.kde.StatusNotifierItem-12-1', ':1.7/org/ayatana/...']>,) or (<@as []>,)
        return [s.strip().strip("'") for s in r.stdout.split("[", 1)[1].rsplit("]", 1)[0].split(",")
                if s.strip().strip("'")]

    def wait_registered(self, bus_name, what=None):
        """The watcher lists an item of `bus_name` (a well-known name, or the unique name of its
        owner: hosts list either, some with the object path after it: NAME/PATH, NAME@PATH); returns
        the entry."""
        owner = self.run_ok(["gdbus", "call", "--session", "--dest", "org.freedesktop.DBus",
                             "--object-path", "/org/freedesktop/DBus", "--method",
                             "org.freedesktop.DBus.GetNameOwner", bus_name]).strip().strip("(),'")
        last = {}

        def listed():
            last["items"] = self.registered_items()
            return next((i for i in last["items"] or []
                         if re.split(r"[/@]", i)[0] in (bus_name, owner)), None)
        return wait_until(listed, what=what or "the watcher to list %s (%s)" % (bus_name, owner),
                          detail=lambda: "RegisteredStatusNotifierItems: %r\n%s" % (
                              last.get("items"), self.report_all()))

    # -- limber-tray ----------------------------------------------------------
    def start_limber_tray(self):
        """limber-tray as the user (desktop.py's copy when the test runs as root); returns (its Proc,
        its item's bus name) once the watcher lists it. Tests that call it are marked @uses_limber_tray."""
        tray = self.spawn_as("limber-tray", [self.tray_path])
        name = "org.kde.StatusNotifierItem-%d-1" % tray.pid
        self.wait_owned(name, tray)
        return tray, self.wait_registered(name)

    def menu(self, item, *args):
        """dbusmenu_client.py ITEM ARGS as the user: the item's menu as a host reads it (layout) or
        a click on one of its entries (click LABEL); its JSON answer."""
        return json.loads(self.run_ok([PYTHON, self.user_copy(DBUSMENU_CLIENT), item] + list(args)))

    # -- XFCE ---------------------------------------------------------------
    def xfce_missing(self):
        return [p for p in ("xfce4-panel", "Xvfb", "xdotool", "import", "gdbus") if not shutil.which(p)] + \
            [p for p in (XFCONFD,) if not os.path.exists(p)]

    def start_xfce_panel(self):
        """Xvfb, xfconfd on the session bus (start_user_bus first) and xfce4-panel with its systray
        plugin at the top; sets DISPLAY. Skips (fails with LIMBER_REQUIRE_DESKTOPS=1) where it is not
        installed; waits until the systray owns the watcher."""
        missing = self.xfce_missing()
        if missing:
            message = ("needs xfce4-panel 4.18 on Xvfb (Debian: xfce4-panel xfconf xvfb xdotool "
                       "imagemagick libglib2.0-bin); missing: %s" % ", ".join(missing))
            self.desktop_missing(message)
        self.xvfb, self.display = self.start_xvfb("%dx%d" % XFCE_SCREEN)
        self.env["DISPLAY"] = self.display
        self.env["XDG_CURRENT_DESKTOP"] = "XFCE"
        self.env["XDG_SESSION_TYPE"] = "x11"
        self.write(os.path.join(self.env["XDG_CONFIG_HOME"], "xfce4", "xfconf", "xfce-perchannel-xml",
                                "xfce4-panel.xml"), XFCE_PANEL_XML)
        xfconfd = self.spawn_as("xfconfd", [XFCONFD])
        self.wait_owned("org.xfce.Xfconf", xfconfd)
        panel = self.spawn_as("xfce4-panel", ["xfce4-panel", "--disable-wm-check"])
        self.wait_owned(WATCHER, panel, timeout=max(TIMEOUT, 30))
        self.panel = panel
        return panel

    def x_screenshot(self, name):
        """The whole X screen as a Picture (also kept as NAME.png in the test's directory)."""
        path = os.path.join(self.tmp, name + ".png")
        self.run_ok(["import", "-display", self.display, "-window", "root", path])
        return Picture.load(path)

    def xdotool(self, *args):
        return self.run_ok(["xdotool"] + [str(a) for a in args])

    def wait_drawn(self, colour, name, shoot, strip, min_side=12, fill=0.6):
        """The box [x, y, w, h] where `colour` is drawn in `strip` [x, y, w, h] of the screen (where the
        host draws its items), once it is at least `min_side` pixels each way and mostly of that
        colour (a `fill` share of the box at least); shoot(name) takes a screenshot (a Picture), kept
        as NAME.png."""
        last = {}

        def drawn():
            box, count = find_colour(shoot(name), colour, strip)
            last["box"], last["count"] = box, count
            if box and box[2] >= min_side and box[3] >= min_side and count >= fill * box[2] * box[3]:
                return box
            return None
        return wait_until(drawn, what="the host to draw an icon of colour %r in %r" % (colour, strip),
                          detail=lambda: "last: box %r, %d pixels of it; screenshot %s\n%s" % (
                              last.get("box"), last.get("count", 0),
                              os.path.join(self.tmp, name + ".png"), self.report_all()))


class XfcePanelTestCase(TrayHostTestCase):
    """XFCE's panel on Xvfb, up when setUp returns."""

    def setUp(self):
        super().setUp()
        self.start_user_bus()
        self.start_xfce_panel()

    def wait_drawn_here(self, colour, name, **kw):
        """The box where the panel (the top strip) draws `colour`."""
        return self.wait_drawn(colour, name, self.x_screenshot, [0, 0, XFCE_SCREEN[0], XFCE_PANEL_SIZE], **kw)

    def click_at(self, box, button=1):
        """A real click (XTest) in the middle of `box`."""
        self.xdotool("mousemove", box[0] + box[2] // 2, box[1] + box[3] // 2, "click", button)

    def wait_menu_shown(self, name):
        """The box of the menu the panel pops up under itself (GTK's light menu over the black
        screen), once it is drawn; the screenshot kept as NAME.png."""
        last = {}

        def shown():
            shot = self.x_screenshot(name)
            last["box"], count = find_colour(shot, (255, 255, 255), [0, XFCE_PANEL_SIZE, XFCE_SCREEN[0],
                                                                     XFCE_SCREEN[1] - XFCE_PANEL_SIZE], 40)
            box = last["box"]
            return box if box and box[2] >= 60 and box[3] >= 60 and count >= 0.5 * box[2] * box[3] else None
        return wait_until(shown, what="the panel to show the item's menu",
                          detail=lambda: "last light patch: %r; screenshot %s\n%s" % (
                              last.get("box"), os.path.join(self.tmp, name + ".png"), self.report_all()))

    def choose_in_menu(self, entries, label):
        """In the menu on screen, the entry whose label starts with `label` chosen with the keyboard as
        a person may (Down to it, Return): `entries` is the item's menu (dbusmenu_client.py layout),
        whose top entries a GTK menu lists in order, skipping separators, hidden and disabled ones."""
        top = [e for e in entries if e["parent"] == 0 and e["visible"] and e["enabled"]
               and e["type"] != "separator"]
        at = next((i for i, e in enumerate(top) if e["label"].startswith(label)), None)
        if at is None:
            raise AssertionError("no enabled entry %r at the top of the menu: %r" % (label, entries))
        self.xdotool(*(["key"] + ["Down"] * (at + 1) + ["Return"]))


class AppIndicatorTestCase(TrayHostTestCase, GnomeShellTestCase):
    """GNOME Shell 43 with the AppIndicator extension, the way Ubuntu's GNOME shows tray items: up,
    the extension owning the watcher, when setUp returns. Skipped (failed with
    LIMBER_REQUIRE_DESKTOPS=1) without the extension or GNOME Shell (gnome_shell.py)."""

    EXTENSIONS = (APPINDICATOR_UUID,)

    def setUp(self):
        if not os.path.isdir(APPINDICATOR_DIR):
            message = ("needs Debian's gnome-shell-extension-appindicator (no %s)" % APPINDICATOR_DIR)
            self.desktop_missing(message)
        super().setUp()
        self.wait_owned(WATCHER, self.shell, timeout=max(TIMEOUT, 30))

    def shell_picture(self, name):
        return Picture(self.screenshot(name), os.path.join(self.tmp, name + ".png"))

    def wait_drawn_here(self, colour, name, **kw):
        """The box where the top bar draws `colour`."""
        return self.wait_drawn(colour, name, self.shell_picture, [0, 0, SCREEN[0], TOP_BAR], **kw)

    def click_at(self, box, button=1):
        """A click of the Shell's virtual pointer in the middle of `box`."""
        self.click({"x": box[0], "y": box[1], "w": box[2], "h": box[3]}, button)

    def indicator_menus(self):
        """The extension's items and their menus as the Shell shows them (APPINDICATOR_MENUS_JS)."""
        return self.eval_js(APPINDICATOR_MENUS_JS)

    def wait_menu_entry(self, label):
        """The entry of an open indicator menu whose label starts with `label`, once it is on screen:
        {label, sensitive, x, y, w, h}."""
        last = {}

        def shown():
            last["menus"] = self.indicator_menus()
            return next((i for m in last["menus"] if m["open"] for i in m["items"]
                         if i["label"].startswith(label) and (i["w"] or 0) > 0 and (i["h"] or 0) > 0), None)
        return wait_until(shown, what="the Shell to show a menu entry %r" % label,
                          detail=lambda: "indicators: %r\n%s" % (last.get("menus"), self.report_all()))


class WaybarTrayTestCase(TrayHostTestCase):
    """Waybar's tray module on a headless sway (desktop.py's start_sway; Waybar owns the watcher),
    up when setUp returns; photographed with grim. sway runs without input devices here: nothing
    clicks (test_waybar.py and the tray's own tests drive Waybar further)."""

    CLICKS = False

    def setUp(self):
        super().setUp()
        missing = [p for p in ("sway", "waybar", "grim") if not shutil.which(p)]
        if missing:
            message = "needs sway, waybar and grim (Debian packages of those names); missing: %s" % ", ".join(missing)
            self.desktop_missing(message)
        self.start_user_bus()
        self.start_sway()
        bar = self.write("waybar.json", '{"position": "top", "height": %d, "modules-right": ["tray"], '
                         '"tray": {"icon-size": 24}}' % WAYBAR_HEIGHT)
        waybar = self.spawn_as("waybar", ["waybar", "-c", bar, "-s", self.write(
            "style.css", "window#waybar { background: #000000; }\n")])
        self.wait_owned(WATCHER, waybar, timeout=max(TIMEOUT, 30))

    def grim_picture(self, name):
        path = os.path.join(self.tmp, name + ".png")
        self.run_ok(["grim", "-t", "png", path])
        return Picture.load(path)

    def wait_drawn_here(self, colour, name, **kw):
        """The box where the bar draws `colour`."""
        return self.wait_drawn(colour, name, self.grim_picture, [0, 0, 640, WAYBAR_HEIGHT], **kw)


class PlasmaTrayTestCase(TrayHostTestCase, PlasmaTestCase):
    """KDE Plasma 5.27's system tray (in the panel of plasmashell's default layout) with kded5 started
    before it, as a Plasma session does: up, kded5 owning the watcher, when setUp returns."""

    KDED = True

    def setUp(self):
        super().setUp()
        # The system tray applet asked kded5 to load its statusnotifierwatcher module.
        self.wait_owned(WATCHER, self.kded, timeout=max(TIMEOUT, 30))

    def wait_drawn_here(self, colour, name, **kw):
        """The box where the panel (the bottom strip) draws `colour`."""
        strip = [0, PLASMA_SCREEN[1] - PLASMA_PANEL, PLASMA_SCREEN[0], PLASMA_PANEL]
        return self.wait_drawn(colour, name, lambda n: self.screenshot(n)[1], strip, **kw)

    def click_at(self, box, button=1):
        """A real click (XTest) in the middle of `box`, the pointer then moved away: Plasma lightens an
        item under the pointer (and shows its tooltip), which changes the colours looked for."""
        self.click(box, button)
        self.park_pointer()


def item_calls(item):
    """The calls a host made on sni_item.py: [[METHOD, ARGS...], ...]."""
    return [l.split()[1:] for l in item.stdout().splitlines() if l.startswith("call ")]

