#!/usr/bin/env bash
# Runs the README's test command as CI does: in a fresh Debian 12 root
# (debootstrap minbase plus git), on a clone of one commit in /root/limber.
# Usage: scripts/fresh-root.sh [--keep] [--commit REV] [COMMAND...]
#   COMMAND runs in the clone as root (default: bash scripts/test.sh);
#   --commit picks the commit to clone (default HEAD: uncommitted work is not tested);
#   --keep leaves the root in place afterwards (its path is printed).
# Logs are copied out to $FRESH_ROOT_LOGS (default build/fresh-root/ here).
# Needs root (or sudo), debootstrap (installed if missing) and Debian's archive.
# Only downloaded .deb files are reused (the host's /var/cache/apt/archives,
# checksummed by debootstrap and apt): every package is still installed, so a
# missing install step still fails.
set -euo pipefail
{ # read whole before it runs: editing this file during a run cannot change the run
cd "$(dirname "$0")/.."
src=$PWD

if [[ $(id -u) -ne 0 ]]; then exec sudo --preserve-env=FRESH_ROOT_LOGS,CI "$0" "$@"; fi

keep=0
commit=HEAD
while [[ $# -gt 0 ]]; do
  case $1 in
    --keep) keep=1; shift ;;
    --commit) commit=${2:?--commit needs a revision}; shift 2 ;;
    --) shift; break ;;
    -*) echo "fresh-root.sh: unknown option $1 (usage: scripts/fresh-root.sh [--keep] [--commit REV] [COMMAND...])" >&2; exit 2 ;;
    *) break ;;
  esac
done
[[ $# -gt 0 ]] || set -- bash scripts/test.sh
commit_arg=$commit
commit=$(git rev-parse -q --verify "$commit^{commit}") || {
  echo "fresh-root.sh: --commit $commit_arg: no such commit in $src (give a branch, tag or hash of this repository)" >&2
  exit 2
}
[[ -z $(git status --porcelain --untracked-files=no) ]] ||
  echo "fresh-root: note: uncommitted changes in $src are not tested (only commit $(git rev-parse --short "$commit"))"

logs=${FRESH_ROOT_LOGS:-$src/build/fresh-root}
mkdir -p "$logs"
host_cache=/var/cache/apt/archives
root=$(mktemp -d /var/tmp/limber-fresh-root.XXXXXX)
chmod 755 "$root"
t0=$SECONDS
phase_start=$SECONDS
phase() { # prints the time of the phase that ended, then the next one's name
  [[ -n ${phase_name:-} ]] && echo "fresh-root: $phase_name took $((SECONDS - phase_start)) s"
  phase_name=$1
  phase_start=$SECONDS
  [[ -n $1 ]] && echo "fresh-root: $1…"
  return 0
}

cleanup() {
  local rc=$?
  set +e
  # Whatever the run left behind in the root (dbus, Xvfb, dunst…) is ended first.
  local p
  for p in /proc/[0-9]*; do
    [[ $(readlink "$p/root" 2>/dev/null) == "$root" ]] && kill -9 "${p#/proc/}" 2>/dev/null
  done
  # The root's mounts live in the command's own mount namespace; none is made here. Never remove
  # a root that something still has mounted.
  if findmnt -rn -o TARGET | grep -qF "$root/"; then
    echo "fresh-root: mounts remain under $root: not removing it" >&2
  elif [[ $keep -eq 1 ]]; then
    echo "fresh-root: root kept in $root"
  else
    rm -rf --one-file-system "$root"
  fi
  echo "fresh-root: exit $rc after $((SECONDS - t0)) s; logs in $logs"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! command -v debootstrap >/dev/null; then
  phase "installing debootstrap on the host"
  { apt-get update -qq && apt-get install -y -qq -o DPkg::Lock::Timeout=600 debootstrap; } >"$logs/host-apt.log" 2>&1 ||
    { tail -20 "$logs/host-apt.log"; exit 1; }
fi

phase "debootstrap bookworm (minbase, git) into $root"
cache_opt=()
[[ -d $host_cache && -w $host_cache ]] && cache_opt=(--cache-dir="$host_cache")
if ! debootstrap --variant=minbase --include=git,ca-certificates "${cache_opt[@]}" \
  bookworm "$root" http://deb.debian.org/debian >"$logs/debootstrap.log" 2>&1; then
  echo "fresh-root: debootstrap failed; last lines of $logs/debootstrap.log:" >&2
  tail -20 "$logs/debootstrap.log" >&2
  exit 1
fi

phase "setting up the root"
# The same apt sources as the host (bookworm, -updates, -security).
rm -f "$root/etc/apt/sources.list"
cp /etc/apt/sources.list.d/debian.sources "$root/etc/apt/sources.list.d/"
# Downloaded .debs only: apt checks each against its index and installs it anyway.
if [[ ${#cache_opt[@]} -gt 0 ]]; then
  find "$host_cache" -maxdepth 1 -name '*.deb' -exec cp -l -n -t "$root/var/cache/apt/archives/" {} + 2>/dev/null ||
    find "$host_cache" -maxdepth 1 -name '*.deb' -exec cp -n -t "$root/var/cache/apt/archives/" {} +
fi
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
# The commit under test, cloned as CI would: the clone in /root.
git clone -q --no-hardlinks "$src" "$root/root/limber"
git -C "$root/root/limber" checkout -q --detach "$commit"
echo "fresh-root: testing $(git -C "$root/root/limber" log -1 --format='%h %s')"

phase "running '$*' in the root"
set +e
# The root becomes / of a new mount and PID namespace (pivot_root, not chroot: the kernel refuses
# user namespaces, which the tests' PrivateUsers=yes units need, to a chrooted process, and
# `unshare --propagation` fails on a chroot's /). Its mounts (proc for its own PIDs, /sys with
# /sys/fs/cgroup, /dev, tmpfs /dev/shm and /run) live and die with that namespace, and every
# process left in it is killed when the command ends.
unshare --mount --pid --fork --propagation private /bin/bash -c '
  set -e
  root=$1; shift
  mount --bind "$root" "$root"
  mount -t proc proc "$root/proc"
  mount --rbind /sys "$root/sys"
  mount --rbind /dev "$root/dev"
  mount -t tmpfs -o mode=1777,nosuid,nodev shm "$root/dev/shm"
  mount -t tmpfs -o mode=755,nosuid,nodev run "$root/run"
  mkdir -p "$root/run/lock" && chmod 1777 "$root/run/lock"
  mkdir -p "$root/.old-root"
  cd "$root"
  pivot_root . .old-root
  umount -l /.old-root
  rmdir /.old-root
  exec /usr/bin/env -i HOME=/root USER=root LOGNAME=root TERM=dumb LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    CI="$CI" LIMBER_REQUIRE_SYSTEMD=1 LIMBER_REQUIRE_DESKTOPS=1 \
    /bin/bash -c "cd /root/limber && exec \"\$@\"" fresh-root "$@"
' fresh-root-ns "$root" "$@" 2>&1 | tee "$logs/run.log"
rc=${PIPESTATUS[0]}
set -e
phase ""

# Logs out: the build's and the test run's, whatever exists.
for f in "$root"/root/limber/build/logs/* "$root"/root/limber/build/Testing/Temporary/LastTest.log; do
  [[ -f $f ]] && cp "$f" "$logs/"
done
exit "$rc"
}
