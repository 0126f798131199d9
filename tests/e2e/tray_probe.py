"""Reads limber-tray from the outside, as a tray host does, for test_tray.py (run as the session's
user, with Debian's interpreter): prints one JSON object.

  tray_probe.py layout             the menu (com.canonical.dbusmenu GetLayout on the item's Menu):
                                   {"item": NAME, "owner": UNIQUE_NAME, "menu": [{"id", "label", "visible", "enabled", "type"}...],
                                    "icon": IconName, "tooltip": [title, body], "status": Status}
  tray_probe.py click LABEL        an Event "clicked" on the visible item whose label starts with LABEL
  tray_probe.py activate           the item's Activate (what a tray that ignores ItemIsMenu calls on a left click)
  tray_probe.py registered         the watcher's RegisteredStatusNotifierItems
"""

import json
import sys

import dbus

bus = dbus.SessionBus()


def item_name():
    names = [str(n) for n in bus.list_names() if str(n).startswith("org.kde.StatusNotifierItem-")]
    if len(names) != 1:
        raise SystemExit("expected one StatusNotifierItem on the bus, found %r" % names)
    return names[0]


def layout():
    name = item_name()
    item = bus.get_object(name, "/StatusNotifierItem", introspect=False)
    props = item.GetAll("org.kde.StatusNotifierItem", dbus_interface="org.freedesktop.DBus.Properties")
    menu = bus.get_object(name, str(props["Menu"]), introspect=False)
    _revision, (_root, _root_props, children) = menu.GetLayout(0, -1, dbus.Array([], signature="s"),
                                                               dbus_interface="com.canonical.dbusmenu")
    items = []
    for child in children:
        item_id, p, _sub = child
        items.append({"id": int(item_id), "label": str(p.get("label", "")).replace("__", "_"),
                      "visible": bool(p.get("visible", True)), "enabled": bool(p.get("enabled", True)),
                      "type": str(p.get("type", "standard"))})
    return {"item": name, "owner": str(bus.get_name_owner(name)), "menu": items, "icon": str(props["IconName"]), "status": str(props["Status"]),
            "tooltip": [str(props["ToolTip"][2]), str(props["ToolTip"][3])], "menu_path": str(props["Menu"])}


def main():
    what = sys.argv[1]
    if what == "layout":
        print(json.dumps(layout()))
    elif what == "click":
        state = layout()
        hits = [i for i in state["menu"] if i["visible"] and i["label"].startswith(sys.argv[2])]
        if len(hits) != 1:
            raise SystemExit("no single visible item %r in %r" % (sys.argv[2], state["menu"]))
        menu = bus.get_object(state["item"], state["menu_path"], introspect=False)
        menu.Event(hits[0]["id"], "clicked", dbus.String("", variant_level=1), dbus.UInt32(0),
                   dbus_interface="com.canonical.dbusmenu")
        print(json.dumps(hits[0]))
    elif what == "activate":
        item = bus.get_object(item_name(), "/StatusNotifierItem", introspect=False)
        item.Activate(0, 0, dbus_interface="org.kde.StatusNotifierItem")
        print(json.dumps(True))
    elif what == "registered":
        watcher = bus.get_object("org.kde.StatusNotifierWatcher", "/StatusNotifierWatcher", introspect=False)
        items = watcher.Get("org.kde.StatusNotifierWatcher", "RegisteredStatusNotifierItems",
                            dbus_interface="org.freedesktop.DBus.Properties")
        print(json.dumps([str(i) for i in items]))
    else:
        raise SystemExit(__doc__)


main()
