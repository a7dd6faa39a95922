//! `/api/countries`: `talentchain countries`.

use talentchain::metrics::countries;

use super::Answer;
use crate::error::ApiError;
use crate::old_options;
use crate::params::Params;
use crate::state::AppState;

/// Rows by country and year, or by country with `by=total`.
pub async fn answer(state: &AppState, p: &Params) -> Result<Answer, ApiError> {
    let opts = old_options::options(p.settings());
    let by = old_options::countries_by(p.settings());
    let ctx = state.session()?;
    Ok(countries::run(&ctx, &opts, by).await?.into())
}
