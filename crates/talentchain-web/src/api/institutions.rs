//! `/api/institutions`: `talentchain institutions`.

use talentchain::metrics::institutions;

use super::Answer;
use crate::error::ApiError;
use crate::old_options;
use crate::params::Params;
use crate::state::AppState;

/// The ranking, with `rollup`, `type`, `sort` and `limit` as the CLI's flags.
pub async fn answer(state: &AppState, p: &Params) -> Result<Answer, ApiError> {
    let opts = old_options::options(p.settings());
    let inst = old_options::institution_options(p.settings());
    let ctx = state.session()?;
    Ok(institutions::run(&ctx, &opts, &inst).await?.into())
}
