"""A real systemd (252) user manager for the suite, on a machine whose PID 1 is
not systemd (CI containers, VMs): `/lib/systemd/systemd --user` runs as an
ordinary test user inside a private mount namespace, with a private
systemd-journald, so that limber.service can be tested as installed, under the
same manager Debian 12 runs at every login.

How (all as root; nothing is installed system-wide except the test user):
  * `unshare --mount --propagation slave` gives a private mount namespace in which
      - /run is made a mount point (self bind mount) if it is not one: systemd's
        MountAPIVFS= (implied by ProtectKernelTunables= and friends) would
        otherwise mount an empty tmpfs over /run inside the unit, hiding the
        journal's and the bus's sockets;
      - a tmpfs over /run/systemd holds system/ (what sd_booted() checks; without
        it `systemd --user` and `systemctl --user` refuse to run), unit-root/
        (needed by PrivateUsers=yes units) and journal/ (our journald's sockets);
      - tmpfs over /run/log and /var/log/journal: a throw-away journal, flushed to
        "persistent" storage so per-user journal files exist and
        `journalctl --user` works for the test user;
  * a delegated cgroup user.slice/user-UID.slice/user@UID.service, chowned to the
    user, in every hierarchy systemd uses (cgroup2, or the v1 name=systemd tree plus
    "unified"): the path logind would give, so journald tags _SYSTEMD_USER_UNIT=;
  * /run/user/UID (0700, the user's) as XDG_RUNTIME_DIR; dbus-user-session's
    dbus.socket gives the user a session bus at /run/user/UID/bus;
  * clients (systemctl --user, journalctl --user, anything the test runs as the
    user) run inside the namespace through `nsenter -t PID -m`: outside it
    sd_booted() is false and systemctl reports "offline".

`UserManager.unavailable()` says why this cannot run here (not root, pieces
missing); tests skip with that reason, or fail when LIMBER_REQUIRE_SYSTEMD=1.
`stop()` tears everything down (manager, journald, cgroups, runtime dir) and is
safe to call after a failed or partial start.
"""

import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time

from harness import wait_until

SYSTEMD = "/lib/systemd/systemd"
JOURNALD = "/lib/systemd/systemd-journald"
TOOLS = ("unshare", "nsenter", "setpriv", "useradd", "systemctl", "journalctl", "mountpoint")
DEFAULT_USER = "limberunit"
POLL = 0.05


def require_systemd():
    """True when a missing real user manager must fail the test, not skip it."""
    return os.environ.get("LIMBER_REQUIRE_SYSTEMD") == "1"


def cgroup_roots():
    """The cgroup hierarchies systemd uses on this machine."""
    if _fs_type("/sys/fs/cgroup") == "cgroup2fs":
        return ["/sys/fs/cgroup"]
    roots = ["/sys/fs/cgroup/systemd"]
    if _fs_type("/sys/fs/cgroup/unified") == "cgroup2fs":
        roots.append("/sys/fs/cgroup/unified")
    return roots


def remove_cgroup(top, timeout=10.0):
    """SIGKILL whatever is still in the cgroup tree `top`, then remove its directories, deepest first."""
    if not os.path.isdir(top):
        return

    def pids():
        out = set()
        for dirpath, _dirs, files in os.walk(top):
            if "cgroup.procs" in files:
                try:
                    with open(os.path.join(dirpath, "cgroup.procs")) as f:
                        out |= {int(p) for p in f.read().split()}
                except OSError:
                    pass
        return out
    deadline = time.monotonic() + timeout
    while pids() and time.monotonic() < deadline:
        for pid in pids():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(POLL)
    for dirpath, _dirs, _files in sorted(os.walk(top), key=lambda w: -w[0].count("/")):
        try:
            os.rmdir(dirpath)
        except OSError:
            pass


def _fs_type(path):
    r = subprocess.run(["stat", "-f", "-c", "%T", path], capture_output=True, text=True)
    return r.stdout.strip() if r.returncode == 0 else ""


class UserManager:
    """One real `systemd --user` for USER in a private mount namespace."""

    def __init__(self, user=DEFAULT_USER, timeout=30.0):
        self.user = user
        self.timeout = timeout
        self.state = None  # a root-only directory holding logs and the inner script
        self.proc = None  # unshare → inner script → exec systemd --user
        self.journald_pid = None
        self.mounted_name_systemd = False
        self.created_user = False

    # ---- availability ---------------------------------------------------------------

    @staticmethod
    def unavailable():
        """None when a real user manager can run here, else the reason it cannot."""
        if os.geteuid() != 0:
            return "needs root (a private mount namespace, a delegated cgroup, a test user)"
        for path in (SYSTEMD, JOURNALD):
            if not os.access(path, os.X_OK):
                return "%s missing (Debian package systemd)" % path
        for tool in TOOLS:
            if not shutil.which(tool):
                return "%s missing (Debian packages util-linux, passwd, systemd)" % tool
        if not os.path.exists("/usr/lib/systemd/user/dbus.socket"):
            return "no user session bus unit (Debian package dbus-user-session)"
        if _fs_type("/sys/fs/cgroup") not in ("cgroup2fs", "tmpfs"):
            return ("no cgroup file system at /sys/fs/cgroup (in a chroot: mount --rbind /sys, "
                    "not a plain sysfs mount)")
        if not os.path.exists("/etc/machine-id"):
            return "no /etc/machine-id (systemd-machine-id-setup makes one)"
        if os.path.isdir("/run/systemd/system"):
            # A second manager for a user in the host's own cgroup tree would fight the real one.
            return ("this machine runs systemd as PID 1: the harness is for machines without it "
                    "(CI, containers); log in as a user there and use systemctl --user instead")
        return None

    # ---- identities -----------------------------------------------------------------

    @property
    def pw(self):
        return pwd.getpwnam(self.user)

    @property
    def uid(self):
        return self.pw.pw_uid

    @property
    def home(self):
        return self.pw.pw_dir

    @property
    def runtime_dir(self):
        return "/run/user/%d" % self.uid

    @property
    def unit_dir(self):
        return os.path.join(self.home, ".config", "systemd", "user")

    def _cgroup_rel(self):
        return "user.slice/user-%d.slice/user@%d.service" % (self.uid, self.uid)

    def user_env(self, extra=None):
        env = {
            "HOME": self.home,
            "USER": self.user,
            "LOGNAME": self.user,
            "SHELL": "/bin/sh",
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "XDG_RUNTIME_DIR": self.runtime_dir,
            "DBUS_SESSION_BUS_ADDRESS": "unix:path=%s/bus" % self.runtime_dir,
            "LANG": "C.UTF-8",
        }
        env.update(extra or {})
        return env

    # ---- start / stop ---------------------------------------------------------------

    def start(self):
        t0 = time.monotonic()
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return time.monotonic() - t0

    def _start(self):
        try:
            pwd.getpwnam(self.user)
        except KeyError:
            subprocess.run(["useradd", "-m", "-s", "/bin/sh", self.user], check=True)
            self.created_user = True
        self.state = tempfile.mkdtemp(prefix="limber-usermgr-", dir="/run")
        uid, gid = self.pw.pw_uid, self.pw.pw_gid
        self._reset_user_files()
        os.makedirs(self.runtime_dir, exist_ok=True)
        os.chown(self.runtime_dir, uid, gid)
        os.chmod(self.runtime_dir, 0o700)
        os.makedirs(self.unit_dir, exist_ok=True)
        subprocess.run(["chown", "-R", "%d:%d" % (uid, gid), os.path.join(self.home, ".config")],
                       check=True)

        if _fs_type("/sys/fs/cgroup") != "cgroup2fs" and \
                _fs_type("/sys/fs/cgroup/systemd") != "cgroupfs":
            os.makedirs("/sys/fs/cgroup/systemd", exist_ok=True)
            subprocess.run(["mount", "-t", "cgroup", "-o", "none,name=systemd", "cgroup",
                            "/sys/fs/cgroup/systemd"], check=True)
            self.mounted_name_systemd = True
        for root in cgroup_roots():
            path = os.path.join(root, self._cgroup_rel())
            os.makedirs(path, exist_ok=True)
            subprocess.run(["chown", "-R", "%d:%d" % (uid, gid), path], check=True)

        inner = os.path.join(self.state, "inner.sh")
        cg = " ".join(os.path.join(r, self._cgroup_rel(), "cgroup.procs") for r in cgroup_roots())
        env = " ".join("%s='%s'" % kv for kv in self.user_env().items()
                       if kv[0] != "DBUS_SESSION_BUS_ADDRESS")
        with open(inner, "w") as f:
            f.write("""#!/bin/sh
set -e
mountpoint -q /run || mount --rbind /run /run
mount -t tmpfs -o mode=755,nosuid,nodev tmpfs /run/systemd
mkdir -p /run/systemd/system /run/systemd/unit-root /run/systemd/journal
mkdir -p /run/log && mount -t tmpfs -o mode=755,nosuid,nodev tmpfs /run/log
mkdir -p /var/log/journal && mount -t tmpfs -o mode=2755,nosuid,nodev tmpfs /var/log/journal
{journald} >{state}/journald.log 2>&1 </dev/null &
echo $! >{state}/journald.pid
i=0
while [ ! -S /run/systemd/journal/stdout ]; do
  i=$((i+1)); [ $i -lt 200 ] || {{ echo "journald did not come up" >&2; exit 1; }}
  sleep 0.05
done
journalctl --flush
for f in {cg}; do echo $$ >"$f"; done
exec setpriv --reuid={uid} --regid={gid} --init-groups env -i {env} \\
  {systemd} --user --log-target=journal --log-level=info
""".format(journald=JOURNALD, state=self.state, cg=cg, uid=uid, gid=gid, env=env,
           systemd=SYSTEMD))
        os.chmod(inner, 0o700)
        self.log_path = os.path.join(self.state, "manager.log")
        with open(self.log_path, "w") as log:
            self.proc = subprocess.Popen(["unshare", "--mount", "--propagation", "slave", inner],
                                         stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                         start_new_session=True, cwd="/")

        def ready():
            if self.proc.poll() is not None:
                raise AssertionError("the user manager exited during start-up (rc %s): %s"
                                     % (self.proc.returncode, self.manager_log()))
            if not os.path.exists(os.path.join(self.runtime_dir, "systemd", "private")):
                return False
            r = self.ctl("is-system-running", check=False)
            return r.stdout.strip() in ("running", "degraded")

        wait_until(ready, self.timeout, "the user manager to be running")
        with open(os.path.join(self.state, "journald.pid")) as f:
            self.journald_pid = int(f.read())

    def _reset_user_files(self):
        """Start from a clean test user: no units, state or config of an earlier run."""
        for sub in (".config", ".local", ".cache"):
            shutil.rmtree(os.path.join(self.home, sub), ignore_errors=True)

    def manager_log(self):
        try:
            with open(self.log_path) as f:
                return f.read()[-4000:]
        except (OSError, AttributeError):
            return "(no manager log)"

    def stop(self):
        """Tear everything down; safe after a failed or partial start."""
        if self.proc is not None and self.proc.poll() is None:
            self.ctl("exit", check=False, timeout=10)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        try:
            uid = self.uid
        except KeyError:
            uid = None
        if uid is not None:
            # Anything left in the delegated cgroup was started by this manager.
            for root in cgroup_roots():
                remove_cgroup(os.path.join(root, self._cgroup_rel()))
                for d in ("user.slice/user-%d.slice" % uid, "user.slice"):
                    try:
                        os.rmdir(os.path.join(root, d))
                    except OSError:
                        pass
            shutil.rmtree(self.runtime_dir, ignore_errors=True)
        if self.journald_pid:
            try:
                with open("/proc/%d/comm" % self.journald_pid) as f:
                    if f.read().strip() == "systemd-journal":
                        os.kill(self.journald_pid, 15)
            except OSError:
                pass
            self.journald_pid = None
        if self.mounted_name_systemd:
            # Left mounted while anyone else has a cgroup in it.
            if not any(e.is_dir() for e in os.scandir("/sys/fs/cgroup/systemd")):
                subprocess.run(["umount", "/sys/fs/cgroup/systemd"], check=False)
            self.mounted_name_systemd = False
        if self.created_user:
            subprocess.run(["userdel", "-r", self.user], capture_output=True, check=False)
            self.created_user = False
        if self.state:
            shutil.rmtree(self.state, ignore_errors=True)
            self.state = None
        self.proc = None

    # ---- running things inside ------------------------------------------------------

    @property
    def pid(self):
        """The manager's pid (systemd --user), whose mount namespace clients enter."""
        return self.proc.pid

    def ns_argv(self, argv, as_user=True, env=None):
        """argv run inside the manager's mount namespace, as the test user by default."""
        prefix = ["nsenter", "-t", str(self.pid), "-m", "--"]
        if not as_user:
            return prefix + list(argv)
        return prefix + ["setpriv", "--reuid=%d" % self.uid, "--regid=%d" % self.pw.pw_gid,
                         "--init-groups", "env", "-i"] + \
            ["%s=%s" % kv for kv in self.user_env(env).items()] + list(argv)

    def run(self, argv, as_user=True, env=None, check=True, timeout=None):
        # cwd "/": the checkout may be unreadable for the test user (CI clones under /root, 0700).
        r = subprocess.run(self.ns_argv(argv, as_user, env), capture_output=True, text=True,
                           stdin=subprocess.DEVNULL, timeout=timeout or self.timeout, cwd="/")
        if check and r.returncode != 0:
            raise AssertionError("%s failed (rc %d):\n%s%s" % (" ".join(argv), r.returncode,
                                                             r.stdout, r.stderr))
        return r

    def popen(self, argv, log_path, env=None):
        """A long-running process as the user inside the namespace (own process group)."""
        log = open(log_path, "w")
        try:
            return subprocess.Popen(self.ns_argv(argv, True, env), stdin=subprocess.DEVNULL,
                                    stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                    cwd="/")
        finally:
            log.close()

    def ctl(self, *args, check=True, timeout=None):
        return self.run(["systemctl", "--user", "--no-pager"] + list(args), check=check,
                        timeout=timeout)

    def show(self, unit, *props):
        """{property: value} of `systemctl --user show UNIT -p …`."""
        r = self.ctl("show", unit, "-p", ",".join(props))
        return dict(line.split("=", 1) for line in r.stdout.splitlines() if "=" in line)

    def journal(self, *args, check=True):
        """journalctl --user as the test user (the user's own journal files)."""
        return self.run(["journalctl", "--user", "--no-pager"] + list(args), check=check)
