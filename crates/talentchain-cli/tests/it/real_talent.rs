//! `talentchain talent flows` and `talent countries` on the real OpenAlex
//! records in ../shared/data: every row against an independent computation
//! of the definitions straight from the raw JSON (no SQL, no ingest code),
//! and a few real careers checked by hand with `talent author`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{bin, csv, ingest, works};
use talentchain_testkit::shared;

/// CSV rows of a talent command (header checked by the caller).
fn talent(ds: &Path, args: &[&str]) -> (Vec<String>, Vec<Vec<String>>) {
    let out = bin()
        .arg("talent")
        .args(args)
        .args(["--ai", "all", "--format", "csv", "--data"])
        .arg(ds)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    csv(&String::from_utf8(out.stdout).unwrap())
}

/// One researcher: the main country of each observed year, in year order.
type Careers = BTreeMap<String, Vec<(i64, String)>>;

/// The definitions: each authorship with an author id, of a work with a
/// year, adds 1 to each of its countries (`countries` ∪ its institutions'
/// `country_code`, trimmed, upper-cased); the main country of a year has
/// the highest tally, ties to the smallest code. With `--ai all` every
/// author of a work with a year is in scope.
fn careers(works: &[Value]) -> Careers {
    let mut tally: BTreeMap<(String, i64), BTreeMap<String, u64>> = BTreeMap::new();
    for w in works {
        let Some(year) = w["publication_year"].as_i64() else {
            continue;
        };
        for a in w["authorships"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or(&[])
        {
            let Some(author) = a["author"]["id"].as_str() else {
                continue;
            };
            let author = author.trim().rsplit('/').next().unwrap();
            if author.is_empty() {
                continue;
            }
            let code = |c: &Value| {
                c.as_str()
                    .map(|c| c.trim().to_uppercase())
                    .filter(|c| !c.is_empty())
            };
            let mut countries: BTreeSet<String> = a["countries"]
                .as_array()
                .map(|c| c.iter().filter_map(code).collect())
                .unwrap_or_default();
            for i in a["institutions"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or(&[])
            {
                countries.extend(code(&i["country_code"]));
            }
            let t = tally.entry((author.to_string(), year)).or_default();
            for c in countries {
                *t.entry(c).or_default() += 1;
            }
        }
    }
    let mut out = Careers::new();
    for ((author, year), t) in tally {
        // Highest tally, then smallest code: BTreeMap iterates codes in order.
        if let Some((c, _)) = t
            .iter()
            .fold(None::<(&String, u64)>, |best, (c, &n)| match best {
                Some((_, bn)) if bn >= n => best,
                _ => Some((c, n)),
            })
        {
            out.entry(author).or_default().push((year, c.clone()));
        }
    }
    out
}

/// `origin → current → authors` for careers with ≥ 2 observed years.
fn flows(c: &Careers) -> BTreeMap<(String, String), u64> {
    let mut f = BTreeMap::new();
    for years in c.values().filter(|y| y.len() >= 2) {
        *f.entry((years[0].1.clone(), years.last().unwrap().1.clone()))
            .or_default() += 1;
    }
    f
}

/// `country → [authors, stayers, returnees, emigrants, immigrants, moves,
/// author_years]` for careers with ≥ 2 observed years.
fn countries(c: &Careers) -> BTreeMap<String, [u64; 7]> {
    let mut t: BTreeMap<String, [u64; 7]> = BTreeMap::new();
    for years in c.values().filter(|y| y.len() >= 2) {
        let (o, cur) = (&years[0].1, &years.last().unwrap().1);
        let e = t.entry(o.clone()).or_default();
        e[0] += 1;
        if cur != o {
            e[3] += 1;
            t.entry(cur.clone()).or_default()[4] += 1;
        } else if years.iter().all(|(_, c)| c == o) {
            e[1] += 1;
        } else {
            e[2] += 1;
        }
    }
    for years in c.values() {
        for pair in years.windows(2) {
            // Mobility counts for every country with an author-year, but
            // rows exist only for origins and current countries.
            if let Some(e) = t.get_mut(&pair[1].1) {
                e[6] += 1;
                if pair[0].1 != pair[1].1 {
                    e[5] += 1;
                }
            }
        }
    }
    t
}

fn check(inputs: &[PathBuf]) -> Careers {
    let dir = tempfile::tempdir().unwrap();
    let ds = ingest(inputs, dir.path());
    let want_careers = careers(&works(inputs));

    let (header, rows) = talent(&ds, &["flows"]);
    assert_eq!(&header[..3], ["origin", "current", "authors"]);
    let got: BTreeMap<(String, String), u64> = rows
        .iter()
        .map(|r| ((r[0].clone(), r[1].clone()), r[2].parse().unwrap()))
        .collect();
    assert_eq!(
        got.len(),
        rows.len(),
        "one row per origin and current country"
    );
    assert_eq!(got, flows(&want_careers), "{inputs:?}: flows");

    let (header, rows) = talent(&ds, &["countries"]);
    assert_eq!(
        &header[..11],
        [
            "country",
            "authors",
            "stayers",
            "returnees",
            "emigrants",
            "immigrants",
            "retention",
            "net_gain",
            "mobility_rate",
            "moves",
            "author_years"
        ]
    );
    let want = countries(&want_careers);
    assert_eq!(
        rows.len(),
        want.len(),
        "{inputs:?}: one row per origin or current country"
    );
    for r in &rows {
        let n = |i: usize| r[i].parse::<u64>().unwrap();
        let w = want
            .get(&r[0])
            .unwrap_or_else(|| panic!("unexpected country {}", r[0]));
        let got = [n(1), n(2), n(3), n(4), n(5), n(9), n(10)];
        assert_eq!(&got, w, "{inputs:?}: country {}", r[0]);
        let retention = if w[0] == 0 {
            String::new()
        } else {
            format!("{}", (w[1] + w[2]) as f64 / w[0] as f64)
        };
        let close = |a: &str, b: &str| match (a.parse::<f64>(), b.parse::<f64>()) {
            (Ok(x), Ok(y)) => (x - y).abs() < 1e-9,
            _ => a == b,
        };
        assert!(
            close(&r[6], &retention),
            "{}: retention {} vs {retention}",
            r[0],
            r[6]
        );
        assert_eq!(
            r[7].parse::<i64>().unwrap(),
            w[4] as i64 - w[3] as i64,
            "{}: net_gain",
            r[0]
        );
        let rate = if w[6] == 0 {
            String::new()
        } else {
            format!("{}", w[5] as f64 / w[6] as f64)
        };
        assert!(
            close(&r[8], &rate),
            "{}: mobility_rate {} vs {rate}",
            r[0],
            r[8]
        );
    }
    want_careers
}

#[test]
fn explorer_and_rag_sample_flows_and_countries_agree_with_an_independent_computation() {
    let Some(data) = shared() else { return };
    let explorer = check(&[data.join("explorer/works.jsonl.gz")]);
    // The explorer records hold 223 researchers with ≥ 2 observed years; 37
    // change main country at some point, 35 end in another country than
    // they started (emigrants) and 2 come back (returnees). SOURCE.md's 342
    // and 61 count authors in ≥ 2 works with a country, not ≥ 2 years.
    assert_eq!(explorer.values().filter(|y| y.len() >= 2).count(), 223);
    assert_eq!(
        explorer
            .values()
            .filter(|y| y.len() >= 2 && y[0].1 != y.last().unwrap().1)
            .count(),
        35
    );
    check(&[data.join("rag-sample/works.jsonl.gz")]);
    check(&[
        data.join("explorer/works.jsonl.gz"),
        data.join("rag-sample/works.jsonl.gz"),
    ]);
}

/// `talent author` rows as `year|country|countries|moved`.
fn career(ds: &Path, id: &str) -> Vec<String> {
    let (header, rows) = talent(ds, &["author", id]);
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    rows.iter()
        .map(|r| {
            format!(
                "{}|{}|{}|{}",
                r[col("year")],
                r[col("country")],
                r[col("countries")],
                r[col("moved")]
            )
        })
        .collect()
}

#[test]
fn explorer_careers_checked_by_hand() {
    let Some(data) = shared() else { return };
    let dir = tempfile::tempdir().unwrap();
    let ds = ingest(&[data.join("explorer/works.jsonl.gz")], dir.path());

    // A5073500794: 2020 W3029661147 at I107606265 (US) → US 1. 2023
    // W4317390883, one authorship at four institutions, FI and US → FI 1,
    // US 1: a tie, to FI (smaller code). Origin US, current FI: emigrant.
    assert_eq!(
        career(&ds, "A5073500794"),
        ["2020|US|US:1|false", "2023|FI|FI:1;US:1|true"]
    );

    // A5003562101: 2015 W1895577753 (US); 2016 W2271840356 and 2018
    // W4297808394 have no institution and no country (not observed); 2021
    // W3177828909 (GB). Emigrant US → GB over a gap of five years.
    assert_eq!(
        career(&ds, "A5003562101"),
        [
            "2015|US|US:1|false",
            "2016|||",
            "2018|||",
            "2021|GB|GB:1|true"
        ]
    );

    // A5100824251: 2015 W1677182931 (US); 2016 two works, W2194775991 [GB]
    // and W639708223 [CN] → CN 1, GB 1, tie to CN. Emigrant US → CN.
    assert_eq!(
        career(&ds, "A5100824251"),
        ["2015|US|US:1|false", "2016|CN|CN:1;GB:1|true"]
    );

    // A5078559681: 2009 W2108234281, one authorship in CN, GB and US → tie
    // to CN; 2015 W2104549677 lists the author twice (two authorships) at
    // I27837315 (US) → US 2. Emigrant CN → US.
    assert_eq!(
        career(&ds, "A5078559681"),
        ["2009|CN|CN:1;GB:1;US:1|false", "2015|US|US:2|true"]
    );

    // A5041615321: 2018 and 2020 LB; 2021 two works each with one
    // authorship in CA and LB → CA 2, LB 2, tie to CA. Emigrant LB → CA.
    assert_eq!(
        career(&ds, "A5041615321"),
        [
            "2018|LB|LB:1|false",
            "2020|LB|LB:1|false",
            "2021|CA|CA:2;LB:2|true"
        ]
    );
}
