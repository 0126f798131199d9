#!/usr/bin/python3
"""Checks limber's Debian package.

  check_deb.py --build-dir BUILD        run cpack -G DEB on BUILD (into a temporary
                                        directory), then check the package
  check_deb.py --deb FILE [--install]   check FILE; with --install (as root) also
                                        dpkg -i it, run it, and dpkg -r it again

Checked: the control fields (Depends from dpkg-shlibdeps names the libraries the
binaries load, Recommends the X11 libraries limberd opens at run time), every file the package must carry, that the unit, the D-Bus
activation file and the desktop entries start the packaged limberd, that the
packaged binaries run (--version, --check of the packaged default.toml) with the
system's libraries, and that apt can satisfy Depends on this system
(apt-get install --simulate). Exit status 0 = all good; each failure is printed.
"""

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from harness import kept_install_record  # noqa: E402  (the e2e tests' one copy)

failures = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        failures.append(what)
    return ok


def run(argv, **kw):
    return subprocess.run(argv, capture_output=True, text=True, timeout=300, **kw)


def build_deb(build_dir, out):
    with kept_install_record(build_dir):
        res = run(["cpack", "-G", "DEB", "-B", out], cwd=build_dir)
    if res.returncode != 0:
        sys.exit("cpack failed:\n" + res.stdout + res.stderr)
    debs = glob.glob(os.path.join(out, "*.deb"))
    if len(debs) != 1:
        sys.exit("cpack made %r" % debs)
    return debs[0]


def field(control, name):
    m = re.search(r"^%s: (.*)$" % name, control, re.M)
    return m.group(1) if m else ""


def needed(binary):
    """The shared libraries BINARY names (DT_NEEDED)."""
    res = run(["readelf", "-d", binary])
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^]]+)\]", res.stdout)


def package_of(soname):
    """The Debian package that holds SONAME for this architecture (as ldconfig finds it), or '?'."""
    arch = "x86-64" if os.uname().machine == "x86_64" else ""
    for line in run(["/sbin/ldconfig", "-p"]).stdout.splitlines():
        m = re.match(r"\s*(\S+) \(([^)]*)\) => (\S+)$", line)
        if not m or m.group(1) != soname or (arch and arch not in m.group(2)):
            continue
        path = m.group(3)
        # Merged /usr: dpkg knows the file under the path its package ships it at.
        for candidate in (path, os.path.realpath(path), re.sub(r"^/usr/lib/", "/lib/", path),
                          re.sub(r"^/lib/", "/usr/lib/", path)):
            res = run(["dpkg-query", "-S", candidate])
            if res.returncode == 0:
                return res.stdout.split(":")[0]
    return "?"


def check_deb(deb, install):
    control = run(["dpkg-deb", "-f", deb]).stdout
    print("--- control\n" + control.rstrip() + "\n---")
    check(field(control, "Package") == "limber", "Package: limber")
    depends = field(control, "Depends")
    depends_pkgs = {d.split()[0] for alt in depends.split(",") for d in alt.split("|") if d.strip()}
    for lib in ("libglib2.0-0", "libnotify4", "libc6"):
        check(lib in depends_pkgs, "Depends names %s (dpkg-shlibdeps)" % lib)
    # What limberd dlopen()s where there is an X display (dpkg-shlibdeps cannot see it): recommended.
    recommends = {d.strip().split()[0] for d in field(control, "Recommends").split(",") if d.strip()}
    for lib in ("libxcb1", "libxcb-screensaver0", "libxcb-sync1"):
        check(lib in recommends, "Recommends names %s (opened at run time by the X11 sources)" % lib)
    check(field(control, "Architecture") == run(["dpkg", "--print-architecture"]).stdout.strip(),
          "Architecture is this machine's")

    listing = run(["dpkg-deb", "-c", deb]).stdout
    files = [l.split()[-1].lstrip(".") for l in listing.splitlines() if not l.startswith("d")]
    bins = [f for f in files if re.search(r"/bin/limberd$", f)]
    if not check(len(bins) == 1, "one bin/limberd"):
        return
    prefix = bins[0][: -len("/bin/limberd")]
    print("prefix %s" % prefix)
    for path in ("/bin/limberctl", "/share/man/man1/limberd.1.gz", "/share/man/man1/limberctl.1.gz",
                 "/share/man/man5/limber-profile.5.gz", "/share/applications/limber.desktop",
                 "/share/dbus-1/services/org.limber.Limber1.service", "/lib/systemd/user/limber.service",
                 "/share/limber/default.toml", "/share/bash-completion/completions/limberctl") + tuple(
                     "/share/icons/hicolor/scalable/apps/limber-%s.svg" % kind
                     for kind in ("posture", "stretch", "hydration", "movement", "eyes", "breathing", "custom")):
        check(prefix + path in files, "carries %s%s" % (prefix, path))
    # Every language of po/LINGUAS, compiled (po/CMakeLists.txt).
    linguas = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "po", "LINGUAS")
    with open(linguas, encoding="utf-8") as f:
        languages = [w for line in f if not line.startswith("#") for w in line.split()]
    check(languages, "po/LINGUAS lists a language")
    for lang in languages:
        path = "%s/share/locale/%s/LC_MESSAGES/limber.mo" % (prefix, lang)
        check(path in files, "carries %s" % path)
    # Where each is read for the prefix (CMakeLists.txt): /usr is the distribution's; under /usr/local
    # zsh reads site-functions, fish /etc/fish/completions, desktops /etc/xdg/autostart.
    if prefix == "/usr":
        where = ["/usr/share/zsh/vendor-completions/_limberctl",
                 "/usr/share/fish/vendor_completions.d/limberctl.fish", "/etc/xdg/autostart/limber.desktop"]
    elif prefix == "/usr/local":
        where = ["/usr/local/share/zsh/site-functions/_limberctl", "/etc/fish/completions/limberctl.fish",
                 "/etc/xdg/autostart/limber.desktop"]
    else:
        where = [prefix + "/share/zsh/site-functions/_limberctl",
                 prefix + "/share/fish/vendor_completions.d/limberctl.fish",
                 prefix + "/etc/xdg/autostart/limber.desktop"]
    for path in where:
        check(path in files, "carries %s" % path)
    # limber-tray, where it was built (dbusmenu-glib present): its unit, autostart entry and icons too.
    tray = prefix + "/bin/limber-tray" in files
    print("limber-tray %s" % ("packaged" if tray else "not built: not checked"))
    if tray:
        autostart = where[-1].replace("/limber.desktop", "/limber-tray.desktop")
        for path in [prefix + "/lib/systemd/user/limber-tray.service", autostart] + [
                prefix + "/share/icons/hicolor/scalable/apps/limber-tray-%s.svg" % state
                for state in ("active", "paused", "away", "off-hours", "dnd", "not-running")]:
            check(path in files, "carries %s" % path)
    if prefix == "/usr":
        check(not any(f.startswith("/usr/local") or f.startswith("/usr/etc") for f in files),
              "nothing under /usr/local or /usr/etc")

    root = tempfile.mkdtemp(prefix="limber-deb-")
    try:
        subprocess.run(["dpkg-deb", "-x", deb, root], check=True)
        limberd = prefix + "/bin/limberd"

        def text(path):
            with open(root + path, encoding="utf-8") as f:
                return f.read()
        check(re.search(r"^ExecStart=%s$" % re.escape(limberd), text(prefix + "/lib/systemd/user/limber.service"),
                        re.M) is not None, "limber.service starts %s" % limberd)
        check("Exec=%s\n" % limberd in text(prefix + "/share/dbus-1/services/org.limber.Limber1.service"),
              "the D-Bus activation file starts %s" % limberd)
        check("Exec=%s\n" % limberd in text(prefix + "/share/applications/limber.desktop"),
              "limber.desktop names %s" % limberd)
        check("NoDisplay=true" in text(prefix + "/share/applications/limber.desktop"), "limber.desktop is NoDisplay")
        # The C++ libraries are linked in when Debian ships them static (CMakeLists.txt), so the
        # rest of Depends is whatever the binaries still load: each of those libraries' packages.
        programs = ("limberd", "limberctl") + (("limber-tray",) if tray else ())
        if tray:
            check(re.search(r"^ExecStart=%s/bin/limber-tray$" % re.escape(prefix),
                            text(prefix + "/lib/systemd/user/limber-tray.service"), re.M) is not None,
                  "limber-tray.service starts %s/bin/limber-tray" % prefix)
            check("Exec=%s/bin/limber-tray\n" % prefix in text(autostart),
                  "limber-tray's autostart entry names %s/bin/limber-tray" % prefix)
        # The autostart entries, as desktops read them (desktop-file-utils): valid, without a warning.
        for entry in [where[-1]] + ([autostart] if tray else []):
            if shutil.which("desktop-file-validate"):
                res = run(["desktop-file-validate", root + entry])
                check(res.returncode == 0 and not (res.stdout + res.stderr).strip(),
                      "desktop-file-validate %s" % entry + ("" if res.returncode == 0 and not (
                          res.stdout + res.stderr).strip() else ":\n" + res.stdout + res.stderr))
            else:
                print("desktop-file-validate missing (desktop-file-utils): %s not validated" % entry)
        for name in programs:
            for soname in needed(root + prefix + "/bin/" + name):
                pkg = package_of(soname)
                check(pkg in depends_pkgs, "Depends names %s, the package of %s's %s" % (pkg, name, soname))
        for name in programs:
            res = run([root + prefix + "/bin/" + name, "--version"])
            check(res.returncode == 0 and res.stdout.startswith(name + " "), "%s --version runs" % name)
        res = run([root + limberd, "--check", "--profile", root + prefix + "/share/limber/default.toml"])
        check(res.returncode == 0, "the packaged default.toml is valid")
        for page in ("man1/limberd.1.gz", "man1/limberctl.1.gz", "man5/limber-profile.5.gz"):
            res = run(["man", "-l", root + prefix + "/share/man/" + page], env=dict(os.environ, MANWIDTH="80"))
            check(res.returncode == 0 and "NAME" in res.stdout, "man -l %s renders" % page)
    finally:
        shutil.rmtree(root, ignore_errors=True)

    if shutil.which("apt-get"):
        res = run(["apt-get", "install", "--simulate", "-q", os.path.abspath(deb)])
        check(res.returncode == 0, "apt-get install --simulate satisfies Depends" +
              ("" if res.returncode == 0 else ":\n" + res.stdout[-2000:] + res.stderr[-2000:]))

    if install:
        if not check(os.geteuid() == 0, "running as root, as dpkg -i needs"):
            return
        res = run(["dpkg", "-i", deb])
        if check(res.returncode == 0, "dpkg -i" + ("" if res.returncode == 0 else ":\n" + res.stderr)):
            try:
                check(run([limberd, "--version"]).returncode == 0, "the installed limberd runs")
                check(run(["man", "-w", "limberctl"]).stdout.strip().startswith(prefix + "/share/man"),
                      "man finds limberctl(1)")
                for unit in ("limber.service", "limber-tray.service"):
                    if os.path.exists(prefix + "/lib/systemd/user/" + unit):
                        res = run(["systemd-analyze", "verify", "--user", prefix + "/lib/systemd/user/" + unit])
                        print(res.stdout + res.stderr)
                # The package's own unit, run for real: a systemd --user manager starts, reloads,
                # restarts and stops it (the same e2e test the suite runs on `cmake --install`).
                e2e = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e")
                res = run([sys.executable, "-m", "unittest", "test_unit_systemd"], cwd=e2e,
                          env=dict(os.environ, LIMBER_UNIT_PREFIX=prefix, LIMBERD=limberd))
                check(res.returncode == 0 and "skipped" not in res.stderr.splitlines()[-1],
                      "the package's limber.service and limber-tray.service under a real systemd user manager" +
                      ("" if res.returncode == 0 else ":\n" + res.stderr[-3000:]))
                print(res.stderr.strip().splitlines()[-1])
            finally:
                res = run(["dpkg", "-r", "limber"])
                check(res.returncode == 0, "dpkg -r limber")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir")
    ap.add_argument("--deb")
    ap.add_argument("--install", action="store_true")
    args = ap.parse_args()
    out = None
    try:
        if args.build_dir:
            out = tempfile.mkdtemp(prefix="limber-cpack-")
            deb = build_deb(args.build_dir, out)
        elif args.deb:
            deb = args.deb
        else:
            ap.error("give --build-dir or --deb")
        print("package %s" % deb)
        check_deb(deb, args.install)
    finally:
        if out:
            shutil.rmtree(out, ignore_errors=True)
    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
