#!/usr/bin/env bash
# Installs everything limber needs to build, run and test on Debian 12.
# Usage: scripts/setup-debian.sh [--test] [--bench]
#   --test adds the test-only tools; --bench what scripts/bench-*.sh use.
set -euo pipefail

build_pkgs=(
  build-essential cmake pkg-config
  libboost-program-options-dev libnotify-dev libglib2.0-dev
  libspdlog-dev libfmt-dev libtomlplusplus-dev nlohmann-json3-dev libsqlite3-dev catch2 systemd
  dbus libx11-dev libxss-dev libxext-dev
)
test_pkgs=(
  dunst xvfb xauth python3-dbusmock python3-gi libnotify-bin
  clang libclang-rt-14-dev procps sqlite3 xdotool x11-xserver-utils x11-utils openbox wmctrl
  dpkg-dev man-db desktop-file-utils clang-format
  sway waybar grim
  dbus-user-session libpam-systemd util-linux passwd
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

echo "Installing: ${missing[*]}"
sudo_cmd=()
[[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
