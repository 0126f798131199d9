#!/usr/bin/env bash
# The suite once under AddressSanitizer and UndefinedBehaviorSanitizer: limberd, limberctl and the
# Catch2 tests built with -fsanitize=address,undefined (UB fatal) in build-asan/, then every ctest
# entry that runs them (the unit tests and the e2e suite; not the package, format or tidy checks).
# Each sanitized process writes any report to build-asan/sanitizer-reports/; the run fails when one
# is there, and prints it. A report, not part of the default suite (a sanitized build takes minutes).
#   bash scripts/sanitize.sh            (LIMBER_SANITIZE_BUILD sets another build directory)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${LIMBER_SANITIZE_BUILD:-$root/build-asan}
reports=$build/sanitizer-reports

cmake -S "$root" -B "$build" -DLIMBER_SANITIZE=address,undefined -DLIMBER_TESTS=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)"

rm -rf "$reports"
mkdir -p "$reports"
# Leaks: GLib, GIO and libnotify keep type and connection singletons for the life of the process
# (tests/sanitizer/lsan.supp names them); limber's own allocations are not suppressed.
# GLib is built without frame pointers: the fast unwinder stops at its first frame, so a leak's
# stack would end in g_malloc, name no caller and match no suppression. The slow unwinder names it.
export ASAN_OPTIONS="log_path=$reports/asan:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1:fast_unwind_on_malloc=0:malloc_context_size=40"
export LSAN_OPTIONS="suppressions=$root/tests/sanitizer/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="log_path=$reports/ubsan:print_stacktrace=1:halt_on_error=1"
# GLib's slice allocator hides use-after-free from ASan.
export G_SLICE=always-malloc
status=0
# Not here: the package and style checks (no sanitized code), and the installed unit's tests
# (unit.security, e2e.test_unit_systemd): under ASan every case of the latter errored until the
# 300 s timeout; the unit's sandbox (SystemCallFilter=~@resources, LockPersonality,
# MemoryDenyWriteExecute) is the likely cause, not confirmed, and the manager passes the unit no
# ASAN_OPTIONS anyway. The default suite runs both on the unsanitized build.
(cd "$build" && ctest -j1 --output-on-failure \
    -E '^(package\.deb|unit\.security|e2e\.test_unit_systemd|format|tidy|fuzz\..*)$') || status=$?

found=$(find "$reports" -type f | wc -l)
if [ "$found" -gt 0 ]; then
    for report in "$reports"/*; do
        echo "== $report"
        head -60 "$report"
    done
    echo "sanitize: $found sanitizer report(s) in $reports" >&2
    status=1
else
    echo "sanitize: no sanitizer report"
fi
exit "$status"
