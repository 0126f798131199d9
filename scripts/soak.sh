#!/usr/bin/env bash
# A long soak: a report, not part of the default suite.
#
#   bash scripts/soak.sh [MINUTES]        (default 60)
#
# On a private D-Bus session bus (scripts/bench/session.conf) with python3-dbusmock's
# notification_daemon as the server, limberd runs a profile of fast reminders (nudges every 20-45 s,
# a 10 s break every 60 s, merging within 5 s) while this script, twice a second, does one thing at
# random: done, skip or snooze (named or the one on screen), status, schedule, a short pause or a
# resume, drank, trigger, a reload (limberctl or SIGHUP), a rewrite of the profile between two valid
# versions, or a restart of the notification server (about every 2 minutes). Every 30 s it samples
# limberd's RSS, open fds and threads.
#
# At the end limberd is stopped and the report says:
#   - RSS, fds and threads at the first sample after warm-up and at the end (flat: RSS within
#     1 MiB, fds and threads equal);
#   - the history: `PRAGMA integrity_check`; the reminders shown according to the log equal to the
#     `shown` events in it; no reminder shown again before its showing had an outcome; and those
#     without one at the stop exactly those on screen then.
# Exits 1 when one of those does not hold, or when limberd died.
#
# Environment: LIMBER_BUILD_DIR (default <repo>/build), LIMBER_BENCH_KEEP (keep the scratch dir).
# Needs: dbus-daemon, gdbus, python3-dbusmock, sqlite3 (bash scripts/setup-debian.sh --bench).
set -euo pipefail

MINUTES=${1:-60}
[[ $MINUTES =~ ^[0-9]+$ ]] && ((MINUTES >= 1)) || { echo "usage: bash scripts/soak.sh [MINUTES]" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$HERE")
BENCH=$HERE/bench
BUILD_DIR=${LIMBER_BUILD_DIR:-$REPO/build}
LIMBERD=$BUILD_DIR/limberd
LIMBERCTL=$BUILD_DIR/limberctl
PY=/usr/bin/python3
[[ -x $PY ]] || PY=python3
say() { printf '%s\n' "$*" >&2; }
die() { say "soak: $*"; exit 1; }
[[ -x $LIMBERD && -x $LIMBERCTL ]] || die "no limberd/limberctl in $BUILD_DIR; build first (cmake --build build)"
command -v sqlite3 >/dev/null || die "needs sqlite3 (apt-get install sqlite3)"

# shellcheck source=bench/session.sh
source "$BENCH/session.sh"
bench_tmp soak
session_env
start_session_bus
start_notification_mock
MOCK_PID=${PIDS[-1]}

write_profile() {  # write_profile A|B: two valid versions, so reloads change something
    local water_every=$([[ $1 == A ]] && echo 45s || echo 40s)
    cat >"$TMP/profile.new" <<EOP
[general]
merge_within = "5s"
snooze = "15s"
max_snoozes = 2
idle_after = "10m"

[reminders.posture]
kind = "posture"
every = "20s"

[reminders.eyes]
kind = "eyes"
every = "30s"

[reminders.water]
kind = "hydration"
every = "$water_every"

[reminders.stretch]
kind = "stretch"
every = "60s"
duration = "10s"
EOP
    mv "$TMP/profile.new" "$TMP/profile.toml"
}
write_profile A
"$LIMBERD" --check --profile "$TMP/profile.toml" >/dev/null || die "limberd rejects the soak's profile"

"${ENV[@]}" "$LIMBERD" --profile "$TMP/profile.toml" --log-level info >"$TMP/limberd.out" 2>"$TMP/limberd.log" &
LIMBERD_PID=$!
PIDS+=("$LIMBERD_PID")
ctl() { "${ENV[@]}" timeout 10 "$LIMBERCTL" "$@" >/dev/null 2>&1; }
wait_for 10 "limberd on the bus" ctl status

sample() {  # RSS_KiB FDS THREADS
    local rss
    rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$LIMBERD_PID/status")
    echo "$rss $(find "/proc/$LIMBERD_PID/fd" -mindepth 1 | wc -l) $(find "/proc/$LIMBERD_PID/task" -mindepth 1 -maxdepth 1 | wc -l)"
}

say "soak: $MINUTES min of fast reminders, random answers, reloads and server restarts (logs in $TMP)"
end=$((SECONDS + MINUTES * 60))
warm=$((SECONDS + 60))
first="" last="" version=A calls=0 restarts=0
next_sample=$SECONDS next_restart=$((SECONDS + 120))
names=(posture eyes water stretch)
while ((SECONDS < end)); do
    kill -0 "$LIMBERD_PID" 2>/dev/null || die "limberd died; see $TMP/limberd.log"
    name=${names[RANDOM % 4]}
    case $((RANDOM % 14)) in
        0 | 1) ctl done || true ;;
        2) ctl done "$name" || true ;;
        3) ctl skip || true ;;
        4) ctl snooze || true ;;
        5) ctl snooze "$name" --for 20s || true ;;
        6) ctl status --json || true ;;
        7) ctl schedule --for 2h || true ;;
        8) ctl pause 5s || true ;;
        9) ctl resume || true ;;
        10) ctl drank 200ml || true ;;
        11) ctl trigger "$name" || true ;;
        12) if ((RANDOM % 2)); then ctl reload || true; else kill -HUP "$LIMBERD_PID"; fi ;;
        13)
            version=$([[ $version == A ]] && echo B || echo A)
            write_profile "$version"
            ;;
    esac
    calls=$((calls + 1))
    if ((SECONDS >= next_restart)); then
        kill -TERM "$MOCK_PID" 2>/dev/null || true
        wait "$MOCK_PID" 2>/dev/null || true
        start_notification_mock
        MOCK_PID=${PIDS[-1]}
        restarts=$((restarts + 1))
        next_restart=$((SECONDS + 120))
    fi
    if ((SECONDS >= next_sample)); then
        last=$(sample)
        if [[ -z $first ]] && ((SECONDS >= warm)); then first=$last; fi
        echo "$SECONDS $last" >>"$TMP/samples"
        next_sample=$((SECONDS + 30))
    fi
    sleep 0.5
done
last=$(sample)
[[ -n $first ]] || first=$last
on_screen=$("${ENV[@]}" "$LIMBERCTL" status --json | "$PY" -c \
    'import json, sys; print(" ".join(sorted(r["name"] for r in json.load(sys.stdin)["reminders"] if r.get("on_screen"))))')
kill -TERM "$LIMBERD_PID"
for _ in $(seq 200); do kill -0 "$LIMBERD_PID" 2>/dev/null || break; sleep 0.05; done
kill -0 "$LIMBERD_PID" 2>/dev/null && die "limberd did not stop within 10 s of SIGTERM"
wait "$LIMBERD_PID" 2>/dev/null || true

# The history limberd wrote (a profile that is not the person's own keeps its own): its log says where.
DB=$(sed -n 's/.*history in \(.*\)$/\1/p' "$TMP/limberd.log" | head -1)
[[ -f $DB ]] || die "limberd did not say where its history is; see $TMP/limberd.log"
integrity=$(sqlite3 "$DB" 'PRAGMA integrity_check;')
shown_db=$(sqlite3 "$DB" "SELECT count(*) FROM events WHERE kind = 0;")
# "show posture,eyes: …": one showing per name.
shown_log=$(grep -o '\] show [^:]*:' "$TMP/limberd.log" | sed 's/.*\] show //; s/:$//' | tr ',' '\n' | grep -c . || true)
# Each showing ends with one outcome (done 1, natural 2, snoozed 3, skipped 4, missed 5, dismissed 14,
# ignored 15: an unanswered water nudge) before the same
# reminder is shown again; those still open at the stop are those on screen then. An answer by name to a
# reminder not on screen is an outcome without a showing, which is allowed.
unresolved=$(sqlite3 "$DB" "SELECT kind, reminder FROM events WHERE reminder != '' ORDER BY id;" | "$PY" -c '
import sys
open_, twice = set(), 0
for line in sys.stdin:
    kind, name = line.rstrip("\n").split("|", 1)
    if kind == "0":
        twice += name in open_
        open_.add(name)
    elif kind in ("1", "2", "3", "4", "5", "14", "15"):
        open_.discard(name)
print("%d %s" % (twice, " ".join(sorted(open_))))')
shown_twice=${unresolved%% *}
still_open=${unresolved#* }
[[ $still_open == "$shown_twice" ]] && still_open=""

read -r rss0 fds0 thr0 <<<"$first"
read -r rss1 fds1 thr1 <<<"$last"
fail=0
check() { if eval "$2"; then printf '  %-52s ok\n' "$1"; else printf '  %-52s NOT MET\n' "$1"; fail=1; fi; }
printf 'soak: %d min, %d actions, %d server restarts\n' "$MINUTES" "$calls" "$restarts"
printf '  RSS after warm-up / end (KiB)   %s / %s\n' "$rss0" "$rss1"
printf '  open fds after warm-up / end    %s / %s\n' "$fds0" "$fds1"
printf '  threads after warm-up / end     %s / %s\n' "$thr0" "$thr1"
printf '  shown: log %s, history %s; shown again before an outcome: %s\n' "$shown_log" "$shown_db" "$shown_twice"
printf '  without an outcome at the stop: [%s]; on screen at the stop: [%s]\n' "$still_open" "$on_screen"
check "RSS flat (end - warm-up < 1024 KiB)" '((rss1 - rss0 < 1024))'
check "fds flat" '((fds1 == fds0))'
check "threads flat" '((thr1 == thr0))'
check "history integrity_check = ok ($integrity)" '[[ $integrity == ok ]]'
check "every showing in the log is in the history" '((shown_log == shown_db))'
check "no reminder shown again before an outcome" '((shown_twice == 0))'
check "open at the stop = on screen at the stop" '[[ $still_open == "$on_screen" ]]'
exit "$fail"
