"""A headless sway 1.7 session for the suite (Waybar, Wayland idle, the tray): desktop.py's
session of an ordinary user (sway refuses to run as root), with sway's IPC. Debian: sway (and
waybar, grim for the bar)."""

from desktop import DesktopTestCase


class SwayTestCase(DesktopTestCase):
    def swaymsg(self, *args):
        """A sway command over its IPC socket (start_sway sets SWAYSOCK); its output."""
        return self.run_ok(["swaymsg"] + list(args))
