//! Published series beside ours (`talentchain reconcile`): AI articles by
//! country and year as NCSES and OpenAlex publish them, next to the same
//! counts of the `countries` metric on the dataset, with the difference and
//! the definitional reasons they differ.
//!
//! | reference | file | series |
//! |---|---|---|
//! | NCSES Science & Engineering Indicators 2024, table 10067 | `10067/data.csv` | AI articles per country and year, 2003–2022, whole counting |
//! | NCSES SEI 2024, table 10059 | `10059/data.csv` | AI articles per country, 2003–2022 in total, whole and fractional |
//! | OpenAlex `group_by` counts | `ai_publication_counts.csv` | works with the AI concept per country and year, 2010–2020, whole counting |
//!
//! Levels differ by corpus (Scopus, all of OpenAlex, a sample or snapshot
//! of it), so each row also gives both sides' shares among countries (the
//! value over the sum of every country's value for the same years and
//! counting, which both sides can compute) and ranks. Names of countries
//! map to codes through [`crate::model::countries`] only: the others
//! (regions, "World", former countries) are listed in the notes.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, AsArray, Float64Builder, Int32Builder, Int64Builder, StringBuilder,
};
use arrow::datatypes::{DataType, Field, Float64Type, Schema, SchemaRef};
use arrow::record_batch::RecordBatch;
use datafusion::prelude::SessionContext;

use crate::error::{Error, Result};
use crate::metrics::{self, Metric, MetricResult};
use crate::model::countries;
use crate::settings::{By, Counting, Settings};

/// Which published series a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// NCSES SEI table 10067: per country and year, whole counting.
    NcsesYears,
    /// NCSES SEI table 10059: per country over 2003–2022, whole and fractional.
    NcsesTotals,
    /// OpenAlex's own counts of works with the AI concept, per country and year.
    OpenAlexConcept,
}

impl Kind {
    /// Its name in the output.
    pub fn name(self) -> &'static str {
        match self {
            Kind::NcsesYears => "ncses-sei-10067",
            Kind::NcsesTotals => "ncses-sei-10059",
            Kind::OpenAlexConcept => "openalex-ai-concept",
        }
    }

    /// Why its numbers and ours differ by definition, for the profile in
    /// force.
    pub fn reasons(self, profile: &str) -> String {
        match self {
            Kind::NcsesYears | Kind::NcsesTotals => format!(
                "NCSES: Scopus articles (journals and conference proceedings) whose venue the All Science Journal \
                 Classification puts in AI, by the countries of the authors' institutional addresses, fractional \
                 counting split among addresses; ours: the dataset's works that profile `{profile}` selects \
                 (whatever their type), by the countries of their authorships, fractional counting split among \
                 authorships, then their countries"
            ),
            Kind::OpenAlexConcept => format!(
                "OpenAlex group_by: works tagged with concept C154945302 at any score, every type, all of OpenAlex \
                 (snapshot about May 2025), by the countries of the authorships' institutions, at most 200 per \
                 year; ours: the dataset's works that profile `{profile}` selects, by the countries of their \
                 authorships (institutions' and others')"
            ),
        }
    }
}

/// One published value.
#[derive(Debug, Clone, PartialEq)]
pub struct Published {
    /// ISO-2 code.
    pub country: String,
    /// First year of the value.
    pub from: i32,
    /// Last year.
    pub to: i32,
    /// Whole (full) or fractional counting.
    pub counting: Counting,
    /// The value.
    pub value: f64,
}

/// A published series, read.
#[derive(Debug, Clone)]
pub struct Reference {
    /// What it is.
    pub kind: Kind,
    /// The file it was read from.
    pub path: PathBuf,
    /// Its values for countries.
    pub rows: Vec<Published>,
    /// The names that are not countries (regions, totals, former
    /// countries), left out.
    pub unmapped: Vec<String>,
}

/// A CSV file's rows as text cells (empty: none).
type TextRows = Vec<Vec<Option<String>>>;

/// A CSV file as text cells: its header and rows.
fn read_csv(path: &Path) -> Result<(Vec<String>, TextRows)> {
    let open =
        || std::fs::File::open(path).map_err(|e| Error::Data(format!("{}: {e}", path.display())));
    let (schema, _) = arrow::csv::reader::Format::default()
        .with_header(true)
        .infer_schema(open()?, Some(0))
        .map_err(|e| Error::Data(format!("{}: {e}", path.display())))?;
    let header: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
    let text = Arc::new(Schema::new(
        header
            .iter()
            .map(|n| Field::new(n, DataType::Utf8, true))
            .collect::<Vec<_>>(),
    ));
    let reader = arrow::csv::ReaderBuilder::new(text)
        .with_header(true)
        .build(open()?)
        .map_err(|e| Error::Data(format!("{}: {e}", path.display())))?;
    let mut rows = Vec::new();
    for batch in reader {
        let batch = batch.map_err(|e| Error::Data(format!("{}: {e}", path.display())))?;
        for i in 0..batch.num_rows() {
            rows.push(
                batch
                    .columns()
                    .iter()
                    .map(|c| {
                        let c = c.as_string::<i32>();
                        (c.is_valid(i) && !c.value(i).is_empty()).then(|| c.value(i).to_string())
                    })
                    .collect(),
            );
        }
    }
    Ok((header, rows))
}

/// The kind of a file, from its name and header.
fn kind_of(path: &Path, header: &[String]) -> Option<Kind> {
    let has = |n: &str| header.iter().any(|h| h == n);
    let name = path.file_name()?.to_str()?;
    if has("number_of_papers_whole_") && has("number_of_papers_fractional_") {
        Some(Kind::NcsesTotals)
    } else if has("region_country_or_economy_full_path") && has("field_2003") {
        Some(Kind::NcsesYears)
    } else if has("year") && has("country_code") && has("count") && !name.contains("deep_learning")
    {
        Some(Kind::OpenAlexConcept)
    } else {
        None
    }
}

fn number(v: &Option<String>) -> Option<f64> {
    v.as_deref()
        .and_then(|s| s.replace(',', "").trim().parse::<f64>().ok())
}

impl Reference {
    /// Read one file of a known kind.
    pub fn read(path: &Path) -> Result<Reference> {
        let (header, rows) = read_csv(path)?;
        let kind = kind_of(path, &header).ok_or_else(|| {
            Error::input(
                "against",
                format!(
                    "{}: not a series talentchain knows (columns {})",
                    path.display(),
                    header.join(", ")
                ),
                accepted(),
            )
        })?;
        let col = |n: &str| header.iter().position(|h| h == n);
        let mut out = Reference {
            kind,
            path: path.to_path_buf(),
            rows: Vec::new(),
            unmapped: Vec::new(),
        };
        let mut unmapped = std::collections::BTreeSet::new();
        match kind {
            Kind::NcsesTotals => {
                let (name, whole, frac) = (
                    col("region_country_or_economy").unwrap_or(3),
                    col("number_of_papers_whole_").unwrap_or(5),
                    col("number_of_papers_fractional_").unwrap_or(6),
                );
                for r in &rows {
                    let n = r[name].clone().unwrap_or_default();
                    let Some(code) = countries::code_of(&n) else {
                        unmapped.insert(n);
                        continue;
                    };
                    for (c, counting) in [(whole, Counting::Full), (frac, Counting::Fractional)] {
                        if let Some(value) = number(&r[c]) {
                            out.rows.push(Published {
                                country: code.to_string(),
                                from: 2003,
                                to: 2022,
                                counting,
                                value,
                            });
                        }
                    }
                }
            }
            Kind::NcsesYears => {
                // Rows `World -> Country -> Total articles`: a country's
                // total; the others are regions or subsets.
                let path_col = col("region_country_or_economy_full_path").unwrap_or(2);
                let years: Vec<(usize, i32)> = header
                    .iter()
                    .enumerate()
                    .filter_map(|(i, h)| Some((i, h.strip_prefix("field_")?.parse().ok()?)))
                    .collect();
                for r in &rows {
                    let p = r[path_col].clone().unwrap_or_default();
                    let parts: Vec<&str> = p.split(" -> ").collect();
                    let [_, name, "Total articles"] = parts[..] else {
                        continue;
                    };
                    let Some(code) = countries::code_of(name) else {
                        unmapped.insert(name.to_string());
                        continue;
                    };
                    for &(i, year) in &years {
                        if let Some(value) = number(&r[i]) {
                            out.rows.push(Published {
                                country: code.to_string(),
                                from: year,
                                to: year,
                                counting: Counting::Full,
                                value,
                            });
                        }
                    }
                }
            }
            Kind::OpenAlexConcept => {
                let (y, c, n) = (
                    col("year").unwrap_or(0),
                    col("country_code").unwrap_or(1),
                    col("count").unwrap_or(2),
                );
                for r in &rows {
                    let raw = r[c].clone().unwrap_or_default();
                    let code = raw.rsplit('/').next().unwrap_or_default().to_uppercase();
                    let (Some(year), Some(value)) = (number(&r[y]), number(&r[n])) else {
                        continue;
                    };
                    if countries::name_of(&code).is_none() {
                        unmapped.insert(raw);
                        continue;
                    }
                    out.rows.push(Published {
                        country: code,
                        from: year as i32,
                        to: year as i32,
                        counting: Counting::Full,
                        value,
                    });
                }
            }
        }
        out.unmapped = unmapped.into_iter().collect();
        Ok(out)
    }

    /// Every known series at `path`: a file, or a folder searched two
    /// levels down (`aggregates/` holds `ncses_sei_ai_articles/10067/…`).
    pub fn discover(path: &Path) -> Result<Vec<Reference>> {
        if path.is_file() {
            return Ok(vec![Reference::read(path)?]);
        }
        let mut files = Vec::new();
        let mut dirs = vec![(path.to_path_buf(), 0)];
        while let Some((d, depth)) = dirs.pop() {
            let entries = std::fs::read_dir(&d).map_err(|e| {
                Error::input("against", format!("{}: {e}", d.display()), accepted())
            })?;
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() && depth < 2 {
                    dirs.push((p, depth + 1));
                } else if p.extension().is_some_and(|x| x == "csv") {
                    files.push(p);
                }
            }
        }
        files.sort();
        let mut out = Vec::new();
        for f in files {
            let Ok((header, _)) = read_csv(&f) else {
                continue;
            };
            if kind_of(&f, &header).is_some() {
                // A file of a known form without a country's value (NCSES
                // table 9968, its row labels lost) is no series.
                let r = Reference::read(&f)?;
                if !r.rows.is_empty() {
                    out.push(r);
                }
            }
        }
        if out.is_empty() {
            return Err(Error::input(
                "against",
                format!("{}: no published series talentchain knows", path.display()),
                accepted(),
            ));
        }
        Ok(out)
    }
}

fn accepted() -> Vec<String> {
    vec![
        "NCSES SEI table 10067 or 10059 (data.csv), OpenAlex ai_publication_counts.csv, or a folder holding them".into(),
    ]
}

/// Our values by (country, from, to, counting).
type Ours = HashMap<(String, i32, i32, Counting), f64>;

/// The `countries` metric's papers for the years of `rows`: per year for a
/// yearly series, over its range for a total.
async fn ours(ctx: &SessionContext, base: &Settings, rows: &[Published]) -> Result<Ours> {
    let mut out = Ours::new();
    if rows.is_empty() {
        return Ok(out);
    }
    let yearly = rows.iter().any(|r| r.from == r.to);
    let (from, to) = (
        rows.iter().map(|r| r.from).min().unwrap_or(0),
        rows.iter().map(|r| r.to).max().unwrap_or(0),
    );
    let mut s = base.clone();
    s.set_ci(None)?;
    s.set_limit(None)?;
    s.set_years(Some(from), Some(to))?;
    s.set_by(if yearly { By::Year } else { By::Total });
    let r = metrics::run(ctx, Metric::countries(s.by()), &s).await?;
    for b in &r.batches {
        let text = |n: &str| -> Result<ArrayRef> {
            Ok(arrow::compute::cast(
                b.column_by_name(n)
                    .ok_or_else(|| Error::Internal(format!("countries has no `{n}`").into()))?,
                &DataType::Utf8,
            )?)
        };
        let num = |n: &str| -> Result<ArrayRef> {
            Ok(arrow::compute::cast(
                b.column_by_name(n)
                    .ok_or_else(|| Error::Internal(format!("countries has no `{n}`").into()))?,
                &DataType::Float64,
            )?)
        };
        let country = text("country")?;
        let country = country.as_string::<i32>();
        let year = if yearly { Some(num("year")?) } else { None };
        let papers = [Counting::Full, Counting::Fractional]
            .into_iter()
            .map(|k| {
                let name = metrics::counted("papers_full", k).unwrap_or("papers_full");
                Ok((num(name)?, k))
            })
            .collect::<Result<Vec<_>>>()?;
        for i in 0..b.num_rows() {
            if country.is_null(i) {
                continue;
            }
            let (f, t) = match &year {
                Some(y) => {
                    let y = y.as_primitive::<Float64Type>().value(i) as i32;
                    (y, y)
                }
                None => (from, to),
            };
            for (c, counting) in &papers {
                let (c, counting) = (c.as_primitive::<Float64Type>(), *counting);
                if c.is_valid(i) {
                    out.insert((country.value(i).to_string(), f, t, counting), c.value(i));
                }
            }
        }
    }
    Ok(out)
}

/// 1 + the number of strictly larger values among `all`.
fn rank(v: f64, all: &[f64]) -> i64 {
    1 + all.iter().filter(|x| **x > v).count() as i64
}

/// Each reference's values beside ours: one row per country, years and
/// counting it publishes.
pub async fn run(
    ctx: &SessionContext,
    base: &Settings,
    refs: &[Reference],
) -> Result<MetricResult> {
    let profile = base.profile().title();
    let mut notes = vec![format!(
        "ours: `countries` on this dataset, profile {profile}; levels differ by corpus, so compare the shares \
         among countries (each value over the sum of all countries' for the same years and counting) and the ranks"
    )];
    let schema: SchemaRef = Arc::new(Schema::new(vec![
        Field::new("reference", DataType::Utf8, false),
        Field::new("country", DataType::Utf8, false),
        Field::new("year_from", DataType::Int32, false),
        Field::new("year_to", DataType::Int32, false),
        Field::new("counting", DataType::Utf8, false),
        Field::new("published", DataType::Float64, false),
        Field::new("ours", DataType::Float64, false),
        Field::new("difference", DataType::Float64, false),
        Field::new("published_share", DataType::Float64, true),
        Field::new("our_share", DataType::Float64, true),
        Field::new("share_difference", DataType::Float64, true),
        Field::new("published_rank", DataType::Int64, true),
        Field::new("our_rank", DataType::Int64, true),
        Field::new("reasons", DataType::Utf8, false),
    ]));
    let (mut reference, mut country, mut counting, mut reasons) = (
        StringBuilder::new(),
        StringBuilder::new(),
        StringBuilder::new(),
        StringBuilder::new(),
    );
    let (mut from, mut to) = (Int32Builder::new(), Int32Builder::new());
    let mut f: Vec<Float64Builder> = (0..6).map(|_| Float64Builder::new()).collect();
    let (mut rank_p, mut rank_o) = (Int64Builder::new(), Int64Builder::new());
    for r in refs {
        let ours = ours(ctx, base, &r.rows).await?;
        let why = r.kind.reasons(&profile);
        notes.push(format!(
            "{}: {} ({} values for countries){}",
            r.kind.name(),
            r.path.display(),
            r.rows.len(),
            if r.unmapped.is_empty() {
                String::new()
            } else {
                format!("; not countries, left out: {}", r.unmapped.join(", "))
            }
        ));
        notes.push(format!("{}: {why}", r.kind.name()));
        // The published and our values of each (years, counting), for the
        // shares and ranks.
        let mut groups: BTreeMap<(i32, i32, String), Vec<&Published>> = BTreeMap::new();
        for p in &r.rows {
            groups
                .entry((p.from, p.to, p.counting.to_string()))
                .or_default()
                .push(p);
        }
        for ((y0, y1, c), mut rows) in groups {
            let counting_of = rows[0].counting;
            let published: Vec<f64> = rows.iter().map(|p| p.value).collect();
            let our_all: Vec<f64> = ours
                .iter()
                .filter(|((_, a, b, k), _)| *a == y0 && *b == y1 && *k == counting_of)
                .map(|(_, v)| *v)
                .collect();
            let (sum_p, sum_o): (f64, f64) = (published.iter().sum(), our_all.iter().sum());
            rows.sort_by(|a, b| b.value.total_cmp(&a.value).then(a.country.cmp(&b.country)));
            for p in rows {
                let o = ours
                    .get(&(p.country.clone(), y0, y1, counting_of))
                    .copied()
                    .unwrap_or(0.0);
                let ps = (sum_p > 0.0).then(|| p.value / sum_p);
                let os = (sum_o > 0.0).then(|| o / sum_o);
                reference.append_value(r.kind.name());
                country.append_value(&p.country);
                from.append_value(y0);
                to.append_value(y1);
                counting.append_value(&c);
                f[0].append_value(p.value);
                f[1].append_value(o);
                f[2].append_value(o - p.value);
                f[3].append_option(ps);
                f[4].append_option(os);
                f[5].append_option(ps.zip(os).map(|(a, b)| b - a));
                // No rank where a side has nothing for these years.
                rank_p.append_option(ps.map(|_| rank(p.value, &published)));
                rank_o.append_option(os.map(|_| rank(o, &our_all)));
                reasons.append_value(&why);
            }
        }
    }
    let mut columns: Vec<ArrayRef> = vec![
        Arc::new(reference.finish()),
        Arc::new(country.finish()),
        Arc::new(from.finish()),
        Arc::new(to.finish()),
        Arc::new(counting.finish()),
    ];
    columns.extend(f.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef));
    columns.push(Arc::new(rank_p.finish()));
    columns.push(Arc::new(rank_o.finish()));
    columns.push(Arc::new(reasons.finish()));
    let batch = RecordBatch::try_new(schema.clone(), columns)?;
    Ok(MetricResult {
        batches: vec![batch],
        schema,
        notes,
    })
}

/// The columns a terminal table shows (the reasons are in the notes).
pub const TABLE_COLUMNS: [&str; 13] = [
    "reference",
    "country",
    "year_from",
    "year_to",
    "counting",
    "published",
    "ours",
    "difference",
    "published_share",
    "our_share",
    "share_difference",
    "published_rank",
    "our_rank",
];
