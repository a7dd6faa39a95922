//! The `talentchain ingest` command as a user runs it: its summary, its
//! exit codes, and a run killed half-way.

use std::io::Write;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::common::{bin, stdout_of};

fn works(n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        s.push_str(&format!(
            r#"{{"id":"https://openalex.org/W{i}","publication_year":{},"cited_by_count":{},"authorships":[{{"author":{{"id":"A{i}"}},"countries":["US"],"institutions":[{{"id":"I1","country_code":"US"}}]}},{{"author":{{"id":"A{}"}},"countries":["CN","GB"]}}],"concepts":[{{"id":"C154945302","score":0.5}}]}}"#,
            2015 + i % 10,
            i % 97,
            i + 1
        ));
        s.push('\n');
    }
    s
}

#[test]
fn summary_reports_bad_lines_with_file_and_line_and_strict_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("w.jsonl");
    std::fs::write(
        &f,
        format!("{}not json\n{}", works(2), works(1).replace("W0", "W7")),
    )
    .unwrap();
    let out = bin()
        .arg("ingest")
        .arg(&f)
        .arg("--out")
        .arg(dir.path().join("ds"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("3 works"), "{err}");
    assert!(err.contains("w.jsonl:3: malformed_json"), "{err}");
    assert!(out.stdout.is_empty(), "stdout carries data only");

    let out = bin()
        .arg("ingest")
        .arg(&f)
        .arg("--out")
        .arg(dir.path().join("strict"))
        .arg("--strict")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--strict"));
    assert!(!dir.path().join("strict").exists());

    let out = bin()
        .arg("ingest")
        .arg(dir.path().join("missing.jsonl"))
        .arg("--out")
        .arg(dir.path().join("x"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.jsonl"));
}

#[test]
fn a_killed_ingest_leaves_no_dataset_and_the_next_run_completes() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("big.jsonl");
    let mut f = std::fs::File::create(&input).unwrap();
    for _ in 0..8 {
        f.write_all(works(25_000).as_bytes()).unwrap();
    }
    drop(f);
    let out = dir.path().join("ds");
    let mut child = bin()
        .arg("ingest")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .args(["--part-rows", "500", "-j", "1", "--quiet"])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let tmp = dir.path().join(format!(".ds.tmp-{}", child.id()));
    // Wait until the run has written parts, then kill it.
    let started = Instant::now();
    loop {
        let parts = std::fs::read_dir(tmp.join("works"))
            .map(|d| d.count())
            .unwrap_or(0);
        if parts >= 2 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "ingest never wrote a part"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "ingest ended before it could be killed"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(!out.exists(), "a killed run must not leave a dataset");
    assert!(
        tmp.exists(),
        "its private folder is left for the next run to clean"
    );
    assert!(!tmp.join("manifest.json").exists());

    let status = bin()
        .arg("ingest")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .arg("--quiet")
        .status()
        .unwrap();
    assert!(status.success());
    assert!(out.join("manifest.json").exists());
    assert!(!tmp.exists(), "the next run removed the dead run's folder");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    // 8 copies of W0..W24999: 25,000 distinct works.
    assert_eq!(manifest["records"]["works"], 25_000);
    assert_eq!(manifest["records"]["duplicates_dropped"], 175_000);
}

#[test]
fn a_snapshot_ingested_in_four_shards_and_merged_answers_like_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let world = dir.path().join("world");
    let st = bin()
        .args([
            "demo",
            "--researchers",
            "200",
            "--parts",
            "4",
            "--generate-only",
            "--out",
        ])
        .arg(&world)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(st.success());
    let mut parts: Vec<_> = std::fs::read_dir(world.join("openalex/works/updated_date=2026-11-01"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    parts.sort();
    assert_eq!(parts.len(), 4);
    let one = dir.path().join("one");
    let st = bin()
        .arg("ingest")
        .args(&parts)
        .arg("--out")
        .arg(&one)
        .arg("--quiet")
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(st.success());
    let mut shards = Vec::new();
    for (k, p) in parts.iter().enumerate() {
        let shard = dir.path().join(format!("shard-{k}"));
        let st = bin()
            .arg("ingest")
            .arg(p)
            .arg("--out")
            .arg(&shard)
            .arg("--quiet")
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(st.success());
        shards.push(shard);
    }
    let merged = dir.path().join("merged");
    let out = bin()
        .arg("merge")
        .args(&shards)
        .arg("--out")
        .arg(&merged)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("4 shards"));
    let answer = |ds: &std::path::Path, args: &[&str]| {
        let out = bin()
            .args(args)
            .arg("--data")
            .arg(ds)
            .args(["--format", "csv"])
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    for args in [
        &["countries"][..],
        &["institutions", "--rollup"],
        &["talent", "flows"],
    ] {
        let (a, b) = (answer(&one, args), answer(&merged, args));
        assert!(a.lines().count() > 3, "{args:?}");
        assert_eq!(a.lines().count(), b.lines().count(), "{args:?}");
        for (la, lb) in a.lines().zip(b.lines()) {
            assert!(same_row(la, lb), "{args:?}:\n{la}\n{lb}");
        }
    }
}

/// CSV rows equal, floats to a relative 1e-9 (DataFusion adds floats in
/// parallel, so the last bits vary from run to run).
fn same_row(a: &str, b: &str) -> bool {
    let (ca, cb): (Vec<&str>, Vec<&str>) = (a.split(',').collect(), b.split(',').collect());
    ca.len() == cb.len()
        && ca.iter().zip(&cb).all(|(x, y)| {
            x == y
                || matches!((x.parse::<f64>(), y.parse::<f64>()), (Ok(x), Ok(y)) if (x - y).abs() <= 1e-9 * x.abs().max(y.abs()))
        })
}

/// A paper list, told from its content: accepted papers by default, every
/// decision with `--decisions all`, the left-out ones counted by class; an
/// unknown class is refused naming the flag; `--source` and `--venue` then
/// select the papers.
#[test]
fn paper_lists_by_decision_and_source() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("iclr2021.json");
    std::fs::write(
        &f,
        r#"[{"title":"A","status":"Oral","author":"X One;Y Two","authorids":"~X_One1;~Y_Two1",
             "aff_unique_index":"0;1","aff_unique_norm":"MIT;Tsinghua University",
             "aff_country_unique_index":"0;1","aff_country_unique":"United States;China"},
            {"title":"B","status":"Reject","author":"X One","authorids":"~X_One1"},
            {"title":"C","status":"Withdraw","author":"Z Three","authorids":"z@uni.edu"}]"#,
    )
    .unwrap();
    let ingest = |out: &str, extra: &[&str]| {
        bin()
            .arg("ingest")
            .arg(&f)
            .arg("--out")
            .arg(dir.path().join(out))
            .args(extra)
            .output()
            .unwrap()
    };
    let out = ingest("accepted", &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("1 works (3 read"), "{err}");
    assert!(
        err.contains("2 papers left out by their decision (rejected 1, withdrawn 1)"),
        "{err}"
    );
    let out = ingest("all", &["--decisions", "all"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("3 works (3 read"));
    let out = ingest("bad", &["--decisions", "accepted,maybe"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--decisions: `maybe`"), "{err}");
    assert!(!dir.path().join("bad").exists());

    let countries = |extra: &[&str]| {
        stdout_of(
            bin()
                .args([
                    "countries",
                    "--ai",
                    "all",
                    "--by",
                    "total",
                    "--format",
                    "csv",
                ])
                .arg("--data")
                .arg(dir.path().join("all"))
                .args(extra),
        )
    };
    // Paper A alone has countries: US and CN, one paper each.
    let rows = countries(&["--source", "paperlists", "--venue", "iclr", "--elite"]);
    assert!(rows.contains("\nCN,") && rows.contains("\nUS,"), "{rows}");
    let rows = countries(&["--source", "openalex"]);
    assert_eq!(rows.lines().count(), 1, "a header and no row: {rows}");

    // Names matched only when asked, and then every answer says so: Jane
    // Doe, without ids, in the US in 2017 and in the UK in 2018.
    let g = dir.path().join("lists");
    std::fs::create_dir_all(&g).unwrap();
    for (year, country) in [(2017, "United States"), (2018, "United Kingdom")] {
        std::fs::write(
            g.join(format!("nips{year}.json")),
            format!(
                r#"[{{"title":"P{year}","author":"Jane Doe","aff_unique_index":"0","aff_unique_norm":"Lab {year}",
                     "aff_country_unique_index":"0","aff_country_unique":"{country}"}}]"#
            ),
        )
        .unwrap();
    }
    let flows = |extra: &[&str], out: &str| {
        let ds = dir.path().join(out);
        let ingest = bin()
            .arg("ingest")
            .arg(&g)
            .arg("--out")
            .arg(&ds)
            .args(extra)
            .output()
            .unwrap();
        assert!(ingest.status.success());
        let run = bin()
            .args([
                "talent", "flows", "--ai", "all", "--format", "csv", "--data",
            ])
            .arg(&ds)
            .output()
            .unwrap();
        assert!(run.status.success());
        (
            String::from_utf8(run.stdout).unwrap(),
            String::from_utf8_lossy(&run.stderr).to_string(),
        )
    };
    let (rows, notes) = flows(&[], "unnamed");
    assert_eq!(rows.lines().count(), 1, "no career without ids: {rows}");
    assert!(!notes.contains("approximate"), "{notes}");
    let (rows, notes) = flows(&["--match-names"], "named");
    assert!(rows.contains("\nUS,GB,1,"), "{rows}");
    assert!(notes.contains("approximate: 2 authorships"), "{notes}");
}
