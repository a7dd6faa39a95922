//! `/api/sectors`: `talentchain sectors`.

use talentchain::metrics::sectors;

use super::Answer;
use crate::error::ApiError;
use crate::old_options;
use crate::params::Params;
use crate::state::AppState;

/// AI output by sector and country.
pub async fn answer(state: &AppState, p: &Params) -> Result<Answer, ApiError> {
    let opts = old_options::options(p.settings());
    let ctx = state.session()?;
    Ok(sectors::run(&ctx, &opts).await?.into())
}
