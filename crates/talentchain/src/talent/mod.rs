//! The talent chain: researcher careers, origins, mobility flows, retention,
//! and where talent is supplied versus where output is produced. One module
//! per `talentchain talent` command, each with one `run` entry point
//! returning a [`MetricResult`]; every definition is DataFusion SQL.
//!
//! # Careers
//!
//! [`register_careers`] creates two views, queryable with `talentchain sql`:
//!
//! | view | rows |
//! |---|---|
//! | `careers` | one row per author and year with a work of theirs in the year range (authorship countries) |
//! | `careers_affiliations` | the same from author entities' `affiliations[].years` (`author_affiliations`) |
//!
//! Columns of both: `author, year, country, tally, countries, institution,
//! institutions, sector, works, ai_works, citations`:
//!
//! - **Tally** (`careers`): each authorship (a `(work, position)` slot whose
//!   author id is known, of a work with a publication year in range) adds 1
//!   to the tally of each of its countries (the authorship countries of the
//!   activity metrics). Authorships without an author id are ignored; those
//!   without a country add nothing. (`careers_affiliations`): each
//!   affiliation year of the author entity adds 1 to its institution's
//!   country.
//! - **Main country** `country`: the one with the highest tally that year,
//!   ties to the alphabetically smallest code; `tally` is its tally and
//!   `countries` the whole tally as `US:2;CN:1` (highest first). `country` is
//!   null in a year without any country: **observed years** are the years
//!   with a country.
//! - `institution`: the main institution, the one with the highest tally
//!   among the year's institutions in the main country (else among all),
//!   ties to the smallest id; `institutions`: all of them, `I1;I2` (highest
//!   tally first); `sector`: the main institution's sector.
//! - `works`, `citations`: the author's distinct works of the year (every
//!   work, AI or not) and the sum of their `cited_by_count`; `ai_works`:
//!   those in the AI selection.
//!
//! Why views: a career row depends on the year range and the AI profile
//! (`ai_works`), which are chosen per query; a view is planned in
//! microseconds and always agrees with the tables it reads. What depends on
//! neither, each author-year's main country, ingest stores in the derived
//! table `author_years` ([`author_years_sql`]), with the AI works of each
//! built-in profile: the metrics below read it when the profile is a
//! stored one and careers come from authorships, and tally every
//! authorship otherwise (the same answers: `tests/derived.rs`).
//!
//! # Researchers, origins and classes
//!
//! [`prepare`] adds, for the career source chosen ([`Source`]), tables
//! computed once and kept for the session ([`crate::engine::materialize`]:
//! every metric reads them several times, and they need only each year's
//! main country, not the whole career row):
//!
//! - `talent_scope(author, ai_works, ai_citations)`: **researchers in
//!   scope**, the authors
//!   with at least `min_works` works in the AI selection (profile and year
//!   range); their careers use every work of theirs within the range.
//! - `talent_main(author, year, country)` (with `prev` too when read from
//!   `author_years`) and `talent_years(author, year, country, origin,
//!   current, prev)`: their observed years and main countries, with the
//!   origin, the current country and the previous observed year's main
//!   country (within the range).
//! - `talent_authors(author, first_year, last_year, n_years, origin,
//!   current, class, abroad_years, moves, ai_citations)`: **origin** = main
//!   country of the first observed year; **current** = of the last. For
//!   authors with at least 2 observed years, **stayer** (every observed
//!   year's main country is the origin), **returnee** (current = origin, but
//!   some year's is not), **emigrant** (current ≠ origin; also an
//!   **immigrant** of the current country); one observed year:
//!   `single_year`. These are the OECD STI Scoreboard notions (stayers,
//!   returnees, outflows, new inflows), between the first and last main
//!   country as there.
//!
//! Origin is a proxy for where a career started (the country of the first
//! observed affiliation), never for nationality or ethnicity; talentchain
//! never infers ethnicity from names.

pub mod author;
pub mod conversion;
pub mod countries;
pub mod flows;
pub mod mismatch;
pub mod orgs;
pub mod top;

#[cfg(test)]
mod tests;

use std::fmt;
use std::str::FromStr;

use arrow::array::{Array, Int64Array};
use datafusion::error::{DataFusionError, Result};
use datafusion::prelude::SessionContext;

use crate::engine::materialize;
use crate::metrics::{MetricResult, Options, prepare as prepare_selection};

/// Where careers come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Source {
    /// The countries of the author's authorships, year by year (`careers`).
    #[default]
    Authorships,
    /// The author entities' `affiliations[].years` (`careers_affiliations`);
    /// authors without an entity have no career.
    Affiliations,
}

impl Source {
    /// The careers view of this source.
    pub fn view(self) -> &'static str {
        match self {
            Source::Authorships => "careers",
            Source::Affiliations => "careers_affiliations",
        }
    }
    fn institutions_view(self) -> &'static str {
        match self {
            Source::Authorships => "talent_institutions_authorships",
            Source::Affiliations => "talent_institutions_affiliations",
        }
    }
}

impl FromStr for Source {
    type Err = DataFusionError;
    fn from_str(s: &str) -> Result<Source> {
        match s {
            "authorships" => Ok(Source::Authorships),
            "affiliations" => Ok(Source::Affiliations),
            _ => Err(DataFusionError::Plan(format!(
                "unknown career source `{s}`: use authorships or affiliations"
            ))),
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Source::Authorships => "authorships",
            Source::Affiliations => "affiliations",
        })
    }
}

/// Options of every talent metric.
#[derive(Debug, Clone)]
pub struct TalentOptions {
    /// Profile, year range and highly-cited share. The top share also sets
    /// the top researchers of `mismatch`.
    pub metrics: Options,
    /// Researchers in scope have at least this many works in the AI
    /// selection (≥ 1).
    pub min_works: u32,
    /// Where careers come from.
    pub source: Source,
}

impl TalentOptions {
    /// Options with min_works 1 and careers from authorships.
    pub fn new(metrics: Options) -> TalentOptions {
        TalentOptions {
            metrics,
            min_works: 1,
            source: Source::Authorships,
        }
    }
}

/// SQL condition on a year column for the range of `opts`.
fn year_cond(opts: &Options, col: &str) -> String {
    let mut c = format!("{col} IS NOT NULL");
    if let Some(f) = opts.from {
        c.push_str(&format!(" AND {col} >= {f}"));
    }
    if let Some(t) = opts.to {
        c.push_str(&format!(" AND {col} <= {t}"));
    }
    c
}

/// The per-source tallies and institution tallies behind `careers` and
/// `careers_affiliations`: `(author, year, country, n)` and `(author, year,
/// institution, country, n)`. With `derived`, the authorships' tally is
/// summed from the derived `work_author_countries` (no join).
fn source_sql(source: Source, years: &str, derived: bool) -> (String, String) {
    let (tally, institutions) = match source {
        Source::Authorships => (
            "SELECT ca.author, ca.year, c.country, COUNT(*) AS n \
             FROM talent_career_works ca \
             JOIN authorship_countries c \
               ON c.work = ca.work AND c.position = ca.position \
             GROUP BY ca.author, ca.year, c.country"
                .to_string(),
            "SELECT ca.author, ca.year, i.institution, MAX(i.country) AS country, COUNT(*) AS n \
             FROM talent_career_works ca \
             JOIN (SELECT DISTINCT work, position, institution, country FROM authorship_institutions) i \
               ON i.work = ca.work AND i.position = ca.position \
             GROUP BY ca.author, ca.year, i.institution"
                .to_string(),
        ),
        Source::Affiliations => (
            format!(
                "SELECT author, year, country, COUNT(DISTINCT institution) AS n FROM author_affiliations \
                 WHERE country IS NOT NULL AND {years} GROUP BY author, year, country"
            ),
            format!(
                "SELECT author, year, institution, MAX(country) AS country, CAST(1 AS BIGINT) AS n \
                 FROM author_affiliations WHERE {years} GROUP BY author, year, institution"
            ),
        ),
    };
    if derived && source == Source::Authorships {
        return (derived_tally_sql(&format!("WHERE {years}")), institutions);
    }
    (tally, institutions)
}

/// The authorships' career tally `(author, year, country, n)` summed from
/// the derived `work_author_countries`, its rows restricted by `filter` (a
/// `WHERE` clause, or nothing).
fn derived_tally_sql(filter: &str) -> String {
    format!(
        "SELECT author, year, country, CAST(SUM(n) AS BIGINT) AS n FROM work_author_countries {filter} \
         GROUP BY author, year, country"
    )
}

/// The main country of each author and year of a tally `(author, year,
/// country, n)`: the highest tally, ties to the smallest code.
fn main_country_sql(tally: &str) -> String {
    format!(
        "SELECT author, year, country, n FROM \
           (SELECT author, year, country, n, \
                   ROW_NUMBER() OVER (PARTITION BY author, year ORDER BY n DESC, country ASC) AS rn \
            FROM ({tally}) t) t WHERE rn = 1"
    )
}

/// SQL of the derived table `author_years`, which the last step of an
/// ingest computes over all works (from the derived `work_authors` and
/// `work_author_countries`): one row per author and year with a work of
/// theirs, with
/// - `country`: the year's main country (the tally of [`careers`](self),
///   from authorships; null in a year without a country), and
///   `prev_year`, `prev_country`: the author's previous observed year and
///   its main country (null for the first);
/// - for each built-in profile whose status ingest stores,
///   `ai_works_NAME_vN` and `ai_citations_NAME_vN`: the author's works of
///   the year that the profile selects, and the sum of their citations.
///
/// A year's main country depends on neither the profile nor the year
/// range, so the talent metrics read it instead of tallying every
/// authorship at each query ([`prepare`]).
///
/// With `bucket` `(i, n)`, only the authors of bucket i of n (by the last
/// three characters of the id, [`crate::dataset::bucket_sql`]): all of an author's
/// rows fall in one bucket, so the buckets' results together are the
/// whole, and ingest computes them one at a time to bound its memory.
pub fn author_years_sql(bucket: Option<(u32, u32)>) -> String {
    let only = match bucket {
        Some((i, n)) => format!("WHERE {} = {i}", crate::dataset::bucket_sql("author", n)),
        None => String::new(),
    };
    let main = main_country_sql(&derived_tally_sql(&only));
    let profiles: Vec<&str> = crate::profile::stored_status_columns()
        .iter()
        .map(|(_, c)| crate::profile::stored_suffix(c))
        .collect();
    let zeros: Vec<String> = profiles
        .iter()
        .map(|p| {
            format!("CAST(0 AS BIGINT) AS ai_works_{p}, CAST(0 AS BIGINT) AS ai_citations_{p}")
        })
        .collect();
    let counts: Vec<String> = profiles
        .iter()
        .map(|p| {
            format!(
                "CAST(CASE WHEN status_{p} = 'selected' THEN 1 ELSE 0 END AS BIGINT) AS ai_works_{p}, \
                 CASE WHEN status_{p} = 'selected' THEN COALESCE(cites, 0) ELSE CAST(0 AS BIGINT) END AS ai_citations_{p}"
            )
        })
        .collect();
    let sums: Vec<String> = profiles
        .iter()
        .map(|p| {
            format!("SUM(ai_works_{p}) AS ai_works_{p}, SUM(ai_citations_{p}) AS ai_citations_{p}")
        })
        .collect();
    format!(
        "WITH observed AS (SELECT author, year, country, \
                                  LAG(year) OVER (PARTITION BY author ORDER BY year) AS prev_year, \
                                  LAG(country) OVER (PARTITION BY author ORDER BY year) AS prev_country \
                           FROM ({main}) m) \
         SELECT author, year, MAX(country) AS country, MAX(prev_year) AS prev_year, \
                MAX(prev_country) AS prev_country, {sums} \
         FROM (SELECT author, year, country, prev_year, prev_country, {zeros} FROM observed \
               UNION ALL \
               SELECT author, year, arrow_cast(NULL, 'Utf8') AS country, CAST(NULL AS INT) AS prev_year, \
                      arrow_cast(NULL, 'Utf8') AS prev_country, {counts} FROM work_authors {only}) u \
         GROUP BY author, year",
        sums = sums.join(", "),
        zeros = zeros.join(", "),
        counts = counts.join(", "),
    )
}

/// The careers view of one source (see the module documentation).
fn careers_sql(tally: &str, institutions: &str, keys_from_tally: bool) -> String {
    let main = main_country_sql("SELECT * FROM tally");
    let keys = if keys_from_tally {
        "SELECT author, year FROM wk UNION SELECT author, year FROM inst"
    } else {
        "SELECT author, year FROM wk"
    };
    format!(
        "WITH tally AS ({tally}), \
              inst AS ({institutions}), \
              main AS ({main}), \
              cl AS (SELECT author, year, \
                            string_agg(country || ':' || CAST(n AS VARCHAR), ';' ORDER BY n DESC, country) AS countries \
                     FROM tally GROUP BY author, year), \
              mi AS (SELECT author, year, institution FROM \
                       (SELECT i.author, i.year, i.institution, \
                               ROW_NUMBER() OVER (PARTITION BY i.author, i.year \
                                   ORDER BY CASE WHEN i.country = m.country THEN 0 ELSE 1 END, i.n DESC, i.institution) AS rn \
                        FROM inst i LEFT JOIN main m ON m.author = i.author AND m.year = i.year) t WHERE rn = 1), \
              il AS (SELECT author, year, string_agg(institution, ';' ORDER BY n DESC, institution) AS institutions \
                     FROM inst GROUP BY author, year), \
              wd AS (SELECT DISTINCT author, year, work, cites FROM talent_career_works), \
              wk AS (SELECT wd.author, wd.year, COUNT(*) AS works, \
                            SUM(CASE WHEN s.work IS NULL THEN 0 ELSE 1 END) AS ai_works, \
                            SUM(wd.cites) AS citations \
                     FROM wd LEFT JOIN selection s ON s.work = wd.work GROUP BY wd.author, wd.year), \
              keys AS ({keys}) \
         SELECT k.author, k.year, m.country, m.n AS tally, cl.countries, mi.institution, il.institutions, \
                e.sector, COALESCE(wk.works, 0) AS works, COALESCE(wk.ai_works, 0) AS ai_works, \
                COALESCE(wk.citations, 0) AS citations \
         FROM keys k \
         LEFT JOIN main m ON m.author = k.author AND m.year = k.year \
         LEFT JOIN cl ON cl.author = k.author AND cl.year = k.year \
         LEFT JOIN mi ON mi.author = k.author AND mi.year = k.year \
         LEFT JOIN il ON il.author = k.author AND il.year = k.year \
         LEFT JOIN institutions e ON e.id = mi.institution \
         LEFT JOIN wk ON wk.author = k.author AND wk.year = k.year"
    )
}

/// Create the `careers` and `careers_affiliations` views (and their helper
/// views) for the year range of `opts`. Needs the `selection` view of
/// [`crate::metrics::prepare`].
pub async fn register_careers(ctx: &SessionContext, opts: &Options) -> Result<()> {
    let years = year_cond(opts, "w.year");
    ctx.sql(&format!(
        "CREATE OR REPLACE VIEW talent_career_works AS \
         SELECT a.author, w.year, a.work, a.position, COALESCE(w.cited_by_count, 0) AS cites \
         FROM authorships a JOIN works w ON w.id = a.work \
         WHERE a.author IS NOT NULL AND {years}"
    ))
    .await?;
    let aff_years = year_cond(opts, "year");
    for (source, view, keys_from_tally) in [
        (Source::Authorships, "careers", false),
        (Source::Affiliations, "careers_affiliations", true),
    ] {
        let derived = crate::metrics::has_table(ctx, "work_author_countries");
        let (tally, inst) = source_sql(source, &aff_years, derived);
        ctx.sql(&format!(
            "CREATE OR REPLACE VIEW {} AS {inst}",
            source.institutions_view()
        ))
        .await?;
        ctx.sql(&format!(
            "CREATE OR REPLACE VIEW {view} AS {}",
            careers_sql(&tally, &inst, keys_from_tally)
        ))
        .await?;
    }
    Ok(())
}

/// Counts of the researchers in scope, for the notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// Authors with at least `min_works` works in the AI selection.
    pub researchers: u64,
    /// Of those, with at least one observed year (an origin).
    pub observed: u64,
    /// Of those, with at least two observed years (a mobility class).
    pub mobile_observable: u64,
}

/// Register the selection views, the careers, and the scope views (see the
/// module documentation); returns the notes every talent metric prints.
pub async fn prepare(ctx: &SessionContext, opts: &TalentOptions) -> Result<(Scope, Vec<String>)> {
    if opts.min_works < 1 {
        return Err(DataFusionError::Plan(format!(
            "--min-works `{}` must be at least 1: researchers in scope have works in the AI profile",
            opts.min_works
        )));
    }
    let sel = prepare_selection(ctx, &opts.metrics).await?;
    register_careers(ctx, &opts.metrics).await?;
    let k = opts.min_works;
    // The selection is in the year range already: the researchers need no
    // `talent_career_works`. The researchers and their observed years are computed once and kept
    // (see `materialize`): every talent metric reads them several times, and
    // they need only the main country of each year, not the whole career
    // row (a view over `careers` would recompute all of it at each read).
    // With the stored careers (`author_years`) and the profile's stored
    // status, the researchers and their main countries are read, not
    // tallied from every authorship.
    let stored = match opts.source {
        Source::Authorships if crate::metrics::has_table(ctx, "author_years") => opts
            .metrics
            .profile
            .stored_status(ctx)
            .await
            .map(crate::profile::stored_suffix),
        _ => None,
    };
    let aff_years = year_cond(&opts.metrics, "year");
    if let Some(p) = stored {
        materialize(
            ctx,
            "talent_scope",
            &format!(
                "SELECT author, CAST(SUM(ai_works_{p}) AS BIGINT) AS ai_works, \
                        CAST(SUM(ai_citations_{p}) AS BIGINT) AS ai_citations \
                 FROM author_years WHERE {aff_years} GROUP BY author HAVING SUM(ai_works_{p}) >= {k}"
            ),
        )
        .await?;
        // The previous observed year counts only within the range.
        let prev = match opts.metrics.from {
            Some(f) => format!("CASE WHEN a.prev_year >= {f} THEN a.prev_country END"),
            None => "a.prev_country".to_string(),
        };
        materialize(
            ctx,
            "talent_main",
            &format!(
                "SELECT a.author, a.year, a.country, {prev} AS prev FROM author_years a \
                 JOIN talent_scope s ON s.author = a.author \
                 WHERE a.country IS NOT NULL AND {}",
                year_cond(&opts.metrics, "a.year")
            ),
        )
        .await?;
        materialize(
            ctx,
            "talent_years",
            "WITH f AS (SELECT author, FIRST_VALUE(country ORDER BY year) AS origin, \
                               LAST_VALUE(country ORDER BY year) AS current \
                        FROM talent_main GROUP BY author) \
             SELECT t.author, t.year, t.country, f.origin, f.current, t.prev \
             FROM talent_main t JOIN f ON f.author = t.author",
        )
        .await?;
    } else {
        materialize(
            ctx,
            "talent_scope",
            &format!(
                "SELECT author, CAST(COUNT(*) AS BIGINT) AS ai_works, CAST(SUM(cites) AS BIGINT) AS ai_citations \
                 FROM (SELECT DISTINCT a.author, a.work, s.cites FROM authorships a \
                       JOIN selection s ON s.work = a.work WHERE a.author IS NOT NULL) w \
                 GROUP BY author HAVING COUNT(*) >= {k}"
            ),
        )
        .await?;
        let derived = crate::metrics::has_table(ctx, "work_author_countries");
        let (tally, _) = source_sql(opts.source, &aff_years, derived);
        // The main country of each observed year of the researchers in scope,
        // kept before the windows below run over it: Ballista mis-partitions a
        // window by author computed straight over a window by author and year.
        materialize(
            ctx,
            "talent_main",
            &format!(
                "SELECT m.author, m.year, m.country FROM ({}) m JOIN talent_scope s ON s.author = m.author \
                 WHERE m.country IS NOT NULL",
                main_country_sql(&tally)
            ),
        )
        .await?;
        materialize(
            ctx,
            "talent_years",
            "SELECT author, year, country, \
                    FIRST_VALUE(country) OVER (PARTITION BY author ORDER BY year \
                        ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS origin, \
                    LAST_VALUE(country) OVER (PARTITION BY author ORDER BY year \
                        ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS current, \
                    LAG(country) OVER (PARTITION BY author ORDER BY year) AS prev \
             FROM talent_main",
        )
        .await?;
    }
    materialize(
        ctx,
        "talent_authors",
        "WITH a AS (SELECT author, MIN(year) AS first_year, MAX(year) AS last_year, COUNT(*) AS n_years, \
                           MAX(origin) AS origin, MAX(current) AS current, \
                           SUM(CASE WHEN country <> origin THEN 1 ELSE 0 END) AS abroad_years, \
                           SUM(CASE WHEN prev IS NOT NULL AND prev <> country THEN 1 ELSE 0 END) AS moves \
                    FROM talent_years GROUP BY author) \
         SELECT a.author, a.first_year, a.last_year, a.n_years, a.origin, a.current, \
                CASE WHEN a.n_years < 2 THEN 'single_year' \
                     WHEN a.current <> a.origin THEN 'emigrant' \
                     WHEN a.abroad_years = 0 THEN 'stayer' ELSE 'returnee' END AS class, \
                a.abroad_years, a.moves, s.ai_citations \
         FROM a JOIN talent_scope s ON s.author = a.author",
    )
    .await?;
    let counts = crate::metrics::query(
        ctx,
        "SELECT (SELECT COUNT(*) FROM talent_scope) AS r, \
                (SELECT COUNT(*) FROM talent_authors) AS o, \
                (SELECT COUNT(*) FROM talent_authors WHERE n_years >= 2) AS m",
    )
    .await?;
    let get = |i: usize| -> u64 {
        counts
            .iter()
            .find(|b| b.num_rows() > 0)
            .and_then(|b| {
                b.column(i)
                    .as_any()
                    .downcast_ref::<Int64Array>()
                    .map(|a| a.value(0) as u64)
            })
            .unwrap_or(0)
    };
    let scope = Scope {
        researchers: get(0),
        observed: get(1),
        mobile_observable: get(2),
    };
    let mut notes = sel.notes();
    notes.push(format!(
        "{} researchers in scope (≥ {k} AI works); careers from {}: {} with an origin (≥ 1 observed year), {} with ≥ 2 observed years",
        scope.researchers, opts.source, scope.observed, scope.mobile_observable
    ));
    if opts.source == Source::Affiliations && scope.observed < scope.researchers {
        notes.push(format!(
            "{} researchers in scope have no affiliation years in range (author entity absent or without affiliations): no career",
            scope.researchers - scope.observed
        ));
    }
    notes.push(
        "origin = main country of the first observed year: a proxy for where a career started, not nationality".to_string(),
    );
    Ok((scope, notes))
}

/// Run `sql` into a result with `notes`.
async fn result(ctx: &SessionContext, sql: &str, notes: Vec<String>) -> Result<MetricResult> {
    let df = ctx.sql(sql).await?;
    let schema = df.schema().inner().clone();
    let batches = df.collect().await?;
    Ok(MetricResult {
        batches,
        schema,
        notes,
    })
}

/// A country code argument, checked and upper-cased.
pub fn country_code(s: &str) -> Result<String> {
    let c = s.trim().to_ascii_uppercase();
    if c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(c)
    } else {
        Err(DataFusionError::Plan(format!(
            "`{s}` is not a two-letter ISO country code (e.g. CN, US)"
        )))
    }
}
