#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine and runs the whole test suite:
# core and loader tests (Catch2) and end-to-end tests of the real limberd on a
# private D-Bus bus against dunst (under Xvfb) and python3-dbusmock.
# Extra arguments go to ctest, e.g. scripts/test.sh -R core
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup-debian.sh --test
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLIMBER_TESTS=ON >/dev/null
cmake --build build -j"$(nproc)"
cd build
exec ctest --output-on-failure --no-tests=error --timeout 300 "$@"
