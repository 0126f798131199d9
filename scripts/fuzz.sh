#!/usr/bin/env bash
# Builds the libFuzzer target (clang, ASan+UBSan, toml++ header-only) and fuzzes the
# profile loader on one core for SECONDS (default 600).
#   scripts/fuzz.sh [SECONDS]
# Corpus: build-fuzz/corpus (grows, not committed), seeded from tests/fuzz/seeds and
# tests/fuzz/regressions. Crashes, leaks and timeouts go to build-fuzz/artifacts/.
# Set LIMBER_FUZZ_BUILD to use another build directory.
set -euo pipefail

seconds=${1:-600}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${LIMBER_FUZZ_BUILD:-$root/build-fuzz}

CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DLIMBER_FUZZ=ON -DLIMBER_TESTS=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target fuzz_profile -j1

mkdir -p "$build/corpus" "$build/artifacts"
cd "$build"
rm -f fuzz-0.log
status=0
# -jobs=1: one worker process (one core); libFuzzer writes its output to fuzz-0.log
# and prints it when the worker ends.
./tests/fuzz_profile -max_total_time="$seconds" -jobs=1 -timeout=10 -max_len=16384 \
    -dict="$root/tests/fuzz/profile.dict" -artifact_prefix="$build/artifacts/" -print_final_stats=1 \
    "$build/corpus" "$root/tests/fuzz/seeds" "$root/tests/fuzz/regressions" || status=$?

echo "corpus: $(ls "$build/corpus" | wc -l) inputs; artifacts: $(ls "$build/artifacts" | wc -l)"
exit "$status"
