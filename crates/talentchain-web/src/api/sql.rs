//! `/api/sql`: `talentchain sql`, read-only (the library's two locks: the
//! first keyword and DataFusion's `SQLOptions`), time-limited and capped:
//! the rows are streamed and the stream dropped at the cap, and the whole
//! request (selection views included) stops at the time limit.

use futures::StreamExt;
use talentchain::metrics::MetricResult;
use talentchain::selection::prepare_all;
use talentchain::sql::user;

use super::Answer;
use crate::error::ApiError;
use crate::params::Params;
use crate::state::AppState;

/// The query's rows, at most [`AppState::sql_row_cap`].
pub async fn answer(state: &AppState, p: &Params) -> Result<Answer, ApiError> {
    let settings = p.settings();
    let q = p.sql().unwrap_or_default().to_string();
    let ctx = state.session()?;
    let cap = state.sql_row_cap();
    let limit = state.sql_timeout();
    let run = async {
        let sel = prepare_all(&ctx, settings).await?;
        let df = user::plan(&ctx, &q)
            .await
            .map_err(|e| ApiError::BadQuery(e.to_string()))?;
        let schema = df.schema().inner().clone();
        let mut stream = df
            .execute_stream()
            .await
            .map_err(|e| ApiError::BadQuery(e.to_string()))?;
        let (mut batches, mut n, mut truncated) = (Vec::new(), 0, false);
        while let Some(b) = stream.next().await {
            let b = b.map_err(|e| ApiError::BadQuery(e.to_string()))?;
            if n + b.num_rows() > cap {
                batches.push(b.slice(0, cap - n));
                truncated = true;
                break;
            }
            n += b.num_rows();
            batches.push(b);
        }
        let mut notes = sel.notes();
        if truncated {
            notes.push(format!(
                "rows cut at the cap of {cap}: add a LIMIT or aggregate"
            ));
        }
        Ok::<_, ApiError>(Answer::Rows(
            MetricResult {
                batches,
                schema,
                notes,
            },
            truncated,
        ))
    };
    tokio::time::timeout(limit, run)
        .await
        .map_err(|_| ApiError::Timeout(limit))?
}
