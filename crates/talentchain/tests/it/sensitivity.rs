//! The sensitivity grid on a hand-made world whose ordering flips under one
//! definition.
//!
//! Four AI works of 2020 (concept C154945302, score 0.9), authorships by
//! their countries:
//! - W1 [US], 9 cites, and a topic in subfield 1702 (AI): the one work the
//!   `topics` profile selects (the others have no topic: unknown);
//! - W2 [CN], [US], 5 cites; W3 [CN, GB, FR] (one authorship), 3 cites;
//!   W4 [CN], [GB], 1 cite.
//!
//! `concepts` (4 works): full CN 3/4, US 2/4, GB 2/4, FR 1/4; fractional
//! CN 1/2 + 1/3 + 1/2 = 4/3 over 4 = 1/3, US 1 + 1/2 = 3/2 over 4 = 3/8,
//! GB 1/3 + 1/2 = 5/6 over 4 = 5/24, FR 1/12. `topics` (W1 only): US 1,
//! every other country 0, under both countings.
//! So on papers: CN above US under concepts · full only; US above CN under
//! the other 3 definitions.

use std::path::Path;

use talentchain::dataset::Dataset;
use talentchain::ingest::{IngestOptions, ingest};
use talentchain::profile::Profile;
use talentchain::sensitivity::{self, Grid};
use talentchain::settings::{Counting, Settings};

fn work(id: &str, cites: i64, authorships: &[&[&str]], topic: bool) -> String {
    let auth: Vec<String> = authorships
        .iter()
        .enumerate()
        .map(|(i, cs)| {
            let cs: Vec<String> = cs.iter().map(|c| format!("\"{c}\"")).collect();
            format!(
                r#"{{"author_position":"middle","author":{{"id":"https://openalex.org/A{id}{i}"}},"institutions":[],"countries":[{}]}}"#,
                cs.join(",")
            )
        })
        .collect();
    let topics = if topic {
        r#""topics":[{"id":"https://openalex.org/T1","score":0.9,"subfield":{"id":"https://openalex.org/subfields/1702"}}],"#
    } else {
        ""
    };
    format!(
        r#"{{"id":"https://openalex.org/{id}","publication_year":2020,"cited_by_count":{cites},"updated_date":"2025-01-01T00:00:00",{topics}"concepts":[{{"id":"https://openalex.org/C154945302","score":0.9}}],"authorships":[{}]}}"#,
        auth.join(",")
    )
}

fn dataset(dir: &Path) -> std::path::PathBuf {
    let input = dir.join("works.jsonl");
    let lines = [
        work("W1", 9, &[&["US"]], true),
        work("W2", 5, &[&["CN"], &["US"]], false),
        work("W3", 3, &[&["CN", "GB", "FR"]], false),
        work("W4", 1, &[&["CN"], &["GB"]], false),
    ];
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();
    let out = dir.join("ds");
    ingest(&IngestOptions::new(vec![input], out.clone())).unwrap();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_grid_counts_the_definitions_behind_each_ordering() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = Dataset::open(&dataset(dir.path()))
        .unwrap()
        .session()
        .await
        .unwrap();
    let grid = Grid {
        profiles: vec![
            Profile::builtin("concepts").unwrap(),
            Profile::builtin("topics").unwrap(),
        ],
        countings: vec![Counting::Full, Counting::Fractional],
        tops: vec![10.0],
    };
    let base = Settings::new(Profile::builtin("concepts").unwrap());
    let cells = sensitivity::cells(&ctx, &base, &grid).await.unwrap();
    let papers = |profile: &str, counting: Counting, country: &str| {
        cells
            .iter()
            .find(|c| {
                c.definition.profile == profile
                    && c.definition.counting == counting
                    && c.country == country
            })
            .unwrap_or_else(|| panic!("{profile} {counting} {country}: {cells:?}"))
            .values[0]
            .unwrap()
    };
    let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
    assert!(close(papers("concepts", Counting::Full, "CN"), 0.75));
    assert!(close(papers("concepts", Counting::Full, "US"), 0.5));
    assert!(close(
        papers("concepts", Counting::Fractional, "CN"),
        1.0 / 3.0
    ));
    assert!(close(
        papers("concepts", Counting::Fractional, "US"),
        3.0 / 8.0
    ));
    assert!(close(
        papers("concepts", Counting::Fractional, "GB"),
        5.0 / 24.0
    ));
    assert!(close(papers("topics", Counting::Full, "US"), 1.0));
    assert!(close(papers("topics", Counting::Fractional, "CN"), 0.0));
    // 4 countries × 4 definitions.
    assert_eq!(cells.len(), 16, "{cells:?}");

    let lead = sensitivity::leading(&cells, 2);
    assert_eq!(
        lead,
        ["CN", "GB"],
        "concepts · full: CN 3/4, GB and US 2/4 (ties by code)"
    );
    let orderings = sensitivity::orderings(&cells, &["CN".to_string(), "US".to_string()]);
    let papers = orderings
        .iter()
        .find(|o| o.headline == "papers_share")
        .unwrap();
    assert_eq!(
        papers.line(),
        "papers_share: US above CN in 3 of 4 definitions"
    );
}
