//! Helpers shared by the library's integration tests.
#![allow(dead_code)] // Cell::clone_text serves the ballista module alone (feature ballista)

use datafusion::arrow::array::{Array, Float64Array};
use datafusion::arrow::util::display::array_value_to_string;
use datafusion::prelude::SessionContext;
use talentchain::demo::{DemoConfig, generate};
use talentchain::ingest::{IngestOptions, ingest};
use talentchain::metrics::MetricResult;

/// A demo world generated into `dir` and ingested on 2 threads into
/// `dir/dataset`; returns the dataset's path and the world's root (its
/// `truth*.csv`).
pub fn demo_dataset(
    dir: &std::path::Path,
    cfg: &DemoConfig,
) -> (std::path::PathBuf, std::path::PathBuf) {
    let out = generate(cfg, dir).unwrap();
    let data = dir.join("dataset");
    let mut io = IngestOptions::new(vec![out.root.join("openalex")], data.clone());
    io.threads = 2;
    ingest(&io).unwrap();
    (data, out.root)
}

/// One cell of a metric's result: floats kept as numbers, to compare with a
/// tolerance (sums added in another order differ in the last bits).
#[derive(Debug, Clone)]
pub enum Cell {
    Null,
    Float(f64),
    Text(String),
}

impl Cell {
    /// The text of a text cell, else its debug form.
    pub fn clone_text(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            other => format!("{other:?}"),
        }
    }
}

/// Floats equal within a relative 1e-9, the rest exactly.
impl PartialEq for Cell {
    fn eq(&self, other: &Cell) -> bool {
        match (self, other) {
            (Cell::Null, Cell::Null) => true,
            (Cell::Float(x), Cell::Float(y)) => {
                x == y || (x.is_nan() && y.is_nan()) || (x - y).abs() <= 1e-9 * x.abs().max(y.abs())
            }
            (Cell::Text(x), Cell::Text(y)) => x == y,
            _ => false,
        }
    }
}

/// A result's rows as cells.
pub fn cells(r: &MetricResult) -> Vec<Vec<Cell>> {
    let mut out = Vec::new();
    for b in &r.batches {
        for i in 0..b.num_rows() {
            out.push(
                b.columns()
                    .iter()
                    .map(|c| {
                        if c.is_null(i) {
                            Cell::Null
                        } else if let Some(f) = c.as_any().downcast_ref::<Float64Array>() {
                            Cell::Float(f.value(i))
                        } else {
                            Cell::Text(array_value_to_string(c, i).unwrap())
                        }
                    })
                    .collect(),
            );
        }
    }
    out
}

/// A query's rows, each cell as text.
pub async fn query_rows(ctx: &SessionContext, sql: &str) -> Vec<Vec<String>> {
    let batches = ctx.sql(sql).await.unwrap().collect().await.unwrap();
    let mut out = Vec::new();
    for b in &batches {
        for r in 0..b.num_rows() {
            out.push(
                b.columns()
                    .iter()
                    .map(|c| array_value_to_string(c, r).unwrap())
                    .collect(),
            );
        }
    }
    out
}

/// One work's JSON line: its authorships' countries, and a topic in the AI
/// subfield when `topic`.
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

/// A session over [`flip_world`], written in `dir`.
pub async fn flip_session(dir: &std::path::Path) -> SessionContext {
    talentchain::dataset::Dataset::open(&flip_world(dir))
        .unwrap()
        .session()
        .await
        .unwrap()
}

/// A hand-made world whose ordering flips under one definition: four AI
/// works of 2020 (concept C154945302, score 0.9), authorships by their
/// countries:
/// - W1 [US], 9 cites, and a topic in subfield 1702 (AI): the one work the
///   `topics` profile selects (the others have no topic: unknown);
/// - W2 [CN], [US], 5 cites; W3 [CN, GB, FR] (one authorship), 3 cites;
///   W4 [CN], [GB], 1 cite.
///
/// `concepts` (4 works): full CN 3/4, US 2/4, GB 2/4, FR 1/4; fractional
/// CN 1/2 + 1/3 + 1/2 = 4/3 over 4 = 1/3, US 1 + 1/2 = 3/2 over 4 = 3/8,
/// GB 1/3 + 1/2 = 5/6 over 4 = 5/24, FR 1/12. `topics` (W1 only): US 1,
/// every other country 0, under both countings.
/// So on papers: CN above US under concepts · full only; US above CN under
/// the other 3 definitions.
pub fn flip_world(dir: &std::path::Path) -> std::path::PathBuf {
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
