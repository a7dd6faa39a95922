//! `talentchain talent orgs`: for each institution (or, with `rollup`, each
//! parent such as a company or an academy of sciences), the origin mix of
//! its researchers and how concentrated it is: how much the organisation
//! depends on a single country's talent supply.
//!
//! Columns: `institution, name, country, sector, researchers, origins,
//! top_origin, top_origin_share, foreign_share, hhi`, sorted by researchers
//! descending, then institution.
//!
//! - `researchers`: researchers in scope with an origin and at least one
//!   career year at the organisation (an authorship there on any of their
//!   works in range; with careers from affiliations, an affiliation year).
//!   With `rollup` an institution counts under its `lineage_root`.
//! - `origins`: their origins as `CN:12;US:8` (most first, ties by code);
//!   `top_origin` and `top_origin_share` the first of them (ties to the
//!   smallest code).
//! - `foreign_share`: the share whose origin is not the organisation's
//!   country (`institutions.country`; null when unknown).
//! - `hhi`: the Herfindahl–Hirschman index of the origin shares, Σ sᵢ² over
//!   origins, from 1/n (even mix of n origins) to 1 (a single origin). The
//!   antitrust scale (×10,000) is `hhi · 10000`.

use datafusion::error::Result;
use datafusion::prelude::SessionContext;

use super::{TalentOptions, prepare, result};
use crate::metrics::MetricResult;

/// Options of the organisations table.
#[derive(Debug, Clone, Default)]
pub struct OrgOptions {
    /// Count institutions under their lineage root.
    pub rollup: bool,
    /// Keep the first N rows.
    pub limit: Option<usize>,
}

/// Run the metric (see the module documentation).
pub async fn run(
    ctx: &SessionContext,
    opts: &TalentOptions,
    org: &OrgOptions,
) -> Result<MetricResult> {
    let (_, mut notes) = prepare(ctx, opts).await?;
    notes.push("hhi = Σ (share of each origin)² among the organisation's researchers: 1 = a single origin country".into());
    if org.rollup {
        notes.push("institutions rolled up under their lineage root".into());
    }
    let inst = opts.source.institutions_view();
    let key = if org.rollup {
        "COALESCE(e.lineage_root, i.institution)"
    } else {
        "i.institution"
    };
    let limit = org.limit.map_or(String::new(), |n| format!(" LIMIT {n}"));
    let sql = format!(
        "WITH ro AS (SELECT DISTINCT {key} AS org, i.author FROM {inst} i \
                     JOIN talent_authors t ON t.author = i.author \
                     LEFT JOIN institutions e ON e.id = i.institution), \
              mix AS (SELECT ro.org, t.origin, COUNT(*) AS n FROM ro JOIN talent_authors t ON t.author = ro.author \
                      GROUP BY ro.org, t.origin), \
              tot AS (SELECT org, SUM(n) AS researchers FROM mix GROUP BY org), \
              agg AS (SELECT m.org, t.researchers, \
                             string_agg(m.origin || ':' || CAST(m.n AS VARCHAR), ';' ORDER BY m.n DESC, m.origin) AS origins, \
                             SUM(CAST(m.n AS DOUBLE) * m.n) / (CAST(t.researchers AS DOUBLE) * t.researchers) AS hhi \
                      FROM mix m JOIN tot t ON t.org = m.org GROUP BY m.org, t.researchers), \
              topo AS (SELECT org, origin, n FROM \
                         (SELECT org, origin, n, ROW_NUMBER() OVER (PARTITION BY org ORDER BY n DESC, origin) AS rn \
                          FROM mix) x WHERE rn = 1) \
         SELECT a.org AS institution, e.name, e.country, e.sector, a.researchers, a.origins, \
                topo.origin AS top_origin, CAST(topo.n AS DOUBLE) / a.researchers AS top_origin_share, \
                CASE WHEN e.country IS NULL THEN NULL ELSE \
                     CAST(a.researchers - COALESCE(home.n, 0) AS DOUBLE) \
                     / a.researchers END AS foreign_share, \
                a.hhi \
         FROM agg a JOIN topo ON topo.org = a.org LEFT JOIN institutions e ON e.id = a.org \
                  LEFT JOIN mix home ON home.org = a.org AND home.origin = e.country \
         ORDER BY a.researchers DESC, a.org{limit}"
    );
    result(ctx, &sql, notes).await
}
