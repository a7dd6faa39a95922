//! The sensitivity grid (`talentchain sensitivity`): one headline, each
//! country's share of AI papers, of highly cited papers and of researchers
//! by origin over the year range, under every combination of definitions:
//! AI profile × counting (full, fractional) × highly-cited share (1, 5,
//! 10% by default), in the manner of the CWTS Leiden Ranking's indicator
//! switches.
//!
//! Nothing here defines a number: each cell is a column of a metric, run as
//! the CLI and the API run it ([`crate::metrics::run`]):
//!
//! | headline | metric | column |
//! |---|---|---|
//! | `papers_share` | `countries --by total` | `share_full` or `share_fractional` |
//! | `highly_cited_share` | `countries --by total` | `highly_cited_share` or `highly_cited_share_fractional` |
//! | `researchers_share` | `talent mismatch` | `supply_share` (researchers by origin: the same under every counting and threshold) |
//!
//! What this module adds is the tally of orderings: for two countries and
//! a headline, in how many of the definitions (those under which both have
//! a value) the first is strictly above the second ("CN above US in 11 of
//! 12").

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, Float64Builder, Int64Builder, StringBuilder};
use arrow::datatypes::{DataType, Field, Float64Type, Schema, SchemaRef};
use arrow::record_batch::RecordBatch;
use datafusion::prelude::SessionContext;

use crate::error::{Error, Result};
use crate::metrics::{self, Metric, MetricResult};
use crate::profile::Profile;
use crate::settings::{By, Counting, Settings};

/// The standard grid's AI profiles: the built-in ones that select AI works.
pub const STANDARD_PROFILES: [&str; 4] = ["concepts", "topics", "venues", "any"];

/// The standard grid's highly-cited shares, in percent.
pub const STANDARD_TOPS: [f64; 3] = [1.0, 5.0, 10.0];

/// The headlines of the grid, in column order.
pub const HEADLINES: [&str; 3] = ["papers_share", "highly_cited_share", "researchers_share"];

/// The definitions the grid crosses.
#[derive(Debug, Clone)]
pub struct Grid {
    /// The AI profiles.
    pub profiles: Vec<Profile>,
    /// The counting methods.
    pub countings: Vec<Counting>,
    /// The highly-cited shares, in percent.
    pub tops: Vec<f64>,
}

impl Grid {
    /// The default grid: [`STANDARD_PROFILES`], both countings, and
    /// [`STANDARD_TOPS`]: 24 definitions.
    pub fn standard() -> Result<Grid> {
        let profiles = STANDARD_PROFILES
            .into_iter()
            .map(|name| Profile::builtin(name).map_err(|e| Error::Internal(e.to_string().into())))
            .collect::<Result<Vec<_>>>()?;
        Ok(Grid {
            profiles,
            countings: vec![Counting::Full, Counting::Fractional],
            tops: STANDARD_TOPS.to_vec(),
        })
    }

    /// A grid of these definitions, each highly-cited share checked as
    /// `--top` is (an error names the parameter `tops`).
    pub fn new(profiles: Vec<Profile>, countings: Vec<Counting>, tops: Vec<f64>) -> Result<Grid> {
        for &t in &tops {
            crate::settings::check_top(t).map_err(|e| {
                Error::input(
                    "tops",
                    e.to_string(),
                    crate::settings::TOP.accepts.accepted(),
                )
            })?;
        }
        Ok(Grid {
            profiles,
            countings,
            tops,
        })
    }

    /// The grid with the reference definition of `settings` first: its
    /// profile and its highly-cited share lead (added when absent), so that
    /// the first definition, whose papers share ranks the leading
    /// countries, is the one the user asked for.
    pub fn with_reference(mut self, settings: &Settings) -> Grid {
        let reference = settings.profile();
        self.profiles.retain(|p| p.name != reference.name);
        self.profiles.insert(0, reference.clone());
        let top = settings.top_percent();
        self.tops.retain(|t| *t != top);
        self.tops.insert(0, top);
        self
    }

    /// How many definitions the grid crosses.
    pub fn len(&self) -> usize {
        self.profiles.len() * self.countings.len() * self.tops.len()
    }

    /// Whether the grid has no definition.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One definition of the grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Definition {
    /// The AI profile's name.
    pub profile: String,
    /// The counting method.
    pub counting: Counting,
    /// The highly-cited share, in percent.
    pub top: f64,
}

impl Definition {
    /// `concepts · fractional · top 10%`.
    pub fn label(&self) -> String {
        format!("{} · {} · top {}%", self.profile, self.counting, self.top)
    }
}

/// One cell row: a country's headlines under one definition (`None`: no
/// value, e.g. no highly cited work in the range).
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The definition.
    pub definition: Definition,
    /// The country code.
    pub country: String,
    /// The headlines, in the order of [`HEADLINES`].
    pub values: [Option<f64>; 3],
}

/// For two countries and a headline: under how many definitions the first
/// is strictly above the second, of those under which both have a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ordering {
    /// One of [`HEADLINES`].
    pub headline: &'static str,
    /// The country above.
    pub above: String,
    /// The country below.
    pub below: String,
    /// The definitions with `above` strictly above `below`.
    pub supporting: usize,
    /// The definitions with a value for both.
    pub compared: usize,
}

impl Ordering {
    /// `papers_share: CN above US in 11 of 12 definitions`.
    pub fn line(&self) -> String {
        format!(
            "{}: {} above {} in {} of {} definitions",
            self.headline, self.above, self.below, self.supporting, self.compared
        )
    }
}

/// The column `name` of a metric's rows as text (country codes).
fn texts(r: &MetricResult, name: &str) -> Result<Vec<Option<String>>> {
    let mut out = Vec::new();
    for b in &r.batches {
        let c = b
            .column_by_name(name)
            .ok_or_else(|| Error::Internal(format!("no column `{name}`").into()))?;
        let c = arrow::compute::cast(c, &DataType::Utf8)?;
        out.extend(c.as_string::<i32>().iter().map(|v| v.map(str::to_string)));
    }
    Ok(out)
}

/// The column `name` of a metric's rows as numbers.
fn numbers(r: &MetricResult, name: &str) -> Result<Vec<Option<f64>>> {
    let mut out = Vec::new();
    for b in &r.batches {
        let c = b
            .column_by_name(name)
            .ok_or_else(|| Error::Internal(format!("no column `{name}`").into()))?;
        let c = arrow::compute::cast(c, &DataType::Float64)?;
        let c = c.as_primitive::<Float64Type>();
        out.extend((0..c.len()).map(|i| c.is_valid(i).then(|| c.value(i))));
    }
    Ok(out)
}

/// `column` of `metric` by country.
async fn by_country(
    ctx: &SessionContext,
    metric: Metric,
    settings: &Settings,
    columns: &[&str],
) -> Result<BTreeMap<String, Vec<Option<f64>>>> {
    let r = metrics::run(ctx, metric, settings).await?;
    let countries = texts(&r, "country")?;
    let cols = columns
        .iter()
        .map(|c| numbers(&r, c))
        .collect::<Result<Vec<_>>>()?;
    let mut out = BTreeMap::new();
    for (i, country) in countries.into_iter().enumerate() {
        if let Some(country) = country {
            out.insert(country, cols.iter().map(|c| c[i]).collect());
        }
    }
    Ok(out)
}

/// Every country's headlines under every definition of `grid`, the other
/// settings (year range, minimum works) from `base`: one cell per
/// definition for each country with a paper or a researcher under any of
/// them (0 where it has none).
pub async fn cells(ctx: &SessionContext, base: &Settings, grid: &Grid) -> Result<Vec<Cell>> {
    // Each (profile, threshold): the countries_total shares and the
    // researchers' shares by country.
    let mut runs = Vec::new();
    for profile in &grid.profiles {
        let mut s = base.clone();
        s.set_profile(profile.clone());
        let researchers = by_country(ctx, Metric::TalentMismatch, &s, &["supply_share"]).await?;
        s.set_by(By::Total);
        for &top in &grid.tops {
            s.set_top(top)?;
            // The two headlines under each counting (`metrics::counted`).
            let columns: Vec<&str> = [Counting::Full, Counting::Fractional]
                .into_iter()
                .flat_map(|k| {
                    ["share_full", "highly_cited_share"]
                        .map(|c| metrics::counted(c, k).unwrap_or(c))
                })
                .collect();
            let papers = by_country(ctx, Metric::CountriesTotal, &s, &columns).await?;
            runs.push((&profile.name, top, papers, researchers.clone()));
        }
    }
    let countries: BTreeSet<String> = runs
        .iter()
        .flat_map(|(_, _, p, r)| p.keys().chain(r.keys()).cloned())
        .collect();
    let mut out = Vec::new();
    for (profile, top, papers, researchers) in &runs {
        for &counting in &grid.countings {
            // Columns as asked above: papers then highly cited, full first.
            let (p, h) = match counting {
                Counting::Full => (0, 1),
                Counting::Fractional => (2, 3),
            };
            // A country without a row has no paper (share 0); its highly
            // cited share is 0 when the range has highly cited works (some
            // country has a share), else none.
            let zero_hc = papers.values().any(|v| v[h].is_some()).then_some(0.0);
            for country in &countries {
                let v = papers.get(country);
                out.push(Cell {
                    definition: Definition {
                        profile: (*profile).clone(),
                        counting,
                        top: *top,
                    },
                    country: country.clone(),
                    values: [
                        v.map_or(Some(0.0), |v| v[p]),
                        v.map_or(zero_hc, |v| v[h]),
                        researchers.get(country).map_or(Some(0.0), |r| r[0]),
                    ],
                });
            }
        }
    }
    Ok(out)
}

/// The orderings of every pair of `countries` on every headline, the
/// country above being the one above in more definitions (ties: the first
/// in `countries`).
pub fn orderings(cells: &[Cell], countries: &[String]) -> Vec<Ordering> {
    let mut value: BTreeMap<(String, &str), Vec<(String, f64)>> = BTreeMap::new();
    for c in cells {
        for (k, h) in HEADLINES.iter().enumerate() {
            if let Some(v) = c.values[k] {
                value
                    .entry((c.country.clone(), h))
                    .or_default()
                    .push((c.definition.label(), v));
            }
        }
    }
    let mut out = Vec::new();
    for h in HEADLINES {
        for (i, a) in countries.iter().enumerate() {
            for b in &countries[i + 1..] {
                let (Some(va), Some(vb)) = (value.get(&(a.clone(), h)), value.get(&(b.clone(), h)))
                else {
                    continue;
                };
                let vb: BTreeMap<&String, f64> = vb.iter().map(|(d, v)| (d, *v)).collect();
                let (mut a_above, mut b_above, mut compared) = (0, 0, 0);
                for (d, x) in va {
                    if let Some(y) = vb.get(d) {
                        compared += 1;
                        if x > y {
                            a_above += 1;
                        } else if y > x {
                            b_above += 1;
                        }
                    }
                }
                if compared == 0 {
                    continue;
                }
                let (above, below, supporting) = if b_above > a_above {
                    (b, a, b_above)
                } else {
                    (a, b, a_above)
                };
                out.push(Ordering {
                    headline: h,
                    above: above.clone(),
                    below: below.clone(),
                    supporting,
                    compared,
                });
            }
        }
    }
    out
}

/// The `n` countries with the highest share of papers under the first
/// definition of the cells (the user's own profile comes first), ties by
/// code.
pub fn leading(cells: &[Cell], n: usize) -> Vec<String> {
    let Some(first) = cells.first().map(|c| c.definition.clone()) else {
        return Vec::new();
    };
    let mut v: Vec<(f64, &String)> = cells
        .iter()
        .filter(|c| c.definition == first)
        .filter_map(|c| c.values[0].map(|v| (v, &c.country)))
        .collect();
    v.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    v.into_iter().take(n).map(|(_, c)| c.clone()).collect()
}

/// The grid as rows (country, profile, counting, top_percent and the
/// headlines), and as notes the orderings of the five leading countries'
/// neighbours; with `orderings`, the orderings of every pair of the
/// `countries` leading ones instead.
pub async fn run(
    ctx: &SessionContext,
    base: &Settings,
    grid: &Grid,
    orderings_of: Option<usize>,
) -> Result<MetricResult> {
    if grid.is_empty() {
        return Err(Error::input(
            "ai",
            "the grid has no definition",
            vec!["at least one profile, counting and threshold".into()],
        ));
    }
    let cells = cells(ctx, base, grid).await?;
    let mut notes = vec![format!(
        "{} definitions: profiles {} × counting {} × highly cited top {}%; each cell a column of `countries --by total` (papers, highly cited) or `talent mismatch` (researchers by origin, the same under every counting and threshold)",
        grid.len(),
        grid.profiles
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        grid.countings
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        grid.tops
            .iter()
            .map(|t| t.to_string())
            .collect::<Vec<_>>()
            .join(", "),
    )];
    if let Some(n) = orderings_of {
        let all = orderings(&cells, &leading(&cells, n));
        return Ok(orderings_result(&all, notes));
    }
    let lead = leading(&cells, 5);
    let all = orderings(&cells, &lead);
    for pair in lead.windows(2) {
        for o in all.iter().filter(|o| {
            (o.above == pair[0] && o.below == pair[1]) || (o.above == pair[1] && o.below == pair[0])
        }) {
            notes.push(o.line());
        }
    }
    Ok(cells_result(&cells, notes))
}

/// Rows built here as one batch of `schema`.
fn one_batch(schema: SchemaRef, columns: Vec<ArrayRef>, notes: Vec<String>) -> MetricResult {
    let batch = RecordBatch::try_new(schema.clone(), columns).expect("columns match the schema");
    MetricResult {
        batches: vec![batch],
        schema,
        notes,
    }
}

fn cells_result(cells: &[Cell], notes: Vec<String>) -> MetricResult {
    let schema: SchemaRef = Arc::new(Schema::new(vec![
        Field::new("country", DataType::Utf8, false),
        Field::new("profile", DataType::Utf8, false),
        Field::new("counting", DataType::Utf8, false),
        Field::new("top_percent", DataType::Float64, false),
        Field::new(HEADLINES[0], DataType::Float64, true),
        Field::new(HEADLINES[1], DataType::Float64, true),
        Field::new(HEADLINES[2], DataType::Float64, true),
    ]));
    let (mut country, mut profile, mut counting) = (
        StringBuilder::new(),
        StringBuilder::new(),
        StringBuilder::new(),
    );
    let mut top = Float64Builder::new();
    let mut values = [
        Float64Builder::new(),
        Float64Builder::new(),
        Float64Builder::new(),
    ];
    let mut sorted: Vec<&Cell> = cells.iter().collect();
    sorted.sort_by(|a, b| a.country.cmp(&b.country));
    for c in sorted {
        country.append_value(&c.country);
        profile.append_value(&c.definition.profile);
        counting.append_value(c.definition.counting.to_string());
        top.append_value(c.definition.top);
        for (b, v) in values.iter_mut().zip(c.values) {
            b.append_option(v);
        }
    }
    let [mut v0, mut v1, mut v2] = values;
    let columns: Vec<ArrayRef> = vec![
        Arc::new(country.finish()),
        Arc::new(profile.finish()),
        Arc::new(counting.finish()),
        Arc::new(top.finish()),
        Arc::new(v0.finish()),
        Arc::new(v1.finish()),
        Arc::new(v2.finish()),
    ];
    one_batch(schema, columns, notes)
}

fn orderings_result(orderings: &[Ordering], notes: Vec<String>) -> MetricResult {
    let schema: SchemaRef = Arc::new(Schema::new(vec![
        Field::new("headline", DataType::Utf8, false),
        Field::new("above", DataType::Utf8, false),
        Field::new("below", DataType::Utf8, false),
        Field::new("definitions_supporting", DataType::Int64, false),
        Field::new("definitions_compared", DataType::Int64, false),
    ]));
    let (mut h, mut a, mut b) = (
        StringBuilder::new(),
        StringBuilder::new(),
        StringBuilder::new(),
    );
    let (mut s, mut n) = (Int64Builder::new(), Int64Builder::new());
    for o in orderings {
        h.append_value(o.headline);
        a.append_value(&o.above);
        b.append_value(&o.below);
        s.append_value(o.supporting as i64);
        n.append_value(o.compared as i64);
    }
    let columns: Vec<ArrayRef> = vec![
        Arc::new(h.finish()),
        Arc::new(a.finish()),
        Arc::new(b.finish()),
        Arc::new(s.finish()),
        Arc::new(n.finish()),
    ];
    one_batch(schema, columns, notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(profile: &str, counting: Counting, country: &str, papers: f64) -> Cell {
        Cell {
            definition: Definition {
                profile: profile.into(),
                counting,
                top: 10.0,
            },
            country: country.into(),
            values: [Some(papers), None, Some(0.5)],
        }
    }

    /// Three definitions: CN above US in two (0.5 > 0.4, 0.6 > 0.3), below
    /// in one (0.2 < 0.3); the researchers' shares are equal in all three
    /// (no one above: 0 of 3); highly cited has no value (no ordering).
    #[test]
    fn orderings_count_the_definitions_each_way() {
        let cells = vec![
            cell("a", Counting::Full, "US", 0.4),
            cell("a", Counting::Full, "CN", 0.5),
            cell("a", Counting::Fractional, "US", 0.3),
            cell("a", Counting::Fractional, "CN", 0.2),
            cell("b", Counting::Full, "US", 0.3),
            cell("b", Counting::Full, "CN", 0.6),
        ];
        let lead = leading(&cells, 5);
        assert_eq!(lead, ["CN", "US"]);
        let o = orderings(&cells, &lead);
        assert_eq!(o.len(), 2, "{o:?}");
        assert_eq!(
            o[0].line(),
            "papers_share: CN above US in 2 of 3 definitions"
        );
        assert_eq!(o[1].headline, "researchers_share");
        assert_eq!((o[1].supporting, o[1].compared), (0, 3));
    }
}
