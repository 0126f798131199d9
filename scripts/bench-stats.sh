#!/usr/bin/env bash
# What `limberctl stats --days 365` costs over a dense year of history: a
# report, not a test (exits 0 once it has measured; the targets are printed
# beside the figures, not enforced).
#
#   bash scripts/bench-stats.sh [RUNS]        (default 31)
#
#   1. writes a year of history, 50 showings a day (each with an outcome), six
#      glasses of water and a pause a day, with scripts/bench/gen-history.cpp
#      (the real HistoryStore, one transaction a day), and reports the file's
#      size (target: under 5 MiB);
#   2. on a private D-Bus session bus with no limberd, times RUNS whole runs of
#      `limberctl stats --days 365` (the read-only file path), text and --json:
#      median, min and max wall time from fork to exit (target: median under 50 ms);
#   3. starts limberd on that history and times the same through the daemon
#      (History over the bus); limberd's RSS idle with no history, with the
#      year open, and after serving the runs.
#
# Environment:
#   LIMBER_BUILD_DIR   the build to use (default: <repo>/build; built with cmake)
#   LIMBER_BENCH_KEEP  if set, keep the temporary directory
#
# Needs: dbus-daemon, gdbus, python3.
set -euo pipefail

RUNS=${1:-31}
if ! [[ $RUNS =~ ^[0-9]+$ ]] || ((RUNS < 3)); then
    echo "usage: bash scripts/bench-stats.sh [RUNS]   (a whole number >= 3; default 31)" >&2
    exit 2
fi

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$HERE")
BENCH=$HERE/bench
BUILD_DIR=${LIMBER_BUILD_DIR:-$REPO/build}
PY=/usr/bin/python3
[[ -x $PY ]] || PY=python3

say() { printf '%s\n' "$*" >&2; }
die() { say "bench-stats: $*"; exit 1; }

for tool in dbus-daemon gdbus cmake; do
    command -v "$tool" >/dev/null || die "$tool not found (Debian: bash scripts/setup-debian.sh --test)"
done

# shellcheck source=scripts/bench/session.sh
source "$BENCH/session.sh"
bench_tmp bench-stats

# --- build ------------------------------------------------------------------------
if [[ ! -f $BUILD_DIR/CMakeCache.txt ]]; then
    cmake -S "$REPO" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$BUILD_DIR" -j2 --target limberd limberctl bench_gen_history >/dev/null \
    || die "the build failed (cmake --build $BUILD_DIR)"
LIMBERD=$BUILD_DIR/limberd
LIMBERCTL=$BUILD_DIR/limberctl

# --- a private session ------------------------------------------------------------
session_env

# shellcheck disable=SC2317  # run through wait_for
gone() { ! kill -0 "$1" 2>/dev/null; }
# shellcheck disable=SC2317  # run through wait_for
released() { ! has_owner "$1"; }

# --- 1. a dense year ----------------------------------------------------------------
HISTORY=$TMP/state/limber/history.sqlite
say "writing a year of dense history ..."
"${ENV[@]}" "$BUILD_DIR/bench_gen_history" "$HISTORY" 365 >"$TMP/gen.out" || die "the generator failed"
EVENTS=$(cut -d' ' -f1 "$TMP/gen.out")
SIZE=$(stat -c %s "$HISTORY")
[[ -f $HISTORY-wal ]] && SIZE=$((SIZE + $(stat -c %s "$HISTORY-wal")))

start_session_bus

# time_runs LABEL ARGS...: RUNS runs after two warm-ups; prints "LABEL median min max" in ms.
time_runs() {
    local label=$1
    shift
    "${ENV[@]}" "$PY" - "$RUNS" "$label" "$@" <<'PYEOF'
import statistics, subprocess, sys, time
runs, label, argv = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
times = []
for i in range(runs + 2):
    start = time.perf_counter()
    res = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = (time.perf_counter() - start) * 1000
    if res.returncode != 0:
        sys.exit("%s failed (%d): %s" % (" ".join(argv), res.returncode, res.stderr.decode()))
    if i >= 2:
        times.append(elapsed)
print("%s %.1f %.1f %.1f" % (label, statistics.median(times), min(times), max(times)))
PYEOF
}

# --- 2. no limberd: the file, read-only ------------------------------------------------
"${ENV[@]}" "$LIMBERCTL" --json stats --days 365 >"$TMP/file.json"
grep -q '"source":"file"' "$TMP/file.json" || die "expected limberctl to read the file directly"
FILE_TEXT=$(time_runs file-text "$LIMBERCTL" stats --days 365)
FILE_JSON=$(time_runs file-json "$LIMBERCTL" --json stats --days 365)

# --- 3. through limberd ------------------------------------------------------------------
cat >"$TMP/profile.toml" <<'EOF'
[reminders.posture]
every = "1h"
EOF
rss() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
# For comparison: limberd's footprint with no history at all (its own empty state directory).
mkdir -p "$TMP/empty-state"
"${ENV[@]}" XDG_STATE_HOME="$TMP/empty-state" "$LIMBERD" --profile "$TMP/profile.toml" \
    >"$TMP/limberd-empty.out" 2>"$TMP/limberd-empty.err" &
EMPTY_PID=$!
PIDS+=("$EMPTY_PID")
wait_for 10 "limberd (empty history) to own org.limber.Limber1" has_owner org.limber.Limber1
sleep 1
RSS_EMPTY=$(rss "$EMPTY_PID")
kill -TERM "$EMPTY_PID"
wait_for 10 "limberd (empty history) to stop" gone "$EMPTY_PID"
wait_for 10 "org.limber.Limber1 to be released" released org.limber.Limber1

"${ENV[@]}" "$LIMBERD" --profile "$TMP/profile.toml" >"$TMP/limberd.out" 2>"$TMP/limberd.err" &
PIDS+=($!)
LIMBERD_PID=$!
wait_for 10 "limberd to own org.limber.Limber1" has_owner org.limber.Limber1
sleep 1
RSS_YEAR=$(rss "$LIMBERD_PID")
"${ENV[@]}" "$LIMBERCTL" --json stats --days 365 >"$TMP/daemon.json"
grep -q '"source":"limberd"' "$TMP/daemon.json" || die "expected limberctl to ask limberd"
cmp -s <(sed 's/"source":"[a-z]*"//' "$TMP/file.json") <(sed 's/"source":"[a-z]*"//' "$TMP/daemon.json") \
    || die "limberd and the file gave different statistics"
DAEMON_TEXT=$(time_runs daemon-text "$LIMBERCTL" stats --days 365)
DAEMON_JSON=$(time_runs daemon-json "$LIMBERCTL" --json stats --days 365)
RSS_AFTER=$(rss "$LIMBERD_PID")

# --- report --------------------------------------------------------------------------------
printf '\nlimberctl stats --days 365 over a dense year (%s events; %s runs each, after 2 warm-ups)\n\n' "$EVENTS" "$RUNS"
printf '%-40s %9s %9s %9s\n' "" "median" "min" "max"
for line in "$FILE_TEXT" "$FILE_JSON" "$DAEMON_TEXT" "$DAEMON_JSON"; do
    read -r label median min max <<<"$line"
    case $label in
        file-text) what="no limberd (file, read-only), text" ;;
        file-json) what="no limberd (file, read-only), --json" ;;
        daemon-text) what="through limberd (bus), text" ;;
        daemon-json) what="through limberd (bus), --json" ;;
    esac
    printf '%-40s %6s ms %6s ms %6s ms\n' "$what" "$median" "$min" "$max"
done
printf '\ntarget: median under 50 ms\n'
printf 'history file: %s bytes (%.2f MiB; target under 5 MiB)\n' "$SIZE" "$(echo "$SIZE / 1048576" | bc -l)"
printf 'limberd RSS, idle 1 s after ready: %s kB with no history, %s kB with this year open;\n' "$RSS_EMPTY" "$RSS_YEAR"
printf '  %s kB after serving %s History calls\n' "$RSS_AFTER" "$((2 * RUNS + 5))"
