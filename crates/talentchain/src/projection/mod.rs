//! What if: projections of the talent chain (`talentchain project`), under
//! scenarios, with bootstrap intervals and a backtest against what
//! happened. docs/projection.md states the model in equations.
//!
//! The model ([`model`]) is a cohort model of researchers by (career
//! stage, origin, country of work), fitted on the careers that the talent metrics read:
//! `projection_years` (`sql/selection/projection_years.sql`) is their
//! observed years with the year's AI works, and `projection_orgs` the
//! organisations' origin mixes. Nothing here redefines a researcher, an
//! origin or a highly cited work; what this module adds is the model's
//! arithmetic, the scenarios ([`scenario`]) and three tables:
//!
//! | view | rows |
//! |---|---|
//! | `countries` | per scenario (`observed` first), year and country: researchers, shares, output |
//! | `orgs` | per scenario, year and organisation: researchers, top origin, HHI |
//! | `backtest` | per scenario, country and measure: the model's errors beside two baselines' |

pub mod model;
pub mod scenario;

use std::collections::HashMap;
use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, AsArray, Float64Builder, Int32Builder, Int64Builder, RecordBatch,
    StringBuilder,
};
use arrow::compute::cast;
use arrow::datatypes::{DataType, Field, Schema};
use datafusion::prelude::{SessionContext, col, lit};

use crate::error::{Error, Result};
use crate::metrics::MetricResult;
use crate::metrics::intervals::{hash_bytes, mix, poisson, quantile};
use crate::selection::prepare_talent;
use crate::settings::{Accepts, Param, Settings, check_year, find_param};
use crate::sql::{Bindings, query};
use futures::StreamExt;
use model::{Panel, PanelBuilder, Spec, Years};
pub use scenario::Scenario;

/// Years at the end of the data whose exits are not trusted (default).
pub const CENSOR: i32 = 3;
/// Years of transitions the rates pool (default).
pub const WINDOW: i32 = 5;
/// Years a backtest projects past its fit (default).
pub const HORIZON: i32 = 5;
/// Years past the data a projection runs without `until`.
pub const DEFAULT_YEARS: i32 = 8;
/// The most years past the data's last year a projection runs.
pub const MAX_AHEAD: i32 = 30;
/// The largest censor.
pub const MAX_CENSOR: i32 = 10;
/// The largest window and horizon.
pub const MAX_YEARS: i32 = 30;
/// Observed years shown before the base year.
pub const HISTORY: i32 = 10;
/// Organisations shown without a limit.
pub const ORGS: u32 = 10;
/// Countries a backtest lists without a limit (the largest in its base
/// year), and over which its `all` row averages.
pub const BACKTEST_COUNTRIES: u32 = 10;
/// Below this many researchers present in the base year, the notes warn
/// that the intervals are wide.
pub const FEW: f64 = 1000.0;

/// The table a projection answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    /// Researchers and output per country and year.
    #[default]
    Countries,
    /// The largest organisations' origin concentration per year.
    Orgs,
    /// The backtest's errors.
    Backtest,
}

/// The last projected year (default: the data's last year + 8).
pub const UNTIL: Param = Param {
    name: "until",
    doc: "the last projected year (the CLI's `project --to`); default: the data's last year + 8; at most 30 years past it (a later year projects to that, as the notes say)",
    accepts: Accepts::Year,
    default: None,
};
/// The censoring cut-off.
pub const CENSOR_PARAM: Param = Param {
    name: "censor",
    doc: "years at the end of the data whose exits cannot be told from gaps: the model starts from the year before them",
    accepts: Accepts::Count,
    default: Some("3"),
};
/// The fitting window.
pub const WINDOW_PARAM: Param = Param {
    name: "window",
    doc: "years of observed transitions the rates pool; default 5; at most the years the data has before the base year (a longer window pools those, as the notes say)",
    accepts: Accepts::Count,
    default: None,
};
/// Which scenarios run beside the baseline.
pub const SCENARIOS_PARAM: Param = Param {
    name: "scenarios",
    doc: "shipped: the example scenarios of scenarios/ beside the baseline; none: the baseline only",
    accepts: Accepts::OneOf(&["shipped", "none"]),
    default: Some("shipped"),
};
/// The table answered.
pub const VIEW_PARAM: Param = Param {
    name: "view",
    doc: "countries: researchers and output per country and year; orgs: the largest organisations' origin concentration; backtest: errors of a fit on earlier years",
    accepts: Accepts::OneOf(&["countries", "orgs", "backtest"]),
    default: Some("countries"),
};
/// The backtest's last fitted year.
pub const FIT_TO_PARAM: Param = Param {
    name: "fit_to",
    doc: "the backtest fits on years up to this one (default, and at most: the last year whose horizon the data still trusts; a later one is fitted to that, as the notes say)",
    accepts: Accepts::Year,
    default: None,
};
/// The backtest's horizon.
pub const HORIZON_PARAM: Param = Param {
    name: "horizon",
    doc: "years the backtest projects past its fit",
    accepts: Accepts::Count,
    default: Some("5"),
};

/// Every parameter of a projection (beside the settings').
pub const PARAMS: &[Param] = &[
    UNTIL,
    CENSOR_PARAM,
    WINDOW_PARAM,
    SCENARIOS_PARAM,
    VIEW_PARAM,
    FIT_TO_PARAM,
    HORIZON_PARAM,
];

/// What a projection runs: checked by its setters, as [`Settings`] are.
#[derive(Debug, Clone)]
pub struct Options {
    until: Option<i32>,
    censor: i32,
    /// The window asked for; without, [`WINDOW`] or as many years as the
    /// data has before the base year.
    window: Option<i32>,
    scenarios: Vec<Scenario>,
    view: View,
    fit_to: Option<i32>,
    horizon: i32,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            until: None,
            censor: CENSOR,
            window: None,
            scenarios: Vec::new(),
            view: View::Countries,
            fit_to: None,
            horizon: HORIZON,
        }
    }
}

fn refuse(p: &Param, message: String) -> Error {
    Error::input(p.name, message, p.accepts.accepted())
}

/// `years` if from 1 to `max`, else the error naming `p`.
fn within(p: &Param, years: i32, max: i32) -> Result<i32> {
    if !(1..=max).contains(&years) {
        return Err(refuse(
            p,
            format!("`{}` {years}: use 1 to {max} years", p.name),
        ));
    }
    Ok(years)
}

impl Options {
    /// Set a parameter of [`PARAMS`] from text, as the API takes it.
    pub fn set(&mut self, name: &str, value: &str) -> Result<()> {
        let p = find_param(PARAMS, name)?;
        let v = value.trim();
        let not = |what: &str| refuse(p, format!("bad {what} `{value}` for `{name}`"));
        let year = || -> Result<i32> {
            let y = v.parse().map_err(|_| not("year"))?;
            Ok(check_year(p, Some(y))?.unwrap_or(y))
        };
        let count = || -> Result<i32> {
            let n: i32 = v.parse().map_err(|_| not("count"))?;
            if n < 1 {
                return Err(not("count"));
            }
            Ok(n)
        };
        let words = |p: &Param| match p.accepts {
            Accepts::OneOf(w) if w.contains(&v) => Ok(v.to_string()),
            _ => Err(refuse(
                p,
                format!(
                    "bad value `{value}` for `{name}`: use one of {}",
                    p.accepts.accepted().join(", ")
                ),
            )),
        };
        match name {
            "until" => self.until = Some(year()?),
            "censor" => self.set_censor(count()?)?,
            "window" => self.set_window(count()?)?,
            "scenarios" => {
                self.scenarios = match words(p)?.as_str() {
                    "shipped" => Scenario::shipped(),
                    _ => Vec::new(),
                }
            }
            "view" => {
                self.view = match words(p)?.as_str() {
                    "orgs" => View::Orgs,
                    "backtest" => View::Backtest,
                    _ => View::Countries,
                }
            }
            "fit_to" => self.fit_to = Some(year()?),
            "horizon" => self.set_horizon(count()?)?,
            _ => unreachable!("every parameter of PARAMS is set above"),
        }
        Ok(())
    }

    /// The last projected year.
    pub fn set_until(&mut self, year: Option<i32>) {
        self.until = year;
    }
    /// The censoring cut-off, 1 to [`MAX_CENSOR`] years.
    pub fn set_censor(&mut self, years: i32) -> Result<()> {
        self.censor = within(&CENSOR_PARAM, years, MAX_CENSOR)?;
        Ok(())
    }
    /// The fitting window, 1 to [`MAX_YEARS`] years.
    pub fn set_window(&mut self, years: i32) -> Result<()> {
        self.window = Some(within(&WINDOW_PARAM, years, MAX_YEARS)?);
        Ok(())
    }
    /// The backtest's horizon, 1 to [`MAX_YEARS`] years.
    pub fn set_horizon(&mut self, years: i32) -> Result<()> {
        self.horizon = within(&HORIZON_PARAM, years, MAX_YEARS)?;
        Ok(())
    }
    /// The scenarios run beside the baseline (names must differ).
    pub fn set_scenarios(&mut self, scenarios: Vec<Scenario>) -> Result<()> {
        for (i, s) in scenarios.iter().enumerate() {
            if scenarios[..i].iter().any(|t| t.name == s.name) {
                return Err(refuse(
                    &SCENARIOS_PARAM,
                    format!("two scenarios are named `{}`", s.name),
                ));
            }
        }
        self.scenarios = scenarios;
        Ok(())
    }
    /// The table answered.
    pub fn set_view(&mut self, view: View) {
        self.view = view;
    }
    /// The backtest's last fitted year.
    pub fn set_fit_to(&mut self, year: Option<i32>) {
        self.fit_to = year;
    }
    /// The scenarios.
    pub fn scenarios(&self) -> &[Scenario] {
        &self.scenarios
    }
    /// The table answered.
    pub fn view(&self) -> View {
        self.view
    }
}

/// The careers of `settings` as a panel, with the countries of `countries`
/// as states when given (a backtest's fit shares its observation's).
async fn load(
    ctx: &SessionContext,
    settings: &Settings,
    countries: Option<&[String]>,
) -> Result<(Panel, Vec<String>, Bindings)> {
    let (_, notes, b) = prepare_talent(ctx, settings).await?;
    // Streamed batch by batch into the panel: millions of observed years
    // are never held as rows of text.
    let mut stream = query("selection/projection_years")
        .dataframe(ctx, &b)
        .await?
        .execute_stream()
        .await?;
    let mut builder = PanelBuilder::default();
    while let Some(batch) = stream.next().await {
        let batch = batch?;
        let text = |i: usize| cast(batch.column(i), &DataType::Utf8);
        let num = |i: usize| cast(batch.column(i), &DataType::Float64);
        let (author, country, origin) = (text(0)?, text(2)?, text(3)?);
        let year = cast(batch.column(1), &DataType::Int32)?;
        let (ai, hc) = (num(4)?, num(5)?);
        let (author, country, origin) = (
            author.as_string::<i32>(),
            country.as_string::<i32>(),
            origin.as_string::<i32>(),
        );
        let year = year.as_primitive::<arrow::datatypes::Int32Type>();
        let (ai, hc) = (
            ai.as_primitive::<arrow::datatypes::Float64Type>(),
            hc.as_primitive::<arrow::datatypes::Float64Type>(),
        );
        for i in 0..batch.num_rows() {
            if author.is_null(i) || country.is_null(i) || origin.is_null(i) || year.is_null(i) {
                continue;
            }
            builder.push(
                author.value(i),
                year.value(i),
                country.value(i),
                origin.value(i),
                ai.value(i),
                hc.value(i),
            );
        }
    }
    let key = |a: &str| hash_bytes(0x7072_6f6a, a.as_bytes());
    let panel = builder.build(key, countries.map(<[String]>::to_vec));
    Ok((panel, notes, b))
}

/// The projection's years: the data's first and last, as the range or the
/// careers give them (none without a career).
fn data_years(settings: &Settings, panel: &Panel) -> Option<(i32, i32)> {
    let (first, last) = panel.years()?;
    Some((
        settings.from().unwrap_or(first).max(first),
        settings.to().unwrap_or(last).min(last),
    ))
}

/// An answer without rows, with the columns of `view`: what there is to
/// say when the data cannot be projected (the notes say why).
fn nothing(view: View, settings: &Settings, notes: Vec<String>) -> MetricResult {
    let level = settings.intervals().map(|iv| iv.level);
    let batch = match view {
        View::Backtest => backtest::empty(),
        _ => {
            let none = Vec::new();
            let table = Table {
                spec: Spec {
                    first_year: 0,
                    fit_to: 0,
                    censor: 0,
                    window: 1,
                    prior: 0.0,
                    trend: false,
                },
                until: 0,
                scenarios: Vec::new(),
                resolved: Vec::new(),
                order: Vec::new(),
                orgs: (view == View::Orgs).then_some(&none),
                history: 0,
            };
            let reps = level.map(|_| Vec::new());
            table
                .batch(
                    &Panel::default(),
                    &Values::default(),
                    reps.as_deref(),
                    level,
                )
                .expect("an empty table is well formed")
        }
    };
    MetricResult {
        schema: batch.schema(),
        batches: vec![batch],
        notes,
    }
}

/// Run the projection `options` asks for, over the careers of `settings`
/// (`--ci` gives intervals: researchers resampled, rates refitted,
/// everything projected again).
pub async fn run(
    ctx: &SessionContext,
    settings: &Settings,
    options: &Options,
) -> Result<MetricResult> {
    let (panel, mut notes, bindings) = load(ctx, settings, None).await?;
    let Some((first, last)) = data_years(settings, &panel) else {
        notes.push("no researcher in scope has an observed year: nothing to project".into());
        return Ok(nothing(options.view, settings, notes));
    };
    // What the data allows is answered with a note, not refused: a year
    // range or a dataset decides it, not the request's form.
    match options.view {
        View::Backtest => {
            let horizon = options.horizon;
            let latest = last - options.censor - horizon;
            let fit_to = match options.fit_to {
                Some(f) if f > latest => {
                    notes.push(format!(
                        "fit_to {f}: a horizon of {horizon} years past it reaches beyond {} (the data's last year {last} less the censor of {}), the last year whose stocks the data trusts: fitted to {latest}",
                        last - options.censor,
                        options.censor
                    ));
                    latest
                }
                Some(f) => f,
                None => latest,
            };
            let Some(spec) = spec_of(options, first, fit_to, &mut notes) else {
                return Ok(nothing(View::Backtest, settings, notes));
            };
            let mut fit_settings = settings.clone();
            fit_settings.set_years(Some(first), Some(fit_to))?;
            crate::selection::release(ctx)?;
            let (fit_panel, _, _) = load(ctx, &fit_settings, Some(&panel.countries)).await?;
            let bt = backtest::run(&fit_panel, &panel, &spec, horizon, options, settings)?;
            notes.extend(bt.notes.iter().cloned());
            Ok(MetricResult {
                schema: bt.batch.schema(),
                batches: vec![bt.batch],
                notes,
            })
        }
        view => {
            let Some(spec) = spec_of(options, first, last, &mut notes) else {
                return Ok(nothing(view, settings, notes));
            };
            let until = match options.until.unwrap_or(last + DEFAULT_YEARS) {
                u if u > last + MAX_AHEAD => {
                    notes.push(format!(
                        "until {u}: projected to {} at most ({MAX_AHEAD} years past the data's last year {last})",
                        last + MAX_AHEAD
                    ));
                    last + MAX_AHEAD
                }
                u if u <= spec.base() => {
                    notes.push(format!(
                        "until {u}: the projection starts after {} (the data's last year {last} less the censor of {}); nothing projected",
                        spec.base(),
                        options.censor
                    ));
                    spec.base()
                }
                u => u,
            };
            let orgs = if view == View::Orgs {
                Some(org_mixes(ctx, &bindings, settings, &panel, &spec).await?)
            } else {
                None
            };
            let table = Table::new(&panel, &spec, until, options, orgs.as_ref());
            let point = table.values(&panel, None);
            let replicates = replicate(&panel, settings, |w| table.values(&panel, Some(w)));
            notes.extend(table.notes(&panel, options, settings));
            let level = settings.intervals().map(|iv| iv.level);
            let batch = table.batch(&panel, &point, replicates.as_deref(), level)?;
            Ok(MetricResult {
                schema: batch.schema(),
                batches: vec![batch],
                notes,
            })
        }
    }
}

/// The model's spec for data from `first` fitted to `fit_to`, with the
/// window asked for or [`WINDOW`], shortened to the years of transitions
/// the data has before the base year (a note says so); none when it has
/// none.
fn spec_of(options: &Options, first: i32, fit_to: i32, notes: &mut Vec<String>) -> Option<Spec> {
    let base = fit_to - options.censor;
    let available = base - first;
    if available < 1 {
        notes.push(format!(
            "too few years to project: the data's {first}–{fit_to} less the censor of {} leaves no year of transitions before the base year {base} (widen the year range)",
            options.censor
        ));
        return None;
    }
    let window = match options.window {
        Some(w) if w > available => {
            notes.push(format!(
                "window {w}: the data has {available} years of transitions before the base year {base}: the rates pool those"
            ));
            available
        }
        Some(w) => w,
        None => WINDOW.min(available),
    };
    notes.push(format!(
        "cohort model of researchers by (career stage, origin, country of work): yearly exits, moves and returns fitted on {}–{base} and pooled toward each country's and the world's rates; entries trended from the years to {base}; base year {base}: the data's last {} years ({}–{fit_to}) are censored (a researcher without a paper there may still be active, and their entries may be incomplete), so they are projected",
        base - window,
        options.censor,
        base + 1,
    ));
    Some(Spec {
        first_year: first,
        fit_to,
        censor: options.censor,
        window,
        prior: model::PRIOR,
        trend: true,
    })
}

/// The bootstrap replicates of `values` (one weight per researcher,
/// Poisson(1), drawn from a hash of the author and the replicate), when
/// the settings ask for intervals; spread over the machine's threads.
fn replicate<T, F>(panel: &Panel, settings: &Settings, values: F) -> Option<Vec<T>>
where
    T: Send + Default + Clone,
    F: Fn(&[f64]) -> T + Sync,
{
    let iv = settings.intervals()?;
    let n = iv.replicates as usize;
    let seed = mix(iv.seed ^ 0x7072_6f6a_6563_7431);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(n.max(1));
    let mut out: Vec<T> = vec![T::default(); n];
    std::thread::scope(|s| {
        for (t, chunk) in out.chunks_mut(n.div_ceil(threads)).enumerate() {
            let values = &values;
            let first = t * n.div_ceil(threads);
            s.spawn(move || {
                let mut w = vec![0.0; panel.researchers()];
                for (i, slot) in chunk.iter_mut().enumerate() {
                    let h =
                        mix(((first + i + 1) as u64).wrapping_mul(0xd134_2543_de82_ef95) ^ seed);
                    for (r, key) in panel.key.iter().enumerate() {
                        w[r] = poisson(1.0, mix(key ^ h)) as f64;
                    }
                    *slot = values(&w);
                }
            });
        }
    });
    Some(out)
}

/// The `(lo, hi)` percentile interval at `level` of `values` (those that
/// are finite): the one rule of the projection's intervals and of the
/// backtest's coverage.
fn bounds(values: impl Iterator<Item = f64>, level: f64) -> (Option<f64>, Option<f64>) {
    let mut v: Vec<f64> = values.filter(|x| x.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    let a = (1.0 - level / 100.0) / 2.0;
    (quantile(&v, a), quantile(&v, 1.0 - a))
}

/// The `(lo, hi)` interval of position `i` over `replicates`.
fn interval(replicates: &[Values], i: usize, level: f64) -> (Option<f64>, Option<f64>) {
    bounds(replicates.iter().map(|r| r.numbers[i]), level)
}

/// An organisation's researchers in the base window, per (country, origin)
/// state cell, with its name.
#[derive(Debug, Clone)]
struct Org {
    id: String,
    name: String,
    /// (country state, origin state, mean researchers a year).
    cells: Vec<(usize, usize, f64)>,
}

/// The largest organisations (by researchers a year over the three years
/// to the base) and their origin mixes.
async fn org_mixes(
    ctx: &SessionContext,
    b: &Bindings,
    settings: &Settings,
    panel: &Panel,
    spec: &Spec,
) -> Result<Vec<Org>> {
    let (from, to) = (spec.base() - 2, spec.base());
    // Only the base years are read: the filter on a grouped column reaches
    // the careers' scan.
    let batches = query("selection/projection_orgs")
        .dataframe(ctx, b)
        .await?
        .filter(col("year").between(lit(from), lit(to)))?
        .collect()
        .await?;
    let other = panel.states().saturating_sub(1);
    let state = |c: &str| panel.state(c).unwrap_or(other);
    let mut by_org: HashMap<String, Org> = HashMap::new();
    for batch in &batches {
        let t = |i: usize| cast(batch.column(i), &DataType::Utf8);
        let (org, name, country, origin) = (t(0)?, t(1)?, t(2)?, t(3)?);
        let n = cast(batch.column(5), &DataType::Float64)?;
        let (org, name, country, origin) = (
            org.as_string::<i32>(),
            name.as_string::<i32>(),
            country.as_string::<i32>(),
            origin.as_string::<i32>(),
        );
        let n = n.as_primitive::<arrow::datatypes::Float64Type>();
        // The query's filter keeps the base years only.
        for i in 0..batch.num_rows() {
            if org.is_null(i) {
                continue;
            }
            let e = by_org
                .entry(org.value(i).to_string())
                .or_insert_with(|| Org {
                    id: org.value(i).to_string(),
                    name: if name.is_null(i) {
                        String::new()
                    } else {
                        name.value(i).to_string()
                    },
                    cells: Vec::new(),
                });
            let (c, o) = (state(country.value(i)), state(origin.value(i)));
            let v = n.value(i) / f64::from(to - from + 1);
            match e.cells.iter_mut().find(|x| x.0 == c && x.1 == o) {
                Some(x) => x.2 += v,
                None => e.cells.push((c, o, v)),
            }
        }
    }
    let mut orgs: Vec<Org> = by_org.into_values().collect();
    let size = |o: &Org| o.cells.iter().map(|x| x.2).sum::<f64>();
    orgs.sort_by(|a, b| size(b).total_cmp(&size(a)).then(a.id.cmp(&b.id)));
    orgs.truncate(settings.limit().unwrap_or(ORGS) as usize);
    Ok(orgs)
}

/// The layout of a countries or orgs answer: its rows, in an order every
/// replicate shares, and how each row's values are computed.
struct Table<'a> {
    spec: Spec,
    until: i32,
    scenarios: Vec<Option<&'a Scenario>>,
    /// The same over the panel's states.
    resolved: Vec<Option<scenario::Resolved>>,
    /// Countries in the order shown (the largest in the base year first).
    order: Vec<usize>,
    orgs: Option<&'a Vec<Org>>,
    /// The first observed year shown.
    history: i32,
}

/// The value columns of the countries view.
const COUNTRY_VALUES: [&str; 7] = [
    "researchers",
    "share",
    "foreign_share",
    "ai_works",
    "ai_share",
    "hc_works",
    "hc_share",
];
/// The value columns of the orgs view.
const ORG_VALUES: [&str; 3] = ["researchers", "top_origin_share", "hhi"];

/// One computed year: its cells and output per country.
struct Year<'a> {
    cells: &'a [f64],
    ai: &'a [f64],
    hc: &'a [f64],
}

/// A table's values: numbers in row order, and (for the point estimate)
/// each row's text column (`origins`, or `top_origin`).
#[derive(Default, Clone)]
struct Values {
    numbers: Vec<f64>,
    texts: Vec<String>,
}

impl<'a> Table<'a> {
    fn new(
        panel: &Panel,
        spec: &Spec,
        until: i32,
        options: &'a Options,
        orgs: Option<&'a Vec<Org>>,
    ) -> Table<'a> {
        let k = panel.states();
        let (base, _) = observe_base(panel, spec, None);
        let people = model::by_country(&base, k);
        let mut order: Vec<usize> = (0..k).collect();
        order.sort_by(|&a, &b| {
            people[b]
                .total_cmp(&people[a])
                .then(panel.countries[a].cmp(&panel.countries[b]))
        });
        let mut scenarios: Vec<Option<&Scenario>> = vec![None];
        scenarios.extend(options.scenarios.iter().map(Some));
        let resolved = scenarios
            .iter()
            .map(|s| s.map(|s| s.resolve(&panel.countries)))
            .collect();
        Table {
            spec: *spec,
            until,
            scenarios,
            resolved,
            order,
            orgs,
            history: (spec.base() - HISTORY)
                .max(spec.entry_from())
                .min(spec.base()),
        }
    }

    /// The (scenario, year) of each block of rows, in order.
    fn keys(&self) -> Vec<(String, i32)> {
        let base = self.spec.base();
        let first = if self.orgs.is_some() {
            base
        } else {
            self.history
        };
        let mut keys: Vec<(String, i32)> = (first..=base).map(|y| ("observed".into(), y)).collect();
        for s in &self.scenarios {
            let name = s.map_or("baseline", |s| s.name.as_str());
            keys.extend((base + 1..=self.until).map(|y| (name.to_string(), y)));
        }
        keys
    }

    /// Every row's values, in order, for researcher weights `w` (none: as
    /// observed, with the text columns).
    fn values(&self, panel: &Panel, w: Option<&[f64]>) -> Values {
        let k = panel.states();
        let base = self.spec.base();
        let obs = model::observe(panel, self.history, base, self.spec.entry_from(), w);
        let rates = model::fit(panel, &self.spec, w);
        let start = obs.at(base).expect("the base year is observed").to_vec();
        let staged = obs.staged[(base - self.history) as usize].clone();
        let texts = w.is_none();
        let mut out = Values::default();
        let emit = |y: Year<'_>, out: &mut Values| match self.orgs {
            None => country_values(y, k, &self.order, &panel.countries, texts, out),
            Some(orgs) => org_values(y.cells, &start, k, orgs, &panel.countries, texts, out),
        };
        let first = if self.orgs.is_some() {
            base
        } else {
            self.history
        };
        for year in first..=base {
            let i = (year - self.history) as usize;
            emit(
                Year {
                    cells: &obs.stock[i],
                    ai: &obs.ai[i],
                    hc: &obs.hc[i],
                },
                &mut out,
            );
        }
        for r in &self.resolved {
            let path: Years = model::project(&rates, &staged, self.until, r.as_ref());
            for i in 0..path.stock.len() {
                emit(
                    Year {
                        cells: &path.stock[i],
                        ai: &path.ai[i],
                        hc: &path.hc[i],
                    },
                    &mut out,
                );
            }
        }
        out
    }

    /// The answer: keys, values and their intervals, and the text column.
    fn batch(
        &self,
        panel: &Panel,
        point: &Values,
        replicates: Option<&[Values]>,
        level: Option<f64>,
    ) -> Result<RecordBatch> {
        let keys = self.keys();
        let (names, per_row, labels): (&[&str], usize, Vec<(String, String)>) = match self.orgs {
            None => (
                &COUNTRY_VALUES,
                COUNTRY_VALUES.len(),
                self.order
                    .iter()
                    .map(|&c| (panel.countries[c].clone(), String::new()))
                    .collect(),
            ),
            Some(orgs) => (
                &ORG_VALUES,
                ORG_VALUES.len(),
                orgs.iter()
                    .map(|o| (o.id.clone(), o.name.clone()))
                    .collect(),
            ),
        };
        let mut scenario = StringBuilder::new();
        let mut year = Int32Builder::new();
        let mut label = StringBuilder::new();
        let mut name = StringBuilder::new();
        let mut text = StringBuilder::new();
        let n_values = names.len() * if replicates.is_some() { 3 } else { 1 };
        let mut values: Vec<Float64Builder> =
            (0..n_values).map(|_| Float64Builder::new()).collect();
        let mut row = 0;
        for (s, y) in &keys {
            for (l, n) in &labels {
                scenario.append_value(s);
                year.append_value(*y);
                label.append_value(l);
                name.append_value(n);
                text.append_value(&point.texts[row]);
                for j in 0..names.len() {
                    let i = row * per_row + j;
                    values[j].append_option(finite(point.numbers[i]));
                    if let (Some(reps), Some(level)) = (replicates, level) {
                        let (lo, hi) = interval(reps, i, level);
                        values[names.len() + 2 * j].append_option(lo);
                        values[names.len() + 2 * j + 1].append_option(hi);
                    }
                }
                row += 1;
            }
        }
        let mut fields = vec![
            Field::new("scenario", DataType::Utf8, false),
            Field::new("year", DataType::Int32, false),
        ];
        let mut columns: Vec<ArrayRef> = vec![Arc::new(scenario.finish()), Arc::new(year.finish())];
        match self.orgs {
            None => {
                fields.push(Field::new("country", DataType::Utf8, false));
                columns.push(Arc::new(label.finish()));
            }
            Some(_) => {
                fields.push(Field::new("org", DataType::Utf8, false));
                fields.push(Field::new("name", DataType::Utf8, false));
                columns.push(Arc::new(label.finish()));
                columns.push(Arc::new(name.finish()));
            }
        }
        // The point's columns, the text column, then the intervals.
        for (j, n) in names.iter().enumerate() {
            fields.push(Field::new(*n, DataType::Float64, true));
            columns.push(Arc::new(values[j].finish()));
            if self.orgs.is_some() && j == 0 {
                fields.push(Field::new("top_origin", DataType::Utf8, false));
                columns.push(Arc::new(text.finish()));
            }
        }
        if self.orgs.is_none() {
            fields.push(Field::new("origins", DataType::Utf8, false));
            columns.push(Arc::new(text.finish()));
        }
        if replicates.is_some() {
            for (j, n) in names.iter().enumerate() {
                fields.push(Field::new(format!("{n}_lo"), DataType::Float64, true));
                columns.push(Arc::new(values[names.len() + 2 * j].finish()));
                fields.push(Field::new(format!("{n}_hi"), DataType::Float64, true));
                columns.push(Arc::new(values[names.len() + 2 * j + 1].finish()));
            }
        }
        Ok(RecordBatch::try_new(
            Arc::new(Schema::new(fields)),
            columns,
        )?)
    }

    fn notes(&self, panel: &Panel, options: &Options, settings: &Settings) -> Vec<String> {
        let spec = &self.spec;
        let mut notes = Vec::new();
        let (base, _) = observe_base(panel, spec, None);
        let present: f64 = base.iter().sum();
        notes.push(format!(
            "{present:.0} researchers present in the base year {} (from their first observed year to their last, in the country of the latest){}",
            spec.base(),
            if panel.countries.last().is_some_and(|c| c == model::OTHER) {
                format!("; countries beyond the {} largest pooled as `other`", model::MAX_STATES)
            } else {
                String::new()
            }
        ));
        if present < FEW {
            notes.push(format!(
                "few careers ({present:.0} researchers in the base year): wide intervals; read the interval (--ci), not the point"
            ));
        }
        notes.push(format!(
            "output: the researchers' AI works (a work counts once for each of its researchers in scope) and highly cited AI works; projected at each country's works per researcher-year over {}–{}",
            spec.base() - spec.window + 1,
            spec.base()
        ));
        notes.push(
            "origins: the three largest origins of the country's researchers, with their shares"
                .into(),
        );
        if self.orgs.is_some() {
            notes.push("organisations: lineage roots; each keeps its share in the base years (a mean of the three to the base) of each origin's researchers in each of its countries; hhi = Σ (share of each origin)²".into());
        }
        for s in &options.scenarios {
            let unknown = s.unknown_codes(&panel.countries);
            if !unknown.is_empty() {
                notes.push(format!(
                    "scenario `{}` names {}: not a state of the model (absent, or pooled into `other`), so those changes do nothing",
                    s.name,
                    unknown.join(", ")
                ));
            }
            notes.push(format!("scenario `{}`: {}", s.name, s.description));
        }
        if let Some(iv) = settings.intervals() {
            notes.push(format!(
                "{}% intervals: {} replicates; researchers resampled (Poisson weights, seed {}), rates refitted, every scenario projected again: they measure the sampling of careers, not the model's assumptions",
                iv.level, iv.replicates, iv.seed
            ));
        }
        notes
    }
}

/// The observed cells of the base year (weighted), and by stage.
fn observe_base(panel: &Panel, spec: &Spec, w: Option<&[f64]>) -> (Vec<f64>, Vec<f64>) {
    let base = spec.base();
    let o: Years = model::observe(panel, base, base, spec.entry_from(), w);
    (
        o.stock.into_iter().next().unwrap_or_default(),
        o.staged.into_iter().next().unwrap_or_default(),
    )
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { f64::NAN }
}

/// Per country in `order`: the [`COUNTRY_VALUES`] of a year, and with
/// `texts` its three largest origins.
fn country_values(
    y: Year<'_>,
    k: usize,
    order: &[usize],
    countries: &[String],
    texts: bool,
    out: &mut Values,
) {
    let people = model::by_country(y.cells, k);
    let total: f64 = people.iter().sum();
    let ai_total: f64 = y.ai.iter().sum();
    let hc_total: f64 = y.hc.iter().sum();
    for &c in order {
        let foreign: f64 = (0..k).filter(|&o| o != c).map(|o| y.cells[o * k + c]).sum();
        out.numbers.extend([
            people[c],
            ratio(people[c], total),
            ratio(foreign, people[c]),
            y.ai[c],
            ratio(y.ai[c], ai_total),
            y.hc[c],
            ratio(y.hc[c], hc_total),
        ]);
        if texts {
            let shares: Vec<f64> = (0..k)
                .map(|o| ratio(y.cells[o * k + c], people[c]))
                .collect();
            out.texts.push(top_shares(&shares, countries, 3));
        }
    }
}

/// `CN:0.41;US:0.30`: the `n` largest shares (above 0), largest first.
fn top_shares(shares: &[f64], countries: &[String], n: usize) -> String {
    let mut v: Vec<(usize, f64)> = shares
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, s)| s.is_finite() && *s > 0.0)
        .collect();
    v.sort_by(|a, b| {
        b.1.total_cmp(&a.1)
            .then(countries[a.0].cmp(&countries[b.0]))
    });
    v.iter()
        .take(n)
        .map(|(i, s)| format!("{}:{s:.2}", countries[*i]))
        .collect::<Vec<_>>()
        .join(";")
}

/// Per organisation: the [`ORG_VALUES`] of a year (its researchers by
/// origin: each (country, origin) cell of its base mix scaled as the
/// model's cell grows from `start`), and with `texts` its top origin.
fn org_values(
    cells: &[f64],
    start: &[f64],
    k: usize,
    orgs: &[Org],
    countries: &[String],
    texts: bool,
    out: &mut Values,
) {
    for org in orgs {
        let mut by_origin = vec![0.0; k];
        for &(c, o, n) in &org.cells {
            let before = start[o * k + c];
            let scale = if before > 0.0 {
                cells[o * k + c] / before
            } else {
                1.0
            };
            by_origin[o] += n * scale;
        }
        let total: f64 = by_origin.iter().sum();
        let top = by_origin.iter().cloned().fold(0.0, f64::max);
        let hhi = if total > 0.0 {
            by_origin.iter().map(|x| (x / total).powi(2)).sum()
        } else {
            f64::NAN
        };
        out.numbers.extend([total, ratio(top, total), hhi]);
        if texts {
            let shares: Vec<f64> = by_origin.iter().map(|x| ratio(*x, total)).collect();
            out.texts.push(
                top_shares(&shares, countries, 1)
                    .split(':')
                    .next()
                    .unwrap_or("")
                    .to_string(),
            );
        }
    }
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

mod backtest {
    //! The backtest: fit on the years up to `fit_to` (careers and scope as
    //! they were then), project past it, and compare with what the full
    //! data observed in the horizon's years, beside two baselines:
    //! persistence (the base year's stocks held) and constant rates (the
    //! base year's own rates, unpooled, entries held at the base year's).
    //!
    //! What is compared (a row each, per scenario): the researchers of the
    //! largest countries of the base year and their shares of all, their
    //! mean (`all`), and the cells the scenarios change (`origin XX`: the
    //! researchers of origin XX in the country a change moves them into).

    use super::*;
    use scenario::{Kind, Target};

    /// The value columns of a backtest row.
    const COLUMNS: [&str; 7] = [
        "model_mae",
        "model_mape",
        "persistence_mae",
        "persistence_mape",
        "constant_mae",
        "constant_mape",
        "coverage",
    ];

    fn key_fields() -> Vec<Field> {
        vec![
            Field::new("scenario", DataType::Utf8, false),
            Field::new("country", DataType::Utf8, false),
            Field::new("measure", DataType::Utf8, false),
            Field::new("years", DataType::Int64, false),
        ]
    }

    /// A backtest without rows (its columns).
    pub fn empty() -> RecordBatch {
        let mut fields = key_fields();
        fields.extend(
            COLUMNS
                .iter()
                .map(|n| Field::new(*n, DataType::Float64, true)),
        );
        RecordBatch::new_empty(Arc::new(Schema::new(fields)))
    }

    /// The answer and its notes.
    pub struct Answer {
        pub batch: RecordBatch,
        pub notes: Vec<String>,
    }

    /// One quantity compared: a country's researchers, its share, or one
    /// (origin, country) cell's researchers.
    #[derive(Debug, Clone, Copy)]
    enum Point {
        Researchers(usize),
        Share(usize),
        Cell { origin: usize, country: usize },
    }

    impl Point {
        fn value(self, cells: &[f64], people: &[f64], total: f64, k: usize) -> f64 {
            match self {
                Point::Researchers(c) => people[c],
                Point::Share(c) => ratio(people[c], total),
                Point::Cell { origin, country } => cells[origin * k + country],
            }
        }

        fn measure(self, countries: &[String]) -> String {
            match self {
                Point::Researchers(_) => "researchers".into(),
                Point::Share(_) => "share".into(),
                Point::Cell { origin, .. } => format!("origin {}", countries[origin]),
            }
        }

        fn country(self) -> usize {
            match self {
                Point::Researchers(c) | Point::Share(c) => c,
                Point::Cell { country, .. } => country,
            }
        }
    }

    /// Per year, the value of each point.
    fn values(years: &[Vec<f64>], k: usize, points: &[Point]) -> Vec<Vec<f64>> {
        years
            .iter()
            .map(|cells| {
                let people = model::by_country(cells, k);
                let total: f64 = people.iter().sum();
                points
                    .iter()
                    .map(|p| p.value(cells, &people, total, k))
                    .collect()
            })
            .collect()
    }

    /// Mean absolute error and mean absolute percentage error (in percent,
    /// over the years observed above 0) of `p` against `o` at point `j`.
    fn errors(p: &[Vec<f64>], o: &[Vec<f64>], j: usize) -> (f64, f64) {
        let n = o.len() as f64;
        let mae = p
            .iter()
            .zip(o)
            .map(|(p, o)| (p[j] - o[j]).abs())
            .sum::<f64>()
            / n;
        let pct: Vec<f64> = p
            .iter()
            .zip(o)
            .filter(|(_, o)| o[j] > 0.0)
            .map(|(p, o)| 100.0 * (p[j] - o[j]).abs() / o[j])
            .collect();
        let mape = if pct.is_empty() {
            f64::NAN
        } else {
            pct.iter().sum::<f64>() / pct.len() as f64
        };
        (mae, mape)
    }

    /// The (origin, country) cells the scenarios' moves change, as states.
    fn changed_cells(scenarios: &[Scenario], panel: &Panel) -> Vec<Point> {
        let mut out: Vec<Point> = Vec::new();
        for s in scenarios {
            for ch in &s.changes {
                if let (Kind::Moves { to: Target::Country(to), .. }, Some(origin)) =
                    (&ch.kind, &ch.origin)
                    && let (Some(country), Some(origin)) = (panel.state(to), panel.state(origin))
                    && !out.iter().any(|p| {
                        matches!(p, Point::Cell { origin: o, country: c } if *o == origin && *c == country)
                    })
                {
                    out.push(Point::Cell { origin, country });
                }
            }
        }
        out
    }

    /// The backtest of `spec` over `horizon` years: the model under each
    /// scenario of `options` (the baseline first).
    pub fn run(
        fit_panel: &Panel,
        obs_panel: &Panel,
        spec: &Spec,
        horizon: i32,
        options: &Options,
        settings: &Settings,
    ) -> Result<Answer> {
        let k = obs_panel.states();
        let (t, base) = (spec.fit_to, spec.base());
        let until = t + horizon;
        let truth = model::observe(obs_panel, t + 1, until, spec.entry_from(), None);
        let (start, _) = observe_base(fit_panel, spec, None);
        let people = model::by_country(&start, k);
        let mut listed: Vec<usize> = (0..k)
            .filter(|&c| obs_panel.countries[c] != model::OTHER && people[c] > 0.0)
            .collect();
        listed.sort_by(|&a, &b| people[b].total_cmp(&people[a]).then(a.cmp(&b)));
        listed.truncate(settings.limit().unwrap_or(BACKTEST_COUNTRIES) as usize);
        // The points, in the order of the rows: each listed country's
        // researchers, then shares, then the changed cells; `all` rows
        // follow the first two groups.
        let mut points: Vec<Point> = listed.iter().map(|&c| Point::Researchers(c)).collect();
        points.extend(listed.iter().map(|&c| Point::Share(c)));
        let cells = changed_cells(options.scenarios(), obs_panel);
        points.extend(cells.iter().copied());
        let n_listed = listed.len();
        let obs = values(&truth.stock, k, &points);
        // The horizon's years of a path (it starts after the base).
        let project = |spec: &Spec, w: Option<&[f64]>, s: Option<&scenario::Resolved>| {
            let rates = model::fit(fit_panel, spec, w);
            let (_, staged) = observe_base(fit_panel, spec, w);
            let path = model::project(&rates, &staged, until, s);
            let years: Vec<Vec<f64>> = (t + 1..=until)
                .map(|y| path.at(y).expect("projected to the horizon").to_vec())
                .collect();
            values(&years, k, &points)
        };
        let persistence = values(&vec![start.clone(); horizon as usize], k, &points);
        let constant = project(&spec.constant(), None, None);
        let mut scenarios: Vec<Option<&Scenario>> = vec![None];
        scenarios.extend(options.scenarios().iter().map(Some));
        let resolved: Vec<Option<scenario::Resolved>> = scenarios
            .iter()
            .map(|s| s.map(|s| s.resolve(&fit_panel.countries)))
            .collect();
        let models: Vec<Vec<Vec<f64>>> = resolved
            .iter()
            .map(|s| project(spec, None, s.as_ref()))
            .collect();
        // Coverage: the share of the horizon's points inside the model's
        // interval.
        let level = settings.intervals().map(|iv| iv.level);
        let reps: Option<Vec<Vec<Vec<Vec<f64>>>>> = super::replicate(fit_panel, settings, |w| {
            resolved
                .iter()
                .map(|s| project(spec, Some(w), s.as_ref()))
                .collect::<Vec<_>>()
        });
        let covered = |si: usize, js: &[usize]| -> Option<f64> {
            let (reps, level) = (reps.as_ref()?, level?);
            let (mut inside, mut n) = (0usize, 0usize);
            for (y, o) in obs.iter().enumerate() {
                for &j in js {
                    if let (Some(lo), Some(hi)) = bounds(reps.iter().map(|r| r[si][y][j]), level) {
                        n += 1;
                        inside += usize::from((lo..=hi).contains(&o[j]));
                    }
                }
            }
            (n > 0).then(|| inside as f64 / n as f64)
        };

        let mut scenario_b = StringBuilder::new();
        let mut country_b = StringBuilder::new();
        let mut measure_b = StringBuilder::new();
        let mut years_b = Int64Builder::new();
        let mut columns_b: Vec<Float64Builder> =
            COLUMNS.iter().map(|_| Float64Builder::new()).collect();
        let mut push =
            |name: &str, country: &str, measure: &str, row: [f64; 6], coverage: Option<f64>| {
                scenario_b.append_value(name);
                country_b.append_value(country);
                measure_b.append_value(measure);
                years_b.append_value(i64::from(horizon));
                for (b, v) in columns_b.iter_mut().zip(row) {
                    b.append_option(finite(v));
                }
                columns_b[6].append_option(coverage);
            };
        for (si, s) in scenarios.iter().enumerate() {
            let name = s.map_or("baseline", |s| s.name.as_str());
            let row = |j: usize| {
                let (mm, mp) = errors(&models[si], &obs, j);
                let (pm, pp) = errors(&persistence, &obs, j);
                let (cm, cp) = errors(&constant, &obs, j);
                [mm, mp, pm, pp, cm, cp]
            };
            let groups: [(usize, usize); 2] = [(0, n_listed), (n_listed, 2 * n_listed)];
            for (from, to) in groups {
                let mut sums = [0.0f64; 6];
                let mut counts = [0usize; 6];
                for (j, p) in points.iter().enumerate().take(to).skip(from) {
                    let r = row(j);
                    for (i, v) in r.iter().enumerate() {
                        if v.is_finite() {
                            sums[i] += v;
                            counts[i] += 1;
                        }
                    }
                    push(
                        name,
                        &obs_panel.countries[p.country()],
                        &p.measure(&obs_panel.countries),
                        r,
                        covered(si, &[j]),
                    );
                }
                if to > from {
                    let mean: Vec<f64> = (0..6)
                        .map(|i| {
                            if counts[i] > 0 {
                                sums[i] / counts[i] as f64
                            } else {
                                f64::NAN
                            }
                        })
                        .collect();
                    let js: Vec<usize> = (from..to).collect();
                    push(
                        name,
                        "all",
                        &points[from].measure(&obs_panel.countries),
                        [mean[0], mean[1], mean[2], mean[3], mean[4], mean[5]],
                        covered(si, &js),
                    );
                }
            }
            for (j, p) in points.iter().enumerate().skip(2 * n_listed) {
                push(
                    name,
                    &obs_panel.countries[p.country()],
                    &p.measure(&obs_panel.countries),
                    row(j),
                    covered(si, &[j]),
                );
            }
        }
        let mut fields = key_fields();
        let mut columns: Vec<ArrayRef> = vec![
            Arc::new(scenario_b.finish()),
            Arc::new(country_b.finish()),
            Arc::new(measure_b.finish()),
            Arc::new(years_b.finish()),
        ];
        for (n, mut b) in COLUMNS.iter().zip(columns_b) {
            fields.push(Field::new(*n, DataType::Float64, true));
            columns.push(Arc::new(b.finish()));
        }
        let batch = RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)?;
        let present: f64 = start.iter().sum();
        let mut notes = vec![format!(
            "backtest: fitted on {}–{t} (careers and scope as of {t}), base year {base}, projected to {until}; compared with the stocks the data observed in {}–{until}, for the {n_listed} largest countries of the base year (`all`: their mean){}; mape in percent",
            spec.first_year,
            t + 1,
            if cells.is_empty() {
                ""
            } else {
                " and the cells the scenarios change (`origin XX`: researchers of that origin in the country)"
            }
        )];
        notes.push("baselines: persistence (the base year's stocks held); constant rates (the base year's own rates, unpooled, and entries held at the base year's)".into());
        if level.is_none() {
            notes.push("coverage: add --ci LEVEL for the share of observed points inside the model's intervals".into());
        }
        if present < FEW {
            notes.push(format!(
                "few careers ({present:.0} researchers in the base year): the errors and intervals are wide"
            ));
        }
        Ok(Answer { batch, notes })
    }
}
