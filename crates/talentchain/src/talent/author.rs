//! `talentchain talent author A123`: one career, year by year.
//!
//! Columns: the `careers` view's for the author (`year, country, tally,
//! countries, institution, institutions, sector, works, ai_works,
//! citations`) and `moved` (true when the year's main country differs from
//! the previous observed year's). Every year with a work of the author in
//! range is shown, also those without a country (country null, not
//! observed). The notes give the origin, current country and class, and say
//! when the author is out of scope.

use arrow::array::{Array, Int64Array, StringArray};
use datafusion::error::Result;
use datafusion::prelude::SessionContext;

use super::{TalentOptions, prepare, result};
use crate::engine::materialize;
use crate::metrics::{MetricResult, query};
use crate::profile::lit;

/// Run the metric for `author` (`A123` or `https://openalex.org/A123`).
pub async fn run(ctx: &SessionContext, opts: &TalentOptions, author: &str) -> Result<MetricResult> {
    let id = author.trim().rsplit('/').next().unwrap_or("").to_string();
    let (_, mut notes) = prepare(ctx, opts).await?;
    let a = lit(&id);
    let info = query(
        ctx,
        &format!(
            "SELECT origin, current, class, n_years, (SELECT MAX(ai_works) FROM talent_scope WHERE author = {a}) AS ai \
             FROM (SELECT 1) d LEFT JOIN talent_authors t ON t.author = {a}"
        ),
    )
    .await?;
    if let Some(b) = info.iter().find(|b| b.num_rows() > 0) {
        let s = |i: usize| {
            let c = b.column(i).as_any().downcast_ref::<StringArray>();
            c.filter(|c| !c.is_null(0))
                .map_or("∅".to_string(), |c| c.value(0).to_string())
        };
        let scoped = b
            .column(4)
            .as_any()
            .downcast_ref::<Int64Array>()
            .is_some_and(|c| !c.is_null(0));
        if !scoped {
            notes.push(format!(
                "{id} is not in scope (fewer than {} AI works in range)",
                opts.min_works
            ));
        } else {
            notes.push(format!(
                "{id}: origin {}, current {}, class {}",
                s(0),
                s(1),
                s(2)
            ));
        }
    }
    let careers = opts.source.view();
    // The author's rows are kept first, picked by a semi join rather than
    // `author = 'A…'`: a window partitioned by a column that a filter fixes
    // breaks on Ballista ("Expects PARTITION BY expression to be ordered"),
    // since the plan shipped to the executors no longer knows the column is
    // constant.
    materialize(
        ctx,
        "talent_author_rows",
        &format!("SELECT * FROM {careers} WHERE author IN (SELECT column1 FROM (VALUES ({a})))"),
    )
    .await?;
    let sql = "SELECT year, country, tally, countries, institution, institutions, sector, works, ai_works, citations, \
                CASE WHEN country IS NULL THEN NULL \
                     ELSE COALESCE(LAG(country) OVER (PARTITION BY country IS NULL ORDER BY year) <> country, false) \
                END AS moved \
         FROM talent_author_rows ORDER BY year";
    let mut r = result(ctx, sql, notes).await?;
    if r.num_rows() == 0 {
        r.notes.push(format!(
            "no career rows for `{id}` in range: check the id (e.g. A5023888391)"
        ));
    }
    Ok(r)
}
