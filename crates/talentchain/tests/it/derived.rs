//! The derived columns and tables ingest stores (`works.status_*`,
//! `work_countries`, `work_institutions`, `work_authors`,
//! `work_author_countries`, `author_years`, `work_roots`) are their SQL
//! definitions (`crates/talentchain/sql/derived/`): ingest's faster Rust
//! path, and its SQL path (`ingest --derive-by sql`), give the same rows as
//! the SQL computed over the dataset's base tables
//! (`talentchain::ingest::derive`), on the real works of `../shared/data`
//! and on a generated world.

use std::path::{Path, PathBuf};

use datafusion::prelude::SessionContext;
use talentchain::dataset::{Dataset, Table};
use talentchain::demo::{DemoConfig, generate};
use talentchain::ingest::parts::Derive;
use talentchain::ingest::{IngestOptions, derive, ingest};

use crate::common::query_rows;
use talentchain_testkit::shared;

/// The rows of `table` in `ctx`, sorted, floats rounded to 9 decimals (a
/// sum in another order differs in the last bits).
async fn rows(ctx: &SessionContext, table: Table) -> Vec<String> {
    let schema = ctx.table(table.name()).await.unwrap().schema().clone();
    let columns: Vec<String> = table
        .schema()
        .fields()
        .iter()
        .map(|f| {
            let dt = schema
                .field_with_unqualified_name(f.name())
                .unwrap()
                .data_type();
            if dt.is_floating() {
                format!("round({}, 9)", f.name())
            } else {
                f.name().clone()
            }
        })
        .collect();
    let mut out: Vec<String> = query_rows(
        ctx,
        &format!("SELECT {} FROM {}", columns.join(", "), table.name()),
    )
    .await
    .into_iter()
    .map(|r| r.join("|"))
    .collect();
    out.sort();
    out
}

async fn ingested(inputs: &[PathBuf], out: &Path, derive: Derive) -> SessionContext {
    let mut opts = IngestOptions::new(inputs.to_vec(), out.to_path_buf());
    opts.threads = 2;
    opts.part_rows = 500; // several parts, so that the steps over all works merge them
    opts.derive = derive;
    ingest(&opts).unwrap();
    Dataset::open(out).unwrap().session().await.unwrap()
}

/// Ingest `inputs` both ways, and compare each derived table (and the
/// statuses in `works`) with the SQL over the base tables.
async fn check(name: &str, inputs: &[PathBuf]) {
    let dir = tempfile::tempdir().unwrap();
    let stored = ingested(inputs, &dir.path().join("rust"), Derive::Rust).await;
    let by_sql = ingested(inputs, &dir.path().join("sql"), Derive::Sql).await;
    // The SQL over the base tables of the Rust path's dataset, in place of
    // its derived tables.
    let defined = Dataset::open(&dir.path().join("rust"))
        .unwrap()
        .session()
        .await
        .unwrap();
    derive::derive(&defined).await.unwrap();
    let mut compared = 0;
    for table in Table::ALL
        .into_iter()
        .filter(|t| t.is_derived() || *t == Table::Works)
    {
        let want = rows(&defined, table).await;
        assert_eq!(
            rows(&stored, table).await,
            want,
            "{name}: {} (Rust path)",
            table.name()
        );
        assert_eq!(
            rows(&by_sql, table).await,
            want,
            "{name}: {} (SQL path)",
            table.name()
        );
        compared += want.len();
    }
    assert!(compared > 1000, "{name}: only {compared} rows compared");
    // The talent metrics read an authorship's country part as
    // 1 / `authorships.n_countries` (sql/selection/talent_supply_parts.sql,
    // talent_conversion.sql): that is authorship_shares' authorship_share.
    let parts = query_rows(
        &stored,
        "SELECT COUNT(*), \
                COUNT(CASE WHEN abs(sh.authorship_share - 1.0 / CAST(a.n_countries AS DOUBLE)) > 1e-12 \
                           THEN 1 END) \
         FROM authorship_shares sh \
         JOIN authorships a ON a.work = sh.work AND a.position = sh.position \
         WHERE sh.kind = 'country'",
    )
    .await;
    let (n, differ) = (&parts[0][0], &parts[0][1]);
    assert!(n.parse::<i64>().unwrap() > 100, "{name}: {n} country parts");
    assert_eq!(differ, "0", "{name}: parts other than 1 / n_countries");
    // Every status of every stored profile was compared: some works of each
    // status are there.
    let statuses = query_rows(
        &stored,
        "SELECT COUNT(DISTINCT status_concepts_v1) + COUNT(DISTINCT status_any_v1) FROM works",
    )
    .await;
    assert!(
        statuses[0][0].parse::<i64>().unwrap() >= 4,
        "{name}: {statuses:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn derived_tables_are_their_sql_on_real_works() {
    let Some(root) = shared() else { return };
    for sample in ["explorer", "rag-sample"] {
        check(sample, &[root.join(sample).join("works.jsonl.gz")]).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn derived_tables_are_their_sql_on_a_generated_world() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = DemoConfig {
        researchers: 120,
        ai_share: 0.4,
        full_records: true,
        ..DemoConfig::default()
    };
    let out = generate(&cfg, dir.path()).unwrap();
    check("demo", &[out.root.join("openalex")]).await;
}

/// The stored careers, computed by buckets of authors, are the whole
/// computed at once, whatever the number of buckets.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn careers_by_buckets_are_the_whole() {
    let Some(root) = shared() else { return };
    let dir = tempfile::tempdir().unwrap();
    let ctx = ingested(
        &[root.join("explorer").join("works.jsonl.gz")],
        &dir.path().join("ds"),
        Derive::Rust,
    )
    .await;
    talentchain::dataset::register_views(&ctx).await.unwrap();
    let q = talentchain::sql::query("derived/author_years");
    let b = talentchain::sql::Bindings::default();
    let collect = |df: datafusion::dataframe::DataFrame| async move {
        let mut v: Vec<String> = df
            .collect()
            .await
            .unwrap()
            .iter()
            .flat_map(|b| {
                (0..b.num_rows())
                    .map(|r| {
                        b.columns()
                            .iter()
                            .map(|c| {
                                datafusion::arrow::util::display::array_value_to_string(c, r)
                                    .unwrap()
                            })
                            .collect::<Vec<_>>()
                            .join("|")
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        v.sort();
        v
    };
    let whole = collect(q.dataframe(&ctx, &b).await.unwrap()).await;
    assert!(whole.len() > 50, "{} author-years", whole.len());
    // 8 buckets need the third character of the id (8 does not divide 100).
    for n in [4u32, 8, 10] {
        let mut parts = Vec::new();
        let mut nonempty = 0;
        for i in 0..n {
            let df = q.dataframe(&ctx, &b).await.unwrap();
            let bucket = df
                .parse_sql_expr(&talentchain::dataset::bucket_sql("author", n))
                .unwrap();
            let rows = collect(
                df.filter(bucket.eq(datafusion::prelude::lit(i as i64)))
                    .unwrap(),
            )
            .await;
            nonempty += usize::from(!rows.is_empty());
            parts.extend(rows);
        }
        parts.sort();
        assert_eq!(parts, whole, "author_years in {n} buckets");
        assert!(nonempty > n as usize / 2, "{nonempty} of {n} buckets used");
    }
}
