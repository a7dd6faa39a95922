//! Every metric command as a user runs it, on a small demo world: formats,
//! options, consistency between commands, and bad arguments.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

use crate::common::{self, bin, csv};

/// A demo world generated once for all tests of this file.
fn world() -> &'static Path {
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = bin()
            .args(["demo", "--researchers", "300", "--seed", "7", "--out"])
            .arg(dir.path().join("w"))
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            stdout.contains("SYNTHETIC"),
            "the demo says its world is synthetic: {stdout}"
        );
        assert!(stdout.contains("papers_full"), "{stdout}");
        let ds = dir.path().join("w/dataset");
        (dir, ds)
    })
    .1
}

fn run(args: &[&str]) -> Output {
    bin()
        .args(args)
        .arg("--data")
        .arg(world())
        .output()
        .unwrap()
}

fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn fail(args: &[&str]) -> String {
    let out = run(args);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{args:?} should fail: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(out.stdout.is_empty(), "no data on stdout when failing");
    String::from_utf8(out.stderr).unwrap()
}

fn col(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

#[test]
fn countries_by_year_and_total_agree_in_every_format() {
    let (h, rows) = csv(&ok(&["countries", "--format", "csv"]));
    assert_eq!(
        &h[..6],
        &[
            "country",
            "year",
            "papers_full",
            "papers_fractional",
            "citations",
            "highly_cited"
        ]
    );
    assert!(rows.len() > 20);
    let (ht, total) = csv(&ok(&["countries", "--format", "csv", "--by", "total"]));
    assert!(ht.contains(&"cagr".to_string()));
    // A work has one year: the total is the sum of the years.
    let mut sum: BTreeMap<String, f64> = BTreeMap::new();
    for r in &rows {
        *sum.entry(r[0].clone()).or_default() += r[col(&h, "papers_full")].parse::<f64>().unwrap();
    }
    for r in &total {
        assert_eq!(
            r[col(&ht, "papers_full")].parse::<f64>().unwrap(),
            sum[&r[0]],
            "{}",
            r[0]
        );
    }
    // JSON: the same rows as objects.
    let json: serde_json::Value =
        serde_json::from_str(&ok(&["countries", "--format", "json"])).unwrap();
    let arr = json.as_array().unwrap();
    assert_eq!(arr.len(), rows.len());
    assert_eq!(arr[0]["country"].as_str().unwrap(), rows[0][0]);
    // Parquet to a file.
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("c.parquet");
    ok(&[
        "countries",
        "--format",
        "parquet",
        "--out",
        f.to_str().unwrap(),
    ]);
    let bytes = std::fs::read(&f).unwrap();
    assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"));
    // The year range restricts the rows.
    let (_, ranged) = csv(&ok(&[
        "countries",
        "--format",
        "csv",
        "--from",
        "2015",
        "--to",
        "2016",
    ]));
    assert!(!ranged.is_empty());
    assert!(ranged.iter().all(|r| r[1] == "2015" || r[1] == "2016"));
    // Top 1% flags no more works than top 10%.
    let hc = |text: &str| -> f64 {
        let (h, rows) = csv(text);
        rows.iter()
            .map(|r| r[col(&h, "highly_cited")].parse::<f64>().unwrap())
            .sum()
    };
    let top10 = hc(&ok(&["countries", "--format", "csv"]));
    let top1 = hc(&ok(&["countries", "--format", "csv", "--top", "1"]));
    assert!(
        top1 > 0.0 && top1 < top10,
        "top 1% {top1} vs top 10% {top10}"
    );
}

#[test]
fn institutions_rollup_and_companies_with_their_lab_countries() {
    // JSON here: institution names may hold commas.
    let rows = |args: &[&str]| -> Vec<serde_json::Value> {
        let mut a = vec!["institutions", "--format", "json"];
        a.extend_from_slice(args);
        serde_json::from_str::<serde_json::Value>(&ok(&a))
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    };
    let plain = rows(&["--limit", "1000"]);
    let rolled = rows(&["--limit", "1000", "--rollup"]);
    assert!(
        rolled.len() < plain.len(),
        "institutes roll up under their parents"
    );
    let companies = rows(&["--rollup", "--type", "company"]);
    assert!(!companies.is_empty());
    assert!(companies.iter().all(|r| r["sector"] == "company"));
    let multi = companies
        .iter()
        .filter(|r| r["lab_countries"].as_str().unwrap().contains(';'))
        .count();
    assert!(multi > 0, "demo companies have labs in several countries");
    // The ranking is by papers, descending.
    let papers: Vec<f64> = plain
        .iter()
        .map(|r| r["papers_full"].as_f64().unwrap())
        .collect();
    assert!(papers.windows(2).all(|w| w[0] >= w[1]));
}

#[test]
fn sectors_collab_sql_and_tables() {
    let (h, rows) = csv(&ok(&["sectors", "--format", "csv"]));
    let sectors = [
        "education",
        "company",
        "government",
        "facility",
        "healthcare",
        "nonprofit",
        "other",
    ];
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .all(|r| sectors.contains(&r[col(&h, "sector")].as_str()))
    );
    assert!(
        rows.iter().any(|r| r[col(&h, "sector")] == "education"),
        "funder-typed universities are education"
    );

    let (h, pairs) = csv(&ok(&["collab", "--format", "csv"]));
    assert!(!pairs.is_empty());
    assert!(
        pairs
            .iter()
            .all(|r| r[col(&h, "country_a")] < r[col(&h, "country_b")])
    );
    let (h, shares) = csv(&ok(&["collab", "--shares", "--format", "csv"]));
    for r in &shares {
        let s: f64 = r[col(&h, "international_share")].parse().unwrap();
        assert!((0.0..=1.0).contains(&s));
    }

    let (_, n) = csv(&ok(&[
        "sql",
        "--ai",
        "all",
        "--format",
        "csv",
        "SELECT count(*) AS n FROM works",
    ]));
    assert!(n[0][0].parse::<u64>().unwrap() > 100);
    let err = fail(&["sql", "DROP TABLE works"]);
    assert!(err.contains("read-only"), "{err}");
    let err = fail(&["sql", "CREATE TABLE x AS SELECT 1"]);
    assert!(err.contains("read-only"), "{err}");

    let out = bin().args(["tables", "--format", "csv"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for t in [
        "works",
        "authorships",
        "authorship_countries",
        "authorship_institutions",
        "work_topics",
        "work_concepts",
        "institutions",
        "authors",
        "author_affiliations",
    ] {
        assert!(
            text.lines().any(|l| l.starts_with(&format!("{t},"))),
            "{t} missing from tables"
        );
    }
}

#[test]
fn bad_arguments_are_named() {
    // The library's message, naming the flag (the API names the parameter).
    let err = fail(&["countries", "--from", "2020", "--to", "2010"]);
    assert!(
        err.contains("--from: the year range 2020 to 2010 is empty"),
        "{err}"
    );
    let err = fail(&["countries", "--top", "5e-324"]);
    assert!(
        err.contains("--top") && err.contains("from 0.01 to 100"),
        "{err}"
    );
    let err = fail(&["countries", "--ai", "nonsense"]);
    assert!(
        err.contains("nonsense") && err.contains("concepts"),
        "{err}"
    );
    assert!(fail(&["countries", "--format", "parquet"]).contains("--out"));
    assert!(fail(&["countries", "--top", "0"]).contains("--top"));
    let out = bin()
        .args(["countries", "--data", "/no/such/dataset"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/no/such/dataset"));
    // Usage errors are clap's: exit 2, naming the flag.
    let out = run(&["countries", "--format", "xml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("xml"));
    let out = run(&["countries", "--engine", "ballista://sched:port"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`ballista://sched:port`") && err.contains("ballista://HOST:PORT"),
        "{err}"
    );
}

/// `demo --policy`: a bad policy is a usage error naming what is wrong; a
/// good one is said on stderr and shapes the truth (factor 0 from the first
/// year: no China-origin researcher ends in the US).
#[test]
fn demo_policy_is_checked_and_shapes_the_truth() {
    let dir = tempfile::tempdir().unwrap();
    let demo = |policy: &str| {
        bin()
            .args(["demo", "--researchers", "200", "--generate-only"])
            .args(["--policy", policy, "--out"])
            .arg(dir.path().join("w"))
            .output()
            .unwrap()
    };
    let out = demo("XX:US:0.5:2018");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--policy") && err.contains("`XX` is not a country of the demo world"),
        "{err}"
    );
    let err = String::from_utf8_lossy(&demo("CN:US:2:2018").stderr).to_string();
    assert!(err.contains("factor `2` is outside 0..=1"), "{err}");
    let out = demo("cn:us:0:2010");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("policy CN:US:0:2010"), "{err}");
    let (h, rows) =
        csv(&std::fs::read_to_string(dir.path().join("w/truth_researchers.csv")).unwrap());
    assert_eq!(h, ["author", "origin", "current", "class"]);
    assert_eq!(rows.len(), 200);
    assert!(
        rows.iter().any(|r| r[1] == "CN"),
        "China-origin researchers"
    );
    assert!(
        rows.iter().all(|r| !(r[1] == "CN" && r[2] == "US")),
        "no China-origin researcher ends in the US"
    );
}

/// `--engine embedded` is the default; Ballista in a build without it says
/// how to get it.
#[test]
fn engine_flag_embedded_and_ballista_without_the_feature() {
    let embedded = ok(&["sectors", "--format", "csv", "--engine", "embedded"]);
    assert!(embedded.lines().count() > 10, "{embedded}");
    assert_eq!(
        common::rounded(&embedded),
        common::rounded(&ok(&["sectors", "--format", "csv"]))
    );
    if !cfg!(feature = "ballista") {
        let err = fail(&["sectors", "--engine", "ballista://localhost:50050"]);
        assert!(err.contains("--features ballista"), "{err}");
    }
}

#[test]
fn notes_go_to_stderr_with_the_unknown_count() {
    let out = run(&["countries", "--format", "csv", "--ai", "topics"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown"), "{err}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("note:"));
}

#[test]
fn sensitivity_grid_and_orderings() {
    let out = run(&["sensitivity", "--format", "csv"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let notes = String::from_utf8_lossy(&out.stderr);
    assert!(notes.contains("24 definitions"), "{notes}");
    assert!(
        notes.contains("papers_share: ") && notes.contains(" of 24 definitions"),
        "{notes}"
    );
    let (h, rows) = csv(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(
        h,
        [
            "country",
            "profile",
            "counting",
            "top_percent",
            "papers_share",
            "highly_cited_share",
            "researchers_share"
        ]
    );
    // Every country under each of the 24 definitions.
    let mut per_country: BTreeMap<String, usize> = BTreeMap::new();
    for r in &rows {
        *per_country.entry(r[0].clone()).or_default() += 1;
    }
    assert!(per_country.len() >= 5, "{per_country:?}");
    assert!(per_country.values().all(|n| *n == 24), "{per_country:?}");
    // The grid's papers shares are those of `countries --by total`.
    let (th, total) = csv(&ok(&["countries", "--by", "total", "--format", "csv"]));
    let us = total
        .iter()
        .find(|r| r[col(&th, "country")] == "US")
        .unwrap();
    let want: f64 = us[col(&th, "share_fractional")].parse().unwrap();
    let got: f64 = rows
        .iter()
        .find(|r| {
            r[0] == "US"
                && r[1] == "concepts"
                && r[2] == "fractional"
                && r[3].parse::<f64>().unwrap() == 10.0
        })
        .unwrap()[4]
        .parse()
        .unwrap();
    assert!((got - want).abs() < 1e-9, "{got} vs {want}");

    // Every pair of the 3 leading countries on each of the 3 headlines.
    let (oh, orderings) = csv(&ok(&[
        "sensitivity",
        "--orderings",
        "3",
        "--profiles",
        "concepts",
        "--format",
        "csv",
    ]));
    assert_eq!(orderings.len(), 9, "{orderings:?}");
    for r in &orderings {
        let supporting: usize = r[col(&oh, "definitions_supporting")].parse().unwrap();
        let compared: usize = r[col(&oh, "definitions_compared")].parse().unwrap();
        assert_eq!(compared, 6, "concepts × 2 countings × 3 thresholds: {r:?}");
        assert!(
            2 * supporting >= compared,
            "the country above wins most: {r:?}"
        );
    }
    let err = fail(&["sensitivity", "--tops", "0"]);
    assert!(err.contains("--tops"), "{err}");
}

/// `--ci`: each count, share and ratio gains `_lo` and `_hi`, after the
/// metric's own columns (the same as without `--ci`); the point estimate is
/// the one without `--ci`; the same seed prints the same
/// rows; a talent metric's intervals resample researchers; a metric
/// without intervals yet, and `--replicates` without `--ci`, are refused.
#[test]
fn intervals_follow_each_column_and_repeat_for_a_seed() {
    let args = [
        "countries",
        "--by",
        "total",
        "--format",
        "csv",
        "--ci",
        "95",
        "--replicates",
        "200",
        "--seed",
        "5",
    ];
    let (h, rows) = csv(&ok(&args));
    // The same seed, the same intervals (the point estimate's float sums
    // may differ in their last digit from run to run: DataFusion adds in
    // parallel).
    let (_, again) = csv(&ok(&args));
    let bounds: Vec<usize> = (0..h.len())
        .filter(|i| h[*i].ends_with("_lo") || h[*i].ends_with("_hi"))
        .collect();
    assert!(bounds.len() >= 20, "{h:?}");
    for (a, b) in rows.iter().zip(&again) {
        for i in &bounds {
            assert_eq!(a[*i], b[*i], "{}", h[*i]);
        }
    }
    let (ph, point) = csv(&ok(&["countries", "--by", "total", "--format", "csv"]));
    assert_eq!(rows.len(), point.len());
    assert_eq!(
        h[..ph.len()],
        ph[..],
        "the first columns are those without --ci"
    );
    for name in [
        "papers_full",
        "share_full",
        "share_fractional",
        "highly_cited_share",
        "cagr",
    ] {
        let (v, lo, hi) = (
            col(&h, name),
            col(&h, &format!("{name}_lo")),
            col(&h, &format!("{name}_hi")),
        );
        assert!(
            v < ph.len() && lo >= ph.len() && hi == lo + 1,
            "{name}_lo, {name}_hi come after the metric's columns"
        );
        for (r, p) in rows.iter().zip(&point) {
            let (a, b) = (
                r[v].parse::<f64>().ok(),
                p[col(&ph, name)].parse::<f64>().ok(),
            );
            assert_eq!(a.is_some(), b.is_some(), "{name}");
            if let (Some(a), Some(b)) = (a, b) {
                assert!(
                    (a - b).abs() <= 1e-12 * b.abs().max(1.0),
                    "{name}: {a} vs {b}"
                );
            }
        }
    }
    for k in ["country", "year_from", "year_to"] {
        assert!(
            !h.contains(&format!("{k}_lo")),
            "no interval on the key {k}"
        );
    }
    // Shares of countries with many papers: the interval holds the estimate.
    let (v, lo, hi) = (
        col(&h, "share_full"),
        col(&h, "share_full_lo"),
        col(&h, "share_full_hi"),
    );
    for r in rows.iter().take(3) {
        let f = |i: usize| r[i].parse::<f64>().unwrap();
        assert!(f(lo) < f(v) && f(v) < f(hi), "{r:?}");
    }

    let out = run(&[
        "talent",
        "countries",
        "--format",
        "csv",
        "--ci",
        "90",
        "--replicates",
        "200",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (h, rows) = csv(&String::from_utf8(out.stdout).unwrap());
    let (lo, hi) = (col(&h, "retention_lo"), col(&h, "retention_hi"));
    assert!(
        rows.iter().any(|r| !r[lo].is_empty() && r[lo] < r[hi]),
        "retention varies"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("researchers with ≥ 2 observed years"));

    let e = fail(&["talent", "author", "A1", "--ci", "95"]);
    assert!(
        e.contains("--ci") && e.contains("no intervals for talent_author"),
        "{e}"
    );
    let e = fail(&["countries", "--ci", "100"]);
    assert!(e.contains("--ci"), "{e}");
}
