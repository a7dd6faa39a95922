//! Claims as verdicts: each kind of verdict and each form of quantity on
//! the hand-made world of [`flip_world`] (answers worked out there), then
//! the shipped claims on a generated world and on real records.

use datafusion::prelude::SessionContext;
use talentchain::claims::{self, Claims};
use talentchain::dataset::Dataset;
use talentchain::demo::DemoConfig;
use talentchain::metrics::{self, Metric};
use talentchain::profile::Profile;
use talentchain::sensitivity::Grid;
use talentchain::settings::{Counting, Settings};
use talentchain_testkit::shared;

use crate::common::{Cell, cells, demo_dataset, flip_session};

/// One check per claim, in TOML: `(id, metric, quantity, test)`.
fn claims_of(checks: &[(&str, &str, &str, &str)]) -> Claims {
    let mut text = String::new();
    for (id, metric, quantity, test) in checks {
        text += &format!(
            "[[claim]]\nid = \"{id}\"\nstatement = \"s\"\nsource = \"src\"\npublished = \"p\"\n\
             [[claim.check]]\nreading = \"r\"\nmetric = \"{metric}\"\nquantity = {quantity}\ntest = {test}\n"
        );
    }
    Claims::parse(&text, "test").unwrap()
}

fn concepts() -> Settings {
    Settings::new(Profile::builtin("concepts").unwrap())
}

/// The result's rows by claim id: (verdict, point, lo, hi, definitions,
/// reason).
#[derive(Debug, Clone)]
struct Row {
    verdict: String,
    point: Option<f64>,
    lo: Option<f64>,
    hi: Option<f64>,
    definitions: String,
    reason: String,
}

async fn verdicts(
    ctx: &SessionContext,
    s: &Settings,
    c: &Claims,
    grid: Option<&Grid>,
) -> Vec<(String, Row)> {
    let r = claims::run(ctx, s, c, grid).await.unwrap();
    let names: Vec<String> = r.schema.fields().iter().map(|f| f.name().clone()).collect();
    let col = |n: &str| names.iter().position(|x| x == n).unwrap();
    let num = |c: &Cell| match c {
        Cell::Float(v) => Some(*v),
        _ => None,
    };
    let text = |c: &Cell| match c {
        Cell::Null => String::new(),
        c => c.clone_text(),
    };
    cells(&r)
        .into_iter()
        .map(|row| {
            (
                text(&row[col("claim")]),
                Row {
                    verdict: text(&row[col("verdict")]),
                    point: num(&row[col("point")]),
                    lo: num(&row[col("lo")]),
                    hi: num(&row[col("hi")]),
                    definitions: text(&row[col("definitions")]),
                    reason: text(&row[col("reason")]),
                },
            )
        })
        .collect()
}

fn find<'a>(rows: &'a [(String, Row)], id: &str) -> &'a Row {
    &rows
        .iter()
        .find(|(c, _)| c == id)
        .unwrap_or_else(|| panic!("{id}: {rows:?}"))
        .1
}

/// Supported, contradicted and not computable on the point; every form
/// of quantity. `concepts`: full shares CN 3/4, US 2/4, GB 2/4, FR 1/4;
/// fractional CN 1/3, US 3/8; papers_full CN 3, US 2, GB 2, FR 1.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_verdict_and_quantity_on_a_hand_made_world() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = flip_session(dir.path()).await;
    let cn = r#"{ country = "CN" }"#;
    let c = claims_of(&[
        // 3/4 within [0.74, 0.76].
        (
            "about",
            "countries_total",
            &format!("{{ column = \"share_full\", row = {cn} }}"),
            "{ about = 0.75, within = 0.01 }",
        ),
        // 3 - 2 = 1, not below 0.
        (
            "minus",
            "countries_total",
            &format!("{{ column = \"papers_full\", row = {cn}, minus = {{ country = \"US\" }} }}"),
            "{ below = 0 }",
        ),
        // 3/4 over 2/4.
        (
            "over",
            "countries_total",
            &format!("{{ column = \"share_full\", row = {cn}, over = {{ country = \"US\" }} }}"),
            "{ equals = 1.5 }",
        ),
        // No JP row: not computable, or 0 with `absent`.
        (
            "no-row",
            "countries_total",
            r#"{ column = "share_full", row = { country = "JP" } }"#,
            "{ above = 0 }",
        ),
        (
            "absent",
            "countries_total",
            r#"{ column = "share_full", row = { country = "JP" }, absent = 0 }"#,
            "{ equals = 0 }",
        ),
        // max over US, GB: 1/2; rows with a full share of at least 1/2: CN,
        // US, GB; the smallest of the first 2 by papers_full (CN 3, then GB
        // or US 2): 1/2.
        (
            "max",
            "countries_total",
            r#"{ column = "share_full", aggregate = "max", where = { country = ["US", "GB"] } }"#,
            "{ equals = 0.5 }",
        ),
        (
            "count",
            "countries_total",
            r#"{ column = "share_full", aggregate = "count", at_least = { share_full = 0.5 } }"#,
            "{ equals = 3 }",
        ),
        (
            "first",
            "countries_total",
            r#"{ column = "share_full", aggregate = "min", first = 2, by = "papers_full" }"#,
            "{ equals = 0.5 }",
        ),
        // The leader by full share (CN) is not the leader by fractional
        // share (US, 3/8 > 1/3): 1.
        (
            "outside",
            "countries_total",
            r#"{ column = "share_full", outside_top = 1, against = "share_fractional" }"#,
            "{ equals = 1 }",
        ),
        // A metric that cannot run (talent conversion needs an origin).
        (
            "metric-error",
            "talent_conversion",
            r#"{ column = "works", row = { country = "US" } }"#,
            "{ above = 0 }",
        ),
    ]);
    let rows = verdicts(&ctx, &concepts(), &c, None).await;
    let close = |a: Option<f64>, b: f64| a.is_some_and(|a| (a - b).abs() < 1e-12);
    let about = find(&rows, "about");
    assert_eq!(about.verdict, "supported", "{about:?}");
    assert!(close(about.point, 0.75));
    assert_eq!((about.lo, about.hi), (None, None), "no --ci, no interval");
    let minus = find(&rows, "minus");
    assert_eq!(minus.verdict, "contradicted");
    assert!(close(minus.point, 1.0));
    assert!(close(find(&rows, "over").point, 1.5));
    assert_eq!(find(&rows, "over").verdict, "supported");
    let no_row = find(&rows, "no-row");
    assert_eq!(no_row.verdict, "not computable");
    assert!(no_row.reason.contains("no row country = JP"), "{no_row:?}");
    assert_eq!(find(&rows, "absent").verdict, "supported");
    for id in ["max", "count", "first", "outside"] {
        assert_eq!(find(&rows, id).verdict, "supported", "{id}: {rows:?}");
    }
    assert!(close(find(&rows, "count").point, 3.0));
    let err = find(&rows, "metric-error");
    assert_eq!(err.verdict, "not computable");
    assert!(err.reason.contains("origin"), "{err:?}");

    // Over a grid of 2 profiles × 2 countings: the share of CN is 3/4 under
    // concepts · full only (1/3 fractional; 0 under topics, which selects
    // W1 [US] alone, read as `absent`).
    let grid = Grid {
        profiles: vec![
            Profile::builtin("concepts").unwrap(),
            Profile::builtin("topics").unwrap(),
        ],
        countings: vec![Counting::Full, Counting::Fractional],
        tops: vec![10.0],
    };
    let c = claims_of(&[(
        "grid",
        "countries_total",
        r#"{ column = "share_full", row = { country = "CN" }, absent = 0 }"#,
        "{ about = 0.75, within = 0.01 }",
    )]);
    let rows = verdicts(&ctx, &concepts(), &c, Some(&grid)).await;
    assert_eq!(
        find(&rows, "grid").definitions,
        "supported in 1, contradicted in 3 of 4 definitions"
    );
}

/// With intervals, a verdict needs the whole interval on one side: CN's
/// full share is 3/4 as observed, but a replicate where W1 (the one work
/// without CN) weighs 0 gives 1 (probability e^-1 ≈ 0.37), and one where
/// W1 weighs 1 and the three others 2 or less gives at most 2/3 (about
/// 0.37 × 0.42 = 0.15): the 95% interval reaches past both ends of
/// [0.74, 0.76]. A difference's interval is its own replicates', the same
/// for a seed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interval_that_straddles_the_line_is_inconclusive() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = flip_session(dir.path()).await;
    let mut s = concepts();
    s.set_ci(Some(95.0)).unwrap();
    s.set_replicates(400).unwrap();
    let c = claims_of(&[
        (
            "about",
            "countries_total",
            r#"{ column = "share_full", row = { country = "CN" } }"#,
            "{ about = 0.75, within = 0.01 }",
        ),
        (
            "minus",
            "countries_total",
            r#"{ column = "papers_full", row = { country = "CN" }, minus = { country = "US" }, absent = 0 }"#,
            "{ above = 0 }",
        ),
    ]);
    let rows = verdicts(&ctx, &s, &c, None).await;
    let about = find(&rows, "about");
    assert_eq!(about.verdict, "inconclusive", "{about:?}");
    assert!(
        about.lo.unwrap() < 0.74 && about.hi.unwrap() == 1.0,
        "{about:?}"
    );
    let minus = find(&rows, "minus");
    assert!(
        minus.lo.unwrap() <= 1.0 && minus.hi.unwrap() >= 1.0,
        "{minus:?}"
    );
    assert!(minus.lo.unwrap() < minus.hi.unwrap(), "{minus:?}");
    let again = verdicts(&ctx, &s, &c, None).await;
    assert_eq!(
        (find(&again, "minus").lo, find(&again, "minus").hi),
        (minus.lo, minus.hi),
        "the same seed, the same interval"
    );
}

/// The shipped claims on a generated world: a verdict for each; the
/// invented institutions are not CAS or Tsinghua (not computable, naming
/// the id); a claim's point is its metric's value.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seed_claims_on_a_generated_world() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = DemoConfig {
        researchers: 600,
        ..DemoConfig::default()
    };
    let (data, _) = demo_dataset(dir.path(), &cfg);
    let ctx = Dataset::open(&data).unwrap().session().await.unwrap();
    let seed = Claims::seed();
    let mut s = concepts();
    s.set_ci(Some(95.0)).unwrap();
    s.set_replicates(200).unwrap();
    let rows = verdicts(&ctx, &s, &seed, Some(&Grid::standard().unwrap())).await;
    let checks: usize = seed.claims.iter().map(|c| c.checks.len()).sum();
    assert_eq!(rows.len(), checks);
    let kinds = [
        "supported",
        "contradicted",
        "inconclusive",
        "not computable",
    ];
    assert!(
        rows.iter()
            .all(|(_, r)| kinds.contains(&r.verdict.as_str())),
        "{rows:?}"
    );
    let cas = find(&rows, "cas-first-tsinghua-third");
    assert_eq!(cas.verdict, "not computable");
    assert!(cas.reason.contains("I19820366"), "{cas:?}");
    let computable = rows
        .iter()
        .filter(|(_, r)| r.verdict != "not computable")
        .count();
    assert!(computable >= 8, "{rows:?}");

    // The stay rate of CN → US is talent_stays' own, inside its interval.
    let stays = find(&rows, "cn-us-stayers");
    let r = metrics::run(&ctx, Metric::TalentStays, &concepts())
        .await
        .unwrap();
    let rate = cells(&r)
        .into_iter()
        .find(|row| row[0].clone_text() == "CN" && row[1].clone_text() == "US")
        .map(|row| match row[7] {
            Cell::Float(v) => v,
            _ => panic!("{row:?}"),
        })
        .expect("the demo world has China-origin researchers in the US");
    assert_eq!(stays.point, Some(rate));
    assert!(
        stays.lo.unwrap() <= rate && rate <= stays.hi.unwrap(),
        "{stays:?}"
    );
    assert!(stays.definitions.ends_with("of 4 definitions"), "{stays:?}");
}

/// The shipped claims on real OpenAlex records: a verdict for each, most
/// of them computable (884 works: the Chinese Academy of Sciences is there,
/// far from 1st).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seed_claims_on_real_records() {
    let Some(root) = shared() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ds");
    let mut io = talentchain::ingest::IngestOptions::new(vec![root.join("explorer")], out.clone());
    io.threads = 2;
    talentchain::ingest::ingest(&io).unwrap();
    let ctx = Dataset::open(&out).unwrap().session().await.unwrap();
    let rows = verdicts(&ctx, &concepts(), &Claims::seed(), None).await;
    let computable = rows
        .iter()
        .filter(|(_, r)| r.verdict != "not computable")
        .count();
    assert!(computable * 4 >= rows.len() * 3, "{rows:?}");
    let cas = find(&rows, "cas-first-tsinghua-third");
    assert_eq!(cas.verdict, "contradicted", "{cas:?}");
    assert!(cas.point.unwrap() > 1.0);
}

/// The grid varies the highly-cited share only for the metrics that read
/// it (`Metric::uses_top`): the others answer the same under top 1% and
/// top 50%, and those that read it answer otherwise.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_that_do_not_read_the_threshold_ignore_it() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = DemoConfig {
        researchers: 300,
        ..DemoConfig::default()
    };
    let (data, _) = demo_dataset(dir.path(), &cfg);
    let ctx = Dataset::open(&data).unwrap().session().await.unwrap();
    // Equal rows, floats within 1e-9 (parallel sums differ in the last bits).
    let same = |a: &[Vec<Cell>], b: &[Vec<Cell>]| {
        a.len() == b.len()
            && a.iter().zip(b).all(|(x, y)| {
                x.len() == y.len()
                    && x.iter().zip(y).all(|(u, v)| match (u, v) {
                        (Cell::Float(u), Cell::Float(v)) => {
                            (u - v).abs() <= 1e-9 * u.abs().max(1.0)
                        }
                        (u, v) => u.clone_text() == v.clone_text(),
                    })
            })
    };
    for metric in Metric::ALL {
        let rows = |top: f64| {
            let ctx = ctx.clone();
            async move {
                let mut s = concepts();
                s.set_top(top).unwrap();
                s.set_origin("CN").unwrap();
                s.set_author("A1").unwrap();
                cells(&metrics::run(&ctx, metric, &s).await.unwrap())
            }
        };
        let (one, half) = (rows(1.0).await, rows(50.0).await);
        assert_eq!(
            !same(&one, &half),
            metric.uses_top(),
            "{}: rows change with the threshold exactly when it reads it",
            metric.name()
        );
    }
}
