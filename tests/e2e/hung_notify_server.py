"""A notification server that accepts Notify and never answers it.

It owns org.freedesktop.Notifications on the session bus, answers
GetCapabilities and GetServerInformation at once (so a client sees a normal
server with buttons), and keeps every Notify call open forever. Each Notify
received is printed as one line "notify SUMMARY" on stdout (flushed), so a
test can see that the calls arrived.

Run: /usr/bin/python3 hung_notify_server.py   (with DBUS_SESSION_BUS_ADDRESS set)
"""

import sys

from gi.repository import Gio, GLib

XML = """
<node>
  <interface name="org.freedesktop.Notifications">
    <method name="GetCapabilities"><arg type="as" direction="out"/></method>
    <method name="GetServerInformation">
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
    </method>
    <method name="Notify">
      <arg type="s" direction="in"/><arg type="u" direction="in"/>
      <arg type="s" direction="in"/><arg type="s" direction="in"/>
      <arg type="s" direction="in"/><arg type="as" direction="in"/>
      <arg type="a{sv}" direction="in"/><arg type="i" direction="in"/>
      <arg type="u" direction="out"/>
    </method>
    <method name="CloseNotification"><arg type="u" direction="in"/></method>
    <signal name="ActionInvoked"><arg type="u"/><arg type="s"/></signal>
    <signal name="NotificationClosed"><arg type="u"/><arg type="u"/></signal>
  </interface>
</node>
"""

held = []  # invocations never answered (kept so they are not finalized)


def on_call(_conn, _sender, _path, _iface, method, params, invocation):
    if method == "GetCapabilities":
        invocation.return_value(GLib.Variant("(as)", (["body", "actions"],)))
    elif method == "GetServerInformation":
        invocation.return_value(GLib.Variant("(ssss)", ("hung", "limber tests", "1", "1.2")))
    elif method == "Notify":
        held.append(invocation)
        print("notify %s" % params.unpack()[3], flush=True)
    else:
        held.append(invocation)  # CloseNotification hangs too


def main():
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    node = Gio.DBusNodeInfo.new_for_xml(XML)
    bus.register_object("/org/freedesktop/Notifications", node.interfaces[0], on_call, None, None)
    reply = bus.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                          "RequestName", GLib.Variant("(su)", ("org.freedesktop.Notifications", 4)),
                          GLib.VariantType("(u)"), Gio.DBusCallFlags.NONE, -1, None)
    if reply.unpack()[0] != 1:
        sys.exit("could not own org.freedesktop.Notifications")
    print("ready", flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
