//! The metrics: each is one file of `sql/metrics/` (its header defines every
//! column) with hand-checked cases beside it (`.slt`), run here over the
//! selection ([`crate::selection`]) for the [`Settings`] in force. One
//! entry point, [`run`], for the CLI, the API and the report.
//!
//! | metric | command |
//! |---|---|
//! | `countries`, `countries_total` | `talentchain countries` (`--by total`) |
//! | `institutions` | `talentchain institutions` |
//! | `sectors` | `talentchain sectors` |
//! | `collab_pairs`, `collab_shares` | `talentchain collab` (`--shares`) |
//! | `talent_flows`, `talent_flows_by_cohort` | `talentchain talent flows` (`--cohort`) |
//! | `talent_countries` | `talentchain talent countries` |
//! | `talent_mismatch` | `talentchain talent mismatch` |
//! | `talent_conversion` | `talentchain talent conversion --origin XX` |
//! | `talent_orgs` | `talentchain talent orgs` |
//! | `talent_stays` | `talentchain talent stays` |
//! | `talent_top` | `talentchain talent top` |
//! | `talent_author` | `talentchain talent author A123` |

use arrow::array::{Array, AsArray};
use arrow::datatypes::{DataType, Int64Type, SchemaRef};
use datafusion::prelude::SessionContext;
use datafusion::scalar::ScalarValue;

use crate::error::{Error, Result};
use crate::selection::{prepare, prepare_talent};
use crate::settings::{AUTHOR, By, Counting, ORIGIN, Settings};
pub use crate::sql::MetricResult;
use crate::sql::{Bindings, Query, query};

pub mod intervals;

/// A metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Metric {
    /// AI output per country and year, with world shares.
    Countries,
    /// AI output per country over the range, with CAGR.
    CountriesTotal,
    /// The institutions (or lineage roots) ranking.
    Institutions,
    /// AI output by sector per country.
    Sectors,
    /// Country co-authorship pairs.
    CollabPairs,
    /// Each country's international collaboration share.
    CollabShares,
    /// Origin → current country flows.
    TalentFlows,
    /// Origin → current country flows by cohort.
    TalentFlowsByCohort,
    /// Stayers, returnees, emigrants, immigrants, retention, mobility.
    TalentCountries,
    /// Talent supply versus output.
    TalentMismatch,
    /// Where one origin's researchers produce.
    TalentConversion,
    /// The origin mix of each organisation.
    TalentOrgs,
    /// Who stays in a host country, who returns, who moves on.
    TalentStays,
    /// The top researchers.
    TalentTop,
    /// One researcher's career.
    TalentAuthor,
}

impl Metric {
    /// Every metric.
    pub const ALL: [Metric; 15] = [
        Metric::Countries,
        Metric::CountriesTotal,
        Metric::Institutions,
        Metric::Sectors,
        Metric::CollabPairs,
        Metric::CollabShares,
        Metric::TalentFlows,
        Metric::TalentFlowsByCohort,
        Metric::TalentCountries,
        Metric::TalentMismatch,
        Metric::TalentConversion,
        Metric::TalentOrgs,
        Metric::TalentStays,
        Metric::TalentTop,
        Metric::TalentAuthor,
    ];

    /// The metric's name: its file `sql/metrics/NAME.sql`.
    pub fn name(self) -> &'static str {
        match self {
            Metric::Countries => "countries",
            Metric::CountriesTotal => "countries_total",
            Metric::Institutions => "institutions",
            Metric::Sectors => "sectors",
            Metric::CollabPairs => "collab_pairs",
            Metric::CollabShares => "collab_shares",
            Metric::TalentFlows => "talent_flows",
            Metric::TalentFlowsByCohort => "talent_flows_by_cohort",
            Metric::TalentCountries => "talent_countries",
            Metric::TalentMismatch => "talent_mismatch",
            Metric::TalentConversion => "talent_conversion",
            Metric::TalentOrgs => "talent_orgs",
            Metric::TalentStays => "talent_stays",
            Metric::TalentTop => "talent_top",
            Metric::TalentAuthor => "talent_author",
        }
    }

    /// The metric by its name.
    pub fn from_name(name: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.name() == name)
    }

    /// `countries` or `countries_total`, as `by` asks.
    pub fn countries(by: By) -> Metric {
        match by {
            By::Year => Metric::Countries,
            By::Total => Metric::CountriesTotal,
        }
    }

    /// `collab_shares` or `collab_pairs`.
    pub fn collab(shares: bool) -> Metric {
        if shares {
            Metric::CollabShares
        } else {
            Metric::CollabPairs
        }
    }

    /// `talent_flows_by_cohort` or `talent_flows`.
    pub fn flows(cohort: bool) -> Metric {
        if cohort {
            Metric::TalentFlowsByCohort
        } else {
            Metric::TalentFlows
        }
    }

    /// Its SQL file.
    pub fn query(self) -> &'static Query {
        query(&format!("metrics/{}", self.name()))
    }

    /// Whether its rows depend on the highly-cited share (`top`): those
    /// that read the works' highly-cited flags or rank researchers by
    /// citations.
    pub fn uses_top(self) -> bool {
        matches!(
            self,
            Metric::Countries
                | Metric::CountriesTotal
                | Metric::Institutions
                | Metric::TalentMismatch
                | Metric::TalentConversion
        )
    }

    /// Whether it reads the researchers in scope ([`prepare_talent`]).
    pub fn is_talent(self) -> bool {
        self.name().starts_with("talent_")
    }

    /// The selection tables it reads beyond the common ones, in order:
    /// what tables of parts ([`intervals::Parts`]) read, the parts, then
    /// views of them.
    fn reads(self) -> &'static [&'static str] {
        match self {
            Metric::Countries | Metric::CountriesTotal => {
                &["country_parts", "world_parts", "country_years"]
            }
            Metric::TalentMismatch => &["country_parts", "talent_supply_parts", "country_years"],
            Metric::CollabPairs => &["selection_countries", "collab_pair_parts"],
            Metric::CollabShares => &["selection_countries", "collab_parts"],
            Metric::Institutions => &["institution_parts"],
            Metric::Sectors => &["sector_parts"],
            Metric::TalentTop => &["researcher_works", "researcher_parts", "researcher_ranks"],
            Metric::TalentCountries => &["talent_country_parts"],
            Metric::TalentFlows | Metric::TalentFlowsByCohort => &["talent_flow_parts"],
            Metric::TalentOrgs => &["talent_org_parts"],
            Metric::TalentStays => &["talent_stay_parts"],
            Metric::TalentConversion => &[
                "conversion_slots",
                "conversion_author_parts",
                "conversion_work_parts",
                "conversion_total_parts",
            ],
            _ => &[],
        }
    }

    /// Check the settings this metric needs that have no default.
    fn check(self, settings: &Settings) -> Result<()> {
        let missing = |p: &crate::settings::Param| {
            Error::input(
                p.name,
                format!("`{}` is required by {}", p.name, self.name()),
                p.accepts.accepted(),
            )
        };
        match self {
            Metric::TalentConversion if settings.origin().is_none() => Err(missing(&ORIGIN)),
            Metric::TalentAuthor if settings.author().is_none() => Err(missing(&AUTHOR)),
            _ => Ok(()),
        }
    }

    /// The definitions this metric's notes state.
    fn notes(self, settings: &Settings) -> Vec<String> {
        let hc = format!(
            "highly cited = top {}% of the year's selected works by citations (rank ≤ ceil(share · n), ties included, 0 citations never)",
            settings.top_percent()
        );
        let rollup = settings
            .rollup()
            .then(|| "institutions rolled up under their lineage root".to_string());
        let mut v: Vec<String> = match self {
            Metric::Countries | Metric::CountriesTotal => vec![
                hc,
                "papers_full: works with an author in the country; papers_fractional: each work split equally among \
                 its authorships with a country, then among each authorship's countries; shares: over all selected works"
                    .into(),
            ],
            Metric::Institutions => vec![
                hc,
                "papers_fractional: each work split equally among its authorships with an institution, then among \
                 each authorship's institutions; lab_countries: works per country of the institution in the work"
                    .into(),
            ],
            Metric::Sectors => vec![
                "sector of each authorship's institution, in the institution's country as given in the work; \
                 papers_fractional: each work split among its authorships with an institution, then among their institutions"
                    .into(),
            ],
            Metric::CollabPairs => vec![
                "works: selected works with authorships in both countries; each pair once (country_a < country_b)".into(),
            ],
            Metric::CollabShares => vec![
                "international_share: the country's works with at least one other country / its works".into(),
            ],
            Metric::TalentFlows | Metric::TalentFlowsByCohort => vec![
                "flows count researchers with ≥ 2 observed years, from origin (first) to current (last) main country".into(),
            ],
            Metric::TalentCountries => vec![
                "retention = (stayers + returnees) / researchers of that origin with ≥ 2 observed years; \
                 mobility_rate = share of author-years whose previous observed year was in another country"
                    .into(),
            ],
            Metric::TalentMismatch => vec![
                hc,
                format!(
                    "supply: researchers by origin; output: fractional AI output by affiliation; top researchers: top {}% by citations of their AI works",
                    settings.top_percent()
                ),
            ],
            Metric::TalentConversion => vec![
                hc,
                format!(
                    "researchers of origin {}: their AI works by the country of their affiliation on each work",
                    settings.origin().unwrap_or_default()
                ),
            ],
            Metric::TalentOrgs => vec![
                "hhi = Σ (share of each origin)² among the organisation's researchers: 1 = a single origin country".into(),
            ],
            Metric::TalentStays => vec![
                "host: a country other than the origin that was the main country of an observed year; followed: \
                 observed after the first year there (those last seen in their first year are right-censored, \
                 left out of the rates); stay_rate = current country the host / followed"
                    .into(),
            ],
            Metric::TalentTop => vec![
                "citations: sum of cited_by_count over the researcher's AI works in the dataset; h-index over the same works".into(),
            ],
            Metric::TalentAuthor => vec![],
        };
        if matches!(self, Metric::Institutions | Metric::TalentOrgs) {
            v.extend(rollup);
        }
        if self == Metric::CountriesTotal {
            v.push(
                "cagr: compound annual growth of papers_full from the first to the last year of the range; \
                 null for a single year or no paper in the first year"
                    .into(),
            );
        }
        v
    }
}

/// The columns that come under both countings: (full, fractional).
pub const COUNTED: [(&str, &str); 4] = [
    ("papers_full", "papers_fractional"),
    ("share_full", "share_fractional"),
    ("highly_cited", "highly_cited_fractional"),
    ("highly_cited_share", "highly_cited_share_fractional"),
];

/// The name of `column` under `counting`, when it is one of a pair of
/// [`COUNTED`] (either name of the pair).
pub fn counted(column: &str, counting: Counting) -> Option<&'static str> {
    COUNTED
        .iter()
        .find(|(f, r)| *f == column || *r == column)
        .map(|(f, r)| match counting {
            Counting::Full => *f,
            Counting::Fractional => *r,
        })
}

/// Run `metric` in `ctx` (a session over a dataset, [`crate::dataset`]) for
/// `settings`: the selection, then the metric's file.
pub async fn run(
    ctx: &SessionContext,
    metric: Metric,
    settings: &Settings,
) -> Result<MetricResult> {
    let (notes, b) = prepare_metric(ctx, metric, settings).await?;
    let mut r = match settings.intervals() {
        Some(iv) => intervals::answer(ctx, metric, &b, &iv, notes).await?,
        None => result(ctx, metric.query(), &b, notes).await?,
    };
    match metric {
        Metric::Sectors => {
            let n = first_count(ctx, "SELECT institutions FROM sectors_without_country").await?;
            if n > 0 {
                r.notes.push(format!(
                    "{n} authorship institutions without a country are left out"
                ));
            }
        }
        Metric::TalentAuthor => author_notes(ctx, settings, &mut r).await?,
        _ => {}
    }
    Ok(r)
}

/// `metric`'s rows as observed and, when `settings` ask for intervals and
/// the metric has them, under each bootstrap replicate: for answers built
/// from a metric's rows (a claim's quantity), whose intervals come from
/// the quantity's replicates. The rows are every row (no `limit`).
pub async fn run_replicated(
    ctx: &SessionContext,
    metric: Metric,
    settings: &Settings,
) -> Result<(MetricResult, Option<intervals::Replicated>)> {
    let mut settings = settings.clone();
    settings.set_limit(None)?;
    let wanted = settings
        .intervals()
        .filter(|_| metric.resampling().is_some());
    if wanted.is_none() {
        settings.set_ci(None)?;
    }
    let (notes, b) = prepare_metric(ctx, metric, &settings).await?;
    match wanted {
        Some(iv) => {
            let r = intervals::replicate(ctx, metric, &b, &iv).await?;
            let point = MetricResult {
                schema: r.point.schema(),
                batches: vec![r.point.clone()],
                notes,
            };
            Ok((point, Some(r)))
        }
        None => Ok((result(ctx, metric.query(), &b, notes).await?, None)),
    }
}

/// Check `settings` for `metric`, compute the selection and register what
/// the metric reads: its notes so far and its bindings.
async fn prepare_metric(
    ctx: &SessionContext,
    metric: Metric,
    settings: &Settings,
) -> Result<(Vec<String>, Bindings)> {
    metric.check(settings)?;
    if settings.intervals().is_some() {
        intervals::check(metric)?;
    }
    let (mut notes, b) = if metric.is_talent() {
        let (_, notes, b) = prepare_talent(ctx, settings).await?;
        (notes, b)
    } else {
        let (sel, b) = prepare(ctx, settings).await?;
        (sel.notes(), b)
    };
    register_reads(ctx, metric, &b, false).await?;
    let b = match metric {
        Metric::TalentTop => b.with("top_authors", top_authors(ctx, settings).await?),
        _ => b,
    };
    notes.extend(metric.notes(settings));
    Ok((notes, b))
}

/// Register the selection tables `metric` reads ([`Metric::reads`]); with
/// `views_only`, only the views that are not tables of parts (those read
/// the parts, which [`intervals`] replaces by their replicates, then puts
/// back).
async fn register_reads(
    ctx: &SessionContext,
    metric: Metric,
    b: &Bindings,
    views_only: bool,
) -> Result<()> {
    let parts: Vec<&str> = metric
        .resampling()
        .map(|r| r.parts.iter().map(|p| p.name).collect())
        .unwrap_or_default();
    for name in metric.reads() {
        let q = query(&format!("selection/{name}"));
        match *name {
            // Tables, computed once: read several times (conversion_slots by
            // both of talent conversion's parts, researcher_works by
            // researcher_parts and researcher_ranks).
            "selection_countries"
            | "researcher_works"
            | "researcher_ranks"
            | "conversion_slots"
                if !views_only =>
            {
                q.materialize(ctx, b).await?
            }
            "selection_countries" | "researcher_works" | "conversion_slots" => {}
            // Over the replicates' sums, while they stand in for the parts.
            "researcher_ranks" => q.register_view(ctx, name, b).await?,
            _ if views_only && parts.contains(name) => {}
            _ => q.register_view(ctx, name, b).await?,
        }
    }
    Ok(())
}

/// The authors of the first `limit` rows of `researcher_ranks`, as a list
/// (`$top_authors` of `talent_top.sql`), or a null list without a limit.
async fn top_authors(ctx: &SessionContext, settings: &Settings) -> Result<ScalarValue> {
    let Some(limit) = settings.limit() else {
        return Ok(ScalarValue::try_from(&DataType::new_list(
            DataType::Utf8,
            true,
        ))?);
    };
    let batches = ctx
        .sql(&format!(
            "SELECT author FROM researcher_ranks WHERE rank <= {limit} ORDER BY rank"
        ))
        .await?
        .collect()
        .await?;
    let mut authors = Vec::new();
    for b in &batches {
        let c = arrow::compute::cast(b.column(0), &DataType::Utf8)?;
        authors.extend(
            c.as_string::<i32>()
                .iter()
                .flatten()
                .map(|a| ScalarValue::Utf8(Some(a.to_string()))),
        );
    }
    Ok(ScalarValue::List(ScalarValue::new_list_nullable(
        &authors,
        &DataType::Utf8,
    )))
}

/// Run a file into a [`MetricResult`] with `notes`: the rows of replicate
/// 0, the data as observed, without the `replicate` column.
async fn result(
    ctx: &SessionContext,
    q: &Query,
    b: &Bindings,
    notes: Vec<String>,
) -> Result<MetricResult> {
    let mut df = q.dataframe(ctx, b).await?;
    if df
        .schema()
        .has_column_with_unqualified_name(intervals::REPLICATE)
    {
        df = df.drop_columns(&[intervals::REPLICATE])?;
    }
    let schema: SchemaRef = df.schema().inner().clone();
    let batches = df.collect().await?;
    Ok(MetricResult {
        batches,
        schema,
        notes,
    })
}

/// The first value of a one-count query, 0 when there is none.
async fn first_count(ctx: &SessionContext, sql: &str) -> Result<i64> {
    let batches = ctx.sql(sql).await?.collect().await?;
    Ok(batches
        .iter()
        .find(|b| b.num_rows() > 0)
        .map(|b| b.column(0).as_primitive::<Int64Type>())
        .filter(|c| c.is_valid(0))
        .map_or(0, |c| c.value(0)))
}

/// The notes of `talent author`: the researcher's origin, current country
/// and class (`talent_author_info`), or why there is no career.
async fn author_notes(
    ctx: &SessionContext,
    settings: &Settings,
    r: &mut MetricResult,
) -> Result<()> {
    let id = settings.author().unwrap_or_default();
    let info = ctx
        .sql("SELECT origin, current, class, ai_works FROM talent_author_info")
        .await?
        .collect()
        .await?;
    if let Some(b) = info.iter().find(|b| b.num_rows() > 0) {
        let text = |i: usize| {
            let c = arrow::compute::cast(b.column(i), &arrow::datatypes::DataType::Utf8).ok();
            c.filter(|c| c.is_valid(0)).map_or("∅".to_string(), |c| {
                c.as_string::<i32>().value(0).to_string()
            })
        };
        if b.column(3).is_valid(0) {
            r.notes.push(format!(
                "{id}: origin {}, current {}, class {}",
                text(0),
                text(1),
                text(2)
            ));
        } else {
            r.notes.push(format!(
                "{id} is not in scope (fewer than {} AI works in range)",
                settings.min_works()
            ));
        }
    }
    if r.num_rows() == 0 {
        r.notes.push(format!(
            "no career rows for `{id}` in range: check the id (e.g. A5023888391)"
        ));
    }
    Ok(())
}
