"""Prints, as one JSON list, the windows an application shows, read from the AT-SPI
accessibility tree: what a screen reader (and a person) finds there.

  atspi_windows.py APP_NAME

Each window: {"role", "extents": [x, y, w, h], "labels": [{"text", "extents"}],
"texts": [{"text", "extents"}] (read-only text areas), "buttons": [{"name", "description",
"extents"}], "icons": [[x, y, w, h], ...]},
in screen coordinates; only what is showing. Run by harness.py's XNotifier with
the test's environment (DISPLAY, DBUS_SESSION_BUS_ADDRESS): libatspi reads the
session bus from the environment once per process, so each test's private bus
needs a process of its own. Exit status 3 when the application is not (or no
longer) on the accessibility bus, 1 on anything else.
"""

import json
import sys

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi, GLib  # noqa: E402


def extents(acc):
    e = acc.get_extents(Atspi.CoordType.SCREEN)
    return [e.x, e.y, e.width, e.height]


def showing(acc):
    return acc.get_state_set().contains(Atspi.StateType.SHOWING)


def collect(acc, window):
    for i in range(acc.get_child_count()):
        child = acc.get_child_at_index(i)
        if child is None or not showing(child):
            continue
        role = child.get_role()
        if role == Atspi.Role.LABEL:
            window["labels"].append({"text": child.get_name(), "extents": extents(child)})
        elif role == Atspi.Role.PUSH_BUTTON:
            window["buttons"].append({"name": child.get_name(),
                                      "description": child.get_description(),
                                      "extents": extents(child)})
        elif role in (Atspi.Role.ICON, Atspi.Role.IMAGE):
            window["icons"].append(extents(child))
        elif role == Atspi.Role.TEXT:
            # Read-only text a person reads: Plasma draws a notification's body as a selectable text.
            text = child.get_text_iface()
            content = text.get_text(0, text.get_character_count()) if text is not None else child.get_name()
            window["texts"].append({"text": content, "extents": extents(child)})
        collect(child, window)


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: atspi_windows.py APP_NAME\n")
        return 2
    desktop = Atspi.get_desktop(0)
    for i in range(desktop.get_child_count()):
        app = desktop.get_child_at_index(i)
        if app is None or app.get_name() != sys.argv[1]:
            continue
        windows = []
        for j in range(app.get_child_count()):
            top = app.get_child_at_index(j)
            if top is None or not showing(top):
                continue
            window = {"role": top.get_role_name(), "extents": extents(top), "labels": [],
                      "texts": [], "buttons": [], "icons": []}
            collect(top, window)
            windows.append(window)
        json.dump(windows, sys.stdout)
        return 0
    sys.stderr.write("%s is not on the accessibility bus\n" % sys.argv[1])
    return 3


if __name__ == "__main__":
    try:
        sys.exit(main())
    except GLib.Error as exc:  # the tree changed under us: a window closed
        sys.stderr.write("reading the accessibility tree failed: %s\n" % exc)
        sys.exit(1)
