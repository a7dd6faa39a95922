//! `talentchain talent mismatch`: where AI talent comes from versus where
//! AI output is produced: MacroPolo's "talent supply vs output" question,
//! per country, for all researchers in scope and for the top researchers.
//!
//! Columns: `country, researchers, supply_share, output, output_share,
//! hc_output, hc_share, output_ratio, hc_ratio, top_researchers,
//! top_supply_share, top_output_share, top_ratio`, one row for every country
//! with a value in any of them; sorted by researchers descending, then
//! output descending, then country.
//!
//! - `researchers`: researchers in scope whose origin is the country (≥ 1
//!   observed year); `supply_share`: over all researchers with an origin.
//! - `output`: the country's fractional count of the AI selection (the
//!   activity metrics' rule, by affiliation at the time); `output_share`:
//!   over the sum of all countries' fractional counts, so that shares add
//!   up to 1 (works without any country are left out).
//! - `hc_output`, `hc_share`: the same over the highly cited works.
//! - `output_ratio` = output_share / supply_share; `hc_ratio` = hc_share /
//!   supply_share (null without supply): above 1, the country produces more
//!   than the talent it supplies, below 1 less.
//! - **Top researchers**: those with an origin whose citations (sum of
//!   `cited_by_count` over their AI works) rank in the top share (`--top`,
//!   10% by default; rank = 1 + the number with strictly more citations,
//!   rank ≤ ceil(share · n), never 0 citations). `top_supply_share`: their
//!   share by origin; `top_output_share`: their share by affiliation, each
//!   of their authorships on an AI work split equally among its countries
//!   (authorships without a country left out); `top_ratio` = the second over
//!   the first.

use datafusion::error::Result;
use datafusion::prelude::SessionContext;

use super::{TalentOptions, prepare, result};
use crate::engine::materialize;
use crate::metrics::{MetricResult, hc_note};

/// Run the metric (see the module documentation).
pub async fn run(ctx: &SessionContext, opts: &TalentOptions) -> Result<MetricResult> {
    let bp = opts.metrics.top_basis_points()?;
    let (_, mut notes) = prepare(ctx, opts).await?;
    let countries = crate::metrics::countries_source(ctx).await?;
    notes.push(hc_note(&opts.metrics));
    notes.push(format!(
        "supply: researchers by origin; output: fractional AI output by affiliation; top researchers: top {}% by citations of their AI works",
        opts.metrics.top * 100.0
    ));
    // Each part is read several times below (a CTE would be recomputed at
    // each read): compute it once.
    materialize(
        ctx,
        "mismatch_output",
        &format!(
            "SELECT sc.country, SUM(sc.fractional) AS output, \
                    SUM(CASE WHEN h.highly_cited THEN sc.fractional ELSE 0 END) AS hc_output \
             FROM {countries} sc JOIN selection_hc h ON h.work = sc.work GROUP BY sc.country"
        ),
    )
    .await?;
    materialize(
        ctx,
        "mismatch_top",
        &format!(
            "SELECT author, origin FROM \
               (SELECT author, origin, ai_citations, \
                       RANK() OVER (ORDER BY ai_citations DESC) AS rk, COUNT(*) OVER () AS n FROM talent_authors) r \
             WHERE ai_citations > 0 AND rk <= (n * {bp} + 9999) / 10000"
        ),
    )
    .await?;
    // The top researchers' authorships of selected works, kept: the query
    // below reads them three times. Their countries are read for those
    // slots only.
    materialize(
        ctx,
        "mismatch_top_slots",
        "SELECT DISTINCT a.author, a.work, a.position FROM authorships a \
         JOIN mismatch_top t ON t.author = a.author JOIN selection s ON s.work = a.work",
    )
    .await?;
    materialize(
        ctx,
        "mismatch_top_output",
        "WITH ta AS (SELECT * FROM mismatch_top_slots), \
              slots AS (SELECT DISTINCT work, position FROM ta), \
              ac AS (SELECT DISTINCT c.work, c.position, c.country FROM authorship_countries c \
                     JOIN slots ON slots.work = c.work AND slots.position = c.position), \
              nc AS (SELECT work, position, COUNT(*) AS nc FROM ac GROUP BY work, position) \
         SELECT ac.country, SUM(1.0 / CAST(nc.nc AS DOUBLE)) AS top_output \
         FROM ta JOIN ac ON ac.work = ta.work AND ac.position = ta.position \
                 JOIN nc ON nc.work = ta.work AND nc.position = ta.position \
         GROUP BY ac.country",
    )
    .await?;
    let sql = "WITH sup AS (SELECT origin AS country, COUNT(*) AS researchers FROM talent_authors GROUP BY origin), \
              outp AS (SELECT * FROM mismatch_output), \
              top AS (SELECT * FROM mismatch_top), \
              top_sup AS (SELECT origin AS country, COUNT(*) AS top_researchers FROM top GROUP BY origin), \
              top_out AS (SELECT * FROM mismatch_top_output), \
              tot AS (SELECT (SELECT COUNT(*) FROM talent_authors) AS n_r, (SELECT SUM(output) FROM outp) AS t_out, \
                             (SELECT SUM(hc_output) FROM outp) AS t_hc, (SELECT COUNT(*) FROM top) AS n_top, \
                             (SELECT SUM(top_output) FROM top_out) AS t_top), \
              k AS (SELECT country FROM sup UNION SELECT country FROM outp \
                    UNION SELECT country FROM top_sup UNION SELECT country FROM top_out), \
              v AS (SELECT k.country, COALESCE(sup.researchers, 0) AS researchers, \
                           CAST(COALESCE(sup.researchers, 0) AS DOUBLE) / NULLIF(tot.n_r, 0) AS supply_share, \
                           COALESCE(outp.output, 0) AS output, COALESCE(outp.output, 0) / NULLIF(tot.t_out, 0) AS output_share, \
                           COALESCE(outp.hc_output, 0) AS hc_output, COALESCE(outp.hc_output, 0) / NULLIF(tot.t_hc, 0) AS hc_share, \
                           COALESCE(top_sup.top_researchers, 0) AS top_researchers, \
                           CAST(COALESCE(top_sup.top_researchers, 0) AS DOUBLE) / NULLIF(tot.n_top, 0) AS top_supply_share, \
                           COALESCE(top_out.top_output, 0) / NULLIF(tot.t_top, 0) AS top_output_share \
                    FROM k CROSS JOIN tot LEFT JOIN sup ON sup.country = k.country \
                    LEFT JOIN outp ON outp.country = k.country LEFT JOIN top_sup ON top_sup.country = k.country \
                    LEFT JOIN top_out ON top_out.country = k.country) \
         SELECT country, researchers, supply_share, output, output_share, hc_output, hc_share, \
                output_share / NULLIF(supply_share, 0) AS output_ratio, hc_share / NULLIF(supply_share, 0) AS hc_ratio, \
                top_researchers, top_supply_share, top_output_share, \
                top_output_share / NULLIF(top_supply_share, 0) AS top_ratio \
         FROM v ORDER BY researchers DESC, output DESC, country";
    result(ctx, sql, notes).await
}
