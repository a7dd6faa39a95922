//! The report, `institutions --rollup` and `talent flows` on real
//! conference paper lists (`../shared/data/paperlists`), as a user runs
//! them after `talentchain ingest`.

use crate::common::{bin, ingest, stdout_of};
use talentchain_testkit::shared_data;

#[test]
fn report_rollup_and_flows_on_the_paper_lists() {
    let Some(lists) = shared_data("paperlists") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // NeurIPS 1987-2018 (countries, no ids) and CoRL 2021-25 (OpenReview
    // ids and countries: careers).
    let ds = ingest(
        &[lists.join("head/nips"), lists.join("head/corl")],
        dir.path(),
    );
    let html = dir.path().join("report.html");
    stdout_of(
        bin()
            .args([
                "report",
                "--ai",
                "all",
                "--source",
                "paperlists",
                "--venue",
                "NeurIPS",
            ])
            .args(["--from", "2010", "--to", "2018", "--data"])
            .arg(&ds)
            .arg("--out")
            .arg(&html),
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("within source paperlists, venue NeurIPS"));
    assert!(page.contains("Carnegie Mellon University"));

    let rows = stdout_of(
        bin()
            .args([
                "institutions",
                "--ai",
                "all",
                "--rollup",
                "--limit",
                "5",
                "--format",
                "csv",
            ])
            .arg("--data")
            .arg(&ds),
    );
    assert_eq!(rows.lines().count(), 6, "{rows}");
    assert!(
        rows.contains(",Google,") && rows.contains("company"),
        "{rows}"
    );

    // CoRL authors seen in two venue-years with a country.
    let out = bin()
        .args([
            "talent", "flows", "--ai", "all", "--venue", "CoRL", "--format", "csv", "--data",
        ])
        .arg(&ds)
        .output()
        .unwrap();
    let notes = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{notes}");
    let flows = String::from_utf8(out.stdout).unwrap();
    assert!(flows.lines().count() > 5, "{flows}");
    assert!(notes.contains("within venue CoRL"), "{notes}");

    // One of them, by their OpenReview id: a career over venue-years.
    let id = stdout_of(
        bin()
            .args(["sql", "--format", "csv", "--data"])
            .arg(&ds)
            .arg("SELECT author FROM author_years WHERE author LIKE '~%' AND country IS NOT NULL GROUP BY author HAVING COUNT(*) >= 3 ORDER BY author LIMIT 1"),
    );
    let id = id
        .lines()
        .nth(1)
        .expect("an author with three venue-years")
        .to_string();
    let career = stdout_of(
        bin()
            .args([
                "talent", "author", &id, "--ai", "all", "--format", "csv", "--data",
            ])
            .arg(&ds),
    );
    assert!(career.lines().count() >= 4, "{id}: {career}");
}
