//! The API's one error type: each variant maps to a status and a snake_case
//! code in [`ApiError::status_and_code`], and answers a JSON object
//! `{"error": code, "message": …}` (plus `parameter` and `accepted` for a
//! bad parameter).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A query parameter that the route does not take, or with a value it
    /// does not accept.
    #[error("{message}")]
    BadParameter {
        /// The parameter, as named in the query string.
        parameter: String,
        /// What was wrong, with the value.
        message: String,
        /// The values or forms accepted.
        accepted: Vec<String>,
    },
    /// No route at `path`.
    #[error("no route `{path}`: the API is listed at /api/openapi.json")]
    NotFound {
        /// The path asked for.
        path: String,
    },
    /// A SQL query refused (not read-only) or failing (syntax, unknown table).
    #[error("{0}")]
    BadQuery(String),
    /// A SQL query still running at the time limit.
    #[error(
        "the query ran past the time limit of {0:?} and was stopped: add a LIMIT, filter or aggregate"
    )]
    Timeout(std::time::Duration),
    /// A failure of the server or the dataset.
    #[error("{0}")]
    Internal(String),
}

impl ApiError {
    /// The status and code of each error: the one table.
    pub fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::BadParameter { .. } => (StatusCode::BAD_REQUEST, "bad_parameter"),
            ApiError::NotFound { .. } => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::BadQuery(_) => (StatusCode::BAD_REQUEST, "bad_query"),
            ApiError::Timeout(_) => (StatusCode::SERVICE_UNAVAILABLE, "query_timeout"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }

    /// A bad value of `parameter`.
    pub fn bad(parameter: &str, message: String, accepted: Vec<String>) -> ApiError {
        ApiError::BadParameter {
            parameter: parameter.to_string(),
            message,
            accepted,
        }
    }
}

/// A library error by its kind: the user's input is a 400 naming the
/// parameter; a dataset that cannot be used and an internal failure are
/// the server's (500).
impl From<talentchain::error::Error> for ApiError {
    fn from(e: talentchain::error::Error) -> ApiError {
        match e {
            talentchain::error::Error::Input {
                parameter,
                message,
                accepted,
            } => ApiError::BadParameter {
                parameter,
                message,
                accepted,
            },
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<datafusion::error::DataFusionError> for ApiError {
    fn from(e: datafusion::error::DataFusionError) -> ApiError {
        ApiError::Internal(e.to_string())
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(e: anyhow::Error) -> ApiError {
        ApiError::Internal(format!("{e:#}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let mut body = json!({"error": code, "message": self.to_string()});
        if let ApiError::BadParameter {
            parameter,
            accepted,
            ..
        } = &self
        {
            body["parameter"] = json!(parameter);
            body["accepted"] = json!(accepted);
        }
        (status, Json(body)).into_response()
    }
}
