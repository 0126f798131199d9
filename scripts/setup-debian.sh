#!/usr/bin/env bash
# Installs everything limber needs to build, run and test on Debian 12.
# Usage: scripts/setup-debian.sh [--test] [--bench]
#   --test adds the test-only tools; --bench what scripts/bench-*.sh use.
# apt's output goes to $LIMBER_SETUP_LOG (default build/logs/setup.log); on a
# failure its path and last lines are printed.
set -euo pipefail
cd "$(dirname "$0")/.."

build_pkgs=(
  build-essential cmake pkg-config
  libboost-program-options-dev libnotify-dev libglib2.0-dev
  libspdlog-dev libfmt-dev libtomlplusplus-dev nlohmann-json3-dev libsqlite3-dev catch2 systemd
  dbus libxcb1-dev libxcb-screensaver0-dev libxcb-sync-dev
  libwayland-dev libwayland-bin wayland-protocols plasma-wayland-protocols
  dpkg-dev file gettext
  libdbusmenu-glib-dev
)
# libxcb1-dev, libxcb-screensaver0-dev, libxcb-sync-dev: the X11 presence sources' headers (their libraries,
# which these bring, are opened at run time where there is a DISPLAY: src/adapters/XCB.cpp).
# gettext: xgettext, msgfmt and msgcat, which build the translations (po/; the template with the
# limber-pot target). dpkg-dev and file: scripts/package-deb.sh (CPack's dpkg-shlibdeps finds the ELF files with
# file(1)), which "Start it at login" runs after scripts/run.sh. gsettings-desktop-schemas:
# the GNOME show-banners key the presence tests read (in dconf, set with gsettings).
# libdbusmenu-glib-dev: limber-tray's menu (com.canonical.dbusmenu; without it the tray is not built). Its
# -dev package pulls GTK2's -dev headers at build time (through libdbusmenu-glib-dev's dependencies), while
# the runtime library, libdbusmenu-glib4, needs only GLib.
# librsvg2-common: the SVG loader of gdk-pixbuf, through which dunst draws limber's icons (config/icons/).
# xfce4-notifyd, notification-daemon: the real GTK servers of test_x_servers.py, found and clicked through
# the AT-SPI tree (at-spi2-core, gir1.2-atspi-2.0); its screenshots are taken with imagemagick's import and
# read, like limber's SVG icons, with GdkPixbuf (gir1.2-gdkpixbuf-2.0).
test_pkgs=(
  dunst xvfb xauth python3-dbusmock python3-gi libnotify-bin librsvg2-common
  clang libclang-rt-14-dev procps sqlite3 xdotool x11-xserver-utils x11-utils openbox wmctrl
  man-db desktop-file-utils clang-format clang-tidy
  gsettings-desktop-schemas dconf-service dconf-gsettings-backend libglib2.0-bin
  sway waybar grim
  # test_gnome_shell.py: gnome-shell (about 150 packages, 120 MB to download, 370 MB on disk; its
  # screenshots are read with GdkPixbuf, which it brings) and gjs for its notification service;
  # test_mako.py: mako-notifier, and jq for makoctl menu; librsvg2-common: both draw limber's SVG
  # icons through GdkPixbuf's SVG loader (a desktop has it; without it they show no icon).
  gnome-shell gjs mako-notifier jq librsvg2-common
  dbus-user-session libpam-systemd util-linux passwd
  xfce4-notifyd notification-daemon at-spi2-core gir1.2-atspi-2.0 gir1.2-gdkpixbuf-2.0
  imagemagick
  # test_i18n.py: localedef builds de_DE.UTF-8 into the test's own directory (LOCPATH) from the locale
  # sources of the locales package; the system's locales are never touched.
  locales
  # test_tray_hosts.py: tray hosts beyond Waybar. XFCE's panel (its systray plugin hosts
  # StatusNotifierItems; xfconf's xfconfd serves its configuration on the test's bus) and Ubuntu's
  # way on GNOME: the AppIndicator extension in GNOME Shell's top bar.
  xfce4-panel xfconf gnome-shell-extension-appindicator
  # test_plasma.py: KDE Plasma 5.27's plasmashell (plasma-workspace, about 360 packages) with the desktop
  # shell package and its default layout, the panel whose system tray holds the notifications applet, Plasma's
  # notification server (plasma-desktop, about 20 more); kactivitymanagerd, Plasma's activities service,
  # which a login starts beside plasmashell by D-Bus activation and the test starts itself (the test's bus
  # activates nothing; plasma-workspace brings it, named here because the test runs it).
  plasma-workspace plasma-desktop kactivitymanagerd
  # test_tray_hosts.py: Plasma's system tray as a tray host. kded5 owns the StatusNotifierWatcher (its
  # statusnotifierwatcher module, in plasma-workspace); a session starts it before plasmashell, the test
  # starts it itself (plasma-workspace brings it, named here because the test runs it).
  kded5
)

bench_pkgs=(
  dbus python3-dbusmock libglib2.0-bin hyperfine procps
)

want=("${build_pkgs[@]}")
for arg in "$@"; do
  case $arg in
    --test) want+=("${test_pkgs[@]}") ;;
    --bench) want+=("${bench_pkgs[@]}") ;;
    *) echo "usage: scripts/setup-debian.sh [--test] [--bench]" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

log=${LIMBER_SETUP_LOG:-build/logs/setup.log}
mkdir -p "$(dirname "$log")"
: >"$log"
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || {
    echo "setup-debian.sh: needs root to install ${missing[*]}: run it as root, or install sudo" >&2
    exit 1
  }
  sudo_cmd=(sudo)
fi
apt_get() { "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive LC_ALL=C apt-get -o DPkg::Lock::Timeout=600 "$@"; }
fail() {
  echo "setup-debian.sh: $1 failed; full log: $log; its last lines:" >&2
  tail -15 "$log" >&2
  exit 1
}

echo "setup: updating apt's package lists…"
apt_get update -qq >>"$log" 2>&1 || fail "apt-get update"
# apt's own summary of what it would do (it answers no to its own question).
summary=$(apt_get install --no-install-recommends --assume-no "${missing[@]}" 2>&1 || true)
echo "$summary" >>"$log"
count=$(sed -n 's/.* \([0-9]\+\) newly installed.*/\1/p' <<<"$summary")
size=$(sed -n 's/^After this operation, \(.*\) of additional disk space will be used.*/\1/p' <<<"$summary")
echo "setup: installing ${count:-${#missing[@]}} packages (${size:-size unknown} on disk; a few minutes)…"
apt_get install -y -qq --no-install-recommends "${missing[@]}" >>"$log" 2>&1 || fail "apt-get install"
echo "setup: installed"
