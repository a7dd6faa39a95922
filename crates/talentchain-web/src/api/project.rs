//! `/api/project`: the projection of the library
//! ([`talentchain::projection`]) for the request's settings and options.

use talentchain::projection;

use super::{Answer, Params};
use crate::error::ApiError;
use crate::state::AppState;

/// The projection's rows (or the orgs' or the backtest's) and its notes.
pub async fn answer(state: &AppState, p: &Params) -> Result<Answer, ApiError> {
    let ctx = state.session()?;
    Ok(projection::run(&ctx, p.settings(), p.projection())
        .await?
        .into())
}
