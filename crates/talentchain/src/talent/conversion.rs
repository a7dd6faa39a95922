//! `talentchain talent conversion --origin XX`: where the researchers whose
//! origin is XX produce their AI works and their highly cited works, by
//! country of affiliation at the time of each work.
//!
//! Columns: `country, researchers, works, highly_cited, works_share,
//! highly_cited_share, fractional, fractional_share`, sorted by works
//! descending, then country.
//!
//! - `researchers`: researchers in scope of origin XX with at least one
//!   authorship in the country on an AI work.
//! - `works`, `highly_cited`: distinct AI works (highly cited ones) with an
//!   authorship of such a researcher in the country; `works_share`,
//!   `highly_cited_share`: over the distinct works (highly cited works) of
//!   XX-origin researchers that have a country. A work whose XX-origin
//!   authors sit in several countries counts for each, so these shares can
//!   add up past 1.
//! - `fractional`: each authorship of an XX-origin researcher on an AI work
//!   split equally among its countries; `fractional_share` adds up to 1.

use datafusion::error::Result;
use datafusion::prelude::SessionContext;

use super::{TalentOptions, country_code, prepare, result};
use crate::metrics::{MetricResult, hc_note};

/// Run the metric for the origin country `origin` (see the module
/// documentation).
pub async fn run(ctx: &SessionContext, opts: &TalentOptions, origin: &str) -> Result<MetricResult> {
    let origin = country_code(origin)?;
    let (_, mut notes) = prepare(ctx, opts).await?;
    notes.push(hc_note(&opts.metrics));
    notes.push(format!("researchers of origin {origin}: their AI works by the country of their affiliation on each work"));
    let sql = format!(
        "WITH r AS (SELECT author FROM talent_authors WHERE origin = '{origin}'), \
              ta AS (SELECT DISTINCT a.author, a.work, a.position FROM authorships a \
                     JOIN r ON r.author = a.author JOIN selection s ON s.work = a.work), \
              ac AS (SELECT work, position, country, COUNT(*) OVER (PARTITION BY work, position) AS nc \
                     FROM (SELECT DISTINCT work, position, country FROM authorship_countries) d), \
              x AS (SELECT ta.author, ta.work, ac.country, ac.nc, h.highly_cited FROM ta \
                    JOIN ac ON ac.work = ta.work AND ac.position = ta.position \
                    JOIN selection_hc h ON h.work = ta.work), \
              per AS (SELECT country, COUNT(DISTINCT author) AS researchers, COUNT(DISTINCT work) AS works, \
                             COUNT(DISTINCT CASE WHEN highly_cited THEN work END) AS highly_cited, \
                             SUM(1.0 / CAST(nc AS DOUBLE)) AS fractional \
                      FROM x GROUP BY country), \
              tot AS (SELECT COUNT(DISTINCT work) AS works, COUNT(DISTINCT CASE WHEN highly_cited THEN work END) AS hc, \
                             SUM(1.0 / CAST(nc AS DOUBLE)) AS fractional FROM x) \
         SELECT per.country, per.researchers, per.works, per.highly_cited, \
                CAST(per.works AS DOUBLE) / NULLIF(tot.works, 0) AS works_share, \
                CAST(per.highly_cited AS DOUBLE) / NULLIF(tot.hc, 0) AS highly_cited_share, \
                per.fractional, per.fractional / NULLIF(tot.fractional, 0) AS fractional_share \
         FROM per CROSS JOIN tot ORDER BY per.works DESC, per.country"
    );
    result(ctx, &sql, notes).await
}
