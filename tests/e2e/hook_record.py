#!/usr/bin/python3
"""A hook for the e2e tests: appends what it was given, argv and LIMBER_*
environment, as one JSON line to the file named by its first argument.
With --hang it records itself, then ignores SIGTERM and sleeps (only SIGKILL
stops it), to test the timeout."""

import json
import os
import signal
import sys
import time

log = sys.argv[1]
record = {"argv": sys.argv[2:], "pid": os.getpid(), "pgid": os.getpgid(0),
          "env": {k: v for k, v in os.environ.items() if k.startswith("LIMBER_")},
          "notify": [k for k in os.environ if k == "NOTIFY_SOCKET"]}
with open(log, "a", encoding="utf-8") as f:
    f.write(json.dumps(record) + "\n")
if "--hang" in sys.argv[2:]:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    time.sleep(120)
if "--fail" in sys.argv[2:]:
    sys.exit(3)
