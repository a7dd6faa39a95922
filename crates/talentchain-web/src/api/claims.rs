//! `/api/claims`: the shipped claims ([`talentchain::claims`]) as verdicts
//! under the request's settings, over the standard sensitivity grid unless
//! `grid=none`.

use talentchain::claims::{self, Claims};
use talentchain::sensitivity::Grid;

use super::{Answer, Params};
use crate::error::ApiError;
use crate::state::AppState;

/// One row per check; each claim's verdict in the notes.
pub async fn answer(state: &AppState, p: &Params) -> Result<Answer, ApiError> {
    let grid = if p.grid() {
        Some(Grid::standard()?)
    } else {
        None
    };
    let ctx = state.session()?;
    Ok(
        claims::run(&ctx, p.settings(), &Claims::seed(), grid.as_ref())
            .await?
            .into(),
    )
}
