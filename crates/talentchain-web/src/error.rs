//! The API's one error type: each variant maps to a status and a snake_case
//! code in [`ApiError::status_and_code`], and answers a JSON object
//! `{"error": code, "message": …}` (plus `parameter` and `accepted` for a
//! bad parameter).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use talentchain::error::{Error, Kind};

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
    /// The dataset cannot be used as it is (the library's [`Kind::Data`]).
    #[error("{0}")]
    Data(String),
    /// A failure of the server (the library's [`Kind::Internal`]).
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
            // 500, not 503: the dataset was opened and checked when the
            // server started, so data that cannot be used at request time
            // (a table file gone or rewritten under the server) is a fault
            // on the server's side that retrying does not mend, and 503
            // invites retries. Its own code tells it from a bug.
            ApiError::Data(_) => (StatusCode::INTERNAL_SERVER_ERROR, "bad_data"),
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

/// The library's errors by their kind: user input is a bad parameter
/// (400, naming it, with the library's message and accepted values), bad
/// data and internal failures are 500s.
impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        match e.kind() {
            Kind::Input => match e {
                Error::Input {
                    parameter,
                    message,
                    accepted,
                } => ApiError::BadParameter {
                    parameter,
                    message,
                    accepted,
                },
                other => ApiError::Internal(other.to_string()),
            },
            Kind::Data => ApiError::Data(e.to_string()),
            Kind::Internal => ApiError::Internal(e.to_string()),
        }
    }
}

/// A query engine failure, by the kind of the library's error it carries
/// (internal, unless a check of ours failed inside the query).
impl From<datafusion::error::DataFusionError> for ApiError {
    fn from(e: datafusion::error::DataFusionError) -> ApiError {
        Error::from(e).into()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The library's errors answer by their kind: user input 400 naming the
    /// parameter, bad data and internal failures 500 with their own codes;
    /// a check of ours failing inside a query keeps its kind.
    #[test]
    fn library_errors_answer_by_kind() {
        let input = Error::input("top", "bad top", vec!["10".into()]);
        let e = ApiError::from(datafusion::error::DataFusionError::from(input));
        assert_eq!(
            e.status_and_code(),
            (StatusCode::BAD_REQUEST, "bad_parameter")
        );
        let ApiError::BadParameter {
            parameter,
            message,
            accepted,
        } = e
        else {
            panic!("not a bad parameter");
        };
        assert_eq!(
            (parameter.as_str(), message.as_str(), accepted),
            ("top", "bad top", vec!["10".to_string()])
        );
        assert_eq!(
            ApiError::from(Error::Data("gone".into())).status_and_code(),
            (StatusCode::INTERNAL_SERVER_ERROR, "bad_data")
        );
        let plan = datafusion::error::DataFusionError::Plan("no such table".into());
        assert_eq!(
            ApiError::from(plan).status_and_code(),
            (StatusCode::INTERNAL_SERVER_ERROR, "internal")
        );
    }
}
