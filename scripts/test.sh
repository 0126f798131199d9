#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine and runs the whole test suite:
# core and loader tests (Catch2) and end-to-end tests of the real limberd on a
# private D-Bus bus against dunst (under Xvfb) and python3-dbusmock.
# Extra arguments go to ctest, e.g. scripts/test.sh -R core
# Prints one line per phase with its time; the full output of each phase is in
# build/logs/ (setup.log, configure.log, build.log, test.log), and on a failure
# the log's path and last lines are printed.
set -euo pipefail
cd "$(dirname "$0")/.."
logs=$PWD/build/logs
mkdir -p "$logs"

started=$SECONDS
took() { echo "$1 ($((SECONDS - started)) s)"; started=$SECONDS; }
fail() { # phase, log
  echo "test.sh: $1 failed; full log: $2; its last lines:" >&2
  tail -"${3:-25}" "$2" >&2
  exit 1
}

LIMBER_SETUP_LOG=$logs/setup.log scripts/setup-debian.sh --test
took "set up"

echo "building…"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLIMBER_TESTS=ON >"$logs/configure.log" 2>&1 ||
  fail "cmake (configure)" "$logs/configure.log"
cmake --build build -j"$(nproc)" >"$logs/build.log" 2>&1 || fail "the build" "$logs/build.log"
took "built"

echo "testing…"
cd build
rc=0
ctest --output-on-failure --no-tests=error --timeout 300 "$@" >"$logs/test.log" 2>&1 || rc=$?
took "tested"
# ctest's own closing lines, word for word (CI reads them).
grep -E '^[0-9]+% tests passed|^Total Test time' "$logs/test.log" || echo "test.sh: ctest gave no summary"
if [[ $rc -ne 0 ]]; then
  # CI shows its whole log (every failed test's output); a developer, the list.
  if [[ -n ${CI:-} ]]; then cat "$logs/test.log" >&2; else sed -n '/^The following tests FAILED:/,$p' "$logs/test.log" >&2; fi
  echo "test.sh: full output of every failed test in $logs/test.log" >&2
  exit "$rc"
fi
