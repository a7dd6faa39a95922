//! `talentchain project` on the real OpenAlex records in ../shared/data:
//! few careers, so the output says the intervals are wide; the backtest
//! table has every listed country, the model beside both baselines, and
//! the intervals' coverage; scenarios run beside the baseline.

use crate::common::{bin, csv, ingest};
use talentchain_testkit::shared;

fn project(ds: &std::path::Path, args: &[&str]) -> (Vec<String>, Vec<Vec<String>>, String) {
    let out = bin()
        .arg("project")
        .args(args)
        .args(["--ai", "all", "--format", "csv", "--data"])
        .arg(ds)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{stderr}");
    let (h, rows) = csv(&String::from_utf8(out.stdout).unwrap());
    (h, rows, stderr)
}

#[test]
fn real_records_backtest_and_scenarios() {
    let Some(data) = shared() else { return };
    let dir = tempfile::tempdir().unwrap();
    let ds = ingest(
        &[
            data.join("explorer/works.jsonl.gz"),
            data.join("rag-sample/works.jsonl.gz"),
        ],
        dir.path(),
    );
    let (h, rows, notes) = project(&ds, &["--backtest", "--ci", "90", "--replicates", "100"]);
    assert!(notes.contains("few careers"), "{notes}");
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    // Ten countries and their mean, for both measures.
    assert_eq!(rows.len(), 2 * 11, "{rows:?}");
    let all: Vec<&Vec<String>> = rows.iter().filter(|r| r[col("country")] == "all").collect();
    assert_eq!(all.len(), 2);
    for r in &rows {
        let coverage: f64 = r[col("coverage")].parse().unwrap();
        assert!((0.0..=1.0).contains(&coverage), "{r:?}");
        assert_eq!(r[col("years")], "5");
    }
    // The model against persistence on the real careers: fewer researchers
    // than the base year's in most horizons, and growth elsewhere; the
    // model's mean error is the smaller (measured: 54% against 167%).
    let researchers = all
        .iter()
        .find(|r| r[col("measure")] == "researchers")
        .unwrap();
    let model: f64 = researchers[col("model_mape")].parse().unwrap();
    let persistence: f64 = researchers[col("persistence_mape")].parse().unwrap();
    assert!(model < persistence, "{model} vs {persistence}");

    // Scenarios beside the baseline: each projected year's shares of
    // researchers add up to 1 in every scenario.
    let (h, rows, notes) = project(&ds, &["--to", "2030", "--scenario", "shipped"]);
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    assert!(notes.contains("scenario `us-halves-cn-inflow`"), "{notes}");
    for s in [
        "observed",
        "baseline",
        "us-halves-cn-inflow",
        "return-incentives",
        "india-entry-shock",
    ] {
        let years: std::collections::BTreeSet<&str> = rows
            .iter()
            .filter(|r| r[col("scenario")] == s)
            .map(|r| r[col("year")].as_str())
            .collect();
        assert!(!years.is_empty(), "{s}");
        for y in years {
            let total: f64 = rows
                .iter()
                .filter(|r| r[col("scenario")] == s && r[col("year")] == y)
                .map(|r| r[col("share")].parse::<f64>().unwrap_or(0.0))
                .sum();
            assert!((total - 1.0).abs() < 1e-9, "{s} {y}: {total}");
        }
    }
    assert!(
        rows.iter()
            .any(|r| r[col("scenario")] == "baseline" && r[col("year")] == "2030")
    );
}

#[test]
fn scenario_files_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[[scenario]]\nname = \"x\"\n[[scenario.change]]\norigin = \"CN\"\nto = \"XX\"\nfactor = 0.5\n",
    )
    .unwrap();
    let out = bin()
        .args(["project", "--data"])
        .arg(dir.path())
        .arg("--scenario")
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.toml") && err.contains("`to = \"XX\"`"),
        "{err}"
    );
    let out = bin()
        .args(["project", "--data"])
        .arg(dir.path())
        .args(["--censor", "0"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--censor"), "{err}");
}
