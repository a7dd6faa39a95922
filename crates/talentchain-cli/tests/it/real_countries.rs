//! `talentchain countries` on the real OpenAlex records in ../shared/data:
//! values checked by hand, and every row against an independent computation
//! of the definitions straight from the raw JSON (no SQL, no ingest code).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::common::{bin, ingest, works};
use talentchain_testkit::shared;

/// One row of `countries`: the six first columns and the three shares.
#[derive(Debug, Clone, Copy, Default)]
struct Row {
    papers_full: f64,
    papers_fractional: f64,
    citations: f64,
    highly_cited: f64,
    share_full: f64,
    share_fractional: f64,
    highly_cited_share: f64,
}

fn ingest_and_countries(inputs: &[PathBuf], dir: &Path) -> BTreeMap<(String, i32), Row> {
    let ds = ingest(inputs, dir);
    let out = bin()
        .args(["countries", "--ai", "all", "--format", "csv", "--data"])
        .arg(&ds)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(
        &header[..9],
        &[
            "country",
            "year",
            "papers_full",
            "papers_fractional",
            "citations",
            "highly_cited",
            "share_full",
            "share_fractional",
            "highly_cited_share"
        ]
    );
    let mut rows = BTreeMap::new();
    for line in lines {
        let f: Vec<&str> = line.split(',').collect();
        let num = |i: usize| f[i].parse::<f64>().unwrap_or(0.0);
        let row = Row {
            papers_full: num(2),
            papers_fractional: num(3),
            citations: num(4),
            highly_cited: num(5),
            share_full: num(6),
            share_fractional: num(7),
            highly_cited_share: num(8),
        };
        rows.insert((f[0].to_string(), f[1].parse().unwrap()), row);
    }
    assert!(!rows.is_empty());
    rows
}

/// The definitions, computed from the raw records.
fn independent(files: &[PathBuf]) -> BTreeMap<(String, i32), Row> {
    let works = works(files);
    let mut by_year: BTreeMap<i32, Vec<&serde_json::Value>> = BTreeMap::new();
    for w in &works {
        if let Some(y) = w["publication_year"].as_i64() {
            by_year.entry(y as i32).or_default().push(w);
        }
    }
    let mut rows: BTreeMap<(String, i32), Row> = BTreeMap::new();
    for (year, ws) in &by_year {
        let n = ws.len() as f64;
        let cites = |w: &serde_json::Value| w["cited_by_count"].as_i64().unwrap_or(0);
        let k = (0.10 * n).ceil() as usize;
        let highly = |w: &serde_json::Value| {
            let c = cites(w);
            let rank = 1 + ws.iter().filter(|o| cites(o) > c).count();
            c > 0 && rank <= k
        };
        let n_highly = ws.iter().filter(|w| highly(w)).count() as f64;
        for w in ws {
            let auth: Vec<BTreeSet<String>> = w["authorships"]
                .as_array()
                .map(|a| a.as_slice())
                .unwrap_or(&[])
                .iter()
                .map(|a| {
                    let mut s: BTreeSet<String> = a["countries"]
                        .as_array()
                        .map(|c| {
                            c.iter()
                                .filter_map(|c| c.as_str())
                                .map(|c| c.to_uppercase())
                                .collect()
                        })
                        .unwrap_or_default();
                    for i in a["institutions"]
                        .as_array()
                        .map(|v| v.as_slice())
                        .unwrap_or(&[])
                    {
                        if let Some(c) = i["country_code"].as_str() {
                            s.insert(c.to_uppercase());
                        }
                    }
                    s
                })
                .collect();
            let with: Vec<&BTreeSet<String>> = auth.iter().filter(|s| !s.is_empty()).collect();
            let all: BTreeSet<&String> = with.iter().flat_map(|s| s.iter()).collect();
            let hc = highly(w);
            for c in all {
                let r = rows.entry((c.clone(), *year)).or_default();
                r.papers_full += 1.0;
                r.citations += cites(w) as f64;
                if hc {
                    r.highly_cited += 1.0;
                }
                r.papers_fractional += with
                    .iter()
                    .filter(|s| s.contains(c))
                    .map(|s| 1.0 / with.len() as f64 / s.len() as f64)
                    .sum::<f64>();
            }
        }
        for ((_, y), r) in rows.iter_mut().filter(|((_, y), _)| y == year) {
            let _ = y;
            r.share_full = r.papers_full / n;
            r.share_fractional = r.papers_fractional / n;
            r.highly_cited_share = if n_highly > 0.0 {
                r.highly_cited / n_highly
            } else {
                0.0
            };
        }
    }
    rows
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * (1.0 + a.abs().max(b.abs()))
}

fn compare(got: &BTreeMap<(String, i32), Row>, want: &BTreeMap<(String, i32), Row>) {
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>(),
        "same country-years"
    );
    for (k, w) in want {
        let g = &got[k];
        for (name, a, b) in [
            ("papers_full", g.papers_full, w.papers_full),
            (
                "papers_fractional",
                g.papers_fractional,
                w.papers_fractional,
            ),
            ("citations", g.citations, w.citations),
            ("highly_cited", g.highly_cited, w.highly_cited),
            ("share_full", g.share_full, w.share_full),
            ("share_fractional", g.share_fractional, w.share_fractional),
            (
                "highly_cited_share",
                g.highly_cited_share,
                w.highly_cited_share,
            ),
        ] {
            assert!(
                close(a, b),
                "{k:?} {name}: talentchain {a}, independent {b}"
            );
        }
    }
}

#[test]
fn explorer_countries_checked_by_hand() {
    let Some(data) = shared() else { return };
    let dir = tempfile::tempdir().unwrap();
    let rows = ingest_and_countries(&[data.join("explorer/works.jsonl.gz")], dir.path());
    // GB in 2019, worked out from the 7 works with a GB authorship (of 35
    // works that year):
    //   W2915407524 9 authorships, 2 GB → 2/9;   W2943934175 16, 3 GB → 3/16;
    //   W2956853374 [IQ],[GB] → 1/2;             W2973586330, W2943339944 all GB → 1 + 1;
    //   W2955103500 7 authorships, 4 GB + one [GB,IQ] → 4/7 + 1/14 = 9/14;
    //   W2990684703 6 authorships, 5 GB → 5/6.
    //   citations 136+124+14+12+25+20+9 = 340; top 10% of 35 → ceil(3.5) = 4
    //   works with ≥ 4,528 citations, none of them GB's.
    let gb = rows[&("GB".to_string(), 2019)];
    assert_eq!(gb.papers_full, 7.0);
    assert!(close(
        gb.papers_fractional,
        2.0 / 9.0 + 3.0 / 16.0 + 0.5 + 2.0 + 9.0 / 14.0 + 5.0 / 6.0
    ));
    assert_eq!(gb.citations, 340.0);
    assert_eq!(gb.highly_cited, 0.0);
    assert!(close(gb.share_full, 7.0 / 35.0));
}

#[test]
fn explorer_and_rag_sample_agree_with_an_independent_computation() {
    let Some(data) = shared() else { return };
    for inputs in [
        vec![data.join("explorer/works.jsonl.gz")],
        vec![data.join("rag-sample/works.jsonl.gz")],
        vec![
            data.join("explorer/works.jsonl.gz"),
            data.join("rag-sample/works.jsonl.gz"),
        ],
    ] {
        let dir = tempfile::tempdir().unwrap();
        let got = ingest_and_countries(&inputs, dir.path());
        compare(&got, &independent(&inputs));
    }
}
