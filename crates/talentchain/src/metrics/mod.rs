//! Activity metrics over the dataset, as DataFusion SQL: one module per
//! command, each with one `run` entry point returning a [`MetricResult`].
//!
//! Every metric starts from the *selection*, made by [`prepare`]: the works
//! the profile selects whose publication year is known and within
//! `from..=to`. [`prepare`] creates these tables in the session, and
//! [`prepare_countries`] the last one, for the metrics that read it (the
//! dataset tables must be registered under their
//! [`Table::name`](crate::dataset::Table::name)); each is computed once and
//! kept for the session ([`crate::engine::materialize`]):
//!
//! | table | rows |
//! |---|---|
//! | `ai_status(work, status)`, `ai_works(id)`, `work_labels(work, label)` | see [`Profile::register`] |
//! | `selection(work, year, cites)` | selected works with a year in range; `cites` = `cited_by_count` (null → 0) |
//! | `selection_ranks(year, cites, cite_rank, n_year, highly_cited)` | one row per year and citation count of the selection, with the rank and the highly-cited flag of its works |
//! | `selection_hc(work, year, cites, cite_rank, n_year, highly_cited)` | the selection with the highly-cited flag |
//! | `selection_countries(work, country, fractional)` | one row per selected work and country of one of its authorships, with the country's fractional share of the work |
//!
//! Definitions shared by the metrics:
//! - **Countries of an authorship**: its `authorship_countries` rows.
//! - **Full count** of country c: works with at least one authorship whose
//!   countries contain c.
//! - **Fractional count**: a work's weight 1 is split equally among its
//!   authorships that have at least one country, and each such authorship's
//!   part equally among its countries (authorships without a country are
//!   ignored, so the parts of a work with any country sum to 1).
//! - **Highly cited** (top share p, 10% by default): among the selected works
//!   of year y (n_y of them, whatever their countries), rank = 1 + the number
//!   of those works with strictly more citations; a work is highly cited when
//!   `cited_by_count > 0` and rank ≤ ceil(p · n_y). p is kept in basis points
//!   so that ceil is exact (0.1 · 30 is 3.0000000000000004 in floating point).
//! - **World** of year y: all selected works of year y, whatever their
//!   countries; shares are a country's value over the world's.

pub mod collab;
pub mod countries;
pub mod institutions;
pub mod sectors;
pub mod sql;
pub mod tables;
#[cfg(test)]
pub mod testing;

use arrow::array::{Array, Int64Array, StringArray};
use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use datafusion::error::{DataFusionError, Result};
use datafusion::prelude::SessionContext;

use crate::engine::materialize;
use crate::profile::Profile;

/// Options common to every metric.
#[derive(Debug, Clone)]
pub struct Options {
    /// The AI selection profile.
    pub profile: Profile,
    /// First publication year, inclusive.
    pub from: Option<i32>,
    /// Last publication year, inclusive.
    pub to: Option<i32>,
    /// Highly-cited top share, in (0, 1]: 0.10 for the top 10% (default), 0.01 for `--top 1`.
    pub top: f64,
}

impl Options {
    /// Options with a profile, all years and the top 10%.
    pub fn new(profile: Profile) -> Options {
        Options {
            profile,
            from: None,
            to: None,
            top: 0.10,
        }
    }

    /// The top share in basis points (0.10 → 1000), checked.
    pub fn top_basis_points(&self) -> Result<i64> {
        if !(self.top > 0.0 && self.top <= 1.0) {
            return Err(DataFusionError::Plan(format!(
                "highly-cited top share `{}` must be in (0, 1]: e.g. 0.1 for the top 10%",
                self.top
            )));
        }
        Ok((self.top * 10_000.0).round() as i64)
    }

    /// SQL condition on a `year` column for the range (year not null).
    fn year_cond(&self, col: &str) -> String {
        let mut c = format!("{col} IS NOT NULL");
        if let Some(f) = self.from {
            c.push_str(&format!(" AND {col} >= {f}"));
        }
        if let Some(t) = self.to {
            c.push_str(&format!(" AND {col} <= {t}"));
        }
        c
    }

    fn range_text(&self) -> String {
        match (self.from, self.to) {
            (None, None) => "all years".to_string(),
            (Some(f), None) => format!("{f} on"),
            (None, Some(t)) => format!("up to {t}"),
            (Some(f), Some(t)) if f == t => format!("{f}"),
            (Some(f), Some(t)) => format!("{f}–{t}"),
        }
    }
}

/// What a metric returns: the rows, their schema (also when there are no
/// rows), and notes for stderr (counts of unknown works, definitions).
#[derive(Debug, Clone)]
pub struct MetricResult {
    /// The result rows.
    pub batches: Vec<RecordBatch>,
    /// Their schema.
    pub schema: SchemaRef,
    /// Lines for stderr, never for stdout.
    pub notes: Vec<String>,
}

impl MetricResult {
    /// Number of rows.
    pub fn num_rows(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
    }
}

/// Counts of the profile's sorting of the works within the year range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// `name vN` of the profile.
    pub profile: String,
    /// What unknown means under the profile.
    pub unknown_meaning: String,
    /// The year range, as text.
    pub range: String,
    /// Works selected, with a year in the range: the selection.
    pub selected: u64,
    /// Works the profile cannot sort, with a year in the range.
    pub unknown: u64,
    /// Works rejected, with a year in the range.
    pub rejected: u64,
    /// Selected works excluded because they have no publication year.
    pub selected_without_year: u64,
}

impl Selection {
    /// The notes every metric prints.
    pub fn notes(&self) -> Vec<String> {
        let mut v = vec![format!(
            "profile {}: {} works selected, {} unknown ({}), {} rejected ({})",
            self.profile,
            self.selected,
            self.unknown,
            self.unknown_meaning,
            self.rejected,
            self.range
        )];
        if self.selected_without_year > 0 {
            v.push(format!(
                "{} selected works have no publication year and are excluded",
                self.selected_without_year
            ));
        }
        v
    }
}

/// Register the profile's views and the selection views (see the module
/// documentation) in `ctx`, and count the selection.
pub async fn prepare(ctx: &SessionContext, opts: &Options) -> Result<Selection> {
    let bp = opts.top_basis_points()?;
    if let (Some(f), Some(t)) = (opts.from, opts.to)
        && f > t
    {
        return Err(DataFusionError::Plan(format!(
            "year range `{f}` to `{t}` is empty: from must be ≤ to"
        )));
    }
    opts.profile.register(ctx).await?;
    let stored = opts.profile.stored_status(ctx).await;
    let years = opts.year_cond("w.year");
    // The selection tables are computed once and kept for the session
    // (`materialize`): each metric reads them several times. With the
    // profile's status stored in `works`, the selection is a scan of it.
    let selection = match stored {
        Some(column) => format!(
            "SELECT w.id AS work, w.year AS year, COALESCE(w.cited_by_count, 0) AS cites \
             FROM works w WHERE w.{column} = 'selected' AND {years}"
        ),
        None => format!(
            "SELECT w.id AS work, w.year AS year, COALESCE(w.cited_by_count, 0) AS cites \
             FROM works w JOIN ai_works a ON a.id = w.id WHERE {years}"
        ),
    };
    materialize(ctx, "selection", &selection).await?;
    // cite_rank = 1 + the works of the year with more citations: found per
    // (year, cites) value, a few thousand rows, rather than by ranking
    // millions of works.
    materialize(
        ctx,
        "selection_ranks",
        &format!(
            "WITH v AS (SELECT year, cites, COUNT(*) AS n FROM selection GROUP BY year, cites), \
                  r AS (SELECT year, cites, \
                               CAST(SUM(n) OVER (PARTITION BY year ORDER BY cites DESC \
                                   ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) - n + 1 AS BIGINT) AS cite_rank, \
                               CAST(SUM(n) OVER (PARTITION BY year) AS BIGINT) AS n_year \
                        FROM v) \
             SELECT year, cites, cite_rank, n_year, \
                    (cites > 0 AND cite_rank <= (n_year * {bp} + 9999) / 10000) AS highly_cited \
             FROM r"
        ),
    )
    .await?;
    materialize(
        ctx,
        "selection_hc",
        "SELECT s.work, s.year, s.cites, r.cite_rank, r.n_year, r.highly_cited \
         FROM selection s JOIN selection_ranks r ON r.year = s.year AND r.cites = s.cites",
    )
    .await?;

    let counts = match stored {
        Some(column) => format!(
            "SELECT w.{column} AS status, COUNT(*) AS n FROM works w WHERE {years} GROUP BY w.{column}"
        ),
        None => format!(
            "SELECT s.status, COUNT(*) AS n FROM ai_status s JOIN works w ON w.id = s.work \
             WHERE {years} GROUP BY s.status"
        ),
    };
    let counts = query(ctx, &counts).await?;
    let mut sel = Selection {
        profile: opts.profile.title(),
        unknown_meaning: opts.profile.unknown_meaning(),
        range: opts.range_text(),
        selected: 0,
        unknown: 0,
        rejected: 0,
        selected_without_year: 0,
    };
    for b in &counts {
        let status = b
            .column(0)
            .as_any()
            .downcast_ref::<StringArray>()
            .expect("status is utf8");
        let n = b
            .column(1)
            .as_any()
            .downcast_ref::<Int64Array>()
            .expect("count is int64");
        for i in 0..b.num_rows() {
            let n = n.value(i) as u64;
            match status.value(i) {
                "selected" => sel.selected = n,
                "unknown" => sel.unknown = n,
                _ => sel.rejected = n,
            }
        }
    }
    let no_year = match stored {
        Some(column) => {
            format!("SELECT COUNT(*) FROM works WHERE {column} = 'selected' AND year IS NULL")
        }
        None => "SELECT COUNT(*) FROM ai_works a JOIN works w ON w.id = a.id WHERE w.year IS NULL"
            .to_string(),
    };
    let no_year = query(ctx, &no_year).await?;
    sel.selected_without_year = first_i64(&no_year).unwrap_or(0) as u64;
    Ok(sel)
}

/// Create `selection_countries` (see the module documentation), after
/// [`prepare`]: only the metrics that read countries of the selection pay
/// for it. Read from the derived `work_countries` when the dataset has it,
/// else computed from `authorship_countries`.
pub async fn prepare_countries(ctx: &SessionContext) -> Result<()> {
    let sql = if has_table(ctx, "work_countries") {
        "SELECT wc.work, wc.country, wc.fractional FROM work_countries wc JOIN selection s ON s.work = wc.work"
    } else {
        // `authorship_countries` has one row per (work, position, country):
        // ingest dedups each authorship's countries.
        "WITH ac AS (SELECT c.work, c.position, c.country FROM authorship_countries c \
                     JOIN selection s ON s.work = c.work), \
              an AS (SELECT work, position, COUNT(*) AS n_countries FROM ac GROUP BY work, position), \
              wn AS (SELECT work, COUNT(*) AS n_authorships FROM an GROUP BY work) \
         SELECT ac.work, ac.country, \
                SUM(1.0 / CAST(wn.n_authorships * an.n_countries AS DOUBLE)) AS fractional \
         FROM ac JOIN an ON an.work = ac.work AND an.position = ac.position \
                 JOIN wn ON wn.work = ac.work \
         GROUP BY ac.work, ac.country"
    };
    materialize(ctx, "selection_countries", sql).await
}

/// A table `(work, country, fractional)` whose rows joined with
/// `selection_hc` (or `selection`) are those of `selection_countries`: the
/// derived `work_countries` itself when the dataset has it (the join does
/// the selecting, so nothing is computed ahead), else `selection_countries`,
/// made by [`prepare_countries`]. For the metrics that read it once, joined.
pub async fn countries_source(ctx: &SessionContext) -> Result<&'static str> {
    if has_table(ctx, "work_countries") {
        Ok("work_countries")
    } else {
        prepare_countries(ctx).await?;
        Ok("selection_countries")
    }
}

/// Whether the session has a table or view `name`: the derived tables are
/// absent from sessions built by hand (the tests' tiny worlds).
pub(crate) fn has_table(ctx: &SessionContext, name: &str) -> bool {
    ctx.table_exist(name).unwrap_or(false)
}

/// Run a query and collect its batches.
pub(crate) async fn query(ctx: &SessionContext, sql: &str) -> Result<Vec<RecordBatch>> {
    ctx.sql(sql).await?.collect().await
}

/// Run a query into a [`MetricResult`] with notes.
pub(crate) async fn result(
    ctx: &SessionContext,
    sql: &str,
    notes: Vec<String>,
) -> Result<MetricResult> {
    let df = ctx.sql(sql).await?;
    let schema: SchemaRef = df.schema().inner().clone();
    let batches = df.collect().await?;
    Ok(MetricResult {
        batches,
        schema,
        notes,
    })
}

fn first_i64(batches: &[RecordBatch]) -> Option<i64> {
    let b = batches.iter().find(|b| b.num_rows() > 0)?;
    let a = b.column(0).as_any().downcast_ref::<Int64Array>()?;
    (!a.is_null(0)).then(|| a.value(0))
}

/// The highly-cited definition, as a note.
pub(crate) fn hc_note(opts: &Options) -> String {
    format!(
        "highly cited = top {}% of the year's selected works by citations (rank ≤ ceil(share · n), ties included, 0 citations never)",
        opts.top * 100.0
    )
}

#[cfg(test)]
mod tests {
    use super::testing::TinyWorld;
    use super::*;

    /// Selection counts: W1 AI 2019, W2 AI 2020, W3 AI with no year, W4 AI
    /// 2023 (out of range 2019–2021), W5 no concepts 2020 (unknown), W6 non-AI
    /// 2021 (rejected). In 2019–2021: 2 selected, 1 unknown, 1 rejected; 1
    /// selected without year.
    #[tokio::test]
    async fn selection_counts_and_notes() {
        let mut w = TinyWorld::new();
        w.work("W1", 2019, 1).ai();
        w.work("W2", 2020, 1).ai();
        w.work_no_year("W3", 1).ai();
        w.work("W4", 2023, 1).ai();
        w.work("W5", 2020, 1);
        w.work("W6", 2021, 1).concept("C185592680", 0.9);
        for (how, ctx) in w.contexts().await {
            eprintln!("with {how}");
            let mut opts = Options::new(Profile::builtin("concepts").unwrap());
            opts.from = Some(2019);
            opts.to = Some(2021);
            let sel = prepare(&ctx, &opts).await.unwrap();
            assert_eq!(
                (
                    sel.selected,
                    sel.unknown,
                    sel.rejected,
                    sel.selected_without_year
                ),
                (2, 1, 1, 1)
            );
            let notes = sel.notes();
            assert_eq!(
                notes[0],
                "profile concepts v1: 2 works selected, 1 unknown (no concepts), 1 rejected (2019–2021)"
            );
            assert!(notes[1].starts_with("1 selected works have no publication year"));
            opts.from = Some(2022);
            opts.to = Some(2020);
            assert!(
                prepare(&ctx, &opts)
                    .await
                    .unwrap_err()
                    .to_string()
                    .contains("empty")
            );
            opts.from = None;
            opts.to = None;
            opts.top = 0.0;
            assert!(prepare(&ctx, &opts).await.is_err());
        }
    }
}
