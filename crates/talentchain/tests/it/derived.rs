//! The derived columns and tables ingest stores (`works.status_*`,
//! `work_countries`, `work_institutions`, `work_authors`,
//! `work_author_countries`, `author_years`, `work_roots`: see
//! `talentchain::dataset`)
//! change no answer: every metric gives the same
//! rows on an ingested dataset as on the same dataset with the derived parts
//! hidden, where the metrics compute everything from the base tables. On the
//! real works of `../shared/data` and on a generated world, for every
//! profile whose status is stored.

use std::path::{Path, PathBuf};

use datafusion::arrow::util::display::array_value_to_string;
use datafusion::prelude::SessionContext;
use talentchain::dataset::schema::WORKS_BASE_COLUMNS;
use talentchain::dataset::{Dataset, Table};
use talentchain::demo::{DemoConfig, generate};
use talentchain::ingest::{IngestOptions, ingest};
use talentchain::metrics::{MetricResult, Options, collab, countries, institutions, sectors};
use talentchain::profile::{Profile, stored_status_columns};
use talentchain::talent::{self, TalentOptions};

use crate::common::{Cell, cells, query_rows};
use talentchain_testkit::shared;

/// The dataset's session, with the derived parts (`derived` false) hidden:
/// no derived table, and a `works` with the base columns only.
async fn session(ds: &Path, derived: bool) -> SessionContext {
    let ctx = Dataset::open(ds).unwrap().session().await.unwrap();
    if !derived {
        for t in Table::ALL.into_iter().filter(|t| t.is_derived()) {
            ctx.deregister_table(t.name()).unwrap();
        }
        let works = ctx.deregister_table("works").unwrap().unwrap();
        let base: Vec<String> = works.schema().fields()[..WORKS_BASE_COLUMNS]
            .iter()
            .map(|f| f.name().clone())
            .collect();
        ctx.register_table("works_stored", works).unwrap();
        ctx.sql(&format!(
            "CREATE VIEW works AS SELECT {} FROM works_stored",
            base.join(", ")
        ))
        .await
        .unwrap();
    }
    ctx
}

/// Every metric on one session, labelled.
async fn all_metrics(
    ctx: &SessionContext,
    profile: &Profile,
    range: Option<(i32, i32)>,
) -> Vec<(String, Vec<Vec<Cell>>)> {
    let mut opts = Options::new(profile.clone());
    opts.from = range.map(|r| r.0);
    opts.to = range.map(|r| r.1);
    let topts = TalentOptions::new(opts.clone());
    let mut out = Vec::new();
    let mut add = |name: &str, r: MetricResult| out.push((name.to_string(), cells(&r)));
    add(
        "countries",
        countries::run(ctx, &opts, countries::By::Year)
            .await
            .unwrap(),
    );
    add(
        "countries total",
        countries::run(ctx, &opts, countries::By::Total)
            .await
            .unwrap(),
    );
    for rollup in [false, true] {
        let inst = institutions::InstitutionOptions {
            rollup,
            ..Default::default()
        };
        add(
            &format!("institutions rollup={rollup}"),
            institutions::run(ctx, &opts, &inst).await.unwrap(),
        );
    }
    add("sectors", sectors::run(ctx, &opts).await.unwrap());
    add("collab pairs", collab::pairs(ctx, &opts).await.unwrap());
    add("collab shares", collab::shares(ctx, &opts).await.unwrap());
    add(
        "talent flows",
        talent::flows::run(ctx, &topts, false).await.unwrap(),
    );
    add(
        "talent countries",
        talent::countries::run(ctx, &topts).await.unwrap(),
    );
    add(
        "talent mismatch",
        talent::mismatch::run(ctx, &topts).await.unwrap(),
    );
    add(
        "talent orgs",
        talent::orgs::run(ctx, &topts, &talent::orgs::OrgOptions::default())
            .await
            .unwrap(),
    );
    add(
        "talent top",
        talent::top::run(ctx, &topts, talent::top::Sort::default(), Some(50))
            .await
            .unwrap(),
    );
    out
}

/// Ingest `inputs`, then compare every metric with and without the derived
/// parts, for every stored profile; and the stored status with the SQL one.
async fn check(name: &str, inputs: &[PathBuf]) {
    let dir = tempfile::tempdir().unwrap();
    let ds = dir.path().join("ds");
    let mut opts = IngestOptions::new(inputs.to_vec(), ds.clone());
    opts.threads = 2;
    ingest(&opts).unwrap();
    let derived = session(&ds, true).await;
    let base = session(&ds, false).await;
    let mut compared = 0;
    for (profile, column) in stored_status_columns() {
        assert_eq!(
            profile.stored_status(&derived).await,
            Some(column.as_str()),
            "{name}: {column} is stored"
        );
        assert_eq!(profile.stored_status(&base).await, None);
        // The stored status is the profile's SQL status, work by work.
        let differ = derived
            .sql(&format!(
                "SELECT COUNT(*) FROM works w JOIN ({}) s ON s.work = w.id WHERE s.status <> w.{column}",
                profile.status_sql()
            ))
            .await
            .unwrap()
            .collect()
            .await
            .unwrap();
        assert_eq!(
            array_value_to_string(differ[0].column(0), 0).unwrap(),
            "0",
            "{name}: {column} against the SQL status"
        );
        // Every year, and a range (careers then start and end inside it).
        for range in [None, Some((2016, 2021))] {
            let with = all_metrics(&derived, profile, range).await;
            let without = all_metrics(&base, profile, range).await;
            for ((metric, a), (_, b)) in with.iter().zip(&without) {
                assert_eq!(a, b, "{name}, {}, {range:?}: {metric}", profile.name);
                compared += a.len();
            }
        }
    }
    assert!(compared > 100, "{name}: only {compared} rows compared");

    // The stored careers, computed by buckets of authors, are the whole
    // computed at once.
    let whole = sorted_rows(&derived, &talent::author_years_sql(None)).await;
    let stored = sorted_rows(&derived, "SELECT * FROM author_years").await;
    assert_eq!(stored, whole, "{name}: author_years");
    // 8 buckets need the third character of the id (8 does not divide 100).
    for n in [4, 8, 10] {
        let mut parts = Vec::new();
        let mut nonempty = 0;
        for i in 0..n {
            let rows = sorted_rows(&derived, &talent::author_years_sql(Some((i, n)))).await;
            nonempty += usize::from(!rows.is_empty());
            parts.extend(rows);
        }
        parts.sort();
        assert_eq!(parts, whole, "{name}: author_years in {n} buckets");
        assert!(
            nonempty > n as usize / 2,
            "{name}: {nonempty} of {n} buckets used"
        );
    }
    assert!(whole.len() > 50, "{name}: {} author-years", whole.len());

    // `work_roots`, written part by part in Rust, is its SQL definition.
    let statuses: Vec<&str> = stored_status_columns()
        .iter()
        .map(|(_, c)| c.as_str())
        .collect();
    let rounded = |from: &str| {
        format!(
            "SELECT work, root, country, round(fractional, 6), first, year, cites, {} FROM ({from}) x",
            statuses.join(", ")
        )
    };
    let defined = sorted_rows(&derived, &rounded(&institutions::work_roots_sql(None))).await;
    let written = sorted_rows(&derived, &rounded("SELECT * FROM work_roots")).await;
    assert_eq!(written, defined, "{name}: work_roots");
    assert!(defined.len() > 20, "{name}: {} work roots", defined.len());
}

/// A query's rows as text, sorted.
async fn sorted_rows(ctx: &SessionContext, sql: &str) -> Vec<String> {
    let mut out: Vec<String> = query_rows(ctx, sql)
        .await
        .into_iter()
        .map(|r| r.join(","))
        .collect();
    out.sort();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn derived_parts_change_no_answer_on_real_works() {
    let Some(root) = shared() else { return };
    for sample in ["explorer", "rag-sample"] {
        check(sample, &[root.join(sample).join("works.jsonl.gz")]).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn derived_parts_change_no_answer_on_a_generated_world() {
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
