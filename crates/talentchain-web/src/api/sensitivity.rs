//! `/api/sensitivity`: the sensitivity grid of the library
//! ([`talentchain::sensitivity`]) around the request's reference
//! definition (its profile and highly-cited share first), over the
//! standard grid.

use talentchain::sensitivity::{self, Grid};

use super::{Answer, Params};
use crate::error::ApiError;
use crate::state::AppState;

/// The grid's rows and, as notes, the orderings of the leading countries.
pub async fn answer(state: &AppState, p: &Params) -> Result<Answer, ApiError> {
    let settings = p.settings();
    let grid = Grid::standard()?.with_reference(settings);
    let ctx = state.session()?;
    Ok(sensitivity::run(&ctx, settings, &grid, None).await?.into())
}
