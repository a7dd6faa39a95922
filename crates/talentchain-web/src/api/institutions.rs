//! `/api/institutions`: `talentchain institutions`.

use talentchain::metrics::institutions::{self, InstitutionOptions, Sort};

use super::Answer;
use crate::error::ApiError;
use crate::params::Params;
use crate::state::AppState;

/// The ranking, with `rollup`, `type`, `sort` and `limit` as the CLI's flags.
pub async fn answer(state: &AppState, p: &Params) -> Result<Answer, ApiError> {
    let opts = p.options(state)?;
    let inst = InstitutionOptions {
        rollup: p.flag("rollup"),
        sector: p.get("type").map(str::to_string),
        limit: p.limit(),
        sort: match p.get("sort") {
            Some("fractional") => Sort::Fractional,
            Some("citations") => Sort::Citations,
            Some("highly-cited") => Sort::HighlyCited,
            _ => Sort::Papers,
        },
    };
    let ctx = state.session()?;
    Ok(institutions::run(&ctx, &opts, &inst).await?.into())
}
