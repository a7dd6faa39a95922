#!/usr/bin/env bash
# Ingest benchmark: a generated OpenAlex-shaped works corpus of at least 1 GB
# of JSON (gzipped snapshot parts with full-size records: abstracts as
# inverted indexes, referenced works, concepts, topics, several authorships),
# ingested by the release binary. Reports works/s, MB/s of JSON and peak
# memory, beside `gzip -dc` and talentchain's own inflate-only pass over the
# same files in the same run (the cost of merely inflating them: the physical
# limit), since these machines are shared and noisy.
#
# Usage: scripts/bench-ingest.sh [JSON_BYTES] [DIR]
#   JSON_BYTES  uncompressed works JSON to generate (default 1000000000)
#   DIR         scratch folder (default target/bench)
set -euo pipefail
cd "$(dirname "$0")/.."
BYTES=${1:-1000000000}
DIR=${2:-target/bench}
THREADS=${THREADS:-$(nproc)}
cargo build --release -p talentchain-cli --quiet
BIN=target/release/talentchain
CORPUS="$DIR/corpus-$BYTES"
if [ ! -f "$CORPUS/openalex/works/manifest" ]; then
  "$BIN" demo --out "$CORPUS" --full-records --parts 8 --target-bytes "$BYTES" --generate-only
fi
WORKS=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["meta"]["record_count"])' "$CORPUS/openalex/works/manifest")
GZ_BYTES=$(du -cb "$CORPUS"/openalex/works/updated_date=*/*.gz | tail -1 | cut -f1)
JSON_BYTES=$(for f in "$CORPUS"/openalex/works/updated_date=*/*.gz; do gzip -dc "$f"; done | wc -c)

echo "corpus: $WORKS works, $((JSON_BYTES / 1000000)) MB of JSON, $((GZ_BYTES / 1000000)) MB gzipped, $THREADS threads"
gzip=$(scripts/measure.py "gzip -dc" sh -c "ls $CORPUS/openalex/works/updated_date=*/*.gz | xargs -P $THREADS -n 1 gzip -dc > /dev/null")
inflate=$(scripts/measure.py "inflate only (same reader, threads)" "$BIN" ingest "$CORPUS/openalex/works" --out "$DIR/unused" --inflate-only -j "$THREADS")
ingest=$(scripts/measure.py "talentchain ingest" "$BIN" ingest "$CORPUS/openalex/works" --out "$DIR/dataset" --force --quiet -j "$THREADS")
python3 - "$WORKS" "$JSON_BYTES" "$gzip" "$inflate" "$ingest" <<'PY'
import json, sys
works, json_bytes = int(sys.argv[1]), int(sys.argv[2])
print(f"| step | seconds | works/s | MB/s of JSON | peak memory (MB) |")
print(f"|---|---:|---:|---:|---:|")
for raw in sys.argv[3:]:
    m = json.loads(raw)
    s = m["seconds"]
    print(f"| {m['label']} | {s:.1f} | {works / s:,.0f} | {json_bytes / 1e6 / s:,.0f} | {m['max_rss_mb']:,.0f} |")
inflate, ingest = json.loads(sys.argv[4])["seconds"], json.loads(sys.argv[5])["seconds"]
print(f"\ningest throughput / inflate-only throughput = {inflate / ingest:.2f}")
PY
