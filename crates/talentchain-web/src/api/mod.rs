//! The JSON API: one module per resource, each with an `answer` function
//! that turns checked [`Params`] into an [`Answer`]. [`answer`] dispatches by
//! path; the HTTP handler ([`endpoint`]) and the report both call it, so the
//! report's data are exactly what the API answers.
//!
//! Rows answer `{"columns": [{"name", "type"}], "rows": [{…}], "notes": […]}`
//! (`format=csv` gives CSV); `truncated: true` is added when the SQL row cap
//! cut the rows.

pub mod claims;
pub mod manifest;
pub mod metric;
pub mod project;
pub mod selection;
pub mod sensitivity;
pub mod sql;
pub mod tables;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use talentchain::metrics::MetricResult;
use talentchain::output::{self, Format};

use crate::cache::{Cache, Cached};
use crate::error::ApiError;
use crate::params::Params;
use crate::spec;
use crate::state::AppState;

/// What a route answers.
#[derive(Debug, Clone)]
pub enum Answer {
    /// Rows of a metric, and whether a cap cut them.
    Rows(MetricResult, bool),
    /// A JSON object.
    Object(Value),
}

impl From<MetricResult> for Answer {
    fn from(r: MetricResult) -> Answer {
        Answer::Rows(r, false)
    }
}

/// Every SQL file's definition in words (its header), by relation name.
fn definitions() -> Answer {
    let defs: serde_json::Map<String, Value> = talentchain::sql::QUERIES
        .iter()
        .map(|q| (q.name().to_string(), json!(q.header())))
        .collect();
    Answer::Object(Value::Object(defs))
}

/// The answer of the route at `path` to the query `pairs`.
pub async fn answer(
    state: &AppState,
    path: &str,
    pairs: &[(String, String)],
) -> Result<(Answer, Params), ApiError> {
    let (route, segment) = spec::resolve(path).ok_or_else(|| ApiError::NotFound {
        path: path.to_string(),
    })?;
    let p = match segment {
        Some((name, value)) => {
            let mut all = vec![(name.to_string(), value)];
            all.extend_from_slice(pairs);
            Params::parse(route, &all, state)?
        }
        None => Params::parse(route, pairs, state)?,
    };
    let settings = p.settings().clone();
    let mut a = match route.path {
        "/api/sql" => sql::answer(state, &p).await?,
        "/api/tables" => tables::answer(),
        "/api/selection" => selection::answer(state, &p).await?,
        "/api/sensitivity" => sensitivity::answer(state, &p).await?,
        "/api/project" => project::answer(state, &p).await?,
        "/api/claims" => claims::answer(state, &p).await?,
        "/api/manifest" => manifest::answer(state)?,
        "/api/definitions" => definitions(),
        "/api/openapi.json" => Answer::Object(spec::openapi(&state.profile_names())),
        path => match metric::of_route(path, &settings) {
            Some(m) => metric::answer(state, m, &settings).await?,
            None => unreachable!("route {path} is in spec::ROUTES but not dispatched"),
        },
    };
    // A dataset filtered at ingest (`ingest --ai`) says so, as the CLI does.
    if let Answer::Rows(r, _) = &mut a {
        r.notes
            .extend(state.dataset().filter_notes(settings.profile()));
    }
    Ok((a, p))
}

/// The JSON form of an answer.
pub fn to_json(a: &Answer) -> Result<Value, ApiError> {
    match a {
        Answer::Object(v) => Ok(v.clone()),
        Answer::Rows(r, truncated) => {
            let mut buf = Vec::new();
            output::write(&r.batches, &r.schema, Format::Json, &mut buf)
                .map_err(|e| ApiError::Internal(e.to_string()))?;
            let rows: Value =
                serde_json::from_slice(&buf).map_err(|e| ApiError::Internal(e.to_string()))?;
            let columns: Vec<Value> = r
                .schema
                .fields()
                .iter()
                .map(|f| json!({"name": f.name(), "type": f.data_type().to_string()}))
                .collect();
            let mut v = json!({"columns": columns, "rows": rows, "notes": r.notes});
            if *truncated {
                v["truncated"] = json!(true);
            }
            Ok(v)
        }
    }
}

/// The handler of every API route: the path picks the resource. Answers
/// are kept per URL ([`crate::cache`]), but for `/api/sql`.
pub async fn endpoint(
    State(state): State<AppState>,
    uri: Uri,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(pairs) = query
        .map_err(|e| ApiError::bad("query", format!("unreadable query string: {e}"), vec![]))?;
    reply(&state, uri.path(), &pairs).await
}

/// The handler of a route's path-segment form (`/api/talent/author/{author}`):
/// the segment, percent-decoded, is the value of the route's segment
/// parameter, and the request is answered (and kept) as its query form.
pub async fn segment_endpoint(
    State(state): State<AppState>,
    uri: Uri,
    segment: Result<Path<String>, PathRejection>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Some((route, Some((name, _)))) = spec::resolve(uri.path()) else {
        return Err(ApiError::NotFound {
            path: uri.path().to_string(),
        });
    };
    let Path(value) = segment.map_err(|e| {
        let accepted = route
            .params
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.accepted(&state.profile_names()))
            .unwrap_or_default();
        ApiError::bad(
            name,
            format!("unreadable path segment `{name}`: {e}"),
            accepted,
        )
    })?;
    let Query(query) = query
        .map_err(|e| ApiError::bad("query", format!("unreadable query string: {e}"), vec![]))?;
    let mut pairs = vec![(name.to_string(), value)];
    pairs.extend(query);
    reply(&state, route.path, &pairs).await
}

/// The answer to `path` with `pairs`, kept per URL but for `/api/sql`.
async fn reply(
    state: &AppState,
    path: &str,
    pairs: &[(String, String)],
) -> Result<Response, ApiError> {
    // Answers not kept yet are computed a few at a time: each can take
    // gigabytes on a large dataset, and a dashboard asks for ten at once.
    let compute = || async {
        let _permit = state.query_permit().await;
        respond(state, path, pairs).await
    };
    let cached = if spec::resolve(path).is_some_and(|(r, _)| r.path == "/api/sql") {
        compute().await?
    } else {
        state
            .cache()
            .get_or_compute(Cache::key(path, pairs), compute)
            .await?
    };
    let mut resp = cached.body.into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(cached.content_type),
    );
    Ok(resp)
}

/// The body of the answer to `path` with `pairs`: CSV with `format=csv`,
/// else JSON.
async fn respond(
    state: &AppState,
    path: &str,
    pairs: &[(String, String)],
) -> Result<Cached, ApiError> {
    let (a, p) = answer(state, path, pairs).await?;
    if let Answer::Rows(r, _) = &a
        && p.csv()
    {
        let mut buf = Vec::new();
        output::write(&r.batches, &r.schema, Format::Csv, &mut buf)
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        return Ok(Cached {
            content_type: "text/csv; charset=utf-8",
            body: buf.into(),
        });
    }
    let body = serde_json::to_vec(&to_json(&a)?).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(Cached {
        content_type: "application/json",
        body: body.into(),
    })
}
