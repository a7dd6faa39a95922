#!/usr/bin/env python3
"""Coverage of talentchain's bootstrap intervals, measured on generated worlds.

Generates one large world (the process's values: `--scale` times the
researchers of a small one) and `--worlds` small worlds from the same
generator setting with other seeds, runs `countries --by total --ci LEVEL`
and `talent countries --ci LEVEL` on each, and counts how often each small
world's interval contains the large world's value, for a few headline
quantities (a country's share of AI papers, full and fractional; its
retention).

    scripts/coverage.py --bin target/release/talentchain --worlds 200

Needs only Python's standard library. Prints one line per quantity:
coverage of the large world's value, and of the mean of the other small
worlds' estimates (the process's value at the small worlds' size: some
quantities depend on the size of the world, e.g. through the pools
co-authors are drawn from), the worlds whose interval lies above ("below":
the value is below the interval) or below it, and the mean interval width.
"""

import argparse
import csv
import io
import os
import subprocess
import sys
import tempfile


def run(cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def world(bin_, out, seed, researchers):
    run([bin_, "demo", "--out", out, "--seed", str(seed), "--researchers", str(researchers)])
    return os.path.join(out, "dataset")


QUANTITIES = [
    # (label, command, key column, key, value column)
    ("CN share_full", ["countries", "--by", "total"], "country", "CN", "share_full"),
    ("CN share_fractional", ["countries", "--by", "total"], "country", "CN", "share_fractional"),
    ("US share_fractional", ["countries", "--by", "total"], "country", "US", "share_fractional"),
    ("IN share_fractional", ["countries", "--by", "total"], "country", "IN", "share_fractional"),
    ("CN retention", ["talent", "countries"], "country", "CN", "retention"),
    ("US retention", ["talent", "countries"], "country", "US", "retention"),
    ("IN retention", ["talent", "countries"], "country", "IN", "retention"),
]


def values(bin_, data, extra):
    out = {}
    cache = {}
    for label, cmd, kcol, key, vcol in QUANTITIES:
        k = tuple(cmd)
        if k not in cache:
            cache[k] = rows(run([bin_, *cmd, "--data", data, "--format", "csv", *extra]))
        row = next((r for r in cache[k] if r[kcol] == key), None)
        out[label] = row
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--bin", default="target/release/talentchain")
    p.add_argument("--worlds", type=int, default=200)
    p.add_argument("--researchers", type=int, default=1000)
    p.add_argument("--scale", type=int, default=100)
    p.add_argument("--level", type=float, default=95)
    p.add_argument("--replicates", type=int, default=1000)
    p.add_argument("--resample", default="works", choices=["works", "lead-authors"],
                   help="what the output metrics' intervals resample")
    p.add_argument("--truth", help="the large world's dataset, if already made")
    p.add_argument("--work", default=None, help="folder for the worlds (default: a temporary one)")
    a = p.parse_args()
    tmp = a.work or tempfile.mkdtemp(prefix="talentchain-coverage-")
    truth_data = a.truth or world(a.bin, os.path.join(tmp, "large"), 10**6, a.researchers * a.scale)
    truth = {k: float(r[QUANTITIES[[q[0] for q in QUANTITIES].index(k)][4]])
             for k, r in values(a.bin, truth_data, []).items() if r}
    hits = {k: [] for k in truth}
    widths = {k: [] for k in truth}
    # Each world's (estimate, lo, hi), to score against the mean of the
    # other worlds' estimates too: the process's value at this world size.
    seen = {k: [] for k in truth}
    for i in range(a.worlds):
        d = world(a.bin, os.path.join(tmp, "w"), 1 + i, a.researchers)
        got = values(a.bin, d, ["--ci", str(a.level), "--replicates", str(a.replicates), "--seed", str(i),
                                "--resample", a.resample])
        for label, cmd, kcol, key, vcol in QUANTITIES:
            r = got.get(label)
            if label not in truth or not r or not r[vcol + "_lo"]:
                continue
            lo, hi = float(r[vcol + "_lo"]), float(r[vcol + "_hi"])
            t = truth[label]
            hits[label].append("in" if lo <= t <= hi else ("below" if t < lo else "above"))
            widths[label].append(hi - lo)
            seen[label].append((float(r[vcol]), lo, hi))
        print(f"world {i + 1}/{a.worlds}", file=sys.stderr, end="\r")
    print(file=sys.stderr)
    print(f"{a.worlds} worlds of {a.researchers} researchers, truth from {a.researchers * a.scale}; "
          f"{a.level}% intervals, {a.replicates} replicates, output metrics resampling {a.resample}")
    print(f"{'quantity':24} {'large':>8} {'coverage':>9} {'below':>6} {'above':>6} "
          f"{'mean':>8} {'coverage':>9} {'below':>6} {'above':>6} {'width':>8}")
    for label in truth:
        h = hits[label]
        if not h:
            continue
        cov = h.count("in") / len(h)
        w = sum(widths[label]) / len(widths[label])
        # Against the mean of the other worlds' estimates (leave one out).
        est = [e for e, _, _ in seen[label]]
        total = sum(est)
        loo = ["in" if lo <= (total - e) / (len(est) - 1) <= hi else
               ("below" if (total - e) / (len(est) - 1) < lo else "above")
               for e, lo, hi in seen[label]]
        print(f"{label:24} {truth[label]:8.4f} {cov:9.3f} {h.count('below'):6d} {h.count('above'):6d} "
              f"{total / len(est):8.4f} {loo.count('in') / len(loo):9.3f} {loo.count('below'):6d} "
              f"{loo.count('above'):6d} {w:8.4f}")


if __name__ == "__main__":
    main()
