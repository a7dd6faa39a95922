//! `/api/collab`: `talentchain collab` (`shares=true` for `--shares`).

use talentchain::metrics::collab;

use super::Answer;
use crate::error::ApiError;
use crate::old_options;
use crate::params::Params;
use crate::state::AppState;

/// The co-authorship pairs, or each country's international share.
pub async fn answer(state: &AppState, p: &Params) -> Result<Answer, ApiError> {
    let opts = old_options::options(p.settings());
    let ctx = state.session()?;
    let r = if p.settings().shares() {
        collab::shares(&ctx, &opts).await?
    } else {
        collab::pairs(&ctx, &opts).await?
    };
    Ok(r.into())
}
