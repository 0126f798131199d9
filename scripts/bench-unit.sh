#!/usr/bin/env bash
# Start-to-ready of limber.service under a real systemd 252 user manager: a report, not a test.
#
#   sudo scripts/bench-unit.sh [STARTS]        (default 9; needs root, see tests/e2e/real_systemd.py)
#
# Installs the build (cmake --install build --prefix /opt/limber-unit-test-XXXX), starts the
# installed unit STARTS times and prints the median of ActiveEnterTimestamp minus
# ExecMainStartTimestamp: exec of limberd to the manager's receipt of READY=1.
# LIMBERD (default build/limberd) picks the build tree; LIMBER_UNIT_PREFIX=/usr measures the
# unit the .deb installed instead.
set -euo pipefail
cd "$(dirname "$0")/.."
export LIMBER_UNIT_STARTS=${1:-9}
export LIMBERD=${LIMBERD:-$PWD/build/limberd}
cd tests/e2e
/usr/bin/python3 -m unittest test_unit_systemd.InstalledUnitTest.test_start_to_ready 2>&1 |
  grep -E "start-to-ready|skipped|FAIL|Error" || true
