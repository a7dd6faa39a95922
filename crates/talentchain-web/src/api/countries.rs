//! `/api/countries`: `talentchain countries`.

use talentchain::metrics::countries::{self, By};

use super::Answer;
use crate::error::ApiError;
use crate::params::Params;
use crate::state::AppState;

/// Rows by country and year, or by country with `by=total`.
pub async fn answer(state: &AppState, p: &Params) -> Result<Answer, ApiError> {
    let opts = p.options(state)?;
    let by = if p.get("by") == Some("total") {
        By::Total
    } else {
        By::Year
    };
    let ctx = state.session()?;
    Ok(countries::run(&ctx, &opts, by).await?.into())
}
