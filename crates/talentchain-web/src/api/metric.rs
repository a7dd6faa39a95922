//! The metric routes: each answers one metric of the library
//! ([`talentchain::metrics::run`]) with the request's settings.

use talentchain::metrics::{self, Metric};
use talentchain::settings::Settings;

use super::Answer;
use crate::error::ApiError;
use crate::state::AppState;

/// The metric a route answers, for its settings (`countries?by=total` is
/// `countries_total`); none for the routes that are not metrics.
pub fn of_route(path: &str, s: &Settings) -> Option<Metric> {
    Some(match path {
        "/api/countries" => Metric::countries(s.by()),
        "/api/institutions" => Metric::Institutions,
        "/api/sectors" => Metric::Sectors,
        "/api/collab" => Metric::collab(s.shares()),
        "/api/talent/flows" => Metric::flows(s.cohort()),
        "/api/talent/countries" => Metric::TalentCountries,
        "/api/talent/mismatch" => Metric::TalentMismatch,
        "/api/talent/conversion" => Metric::TalentConversion,
        "/api/talent/orgs" => Metric::TalentOrgs,
        "/api/talent/stays" => Metric::TalentStays,
        "/api/talent/top" => Metric::TalentTop,
        "/api/talent/author" => Metric::TalentAuthor,
        _ => return None,
    })
}

/// Run `metric` with `settings` in a session over the dataset.
pub async fn answer(
    state: &AppState,
    metric: Metric,
    settings: &Settings,
) -> Result<Answer, ApiError> {
    let ctx = state.session()?;
    Ok(metrics::run(&ctx, metric, settings).await?.into())
}
