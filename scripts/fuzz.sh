#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan; toml++ header-only) and runs each in turn on
# one core for SECONDS (default 600):
#   fuzz_profile  the profile loader (TOML text)
#   fuzz_bus      every bus method's arguments, through the decoders limberd uses, into the scheduler
#   fuzz_state    the state file reader (StateStore::parse), into the scheduler
#   scripts/fuzz.sh [SECONDS] [TARGET...]      (no TARGET: all three)
# Corpus: build-fuzz/corpus/TARGET (grows, not committed), seeded from tests/fuzz/seeds and
# tests/fuzz/regressions (profile), tests/fuzz/bus-seeds, tests/fuzz/state-seeds. Crashes, leaks
# and timeouts go to build-fuzz/artifacts/TARGET/. Each run ends with libFuzzer's final stats
# (stat::number_of_executed_units, ...). Exit status: non-zero if any target found something.
# Set LIMBER_FUZZ_BUILD to use another build directory.
set -euo pipefail

seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_profile fuzz_bus fuzz_state)
root=$(cd "$(dirname "$0")/.." && pwd)
build=${LIMBER_FUZZ_BUILD:-$root/build-fuzz}
fuzz=$root/tests/fuzz

CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DLIMBER_FUZZ=ON -DLIMBER_TESTS=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target "${targets[@]}" -j1

status=0
for target in "${targets[@]}"; do
    case $target in
        fuzz_profile) inputs=("$fuzz/seeds" "$fuzz/regressions") options=(-max_len=16384 -dict="$fuzz/profile.dict") ;;
        fuzz_bus) inputs=("$fuzz/bus-seeds") options=(-max_len=4096 -dict="$fuzz/bus.dict") ;;
        fuzz_state) inputs=("$fuzz/state-seeds") options=(-max_len=16384 -dict="$fuzz/state.dict") ;;
        *) echo "fuzz.sh: unknown target $target (fuzz_profile, fuzz_bus, fuzz_state)" >&2; exit 2 ;;
    esac
    corpus=$build/corpus/$target
    artifacts=$build/artifacts/$target
    mkdir -p "$corpus" "$artifacts"
    echo "== $target for ${seconds}s"
    cd "$build"
    rm -f fuzz-0.log
    # -jobs=1: one worker process (one core); libFuzzer writes its output to fuzz-0.log
    # and prints it when the worker ends.
    ./tests/"$target" -max_total_time="$seconds" -jobs=1 -timeout=10 "${options[@]}" \
        -artifact_prefix="$artifacts/" -print_final_stats=1 "$corpus" "${inputs[@]}" || status=$?
    echo "== $target: corpus $(ls "$corpus" | wc -l) inputs; artifacts: $(ls "$artifacts" | wc -l)"
done
exit "$status"
