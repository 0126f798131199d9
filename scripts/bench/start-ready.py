#!/usr/bin/python3
"""Start a program and time it from exec to its sd_notify READY=1.

Used by scripts/bench-idle.sh. Binds an AF_UNIX datagram socket, spawns the
program (in a session of its own, stdin from /dev/null, stdout and stderr to
the given files) with NOTIFY_SOCKET pointing at that socket, and waits for a
datagram holding READY=1. Prints "READY_MS PID" on stdout, the milliseconds
from just before the spawn to the arrival of READY=1 (CLOCK_MONOTONIC).

  start-ready.py [--stop] [--timeout S] --socket PATH --out FILE --err FILE -- PROGRAM ARGS...

With --stop the program is then sent SIGTERM and awaited (SIGKILL after 5 s);
without it the program is left running. Exit status 1 (with a message on
stderr) if the program exits or the timeout passes before READY=1.
"""
import argparse
import os
import select
import signal
import socket
import subprocess
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--stop", action="store_true")
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--socket", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--err", required=True)
    ap.add_argument("argv", nargs="+")
    args = ap.parse_args()

    if os.path.exists(args.socket):
        os.unlink(args.socket)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
    sock.bind(args.socket)
    env = dict(os.environ, NOTIFY_SOCKET=args.socket)
    with open(args.out, "ab") as out, open(args.err, "ab") as err:
        t0 = time.monotonic()
        child = subprocess.Popen(args.argv, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                 start_new_session=True, close_fds=True)
    ready_at = None
    deadline = t0 + args.timeout
    try:
        while ready_at is None:
            left = deadline - time.monotonic()
            if left <= 0:
                sys.stderr.write("start-ready: %s sent no READY=1 within %.1f s\n" % (args.argv[0], args.timeout))
                child.kill()
                child.wait()
                return 1
            r, _, _ = select.select([sock], [], [], min(left, 0.05))
            if r:
                data = sock.recv(4096)
                now = time.monotonic()
                if b"READY=1" in data.split(b"\n"):
                    ready_at = now
            elif child.poll() is not None:
                sys.stderr.write("start-ready: %s exited with status %s before READY=1\n"
                                 % (args.argv[0], child.returncode))
                return 1
    finally:
        sock.close()
        os.unlink(args.socket)

    print("%.1f %d" % ((ready_at - t0) * 1000.0, child.pid), flush=True)
    if args.stop:
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(timeout=5)
        except subprocess.TimeoutExpired:
            sys.stderr.write("start-ready: %s ignored SIGTERM for 5 s; killed\n" % args.argv[0])
            child.kill()
            child.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
