//! `/api/manifest`: the dataset's `manifest.json`, as ingest wrote it.

use super::Answer;
use crate::error::ApiError;
use crate::state::AppState;

/// The manifest.
pub fn answer(state: &AppState) -> Result<Answer, ApiError> {
    let v = serde_json::to_value(&state.dataset().manifest)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(Answer::Object(v))
}
