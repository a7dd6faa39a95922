//! `/api/sectors`: `talentchain sectors`.

use talentchain::metrics::sectors;

use super::Answer;
use crate::error::ApiError;
use crate::params::Params;
use crate::state::AppState;

/// AI output by sector and country.
pub async fn answer(state: &AppState, p: &Params) -> Result<Answer, ApiError> {
    let opts = p.options(state)?;
    let ctx = state.session()?;
    Ok(sectors::run(&ctx, &opts).await?.into())
}
