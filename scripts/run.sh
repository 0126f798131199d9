#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds limber and runs limberd in the
# foreground (Ctrl-C stops it). Arguments go to limberd, e.g.
#   scripts/run.sh                              # the built-in profile
#   scripts/run.sh --profile config/demo.toml   # reminders every few seconds
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup-debian.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLIMBER_TESTS=OFF >/dev/null
# Everything `cmake --install build` installs (limberd, limberctl, completions, man pages), not the tests.
cmake --build build -j"$(nproc)"

# Inside a desktop session limberd uses its bus and notification server.
# In a bare terminal it says so and writes each reminder to this terminal.
exec build/limberd "$@"
