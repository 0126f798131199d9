"""A tiny StatusNotifierItem for proving a tray host on its own (tray_hosts.py), without limber:
exports org.kde.StatusNotifierItem at /StatusNotifierItem under the name
org.kde.StatusNotifierItem-PID-1, whose icon is a square of one known colour (IconPixmap, no
IconName: nothing to look up in a theme), and registers it with org.kde.StatusNotifierWatcher
whenever a watcher is there (again when one comes back).

    sni_item.py RRGGBB [name|path]

registers the item by its bus name (as KDE's KStatusNotifierItem and limber-tray do; the default)
or by its object path alone, the watcher taking the caller's unique name (as libappindicator does).

It prints one line to stdout for each thing a host does to it, flushed at once:
    name NAME               its bus name, once owned
    registered              the watcher accepted it
    refused MESSAGE         the watcher refused it
    call METHOD ARGS...     a host called Activate, SecondaryActivate, ContextMenu or Scroll
Run with Debian's interpreter (python3-gi)."""

import os
import sys
import warnings

with warnings.catch_warnings():  # gi's importer predates Python 3.11's exec_module
    warnings.simplefilter("ignore", ImportWarning)
    import gi
    gi.require_version("Gio", "2.0")
    from gi.repository import Gio, GLib

WATCHER = "org.kde.StatusNotifierWatcher"
PATH = "/StatusNotifierItem"
SIZE = 32

XML = """<node>
  <interface name="org.kde.StatusNotifierItem">
    <property name="Category" type="s" access="read"/>
    <property name="Id" type="s" access="read"/>
    <property name="Title" type="s" access="read"/>
    <property name="Status" type="s" access="read"/>
    <property name="WindowId" type="i" access="read"/>
    <property name="IconName" type="s" access="read"/>
    <property name="IconThemePath" type="s" access="read"/>
    <property name="IconPixmap" type="a(iiay)" access="read"/>
    <property name="OverlayIconName" type="s" access="read"/>
    <property name="AttentionIconName" type="s" access="read"/>
    <property name="AttentionIconPixmap" type="a(iiay)" access="read"/>
    <property name="ToolTip" type="(sa(iiay)ss)" access="read"/>
    <property name="ItemIsMenu" type="b" access="read"/>
    <property name="Menu" type="o" access="read"/>
    <method name="ContextMenu"><arg name="x" type="i" direction="in"/><arg name="y" type="i" direction="in"/></method>
    <method name="Activate"><arg name="x" type="i" direction="in"/><arg name="y" type="i" direction="in"/></method>
    <method name="SecondaryActivate"><arg name="x" type="i" direction="in"/><arg name="y" type="i" direction="in"/></method>
    <method name="Scroll"><arg name="delta" type="i" direction="in"/><arg name="orientation" type="s" direction="in"/></method>
    <signal name="NewIcon"/>
    <signal name="NewStatus"><arg name="status" type="s"/></signal>
  </interface>
</node>"""


def say(*words):
    print(" ".join(str(w) for w in words), flush=True)


def main():
    colour = bytes.fromhex(sys.argv[1])
    by_path = len(sys.argv) > 2 and sys.argv[2] == "path"
    # IconPixmap is ARGB32 in network byte order: alpha, red, green, blue.
    pixmap = GLib.Variant("a(iiay)", [(SIZE, SIZE, (b"\xff" + colour) * SIZE * SIZE)])
    empty = GLib.Variant("a(iiay)", [])
    props = {
        "Category": GLib.Variant("s", "ApplicationStatus"),
        "Id": GLib.Variant("s", "limber-e2e-item"),
        "Title": GLib.Variant("s", "limber e2e item"),
        "Status": GLib.Variant("s", "Active"),
        "WindowId": GLib.Variant("i", 0),
        "IconName": GLib.Variant("s", ""),
        "IconThemePath": GLib.Variant("s", ""),
        "IconPixmap": pixmap,
        "OverlayIconName": GLib.Variant("s", ""),
        "AttentionIconName": GLib.Variant("s", ""),
        "AttentionIconPixmap": empty,
        "ToolTip": GLib.Variant("(sa(iiay)ss)", ("", [], "limber e2e item", "")),
        "ItemIsMenu": GLib.Variant("b", False),
        # No menu of its own: a host's click is Activate (and a right click ContextMenu).
        "Menu": GLib.Variant("o", "/NO_DBUSMENU"),
    }
    name = "org.kde.StatusNotifierItem-%d-1" % os.getpid()
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    info = Gio.DBusNodeInfo.new_for_xml(XML).interfaces[0]

    def method_call(_conn, _sender, _path, _iface, method, params, invocation):
        say("call", method, *params.unpack())
        invocation.return_value(None)

    def get_property(_conn, _sender, _path, _iface, prop):
        return props[prop]

    bus.register_object(PATH, info, method_call, get_property, None)
    state = {"owned": False, "watcher": False}

    def register():
        if not (state["owned"] and state["watcher"]):
            return

        def done(conn, result):
            try:
                conn.call_finish(result)
                say("registered")
            except GLib.Error as exc:
                say("refused", exc.message)
        bus.call(WATCHER, "/StatusNotifierWatcher", WATCHER, "RegisterStatusNotifierItem",
                 GLib.Variant("(s)", (PATH if by_path else name,)), None, Gio.DBusCallFlags.NO_AUTO_START, -1, None, done)

    def acquired(_conn, owned):
        say("name", owned)
        state["owned"] = True
        register()

    def appeared(_conn, _name, _owner):
        state["watcher"] = True
        register()

    def vanished(_conn, _name):
        state["watcher"] = False

    Gio.bus_own_name_on_connection(bus, name, Gio.BusNameOwnerFlags.NONE, acquired, None)
    Gio.bus_watch_name_on_connection(bus, WATCHER, Gio.BusNameWatcherFlags.NONE, appeared, vanished)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
