//! Percentile bootstrap intervals (`--ci LEVEL`), as the CWTS Leiden
//! Ranking's stability intervals, but seeded, and for every count, share
//! and ratio of a metric.
//!
//! A metric's counts are sums of parts (`sql/selection/*_parts.sql`): one
//! row per resampling unit and cell (a selected work and a country, say).
//! Replicate `r` gives each unit a Poisson(1) weight (the Poisson
//! bootstrap) and adds up the parts with those weights; the metric's own
//! file then turns the sums of every replicate into its columns, exactly as
//! it turns the observed sums (replicate 0) into the point estimate. The
//! interval of a column is the `(1 − level)/2` and `(1 + level)/2`
//! quantiles of its replicates (linear interpolation between order
//! statistics; replicates where it is null, a ratio over nothing, are left
//! out).
//!
//! Units with the same parts are exchangeable, and a sum of k Poisson(1)
//! weights is Poisson(k): so the units are first collapsed into their
//! distinct patterns of parts, and each pattern draws one Poisson(k) weight
//! per replicate, from a hash of (pattern, replicate, seed). That is the
//! per-unit Poisson bootstrap exactly, at the cost of the patterns, not
//! the units; and the draws depend on nothing but the data and the seed,
//! so the same seed gives the same intervals on any number of threads and
//! on Ballista (which computes the parts).
//!
//! What stays fixed: the selection, and each work's highly-cited flag (the
//! threshold is the observed one, as CWTS's; not re-estimated per
//! replicate), and each researcher's origin, current country and class.

use std::collections::HashMap;
use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, Float64Array, Int32Array, RecordBatch, UInt32Array, new_empty_array,
};
use arrow::compute::{cast, concat_batches, interleave, take};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use arrow::row::{RowConverter, Rows, SortField};
use datafusion::prelude::SessionContext;
use datafusion::scalar::ScalarValue;

use super::{Metric, MetricResult};
use crate::error::{Error, Result};
use crate::settings::{CI, Intervals};
use crate::sql::{Bindings, query};

/// The column that numbers a metric's replicates (0: as observed).
pub const REPLICATE: &str = "replicate";

/// One table of parts: its file `sql/selection/NAME.sql`, its unit column
/// and the columns that name a cell; every other column but `replicate`
/// is a value that adds up.
#[derive(Debug, Clone, Copy)]
pub struct Parts {
    /// The file's (and the view's) name.
    pub name: &'static str,
    /// The resampling unit's column: `work` or `author`.
    pub unit: &'static str,
    /// The columns that name a cell.
    pub cells: &'static [&'static str],
}

const COUNTRY_PARTS: Parts = Parts {
    name: "country_parts",
    unit: "work",
    cells: &["country", "year"],
};
const WORLD_PARTS: Parts = Parts {
    name: "world_parts",
    unit: "work",
    cells: &["year"],
};
const COLLAB_PARTS: Parts = Parts {
    name: "collab_parts",
    unit: "work",
    cells: &["country"],
};
const COLLAB_PAIR_PARTS: Parts = Parts {
    name: "collab_pair_parts",
    unit: "work",
    cells: &["country_a", "country_b"],
};
const INSTITUTION_PARTS: Parts = Parts {
    name: "institution_parts",
    unit: "work",
    cells: &["entity"],
};
const SECTOR_PARTS: Parts = Parts {
    name: "sector_parts",
    unit: "work",
    cells: &["country", "sector"],
};
const TALENT_ORG_PARTS: Parts = Parts {
    name: "talent_org_parts",
    unit: "author",
    cells: &["org", "origin"],
};
const TALENT_COUNTRY_PARTS: Parts = Parts {
    name: "talent_country_parts",
    unit: "author",
    cells: &["country"],
};
const TALENT_FLOW_PARTS: Parts = Parts {
    name: "talent_flow_parts",
    unit: "author",
    cells: &["origin", "current", "cohort"],
};

const TALENT_SUPPLY_PARTS: Parts = Parts {
    name: "talent_supply_parts",
    unit: "author",
    cells: &["country"],
};
const CONVERSION_AUTHOR_PARTS: Parts = Parts {
    name: "conversion_author_parts",
    unit: "author",
    cells: &["country"],
};
const CONVERSION_WORK_PARTS: Parts = Parts {
    name: "conversion_work_parts",
    unit: "work",
    cells: &["country"],
};
const CONVERSION_TOTAL_PARTS: Parts = Parts {
    name: "conversion_total_parts",
    unit: "work",
    cells: &["scope"],
};
const RESEARCHER_PARTS: Parts = Parts {
    name: "researcher_parts",
    unit: "work",
    cells: &["author"],
};
const TALENT_STAY_PARTS: Parts = Parts {
    name: "talent_stay_parts",
    unit: "author",
    cells: &["origin", "host"],
};

/// How a metric is resampled: the parts it adds up, and the columns that
/// name one of its rows (every other numeric column gets an interval).
#[derive(Debug, Clone, Copy)]
pub struct Resampling {
    /// Its tables of parts (their units' ids are distinct: works `W…`,
    /// researchers `A…`).
    pub parts: &'static [Parts],
    /// The columns that name a row.
    pub keys: &'static [&'static str],
    /// Numeric columns that stay as observed in every replicate (no
    /// interval).
    pub fixed: &'static [&'static str],
}

impl Metric {
    /// How the metric is resampled, if it has intervals yet.
    pub fn resampling(self) -> Option<Resampling> {
        let r = |parts, keys| {
            Some(Resampling {
                parts,
                keys,
                fixed: &[],
            })
        };
        match self {
            Metric::Countries => r(&[COUNTRY_PARTS, WORLD_PARTS], &["country", "year"]),
            Metric::CountriesTotal => r(
                &[COUNTRY_PARTS, WORLD_PARTS],
                &["country", "year_from", "year_to"],
            ),
            Metric::CollabShares => r(&[COLLAB_PARTS], &["country"]),
            Metric::Institutions => r(&[INSTITUTION_PARTS], &["institution"]),
            Metric::Sectors => r(&[SECTOR_PARTS], &["country", "sector"]),
            Metric::CollabPairs => r(&[COLLAB_PAIR_PARTS], &["country_a", "country_b"]),
            Metric::TalentCountries => r(&[TALENT_COUNTRY_PARTS], &["country"]),
            Metric::TalentOrgs => r(&[TALENT_ORG_PARTS], &["institution"]),
            Metric::TalentStays => r(&[TALENT_STAY_PARTS], &["origin", "host"]),
            // The h-index is not a sum of works' parts: as observed.
            Metric::TalentTop => Some(Resampling {
                parts: &[RESEARCHER_PARTS],
                keys: &["author"],
                fixed: &["h_index"],
            }),
            // Two samples: the researchers (supply) and the works (output),
            // each unit with its own weight.
            Metric::TalentMismatch => r(&[COUNTRY_PARTS, TALENT_SUPPLY_PARTS], &["country"]),
            Metric::TalentConversion => r(
                &[
                    CONVERSION_WORK_PARTS,
                    CONVERSION_TOTAL_PARTS,
                    CONVERSION_AUTHOR_PARTS,
                ],
                &["country"],
            ),
            Metric::TalentFlows => r(&[TALENT_FLOW_PARTS], &["origin", "current"]),
            Metric::TalentFlowsByCohort => {
                r(&[TALENT_FLOW_PARTS], &["origin", "current", "cohort"])
            }
            _ => None,
        }
    }
}

/// The metrics with intervals, by name.
pub fn with_intervals() -> Vec<&'static str> {
    Metric::ALL
        .into_iter()
        .filter(|m| m.resampling().is_some())
        .map(Metric::name)
        .collect()
}

/// Check that `metric` has intervals.
pub(super) fn check(metric: Metric) -> Result<Resampling> {
    metric.resampling().ok_or_else(|| {
        // talent author.
        let why = "it is one researcher's career, year by year: a record, not a sample";
        Error::input(
            CI.name,
            format!(
                "no intervals for {}: {why}. Intervals are available for {}",
                metric.name(),
                with_intervals().join(", ")
            ),
            vec!["no `ci` for this metric".into()],
        )
    })
}

/// The note that says how the intervals were made.
fn note(metric: Metric, iv: &Intervals, patterns: usize, units: usize) -> String {
    let unit = if metric == Metric::TalentMismatch {
        "researchers in scope (supply, the top researchers' output) and, independently, selected works (output)"
    } else if metric == Metric::TalentTop {
        "the researchers' selected works (works and citations, and so the rank among all researchers; the h-index as observed)"
    } else if metric == Metric::TalentConversion {
        "the origin's researchers (researchers) and, independently, their selected works (works, highly cited, fractional)"
    } else if metric.is_talent() {
        "researchers with ≥ 2 observed years (a career is one researcher's)"
    } else if iv.lead_authors {
        "selected works in clusters by lead author (the highly-cited threshold fixed at the observed one)"
    } else {
        "selected works (the highly-cited threshold fixed at the observed one, as CWTS)"
    };
    format!(
        "intervals: {}% percentile bootstrap, {} replicates, seed {}: {} resampled with Poisson(1) weights \
         ({} units in {} patterns); columns NAME_lo, NAME_hi",
        iv.level, iv.replicates, iv.seed, unit, units, patterns
    )
}

/// A metric's rows as observed and under each bootstrap replicate.
#[derive(Debug, Clone)]
pub struct Replicated {
    /// The point estimate's rows (the rows the settings ask for).
    pub point: RecordBatch,
    /// Every row of replicates 1..=R, with their `replicate` column.
    pub replicates: RecordBatch,
    /// The columns that name a row.
    pub keys: &'static [&'static str],
    /// The columns without interval.
    pub fixed: &'static [&'static str],
    /// How the replicates were made.
    pub note: String,
}

/// `metric` in `ctx` with its intervals: [`replicate`], then each column's
/// quantiles over the replicates join the point estimate's rows.
pub(super) async fn answer(
    ctx: &SessionContext,
    metric: Metric,
    b: &Bindings,
    iv: &Intervals,
    notes: Vec<String>,
) -> Result<MetricResult> {
    let r = replicate(ctx, metric, b, iv).await?;
    let out = quantiles(&r.point, &r.replicates, r.keys, r.fixed, iv)?;
    let mut notes = notes;
    notes.push(r.note);
    Ok(MetricResult {
        schema: out.schema(),
        batches: vec![out],
        notes,
    })
}

/// `metric`'s rows as observed and under each replicate: its parts
/// (registered by [`super::run`]) read and collapsed into patterns, then
/// the metric's file run twice over sums of the parts in place of the
/// parts: once for the data as observed (every unit weighing 1: the point
/// estimate), once for the replicates.
pub(super) async fn replicate(
    ctx: &SessionContext,
    metric: Metric,
    b: &Bindings,
    iv: &Intervals,
) -> Result<Replicated> {
    let rs = check(metric)?;
    let mut collapsed = Collapsed::default();
    for (i, p) in rs.parts.iter().enumerate() {
        let df = ctx.table(p.name).await?;
        let schema = df.schema().inner().clone();
        collapsed.add(i, p, &schema, &df.collect().await?)?;
    }
    if iv.lead_authors && !metric.is_talent() {
        let leads = query("selection/work_leads")
            .dataframe(ctx, b)
            .await?
            .collect()
            .await?;
        collapsed.cluster(&leads)?;
    }
    let patterns = collapsed.patterns();
    let units = patterns.units;
    let threads = ctx.state().config().target_partitions().max(1);
    let observed = vec![patterns.observed()];
    let sums = patterns.replicate(iv.replicates, iv.seed, threads);

    // The sums stand in for the parts while the metric's file runs (with
    // the views that read them); then the parts are put back. The point
    // estimate keeps the rows the settings ask for; the replicates have
    // every row (a ranking's limit applies to the rows shown).
    let mut saved = Vec::new();
    for p in rs.parts {
        saved.push((p.name, ctx.deregister_table(p.name)?));
    }
    let all_rows = b.clone().with("row_limit", ScalarValue::Int64(None));
    let run = async {
        let point = formula(ctx, metric, &collapsed, rs, &observed, 0, b).await?;
        let replicated = formula(ctx, metric, &collapsed, rs, &sums, 1, &all_rows).await?;
        Ok::<_, Error>((point, replicated))
    }
    .await;
    for (name, provider) in saved {
        ctx.deregister_table(name)?;
        if let Some(p) = provider {
            ctx.register_table(name, p)?;
        }
    }
    super::register_reads(ctx, metric, b, true).await?;
    let (point, replicates) = run?;

    let point = point.project(
        &(0..point.num_columns())
            .filter(|i| point.schema().field(*i).name() != REPLICATE)
            .collect::<Vec<_>>(),
    )?;
    Ok(Replicated {
        point,
        replicates,
        keys: rs.keys,
        fixed: rs.fixed,
        note: note(metric, iv, patterns.len(), units),
    })
}

/// The metric's file over `sums` (replicates numbered from `first`) in
/// place of its parts, with bindings `b`.
async fn formula(
    ctx: &SessionContext,
    metric: Metric,
    collapsed: &Collapsed,
    rs: Resampling,
    sums: &[Vec<f64>],
    first: u32,
    b: &Bindings,
) -> Result<RecordBatch> {
    for (i, p) in rs.parts.iter().enumerate() {
        let t = collapsed.table(i, sums, first)?;
        crate::engine::register_batches(ctx, p.name, t.schema(), vec![t]).await?;
    }
    super::register_reads(ctx, metric, b, true).await?;
    let df = metric.query().dataframe(ctx, b).await?;
    let schema = df.schema().inner().clone();
    let batches = df.collect().await?;
    Ok(concat_batches(&schema, &batches)?)
}

/// 64-bit mixing (splitmix64's finalizer).
pub(crate) fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A hash of bytes (FNV-1a, then mixed): stable across platforms and
/// builds, so that patterns, and so draws, are too.
pub(crate) fn hash_bytes(seed: u64, bytes: &[u8]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325 ^ seed;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    mix(h)
}

/// A uniform in [0, 1) from a hash.
fn uniform(h: u64) -> f64 {
    (h >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// ln k!, exact sums below 64 and Stirling's series above.
fn ln_factorial(k: u64) -> f64 {
    if k < 64 {
        return (2..=k).map(|i| (i as f64).ln()).sum();
    }
    let x = k as f64 + 1.0;
    (x - 0.5) * x.ln() - x + 0.5 * (2.0 * std::f64::consts::PI).ln() + 1.0 / (12.0 * x)
        - 1.0 / (360.0 * x * x * x)
        + 1.0 / (1260.0 * x.powi(5))
}

/// A Poisson(`mean`) draw from the hash `h`: inversion of one uniform up
/// to a mean of 30; above, Hörmann's PTRS (transformed rejection, exact)
/// on a stream of uniforms mixed from `h`.
pub fn poisson(mean: f64, h: u64) -> u64 {
    if mean <= 0.0 {
        return 0;
    }
    if mean < 30.0 {
        let u = uniform(h);
        let mut p = (-mean).exp();
        let mut f = p;
        let mut x = 0u64;
        while u >= f && x < 1000 {
            x += 1;
            p *= mean / x as f64;
            f += p;
        }
        return x;
    }
    let smu = mean.sqrt();
    let b = 0.931 + 2.53 * smu;
    let a = -0.059 + 0.02483 * b;
    let inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
    let vr = 0.9277 - 3.6224 / (b - 2.0);
    let mut s = h;
    loop {
        s = mix(s.wrapping_add(0x9e37_79b9_7f4a_7c15));
        let u = uniform(s) - 0.5;
        s = mix(s.wrapping_add(0x9e37_79b9_7f4a_7c15));
        let v = uniform(s);
        let us = 0.5 - u.abs();
        let k = ((2.0 * a / us + b) * u + mean + 0.43).floor();
        if us >= 0.07 && v <= vr {
            return k as u64;
        }
        if k < 0.0 || (us < 0.013 && v > us) {
            continue;
        }
        if v.ln() + inv_alpha.ln() - (a / (us * us) + b).ln()
            <= -mean + k * mean.ln() - ln_factorial(k as u64)
        {
            return k as u64;
        }
    }
}

/// The quantile `q` of sorted values (linear interpolation between order
/// statistics: R's type 7, numpy's default).
pub fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let h = (n - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

/// One table of parts, read: its cells and their key columns, and the
/// columns of its values.
struct Table {
    /// The key columns of each cell, in cell order.
    keys: RecordBatch,
    /// The value columns' fields.
    values: Vec<Field>,
    /// The first slot of the table's cells (cell c, value v: first + c *
    /// values + v).
    first: usize,
}

/// A part row: (unit hash, cell hash, slot of its first value, offset of
/// its values, count of values, hash of its values).
type Entry = (u64, u64, u32, u32, u32, u64);

/// The parts of a metric, unit by unit, before collapsing.
#[derive(Default)]
struct Collapsed {
    tables: Vec<Table>,
    /// One entry per part row: (unit hash, cell hash, slot of its first
    /// value, offset of its values in `values`, count of values, hash of
    /// the values).
    entries: Vec<Entry>,
    values: Vec<f64>,
    slots: usize,
}

impl Collapsed {
    /// Read the part rows of table `index`.
    fn add(
        &mut self,
        index: usize,
        p: &Parts,
        schema: &SchemaRef,
        batches: &[RecordBatch],
    ) -> Result<()> {
        let col = |name: &str| {
            schema.index_of(name).map_err(|_| {
                Error::Internal(format!("{}.sql has no column `{name}`", p.name).into())
            })
        };
        let unit = col(p.unit)?;
        let cells: Vec<usize> = p.cells.iter().map(|c| col(c)).collect::<Result<_>>()?;
        let values: Vec<usize> = (0..schema.fields().len())
            .filter(|i| *i != unit && !cells.contains(i) && schema.field(*i).name() != REPLICATE)
            .collect();
        let cell_fields: Vec<SortField> = cells
            .iter()
            .map(|i| SortField::new(schema.field(*i).data_type().clone()))
            .collect();
        let cell_conv = RowConverter::new(cell_fields)?;
        let unit_conv =
            RowConverter::new(vec![SortField::new(schema.field(unit).data_type().clone())])?;
        let first_slot = self.slots;
        let nv = values.len();
        // Cells by the hash of their keys (64 bits: a table has at most
        // millions of cells).
        let mut cell_ids: HashMap<u64, u32> = HashMap::new();
        let mut cell_rows: Vec<(usize, usize, u64)> = Vec::new();
        let tag = index as u64;
        let from = self.entries.len();
        for (bi, batch) in batches.iter().enumerate() {
            let cols: Vec<ArrayRef> = cells.iter().map(|i| batch.column(*i).clone()).collect();
            let rows: Rows = cell_conv.convert_columns(&cols)?;
            let units = unit_conv.convert_columns(&[batch.column(unit).clone()])?;
            let vals: Vec<Float64Array> = values
                .iter()
                .map(|i| {
                    cast(batch.column(*i), &DataType::Float64)
                        .map(|a| a.as_any().downcast_ref::<Float64Array>().unwrap().clone())
                })
                .collect::<std::result::Result<_, _>>()?;
            for row in 0..batch.num_rows() {
                let key = rows.row(row);
                let n = cell_ids.len() as u32;
                let cell_hash = hash_bytes(tag, key.as_ref());
                let cell = *cell_ids.entry(cell_hash).or_insert_with(|| {
                    cell_rows.push((bi, row, cell_hash));
                    n
                });
                let offset = self.values.len() as u32;
                self.values.extend(
                    vals.iter()
                        .map(|v| if v.is_valid(row) { v.value(row) } else { 0.0 }),
                );
                let value_hash = self.values[offset as usize..]
                    .iter()
                    .fold(0u64, |h, v| mix(h ^ v.to_bits()));
                // The cell's number for now; its slot once the cells are in order.
                self.entries.push((
                    hash_bytes(0, units.row(row).as_ref()),
                    cell_hash,
                    cell,
                    offset,
                    nv as u32,
                    value_hash,
                ));
            }
        }
        // The cells in the order of their hashes, whatever order the rows
        // came in: the replicated table's rows, so its sums add up alike.
        let mut order: Vec<u32> = (0..cell_rows.len() as u32).collect();
        order.sort_unstable_by_key(|c| cell_rows[*c as usize].2);
        let mut rank = vec![0u32; order.len()];
        for (r, c) in order.iter().enumerate() {
            rank[*c as usize] = r as u32;
        }
        for e in &mut self.entries[from..] {
            e.2 = (first_slot + rank[e.2 as usize] as usize * nv) as u32;
        }
        let key_schema = Arc::new(Schema::new(
            cells
                .iter()
                .map(|i| schema.field(*i).clone())
                .collect::<Vec<_>>(),
        ));
        let picks: Vec<(usize, usize)> = order
            .iter()
            .map(|c| (cell_rows[*c as usize].0, cell_rows[*c as usize].1))
            .collect();
        let key_cols: Vec<ArrayRef> = cells
            .iter()
            .map(|i| {
                if picks.is_empty() {
                    return Ok(new_empty_array(schema.field(*i).data_type()));
                }
                let arrays: Vec<&dyn Array> =
                    batches.iter().map(|b| b.column(*i).as_ref()).collect();
                interleave(&arrays, &picks)
            })
            .collect::<std::result::Result<_, _>>()?;
        let keys = RecordBatch::try_new(key_schema, key_cols)?;
        self.slots += cell_ids.len() * nv;
        self.tables.push(Table {
            keys,
            values: values.iter().map(|i| schema.field(*i).clone()).collect(),
            first: first_slot,
        });
        Ok(())
    }

    /// Make each work's unit its lead author (`leads`: work, lead; a work
    /// without a row stays a unit of its own).
    fn cluster(&mut self, leads: &[RecordBatch]) -> Result<()> {
        let mut map: HashMap<u64, u64> = HashMap::new();
        for b in leads {
            let conv = |i: usize| {
                RowConverter::new(vec![SortField::new(b.column(i).data_type().clone())])
                    .and_then(|c| c.convert_columns(&[b.column(i).clone()]))
            };
            let (works, authors) = (conv(0)?, conv(1)?);
            for r in 0..b.num_rows() {
                map.insert(
                    hash_bytes(0, works.row(r).as_ref()),
                    hash_bytes(1, authors.row(r).as_ref()),
                );
            }
        }
        for e in &mut self.entries {
            if let Some(lead) = map.get(&e.0) {
                e.0 = *lead;
            }
        }
        Ok(())
    }

    /// The units collapsed into their distinct patterns of parts.
    fn patterns(&mut self) -> Patterns {
        let values = &self.values;
        let vals = |e: &Entry| &values[e.3 as usize..(e.3 + e.4) as usize];
        // A canonical order: by unit, cell and values, so that the rows of
        // one unit and cell (several in institution_parts) are added up in
        // the same order whatever order they came in.
        let key = |e: &Entry| (e.0, e.1, e.5);
        if self.entries.len() > 1 {
            // Split at the median, then sort both halves at once.
            let mid = self.entries.len() / 2;
            self.entries.select_nth_unstable_by_key(mid, key);
            let (a, b) = self.entries.split_at_mut(mid);
            std::thread::scope(|s| {
                s.spawn(|| a.sort_unstable_by_key(key));
                b.sort_unstable_by_key(key);
            });
        }
        let mut ids: HashMap<(u64, u64), usize> = HashMap::new();
        let mut out = Patterns {
            slots: self.slots,
            ..Patterns::default()
        };
        // The unit's parts, rows of one cell added up: (cell hash, slot,
        // start in `sums`, count of values).
        let mut parts: Vec<(u64, u32, usize, usize)> = Vec::new();
        let mut sums: Vec<f64> = Vec::new();
        let mut i = 0;
        while i < self.entries.len() {
            let unit = self.entries[i].0;
            let mut j = i;
            while j < self.entries.len() && self.entries[j].0 == unit {
                j += 1;
            }
            parts.clear();
            sums.clear();
            for e in &self.entries[i..j] {
                match parts.last() {
                    Some(last) if last.0 == e.1 => {
                        for (s, v) in sums[last.2..].iter_mut().zip(vals(e)) {
                            *s += v;
                        }
                    }
                    _ => {
                        parts.push((e.1, e.2, sums.len(), e.4 as usize));
                        sums.extend_from_slice(vals(e));
                    }
                }
            }
            let (mut h1, mut h2) = (0x243f_6a88_85a3_08d3u64, 0x1319_8a2e_0370_7344u64);
            for (cell, _, start, n) in &parts {
                h1 = mix(h1 ^ cell);
                h2 = mix(h2.wrapping_add(*cell).rotate_left(17));
                for x in &sums[*start..start + n] {
                    h1 = mix(h1 ^ x.to_bits());
                    h2 = mix(h2.wrapping_add(x.to_bits()).rotate_left(17));
                }
            }
            let n = ids.len();
            let id = *ids.entry((h1, h2)).or_insert(n);
            if id == n {
                out.keys.push((h1, h2));
                out.count.push(0);
                out.start.push(out.slot.len() as u32);
                for (_, slot, start, n) in &parts {
                    for (k, x) in sums[*start..start + n].iter().enumerate() {
                        if *x != 0.0 {
                            out.slot.push(*slot + k as u32);
                            out.value.push(*x);
                        }
                    }
                }
            }
            out.count[id] += 1;
            out.units += 1;
            i = j;
        }
        out.start.push(out.slot.len() as u32);
        out.sort();
        out
    }

    /// The table of parts `index` as sums: each cell's sums in each of
    /// `sums` (replicates `first`, `first` + 1, …), cell keys first,
    /// `replicate` last.
    fn table(&self, index: usize, sums: &[Vec<f64>], first: u32) -> Result<RecordBatch> {
        let t = &self.tables[index];
        let cells = t.keys.num_rows();
        let nv = t.values.len();
        let n = cells * sums.len();
        let mut take_idx = Vec::with_capacity(n);
        let mut rep = Vec::with_capacity(n);
        for r in 0..sums.len() {
            for c in 0..cells {
                take_idx.push(c as u32);
                rep.push((first + r as u32) as i32);
            }
        }
        let take_idx = UInt32Array::from(take_idx);
        let mut fields: Vec<Field> = t
            .keys
            .schema()
            .fields()
            .iter()
            .map(|f| (**f).clone())
            .collect();
        let mut cols: Vec<ArrayRef> = t
            .keys
            .columns()
            .iter()
            .map(|c| take(c, &take_idx, None))
            .collect::<std::result::Result<_, _>>()?;
        for (v, f) in t.values.iter().enumerate() {
            let mut col = Vec::with_capacity(n);
            for s in sums {
                for c in 0..cells {
                    col.push(s[t.first + c * nv + v]);
                }
            }
            let a: ArrayRef = Arc::new(Float64Array::from(col));
            cols.push(cast(&a, f.data_type())?);
            fields.push(Field::new(f.name(), f.data_type().clone(), true));
        }
        fields.push(Field::new(REPLICATE, DataType::Int32, false));
        cols.push(Arc::new(Int32Array::from(rep)));
        Ok(RecordBatch::try_new(Arc::new(Schema::new(fields)), cols)?)
    }
}

/// The distinct patterns of parts: for each, how many units have it and
/// its nonzero values by slot.
#[derive(Default)]
struct Patterns {
    /// The units they were made from.
    units: usize,
    keys: Vec<(u64, u64)>,
    count: Vec<u64>,
    start: Vec<u32>,
    slot: Vec<u32>,
    value: Vec<f64>,
    slots: usize,
}

impl Patterns {
    fn len(&self) -> usize {
        self.keys.len()
    }

    /// The sums of every slot with every unit weighing 1: the data as
    /// observed, added in the patterns' order.
    fn observed(&self) -> Vec<f64> {
        let mut acc = vec![0.0; self.slots];
        for i in 0..self.len() {
            let w = self.count[i] as f64;
            for k in self.start[i] as usize..self.start[i + 1] as usize {
                acc[self.slot[k] as usize] += w * self.value[k];
            }
        }
        acc
    }

    /// Put the patterns in the order of their keys, so that the sums are
    /// added in the same order whatever order the rows came in.
    fn sort(&mut self) {
        let mut order: Vec<usize> = (0..self.len()).collect();
        order.sort_unstable_by_key(|i| self.keys[*i]);
        let mut p = Patterns {
            slots: self.slots,
            units: self.units,
            ..Patterns::default()
        };
        for i in order {
            p.keys.push(self.keys[i]);
            p.count.push(self.count[i]);
            p.start.push(p.slot.len() as u32);
            let (a, b) = (self.start[i] as usize, self.start[i + 1] as usize);
            p.slot.extend_from_slice(&self.slot[a..b]);
            p.value.extend_from_slice(&self.value[a..b]);
        }
        p.start.push(p.slot.len() as u32);
        *self = p;
    }

    /// The sums of every slot in replicates 1 to `replicates`: pattern i
    /// weighs Poisson(count_i) in replicate r, drawn from a hash of its
    /// key, r and `seed`. Replicates are shared out among `threads`, in
    /// blocks that each read the patterns once; each replicate's sums are
    /// the same whatever the sharing.
    fn replicate(&self, replicates: u32, seed: u64, threads: usize) -> Vec<Vec<f64>> {
        const BLOCK: usize = 8;
        let seed = mix(seed ^ 0x5851_f42d_4c95_7f2d);
        let base: Vec<u64> = self
            .keys
            .iter()
            .map(|(a, b)| mix(a ^ mix(b ^ seed)))
            .collect();
        let tables = Cdf::tables();
        let block = |first: u32, n: usize| -> Vec<Vec<f64>> {
            // Slot-major: a slot's sums in the block's replicates share one
            // cache line.
            let mut acc = vec![[0f64; BLOCK]; self.slots];
            let rh: Vec<u64> = (0..n as u32)
                .map(|r| mix(u64::from(first + r).wrapping_mul(0xd134_2543_de82_ef95)))
                .collect();
            let mut w = [0f64; BLOCK];
            for (i, b) in base.iter().enumerate() {
                let count = self.count[i];
                let mut any = false;
                for (r, h) in rh.iter().enumerate() {
                    let x = tables.draw(count, mix(b ^ h));
                    w[r] = x as f64;
                    any |= x != 0;
                }
                if !any {
                    continue;
                }
                let (a, b) = (self.start[i] as usize, self.start[i + 1] as usize);
                for k in a..b {
                    let (cell, v) = (&mut acc[self.slot[k] as usize], self.value[k]);
                    for r in 0..BLOCK {
                        cell[r] += w[r] * v;
                    }
                }
            }
            (0..n)
                .map(|r| acc.iter().map(|cell| cell[r]).collect())
                .collect()
        };
        let blocks: Vec<(u32, usize)> = (0..replicates)
            .step_by(BLOCK)
            .map(|f| (f + 1, (replicates - f).min(BLOCK as u32) as usize))
            .collect();
        let threads = threads.clamp(1, blocks.len().max(1));
        let mut done: Vec<Vec<Vec<f64>>> = vec![Vec::new(); blocks.len()];
        std::thread::scope(|s| {
            let per = blocks.len().div_ceil(threads);
            for (chunk, out) in blocks.chunks(per).zip(done.chunks_mut(per)) {
                let block = &block;
                s.spawn(move || {
                    for ((first, n), out) in chunk.iter().zip(out.iter_mut()) {
                        *out = block(*first, *n);
                    }
                });
            }
        });
        done.into_iter().flatten().collect()
    }
}

/// Poisson draws by whole mean: inversion against a table of the
/// cumulative probabilities below a mean of 30, [`poisson`] above.
struct Cdf {
    tables: Vec<Vec<f64>>,
}

impl Cdf {
    const SMALL: u64 = 30;

    fn tables() -> Cdf {
        let tables = (0..Cdf::SMALL)
            .map(|m| {
                let mean = m as f64;
                let mut p = (-mean).exp();
                let mut f = p;
                let mut t = vec![f];
                let mut x = 0.0;
                while f < 1.0 - 1e-17 && t.len() < 200 {
                    x += 1.0;
                    p *= mean / x;
                    f += p;
                    t.push(f);
                }
                t
            })
            .collect();
        Cdf { tables }
    }

    fn draw(&self, mean: u64, h: u64) -> u64 {
        match self.tables.get(mean as usize) {
            Some(t) => {
                let u = uniform(h);
                t.iter().position(|f| u < *f).unwrap_or(t.len()) as u64
            }
            None => poisson(mean as f64, h),
        }
    }
}

/// The point estimate's columns, then `NAME_lo` and `NAME_hi` for each of
/// its numeric columns that is not a key, in their order: the quantiles of
/// the column over the rows of `replicated` with the same keys. The
/// intervals come after the metric's own columns, so the first columns of
/// an answer are the same with `--ci` as without.
fn quantiles(
    point: &RecordBatch,
    replicated: &RecordBatch,
    keys: &[&str],
    fixed: &[&str],
    iv: &Intervals,
) -> Result<RecordBatch> {
    let schema = point.schema();
    let key_idx: Vec<usize> = keys
        .iter()
        .map(|k| schema.index_of(k))
        .collect::<std::result::Result<_, _>>()?;
    let conv = RowConverter::new(
        key_idx
            .iter()
            .map(|i| SortField::new(schema.field(*i).data_type().clone()))
            .collect(),
    )?;
    let point_rows = conv.convert_columns(
        &key_idx
            .iter()
            .map(|i| point.column(*i).clone())
            .collect::<Vec<_>>(),
    )?;
    let mut row_of: HashMap<&[u8], usize> = HashMap::new();
    for i in 0..point.num_rows() {
        row_of.insert(point_rows.row(i).data(), i);
    }
    let rschema = replicated.schema();
    let rkeys = keys
        .iter()
        .map(|k| {
            let c = replicated.column(rschema.index_of(k)?);
            Ok(cast(c, schema.field(schema.index_of(k)?).data_type())?)
        })
        .collect::<Result<Vec<_>>>()?;
    let rep_rows = conv.convert_columns(&rkeys)?;
    let targets: Vec<Option<usize>> = (0..replicated.num_rows())
        .map(|i| row_of.get(rep_rows.row(i).data()).copied())
        .collect();
    let numeric = |t: &DataType| t.is_integer() || t.is_floating();
    let (qlo, qhi) = (
        (1.0 - iv.level / 100.0) / 2.0,
        (1.0 + iv.level / 100.0) / 2.0,
    );
    let mut fields: Vec<Field> = schema.fields().iter().map(|f| (**f).clone()).collect();
    let mut cols: Vec<ArrayRef> = point.columns().to_vec();
    for (i, f) in schema.fields().iter().enumerate() {
        if key_idx.contains(&i)
            || !numeric(f.data_type())
            || f.name() == REPLICATE
            || fixed.contains(&f.name().as_str())
        {
            continue;
        }
        let rc = cast(
            replicated.column(rschema.index_of(f.name())?),
            &DataType::Float64,
        )?;
        let rc = rc.as_any().downcast_ref::<Float64Array>().unwrap();
        let mut per: Vec<Vec<f64>> = vec![Vec::new(); point.num_rows()];
        for (k, t) in targets.iter().enumerate() {
            if let Some(t) = t
                && rc.is_valid(k)
                && rc.value(k).is_finite()
            {
                per[*t].push(rc.value(k));
            }
        }
        let (mut lo, mut hi) = (Vec::new(), Vec::new());
        for v in &mut per {
            v.sort_unstable_by(f64::total_cmp);
            lo.push(quantile(v, qlo));
            hi.push(quantile(v, qhi));
        }
        for (suffix, q) in [("lo", lo), ("hi", hi)] {
            fields.push(Field::new(
                format!("{}_{suffix}", f.name()),
                DataType::Float64,
                true,
            ));
            cols.push(Arc::new(Float64Array::from(q)));
        }
    }
    Ok(RecordBatch::try_new(Arc::new(Schema::new(fields)), cols)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Poisson draws have the mean and variance of their mean, small and
    /// large (inversion and PTRS), and depend on the hash only.
    #[test]
    fn poisson_draws_have_their_moments() {
        for mean in [0.5, 1.0, 7.0, 29.0, 31.0, 400.0, 25_000.0] {
            let n = 40_000u64;
            let xs: Vec<f64> = (0..n).map(|i| poisson(mean, mix(i)) as f64).collect();
            let m = xs.iter().sum::<f64>() / n as f64;
            let v = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1) as f64;
            // Standard errors of the mean and the variance: √(λ/n), about λ√(2/n).
            assert!(
                (m - mean).abs() < 5.0 * (mean / n as f64).sqrt(),
                "mean {m} for {mean}"
            );
            assert!((v / mean - 1.0).abs() < 0.05, "variance {v} for {mean}");
            assert_eq!(poisson(mean, mix(3)), poisson(mean, mix(3)));
        }
        // P(X = 0) of Poisson(1) is e^-1.
        let zeros = (0..100_000u64)
            .filter(|i| poisson(1.0, mix(*i)) == 0)
            .count();
        assert!(
            (zeros as f64 / 1e5 - (-1f64).exp()).abs() < 0.006,
            "{zeros}"
        );
        assert_eq!(poisson(0.0, 1), 0);
    }

    /// Worked by hand: type-7 quantiles of 1..=5 and of one value.
    #[test]
    fn quantiles_interpolate_between_order_statistics() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile(&v, 0.5), Some(3.0));
        assert_eq!(quantile(&v, 0.25), Some(2.0));
        assert_eq!(quantile(&v, 0.1), Some(1.4));
        assert_eq!(quantile(&v, 1.0), Some(5.0));
        assert_eq!(quantile(&[7.0], 0.025), Some(7.0));
        assert_eq!(quantile(&[], 0.5), None);
    }

    #[test]
    fn ln_factorial_meets_the_exact_sum() {
        for k in [0u64, 1, 5, 63, 64, 100, 1000] {
            let exact: f64 = (2..=k).map(|i| (i as f64).ln()).sum();
            assert!(
                (ln_factorial(k) - exact).abs() < 1e-9 * exact.max(1.0),
                "{k}"
            );
        }
    }
}
