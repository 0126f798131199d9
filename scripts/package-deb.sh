#!/usr/bin/env bash
# Builds limber's Debian package (prefix /usr, stripped, Depends from dpkg-shlibdeps) into dist/,
# then checks it with tests/package/check_deb.py.
# Usage: scripts/package-deb.sh [--install]   (--install, as root: also dpkg -i, try it, dpkg -r)
set -euo pipefail
cd "$(dirname "$0")/.."
# The build packages, dpkg-dev and file among them (CPack's dpkg-shlibdeps finds the ELF files with file(1)).
scripts/setup-debian.sh
build=build-deb
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr -DLIMBER_TESTS=OFF
cmake --build "$build" -j"${JOBS:-2}"
mkdir -p dist
(cd "$build" && cpack -G DEB -B "$PWD/../dist")
deb=$(ls -t dist/limber_*.deb | head -1)
echo "built $deb"
/usr/bin/python3 tests/package/check_deb.py --deb "$deb" "$@"
