#!/usr/bin/env bash
# What limberd costs while it waits: a report, not a test (always exits 0
# once it has measured).
#
#   bash scripts/bench-idle.sh [--presence [--wayland]] [--tray [--paused]] [SECONDS]   (default 120)
#
# --tray: limber-tray too, beside limberd, measured the same way (its RSS, PSS,
# CPU and context switches in the window). The tray follows limberd by its
# signals and arms one timer for the moment its tooltip's count-down ("in 59m")
# shows another minute, so it may wake once a minute while limberd is active;
# --paused pauses limberd first (limberctl pause), when nothing shown counts
# down: then nothing may wake it at all.
#
# --presence: limberd with its presence sources active, as on a desktop: a
# private *system* bus (scripts/bench/system.conf) with python3-dbusmock's
# logind (a session "auto": LockedHint, IdleHint, PrepareForSleep and the
# delay inhibitor), its gnome_screensaver on the session bus, and an Xvfb
# display for the X11 idle source, with idle_after = 30s and a person
# "present": xdotool moves the pointer every 5 s through the window; with
# openbox (if installed) and an xmessage window made fullscreen, for the
# x11-fullscreen source (do-not-disturb held throughout). The
# event-driven sources should cost nothing; the X11 source at most one
# wake-up per idle_after while the person is present.
#
# --presence --wayland: the same, in a Wayland session: the scripted compositor
# (tests/wayland/idle_compositor, built with -DLIMBER_TESTS=ON; it offers
# ext-idle-notify-v1 version 2 and org_kde_kwin_idle and restarts its idle timers
# at each input) as WAYLAND_DISPLAY, for the wayland-idle source; the person's
# input goes to it too, every 5 s. In a Wayland session the X11 sources stand
# aside (Xvfb stands for Xwayland), so every source is event-driven: 0 wake-ups.
#
# On a private D-Bus session bus (scripts/bench/session.conf: nothing is
# auto-started) with python3-dbusmock's notification_daemon as the server, it
#   1. times limberd's start, exec to sd_notify READY=1, five times (median),
#      and the same for the floor;
#   2. starts limberd on a profile with nothing due during the run, and the
#      floor: a minimal GLib program that calls notify_init, owns a bus name
#      and runs a GMainLoop (scripts/bench/floor.c, built by this script);
#   3. once both are ready, waits 2 s, then samples both for SECONDS:
#      RSS and PSS (smaps_rollup) at start and end, and CPU time and context
#      switches summed over all threads, as deltas over the window.
#
# Environment:
#   LIMBERD            the binary to measure (default: <repo>/build/limberd,
#                      built with cmake if missing)
#   LIMBER_TRAY        limber-tray, for --tray (default: beside LIMBERD)
#   LIMBER_BUILD_DIR   where the floor is built (default: <repo>/build)
#   LIMBER_BENCH_KEEP  if set, keep the temporary directory (logs) for a look
#
# Needs: dbus-daemon, gdbus, cc, pkg-config, libnotify-dev, python3-dbusmock.
set -euo pipefail

PRESENCE=
if [[ ${1:-} == --presence ]]; then
    PRESENCE=1
    shift
fi
WAYLAND=
if [[ -n $PRESENCE && ${1:-} == --wayland ]]; then
    WAYLAND=1
    shift
fi
TRAY=
TRAY_PAUSED=
if [[ ${1:-} == --tray ]]; then
    TRAY=1
    shift
    if [[ ${1:-} == --paused ]]; then
        TRAY_PAUSED=1
        shift
    fi
fi
SECONDS_TO_SAMPLE=${1:-120}
if ! [[ $SECONDS_TO_SAMPLE =~ ^[0-9]+$ ]] || ((SECONDS_TO_SAMPLE < 1)); then
    echo "usage: bash scripts/bench-idle.sh [--presence [--wayland]] [--tray [--paused]] [SECONDS]   (a whole number >= 1; default 120)" >&2
    exit 2
fi
IDLE_AFTER=30
INPUT_EVERY=5
STARTS=5
SETTLE=2

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$HERE")
BENCH=$HERE/bench
BUILD_DIR=${LIMBER_BUILD_DIR:-$REPO/build}
LIMBERD=${LIMBERD:-$BUILD_DIR/limberd}
LIMBER_TRAY=${LIMBER_TRAY:-$(dirname "$LIMBERD")/limber-tray}
PY=/usr/bin/python3
[[ -x $PY ]] || PY=python3

say() { printf '%s\n' "$*" >&2; }
die() { say "bench-idle: $*"; exit 1; }

for tool in dbus-daemon gdbus cc pkg-config; do
    command -v "$tool" >/dev/null || die "$tool not found (Debian: bash scripts/setup-debian.sh --test)"
done
"$PY" -c 'import dbusmock' 2>/dev/null || die "python3-dbusmock is not installed for $PY (Debian: bash scripts/setup-debian.sh --test)"
if [[ -n $PRESENCE ]]; then
    for tool in Xvfb xdotool; do
        command -v "$tool" >/dev/null || die "$tool not found (Debian: bash scripts/setup-debian.sh --test)"
    done
fi

# --- temporary directory and cleanup ----------------------------------------
# shellcheck source=scripts/bench/session.sh
source "$BENCH/session.sh"
bench_tmp bench-idle

# --- build --------------------------------------------------------------------
if [[ ! -x $LIMBERD ]]; then
    say "building limberd in $BUILD_DIR ..."
    cmake -S "$REPO" -B "$BUILD_DIR" >/dev/null
    cmake --build "$BUILD_DIR" -j2 --target limberd >/dev/null
fi
[[ -x $LIMBERD ]] || die "no limberd at $LIMBERD"
BUILD_TYPE=unknown
LIMBERD_CACHE=$(dirname "$LIMBERD")/CMakeCache.txt
if [[ -f $LIMBERD_CACHE ]]; then
    BUILD_TYPE=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$LIMBERD_CACHE")
    BUILD_TYPE=${BUILD_TYPE:-none}
fi

FLOOR_DIR=$BUILD_DIR/bench
mkdir -p "$FLOOR_DIR" 2>/dev/null && [[ -w $FLOOR_DIR ]] || FLOOR_DIR=$TMP
FLOOR=$FLOOR_DIR/floor
if [[ ! -x $FLOOR || $BENCH/floor.c -nt $FLOOR ]]; then
    say "building the floor: $FLOOR"
    # shellcheck disable=SC2046  # pkg-config's output is meant to be split
    cc -O2 -Wall -Wextra -o "$FLOOR.tmp" "$BENCH/floor.c" $(pkg-config --cflags --libs libnotify gio-2.0)
    mv "$FLOOR.tmp" "$FLOOR"
fi

# --- a private session ----------------------------------------------------------
session_env
start_session_bus
start_notification_mock

if [[ -n $PRESENCE ]]; then
    # The system bus with logind, a screen saver on the session bus, and an X display.
    SYSTEM_BUS=unix:path=$TMP/system_bus
    "${ENV[@]}" dbus-daemon --config-file="$BENCH/system.conf" --address="$SYSTEM_BUS" --nofork --nopidfile \
        >"$TMP/dbus-system.out" 2>"$TMP/dbus-system.err" &
    PIDS+=($!)
    wait_for 10 "the private system dbus-daemon" test -S "$TMP/system_bus"
    ENV+=(DBUS_SYSTEM_BUS_ADDRESS="$SYSTEM_BUS")
    "${ENV[@]}" "$PY" -m dbusmock --system --template logind >"$TMP/logind.out" 2>"$TMP/logind.err" &
    PIDS+=($!)
    wait_for 10 "the logind mock" "${ENV[@]}" gdbus call --system --dest org.freedesktop.login1 \
        --object-path /org/freedesktop/login1 --method org.freedesktop.DBus.Peer.Ping
    "${ENV[@]}" gdbus call --system --dest org.freedesktop.login1 --object-path /org/freedesktop/login1 \
        --method org.freedesktop.DBus.Mock.AddSession auto seat0 "$(id -u)" bench true >/dev/null
    "${ENV[@]}" "$PY" -m dbusmock --template gnome_screensaver >"$TMP/screensaver.out" 2>"$TMP/screensaver.err" &
    PIDS+=($!)
    wait_for 10 "the screen saver mock" has_owner org.gnome.ScreenSaver
    Xvfb -displayfd 1 -nolisten tcp -screen 0 640x480x24 >"$TMP/xvfb.display" 2>"$TMP/xvfb.err" &
    PIDS+=($!)
    wait_for 10 "Xvfb to report its display" grep -q . "$TMP/xvfb.display"
    ENV+=(DISPLAY=":$(head -n1 "$TMP/xvfb.display")")
    # A window manager and a fullscreen window (a presentation), for the x11-fullscreen source,
    # where openbox, wmctrl and xmessage are installed (scripts/setup-debian.sh --test).
    FULLSCREEN_NOTE="no window manager (openbox, wmctrl or xmessage missing)"
    if command -v openbox >/dev/null && command -v wmctrl >/dev/null && command -v xmessage >/dev/null; then
        "${ENV[@]}" openbox --sm-disable >"$TMP/openbox.out" 2>"$TMP/openbox.err" &
        PIDS+=($!)
        wait_for 10 "openbox to manage the display" "${ENV[@]}" wmctrl -m
        "${ENV[@]}" xmessage -title slides slides >/dev/null 2>&1 &
        PIDS+=($!)
        wait_for 10 "the slides window" sh -c '"$@" wmctrl -l | grep -q slides' sh "${ENV[@]}"
        "${ENV[@]}" wmctrl -r slides -b add,fullscreen
        FULLSCREEN_NOTE="openbox with a fullscreen active window (do-not-disturb)"
    fi
fi
if [[ -n $WAYLAND ]]; then
    COMPOSITOR=${LIMBER_IDLE_COMPOSITOR:-$BUILD_DIR/tests/idle_compositor}
    if [[ ! -x $COMPOSITOR ]]; then
        say "building the scripted compositor in $BUILD_DIR ..."
        cmake -S "$REPO" -B "$BUILD_DIR" -DLIMBER_TESTS=ON >/dev/null
        cmake --build "$BUILD_DIR" -j2 --target idle_compositor >/dev/null
    fi
    [[ -x $COMPOSITOR ]] || die "no scripted compositor at $COMPOSITOR (needs libwayland-dev: scripts/setup-debian.sh)"
    mkfifo "$TMP/compositor-commands"
    "${ENV[@]}" "$COMPOSITOR" --ext 2 --kde --socket wayland-bench --commands "$TMP/compositor-commands" \
        >"$TMP/compositor.out" 2>"$TMP/compositor.err" &
    PIDS+=($!)
    wait_for 10 "the scripted compositor" grep -q '^ready' "$TMP/compositor.out"
    ENV+=(WAYLAND_DISPLAY=wayland-bench)
fi

# Nothing falls due during the run: one reminder, every 1 h (the run is
# limited to well under that below).
cat >"$TMP/profile.toml" <<EOF
[general]
merge_within = "0s"
idle_after = "${IDLE_AFTER}s"

[reminders.posture]
kind = "posture"
every = "1h"
title = "Posture check"
message = "Sit back, feet flat, shoulders loose."
tips = ["Drop your shoulders away from your ears."]
EOF
((SECONDS_TO_SAMPLE + 60 < 3600)) || die "at most $((3600 - 60)) s: the profile's reminder falls due after 1 h"
"$LIMBERD" --check --profile "$TMP/profile.toml" >/dev/null || die "limberd rejects the benchmark's profile"

LIMBERD_CMD=("$LIMBERD" --profile "$TMP/profile.toml")
[[ -n $PRESENCE ]] && LIMBERD_CMD+=(--log-level debug)  # to count the X11 idle checks in the window
FLOOR_CMD=("$FLOOR" org.limber.Floor)

# start_ready NAME [--stop] -- COMMAND...: prints "READY_MS PID".
start_ready() {
    local name=$1
    shift
    "${ENV[@]}" "$PY" "$BENCH/start-ready.py" --socket "$TMP/notify-$name.sock" \
        --out "$TMP/$name.out" --err "$TMP/$name.err" "$@"
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# --- 1. readiness -------------------------------------------------------------------
say "timing $STARTS starts of limberd and of the floor (exec to READY=1) ..."
LIMBERD_READY=()
FLOOR_READY=()
for ((i = 1; i <= STARTS; i++)); do
    read -r ms _ < <(start_ready limberd-start --stop -- "${LIMBERD_CMD[@]}") || die "limberd did not start; see its log above"
    LIMBERD_READY+=("$ms")
    read -r ms _ < <(start_ready floor-start --stop -- "${FLOOR_CMD[@]}") || die "the floor did not start"
    FLOOR_READY+=("$ms")
done
LIMBERD_READY_MED=$(printf '%s\n' "${LIMBERD_READY[@]}" | median)
FLOOR_READY_MED=$(printf '%s\n' "${FLOOR_READY[@]}" | median)

# --- 2. the idle pair -------------------------------------------------------------------
read -r LIMBERD_IDLE_READY LIMBERD_PID < <(start_ready limberd -- "${LIMBERD_CMD[@]}") || {
    cat "$TMP/limberd.err" >&2
    die "limberd did not get ready"
}
PIDS+=("$LIMBERD_PID")
read -r FLOOR_IDLE_READY FLOOR_PID < <(start_ready floor -- "${FLOOR_CMD[@]}") || die "the floor did not get ready"
PIDS+=("$FLOOR_PID")
wait_for 10 "limberd to own org.limber.Limber1" has_owner org.limber.Limber1
wait_for 10 "the floor to own org.limber.Floor" has_owner org.limber.Floor
grep -q ready "$TMP/limberd.err" || die "limberd sent READY=1 but logged no 'ready' line"
if [[ -n $TRAY ]]; then
    [[ -x $LIMBER_TRAY ]] || die "no limber-tray at $LIMBER_TRAY (built where dbusmenu-glib is: libdbusmenu-glib-dev)"
    if [[ -n $TRAY_PAUSED ]]; then
        "${ENV[@]}" "$(dirname "$LIMBERD")/limberctl" pause >/dev/null || die "limberctl pause failed"
    fi
    "${ENV[@]}" "$LIMBER_TRAY" >"$TMP/tray.out" 2>"$TMP/tray.err" &
    TRAY_PID=$!
    PIDS+=("$TRAY_PID")
    # Its item exported and its first status read: the name is owned once the main loop runs.
    wait_for 10 "limber-tray to own its StatusNotifierItem name" has_owner "org.kde.StatusNotifierItem-$TRAY_PID-1"
fi
sleep "$SETTLE"

# --- 3. sampling -------------------------------------------------------------------------
CLK_TCK=$(getconf CLK_TCK)

# snapshot PID FILE: one line per thread, "tid<TAB>comm<TAB>voluntary<TAB>involuntary<TAB>cpu_ns",
# then "#mem<TAB>rss_kB<TAB>pss_kB" and "#ticks<TAB>utime+stime" (process-wide, all threads).
snapshot() {
    local pid=$1 out=$2 task tid comm vol invol ns _
    [[ -d /proc/$pid ]] || die "process $pid is gone (see the logs in $TMP; set LIMBER_BENCH_KEEP=1 to keep them)"
    : >"$out"
    for task in /proc/"$pid"/task/*; do
        tid=${task##*/}
        comm=$(cat "$task/comm" 2>/dev/null) || continue
        vol=$(awk '/^voluntary_ctxt_switches:/ { print $2 }' "$task/status" 2>/dev/null) || continue
        invol=$(awk '/^nonvoluntary_ctxt_switches:/ { print $2 }' "$task/status" 2>/dev/null) || continue
        read -r ns _ <"$task/schedstat" 2>/dev/null || continue
        printf '%s\t%s\t%s\t%s\t%s\n' "$tid" "$comm" "$vol" "$invol" "$ns" >>"$out"
    done
    awk '/^Rss:/ { r = $2 } /^Pss:/ { p = $2 } END { printf "#mem\t%s\t%s\n", r, p }' /proc/"$pid"/smaps_rollup >>"$out"
    # Fields after the ")" that ends comm: utime and stime are the 12th and 13th.
    sed 's/.*) //' /proc/"$pid"/stat | awk '{ printf "#ticks\t%d\n", $12 + $13 }' >>"$out"
}

say "sampling both for $SECONDS_TO_SAMPLE s ..."
LOG_LINES_BEFORE=$(wc -l <"$TMP/limberd.err")
snapshot "$LIMBERD_PID" "$TMP/limberd.0"
snapshot "$FLOOR_PID" "$TMP/floor.0"
[[ -z $TRAY ]] || snapshot "$TRAY_PID" "$TMP/tray.0"
# In the background, so that SIGTERM or SIGINT to this script ends the wait (and cleans up) at once.
if [[ -n $PRESENCE ]]; then
    # A person at the computer: the pointer moves every INPUT_EVERY seconds (XTest, like real input).
    (
        end=$((SECONDS + SECONDS_TO_SAMPLE)) x=0
        while ((SECONDS < end)); do
            x=$(((x + 13) % 600))
            "${ENV[@]}" xdotool mousemove $((20 + x)) 40 >/dev/null 2>&1 || true
            [[ -z $WAYLAND ]] || echo input >"$TMP/compositor-commands"
            sleep "$INPUT_EVERY"
        done
    ) &
    PIDS+=($!)
fi
sleep "$SECONDS_TO_SAMPLE" &
PIDS+=($!)
wait "$!"
snapshot "$LIMBERD_PID" "$TMP/limberd.1"
snapshot "$FLOOR_PID" "$TMP/floor.1"
[[ -z $TRAY ]] || snapshot "$TRAY_PID" "$TMP/tray.1"
# RSS by mapping (library, binary, [heap], [anon], ...) at the end, to show where limberd's extra RSS is.
rss_by_mapping() {
    awk '/^[0-9a-f]+-[0-9a-f]+ / { n = $6; sub(/.*\//, "", n); if (n == "") n = "[anon]"; next }
         /^Rss:/ { r[n] += $2 } END { for (k in r) printf "%s\t%d\n", k, r[k] }' /proc/"$1"/smaps
}
rss_by_mapping "$LIMBERD_PID" >"$TMP/limberd.maps"
rss_by_mapping "$FLOOR_PID" >"$TMP/floor.maps"
LOG_LINES_AFTER=$(wc -l <"$TMP/limberd.err")

# figures START END: "rss0 rss1 pss0 pss1 cpu_ms ticks_ms ctx vol invol threads0 threads1"
figures() {
    awk -F'\t' -v tck="$CLK_TCK" '
        FNR == 1 { f++ }
        $1 == "#mem"   { rss[f] = $2; pss[f] = $3; next }
        $1 == "#ticks" { ticks[f] = $2; next }
        { n[f]++; vol[f, $1] = $3; inv[f, $1] = $4; ns[f, $1] = $5; seen[$1] = 1 }
        END {
            for (t in seen) {
                # A thread born in the window counts from 0; one that died is lost (flagged by the thread counts).
                if ((2, t) in vol) { dv += vol[2, t] - vol[1, t]; di += inv[2, t] - inv[1, t]; dns += ns[2, t] - ns[1, t] }
            }
            printf "%d %d %d %d %.1f %d %d %d %d %d %d\n", rss[1], rss[2], pss[1], pss[2], dns / 1e6,
                (ticks[2] - ticks[1]) * 1000 / tck, dv + di, dv, di, n[1], n[2]
        }' "$1" "$2"
}
# per_thread START END: the threads that woke, "comm (tid): N switches (V vol + I invol), X ms".
per_thread() {
    awk -F'\t' '
        FNR == 1 { f++ }
        /^#/ { next }
        f == 1 { vol[$1] = $3; inv[$1] = $4; ns[$1] = $5; next }
        { dv = $3 - vol[$1]; di = $4 - inv[$1]; if (dv + di > 0 || $5 - ns[$1] > 0)
            printf "    %-16s (tid %s): %d switches (%d voluntary, %d involuntary), %.3f ms CPU\n",
                $2, $1, dv + di, dv, di, ($5 - ns[$1]) / 1e6 }' "$1" "$2"
}
# gone_threads START END: threads in START but not in END (a thread that ended mid-window).
gone_threads() {
    awk -F'\t' '
        FNR == 1 { f++ }
        /^#/ { next }
        f == 1 { comm[$1] = $2; next }
        { alive[$1] = 1 }
        END { for (t in comm) if (!(t in alive)) printf "    %-16s (tid %s)\n", comm[t], t }' "$1" "$2"
}
thread_names() { awk -F'\t' '!/^#/ { printf "%s%s", sep, $2; sep = ", " } END { print "" }' "$1"; }

read -r L_RSS0 L_RSS1 L_PSS0 L_PSS1 L_CPU L_TICKS L_CTX L_VOL L_INV L_N0 L_N1 < <(figures "$TMP/limberd.0" "$TMP/limberd.1")
read -r F_RSS0 F_RSS1 F_PSS0 F_PSS1 F_CPU F_TICKS F_CTX F_VOL F_INV F_N0 F_N1 < <(figures "$TMP/floor.0" "$TMP/floor.1")

mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
verdict() { if awk "BEGIN { exit !($1) }"; then echo "met"; else echo "MISSED"; fi; }

RSS_OVER=$(awk -v a="$L_RSS1" -v b="$F_RSS1" 'BEGIN { printf "%.1f", (a - b) / 1024 }')

# --- 4. report ----------------------------------------------------------------------------
row() { printf '%-34s | %-15s | %-15s | %-17s | %s\n' "$@"; }
echo
echo "limber idle benchmark: $SECONDS_TO_SAMPLE s window, $(date '+%Y-%m-%d %H:%M:%S %Z'), $(uname -sr), $(nproc) CPU(s)"
echo "limberd: $LIMBERD ($("$LIMBERD" --version 2>/dev/null | head -n1 || echo '?'), CMake build type $BUILD_TYPE)"
echo "floor:   $FLOOR (notify_init + g_bus_own_name + GMainLoop)"
echo "session: private dbus-daemon ($BENCH/session.conf), python3-dbusmock notification_daemon"
if [[ -n $PRESENCE ]]; then
    echo "presence: private system bus with dbusmock logind (session auto), dbusmock gnome_screensaver, Xvfb $(
        printf '%s' "${ENV[@]}" | grep -o 'DISPLAY=:[0-9]*' | head -n1); idle_after ${IDLE_AFTER}s;" \
        "pointer moved every ${INPUT_EVERY}s; $FULLSCREEN_NOTE"
    [[ -z $WAYLAND ]] || echo "wayland: scripted compositor $COMPOSITOR (ext-idle-notify-v1 v2, org_kde_kwin_idle);" \
        "limberd armed: $(grep '^armed' "$TMP/compositor.out" | tr '\n' ' ')"
    echo "limberd: $(grep -o 'presence sources: .*' "$TMP/limberd.err" | head -n1)"
fi
echo
row "metric" "limberd" "floor" "target" "result"
row "----------------------------------" "---------------" "---------------" "-----------------" "------"
row "ready, exec to READY=1 (median ms)" "$LIMBERD_READY_MED" "$FLOOR_READY_MED" "<= 50 ms" \
    "$(verdict "$LIMBERD_READY_MED <= 50")"
row "RSS at start / end (MiB)" "$(mib "$L_RSS0") / $(mib "$L_RSS1")" "$(mib "$F_RSS0") / $(mib "$F_RSS1")" "" ""
row "RSS over the floor (MiB, end)" "$RSS_OVER" "-" "<= 4 MiB" "$(verdict "$RSS_OVER <= 4")"
row "PSS at start / end (MiB)" "$(mib "$L_PSS0") / $(mib "$L_PSS1")" "$(mib "$F_PSS0") / $(mib "$F_PSS1")" "" ""
if [[ -n $PRESENCE ]]; then
    # The X11 source may wake once per idle_after while the person is present; nothing else may.
    WAKE_LIMIT=$(((SECONDS_TO_SAMPLE + IDLE_AFTER - 1) / IDLE_AFTER))
    X11_CHECKS=$(sed -n "$((LOG_LINES_BEFORE + 1)),\$p" "$TMP/limberd.err" | grep -c 'x11-idle: idle for' || true)
    row "X11 idle checks in window" "$X11_CHECKS" "-" "<= $WAKE_LIMIT (1/idle_after)" \
        "$(verdict "$X11_CHECKS <= $WAKE_LIMIT")"
    row "CPU in window (ms, schedstat)" "$L_CPU" "$F_CPU" "" ""
    row "CPU in window (ms, utime+stime)" "$L_TICKS" "$F_TICKS" "" ""
    if [[ -n $WAYLAND ]]; then
        # Every source is event-driven in a Wayland session: input restarts the compositor's timer only.
        row "Wayland idle events in window" "$(grep -c -E '^(idled|resumed)' "$TMP/compositor.out" || true)" "-" \
            "0 (present)" "$(verdict "$(grep -c -E '^(idled|resumed)' "$TMP/compositor.out" || true) == 0")"
        row "context switches in window" "$L_CTX" "$F_CTX" "0" "$(verdict "$L_CTX == 0")"
    else
        row "context switches in window" "$L_CTX" "$F_CTX" "<= $((WAKE_LIMIT * 2)) (2/check)" \
            "$(verdict "$L_CTX <= $WAKE_LIMIT * 2")"
    fi
else
row "CPU in window (ms, schedstat)" "$L_CPU" "$F_CPU" "0 ms" "$(verdict "$L_CPU == 0")"
row "CPU in window (ms, utime+stime)" "$L_TICKS" "$F_TICKS" "0 ms" "$(verdict "$L_TICKS == 0")"
row "context switches in window" "$L_CTX" "$F_CTX" "0" "$(verdict "$L_CTX == 0")"
fi
row "  voluntary / involuntary" "$L_VOL / $L_INV" "$F_VOL / $F_INV" "" ""
row "threads at start / end" "$L_N0 / $L_N1" "$F_N0 / $F_N1" "" ""
echo
echo "ready, each start (ms): limberd ${LIMBERD_READY[*]} (idle instance: $LIMBERD_IDLE_READY);" \
    "floor ${FLOOR_READY[*]} (idle instance: $FLOOR_IDLE_READY)"
echo "limberd threads: $(thread_names "$TMP/limberd.1")"
echo "floor threads:   $(thread_names "$TMP/floor.1")"
echo "window: started ${SETTLE} s after both were ready; CPU and switches summed over the threads alive at both ends."
WOKE=$(per_thread "$TMP/limberd.0" "$TMP/limberd.1")
if [[ -n $WOKE ]]; then
    echo "limberd threads that woke in the window:"
    echo "$WOKE"
fi
WOKE=$(per_thread "$TMP/floor.0" "$TMP/floor.1")
if [[ -n $WOKE ]]; then
    echo "floor threads that woke in the window:"
    echo "$WOKE"
fi
if ((LOG_LINES_AFTER > LOG_LINES_BEFORE)); then
    echo "limberd logged $((LOG_LINES_AFTER - LOG_LINES_BEFORE)) line(s) in the window:"
    sed -n "$((LOG_LINES_BEFORE + 1)),\$p" "$TMP/limberd.err" | head -n 20 | sed 's/^/    /'
fi
echo "where limberd's RSS exceeds the floor's (KiB, by mapping, end of window; shared file pages mostly):"
awk -F'\t' 'FNR == 1 { f++ } f == 1 { l[$1] = $2; next } { fl[$1] = $2 }
     END { for (k in l) { d = l[k] - fl[k]; if (d >= 32) printf "%d\t%s\n", d, k } }' \
    "$TMP/limberd.maps" "$TMP/floor.maps" | sort -rn | head -n 14 |
    awk -F'\t' '{ printf "    %6d  %s\n", $1, $2; t += $1 } END { printf "    %6d  (total of these)\n", t }'
if [[ -n $TRAY ]]; then
    read -r T_RSS0 T_RSS1 T_PSS0 T_PSS1 T_CPU T_TICKS T_CTX T_VOL T_INV T_N0 T_N1 < <(figures "$TMP/tray.0" "$TMP/tray.1")
    echo
    if [[ -n $TRAY_PAUSED ]]; then
        TRAY_STATE="limberd paused: no count-down shown"
        TRAY_WAKES=0
    else
        TRAY_STATE="limberd active: the tooltip counts down a minute at a time"
        TRAY_WAKES=$(((SECONDS_TO_SAMPLE + 59) / 60))
    fi
    echo "limber-tray: $LIMBER_TRAY, no watcher on the bus (it waits silently), $TRAY_STATE"
    row "metric" "limber-tray" "limberd" "target" "result"
    row "----------------------------------" "---------------" "---------------" "-----------------" "------"
    row "RSS at start / end (MiB)" "$(mib "$T_RSS0") / $(mib "$T_RSS1")" "$(mib "$L_RSS0") / $(mib "$L_RSS1")" "" ""
    row "PSS at start / end (MiB)" "$(mib "$T_PSS0") / $(mib "$T_PSS1")" "$(mib "$L_PSS0") / $(mib "$L_PSS1")" "" ""
    row "CPU in window (ms, schedstat)" "$T_CPU" "$L_CPU" "" ""
    # Its own wake-ups are its voluntary switches: per shown minute, the timer on the main thread and
    # the GDBus worker thread sending NewToolTip and dbusmenu's ItemsPropertiesUpdated (5 measured).
    # Involuntary switches are the scheduler taking the CPU from it mid-work: they grow with the load.
    row "context switches in window" "$T_CTX" "$L_CTX" "" ""
    row "  voluntary (its wake-ups)" "$T_VOL" "$L_VOL" "<= $((TRAY_WAKES * 6)) (${TRAY_WAKES} minute(s))" \
        "$(verdict "$T_VOL <= $TRAY_WAKES * 6")"
    row "  involuntary" "$T_INV" "$L_INV" "" ""
    row "threads at start / end" "$T_N0 / $T_N1" "$L_N0 / $L_N1" "" ""
    echo "limber-tray threads: $(thread_names "$TMP/tray.1")"
    WOKE=$(per_thread "$TMP/tray.0" "$TMP/tray.1")
    if [[ -n $WOKE ]]; then
        echo "limber-tray threads that woke in the window:"
        echo "$WOKE"
    fi
    if [[ -s $TMP/tray.err ]]; then
        echo "limber-tray said:"
        head -n 10 "$TMP/tray.err" | sed 's/^/    /'
    fi
fi
for who in limberd floor; do
    GONE=$(gone_threads "$TMP/$who.0" "$TMP/$who.1")
    if [[ -n $GONE ]]; then
        echo "$who threads that ended in the window (their last switches and CPU are not in the sums):"
        echo "$GONE"
    fi
done
if [[ $BUILD_TYPE == Debug ]]; then
    echo "note: $LIMBERD is a Debug build; for figures like an installed limberd's, point LIMBERD at a"
    echo "      RelWithDebInfo or Release build (e.g. cmake -S . -B /tmp/limber-rel -DCMAKE_BUILD_TYPE=RelWithDebInfo,
      build the limberd target, run with LIMBERD=/tmp/limber-rel/limberd)."
fi
exit 0
