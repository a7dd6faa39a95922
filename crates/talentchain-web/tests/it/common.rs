//! A small demo world, generated and ingested once per test binary, and
//! requests to the router without a socket.

use std::path::PathBuf;
use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use talentchain::dataset::Dataset;
use talentchain::demo::{DemoConfig, generate};
use talentchain::ingest::{IngestOptions, ingest};
use talentchain_web::{AppState, app};
use tower::ServiceExt;

/// The dataset of a 300-researcher demo world (seed 7).
pub fn dataset() -> Dataset {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    let root = ROOT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep();
        let cfg = DemoConfig {
            seed: 7,
            researchers: 300,
            ..Default::default()
        };
        let world = generate(&cfg, &dir).unwrap();
        let data = dir.join("dataset");
        let mut opts = IngestOptions::new(vec![world.root.join("openalex")], data.clone());
        opts.force = true;
        opts.progress = false;
        ingest(&opts).unwrap();
        data
    });
    Dataset::open(root).unwrap()
}

/// The server state over [`dataset`].
pub async fn state() -> AppState {
    AppState::open(dataset(), vec![]).await.unwrap()
}

/// GET `uri`: status, content type, body.
pub async fn get(state: &AppState, uri: &str) -> (StatusCode, String, Vec<u8>) {
    let resp = app(state.clone())
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let ct = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = resp
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    (status, ct, body)
}

/// GET `uri` and parse its JSON.
pub async fn get_json(state: &AppState, uri: &str) -> (StatusCode, Value) {
    let (status, ct, body) = get(state, uri).await;
    assert!(
        ct.starts_with("application/json"),
        "{uri}: content type {ct}"
    );
    (
        status,
        serde_json::from_slice(&body).unwrap_or_else(|e| panic!("{uri}: {e}")),
    )
}

/// A metric's rows as the CLI's `--format json` writes them.
pub fn rows_json(r: &talentchain::metrics::MetricResult) -> Value {
    let mut buf = Vec::new();
    talentchain::output::write(
        &r.batches,
        &r.schema,
        talentchain::output::Format::Json,
        &mut buf,
    )
    .unwrap();
    serde_json::from_slice(&buf).unwrap()
}

/// `a` and `b` are the same JSON, floats equal to 1e-9 relative: DataFusion
/// sums floats in parallel partitions, so the last bits of a fractional
/// count can differ from one run to the next.
#[track_caller]
pub fn assert_same(a: &Value, b: &Value) {
    fn same(a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::Number(x), Value::Number(y)) => {
                let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
                x == y || (x - y).abs() <= 1e-9 * x.abs().max(y.abs())
            }
            (Value::Array(x), Value::Array(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
            }
            (Value::Object(x), Value::Object(y)) => {
                x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
            }
            _ => a == b,
        }
    }
    assert!(same(a, b), "not the same:\n{a}\n{b}");
}
