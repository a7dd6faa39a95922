//! `talentchain sectors`: AI output by sector (education, company,
//! government, facility, healthcare, nonprofit, other) per country.
//!
//! Columns: `country, sector, papers_full, papers_fractional`, sorted by
//! country, then papers_full descending, then sector; over the whole range.
//!
//! The unit is an institution of an authorship, placed in the country given
//! for it in the work (`authorship_institutions.country`) and in the
//! sector of its `institutions` row (`other` when it has none).
//! - `papers_full(c, s)`: selected works with an authorship at an
//!   institution of sector s in country c.
//! - `papers_fractional(c, s)`: a work's weight 1 is split equally among its
//!   authorships that have an institution, each authorship's part equally
//!   among its institutions (as `institutions` does); the parts of
//!   institutions of sector s in country c add up.
//!
//! Institutions without a country in the work are left out (noted).

use datafusion::error::Result;
use datafusion::prelude::SessionContext;

use super::{MetricResult, Options, prepare, result};

/// Run the metric (see the module documentation).
pub async fn run(ctx: &SessionContext, opts: &Options) -> Result<MetricResult> {
    let sel = prepare(ctx, opts).await?;
    let mut notes = sel.notes();
    notes.push(
        "sector of each authorship's institution, in the institution's country as given in the work; \
         papers_fractional: each work split among its authorships with an institution, then among their institutions"
            .to_string(),
    );
    let missing = super::query(
        ctx,
        "SELECT COUNT(*) FROM authorship_institutions i JOIN selection s ON s.work = i.work WHERE i.country IS NULL",
    )
    .await?;
    if let Some(n) = super::first_i64(&missing).filter(|n| *n > 0) {
        notes.push(format!(
            "{n} authorship institutions without a country are left out"
        ));
    }
    // With the profile's status stored, the selection's rows of the derived
    // `work_institutions` (one per work, institution and country, with the
    // parts summed) are found by a filter.
    if let Some(status) = opts.profile.stored_status(ctx).await
        && super::has_table(ctx, "work_institutions")
    {
        let sql = format!(
            "WITH parts AS (SELECT x.work, x.country, COALESCE(inst.sector, 'other') AS sector, \
                                       x.fractional AS part \
                                FROM work_institutions x LEFT JOIN institutions inst ON inst.id = x.institution \
                                WHERE x.{status} = 'selected' AND {}) \
                 SELECT country, sector, COUNT(DISTINCT work) AS papers_full, SUM(part) AS papers_fractional \
                 FROM parts WHERE country IS NOT NULL \
                 GROUP BY country, sector \
                 ORDER BY country, papers_full DESC, sector",
            opts.year_cond("x.year")
        );
        return result(ctx, &sql, notes).await;
    }
    let sql = "\
        WITH ai AS (SELECT i.work, i.position, i.institution, MAX(i.country) AS country \
                    FROM authorship_institutions i JOIN selection s ON s.work = i.work \
                    GROUP BY i.work, i.position, i.institution), \
             an AS (SELECT work, position, COUNT(*) AS n_institutions FROM ai GROUP BY work, position), \
             wn AS (SELECT work, COUNT(*) AS n_authorships FROM an GROUP BY work), \
             parts AS (SELECT ai.work, ai.country, COALESCE(inst.sector, 'other') AS sector, \
                              1.0 / CAST(wn.n_authorships * an.n_institutions AS DOUBLE) AS part \
                       FROM ai JOIN an ON an.work = ai.work AND an.position = ai.position \
                               JOIN wn ON wn.work = ai.work \
                               LEFT JOIN institutions inst ON inst.id = ai.institution) \
        SELECT country, sector, COUNT(DISTINCT work) AS papers_full, SUM(part) AS papers_fractional \
        FROM parts WHERE country IS NOT NULL \
        GROUP BY country, sector \
        ORDER BY country, papers_full DESC, sector";
    result(ctx, sql, notes).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::institutions::tests::world;
    use crate::metrics::testing::rows;
    use crate::profile::Profile;

    /// The institutions test world (see `institutions::tests::world`), parts
    /// by (country, sector):
    /// - CN government: I2 in W1 (½) and W4 (½), I3 in W1 (¼) → works W1, W4: full 2, frac 1.25.
    /// - CN education: I6 in W1 (¼) and W3 (½) → full 2, frac 0.75.
    /// - FR other (I7 has no institutions row): W5 → 1, 1.
    /// - GB company: I5 in W2 (½), W3 (½), W6 (1) → 3, 2.
    /// - US company: I4 in W2 (½), W4 (½) → 2, 1.
    /// Fractional parts add up to 6 = the 6 works, all with an institution.
    #[tokio::test]
    async fn sectors_per_country() {
        for (how, ctx) in world().contexts().await {
            eprintln!("with {how}");
            let opts = Options::new(Profile::builtin("concepts").unwrap());
            let r = run(&ctx, &opts).await.unwrap();
            let names: Vec<String> = r.schema.fields().iter().map(|f| f.name().clone()).collect();
            assert_eq!(
                names,
                ["country", "sector", "papers_full", "papers_fractional"]
            );
            assert_eq!(
                rows(
                    &r.batches,
                    &["country", "sector", "papers_full", "papers_fractional"]
                ),
                [
                    "CN|education|2|0.75",
                    "CN|government|2|1.25",
                    "FR|other|1|1",
                    "GB|company|3|2",
                    "US|company|2|1",
                ]
            );
        }
    }
}
