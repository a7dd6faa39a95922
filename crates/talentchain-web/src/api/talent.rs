//! `/api/talent/…`: `talentchain talent …`, one function per verb, each the
//! library's `talentchain::talent::<verb>::run` with the CLI's flags as
//! parameters (`min_works`, `careers_from`, and the verb's own).

use talentchain::talent::orgs::OrgOptions;
use talentchain::talent::top::Sort;
use talentchain::talent::{
    author as author_metric, conversion as conversion_metric, countries as countries_metric,
};
use talentchain::talent::{
    flows as flows_metric, mismatch as mismatch_metric, orgs as orgs_metric, top as top_metric,
};

use super::Answer;
use crate::error::ApiError;
use crate::params::{Params, author_id};
use crate::state::AppState;

/// `/api/talent/flows`: origin → current, `cohort=true` by first observed year.
pub async fn flows(state: &AppState, p: &Params) -> Result<Answer, ApiError> {
    let opts = p.talent_options(state)?;
    let ctx = state.session()?;
    Ok(flows_metric::run(&ctx, &opts, p.flag("cohort"))
        .await?
        .into())
}

/// `/api/talent/countries`: classes, retention, net gain, mobility rate.
pub async fn countries(state: &AppState, p: &Params) -> Result<Answer, ApiError> {
    let opts = p.talent_options(state)?;
    let ctx = state.session()?;
    Ok(countries_metric::run(&ctx, &opts).await?.into())
}

/// `/api/talent/mismatch`: supply by origin against output by affiliation.
pub async fn mismatch(state: &AppState, p: &Params) -> Result<Answer, ApiError> {
    let opts = p.talent_options(state)?;
    let ctx = state.session()?;
    Ok(mismatch_metric::run(&ctx, &opts).await?.into())
}

/// `/api/talent/conversion?origin=XX`: where one origin's researchers produce.
pub async fn conversion(state: &AppState, p: &Params) -> Result<Answer, ApiError> {
    let opts = p.talent_options(state)?;
    let origin = p.get("origin").unwrap_or_default().to_string();
    let ctx = state.session()?;
    Ok(conversion_metric::run(&ctx, &opts, &origin).await?.into())
}

/// `/api/talent/orgs`: each organisation's origin mix, `rollup`, `limit`.
pub async fn orgs(state: &AppState, p: &Params) -> Result<Answer, ApiError> {
    let opts = p.talent_options(state)?;
    let org = OrgOptions {
        rollup: p.flag("rollup"),
        limit: p.limit(),
    };
    let ctx = state.session()?;
    Ok(orgs_metric::run(&ctx, &opts, &org).await?.into())
}

/// `/api/talent/top`: the top researchers, `sort`, `limit`.
pub async fn top(state: &AppState, p: &Params) -> Result<Answer, ApiError> {
    let opts = p.talent_options(state)?;
    let sort = if p.get("sort") == Some("h-index") {
        Sort::HIndex
    } else {
        Sort::Citations
    };
    let ctx = state.session()?;
    Ok(top_metric::run(&ctx, &opts, sort, p.limit()).await?.into())
}

/// `/api/talent/author/{id}` or `?author=`: one career, year by year.
pub async fn author(state: &AppState, p: &Params) -> Result<Answer, ApiError> {
    let opts = p.talent_options(state)?;
    let id = p
        .get("author")
        .and_then(author_id)
        .unwrap_or_default()
        .to_string();
    let ctx = state.session()?;
    Ok(author_metric::run(&ctx, &opts, &id).await?.into())
}
