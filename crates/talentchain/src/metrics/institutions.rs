//! `talentchain institutions`: a ranking of institutions (or of their
//! parents, or of companies) by AI output, citations and highly cited works.
//!
//! Columns: `rank, institution, name, country, sector, papers_full,
//! papers_fractional, citations, highly_cited, lab_countries`.
//!
//! - `papers_full`: selected works with at least one authorship at the
//!   institution.
//! - `papers_fractional`: a work's weight 1 is split equally among its
//!   authorships that have at least one institution, and each such
//!   authorship's part equally among its institutions (the rule countries
//!   use, one level down; authorships without an institution are ignored).
//! - `citations`, `highly_cited`: over the works counted in papers_full.
//! - With `rollup`, an institution counts under its `lineage_root` (the CAS
//!   institutes under the Chinese Academy of Sciences, Google's national
//!   offices under Google): a work counts once for the root, and the parts of
//!   several institutes of one root add up.
//! - `sector` filters on the sector of the ranked entity (the root with
//!   `rollup`); `company` gives the company view.
//! - `lab_countries`: where the entity's AI output comes from, as
//!   `US:120;GB:40`: for each country (`authorship_institutions.country`, the
//!   country of the institution as given in the work), the number of works
//!   with an authorship at the entity in that country; most first, ties by
//!   country code. Rows without a country are left out.
//! - `rank`: 1, 2, … by the sort column descending, ties broken by id;
//!   computed after the sector filter, before the limit.

use datafusion::error::{DataFusionError, Result};
use datafusion::prelude::SessionContext;

use super::{MetricResult, Options, hc_note, prepare, result};
use crate::model::sector::SECTORS;
use crate::profile::lit;

/// The ranking column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// `papers_full`.
    #[default]
    Papers,
    /// `papers_fractional`.
    Fractional,
    /// `citations`.
    Citations,
    /// `highly_cited`.
    HighlyCited,
}

impl Sort {
    fn column(self) -> &'static str {
        match self {
            Sort::Papers => "papers_full",
            Sort::Fractional => "papers_fractional",
            Sort::Citations => "citations",
            Sort::HighlyCited => "highly_cited",
        }
    }
}

/// Options of the institutions ranking.
#[derive(Debug, Clone, Default)]
pub struct InstitutionOptions {
    /// Group institutions under their lineage root.
    pub rollup: bool,
    /// Keep one sector only (`company`, `education` …).
    pub sector: Option<String>,
    /// Keep the first N rows.
    pub limit: Option<usize>,
    /// The ranking column.
    pub sort: Sort,
}

/// SQL of the derived table `work_roots`, which the last step of an ingest
/// computes over all works: `work_institutions` with each institution
/// replaced by its lineage root (itself when it has none), one row per
/// (work, root, country), `first` on one row of each (work, root). The
/// rollup then needs no grouping by work. With `bucket` `(i, n)`, only the
/// works of bucket i of n ([`crate::dataset::bucket_sql`]).
pub fn work_roots_sql(bucket: Option<(u32, u32)>) -> String {
    let only = match bucket {
        Some((i, n)) => format!("WHERE {} = {i}", crate::dataset::bucket_sql("wi.work", n)),
        None => String::new(),
    };
    let statuses: Vec<&str> = crate::profile::stored_status_columns()
        .iter()
        .map(|(_, c)| c.as_str())
        .collect();
    let pick = |prefix: &str| {
        statuses
            .iter()
            .map(|c| format!("{prefix}{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let max: Vec<String> = statuses
        .iter()
        .map(|c| format!("MAX({c}) AS {c}"))
        .collect();
    format!(
        "WITH k AS (SELECT wi.work, COALESCE(i.lineage_root, wi.institution) AS root, wi.country, \
                           wi.fractional, wi.year, wi.cites, {} \
                    FROM work_institutions wi LEFT JOIN institutions i ON i.id = wi.institution {only}), \
              g AS (SELECT work, root, country, SUM(fractional) AS fractional, MAX(year) AS year, \
                           MAX(cites) AS cites, {} \
                    FROM k GROUP BY work, root, country) \
         SELECT work, root, country, fractional, \
                ROW_NUMBER() OVER (PARTITION BY work, root ORDER BY country ASC NULLS FIRST) = 1 AS first, \
                year, cites, {} \
         FROM g",
        pick("wi."),
        max.join(", "),
        pick(""),
    )
}

/// Run the ranking (see the module documentation).
pub async fn run(
    ctx: &SessionContext,
    opts: &Options,
    inst: &InstitutionOptions,
) -> Result<MetricResult> {
    if let Some(s) = &inst.sector
        && !SECTORS.contains(&s.as_str())
    {
        return Err(DataFusionError::Plan(format!(
            "unknown sector `{s}`: use one of {}",
            SECTORS.join(", ")
        )));
    }
    let sel = prepare(ctx, opts).await?;
    let mut notes = sel.notes();
    notes.push(hc_note(opts));
    notes.push(
        "papers_fractional: each work split equally among its authorships with an institution, then among \
         each authorship's institutions; lab_countries: works per country of the institution in the work"
            .to_string(),
    );
    if inst.rollup {
        notes.push("institutions rolled up under their lineage root".to_string());
    }
    let key = if inst.rollup {
        "COALESCE(inst.lineage_root, p.institution)"
    } else {
        "p.institution"
    };
    let filter = match &inst.sector {
        Some(s) => format!("COALESCE(e.sector, 'other') = {}", lit(s)),
        None => "TRUE".to_string(),
    };
    let limit = inst.limit.map_or(String::new(), |n| format!(" LIMIT {n}"));
    let sort = inst.sort.column();
    let labs = "labs AS (SELECT entity, \
                              string_agg(country || ':' || CAST(n AS VARCHAR), ';' ORDER BY n DESC, country) \
                                AS lab_countries \
                       FROM lc GROUP BY entity)";
    let ranked = format!(
        "SELECT CAST(ROW_NUMBER() OVER (ORDER BY per.{sort} DESC, per.entity) AS BIGINT) AS rank, \
                per.entity AS institution, e.name, e.country, COALESCE(e.sector, 'other') AS sector, \
                per.papers_full, per.papers_fractional, per.citations, per.highly_cited, labs.lab_countries \
         FROM per LEFT JOIN institutions e ON e.id = per.entity LEFT JOIN labs ON labs.entity = per.entity \
         WHERE {filter} \
         ORDER BY rank{limit}"
    );
    // With the profile's status stored, the derived `work_institutions`
    // (or `work_roots`) rows of the selection are found by a filter, and
    // are unique per (work, entity, country) with `first` on one row per
    // (work, entity): no join with the selection, no grouping by work.
    let (table, entity) = if inst.rollup {
        ("work_roots", "root")
    } else {
        ("work_institutions", "institution")
    };
    let stored = match opts.profile.stored_status(ctx).await {
        Some(status) if super::has_table(ctx, table) => {
            let cols = ctx.table_provider(table).await?.schema();
            cols.column_with_name("first")
                .and(cols.column_with_name(status))
                .map(|_| status)
        }
        _ => None,
    };
    if let Some(status) = stored {
        let sql = format!(
            "WITH rows AS (SELECT x.{entity} AS entity, x.country, x.fractional, x.first, x.year, \
                                  COALESCE(x.cites, 0) AS cites \
                           FROM {table} x WHERE x.{status} = 'selected' AND {years}), \
                  per AS (SELECT r.entity, SUM(CASE WHEN r.first THEN 1 ELSE 0 END) AS papers_full, \
                                 SUM(r.fractional) AS papers_fractional, \
                                 SUM(CASE WHEN r.first THEN r.cites ELSE 0 END) AS citations, \
                                 SUM(CASE WHEN r.first AND k.highly_cited THEN 1 ELSE 0 END) AS highly_cited \
                          FROM rows r JOIN selection_ranks k ON k.year = r.year AND k.cites = r.cites \
                          GROUP BY r.entity), \
                  lc AS (SELECT entity, country, COUNT(*) AS n FROM rows \
                         WHERE country IS NOT NULL GROUP BY entity, country), \
                  {labs} \
             {ranked}",
            years = opts.year_cond("x.year"),
        );
        return result(ctx, &sql, notes).await;
    }
    // Each selected work's (institution, country) pairs with their
    // fractional parts: the derived `work_institutions` when the dataset has
    // it, else computed from `authorship_institutions`.
    let parts = if super::has_table(ctx, "work_institutions") {
        "parts AS (SELECT wi.work, wi.institution, wi.country, wi.fractional AS part \
                   FROM work_institutions wi JOIN selection s ON s.work = wi.work)"
    } else {
        "ai AS (SELECT i.work, i.position, i.institution, MAX(i.country) AS country \
                     FROM authorship_institutions i JOIN selection s ON s.work = i.work \
                     GROUP BY i.work, i.position, i.institution), \
              an AS (SELECT work, position, COUNT(*) AS n_institutions FROM ai GROUP BY work, position), \
              wn AS (SELECT work, COUNT(*) AS n_authorships FROM an GROUP BY work), \
              parts AS (SELECT ai.work, ai.institution, ai.country, \
                               1.0 / CAST(wn.n_authorships * an.n_institutions AS DOUBLE) AS part \
                        FROM ai JOIN an ON an.work = ai.work AND an.position = ai.position \
                                JOIN wn ON wn.work = ai.work)"
    };
    let sql = format!(
        "WITH {parts}, \
              keyed AS (SELECT p.work, p.country, {key} AS entity, p.part \
                        FROM parts p LEFT JOIN institutions inst ON inst.id = p.institution), \
              ew AS (SELECT entity, work, SUM(part) AS frac FROM keyed GROUP BY entity, work), \
              per AS (SELECT ew.entity, COUNT(*) AS papers_full, SUM(ew.frac) AS papers_fractional, \
                             SUM(h.cites) AS citations, \
                             SUM(CASE WHEN h.highly_cited THEN 1 ELSE 0 END) AS highly_cited \
                      FROM ew JOIN selection_hc h ON h.work = ew.work GROUP BY ew.entity), \
              lc AS (SELECT entity, country, COUNT(DISTINCT work) AS n FROM keyed \
                     WHERE country IS NOT NULL GROUP BY entity, country), \
              {labs} \
         {ranked}"
    );
    result(ctx, &sql, notes).await
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::metrics::testing::{TinyWorld, rows};
    use crate::profile::Profile;

    /// CAS (I1) with institutes I2, I3; Google US (I4, root) and UK (I5);
    /// Tsinghua (I6); I7 not in the institutions table. All works of 2020, so
    /// 6 works, ceil(0.6) = 1 highly cited: W1.
    ///
    /// - W1, 10 cites: A0 at I2; A1 at I3 and I6; A2 no institution →
    ///   2 authorships with institutions, ½ each: I2 ½, I3 ¼, I6 ¼.
    /// - W2, 4 cites: A0 at I4 (US), A1 at I5 (GB) → ½, ½.
    /// - W3, 2 cites: I5 ½, I6 ½.
    /// - W4, 0 cites: one authorship at I4 and I2 → ½, ½.
    /// - W5, 1 cite: I7 (FR) → 1.
    /// - W6, 0 cites: I5 → 1.
    pub(crate) fn world() -> TinyWorld {
        let mut w = TinyWorld::new();
        w.institution(
            "I1",
            "Chinese Academy of Sciences",
            "CN",
            "government",
            "I1",
        )
        .institution("I2", "Institute of Automation", "CN", "government", "I1")
        .institution(
            "I3",
            "Institute of Computing Technology",
            "CN",
            "government",
            "I1",
        )
        .institution("I4", "Google (United States)", "US", "company", "I4")
        .institution("I5", "Google (United Kingdom)", "GB", "company", "I4")
        .institution("I6", "Tsinghua University", "CN", "education", "I6");
        w.work("W1", 2020, 10)
            .ai()
            .author_at(&[("I2", "CN")])
            .author_at(&[("I3", "CN"), ("I6", "CN")])
            .author(&["CN"]);
        w.work("W2", 2020, 4)
            .ai()
            .author_at(&[("I4", "US")])
            .author_at(&[("I5", "GB")]);
        w.work("W3", 2020, 2)
            .ai()
            .author_at(&[("I5", "GB")])
            .author_at(&[("I6", "CN")]);
        w.work("W4", 2020, 0)
            .ai()
            .author_at(&[("I4", "US"), ("I2", "CN")]);
        w.work("W5", 2020, 1).ai().author_at(&[("I7", "FR")]);
        w.work("W6", 2020, 0).ai().author_at(&[("I5", "GB")]);
        w
    }

    const COLS: [&str; 10] = [
        "rank",
        "institution",
        "name",
        "country",
        "sector",
        "papers_full",
        "papers_fractional",
        "citations",
        "highly_cited",
        "lab_countries",
    ];

    /// I5: W2, W3, W6 → full 3, frac ½ + ½ + 1 = 2, cites 6. I2: W1, W4 →
    /// full 2, frac ½ + ½ = 1, cites 10, hc 1. I4: W2, W4 → 2, 1, 4. I6:
    /// W1, W3 → 2, ¼ + ½ = 0.75, 12, hc 1. I3: W1 → 1, ¼, 10, hc 1. I7: 1, 1, 1.
    #[tokio::test]
    async fn plain_ranking() {
        for (how, ctx) in world().contexts().await {
            eprintln!("with {how}");
            let opts = Options::new(Profile::builtin("concepts").unwrap());
            let r = run(&ctx, &opts, &InstitutionOptions::default())
                .await
                .unwrap();
            let names: Vec<String> = r.schema.fields().iter().map(|f| f.name().clone()).collect();
            assert_eq!(names, COLS);
            assert_eq!(
                rows(&r.batches, &COLS),
                [
                    "1|I5|Google (United Kingdom)|GB|company|3|2|6|0|GB:3",
                    "2|I2|Institute of Automation|CN|government|2|1|10|1|CN:2",
                    "3|I4|Google (United States)|US|company|2|1|4|0|US:2",
                    "4|I6|Tsinghua University|CN|education|2|0.75|12|1|CN:2",
                    "5|I3|Institute of Computing Technology|CN|government|1|0.25|10|1|CN:1",
                    "6|I7|∅|∅|other|1|1|1|0|FR:1",
                ]
            );
            // By citations, top 2: I6 (12), then I2 and I3 tie at 10 → I2 by id.
            let by_cites = InstitutionOptions {
                sort: Sort::Citations,
                limit: Some(2),
                ..Default::default()
            };
            let r = run(&ctx, &opts, &by_cites).await.unwrap();
            assert_eq!(
                rows(&r.batches, &["rank", "institution", "citations"]),
                ["1|I6|12", "2|I2|10"]
            );
        }
    }

    /// Rollup: CAS (I1) = I2 + I3: works W1, W4 → full 2; frac W1 ½ + ¼ =
    /// ¾, W4 ½ → 1.25. Google (I4) = I4 + I5: W2, W3, W4, W6 → full 4; frac
    /// W2 ½ + ½ = 1, W3 ½, W4 ½, W6 1 → 3; cites 4 + 2 + 0 + 0 = 6; labs GB
    /// (W2, W3, W6) 3, US (W2, W4) 2.
    #[tokio::test]
    async fn rollup_and_company_lab_countries() {
        for (how, ctx) in world().contexts().await {
            eprintln!("with {how}");
            let opts = Options::new(Profile::builtin("concepts").unwrap());
            let rollup = InstitutionOptions {
                rollup: true,
                ..Default::default()
            };
            let r = run(&ctx, &opts, &rollup).await.unwrap();
            assert_eq!(
                rows(&r.batches, &COLS),
                [
                    "1|I4|Google (United States)|US|company|4|3|6|0|GB:3;US:2",
                    "2|I1|Chinese Academy of Sciences|CN|government|2|1.25|10|1|CN:2",
                    "3|I6|Tsinghua University|CN|education|2|0.75|12|1|CN:2",
                    "4|I7|∅|∅|other|1|1|1|0|FR:1",
                ]
            );
            let companies = InstitutionOptions {
                rollup: true,
                sector: Some("company".into()),
                ..Default::default()
            };
            let r = run(&ctx, &opts, &companies).await.unwrap();
            assert_eq!(
                rows(
                    &r.batches,
                    &["rank", "institution", "papers_full", "lab_countries"]
                ),
                ["1|I4|4|GB:3;US:2"]
            );
            // Without rollup, the company view ranks each office.
            let offices = InstitutionOptions {
                sector: Some("company".into()),
                ..Default::default()
            };
            let r = run(&ctx, &opts, &offices).await.unwrap();
            assert_eq!(rows(&r.batches, &["rank", "institution"]), ["1|I5", "2|I4"]);
            let bad = InstitutionOptions {
                sector: Some("firm".into()),
                ..Default::default()
            };
            assert!(
                run(&ctx, &opts, &bad)
                    .await
                    .unwrap_err()
                    .to_string()
                    .contains("unknown sector `firm`")
            );
        }
    }
}
