//! Apache Ballista runs the same metric SQL as the embedded engine, with the
//! same answers: a small demo world is ingested, then every metric runs in
//! process and on a standalone Ballista cluster (scheduler and executor in
//! this process, reading the dataset's Parquet files themselves), and the
//! results must agree row for row (floats within a relative 1e-9: Ballista
//! sums partial aggregates in another order).
#![cfg(feature = "ballista")]

use std::future::Future;

use datafusion::arrow::datatypes::DataType;
use datafusion::prelude::SessionContext;
use talentchain::dataset::Dataset;
use talentchain::demo::DemoConfig;
use talentchain::engine::Engine;
use talentchain::metrics::{self, Metric, MetricResult};
use talentchain::profile::Profile;
use talentchain::settings::{Careers, InstitutionSort, ResearcherSort, Settings};
use talentchain::sql::user;

use crate::common::{Cell, cells};

/// The column names and types of a result.
fn columns(r: &MetricResult) -> Vec<(String, DataType)> {
    r.schema
        .fields()
        .iter()
        .map(|f| (f.name().clone(), f.data_type().clone()))
        .collect()
}

/// The embedded session and the Ballista one over the same dataset.
struct Engines {
    _dir: tempfile::TempDir,
    embedded: SessionContext,
    ballista: SessionContext,
}

async fn engines() -> Engines {
    let dir = tempfile::tempdir().unwrap();
    let cfg = DemoConfig {
        researchers: 300,
        seed: 7,
        ..DemoConfig::default()
    };
    let (data, _) = crate::common::demo_dataset(dir.path(), &cfg);
    let dataset = Dataset::open(&data).unwrap();
    Engines {
        embedded: dataset.session_on(&Engine::Embedded).await.unwrap(),
        ballista: dataset
            .session_on(&Engine::BallistaStandalone)
            .await
            .unwrap(),
        _dir: dir,
    }
}

/// How long one metric may take on the standalone cluster.
const LIMIT_SECS: u64 = 180;

/// Run `metric` on both engines and require the same columns and rows;
/// returns the embedded result.
async fn agree<F, Fut>(e: &Engines, name: &str, metric: F) -> MetricResult
where
    F: Fn(SessionContext) -> Fut,
    Fut: Future<Output = talentchain::error::Result<MetricResult>>,
{
    let started = std::time::Instant::now();
    let want = metric(e.embedded.clone())
        .await
        .unwrap_or_else(|err| panic!("{name} (embedded): {err}"));
    let embedded = started.elapsed();
    let got = tokio::time::timeout(
        std::time::Duration::from_secs(LIMIT_SECS),
        metric(e.ballista.clone()),
    )
    .await
    .unwrap_or_else(|_| panic!("{name} on Ballista: no answer in {LIMIT_SECS} s"))
    .unwrap_or_else(|err| panic!("{name} on Ballista: {err}"));
    eprintln!(
        "{name}: embedded {embedded:.2?}, ballista {:.2?}",
        started.elapsed() - embedded
    );
    assert_eq!(columns(&got), columns(&want), "{name}: columns");
    assert_eq!(got.notes, want.notes, "{name}: notes");
    let (w, g) = (cells(&want), cells(&got));
    assert!(!w.is_empty(), "{name}: the demo world gives rows");
    assert_eq!(g.len(), w.len(), "{name}: row count");
    for (i, (wr, gr)) in w.iter().zip(&g).enumerate() {
        assert!(
            wr.iter().zip(gr).all(|(a, b)| a == b),
            "{name}: row {i} differs\n embedded: {wr:?}\n ballista: {gr:?}"
        );
    }
    want
}

fn opts() -> Settings {
    Settings::new(Profile::builtin("concepts").unwrap())
}

/// `metric` with the default settings changed by `change`, on both engines.
async fn agree_on(
    e: &Engines,
    name: &str,
    metric: Metric,
    change: impl Fn(&mut Settings),
) -> MetricResult {
    let mut settings = opts();
    change(&mut settings);
    agree(e, name, |c| {
        let settings = settings.clone();
        async move { metrics::run(&c, metric, &settings).await }
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ballista_answers_activity_metrics_as_embedded() {
    let e = engines().await;

    // Activity metrics.
    agree_on(&e, "countries", Metric::Countries, |_| {}).await;
    agree_on(&e, "countries --total", Metric::CountriesTotal, |_| {}).await;
    agree_on(&e, "institutions", Metric::Institutions, |_| {}).await;
    agree_on(&e, "institutions --rollup", Metric::Institutions, |s| {
        s.set_rollup(true)
    })
    .await;
    agree_on(
        &e,
        "institutions --sector company --sort citations",
        Metric::Institutions,
        |s| {
            s.set_sector(Some("company")).unwrap();
            s.set_institution_sort(InstitutionSort::Citations);
        },
    )
    .await;
    agree_on(&e, "sectors", Metric::Sectors, |_| {}).await;
    agree_on(&e, "collab", Metric::CollabPairs, |_| {}).await;
    agree_on(&e, "collab --shares", Metric::CollabShares, |_| {}).await;
    for q in [
        "SELECT year, COUNT(*) AS works, SUM(cited_by_count) AS cites FROM works GROUP BY year ORDER BY year",
        "SELECT a.author, COUNT(DISTINCT a.work) AS n, \
                string_agg(DISTINCT c.country, ';' ORDER BY c.country) AS countries \
         FROM authorships a JOIN authorship_countries c ON c.work = a.work AND c.position = a.position \
         WHERE a.author IS NOT NULL GROUP BY a.author ORDER BY n DESC, a.author LIMIT 50",
        "SELECT id, year, RANK() OVER (PARTITION BY year ORDER BY cited_by_count DESC) AS r \
         FROM works ORDER BY year, r, id LIMIT 100",
    ] {
        agree(&e, &format!("sql {q}"), |c| async move {
            user::run(&c, q).await
        })
        .await;
    }
}

/// The talent metrics on Ballista. Each takes 15–40 s on a standalone
/// cluster on 2 cores (against ~0.1 s embedded): the researchers, their
/// years and classes are materialized once per metric (Parquet in the
/// session's scratch folder), each a Ballista job of its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ballista_answers_talent_metrics_as_embedded() {
    let e = engines().await;
    agree_on(&e, "talent flows", Metric::TalentFlows, |_| {}).await;
    // Intervals: the same seed, the same intervals on Ballista (which
    // computes the parts and runs the metric's file over the replicates).
    let ci = |s: &mut Settings| {
        s.set_ci(Some(95.0)).unwrap();
        s.set_replicates(200).unwrap();
        s.set_seed(4);
    };
    agree_on(&e, "countries --ci 95", Metric::Countries, ci).await;
    agree_on(&e, "talent countries --ci 95", Metric::TalentCountries, ci).await;
    agree_on(
        &e,
        "institutions --rollup --ci 95",
        Metric::Institutions,
        |s| {
            ci(s);
            s.set_rollup(true);
            s.set_limit(Some(20)).unwrap();
        },
    )
    .await;
    agree_on(
        &e,
        "talent countries (careers from affiliations, --min-works 2)",
        Metric::TalentCountries,
        |s| {
            s.set_careers(Careers::Affiliations);
            s.set_min_works(2).unwrap();
        },
    )
    .await;
    agree_on(&e, "talent mismatch", Metric::TalentMismatch, |_| {}).await;
    // Two samples (researchers and works), each with its own weights.
    agree_on(&e, "talent mismatch --ci 95", Metric::TalentMismatch, ci).await;
    agree_on(&e, "talent stays", Metric::TalentStays, |_| {}).await;
    agree_on(
        &e,
        "talent conversion --origin CN",
        Metric::TalentConversion,
        |s| s.set_origin("CN").unwrap(),
    )
    .await;
    agree_on(
        &e,
        "talent conversion --origin CN --ci 95",
        Metric::TalentConversion,
        |s| {
            ci(s);
            s.set_origin("CN").unwrap();
        },
    )
    .await;
    agree_on(&e, "talent orgs (rollup)", Metric::TalentOrgs, |s| {
        s.set_rollup(true)
    })
    .await;
    let top = agree_on(&e, "talent top (citations)", Metric::TalentTop, |s| {
        s.set_researcher_sort(ResearcherSort::Citations);
        s.set_limit(Some(100)).unwrap();
    })
    .await;
    // The most cited researcher's career, and one who moved.
    let top = cells(&top);
    let authors: Vec<String> = top
        .iter()
        .take(1)
        .chain(
            top.iter()
                .filter(|r| matches!(&r[8], Cell::Text(c) if c == "emigrant"))
                .take(1),
        )
        .map(|r| match &r[1] {
            Cell::Text(a) => a.clone(),
            other => panic!("author id {other:?}"),
        })
        .collect();
    assert_eq!(authors.len(), 2, "the top researchers include an emigrant");
    for a in authors {
        agree_on(
            &e,
            &format!("talent author {a}"),
            Metric::TalentAuthor,
            |s| s.set_author(&a).unwrap(),
        )
        .await;
    }
}

/// A table without Parquet parts is empty with its schema on Ballista too:
/// an empty plan, not an in-memory table the executors would not have.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ballista_reads_a_table_without_parts() {
    let e = engines().await;
    // The same dataset with `author_affiliations` left without parts.
    let root = e._dir.path().join("no_affiliations");
    let full = e._dir.path().join("dataset");
    let mut dataset = Dataset::open(&full).unwrap();
    for table in talentchain::dataset::Table::ALL {
        let dir = root.join(table.name());
        if table.name() == "author_affiliations" {
            std::fs::create_dir_all(&dir).unwrap();
        } else {
            std::fs::create_dir_all(&root).unwrap();
            std::os::unix::fs::symlink(full.join(table.name()), &dir).unwrap();
        }
    }
    dataset.root = root;
    let e = Engines {
        embedded: dataset.session_on(&Engine::Embedded).await.unwrap(),
        ballista: dataset
            .session_on(&Engine::BallistaStandalone)
            .await
            .unwrap(),
        _dir: e._dir,
    };
    let q = "SELECT COUNT(*) AS n, MIN(author) AS a FROM author_affiliations";
    let r = agree(&e, "sql on a table without parts", |c| async move {
        user::run(&c, q).await
    })
    .await;
    assert_eq!(cells(&r)[0][0].clone_text(), "0");
}
