"""A real logind for the suite: this machine's own root file system booted as a
throw-away systemd-nspawn container (real systemd as PID 1, real system bus,
real systemd-logind, real user@UID.service), on a machine whose PID 1 is not
systemd (CI containers, VMs).

How (all as root; nothing on the host is installed or changed but a cache of two
unpacked .debs):
  * systemd-nspawn: /usr/bin/systemd-nspawn when installed; otherwise Debian's
    systemd-container and libsystemd-shared .debs are fetched with
    `apt-get download` and unpacked with `dpkg -x` into a cache directory
    (installing systemd-container would upgrade the host's systemd), and run
    with LD_LIBRARY_PATH;
  * nspawn refuses `-D /`: in a private mount namespace (`unshare -m`) a tmpfs
    over /run holds a non-recursive bind mount of / (what nspawn boots) and the
    nspawn/ directories nspawn writes under /run/systemd (in a chroot, such as
    CI's fresh Debian root, the chroot is first made the namespace's root: see
    BOOT); `--volatile=overlay`
    puts a tmpfs over that root, so every change in the container (the test
    user, the installed limber) is discarded at power-off;
  * there is no host systemd, machined or system bus to register with, hence
    `--register=no --keep-unit`: the container lives in a cgroup we create (in
    cgroup2, or in the v1 name=systemd tree plus "unified") and remove;
  * `--private-network`, and the host's timers and services that have no
    business there are masked;
  * inside: a test user (created in the overlay only), two logind sessions
    opened with `systemd-run -p PAMName=login` (the way a display manager's PAM
    stack opens them): one plain, one of type x11, which logind makes the user's
    Display session; the first one starts the user's real user@UID.service.

`RealLogind.unavailable()` says why this cannot run here (not root, pieces
missing); tests skip with that reason, or fail when LIMBER_REQUIRE_SYSTEMD=1.
`down()` powers the container off, kills what is left and removes the cgroups;
it is safe after a failed or partial `up()`.
"""

import ctypes
import fcntl
import os
import shutil
import signal
import subprocess
import tempfile
import time

from harness import wait_until
from real_systemd import cgroup_roots, remove_cgroup

PR_SET_PDEATHSIG = 1
libc = ctypes.CDLL(None, use_errno=True)
NSPAWN = "/usr/bin/systemd-nspawn"
CACHE = os.environ.get("LIMBER_NSPAWN_CACHE", "/var/cache/limber-tests/nspawn")
TOOLS = ("unshare", "nsenter", "runuser", "apt-get", "dpkg", "dpkg-query", "tar")
INIT = "/lib/systemd/systemd"
# What the container must not start: the host's services and timers that are not needed here.
MASKED = ("postgresql.service", "getty@tty1.service", "console-getty.service", "apt-daily.timer",
          "apt-daily-upgrade.timer", "man-db.timer", "e2scrub_all.timer", "dpkg-db-backup.timer",
          "fstrim.timer", "systemd-tmpfiles-clean.timer", "logrotate.timer", "cron.service",
          "ssh.service", "exim4.service", "systemd-networkd-wait-online.service")


# Run in a new mount namespace with argv = systemd-nspawn's command line. nspawn refuses -D /,
# so / is bind-mounted (non-recursively: the host's other mounts stay out) under a tmpfs over
# /run, which also takes the nspawn/ directories nspawn writes under /run/systemd. Mounts are
# made private first so nothing propagates to the host. In a chroot (CI's fresh Debian root)
# / is no mount point, so neither we nor nspawn can change its propagation, and the kernel
# refuses user namespaces (the unit's PrivateUsers=yes) to chrooted processes: the chroot's
# root is then bind-mounted through a private /run and made the namespace's root with
# pivot_root (after leaving the chroot by entering our own mount namespace), and this runs again.
BOOT = """\
set -e
if ! awk '$5 == "/" { found = 1 } END { exit !found }' /proc/self/mountinfo; then
  if [ -n "$LIMBER_BOOT_PIVOTED" ] || ! mountpoint -q /run; then
    echo "real_logind: / is no mount point (a chroot?) and /run is none either" >&2; exit 1
  fi
  mount --make-rprivate /run
  mount -t tmpfs -o mode=755 tmpfs /run
  mkdir /run/chroot
  mount --rbind / /run/chroot
  mount --make-rprivate /run/chroot
  export LIMBER_BOOT_PIVOTED=1
  exec nsenter --mount=/proc/self/ns/mnt --wd=/run/chroot -- \\
    sh -c 'mount --make-rprivate / && pivot_root . . && umount -l . && cd / &&
           exec sh -c "$LIMBER_BOOT" sh "$@"' sh "$@"
fi
mount --make-rprivate /
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/systemd /run/limber-root
mount --bind / /run/limber-root
exec "$@"
"""


class Unavailable(Exception):
    """This machine cannot run the container; the message says why and what to install."""


def _run(argv, timeout=60, **kw):
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, **kw)


def _package_version(name):
    r = _run(["dpkg-query", "-W", "-f=${Version}", name])
    return r.stdout.strip() if r.returncode == 0 else ""


def _remove_stale_cgroups():
    """The cgroups of earlier runs whose test process was killed before down()."""
    for root in cgroup_roots():
        for name in os.listdir(root):
            if name.startswith("limber-") and name[7:].isdigit() and not os.path.exists("/proc/" + name[7:]):
                remove_cgroup(os.path.join(root, name))


class RealLogind:
    """One booted container; `root()` and `as_user()` run commands inside it."""

    def __init__(self, user="limbertest", timeout=45.0):
        self.user = user
        self.timeout = timeout
        self.name = "limber-%d" % os.getpid()  # the machine name and the cgroup
        self.state = None  # root-only directory holding nspawn's log
        self.proc = None  # unshare → sh → systemd-nspawn
        self.uid = None
        self.sessions = {}  # "plain" / "x11" -> logind session id
        self.timings = {}

    # ---- availability ---------------------------------------------------------------

    @staticmethod
    def unavailable():
        """None when the container can run here, else the reason it cannot."""
        if os.geteuid() != 0:
            return "needs root (systemd-nspawn, a private mount namespace, cgroups)"
        for tool in TOOLS:
            if not shutil.which(tool):
                return "%s missing (Debian packages util-linux, apt, dpkg, tar)" % tool
        if not os.access(INIT, os.X_OK):
            return "%s missing: nothing to boot (Debian package systemd)" % INIT
        for path, package in (("/usr/bin/dbus-daemon", "dbus"),
                              ("/lib/x86_64-linux-gnu/security/pam_systemd.so", "libpam-systemd"),
                              ("/usr/lib/systemd/user/dbus.socket", "dbus-user-session"),
                              ("/etc/pam.d/login", "login"),
                              ("/usr/bin/busctl", "systemd")):
            if not os.path.exists(path):
                return "%s missing (Debian package %s)" % (path, package)
        if not cgroup_roots():
            return "no cgroup hierarchy systemd can use under /sys/fs/cgroup"
        if not os.access(NSPAWN, os.X_OK) and not _package_version("systemd"):
            return "systemd is not a Debian package here: cannot fetch the matching systemd-container"
        return None

    # ---- systemd-nspawn -------------------------------------------------------------

    def nspawn(self):
        """(argv0, LD_LIBRARY_PATH or None): the installed systemd-nspawn, else an unpacked one."""
        if os.access(NSPAWN, os.X_OK):
            return NSPAWN, None
        os.makedirs(CACHE, mode=0o755, exist_ok=True)
        with open(os.path.join(CACHE, ".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # one download at a time
            last = "no version of systemd-container known to apt"
            for version in self._versions():
                unpacked = os.path.join(CACHE, version)
                binary = os.path.join(unpacked, "usr/bin/systemd-nspawn")
                libs = os.path.join(unpacked, "usr/lib/x86_64-linux-gnu/systemd")
                if os.access(binary, os.X_OK):
                    return binary, libs
                with tempfile.TemporaryDirectory(dir=CACHE) as debs:
                    r = _run(["apt-get", "download", "-q", "-o", "APT::Sandbox::User=root",
                              "systemd-container=" + version, "libsystemd-shared=" + version],
                             cwd=debs, timeout=300)
                    if r.returncode != 0:
                        last = r.stderr.strip() or r.stdout.strip()
                        continue
                    tmp = unpacked + ".part"
                    shutil.rmtree(tmp, ignore_errors=True)
                    for deb in sorted(os.listdir(debs)):
                        subprocess.run(["dpkg", "-x", os.path.join(debs, deb), tmp], check=True)
                    os.rename(tmp, unpacked)
                return binary, libs
        raise Unavailable("could not fetch systemd-container (apt-get download): %s; "
                          "run apt-get update, or install systemd-container" % last)

    @staticmethod
    def _versions():
        """The host's systemd version first (the same build), then what apt offers."""
        host = _package_version("systemd")
        if host:
            yield host
        policy = _run(["apt-cache", "policy", "systemd-container"]).stdout
        for line in policy.splitlines():
            words = line.split()
            if words[:1] == ["Candidate:"] and words[1] not in (host, "(none)"):
                yield words[1]

    # ---- life cycle -----------------------------------------------------------------

    def up(self):
        t0 = time.monotonic()
        binary, libs = self.nspawn()
        self.timings["nspawn"] = time.monotonic() - t0
        self.state = tempfile.mkdtemp(prefix="limber-logind-")
        _remove_stale_cgroups()
        for root in cgroup_roots():
            os.makedirs(os.path.join(root, self.name), exist_ok=True)
        env = dict(os.environ, LD_LIBRARY_PATH=libs) if libs else dict(os.environ)
        env.pop("NOTIFY_SOCKET", None)
        boot = ["systemd.mask=" + unit for unit in MASKED]
        argv = ["unshare", "-m", "--propagation", "unchanged", "sh", "-c", BOOT, "sh", binary,
                "-D", "/run/limber-root", "--volatile=overlay", "--register=no", "--keep-unit",
                "--private-network", "-M", self.name, "--console=passive", "-b", "--"] + boot
        env["LIMBER_BOOT"] = BOOT
        cgroups = [os.path.join(root, self.name, "cgroup.procs") for root in cgroup_roots()]

        def enter_cgroup():
            # Should the test itself be killed, nspawn gets SIGTERM and powers the container off.
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
            for procs in cgroups:
                with open(procs, "w") as f:
                    f.write(str(os.getpid()))

        with open(os.path.join(self.state, "nspawn.log"), "w") as log:
            self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                         env=env, preexec_fn=enter_cgroup, start_new_session=True)

        def booted():
            if self.proc.poll() is not None:
                raise AssertionError("systemd-nspawn exited (%s)\n%s" % (self.proc.returncode, self.nspawn_log()))
            if self.init_pid() is None:
                return False
            r = self._enter(["systemctl", "is-system-running"], timeout=10)
            return r.stdout.strip() in ("running", "degraded")
        wait_until(booted, self.timeout, "the container to boot", self.report)
        self.timings["boot"] = time.monotonic() - t0 - self.timings["nspawn"]

        self.root("useradd", "-m", "-s", "/bin/bash", self.user)
        self.uid = int(self.root("id", "-u", self.user).strip())
        # Two logind sessions, as a display manager's PAM stack opens them; the x11 one is
        # the user's Display session.
        self.root("systemd-run", "-q", "--unit=limber-test-session", "-p", "PAMName=login",
                  "-p", "User=" + self.user, "/bin/sleep", "infinity")
        self.root("systemd-run", "-q", "--unit=limber-test-session-x11", "-p", "PAMName=login",
                  "-p", "User=" + self.user, "-p", "Environment=XDG_SESSION_TYPE=x11",
                  "-p", "Environment=DISPLAY=:99", "/bin/sleep", "infinity")
        wait_until(lambda: self._enter(["systemctl", "-q", "is-active", "user@%d.service" % self.uid]).returncode == 0,
                   self.timeout, "user@%d.service to be active" % self.uid, self.report)
        self.sessions = wait_until(self._sessions_by_type, self.timeout, "both logind sessions", self.report)
        self.timings["total"] = time.monotonic() - t0

    def _sessions_by_type(self):
        """{"x11": id, "plain": id} once logind lists both sessions of the test user."""
        found = {}
        for line in self.root("loginctl", "list-sessions", "--no-legend", "--no-pager").splitlines():
            sid = line.split()[0]
            kind = self.session_property(sid, "Type")
            found["x11" if kind == "x11" else "plain"] = sid
        return found if len(found) == 2 else None

    def down(self):
        """Power off, kill what is left, remove the cgroups. Safe after a partial up()."""
        if self.proc is not None and self.proc.poll() is None:
            if self.init_pid() is not None:
                self._enter(["systemctl", "poweroff", "--no-block"], timeout=10)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        for root in cgroup_roots():
            remove_cgroup(os.path.join(root, self.name))
        if self.state:
            shutil.rmtree(self.state, ignore_errors=True)
            self.state = None

    # ---- running things inside -------------------------------------------------------

    def init_pid(self):
        """The container's PID 1 as seen from the host, or None."""
        for root in cgroup_roots():
            procs = os.path.join(root, self.name, "payload", "init.scope", "cgroup.procs")
            try:
                with open(procs) as f:
                    for pid in f.read().split():
                        with open("/proc/%s/comm" % pid) as comm:
                            if comm.read().strip() == "systemd":
                                return int(pid)
            except OSError:
                continue
        return None

    def _enter(self, argv, timeout=30, input=None):
        pid = self.init_pid()
        if pid is None:
            raise AssertionError("the container is not running\n" + self.nspawn_log())
        return subprocess.run(["nsenter", "-t", str(pid), "-a", "-r", "-w", "--"] + list(argv), input=input,
                              capture_output=True, timeout=timeout, text=isinstance(input, (str, type(None))))

    def root(self, *argv, check=True, timeout=30, input=None):
        """Run argv as root inside the container; its stdout (raises on failure when check)."""
        r = self._enter(argv, timeout=timeout, input=input)
        if check and r.returncode != 0:
            raise AssertionError("in the container, %s failed (%d): %s%s" % (
                " ".join(argv), r.returncode, r.stdout, r.stderr))
        return r.stdout

    def succeeds(self, *argv):
        """Whether argv, run as root inside the container, exits 0."""
        return self._enter(argv).returncode == 0

    def as_user_run(self, *argv, timeout=30):
        """Run argv as the test user (with its runtime dir and session bus); the CompletedProcess."""
        return self._enter(["runuser", "-u", self.user, "--", "env", "XDG_RUNTIME_DIR=/run/user/%d" % self.uid,
                            "DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/%d/bus" % self.uid] + list(argv),
                           timeout=timeout)

    def as_user(self, *argv, timeout=30):
        r = self.as_user_run(*argv, timeout=timeout)
        if r.returncode != 0:
            raise AssertionError("in the container, as %s, %s failed (%d): %s%s" % (
                self.user, " ".join(argv), r.returncode, r.stdout, r.stderr))
        return r.stdout

    def session_property(self, sid, name):
        return self.root("loginctl", "show-session", sid, "-p", name, "--value").strip()

    def session_path(self, sid):
        return self.root("busctl", "call", "org.freedesktop.login1", "/org/freedesktop/login1",
                         "org.freedesktop.login1.Manager", "GetSession", "s", sid).split('"')[1]

    def copy_tree(self, source):
        """Copy the directory tree `source` into the container's / (as root, modes kept;
        existing directories keep theirs)."""
        tar = subprocess.run(["tar", "-C", source, "-c", "."], capture_output=True, check=True)
        r = self._enter(["tar", "-x", "--no-overwrite-dir", "-C", "/"], input=tar.stdout)
        if r.returncode != 0:
            raise AssertionError("copying %s into the container failed: %s" % (source, r.stderr))

    # ---- diagnostics ----------------------------------------------------------------

    def nspawn_log(self):
        try:
            with open(os.path.join(self.state, "nspawn.log"), errors="replace") as f:
                return "systemd-nspawn's log (tail):\n" + "".join(f.readlines()[-30:])
        except (OSError, TypeError):
            return "(no systemd-nspawn log)"

    def report(self):
        parts = [self.nspawn_log()]
        if self.init_pid() is not None:
            for argv in (["systemctl", "is-system-running"], ["systemctl", "--failed", "--no-pager"],
                         ["loginctl", "list-sessions", "--no-pager"]):
                r = self._enter(argv, timeout=10)
                parts.append("$ %s\n%s%s" % (" ".join(argv), r.stdout, r.stderr))
        return "\n".join(parts)
