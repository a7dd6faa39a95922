#!/usr/bin/env python3
"""Run a command; print its wall time and peak memory (max RSS of the child) as JSON.

Usage: scripts/measure.py LABEL CMD [ARGS...]
"""
import json
import resource
import subprocess
import sys
import time

label, cmd = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
seconds = time.perf_counter() - start
rss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
if proc.returncode != 0:
    sys.stderr.write(proc.stderr)
    sys.exit(proc.returncode)
print(json.dumps({"label": label, "seconds": round(seconds, 3), "max_rss_mb": round(rss_kb / 1024, 1)}))
