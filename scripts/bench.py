#!/usr/bin/env python3
"""talentchain's benchmarks (the figures in BENCHMARKS.md), on generated
OpenAlex-shaped corpora with snapshot-sized records, side by side in one
run since the machines are shared and noisy.

Usage:
  scripts/bench.py ingest  [--sizes 0.25,0.5,1,2,4] [--compare-at 1]  targets 1, 2, 4, 6 (ingest)
  scripts/bench.py skip    [--size 1]                                 target 3
  scripts/bench.py queries [--works 5000000] [--sizes ...]            targets 5 (queries), 6 (queries)
  scripts/bench.py api     [--works 5000000]                          target 5 (API under wrk)
  scripts/bench.py derive  [--size 1]                                 the derived tables: Rust path vs their SQL
  scripts/bench.py queries --compare OTHER_BINARY                     each query with this build and another, side by side

Sizes are GB of works JSON. Corpora and datasets go to target/bench (or
$BENCH_DIR); the release binary is built first. Each step is timed with its
peak memory (max RSS); ingest and its baselines run one after the other on
the same files. Needs python3 with duckdb and polars for --compare-at
(pip install duckdb polars), gzip, and wrk for `api`.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "target/release/talentchain"
BENCH = Path(os.environ.get("BENCH_DIR", ROOT / "target/bench"))
THREADS = int(os.environ.get("THREADS", os.cpu_count() or 2))


def build():
    subprocess.run(["cargo", "build", "--release", "-p", "talentchain-cli", "--quiet"], cwd=ROOT, check=True)


def measure(cmd, env=None):
    """Wall seconds and peak memory (MB) of `cmd` (run in a fresh process
    so that max RSS is its own)."""
    probe = (
        "import resource,subprocess,sys,time,json;"
        "t=time.perf_counter();p=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.PIPE,text=True);"
        "s=time.perf_counter()-t;"
        "sys.stderr.write(p.stderr) if p.returncode else None;"
        "print(json.dumps({'rc':p.returncode,'s':s,'mb':resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024}))"
    )
    out = subprocess.run([sys.executable, "-c", probe, *map(str, cmd)], capture_output=True, text=True, env=env)
    m = json.loads(out.stdout)
    if m["rc"] != 0:
        raise SystemExit(f"failed: {' '.join(map(str, cmd))}\n{out.stderr}")
    return m["s"], m["mb"]


def corpus(gb, ai_share=None, full=True):
    """A gzipped works corpus of about `gb` GB of JSON (generated once):
    snapshot-sized records (`--full-records`), or the short ones (ids,
    authorships, concepts, topics, venue) with `full=False`."""
    name = f"corpus-{gb:g}gb" + (f"-ai{ai_share:g}" if ai_share is not None else "") + ("" if full else "-short")
    d = BENCH / name
    manifest = d / "openalex/works/manifest"
    if not manifest.exists():
        cmd = [BIN, "demo", "--out", d, *(["--full-records"] if full else []), "--parts", "8", "--target-bytes", str(int(gb * 1e9)), "--generate-only"]
        if ai_share is not None:
            cmd += ["--ai-share", str(ai_share)]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    files = sorted((d / "openalex/works").glob("updated_date=*/*.gz"))
    works = json.loads(manifest.read_text())["meta"]["record_count"]
    json_bytes = 0
    for f in files:
        p = subprocess.run(f"gzip -dc '{f}' | wc -c", shell=True, capture_output=True, text=True, check=True)
        json_bytes += int(p.stdout)
    return d, files, works, json_bytes


def row(label, secs, mb, works, json_bytes, base=None):
    ratio = f"{base / secs:.2f}" if base else ""
    return f"| {label} | {secs:.1f} | {works / secs:,.0f} | {json_bytes / 1e6 / secs:,.0f} | {mb:,.0f} | {ratio} |"


HEADER = "| step | seconds | works/s | MB/s of JSON | peak memory (MB) | throughput vs inflate-only |\n|---|---:|---:|---:|---:|---:|"


def ingest_cmd(d, out, extra=()):
    return [BIN, "ingest", d / "openalex/works", "--out", out, "--force", "--quiet", "-j", THREADS, *extra]


def cmd_ingest(args):
    sizes = [float(s) for s in args.sizes.split(",")]
    curve = []
    for gb in sizes:
        d, files, works, jb = corpus(gb)
        print(f"\n### {gb:g} GB: {works:,} works, {jb / 1e6:,.0f} MB of JSON, "
              f"{sum(f.stat().st_size for f in files) / 1e6:,.0f} MB gzipped, {THREADS} threads\n")
        print(HEADER)
        inflate, imb = measure([BIN, "ingest", d / "openalex/works", "--out", BENCH / "unused", "--inflate-only", "-j", THREADS])
        print(row("inflate only (same reader code and threads)", inflate, imb, works, jb))
        secs, mb = measure(ingest_cmd(d, BENCH / f"ds-{gb:g}gb"))
        print(row("**talentchain ingest**", secs, mb, works, jb, inflate))
        curve.append((gb, works, jb, inflate, secs, mb))
        if gb == args.compare_at:
            g, gmb = measure(["sh", "-c", f"printf '%s\\n' {' '.join(map(str, files))} | xargs -P {THREADS} -n 1 gzip -dc > /dev/null"])
            print(row("`gzip -dc`, one process per file", g, gmb, works, jb, inflate))
            with tempfile.TemporaryDirectory(dir=BENCH) as t:
                s, m = measure([sys.executable, ROOT / "scripts/bench/duckdb_ingest.py", THREADS, Path(t) / "duck", *files])
                print(row("DuckDB `read_json` → Parquet", s, m, works, jb, inflate))
            env = dict(os.environ, POLARS_MAX_THREADS=str(THREADS))
            with tempfile.TemporaryDirectory(dir=BENCH) as t:
                s, m = measure([sys.executable, ROOT / "scripts/bench/polars_ingest.py", Path(t) / "polars", *files], env=env)
                print(row("Polars `read_ndjson` → Parquet", s, m, works, jb, inflate))
            ai, aimb = measure(ingest_cmd(d, BENCH / f"ds-{gb:g}gb-ai", ["--ai", "concepts"]))
            print(row("talentchain ingest --ai concepts (keeps ~80%)", ai, aimb, works, jb, inflate))
    print("\n### Scaling\n")
    print("| GB of JSON | works | inflate-only (s) | ingest (s) | ingest s per GB | peak memory (MB) |\n|---:|---:|---:|---:|---:|---:|")
    for gb, works, jb, inflate, secs, mb in curve:
        print(f"| {jb / 1e9:.2f} | {works:,} | {inflate:.1f} | {secs:.1f} | {secs / (jb / 1e9):.1f} | {mb:,.0f} |")


def cmd_skip(args):
    d, files, works, jb = corpus(args.size, ai_share=0.1)
    print(f"\n### Skip fast: {works:,} works, {jb / 1e6:,.0f} MB of JSON, 10% AI, {THREADS} threads\n")
    print(HEADER)
    inflate, imb = measure([BIN, "ingest", d / "openalex/works", "--out", BENCH / "unused", "--inflate-only", "-j", THREADS])
    print(row("inflate only", inflate, imb, works, jb))
    secs, mb = measure(ingest_cmd(d, BENCH / "ds-skip-all"))
    print(row("ingest (every work)", secs, mb, works, jb, inflate))
    for profile in ["concepts", "topics", "venues"]:
        out = BENCH / f"ds-skip-{profile}"
        s, m = measure(ingest_cmd(d, out, ["--ai", profile]))
        kept = json.loads((out / "manifest.json").read_text())["records"]["works"]
        print(row(f"ingest --ai {profile} (keeps {kept / works:.0%})", s, m, works, jb, inflate))


def readable(ds):
    """Whether this talentchain reads the dataset `ds` (a dataset of an
    older schema version is ingested again)."""
    if not (ds / "manifest.json").exists():
        return False
    r = subprocess.run([BIN, "sql", "--data", ds, "SELECT 1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return r.returncode == 0


def dataset_of(works):
    """A dataset of about `works` works (short records: the queries read the
    same columns whatever the JSON's size)."""
    out = BENCH / f"ds-{works}-works"
    if not readable(out):
        src = BENCH / f"corpus-{works}-works"
        if not (src / "openalex/works/manifest").exists():
            subprocess.run([BIN, "demo", "--out", src, "--researchers", str(works * 10 // 91), "--parts", "8", "--generate-only"],
                           check=True, stdout=subprocess.DEVNULL)
        subprocess.run([BIN, "ingest", src / "openalex", "--out", out, "--force", "--quiet", "-j", THREADS], check=True)
    n = json.loads((out / "manifest.json").read_text())["records"]["works"]
    return out, n


QUERIES = [
    ("countries", ["countries"]),
    ("institutions --rollup", ["institutions", "--rollup"]),
    ("talent flows", ["talent", "flows"]),
    ("sectors", ["sectors"]),
    ("talent countries", ["talent", "countries"]),
    ("talent mismatch", ["talent", "mismatch"]),
]
# With --compare, the rest of the metrics too.
MORE_QUERIES = [
    ("countries --by total", ["countries", "--by", "total"]),
    ("institutions", ["institutions"]),
    ("collab", ["collab"]),
    ("talent conversion --origin CN", ["talent", "conversion", "--origin", "CN"]),
    ("talent orgs --rollup", ["talent", "orgs", "--rollup"]),
    ("talent top", ["talent", "top"]),
    ("talent countries --careers-from affiliations", ["talent", "countries", "--careers-from", "affiliations"]),
    ("countries --ai mine.toml (a profile file: its status computed)", ["countries", "--ai", BENCH / "mine.toml"]),
]


def profile_file():
    """`concepts` under another name: a profile file, whose status is
    computed at each query rather than read from a stored column."""
    text = (ROOT / "crates/talentchain/profiles/concepts.toml").read_text()
    (BENCH / "mine.toml").write_text(text.replace('name = "concepts"', 'name = "mine"', 1))


def time_queries(ds, repeat=3, binary=None, queries=QUERIES):
    out = []
    for label, q in queries:
        best = min(measure([binary or BIN, *q, "--data", ds, "--format", "csv"]) for _ in range(repeat))
        out.append((label, *best))
    return out


def cmd_compare(args):
    """Each query with this build and `args.compare`, one after the other
    on the same dataset, best of `repeat` each, and the ratio."""
    ds, n = dataset_of(args.works)
    profile_file()
    other = Path(args.compare).resolve()
    print(f"\n### Queries on {n:,} works: this build against `{other}` (whole command, best of {args.repeat}, interleaved)\n")
    print("| command | this build (s) | other (s) | this / other | peak memory, this / other (MB) |\n|---|---:|---:|---:|---:|")
    for label, q in QUERIES + MORE_QUERIES:
        mine, theirs = [], []
        for _ in range(args.repeat):
            mine.append(measure([BIN, *q, "--data", ds, "--format", "csv"]))
            theirs.append(measure([other, *q, "--data", ds, "--format", "csv"]))
        (s, mb), (t, tmb) = min(mine), min(theirs)
        print(f"| `talentchain {label}` | {s:.2f} | {t:.2f} | {s / t:.2f} | {mb:,.0f} / {tmb:,.0f} |")


def cmd_derive(args):
    """Ingest with the derived tables in Rust (the default) and by their SQL
    (`--derive-by sql`), interleaved, on two corpus shapes."""
    for full in [True, False]:
        d, files, works, jb = corpus(args.size, full=full)
        shape = "snapshot-sized records" if full else "short records"
        print(f"\n### {shape}: {works:,} works, {jb / 1e6:,.0f} MB of JSON, {THREADS} threads (best of {args.repeat})\n")
        print("| derived tables | seconds | MB/s of JSON | peak memory (MB) | time vs Rust |\n|---|---:|---:|---:|---:|")
        rust, sql = [], []
        for _ in range(args.repeat):
            rust.append(measure(ingest_cmd(d, BENCH / "ds-derive-rust")))
            sql.append(measure(ingest_cmd(d, BENCH / "ds-derive-sql", ["--derive-by", "sql"])))
        (r, rmb), (q, qmb) = min(rust), min(sql)
        print(f"| Rust, as each part is built (default) | {r:.1f} | {jb / 1e6 / r:,.0f} | {rmb:,.0f} | 1.00 |")
        print(f"| their SQL over each part's base tables | {q:.1f} | {jb / 1e6 / q:,.0f} | {qmb:,.0f} | {q / r:.2f} |")


def cmd_queries(args):
    if args.compare:
        return cmd_compare(args)
    ds, n = dataset_of(args.works)
    print(f"\n### Queries on {n:,} works (release build, whole command, best of {args.repeat})\n")
    print("| command | seconds | peak memory (MB) |\n|---|---:|---:|")
    for label, s, mb in time_queries(ds, args.repeat):
        print(f"| `talentchain {label}` | {s:.2f} | {mb:,.0f} |")
    if args.sizes:
        print("\n### Query time by input size (datasets of `bench.py ingest`)\n")
        labels = [l for l, _ in QUERIES[:3]]
        print("| GB of JSON | works | " + " | ".join(f"{l} (s)" for l in labels) + " |")
        print("|---:|---:|" + "---:|" * len(labels))
        for gb in [float(s) for s in args.sizes.split(",")]:
            d = BENCH / f"ds-{gb:g}gb"
            m = json.loads((d / "manifest.json").read_text())
            jb = sum(i["text_bytes"] for i in m["inputs"])
            times = {l: s for l, s, _ in time_queries(d)}
            print(f"| {jb / 1e9:.2f} | {m['records']['works']:,} | " + " | ".join(f"{times[l]:.2f}" for l in labels) + " |")


WRK_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  io.write(string.format("JSON {\\"requests\\": %%d, \\"errors\\": %%d, \\"non2xx\\": %%d, \\"p50\\": %%f, \\"p95\\": %%f, \\"p99\\": %%f, \\"max\\": %%f, \\"rps\\": %%f}\\n",
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.requests / (summary.duration / 1e6)))
end
"""

# What the dashboard asks when it opens (crates/talentchain-web/src/charts.rs),
# then again when a user picks the years 2018–2022.
DASHBOARD = [
    "/api/selection?",
    "/api/countries?by=year",
    "/api/countries?by=total",
    "/api/institutions?rollup=true&limit=15",
    "/api/institutions?rollup=true&type=company&limit=10",
    "/api/collab?",
    "/api/talent/flows?",
    "/api/talent/countries?",
    "/api/talent/mismatch?",
]
API_PATHS = (
    ["/api/manifest"]
    + [p.rstrip("?") for p in DASHBOARD]
    + [p + ("" if p.endswith("?") else "&") + "from=2018&to=2022" for p in DASHBOARD]
)


def cmd_api(args):
    import urllib.request

    ds, n = dataset_of(args.works)
    port = 18080
    server = subprocess.Popen([BIN, "serve", "--data", ds, "--addr", f"127.0.0.1:{port}"], stderr=subprocess.PIPE, text=True)
    try:
        server.stderr.readline()
        base = f"http://127.0.0.1:{port}"
        print(f"\n### Dashboard API on {n:,} works: first answers (computed), then wrk\n")
        print("| request | first answer (s) |\n|---|---:|")
        for p in API_PATHS:
            t = time.perf_counter()
            with urllib.request.urlopen(base + p, timeout=300) as r:
                r.read()
            print(f"| `{p}` | {time.perf_counter() - t:.2f} |")
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
            f.write(WRK_SCRIPT % ", ".join(f'"{p}"' for p in API_PATHS))
        out = subprocess.run(["wrk", "-t2", "-c50", f"-d{args.seconds}s", "-s", f.name, base], capture_output=True, text=True, check=True)
        m = json.loads(next(l[5:] for l in out.stdout.splitlines() if l.startswith("JSON ")))
        print(f"\n`wrk -t2 -c50 -d{args.seconds}s` over the {len(API_PATHS)} requests above, in turn:\n")
        print("| requests | requests/s | errors | non-2xx | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) |\n|---:|---:|---:|---:|---:|---:|---:|---:|")
        print(f"| {m['requests']:,} | {m['rps']:,.0f} | {m['errors']} | {m['non2xx']} | {m['p50']:.2f} | {m['p95']:.2f} | {m['p99']:.2f} | {m['max']:.1f} |")
    finally:
        server.terminate()
        server.wait()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("ingest")
    p.add_argument("--sizes", default="0.25,0.5,1,2,4")
    p.add_argument("--compare-at", type=float, default=1.0)
    p = sub.add_parser("skip")
    p.add_argument("--size", type=float, default=1.0)
    p = sub.add_parser("queries")
    p.add_argument("--works", type=int, default=5_000_000)
    p.add_argument("--sizes", default="")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--compare", default="", help="another talentchain binary to time side by side")
    p = sub.add_parser("derive")
    p.add_argument("--size", type=float, default=1.0)
    p.add_argument("--repeat", type=int, default=2)
    p = sub.add_parser("api")
    p.add_argument("--works", type=int, default=5_000_000)
    p.add_argument("--seconds", type=int, default=20)
    args = ap.parse_args()
    BENCH.mkdir(parents=True, exist_ok=True)
    if not os.environ.get("BENCH_NO_BUILD"):
        build()
    {"ingest": cmd_ingest, "skip": cmd_skip, "queries": cmd_queries, "api": cmd_api, "derive": cmd_derive}[args.cmd](args)


if __name__ == "__main__":
    main()
