//! `talentchain talent flows`: the origin → current country matrix of the
//! researchers in scope with at least 2 observed years (stayers and
//! returnees sit on the diagonal).
//!
//! Columns: `origin, current, authors, share_of_origin`, sorted by authors
//! descending, then origin and current; `share_of_origin` is authors over
//! the authors with that origin. With `cohort`, `cohort` (the first observed
//! year) comes fourth, rows sorted by cohort first, and shares are within
//! the cohort.

use datafusion::error::Result;
use datafusion::prelude::SessionContext;

use super::{TalentOptions, prepare, result};
use crate::metrics::MetricResult;

/// Run the metric (see the module documentation).
pub async fn run(ctx: &SessionContext, opts: &TalentOptions, cohort: bool) -> Result<MetricResult> {
    let (_, mut notes) = prepare(ctx, opts).await?;
    notes.push("flows count researchers with ≥ 2 observed years, from origin (first) to current (last) main country".into());
    let sql = if cohort {
        "SELECT origin, current, COUNT(*) AS authors, first_year AS cohort, \
                CAST(COUNT(*) AS DOUBLE) / SUM(COUNT(*)) OVER (PARTITION BY first_year, origin) AS share_of_origin \
         FROM talent_authors WHERE n_years >= 2 GROUP BY first_year, origin, current \
         ORDER BY cohort, authors DESC, origin, current"
    } else {
        "SELECT origin, current, COUNT(*) AS authors, \
                CAST(COUNT(*) AS DOUBLE) / SUM(COUNT(*)) OVER (PARTITION BY origin) AS share_of_origin \
         FROM talent_authors WHERE n_years >= 2 GROUP BY origin, current \
         ORDER BY authors DESC, origin, current"
    };
    result(ctx, sql, notes).await
}
