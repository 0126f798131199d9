'''dbusmock's notification_daemon template, answering GetServerInformation with
the server name given as the parameter "name" (default "mock-notify"), so that
tests/adapters/DesktopNotifierTest.cpp sees what limberd sends to each server
(gnome-shell, Plasma, dunst, mako, ...). Passed to dbusmock as --template PATH.
'''

from dbusmock.templates import notification_daemon
from dbusmock.templates.notification_daemon import BUS_NAME, MAIN_IFACE, MAIN_OBJ, SYSTEM_BUS  # noqa: F401


def load(mock, parameters):
    notification_daemon.load(mock, parameters)
    name = parameters.get('name', 'mock-notify')
    mock.AddMethod(MAIN_IFACE, 'GetServerInformation', '', 'ssss',
                   'ret = (%r, "test vendor", "1.0", "1.2")' % name)
