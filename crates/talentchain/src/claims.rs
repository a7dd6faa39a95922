//! Published claims as reproducible verdicts (`talentchain claims`).
//!
//! A claim is data (a TOML file; `claims/seed.toml` ships the ones this
//! field argues about): the statement as published, its source and figure,
//! and one or more *checks*, each a reading of the statement as a number
//! computed from one metric's rows and a test of that number:
//!
//! ```toml
//! [[claim]]
//! id = "cn-half-of-papers"
//! statement = "China produces about half of the world's AI papers."
//! source = "…"
//! published = "about 50%"
//!
//! [[claim.check]]
//! reading = "fractional share of AI papers, 2020–2024"
//! metric = "countries_total"
//! settings = { from = 2020, to = 2024 }
//! quantity = { column = "share_fractional", row = { country = "CN" } }
//! test = { about = 0.5, within = 0.05 }
//! ```
//!
//! Nothing here defines a metric: each check runs its metric as the CLI
//! and the API do ([`metrics::run_replicated`]) and reads its rows. A
//! quantity is one of
//! - a row's value (`row`), less another row's (`minus`) or over it
//!   (`over`); a row the metric does not list reads as `absent` when given
//!   (`absent = 0` for a country without output), else is not computable;
//! - `max`, `min`, `sum` or `count` of the column over the rows that match
//!   `where` and `at_least`, optionally only the `first` N by `by` (rows
//!   where the column is null are left out);
//! - `outside_top = N`: how many of the N rows with the most `column` are
//!   not among the N with the most `against`.
//!
//! A text column such as `lab_countries` (`US:120;GB:40`) is read as its
//! number of entries. Rows are matched by their text (`year = 2021` matches
//! `2021`); a list matches any of its values.
//!
//! A verdict, from the point estimate and the interval (when `--ci` is on
//! and the metric has intervals; else the point stands for both):
//! *supported* when the whole interval passes the test, *contradicted* when
//! none of it does, *inconclusive* when the interval straddles the line,
//! *not computable* when the dataset cannot give the number (the reason
//! names what is missing). The interval of a quantity is taken over the
//! quantity's own replicates (a difference's interval is not made of the
//! two rows' intervals). The same check then runs under every definition of
//! the sensitivity grid ([`crate::sensitivity::Grid`]): AI profile ×
//! counting (a column with a fractional twin, [`metrics::counted`]) ×
//! highly-cited share, point estimates only, and says under how many the
//! test passes.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, Float64Builder, Int64Builder, StringBuilder};
use arrow::datatypes::{DataType, Field, Float64Type, Schema, SchemaRef};
use arrow::record_batch::RecordBatch;
use datafusion::prelude::SessionContext;
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::metrics::intervals::{self, REPLICATE};
use crate::metrics::{self, Metric, MetricResult};
use crate::sensitivity::Grid;
use crate::settings::{Counting, Settings};

/// The claims shipped with talentchain (`claims/seed.toml`).
pub const SEED: &str = include_str!("../../../claims/seed.toml");

/// A file of claims.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claims {
    /// The claims, in order.
    #[serde(rename = "claim")]
    pub claims: Vec<Claim>,
}

/// A claim as published, and how it is checked.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    /// A short name (`cn-half-of-papers`).
    pub id: String,
    /// The statement as published.
    pub statement: String,
    /// Who published it, where.
    pub source: String,
    /// The published figure.
    pub published: String,
    /// Its readings as numbers; the claim holds when all do.
    #[serde(rename = "check")]
    pub checks: Vec<Check>,
}

/// One reading of a claim: a quantity of a metric's rows, and its test.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    /// What this check reads the statement as.
    pub reading: String,
    /// The metric, by name (`countries_total`, `talent_mismatch`, …).
    pub metric: String,
    /// Settings of the metric, as the API takes them (`from`, `top`, …).
    #[serde(default)]
    pub settings: BTreeMap<String, toml::Value>,
    /// The number compared.
    pub quantity: Quantity,
    /// The comparison.
    pub test: Test,
    /// Whether the check also runs over the sensitivity grid (default true).
    #[serde(default = "yes")]
    pub grid: bool,
}

fn yes() -> bool {
    true
}

/// Rows by the text of their columns: a value, or a list of values any of
/// which matches.
pub type Filter = BTreeMap<String, Match>;

/// A column's value, or any of several.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Match {
    /// Any of these (first: a list is also one `toml::Value`).
    Any(Vec<toml::Value>),
    /// One value.
    One(toml::Value),
}

/// A number from a metric's rows (see the module's documentation).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quantity {
    /// The column read.
    pub column: String,
    /// The row whose value is read.
    pub row: Option<Filter>,
    /// Less this row's value.
    pub minus: Option<Filter>,
    /// Divided by this row's value.
    pub over: Option<Filter>,
    /// The value of a row the metric does not list (`0` for a country
    /// without output); without it, an absent row is not computable.
    pub absent: Option<f64>,
    /// `max`, `min`, `sum` or `count` over the rows that match.
    pub aggregate: Option<Aggregate>,
    /// The rows an aggregate reads (all when absent).
    #[serde(rename = "where")]
    pub filter: Option<Filter>,
    /// And only those with at least these values.
    #[serde(default)]
    pub at_least: BTreeMap<String, f64>,
    /// And only the first N of them by `by` (descending).
    pub first: Option<usize>,
    /// The column `first` ranks by.
    pub by: Option<String>,
    /// How many of the N rows with the most `column` are not among the N
    /// with the most `against`.
    pub outside_top: Option<usize>,
    /// The column `outside_top` compares with.
    pub against: Option<String>,
}

/// An aggregate over rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Aggregate {
    /// The largest value.
    Max,
    /// The smallest value.
    Min,
    /// The sum.
    Sum,
    /// The number of rows.
    Count,
}

/// The comparison of a quantity (exactly one of its forms).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Test {
    /// Strictly above.
    pub above: Option<f64>,
    /// Strictly below.
    pub below: Option<f64>,
    /// About this value, `within` either side.
    pub about: Option<f64>,
    /// The tolerance of `about`.
    pub within: Option<f64>,
    /// In this closed range.
    pub between: Option<[f64; 2]>,
    /// Exactly this value.
    pub equals: Option<f64>,
}

/// A test as a line: above, below, or within a closed range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Line {
    /// Strictly above.
    Above(f64),
    /// Strictly below.
    Below(f64),
    /// In `[lo, hi]`.
    Within(f64, f64),
}

impl Test {
    /// The test's line, checked: exactly one form, a tolerance only with
    /// `about`, a range in order.
    pub fn line(&self) -> std::result::Result<Line, String> {
        let forms = [
            self.above.is_some(),
            self.below.is_some(),
            self.about.is_some(),
            self.between.is_some(),
            self.equals.is_some(),
        ];
        if forms.iter().filter(|f| **f).count() != 1 {
            return Err(
                "give exactly one of above, below, about (with within), between, equals".into(),
            );
        }
        if self.within.is_some() != self.about.is_some() {
            return Err(
                "`about` needs `within` (the tolerance), and `within` goes with `about`".into(),
            );
        }
        Ok(if let Some(x) = self.above {
            Line::Above(x)
        } else if let Some(x) = self.below {
            Line::Below(x)
        } else if let (Some(x), Some(t)) = (self.about, self.within) {
            if t < 0.0 {
                return Err(format!("`within` {t} is negative"));
            }
            Line::Within(x - t, x + t)
        } else if let Some([a, b]) = self.between {
            if a > b {
                return Err(format!("`between` [{a}, {b}] is not in order"));
            }
            Line::Within(a, b)
        } else {
            let x = self.equals.unwrap_or_default();
            Line::Within(x, x)
        })
    }
}

impl fmt::Display for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Line::Above(x) => write!(f, "> {x}"),
            Line::Below(x) => write!(f, "< {x}"),
            Line::Within(a, b) if a == b => write!(f, "= {a}"),
            Line::Within(a, b) => write!(f, "in [{a}, {b}]"),
        }
    }
}

/// A verdict on a check or a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    /// The whole interval passes the test.
    Supported,
    /// None of the interval passes the test.
    Contradicted,
    /// The interval straddles the test's line.
    Inconclusive,
    /// The dataset cannot give the number.
    NotComputable,
}

impl Verdict {
    /// Its name in the output.
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Supported => "supported",
            Verdict::Contradicted => "contradicted",
            Verdict::Inconclusive => "inconclusive",
            Verdict::NotComputable => "not computable",
        }
    }

    /// The verdict of `line` on the interval `[lo, hi]` (a point: lo = hi).
    pub fn of(line: Line, lo: f64, hi: f64) -> Verdict {
        let (pass_all, pass_none) = match line {
            Line::Above(x) => (lo > x, hi <= x),
            Line::Below(x) => (hi < x, lo >= x),
            Line::Within(a, b) => (a <= lo && hi <= b, hi < a || lo > b),
        };
        if pass_all {
            Verdict::Supported
        } else if pass_none {
            Verdict::Contradicted
        } else {
            Verdict::Inconclusive
        }
    }

    /// A claim's verdict from its checks': contradicted if any is,
    /// inconclusive if any is (and none contradicted), supported if every
    /// computable check is and at least one is, else not computable.
    pub fn combine(verdicts: &[Verdict]) -> Verdict {
        for v in [
            Verdict::Contradicted,
            Verdict::Inconclusive,
            Verdict::Supported,
        ] {
            if verdicts.contains(&v) {
                return v;
            }
        }
        Verdict::NotComputable
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Claims {
    /// Claims from TOML text, every check checked (`origin` names the text
    /// in errors): a known metric, settings the metric accepts, one form of
    /// quantity, one form of test.
    pub fn parse(text: &str, origin: &str) -> Result<Claims> {
        let claims: Claims = toml::from_str(text)
            .map_err(|e| Error::input("claims", format!("{origin}: {e}"), accepted()))?;
        if claims.claims.is_empty() {
            return Err(Error::input(
                "claims",
                format!("{origin} has no [[claim]]"),
                accepted(),
            ));
        }
        let mut ids = std::collections::HashSet::new();
        for c in &claims.claims {
            let at = |i: usize, m: String| {
                Error::input(
                    "claims",
                    format!("{origin}: claim `{}`, check {}: {m}", c.id, i + 1),
                    accepted(),
                )
            };
            if !ids.insert(&c.id) {
                return Err(Error::input(
                    "claims",
                    format!("{origin}: two claims are named `{}`", c.id),
                    accepted(),
                ));
            }
            if c.checks.is_empty() {
                return Err(Error::input(
                    "claims",
                    format!("{origin}: claim `{}` has no [[claim.check]]", c.id),
                    accepted(),
                ));
            }
            for (i, k) in c.checks.iter().enumerate() {
                k.metric().map_err(|m| at(i, m))?;
                k.quantity.form().map_err(|m| at(i, m))?;
                k.test.line().map_err(|m| at(i, m))?;
                let mut s = Settings::new(
                    crate::profile::Profile::builtin("concepts")
                        .map_err(|e| Error::Internal(e.to_string().into()))?,
                );
                k.apply(&mut s).map_err(|e| at(i, e.to_string()))?;
            }
        }
        Ok(claims)
    }

    /// The claims shipped with talentchain.
    pub fn seed() -> Claims {
        Claims::parse(SEED, "claims/seed.toml").expect("the seed claims parse")
    }
}

fn accepted() -> Vec<String> {
    vec!["a claims TOML file: [[claim]] with id, statement, source, published and [[claim.check]]s (see claims/seed.toml)".into()]
}

/// The text of a TOML value as a setting or a match takes it.
fn text(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => f.to_string(),
        toml::Value::Boolean(b) => b.to_string(),
        other => format!("{other:?}"),
    }
}

impl Check {
    fn metric(&self) -> std::result::Result<Metric, String> {
        Metric::from_name(&self.metric).ok_or_else(|| {
            format!(
                "unknown metric `{}`: use one of {}",
                self.metric,
                Metric::ALL.map(Metric::name).join(", ")
            )
        })
    }

    /// Its settings on top of `s`: a check that sets `from` or `to` sets
    /// the whole year range (the end it leaves out is open).
    fn apply(&self, s: &mut Settings) -> Result<()> {
        if self.settings.contains_key("from") || self.settings.contains_key("to") {
            s.set_years(None, None)?;
        }
        for (name, value) in &self.settings {
            if matches!(
                name.as_str(),
                "ci" | "replicates" | "seed" | "resample" | "limit"
            ) {
                return Err(Error::input(
                    name.as_str(),
                    format!(
                        "`{name}` is set for all claims at once (`claims --ci`), not in a check"
                    ),
                    vec![],
                ));
            }
            s.set(name, &text(value))?;
        }
        Ok(())
    }
}

/// The forms of a quantity.
enum Form<'a> {
    Row(&'a Filter),
    Aggregate(Aggregate),
    OutsideTop(usize, &'a str),
}

impl Quantity {
    fn form(&self) -> std::result::Result<Form<'_>, String> {
        let forms = [
            self.row.is_some(),
            self.aggregate.is_some(),
            self.outside_top.is_some(),
        ];
        if forms.iter().filter(|f| **f).count() != 1 {
            return Err(
                "the quantity needs exactly one of `row`, `aggregate`, `outside_top`".into(),
            );
        }
        if self.row.is_none() && (self.minus.is_some() || self.over.is_some()) {
            return Err("`minus` and `over` go with `row`".into());
        }
        if self.minus.is_some() && self.over.is_some() {
            return Err("give `minus` or `over`, not both".into());
        }
        if self.aggregate.is_none()
            && (self.filter.is_some() || !self.at_least.is_empty() || self.first.is_some())
        {
            return Err("`where`, `at_least` and `first` go with `aggregate`".into());
        }
        if self.first.is_some() != self.by.is_some() {
            return Err(
                "`first` needs `by` (the column it ranks by), and `by` goes with `first`".into(),
            );
        }
        if self.outside_top.is_some() != self.against.is_some() {
            return Err("`outside_top` needs `against` (the other column)".into());
        }
        Ok(if let Some(r) = &self.row {
            Form::Row(r)
        } else if let Some(a) = self.aggregate {
            Form::Aggregate(a)
        } else {
            Form::OutsideTop(
                self.outside_top.unwrap_or_default(),
                self.against.as_deref().unwrap_or_default(),
            )
        })
    }

    /// The columns it reads.
    fn columns(&self) -> [Option<&str>; 3] {
        [
            Some(self.column.as_str()),
            self.by.as_deref(),
            self.against.as_deref(),
        ]
    }

    /// This quantity with its columns under `counting` (their twins of
    /// [`metrics::counted`] that `schema` has), or `None` when no column has
    /// one: the counting does not change it.
    fn counted(&self, counting: Counting, schema: &Schema) -> Option<Quantity> {
        let mut q = self.clone();
        let mut any = false;
        for c in [Some(&mut q.column), q.by.as_mut(), q.against.as_mut()]
            .into_iter()
            .flatten()
        {
            if let Some(t) = metrics::counted(c, counting)
                && schema.field_with_name(t).is_ok()
            {
                any = true;
                *c = t.to_string();
            }
        }
        any.then_some(q)
    }

    /// The quantity on `rows` of `batch`, or why there is none.
    pub fn eval(&self, batch: &RecordBatch, rows: &[usize]) -> std::result::Result<f64, String> {
        let t = Rows { batch, rows };
        match self.form()? {
            Form::Row(r) => {
                let at = |f: &Filter| match (t.one(f)?, self.absent) {
                    (Some(i), _) => t.value(&self.column, i),
                    (None, Some(v)) => Ok(v),
                    (None, None) => Err(format!("no row {}", show(f))),
                };
                let x = at(r)?;
                if let Some(m) = &self.minus {
                    Ok(x - at(m)?)
                } else if let Some(o) = &self.over {
                    let y = at(o)?;
                    if y == 0.0 {
                        return Err(format!("{} is 0 in the row {}", self.column, show(o)));
                    }
                    Ok(x / y)
                } else {
                    Ok(x)
                }
            }
            Form::Aggregate(a) => {
                let mut keep: Vec<usize> = Vec::new();
                for &i in rows {
                    if let Some(f) = &self.filter
                        && !t.matches(f, i)?
                    {
                        continue;
                    }
                    let mut ok = true;
                    for (c, min) in &self.at_least {
                        ok &= t.value(c, i).is_ok_and(|v| v >= *min);
                    }
                    if ok {
                        keep.push(i);
                    }
                }
                if let (Some(n), Some(by)) = (self.first, &self.by) {
                    keep = t.top(&keep, by, n)?;
                }
                if a == Aggregate::Count {
                    return Ok(keep.len() as f64);
                }
                // Rows without a value (null) are left out.
                t.column(&self.column)?;
                let values: Vec<f64> = keep
                    .iter()
                    .filter_map(|&i| t.value(&self.column, i).ok())
                    .collect();
                if values.is_empty() {
                    return Err(format!(
                        "no row matches{}",
                        self.filter
                            .as_ref()
                            .map(|f| format!(" {}", show(f)))
                            .unwrap_or_default()
                    ));
                }
                Ok(match a {
                    Aggregate::Max => values.iter().copied().fold(f64::MIN, f64::max),
                    Aggregate::Min => values.iter().copied().fold(f64::MAX, f64::min),
                    _ => values.iter().sum(),
                })
            }
            Form::OutsideTop(n, against) => {
                let a = t.top(rows, &self.column, n)?;
                let b = t.top(rows, against, n)?;
                if a.len() < n {
                    return Err(format!("fewer than {n} rows"));
                }
                Ok(a.iter().filter(|i| !b.contains(i)).count() as f64)
            }
        }
    }

    /// What it reads, in words.
    pub fn describe(&self) -> String {
        let mut s = match (&self.row, self.aggregate, self.outside_top) {
            (Some(r), ..) => format!("{} of {}", self.column, show(r)),
            (_, Some(a), _) => format!("{a:?} of {}", self.column).to_lowercase(),
            (_, _, Some(n)) => format!(
                "of the {n} rows with the most {}, those not among the {n} with the most {}",
                self.column,
                self.against.as_deref().unwrap_or_default()
            ),
            _ => String::new(),
        };
        if let Some(m) = &self.minus {
            s += &format!(" minus that of {}", show(m));
        }
        if let Some(o) = &self.over {
            s += &format!(" over that of {}", show(o));
        }
        if let Some(f) = &self.filter {
            s += &format!(" over rows {}", show(f));
        }
        for (c, v) in &self.at_least {
            s += &format!(" with {c} ≥ {v}");
        }
        if let (Some(n), Some(by)) = (self.first, &self.by) {
            s += &format!(", the first {n} by {by}");
        }
        s
    }
}

/// `country = CN, year = 2021`.
fn show(f: &Filter) -> String {
    f.iter()
        .map(|(k, m)| match m {
            Match::One(v) => format!("{k} = {}", text(v)),
            Match::Any(vs) => format!(
                "{k} in {}",
                vs.iter().map(text).collect::<Vec<_>>().join("|")
            ),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Some rows of a batch.
struct Rows<'a> {
    batch: &'a RecordBatch,
    rows: &'a [usize],
}

impl Rows<'_> {
    fn column(&self, name: &str) -> std::result::Result<&ArrayRef, String> {
        self.batch.column_by_name(name).ok_or_else(|| {
            let names: Vec<String> = self
                .batch
                .schema()
                .fields()
                .iter()
                .map(|f| f.name().clone())
                .filter(|n| n != REPLICATE)
                .collect();
            format!("no column `{name}` (the metric has {})", names.join(", "))
        })
    }

    fn text(&self, name: &str, i: usize) -> std::result::Result<Option<String>, String> {
        let c = self.column(name)?;
        if c.is_null(i) {
            return Ok(None);
        }
        let one = c.slice(i, 1);
        let s = arrow::compute::cast(&one, &DataType::Utf8).map_err(|e| e.to_string())?;
        Ok(Some(s.as_string::<i32>().value(0).to_string()))
    }

    /// The number in column `name` of row `i`: a text column's number of
    /// `;`-separated entries.
    fn value(&self, name: &str, i: usize) -> std::result::Result<f64, String> {
        let c = self.column(name)?;
        if c.is_null(i) {
            return Err(format!("{name} is null in that row"));
        }
        match c.data_type() {
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
                let t = self.text(name, i)?.unwrap_or_default();
                Ok(t.split(';').filter(|e| !e.is_empty()).count() as f64)
            }
            _ => {
                let one = c.slice(i, 1);
                let v =
                    arrow::compute::cast(&one, &DataType::Float64).map_err(|e| e.to_string())?;
                let v = v.as_primitive::<Float64Type>().value(0);
                if v.is_finite() {
                    Ok(v)
                } else {
                    Err(format!("{name} is not a finite number in that row"))
                }
            }
        }
    }

    fn matches(&self, f: &Filter, i: usize) -> std::result::Result<bool, String> {
        for (k, m) in f {
            let Some(t) = self.text(k, i)? else {
                return Ok(false);
            };
            let ok = match m {
                Match::One(v) => text(v) == t,
                Match::Any(vs) => vs.iter().any(|v| text(v) == t),
            };
            if !ok {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The one row that matches `f`, if any.
    fn one(&self, f: &Filter) -> std::result::Result<Option<usize>, String> {
        let mut found = None;
        for &i in self.rows {
            if self.matches(f, i)? {
                if found.is_some() {
                    return Err(format!("several rows match {}", show(f)));
                }
                found = Some(i);
            }
        }
        Ok(found)
    }

    /// The `n` of `rows` with the most `name` (nulls last; ties by order).
    fn top(&self, rows: &[usize], name: &str, n: usize) -> std::result::Result<Vec<usize>, String> {
        let mut v: Vec<(f64, usize)> = rows
            .iter()
            .map(|&i| Ok((self.value(name, i).unwrap_or(f64::NEG_INFINITY), i)))
            .collect::<std::result::Result<_, String>>()?;
        self.column(name)?;
        v.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        Ok(v.into_iter().take(n).map(|(_, i)| i).collect())
    }
}

/// A check's outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The verdict.
    pub verdict: Verdict,
    /// The quantity as observed.
    pub point: Option<f64>,
    /// Its interval, when intervals are on and the metric has them.
    pub interval: Option<(f64, f64)>,
    /// Why there is no number, or why no interval.
    pub reason: Option<String>,
    /// Over the sensitivity grid: definitions with each verdict.
    pub grid: BTreeMap<Verdict, usize>,
}

/// Metric runs already made, by metric and settings.
pub(crate) type Cache = HashMap<String, Arc<(MetricResult, Option<intervals::Replicated>)>>;

async fn rows_of(
    ctx: &SessionContext,
    metric: Metric,
    s: &Settings,
    cache: &mut Cache,
) -> Result<Arc<(MetricResult, Option<intervals::Replicated>)>> {
    let key = format!("{}|{s:?}", metric.name());
    if let Some(r) = cache.get(&key) {
        return Ok(r.clone());
    }
    let r = Arc::new(metrics::run_replicated(ctx, metric, s).await?);
    cache.insert(key, r.clone());
    Ok(r)
}

/// The quantity on every row of a metric's result.
fn on_result(q: &Quantity, r: &MetricResult) -> std::result::Result<f64, String> {
    let schema = r.schema.clone();
    let batch = arrow::compute::concat_batches(&schema, &r.batches).map_err(|e| e.to_string())?;
    let rows: Vec<usize> = (0..batch.num_rows()).collect();
    if rows.is_empty() {
        return Err("the metric has no rows for these settings".into());
    }
    q.eval(&batch, &rows)
}

/// The quantity's interval over the replicates.
fn interval(q: &Quantity, r: &intervals::Replicated, level: f64) -> Option<(f64, f64)> {
    let b = &r.replicates;
    let rep = b.column_by_name(REPLICATE)?;
    let rep = arrow::compute::cast(rep, &DataType::Int64).ok()?;
    let rep = rep.as_primitive::<arrow::datatypes::Int64Type>();
    let mut by: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    for i in 0..rep.len() {
        by.entry(rep.value(i)).or_default().push(i);
    }
    let mut v: Vec<f64> = by
        .values()
        .filter_map(|rows| q.eval(b, rows).ok())
        .collect();
    v.sort_unstable_by(f64::total_cmp);
    let (lo, hi) = ((1.0 - level / 100.0) / 2.0, (1.0 + level / 100.0) / 2.0);
    Some((intervals::quantile(&v, lo)?, intervals::quantile(&v, hi)?))
}

/// Check `check` in `ctx` on top of `base` (its year range, profile and
/// intervals, unless the check sets them), and over `grid` when given.
pub(crate) async fn evaluate(
    ctx: &SessionContext,
    base: &Settings,
    check: &Check,
    grid: Option<&Grid>,
    cache: &mut Cache,
) -> Result<Outcome> {
    let metric = check
        .metric()
        .map_err(|m| Error::input("claims", m, accepted()))?;
    let line = check
        .test
        .line()
        .map_err(|m| Error::input("claims", m, accepted()))?;
    let mut s = base.clone();
    let mut out = Outcome {
        verdict: Verdict::NotComputable,
        point: None,
        interval: None,
        reason: None,
        grid: BTreeMap::new(),
    };
    if let Err(e) = check.apply(&mut s) {
        out.reason = Some(format!("settings: {e}"));
        return Ok(out);
    }
    let run = match rows_of(ctx, metric, &s, cache).await {
        Ok(r) => r,
        Err(e) if e.kind() == crate::error::Kind::Internal => return Err(e),
        Err(e) => {
            out.reason = Some(format!("{}: {e}", metric.name()));
            return Ok(out);
        }
    };
    let point = match on_result(&check.quantity, &run.0) {
        Ok(v) => v,
        Err(why) => {
            out.reason = Some(format!("{}: {why}", metric.name()));
            return Ok(out);
        }
    };
    out.point = Some(point);
    if let Some(iv) = s.intervals() {
        match &run.1 {
            Some(r) => out.interval = interval(&check.quantity, r, iv.level),
            None => out.reason = Some(format!("no interval: {} has none", metric.name())),
        }
    }
    let (lo, hi) = out.interval.unwrap_or((point, point));
    out.verdict = Verdict::of(line, lo, hi);

    if let (Some(grid), true) = (grid, check.grid) {
        let grid = grid.clone().with_reference(&s);
        // A metric that reads no highly-cited flag is the same under every
        // threshold: one run stands for all.
        let tops = if metric.uses_top() {
            &grid.tops[..]
        } else {
            &grid.tops[..grid.tops.len().min(1)]
        };
        for profile in &grid.profiles {
            for &top in tops {
                let mut g = s.clone();
                g.set_profile(profile.clone());
                g.set_top(top)?;
                g.set_ci(None)?;
                let r = match rows_of(ctx, metric, &g, cache).await {
                    Ok(r) => Some(r),
                    Err(e) if e.kind() == crate::error::Kind::Internal => return Err(e),
                    Err(_) => None,
                };
                // The quantity under each counting: its columns' twins;
                // one quantity when no column has one.
                let mut variants: Vec<Quantity> = Vec::new();
                for &counting in &grid.countings {
                    let q = r
                        .as_ref()
                        .and_then(|r| check.quantity.counted(counting, &r.0.schema))
                        .unwrap_or_else(|| check.quantity.clone());
                    if !variants.iter().any(|v| v.columns() == q.columns()) {
                        variants.push(q);
                    }
                }
                for q in variants {
                    let v = r.as_ref().and_then(|r| on_result(&q, &r.0).ok());
                    let verdict = v.map_or(Verdict::NotComputable, |v| Verdict::of(line, v, v));
                    *out.grid.entry(verdict).or_default() += 1;
                }
            }
        }
    }
    Ok(out)
}

impl Outcome {
    /// `supported in 10 of 12 definitions, contradicted in 2`.
    pub fn grid_text(&self) -> String {
        let total: usize = self.grid.values().sum();
        if total == 0 {
            return String::new();
        }
        self.grid
            .iter()
            .map(|(v, n)| format!("{v} in {n}"))
            .collect::<Vec<_>>()
            .join(", ")
            + &format!(" of {total} definitions")
    }
}

/// Every check of `claims` in `ctx`: one row per check, and a note per
/// claim with its verdict. `grid`: the definitions each check also runs
/// under (none: skip).
pub async fn run(
    ctx: &SessionContext,
    base: &Settings,
    claims: &Claims,
    grid: Option<&Grid>,
) -> Result<MetricResult> {
    let mut cache = Cache::new();
    let mut rows = Vec::new();
    let mut notes = Vec::new();
    for claim in &claims.claims {
        let mut verdicts = Vec::new();
        for check in &claim.checks {
            let o = evaluate(ctx, base, check, grid, &mut cache).await?;
            verdicts.push(o.verdict);
            rows.push((claim, check, o));
        }
        notes.push(format!(
            "{}: {} ({})",
            claim.id,
            Verdict::combine(&verdicts),
            claim.statement
        ));
    }
    if let Some(iv) = base.intervals() {
        notes.push(format!(
            "intervals: {}% percentile bootstrap of each quantity over {} replicates, seed {} (works resampled for output metrics, researchers for talent metrics); checks of metrics without intervals are judged on the point",
            iv.level, iv.replicates, iv.seed
        ));
    } else {
        notes.push("no intervals (add --ci 95): each check is judged on its point estimate, so none is inconclusive".into());
    }
    if grid.is_some() {
        notes.push("definitions: each check also under every AI profile × counting (for columns with a fractional twin) × highly-cited share of the sensitivity grid, point estimates".into());
    }
    Ok(result(&rows, notes))
}

/// The columns a terminal table shows (the others are long texts, in CSV
/// and JSON).
pub const TABLE_COLUMNS: [&str; 9] = [
    "claim",
    "check",
    "verdict",
    "point",
    "lo",
    "hi",
    "test",
    "definitions",
    "reason",
];

/// The rows as a result: one per check, with its claim's verdict.
fn result(rows: &[(&Claim, &Check, Outcome)], notes: Vec<String>) -> MetricResult {
    let texts = |names: &[&str]| -> Vec<Field> {
        names
            .iter()
            .map(|n| Field::new(*n, DataType::Utf8, true))
            .collect()
    };
    let mut fields = texts(&["claim"]);
    fields.push(Field::new("check", DataType::Int64, false));
    fields.extend(texts(&["claim_verdict", "reading", "verdict"]));
    fields.extend(["point", "lo", "hi"].map(|n| Field::new(n, DataType::Float64, true)));
    fields.extend(texts(&["test", "definitions"]));
    fields.extend(
        ["definitions_supporting", "definitions_checked"]
            .map(|n| Field::new(n, DataType::Int64, true)),
    );
    fields.extend(texts(&[
        "reason",
        "metric",
        "quantity",
        "statement",
        "published",
        "source",
    ]));
    let schema: SchemaRef = Arc::new(Schema::new(fields));
    let mut t: Vec<StringBuilder> = (0..4).map(|_| StringBuilder::new()).collect();
    let mut number = Int64Builder::new();
    let mut last: Option<&str> = None;
    let mut k = 0;
    let mut f: Vec<Float64Builder> = (0..3).map(|_| Float64Builder::new()).collect();
    let mut t2: Vec<StringBuilder> = (0..2).map(|_| StringBuilder::new()).collect();
    let mut n: Vec<Int64Builder> = (0..2).map(|_| Int64Builder::new()).collect();
    let mut t3: Vec<StringBuilder> = (0..6).map(|_| StringBuilder::new()).collect();
    for (claim, check, o) in rows {
        let claim_verdict = Verdict::combine(
            &rows
                .iter()
                .filter(|(c, ..)| c.id == claim.id)
                .map(|(.., o)| o.verdict)
                .collect::<Vec<_>>(),
        );
        k = if last == Some(claim.id.as_str()) {
            k + 1
        } else {
            1
        };
        last = Some(&claim.id);
        number.append_value(k);
        t[0].append_value(&claim.id);
        t[1].append_value(claim_verdict.name());
        t[2].append_value(&check.reading);
        t[3].append_value(o.verdict.name());
        f[0].append_option(o.point);
        f[1].append_option(o.interval.map(|i| i.0));
        f[2].append_option(o.interval.map(|i| i.1));
        t2[0].append_value(check.test.line().map(|l| l.to_string()).unwrap_or_default());
        t2[1].append_value(o.grid_text());
        let checked: usize = o.grid.values().sum();
        let supporting = o.grid.get(&Verdict::Supported).copied().unwrap_or(0);
        n[0].append_option((checked > 0).then_some(supporting as i64));
        n[1].append_option((checked > 0).then_some(checked as i64));
        t3[0].append_option(o.reason.as_deref());
        t3[1].append_value(&check.metric);
        t3[2].append_value(check.quantity.describe());
        t3[3].append_value(&claim.statement);
        t3[4].append_value(&claim.published);
        t3[5].append_value(&claim.source);
    }
    let mut columns: Vec<ArrayRef> = Vec::new();
    columns.push(Arc::new(t[0].finish()));
    columns.push(Arc::new(number.finish()));
    columns.extend(t[1..].iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef));
    columns.extend(f.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef));
    columns.extend(t2.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef));
    columns.extend(n.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef));
    columns.extend(t3.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef));
    let batch = RecordBatch::try_new(schema.clone(), columns).expect("columns match the schema");
    MetricResult {
        batches: vec![batch],
        schema,
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each kind of verdict, worked out by hand on its line.
    #[test]
    fn verdicts_follow_the_interval_and_the_line() {
        let about = Line::Within(0.45, 0.55);
        assert_eq!(Verdict::of(about, 0.47, 0.52), Verdict::Supported);
        assert_eq!(Verdict::of(about, 0.30, 0.40), Verdict::Contradicted);
        assert_eq!(Verdict::of(about, 0.40, 0.50), Verdict::Inconclusive);
        assert_eq!(Verdict::of(about, 0.56, 0.60), Verdict::Contradicted);
        assert_eq!(Verdict::of(Line::Above(0.0), 1.0, 2.0), Verdict::Supported);
        // The line itself does not pass `above`.
        assert_eq!(
            Verdict::of(Line::Above(0.0), -1.0, 0.0),
            Verdict::Contradicted
        );
        assert_eq!(
            Verdict::of(Line::Above(0.0), -1.0, 1.0),
            Verdict::Inconclusive
        );
        assert_eq!(Verdict::of(Line::Below(3.0), 1.0, 2.0), Verdict::Supported);
        assert_eq!(
            Verdict::of(Line::Below(3.0), 3.0, 4.0),
            Verdict::Contradicted
        );
        assert_eq!(
            Verdict::of(Line::Within(1.0, 1.0), 1.0, 1.0),
            Verdict::Supported
        );
        assert_eq!(
            Verdict::of(Line::Within(1.0, 1.0), 1.0, 2.0),
            Verdict::Inconclusive
        );
        use Verdict::*;
        assert_eq!(Verdict::combine(&[Supported, Contradicted]), Contradicted);
        assert_eq!(Verdict::combine(&[Supported, Inconclusive]), Inconclusive);
        assert_eq!(Verdict::combine(&[Supported, NotComputable]), Supported);
        assert_eq!(Verdict::combine(&[NotComputable]), NotComputable);
    }

    /// Tests and quantities that are not one form are refused.
    #[test]
    fn a_test_is_one_form() {
        let t: Test = toml::from_str("about = 0.5\nwithin = 0.05").unwrap();
        assert_eq!(t.line().unwrap(), Line::Within(0.45, 0.55));
        let t: Test = toml::from_str("about = 0.5").unwrap();
        assert!(t.line().unwrap_err().contains("within"));
        let t: Test = toml::from_str("above = 1\nbelow = 2").unwrap();
        assert!(t.line().is_err());
        let t: Test = toml::from_str("between = [2.0, 1.0]").unwrap();
        assert!(t.line().unwrap_err().contains("order"));
    }

    /// The seed file parses, with the eight claims the field argues about.
    #[test]
    fn the_seed_claims_parse() {
        let c = Claims::seed();
        assert_eq!(c.claims.len(), 8);
        assert!(c.claims.iter().all(|c| !c.checks.is_empty()));
    }

    /// Errors name the claim and the check.
    #[test]
    fn bad_claims_are_refused_with_their_place() {
        let base = r#"
[[claim]]
id = "x"
statement = "s"
source = "src"
published = "p"
[[claim.check]]
reading = "r"
metric = "METRIC"
quantity = { column = "share_full", row = { country = "CN" } }
test = { above = 0.5 }
"#;
        let e = Claims::parse(&base.replace("METRIC", "nope"), "f.toml").unwrap_err();
        assert!(
            e.to_string()
                .contains("claim `x`, check 1: unknown metric `nope`"),
            "{e}"
        );
        let ok = base.replace("METRIC", "countries_total");
        Claims::parse(&ok, "f.toml").unwrap();
        let e = Claims::parse(&format!("{ok}settings = {{ top = 500 }}\n"), "f.toml").unwrap_err();
        assert!(e.to_string().contains("check 1"), "{e}");
        let e = Claims::parse(&format!("{ok}settings = {{ ci = 95 }}\n"), "f.toml").unwrap_err();
        assert!(e.to_string().contains("claims --ci"), "{e}");
        let e = Claims::parse(&ok.replace("row =", "aggregate = \"max\", row ="), "f.toml")
            .unwrap_err();
        assert!(e.to_string().contains("exactly one of"), "{e}");
    }
}
