#!/usr/bin/env python3
"""The DuckDB way from OpenAlex works files to Parquet, for the ingest benchmark.

read_json over the gzipped JSON Lines with an explicit column list (the
fields talentchain keeps), then Parquet files for works and for the
unnested authorships, concepts and topics, as an analyst would write it.

Usage: scripts/bench/duckdb_ingest.py THREADS OUT_DIR WORKS_FILE...
"""
import sys
from pathlib import Path

import duckdb

threads, out, files = int(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
out.mkdir(parents=True, exist_ok=True)
con = duckdb.connect()
con.execute(f"SET threads = {threads}")
con.execute(f"SET temp_directory = '{out}/tmp'")
source = "STRUCT(id VARCHAR, display_name VARCHAR, type VARCHAR)"
institution = "STRUCT(id VARCHAR, display_name VARCHAR, ror VARCHAR, country_code VARCHAR, type VARCHAR, lineage VARCHAR[])"
named = "STRUCT(id VARCHAR, display_name VARCHAR)"
columns = {
    "id": "VARCHAR",
    "doi": "VARCHAR",
    "title": "VARCHAR",
    "publication_year": "INTEGER",
    "publication_date": "VARCHAR",
    "type": "VARCHAR",
    "language": "VARCHAR",
    "cited_by_count": "BIGINT",
    "is_retracted": "BOOLEAN",
    "updated_date": "VARCHAR",
    "primary_location": f"STRUCT(source {source})",
    "authorships": f"STRUCT(author_position VARCHAR, author STRUCT(id VARCHAR, display_name VARCHAR, orcid VARCHAR), "
    f"institutions {institution}[], countries VARCHAR[], is_corresponding BOOLEAN, raw_author_name VARCHAR, "
    f"raw_affiliation_strings VARCHAR[])[]",
    "concepts": "STRUCT(id VARCHAR, display_name VARCHAR, level INTEGER, score DOUBLE)[]",
    "topics": f"STRUCT(id VARCHAR, display_name VARCHAR, score DOUBLE, subfield {named}, field {named}, domain {named})[]",
    "primary_topic": "STRUCT(id VARCHAR)",
}
cols = "{" + ", ".join(f"'{k}': '{v}'" for k, v in columns.items()) + "}"
paths = "[" + ", ".join(f"'{f}'" for f in files) + "]"
con.execute(
    f"CREATE TABLE w AS SELECT * FROM read_json({paths}, format = 'newline_delimited', "
    f"compression = 'gzip', columns = {cols})"
)
con.execute(
    f"""COPY (SELECT id, doi, title, publication_year, publication_date, type, language, cited_by_count,
                     is_retracted, updated_date, primary_location.source.id AS venue_id,
                     primary_location.source.display_name AS venue, primary_location.source.type AS venue_type
              FROM w) TO '{out}/works.parquet' (FORMAT parquet)"""
)
con.execute(
    f"""COPY (SELECT id AS work, a.pos AS position, a.a.author_position, a.a.author.id AS author,
                     a.a.author.display_name AS author_name, a.a.author.orcid, a.a.is_corresponding,
                     a.a.countries, a.a.institutions, a.a.raw_affiliation_strings
              FROM (SELECT id, UNNEST(list_zip(authorships, range(len(authorships)))::STRUCT(a {columns['authorships'][:-2]}, pos BIGINT)[]) AS a FROM w))
        TO '{out}/authorships.parquet' (FORMAT parquet)"""
)
con.execute(
    f"""COPY (SELECT id AS work, c.id AS concept, c.display_name AS name, c.level, c.score
              FROM (SELECT id, UNNEST(concepts) AS c FROM w)) TO '{out}/work_concepts.parquet' (FORMAT parquet)"""
)
con.execute(
    f"""COPY (SELECT id AS work, t.id AS topic, t.display_name AS name, t.score, t.subfield.id AS subfield,
                     t.field.id AS field, t.domain.id AS domain, t.id = primary_topic.id AS is_primary
              FROM (SELECT id, primary_topic, UNNEST(topics) AS t FROM w)) TO '{out}/work_topics.parquet' (FORMAT parquet)"""
)
n = con.execute("SELECT COUNT(*) FROM w").fetchone()[0]
print(f"duckdb {duckdb.__version__}: {n} works", file=sys.stderr)
