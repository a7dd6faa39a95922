//! `talentchain talent top`: the researchers with the most citations within
//! the corpus, with their h-index, origin, current country and institution.
//!
//! Columns: `rank, author, name, works, citations, h_index, origin,
//! current, class, institution, institution_name`.
//!
//! - `works`, `citations`: the researcher's distinct AI works (the
//!   selection: profile and year range) and the sum of their
//!   `cited_by_count`. Citations come from the whole of OpenAlex; the works
//!   are only those in the dataset ("within the corpus").
//! - `h_index`: the largest h such that h of those works have at least h
//!   citations each.
//! - `origin`, `current`, `class`: as in `talent countries` (null without an
//!   observed year); `institution`: the main institution of the last
//!   observed year.
//! - `rank`: 1, 2, … by the sort column descending, then the other, then
//!   author id.

use datafusion::error::Result;
use datafusion::prelude::SessionContext;

use super::{TalentOptions, prepare, result};
use crate::metrics::MetricResult;

/// The ranking column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Citations, then h-index.
    #[default]
    Citations,
    /// h-index, then citations.
    HIndex,
}

/// Run the ranking (see the module documentation), keeping `limit` rows.
pub async fn run(
    ctx: &SessionContext,
    opts: &TalentOptions,
    sort: Sort,
    limit: Option<usize>,
) -> Result<MetricResult> {
    let (_, mut notes) = prepare(ctx, opts).await?;
    notes.push("citations: sum of cited_by_count over the researcher's AI works in the dataset; h-index over the same works".into());
    let order = match sort {
        Sort::Citations => "h.citations DESC, h.h_index DESC, h.author",
        Sort::HIndex => "h.h_index DESC, h.citations DESC, h.author",
    };
    let careers = opts.source.view();
    let limit = limit.map_or(String::new(), |n| format!(" LIMIT {n}"));
    let sql = format!(
        "WITH w AS (SELECT DISTINCT a.author, s.work, s.cites FROM authorships a \
                    JOIN talent_scope t ON t.author = a.author JOIN selection s ON s.work = a.work), \
              rk AS (SELECT author, cites, ROW_NUMBER() OVER (PARTITION BY author ORDER BY cites DESC) AS rn FROM w), \
              h AS (SELECT author, COUNT(*) AS works, SUM(cites) AS citations, \
                           CAST(COALESCE(MAX(CASE WHEN cites >= rn THEN rn END), 0) AS BIGINT) AS h_index FROM rk GROUP BY author), \
              nm AS (SELECT author, MIN(author_name) AS name FROM authorships WHERE author_name IS NOT NULL GROUP BY author) \
         SELECT CAST(ROW_NUMBER() OVER (ORDER BY {order}) AS BIGINT) AS rank, h.author, \
                COALESCE(au.name, nm.name) AS name, h.works, h.citations, h.h_index, \
                t.origin, t.current, t.class, c.institution, e.name AS institution_name \
         FROM h LEFT JOIN talent_authors t ON t.author = h.author \
         LEFT JOIN {careers} c ON c.author = h.author AND c.year = t.last_year \
         LEFT JOIN institutions e ON e.id = c.institution \
         LEFT JOIN authors au ON au.id = h.author \
         LEFT JOIN nm ON nm.author = h.author \
         ORDER BY rank{limit}"
    );
    result(ctx, &sql, notes).await
}
