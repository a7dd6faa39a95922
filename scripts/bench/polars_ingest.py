#!/usr/bin/env python3
"""The Polars way from OpenAlex works files to Parquet, for the ingest benchmark.

read_ndjson of each inflated file with an explicit schema (the fields
talentchain keeps), then Parquet files for works and for the exploded
authorships, concepts and topics, one set per input file.

Usage: scripts/bench/polars_ingest.py OUT_DIR WORKS_FILE...
(set POLARS_MAX_THREADS for the thread count)
"""
import gzip
import io
import sys
from pathlib import Path

import polars as pl

out, files = Path(sys.argv[1]), sys.argv[2:]
out.mkdir(parents=True, exist_ok=True)
S = pl.Utf8
source = pl.Struct({"id": S, "display_name": S, "type": S})
institution = pl.Struct({"id": S, "display_name": S, "ror": S, "country_code": S, "type": S, "lineage": pl.List(S)})
named = pl.Struct({"id": S, "display_name": S})
schema = {
    "id": S,
    "doi": S,
    "title": S,
    "publication_year": pl.Int32,
    "publication_date": S,
    "type": S,
    "language": S,
    "cited_by_count": pl.Int64,
    "is_retracted": pl.Boolean,
    "updated_date": S,
    "primary_location": pl.Struct({"source": source}),
    "authorships": pl.List(
        pl.Struct(
            {
                "author_position": S,
                "author": pl.Struct({"id": S, "display_name": S, "orcid": S}),
                "institutions": pl.List(institution),
                "countries": pl.List(S),
                "is_corresponding": pl.Boolean,
                "raw_author_name": S,
                "raw_affiliation_strings": pl.List(S),
            }
        )
    ),
    "concepts": pl.List(pl.Struct({"id": S, "display_name": S, "level": pl.Int32, "score": pl.Float64})),
    "topics": pl.List(
        pl.Struct({"id": S, "display_name": S, "score": pl.Float64, "subfield": named, "field": named, "domain": named})
    ),
    "primary_topic": pl.Struct({"id": S}),
}
works = 0
for i, f in enumerate(files):
    with gzip.open(f, "rb") as fh:
        data = fh.read()
    df = pl.read_ndjson(io.BytesIO(data), schema=schema)
    del data
    works += df.height
    df.select(
        "id", "doi", "title", "publication_year", "publication_date", "type", "language", "cited_by_count",
        "is_retracted", "updated_date",
        pl.col("primary_location").struct.field("source").struct.field("id").alias("venue_id"),
        pl.col("primary_location").struct.field("source").struct.field("display_name").alias("venue"),
    ).write_parquet(out / f"works-{i}.parquet")
    (
        df.select(pl.col("id").alias("work"), "authorships")
        .with_columns(pl.int_ranges(pl.col("authorships").list.len()).alias("position"))
        .explode("authorships", "position")
        .unnest("authorships")
        .write_parquet(out / f"authorships-{i}.parquet")
    )
    df.select(pl.col("id").alias("work"), "concepts").explode("concepts").unnest("concepts").write_parquet(out / f"concepts-{i}.parquet")
    (
        df.select(pl.col("id").alias("work"), "topics", pl.col("primary_topic").struct.field("id").alias("primary"))
        .explode("topics")
        .unnest("topics")
        .write_parquet(out / f"topics-{i}.parquet")
    )
print(f"polars {pl.__version__}: {works} works", file=sys.stderr)
