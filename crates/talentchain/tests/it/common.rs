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
