//! `/api/talent/…`: `talentchain talent …`, one function per verb, each the
//! library's `talentchain::talent::<verb>::run` with the CLI's flags as
//! parameters (`min_works`, `careers_from`, and the verb's own).

use talentchain::talent::{
    author as author_metric, conversion as conversion_metric, countries as countries_metric,
};
use talentchain::talent::{
    flows as flows_metric, mismatch as mismatch_metric, orgs as orgs_metric, top as top_metric,
};

use super::Answer;
use crate::error::ApiError;
use crate::old_options::{self, talent_options};
use crate::params::Params;
use crate::state::AppState;

/// `/api/talent/flows`: origin → current, `cohort=true` by first observed year.
pub async fn flows(state: &AppState, p: &Params) -> Result<Answer, ApiError> {
    let opts = talent_options(p.settings());
    let ctx = state.session()?;
    Ok(flows_metric::run(&ctx, &opts, p.settings().cohort())
        .await?
        .into())
}

/// `/api/talent/countries`: classes, retention, net gain, mobility rate.
pub async fn countries(state: &AppState, p: &Params) -> Result<Answer, ApiError> {
    let opts = talent_options(p.settings());
    let ctx = state.session()?;
    Ok(countries_metric::run(&ctx, &opts).await?.into())
}

/// `/api/talent/mismatch`: supply by origin against output by affiliation.
pub async fn mismatch(state: &AppState, p: &Params) -> Result<Answer, ApiError> {
    let opts = talent_options(p.settings());
    let ctx = state.session()?;
    Ok(mismatch_metric::run(&ctx, &opts).await?.into())
}

/// `/api/talent/conversion?origin=XX`: where one origin's researchers produce.
pub async fn conversion(state: &AppState, p: &Params) -> Result<Answer, ApiError> {
    let opts = talent_options(p.settings());
    let origin = p.settings().origin().unwrap_or_default().to_string();
    let ctx = state.session()?;
    Ok(conversion_metric::run(&ctx, &opts, &origin).await?.into())
}

/// `/api/talent/orgs`: each organisation's origin mix, `rollup`, `limit`.
pub async fn orgs(state: &AppState, p: &Params) -> Result<Answer, ApiError> {
    let opts = talent_options(p.settings());
    let org = old_options::org_options(p.settings());
    let ctx = state.session()?;
    Ok(orgs_metric::run(&ctx, &opts, &org).await?.into())
}

/// `/api/talent/top`: the top researchers, `sort`, `limit`.
pub async fn top(state: &AppState, p: &Params) -> Result<Answer, ApiError> {
    let opts = talent_options(p.settings());
    let sort = old_options::researcher_sort(p.settings());
    let ctx = state.session()?;
    Ok(
        top_metric::run(&ctx, &opts, sort, old_options::limit(p.settings()))
            .await?
            .into(),
    )
}

/// `/api/talent/author/{id}` or `?author=`: one career, year by year.
pub async fn author(state: &AppState, p: &Params) -> Result<Answer, ApiError> {
    let opts = talent_options(p.settings());
    let id = p.settings().author().unwrap_or_default().to_string();
    let ctx = state.session()?;
    Ok(author_metric::run(&ctx, &opts, &id).await?.into())
}
