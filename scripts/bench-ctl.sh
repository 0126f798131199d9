#!/usr/bin/env bash
# What a limberctl call costs: a report, not a test (exits 0 once it has
# measured, whatever the figures).
#
#   bash scripts/bench-ctl.sh [RUNS]        (default 300)
#
# On a private D-Bus session bus (scripts/bench/session.conf: nothing is
# auto-started), with limberd running the built-in profile and
# python3-dbusmock's notification_daemon as the server, it
#   1. times the whole process of `limberctl --json status` and of
#      `gdbus call ... --method org.limber.Limber1.GetStatus` (the same method
#      on the same bus, through GLib's generic tool) with hyperfine, RUNS runs
#      each after a warm-up, and prints both medians and their ratio
#      (limberctl / gdbus: at most 1.0 is the target);
#   2. reads limberd's RSS, makes 1,000 controller calls (status, pause,
#      resume, snooze, done, schedule, in turn, each a whole limberctl process),
#      reads it again, and prints the growth (target: under 1 MiB).
#
# Environment:
#   LIMBER_BUILD_DIR   where limberd and limberctl are (default: <repo>/build,
#                      built with cmake if missing)
#   LIMBER_BENCH_KEEP  if set, keep the temporary directory (logs) for a look
#
# Needs: dbus-daemon, gdbus, hyperfine, python3-dbusmock
# (bash scripts/setup-debian.sh --bench installs them).
set -euo pipefail

RUNS=${1:-300}
if ! [[ $RUNS =~ ^[0-9]+$ ]] || ((RUNS < 10)); then
    echo "usage: bash scripts/bench-ctl.sh [RUNS]   (a whole number >= 10; default 300)" >&2
    exit 2
fi
CALLS=1000

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$HERE")
BENCH=$HERE/bench
BUILD_DIR=${LIMBER_BUILD_DIR:-$REPO/build}
LIMBERD=$BUILD_DIR/limberd
LIMBERCTL=$BUILD_DIR/limberctl
PY=/usr/bin/python3
[[ -x $PY ]] || PY=python3

say() { printf '%s\n' "$*" >&2; }
die() { say "bench-ctl: $*"; exit 1; }

if ! command -v hyperfine >/dev/null || ! "$PY" -c 'import dbusmock' 2>/dev/null; then
    say "bench-ctl: installing what it needs with scripts/setup-debian.sh --bench ..."
    bash "$HERE/setup-debian.sh" --bench
fi
for tool in dbus-daemon gdbus hyperfine; do
    command -v "$tool" >/dev/null || die "$tool not found (Debian: bash scripts/setup-debian.sh --bench)"
done

# --- temporary directory and cleanup ----------------------------------------
# shellcheck source=scripts/bench/session.sh
source "$BENCH/session.sh"
bench_tmp bench-ctl

# --- build --------------------------------------------------------------------
if [[ ! -x $LIMBERD || ! -x $LIMBERCTL ]]; then
    say "building limberd and limberctl in $BUILD_DIR ..."
    cmake -S "$REPO" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$BUILD_DIR" -j2 --target limberd limberctl >/dev/null
fi
BUILD_TYPE=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null || true)

# --- a private session ----------------------------------------------------------
export -n DBUS_SESSION_BUS_ADDRESS 2>/dev/null || true
session_env
start_session_bus
start_notification_mock

# The built-in profile (six reminders; nothing falls due during the run).
"${ENV[@]}" "$LIMBERD" >"$TMP/limberd.out" 2>"$TMP/limberd.err" &
LIMBERD_PID=$!
PIDS+=("$LIMBERD_PID")
wait_for 10 "limberd to own org.limber.Limber1" has_owner org.limber.Limber1

# Both run in the scratch environment: hyperfine itself is started through env -i below.
CTL=("$LIMBERCTL" --json status)
GDBUS=(gdbus call --session --dest org.limber.Limber1 --object-path /org/limber/Limber1
       --method org.limber.Limber1.GetStatus)
"${ENV[@]}" "${CTL[@]}" >"$TMP/ctl.json" || die "limberctl --json status failed"
"${ENV[@]}" "${GDBUS[@]}" >"$TMP/gdbus.txt" || die "gdbus call GetStatus failed"
grep -q '"reminders"' "$TMP/ctl.json" || die "limberctl printed no status: $(cat "$TMP/ctl.json")"

# --- 1. latency ----------------------------------------------------------------------
quote() { local out="" a; for a in "$@"; do out+="$(printf '%q' "$a") "; done; printf '%s' "$out"; }
# Other work on the machine comes and goes: alternate the two in ROUNDS rounds
# so that both see the same conditions, and take the medians of all runs.
ROUNDS=10
PER_ROUND=$(((RUNS + ROUNDS - 1) / ROUNDS))
say "timing $((PER_ROUND * ROUNDS)) runs each of limberctl --json status and gdbus call GetStatus (hyperfine, $ROUNDS alternating rounds) ..."
for ((r = 0; r < ROUNDS; r++)); do
    "${ENV[@]}" hyperfine -N --style none --warmup 5 --runs "$PER_ROUND" \
        --command-name limberctl "$(quote "${CTL[@]}")" \
        --command-name gdbus "$(quote "${GDBUS[@]}")" \
        --export-json "$TMP/latency-$r.json" >"$TMP/hyperfine.out" 2>&1 || {
        cat "$TMP/hyperfine.out" >&2
        die "hyperfine failed"
    }
done
read -r CTL_MED GDBUS_MED CTL_CPU GDBUS_CPU < <("$PY" - "$TMP"/latency-*.json <<'EOF'
import json, statistics, sys
times, cpu = {}, {}
for path in sys.argv[1:]:
    for x in json.load(open(path))["results"]:
        times.setdefault(x["command"], []).extend(x["times"])
        cpu.setdefault(x["command"], []).append(x["user"] + x["system"])
med = {k: statistics.median(v) * 1e3 for k, v in times.items()}
c = {k: statistics.mean(v) * 1e3 for k, v in cpu.items()}
print("%.3f %.3f %.3f %.3f" % (med["limberctl"], med["gdbus"], c["limberctl"], c["gdbus"]))
EOF
)
RATIO=$(awk -v a="$CTL_MED" -v b="$GDBUS_MED" 'BEGIN { printf "%.2f", a / b }')

# --- 2. footprint after 1,000 calls ----------------------------------------------------
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$LIMBERD_PID/status"; }
say "making $CALLS controller calls ..."
# A first round so that one-off allocations (first client, first schedule) are in the baseline.
for cmd in "status" "pause 1h" "resume" "snooze posture --for 1m" "done posture" "schedule --for 8h"; do
    # shellcheck disable=SC2086  # each entry is a command line
    "${ENV[@]}" "$LIMBERCTL" --json $cmd >/dev/null
done
RSS_BEFORE=$(rss_kib)
FAILED=0
# done ends the run of snoozes, so max_snoozes never refuses one.
CMDS=("status" "pause 1h" "resume" "snooze posture --for 1m" "done posture" "schedule --for 8h")
for ((i = 0; i < CALLS; i++)); do
    # shellcheck disable=SC2086
    "${ENV[@]}" "$LIMBERCTL" --json ${CMDS[i % ${#CMDS[@]}]} >/dev/null 2>>"$TMP/calls.err" || FAILED=$((FAILED + 1))
done
RSS_AFTER=$(rss_kib)
GROWTH=$((RSS_AFTER - RSS_BEFORE))
kill -0 "$LIMBERD_PID" 2>/dev/null || die "limberd died during the calls; see $TMP/limberd.err"
((FAILED == 0)) || say "bench-ctl: $FAILED calls failed, e.g.: $(sort "$TMP/calls.err" | uniq -c | head -3)"

# --- report ----------------------------------------------------------------------------
verdict() { if [[ $1 == 1 ]]; then printf 'ok'; else printf 'OVER TARGET'; fi; }
cat <<EOF

limberctl benchmark ($(nproc) CPUs, build type ${BUILD_TYPE:-unknown}, $((PER_ROUND * ROUNDS)) runs each, hyperfine -N)

  whole-process latency, median (CPU time user+sys, mean)
    limberctl --json status          ${CTL_MED} ms  (${CTL_CPU} ms)
    gdbus call ... GetStatus         ${GDBUS_MED} ms  (${GDBUS_CPU} ms)
    ratio limberctl / gdbus          ${RATIO}   target <= 1.0: $(verdict "$(awk -v r="$RATIO" 'BEGIN { print (r <= 1.0) }')")

  limberd RSS around $CALLS controller calls ($FAILED failed)
    before                           ${RSS_BEFORE} KiB
    after                            ${RSS_AFTER} KiB
    growth                           ${GROWTH} KiB   target < 1024 KiB: $(verdict "$((GROWTH < 1024))")
EOF
