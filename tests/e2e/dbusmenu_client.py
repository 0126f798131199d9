"""A StatusNotifierItem's menu read and clicked the way a tray host does it, over
com.canonical.dbusmenu (for tray_hosts.py; run as the session's user with Debian's interpreter,
python3-gi):

    dbusmenu_client.py ITEM layout          prints the item's menu as JSON: [{"id", "label",
                                            "visible", "enabled", "type"}...] (GetLayout of the
                                            whole tree on the item's Menu path, flattened)
    dbusmenu_client.py ITEM click LABEL     an Event "clicked" on the one visible, enabled item whose
                                            label starts with LABEL; prints that item as JSON

ITEM is the item's bus name (or NAME/OBJECT/PATH or NAME@/OBJECT/PATH as a watcher lists it); its
object path is /StatusNotifierItem unless given."""

import json
import sys
import time
import warnings

with warnings.catch_warnings():  # gi's importer predates Python 3.11's exec_module
    warnings.simplefilter("ignore", ImportWarning)
    import gi
    gi.require_version("Gio", "2.0")
    from gi.repository import Gio, GLib

MENU = "com.canonical.dbusmenu"


def call(bus, name, path, iface, method, args, reply):
    return bus.call_sync(name, path, iface, method, args, GLib.VariantType(reply) if reply else None,
                         Gio.DBusCallFlags.NONE, 5000, None).unpack()


def menu_of(bus, item):
    # NAME/PATH (Plasma's, XFCE's and Waybar's watchers) or NAME@/PATH (the AppIndicator extension's).
    name, _, path = item.replace("@/", "/", 1).partition("/")
    path = "/" + path if path else "/StatusNotifierItem"
    (menu,) = call(bus, name, path, "org.freedesktop.DBus.Properties", "Get",
                   GLib.Variant("(ss)", ("org.kde.StatusNotifierItem", "Menu")), "(v)")
    return name, menu


def flatten(node, into):
    item_id, props, children = node
    into.append({"id": item_id, "label": props.get("label", "").replace("__", "\0").replace("_", "")
                 .replace("\0", "_"), "visible": props.get("visible", True),
                 "enabled": props.get("enabled", True), "type": props.get("type", "standard")})
    for child in children:
        flatten(child, into)
    return into


def layout(bus, name, menu):
    _revision, root = call(bus, name, menu, MENU, "GetLayout", GLib.Variant("(iias)", (0, -1, [])), "(u(ia{sv}av))")
    return flatten(root, [])[1:]  # not the root itself


def main():
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    name, menu = menu_of(bus, sys.argv[1])
    items = layout(bus, name, menu)
    if sys.argv[2] == "layout":
        print(json.dumps(items))
    elif sys.argv[2] == "click":
        hits = [i for i in items if i["visible"] and i["enabled"] and i["label"].startswith(sys.argv[3])]
        if len(hits) != 1:
            raise SystemExit("no single visible, enabled item %r in the menu: %r" % (sys.argv[3], items))
        call(bus, name, menu, MENU, "Event",
             GLib.Variant("(isvu)", (hits[0]["id"], "clicked", GLib.Variant("s", ""), int(time.time()) & 0xffffffff)),
             None)
        print(json.dumps(hits[0]))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
