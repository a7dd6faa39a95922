//! `/api/selection`: how the AI profile sorts the works of the year range
//! (selected, unknown, rejected), as every metric's first note says, and the
//! dataset's years. The dashboard's headline numbers come from here.

use serde_json::json;
use talentchain::selection::prepare;

use super::Answer;
use crate::error::ApiError;
use crate::params::Params;
use crate::state::AppState;

/// The selection counts.
pub async fn answer(state: &AppState, p: &Params) -> Result<Answer, ApiError> {
    let settings = p.settings();
    let ctx = state.session()?;
    let (sel, _) = prepare(&ctx, settings).await?;
    let years = state.years();
    Ok(Answer::Object(json!({
        "profile": sel.profile,
        "profile_description": settings.profile().description,
        "unknown_meaning": sel.unknown_meaning,
        "range": sel.range,
        "from": settings.from(),
        "to": settings.to(),
        "selected": sel.selected,
        "unknown": sel.unknown,
        "rejected": sel.rejected,
        "selected_without_year": sel.selected_without_year,
        "dataset_years": years.map(|(a, b)| [a, b]),
        "notes": sel.notes(),
    })))
}
