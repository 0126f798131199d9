# Shared by the bench-*.sh scripts (sourced, not run): a scratch directory
# cleaned up on exit, and a private D-Bus session in it that nothing of the
# caller's desktop leaks into. The caller defines say and die first.

# bench_tmp NAME: TMP is a new scratch directory; every pid added to PIDS is
# stopped on exit, newest first (so limberd goes while its bus is still there),
# and TMP removed unless LIMBER_BENCH_KEEP is set.
bench_tmp() {
    BENCH_NAME=$1
    TMP=$(mktemp -d "${TMPDIR:-/tmp}/limber-$BENCH_NAME.XXXXXX")
    PIDS=()
    trap bench_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# shellcheck disable=SC2317  # run by the EXIT trap
bench_cleanup() {
    local status=$? i pid
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
        pid=${PIDS[i]}
        kill -TERM "$pid" 2>/dev/null || continue
        for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true  # processes started through env are not always our children
    done
    if [[ -n ${LIMBER_BENCH_KEEP:-} ]]; then say "$BENCH_NAME: kept $TMP"; else rm -rf "$TMP"; fi
    exit "$status"
}

# wait_for SECONDS WHAT COMMAND...: poll every 50 ms until COMMAND succeeds.
wait_for() {
    local limit=$1 what=$2
    shift 2
    local end=$((SECONDS + limit))
    until "$@" >/dev/null 2>&1; do
        ((SECONDS < end)) || die "timed out after ${limit} s waiting for $what"
        sleep 0.05
    done
}

# shellcheck disable=SC2317  # run through wait_for
has_owner() {
    "${ENV[@]}" gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
        --method org.freedesktop.DBus.NameHasOwner "$1" | grep -q true
}

# session_env: XDG directories under TMP and ENV, an `env -i` prefix that runs
# a command in them with the session bus at BUS.
session_env() {
    mkdir -p "$TMP/home" "$TMP/config" "$TMP/data" "$TMP/cache" "$TMP/state/limber" "$TMP/run"
    chmod 700 "$TMP/run"
    BUS=unix:path=$TMP/bus
    ENV=(env -i
        PATH=/usr/local/bin:/usr/bin:/bin
        LANG=C.UTF-8
        HOME="$TMP/home"
        XDG_CONFIG_HOME="$TMP/config"
        XDG_DATA_HOME="$TMP/data"
        XDG_CACHE_HOME="$TMP/cache"
        XDG_STATE_HOME="$TMP/state"
        XDG_RUNTIME_DIR="$TMP/run"
        DBUS_SESSION_BUS_ADDRESS="$BUS")
}

# start_session_bus: a dbus-daemon at BUS with a config that auto-starts nothing.
start_session_bus() {
    "${ENV[@]}" dbus-daemon --config-file="$BENCH/session.conf" --address="$BUS" --nofork --nopidfile \
        >"$TMP/dbus.out" 2>"$TMP/dbus.err" &
    PIDS+=($!)
    wait_for 10 "the private dbus-daemon" test -S "$TMP/bus"
}

# start_notification_mock: python3-dbusmock's notification_daemon on the session bus.
start_notification_mock() {
    "${ENV[@]}" "$PY" -m dbusmock --template notification_daemon >"$TMP/mock.out" 2>"$TMP/mock.err" &
    PIDS+=($!)
    wait_for 10 "the mock notification server" has_owner org.freedesktop.Notifications
}
