//! The cohort model: researchers by (origin, country of work), moved one
//! year at a time by rates fitted on the observed careers
//! (docs/projection.md gives the equations).
//!
//! Everything here is plain arithmetic over a [`Panel`] of careers, so that
//! each rule is pinned by small hand-worked cases (the tests below) and the
//! bootstrap refits it cheaply: a replicate is the same fit with a weight
//! per researcher.

use std::collections::HashMap;

use super::scenario::Resolved;

/// The most countries the model keeps as states; the rest are pooled into
/// [`OTHER`] (by researcher-years, largest first). 40 covers every
/// country with a measurable share of AI researchers in OpenAlex.
pub const MAX_STATES: usize = 40;

/// The pooled state of the countries beyond [`MAX_STATES`].
pub const OTHER: &str = "other";

/// The observed careers, indexed: one entry per researcher, and their
/// observed years in order.
#[derive(Debug, Clone, Default)]
pub struct Panel {
    /// State index → country code ([`OTHER`] last, when there is one).
    pub countries: Vec<String>,
    /// Per researcher: the state of the origin.
    pub origin: Vec<u16>,
    /// Per researcher: a hash of the author id (the bootstrap's draws).
    pub key: Vec<u64>,
    /// Per researcher `r`, its observed years are `offsets[r]..offsets[r + 1]`.
    pub offsets: Vec<u32>,
    /// Per observed year: the year.
    pub year: Vec<i32>,
    /// Per observed year: the state of the main country.
    pub country: Vec<u16>,
    /// Per observed year: the researcher's AI works.
    pub ai: Vec<f32>,
    /// Per observed year: the researcher's highly cited AI works.
    pub hc: Vec<f32>,
}

/// One observed year of a researcher, as read from `projection_years`.
#[derive(Debug, Clone)]
pub struct Row {
    /// The author id.
    pub author: String,
    /// The year.
    pub year: i32,
    /// The main country.
    pub country: String,
    /// The origin.
    pub origin: String,
    /// AI works.
    pub ai: f64,
    /// Highly cited AI works.
    pub hc: f64,
}

/// A [`Panel`] built from observed years streamed in any order, each
/// country code and author id held once (a panel of millions of observed
/// years would otherwise hold millions of strings).
#[derive(Debug, Default)]
pub struct PanelBuilder {
    codes: Vec<String>,
    code_index: HashMap<String, u16>,
    authors: HashMap<String, u32>,
    origins: Vec<u16>,
    /// (researcher, year, country code, AI works, highly cited).
    rows: Vec<(u32, i32, u16, f32, f32)>,
}

impl PanelBuilder {
    fn code(&mut self, c: &str) -> u16 {
        if let Some(&i) = self.code_index.get(c) {
            return i;
        }
        let i = self.codes.len() as u16;
        self.codes.push(c.to_string());
        self.code_index.insert(c.to_string(), i);
        i
    }

    /// Add one observed year.
    pub fn push(&mut self, author: &str, year: i32, country: &str, origin: &str, ai: f64, hc: f64) {
        let country = self.code(country);
        let r = match self.authors.get(author) {
            Some(&r) => r,
            None => {
                let r = self.origins.len() as u32;
                let origin = self.code(origin);
                self.origins.push(origin);
                self.authors.insert(author.to_string(), r);
                r
            }
        };
        self.rows.push((r, year, country, ai as f32, hc as f32));
    }

    /// The panel, researchers in the order of their ids (`key` hashes an
    /// id for the bootstrap), with the states `countries`, or the
    /// [`MAX_STATES`] countries with the most observed years (ties by code)
    /// and [`OTHER`] for the rest.
    pub fn build(self, key: impl Fn(&str) -> u64, countries: Option<Vec<String>>) -> Panel {
        let countries = countries.unwrap_or_else(|| {
            let mut weight = vec![0u64; self.codes.len()];
            for r in &self.rows {
                weight[r.2 as usize] += 1;
            }
            let mut ranked: Vec<usize> = (0..self.codes.len()).collect();
            ranked.sort_by(|&a, &b| {
                weight[b]
                    .cmp(&weight[a])
                    .then(self.codes[a].cmp(&self.codes[b]))
            });
            let mut c: Vec<String> = ranked
                .iter()
                .take(MAX_STATES)
                .map(|&i| self.codes[i].clone())
                .collect();
            if ranked.len() > MAX_STATES {
                c.push(OTHER.to_string());
            }
            c
        });
        let other = countries.len().saturating_sub(1) as u16;
        let state: Vec<u16> = self
            .codes
            .iter()
            .map(|c| {
                countries
                    .iter()
                    .position(|k| k == c)
                    .map_or(other, |i| i as u16)
            })
            .collect();
        // Researchers by id, then each one's years in order.
        let mut ids: Vec<(&String, u32)> = self.authors.iter().map(|(a, &r)| (a, r)).collect();
        ids.sort();
        let mut rank = vec![0u32; ids.len()];
        for (i, (_, r)) in ids.iter().enumerate() {
            rank[*r as usize] = i as u32;
        }
        let mut rows = self.rows;
        rows.sort_by_key(|r| (rank[r.0 as usize], r.1));
        let mut p = Panel {
            offsets: vec![0],
            ..Panel::default()
        };
        for (author, r) in &ids {
            p.origin.push(state[self.origins[*r as usize] as usize]);
            p.key.push(key(author));
        }
        let mut at = 0;
        for r in &rows {
            while at < rank[r.0 as usize] {
                p.offsets.push(p.year.len() as u32);
                at += 1;
            }
            p.year.push(r.1);
            p.country.push(state[r.2 as usize]);
            p.ai.push(r.3);
            p.hc.push(r.4);
        }
        while p.offsets.len() < ids.len() + 1 {
            p.offsets.push(p.year.len() as u32);
        }
        p.countries = countries;
        p
    }
}

impl Panel {
    /// The panel of `rows` (any order): countries beyond [`MAX_STATES`] (by
    /// researcher-years, ties by code) pooled into [`OTHER`].
    pub fn new(rows: Vec<Row>, key: impl Fn(&str) -> u64) -> Panel {
        Panel::builder(rows).build(key, None)
    }

    /// The panel of `rows` with these states (a code not among them goes
    /// to the last, [`OTHER`] when there is one).
    pub fn with_countries(
        rows: Vec<Row>,
        key: impl Fn(&str) -> u64,
        countries: Vec<String>,
    ) -> Panel {
        Panel::builder(rows).build(key, Some(countries))
    }

    fn builder(rows: Vec<Row>) -> PanelBuilder {
        let mut b = PanelBuilder::default();
        for r in &rows {
            b.push(&r.author, r.year, &r.country, &r.origin, r.ai, r.hc);
        }
        b
    }

    /// Each researcher with a weight above 0 (1 each without `weights`):
    /// `(weight, origin state, range of their observed years)`.
    fn weighted<'a>(
        &'a self,
        weights: Option<&'a [f64]>,
    ) -> impl Iterator<Item = (f64, usize, std::ops::Range<usize>)> + 'a {
        (0..self.researchers()).filter_map(move |r| {
            let w = weights.map_or(1.0, |w| w[r]);
            (w != 0.0).then(|| {
                let range = self.offsets[r] as usize..self.offsets[r + 1] as usize;
                (w, self.origin[r] as usize, range)
            })
        })
    }

    /// Number of researchers.
    pub fn researchers(&self) -> usize {
        self.origin.len()
    }

    /// Number of states.
    pub fn states(&self) -> usize {
        self.countries.len()
    }

    /// The state of a country code, if it is one (not pooled).
    pub fn state(&self, code: &str) -> Option<usize> {
        self.countries.iter().position(|c| c == code)
    }

    /// The first and last observed year.
    pub fn years(&self) -> Option<(i32, i32)> {
        Some((*self.year.iter().min()?, *self.year.iter().max()?))
    }
}

/// How the model is fitted: the years it reads and how much it pools.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spec {
    /// The first year of the data (the range's start): entries in the
    /// first `censor` years are left out (researchers active before the
    /// range look like entries there).
    pub first_year: i32,
    /// The last year of data the fit may read.
    pub fit_to: i32,
    /// Years at the end of the data whose exits cannot be told from gaps:
    /// the base year is `fit_to - censor`.
    pub censor: i32,
    /// Years of transitions (and entries, and productivity) the rates
    /// pool.
    pub window: i32,
    /// Strength of the pooling of sparse cells toward their country and
    /// the world, in researcher-years (0: raw rates).
    pub prior: f64,
    /// Whether entries follow their fitted trend (else they stay at the
    /// window's mean level).
    pub trend: bool,
}

/// The pooling strength of the model: a cell with this many
/// researcher-years is halfway between its own rate and its country's.
pub const PRIOR: f64 = 10.0;
/// The pooling strength of an origin's entry trend toward the world's, in
/// entries: an origin's own growth needs thousands of entries to stand
/// apart (a few hundred give a slope error of ±0.1 a year, which compounds).
pub const TREND_PRIOR: f64 = 1000.0;
/// The fewest years the entries' trend reads (the rates' window, if longer).
pub const TREND_YEARS: i32 = 6;
/// The largest yearly growth (or decline) of entries the trend projects,
/// as a log rate: ±25% a year.
pub const MAX_TREND: f64 = 0.223;

impl Spec {
    /// The base year: the last year whose stocks the fit can trust.
    pub fn base(&self) -> i32 {
        self.fit_to - self.censor
    }

    /// The first year of a credible entry: researchers first observed
    /// earlier may have been active before the range.
    pub fn entry_from(&self) -> i32 {
        self.first_year + self.censor
    }

    /// The constant-rates baseline of this spec: the base year's rates,
    /// unpooled, and the base year's entries, without a trend.
    pub fn constant(&self) -> Spec {
        Spec {
            window: 1,
            prior: 0.0,
            trend: false,
            ..*self
        }
    }
}

/// The career stages: years since a credible entry (the first observed
/// year, after the range's censored start), 0 to 3, and a last stage for
/// four years and more, or an entry before the data could see it.
/// Researchers leave and move at rates of their career age (many authors
/// publish in one year only; moves come later in a career), so a field
/// whose age mix changes is not projected with the rates of another mix.
pub const STAGES: usize = 5;
/// The entrants' stage (their entry year).
pub const ENTRANT: usize = 0;
/// The last stage: four years or more since entry, or entry unseen.
pub const LATER: usize = STAGES - 1;

/// The stage of year `t` of a researcher first observed in `first`
/// (`credible`: an entry the data could see).
pub fn stage_of(t: i32, first: i32, credible: bool) -> usize {
    if credible {
        usize::try_from(t - first).map_or(LATER, |a| a.min(LATER))
    } else {
        LATER
    }
}

/// What a fit counts, weighted: the sufficient statistics of the rates.
#[derive(Debug, Clone)]
struct Counts {
    k: usize,
    /// At risk, exits, moves (returns included), returns: per (stage,
    /// origin, country) cell `(s * k + o) * k + c`.
    risk: Vec<f64>,
    exits: Vec<f64>,
    moves: Vec<f64>,
    returns: Vec<f64>,
    /// Moves that are not returns, per (origin, from, to): `(o * k + c) * k + d`.
    dest: Vec<f64>,
    /// Per origin and year offset from `first_year`: entries.
    entries: Vec<Vec<f64>>,
    /// Present researcher-years, AI works and highly cited works per
    /// country over the productivity window.
    present: Vec<f64>,
    ai: Vec<f64>,
    hc: Vec<f64>,
}

/// Stocks and output per year: what the data says ([`observe`]), or what
/// a projection says ([`project`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Years {
    /// The first year.
    pub first_year: i32,
    /// Per year from `first_year`: researchers present per (origin,
    /// country) cell `o * k + c`.
    pub stock: Vec<Vec<f64>>,
    /// Per year: AI works per country of the researchers present.
    pub ai: Vec<Vec<f64>>,
    /// Per year: highly cited AI works per country.
    pub hc: Vec<Vec<f64>>,
    /// Per year: researchers per (stage, origin, country) cell
    /// `(s * k + o) * k + c` ([`stage_of`]); `stock` is their sum over
    /// stages.
    pub staged: Vec<Vec<f64>>,
}

impl Years {
    /// The cells of `year`, if among the years.
    pub fn at(&self, year: i32) -> Option<&[f64]> {
        let i = usize::try_from(year - self.first_year).ok()?;
        self.stock.get(i).map(Vec::as_slice)
    }
}

/// The observed stocks of `panel` for the years `first_year..=last_year`
/// with a weight per researcher (1 each without `weights`): a researcher
/// is present from the first observed year to the last, in the country of
/// the latest observed year; output counts in observed years. An entry is
/// credible from `entry_from` on (the range's start and its censored
/// years before: researchers first seen there may have been active
/// before).
pub fn observe(
    panel: &Panel,
    first_year: i32,
    last_year: i32,
    entry_from: i32,
    weights: Option<&[f64]>,
) -> Years {
    let k = panel.states();
    let n_years = (last_year - first_year + 1).max(0) as usize;
    let mut o = Years {
        first_year,
        stock: vec![vec![0.0; k * k]; n_years],
        ai: vec![vec![0.0; k]; n_years],
        hc: vec![vec![0.0; k]; n_years],
        staged: vec![vec![0.0; STAGES * k * k]; n_years],
    };
    for (w, origin, years) in panel.weighted(weights) {
        let (a, b) = (years.start, years.end);
        let first = panel.year[a];
        let credible = first >= entry_from;
        for i in a..b {
            let (y, c) = (panel.year[i], panel.country[i] as usize);
            if y > last_year {
                break;
            }
            let until = if i + 1 < b {
                (panel.year[i + 1] - 1).min(last_year)
            } else {
                y
            };
            for t in y.max(first_year)..=until {
                let i = (t - first_year) as usize;
                o.stock[i][origin * k + c] += w;
                o.staged[i][(stage_of(t, first, credible) * k + origin) * k + c] += w;
            }
            if y >= first_year {
                let t = (y - first_year) as usize;
                o.ai[t][c] += w * f64::from(panel.ai[i]);
                o.hc[t][c] += w * f64::from(panel.hc[i]);
            }
        }
    }
    o
}

fn count(panel: &Panel, spec: &Spec, weights: Option<&[f64]>) -> Counts {
    let k = panel.states();
    let base = spec.base();
    let n_years = (spec.fit_to - spec.first_year + 1).max(0) as usize;
    let mut n = Counts {
        k,
        risk: vec![0.0; STAGES * k * k],
        exits: vec![0.0; STAGES * k * k],
        moves: vec![0.0; STAGES * k * k],
        returns: vec![0.0; STAGES * k * k],
        dest: vec![0.0; STAGES * k * k * k],
        entries: vec![vec![0.0; n_years]; k],
        present: vec![0.0; k],
        ai: vec![0.0; k],
        hc: vec![0.0; k],
    };
    // Transitions t -> t + 1 with t + 1 in the window ending at the base;
    // productivity over the window's years.
    let (risk_from, risk_to) = (base - spec.window, base - 1);
    let (prod_from, prod_to) = (base - spec.window + 1, base);
    let entry_from = spec.entry_from();
    for (w, o, years) in panel.weighted(weights) {
        let (a, b) = (years.start, years.end);
        // The observed years the fit may read.
        let b = a + panel.year[a..b]
            .iter()
            .take_while(|&&y| y <= spec.fit_to)
            .count();
        if a == b {
            continue;
        }
        let first = panel.year[a];
        let entered = first >= entry_from && first >= spec.first_year;
        if entered {
            n.entries[o][(first - spec.first_year) as usize] += w;
        }
        let last = panel.year[b - 1];
        for i in a..b {
            let (y, c) = (panel.year[i], panel.country[i] as usize);
            let end = if i + 1 < b { panel.year[i + 1] - 1 } else { y };
            for t in y..=end {
                if (prod_from..=prod_to).contains(&t) {
                    n.present[c] += w;
                    if t == y {
                        n.ai[c] += w * f64::from(panel.ai[i]);
                        n.hc[c] += w * f64::from(panel.hc[i]);
                    }
                }
                if !(risk_from..=risk_to).contains(&t) {
                    continue;
                }
                let cell = (stage_of(t, first, entered) * k + o) * k + c;
                n.risk[cell] += w;
                if t == last {
                    n.exits[cell] += w;
                } else if t == end {
                    let d = panel.country[i + 1] as usize;
                    if d != c {
                        n.moves[cell] += w;
                        if d == o {
                            n.returns[cell] += w;
                        } else {
                            n.dest[cell * k + d] += w;
                        }
                    }
                }
            }
        }
    }
    n
}

/// Fitted yearly rates, one set per (origin, country) cell.
#[derive(Debug, Clone)]
pub struct Rates {
    /// Number of states.
    pub k: usize,
    /// The spec fitted.
    pub spec: Spec,
    /// P(exit) per (stage, origin, country) cell `(s * k + o) * k + c`.
    pub exit: Vec<f64>,
    /// P(move to another country) per cell.
    pub mv: Vec<f64>,
    /// P(the move is back to the origin | move) per cell (0 at home).
    pub ret: Vec<f64>,
    /// P(destination d | a move that is not a return), per cell:
    /// `cell * k + d`; 0 for d = c and d = o.
    pub dest: Vec<f64>,
    /// The same, sparse: cell `i`'s destinations above 0 are
    /// `dest_to[dest_at[i]..dest_at[i + 1]]`, with `dest_p` (what a
    /// projection reads: most cells have a few).
    pub dest_at: Vec<u32>,
    /// Destinations, by cell.
    pub dest_to: Vec<u16>,
    /// Their probabilities.
    pub dest_p: Vec<f64>,
    /// Per origin: entries in the base year, as the trend has them (its
    /// level).
    pub entry_level: Vec<f64>,
    /// Per origin: the yearly log growth of entries.
    pub entry_growth: Vec<f64>,
    /// Per origin and year offset from `first_year` up to `fit_to`:
    /// observed entries.
    pub entries: Vec<Vec<f64>>,
    /// Per country: AI works and highly cited works per researcher-year.
    pub ai_rate: Vec<f64>,
    /// Per country: highly cited works per researcher-year.
    pub hc_rate: Vec<f64>,
}

/// `(num + prior * toward) / (den + prior)`, or `toward` over nothing (0
/// with no prior and nothing).
fn pooled(num: f64, den: f64, prior: f64, toward: f64) -> f64 {
    if den + prior <= 0.0 {
        return if prior > 0.0 { toward } else { 0.0 };
    }
    (num + prior * toward) / (den + prior)
}

/// Fit the rates of `spec` on `panel` (weighted per researcher).
pub fn fit(panel: &Panel, spec: &Spec, weights: Option<&[f64]>) -> Rates {
    let n = count(panel, spec, weights);
    let k = n.k;
    let kk = k * k;
    let prior = spec.prior;
    let sum = |v: &[f64]| v.iter().sum::<f64>();
    let mut r = Rates {
        k,
        spec: *spec,
        exit: vec![0.0; STAGES * kk],
        mv: vec![0.0; STAGES * kk],
        ret: vec![0.0; STAGES * kk],
        dest: vec![0.0; STAGES * kk * k],
        dest_at: Vec::new(),
        dest_to: Vec::new(),
        dest_p: Vec::new(),
        entry_level: vec![0.0; k],
        entry_growth: vec![0.0; k],
        entries: n.entries.clone(),
        ai_rate: vec![0.0; k],
        hc_rate: vec![0.0; k],
    };
    // Inflows that are not returns, by destination: the world's
    // destinations (one nobody moved into in the window stays impossible).
    let mut inflow = vec![0.0; k];
    for row in n.dest.chunks(k) {
        for (total, x) in inflow.iter_mut().zip(row) {
            *total += x;
        }
    }
    // The world's rates over both stages: what a stage's world rates are
    // pooled toward.
    let abroad_all: f64 = (0..STAGES * kk)
        .filter(|i| (i % kk) / k != i % k)
        .map(|i| n.moves[i])
        .sum();
    let all = (
        pooled(sum(&n.exits), sum(&n.risk), 0.0, 0.0),
        pooled(sum(&n.moves), sum(&n.risk), 0.0, 0.0),
        pooled(sum(&n.returns), abroad_all, 0.0, 0.0),
    );
    for st in 0..STAGES {
        let at = |v: &[f64], o: usize, c: usize| v[(st * k + o) * k + c];
        let stage = |v: &[f64]| sum(&v[st * kk..(st + 1) * kk]);
        // The stage's world, pooled toward both stages'.
        let abroad_w: f64 = (0..k)
            .flat_map(|o| (0..k).filter(move |&c| c != o).map(move |c| (o, c)))
            .map(|(o, c)| at(&n.moves, o, c))
            .sum();
        let risk_w = stage(&n.risk);
        let exit_w = pooled(stage(&n.exits), risk_w, prior, all.0);
        let mv_w = pooled(stage(&n.moves), risk_w, prior, all.1);
        let ret_w = pooled(stage(&n.returns), abroad_w, prior, all.2);
        // Each country's, pooled toward the stage's world.
        let mut exit_c = vec![0.0; k];
        let mut mv_c = vec![0.0; k];
        let mut ret_c = vec![0.0; k];
        let mut dest_c = vec![0.0; kk];
        for c in 0..k {
            let col = |v: &[f64]| (0..k).map(|o| at(v, o, c)).sum::<f64>();
            let risk = col(&n.risk);
            exit_c[c] = pooled(col(&n.exits), risk, prior, exit_w);
            mv_c[c] = pooled(col(&n.moves), risk, prior, mv_w);
            let abroad: f64 = (0..k).filter(|&o| o != c).map(|o| at(&n.moves, o, c)).sum();
            let rets: f64 = (0..k)
                .filter(|&o| o != c)
                .map(|o| at(&n.returns, o, c))
                .sum();
            ret_c[c] = pooled(rets, abroad, prior, ret_w);
            let out: Vec<f64> = (0..k)
                .map(|d| (0..k).map(|o| n.dest[((st * k + o) * k + c) * k + d]).sum())
                .collect();
            let world_total: f64 = (0..k).filter(|&d| d != c).map(|d| inflow[d]).sum();
            let total = sum(&out);
            for d in (0..k).filter(|&d| d != c) {
                let toward = if world_total > 0.0 {
                    inflow[d] / world_total
                } else {
                    0.0
                };
                dest_c[c * k + d] = pooled(out[d], total, prior, toward);
            }
        }
        // Each cell's, pooled toward its country's.
        for o in 0..k {
            for c in 0..k {
                let cell = (st * k + o) * k + c;
                let risk = n.risk[cell];
                r.exit[cell] = pooled(n.exits[cell], risk, prior, exit_c[c]);
                r.mv[cell] = pooled(n.moves[cell], risk, prior, mv_c[c]);
                if o != c {
                    r.ret[cell] = pooled(n.returns[cell], n.moves[cell], prior, ret_c[c]);
                }
                // Destinations other than the country left and the origin.
                let others = || (0..k).filter(|&d| d != c && d != o);
                let own: f64 = others().map(|d| n.dest[cell * k + d]).sum();
                let toward: f64 = others().map(|d| dest_c[c * k + d]).sum();
                let mut row = vec![0.0; k];
                for d in others() {
                    let t = if toward > 0.0 {
                        dest_c[c * k + d] / toward
                    } else {
                        0.0
                    };
                    row[d] = pooled(n.dest[cell * k + d], own, prior, t);
                }
                let total: f64 = row.iter().sum();
                if total > 0.0 {
                    row.iter_mut().for_each(|x| *x /= total);
                }
                r.dest[cell * k..(cell + 1) * k].copy_from_slice(&row);
            }
        }
    }
    r.sparse_destinations();
    // Productivity per country, pooled toward the world's.
    let ai_w = pooled(sum(&n.ai), sum(&n.present), 0.0, 0.0);
    let hc_w = pooled(sum(&n.hc), sum(&n.present), 0.0, 0.0);
    for c in 0..k {
        r.ai_rate[c] = pooled(n.ai[c], n.present[c], PRIOR.max(prior), ai_w);
        r.hc_rate[c] = pooled(n.hc[c], n.present[c], PRIOR.max(prior), hc_w);
    }
    fit_entries(&mut r, &n.entries);
    r
}

/// The entries' trend per origin: over the window's years, at least
/// [`TREND_YEARS`] (those after the left-censored start), a log-linear fit of each origin's entries, its
/// slope pooled toward the world's (itself pooled toward no trend; both
/// with [`TREND_PRIOR`]) and capped
/// ([`MAX_TREND`]); the level at the base year such that the window's total is
/// kept.
fn fit_entries(r: &mut Rates, entries: &[Vec<f64>]) {
    let spec = r.spec;
    let years_read = if spec.trend {
        spec.window.max(TREND_YEARS)
    } else {
        spec.window
    };
    // Up to the base year: entries of the censored years may be short too
    // (a year not yet fully indexed, careers cut by the data's end).
    let base = spec.base();
    let from = (base - years_read + 1).max(spec.entry_from());
    let years: Vec<i32> = (from..=base).collect();
    let at = |o: usize, y: i32| entries[o][(y - spec.first_year) as usize];
    // Weighted least squares of ln(n + 0.5) on the year.
    let slope = |series: &[(f64, f64)]| -> Option<f64> {
        if series.len() < 3 {
            return None;
        }
        let w: Vec<f64> = series.iter().map(|(_, n)| n + 0.5).collect();
        let sw: f64 = w.iter().sum();
        let mx = series.iter().zip(&w).map(|((x, _), w)| w * x).sum::<f64>() / sw;
        let my = series
            .iter()
            .zip(&w)
            .map(|((_, n), w)| w * (n + 0.5).ln())
            .sum::<f64>()
            / sw;
        let sxx: f64 = series
            .iter()
            .zip(&w)
            .map(|((x, _), w)| w * (x - mx).powi(2))
            .sum();
        let sxy: f64 = series
            .iter()
            .zip(&w)
            .map(|((x, n), w)| w * (x - mx) * ((n + 0.5).ln() - my))
            .sum();
        (sxx > 0.0).then(|| sxy / sxx)
    };
    let k = r.k;
    let world: Vec<(f64, f64)> = years
        .iter()
        .map(|&y| (f64::from(y), (0..k).map(|o| at(o, y)).sum()))
        .collect();
    // The world's slope, pooled toward no trend in the same way: a few
    // hundred entries (a sample of works) do not make a trend.
    let world_total: f64 = world.iter().map(|s| s.1).sum();
    let g_world = if spec.trend {
        slope(&world).unwrap_or(0.0) * world_total / (world_total + TREND_PRIOR)
    } else {
        0.0
    };
    for o in 0..k {
        let series: Vec<(f64, f64)> = years.iter().map(|&y| (f64::from(y), at(o, y))).collect();
        let total: f64 = series.iter().map(|s| s.1).sum();
        let g = if spec.trend {
            let own = slope(&series).unwrap_or(g_world);
            ((total * own + TREND_PRIOR * g_world) / (total + TREND_PRIOR))
                .clamp(-MAX_TREND, MAX_TREND)
        } else {
            0.0
        };
        let weight: f64 = years.iter().map(|&y| (g * f64::from(y - base)).exp()).sum();
        r.entry_growth[o] = g;
        r.entry_level[o] = if weight > 0.0 { total / weight } else { 0.0 };
    }
}

impl Rates {
    /// Build the sparse form of `dest`.
    pub fn sparse_destinations(&mut self) {
        let k = self.k;
        let cells = self.dest.len() / k.max(1);
        self.dest_at = Vec::with_capacity(cells + 1);
        self.dest_to.clear();
        self.dest_p.clear();
        self.dest_at.push(0);
        for row in self.dest.chunks(k.max(1)) {
            for (d, p) in row.iter().enumerate() {
                if *p > 0.0 {
                    self.dest_to.push(d as u16);
                    self.dest_p.push(*p);
                }
            }
            self.dest_at.push(self.dest_to.len() as u32);
        }
    }

    /// Entries of origin `o` in `year`: observed up to the base year, the
    /// trend after (the censored years included).
    pub fn entries_in(&self, o: usize, year: i32) -> f64 {
        let base = self.spec.base();
        if year <= base {
            let i = year - self.spec.first_year;
            return usize::try_from(i)
                .ok()
                .and_then(|i| self.entries[o].get(i))
                .copied()
                .unwrap_or(0.0);
        }
        self.entry_level[o] * (self.entry_growth[o] * f64::from(year - base)).exp()
    }
}

/// Researchers per country of `cells` (summed over origins).
pub fn by_country(cells: &[f64], k: usize) -> Vec<f64> {
    (0..k)
        .map(|c| (0..k).map(|o| cells[o * k + c]).sum())
        .collect()
}

/// Project `start` (the base year's (stage, origin, country) cells,
/// [`Years::staged`]) to `until` with `rates`, under `scenario`'s
/// changes (none: the baseline). Each year, each cell's researchers exit,
/// move (back to the origin, or elsewhere) or stay, at the rates of their
/// stage, and are a year further in their career; then the year's entries
/// join their origin country as entrants.
pub fn project(rates: &Rates, start: &[f64], until: i32, scenario: Option<&Resolved>) -> Years {
    let k = rates.k;
    let kk = k * k;
    let base = rates.spec.base();
    let mut path = Years {
        first_year: base + 1,
        stock: Vec::new(),
        ai: Vec::new(),
        hc: Vec::new(),
        staged: Vec::new(),
    };
    let mut now = start.to_vec();
    let mut flows: Vec<(usize, f64)> = Vec::with_capacity(k);
    for year in base + 1..=until {
        let mut next = vec![0.0; STAGES * kk];
        let moves_change = scenario.is_some_and(|s| s.moves_in(year));
        for (cell, &n) in now.iter().enumerate() {
            if n <= 0.0 {
                continue;
            }
            let (st, o, c) = (cell / kk, (cell % kk) / k, cell % k);
            let exit =
                (rates.exit[cell] * scenario.map_or(1.0, |s| s.exit_factor(year, o, c))).min(1.0);
            let moving = n * rates.mv[cell];
            // The year's moves out of the cell: (destination, researchers).
            flows.clear();
            let ret = if o != c { rates.ret[cell] } else { 0.0 };
            if ret > 0.0 {
                flows.push((o, moving * ret));
            }
            let onward = moving * (1.0 - ret);
            let (from, to) = (
                rates.dest_at[cell] as usize,
                rates.dest_at[cell + 1] as usize,
            );
            for (d, p) in rates.dest_to[from..to].iter().zip(&rates.dest_p[from..to]) {
                flows.push((*d as usize, onward * p));
            }
            if moves_change && let Some(s) = scenario {
                for (d, f) in flows.iter_mut() {
                    *f *= s.move_factor(year, o, c, *d);
                }
            }
            let moved: f64 = flows.iter().map(|(_, f)| f).sum();
            let staying = n * (1.0 - exit);
            // A scenario cannot move more researchers than stay.
            let scale = if moved > staying && moved > 0.0 {
                staying / moved
            } else {
                1.0
            };
            let later = (st + 1).min(LATER) * kk + o * k;
            next[later + c] += staying - moved * scale;
            for (d, f) in &flows {
                next[later + d] += f * scale;
            }
        }
        for o in 0..k {
            let e = rates.entries_in(o, year) * scenario.map_or(1.0, |s| s.entry_factor(year, o));
            next[ENTRANT * kk + o * k + o] += e;
        }
        let cells: Vec<f64> = (0..kk)
            .map(|i| (0..STAGES).map(|st| next[st * kk + i]).sum())
            .collect();
        let people = by_country(&cells, k);
        path.ai
            .push((0..k).map(|c| people[c] * rates.ai_rate[c]).collect());
        path.hc
            .push((0..k).map(|c| people[c] * rates.hc_rate[c]).collect());
        path.stock.push(cells);
        path.staged.push(next.clone());
        now = next;
    }
    path
}

#[cfg(test)]
mod tests {
    use super::super::scenario::Scenario;
    use super::*;

    fn row(author: &str, year: i32, country: &str, origin: &str) -> Row {
        Row {
            author: author.into(),
            year,
            country: country.into(),
            origin: origin.into(),
            ai: 1.0,
            hc: 0.0,
        }
    }

    fn spec(first_year: i32, fit_to: i32, censor: i32, window: i32) -> Spec {
        Spec {
            first_year,
            fit_to,
            censor,
            window,
            prior: 0.0,
            trend: false,
        }
    }

    /// Three careers, by hand: A (US) 2010, 2012 in US, 2013 in GB; B (CN)
    /// 2011 CN, 2012 US, 2014 CN; C (US) 2010 only.
    fn panel() -> Panel {
        Panel::new(
            vec![
                row("A", 2010, "US", "US"),
                row("A", 2012, "US", "US"),
                row("A", 2013, "GB", "US"),
                row("B", 2011, "CN", "CN"),
                row("B", 2012, "US", "CN"),
                row("B", 2014, "CN", "CN"),
                row("C", 2010, "US", "US"),
            ],
            |a| a.len() as u64,
        )
    }

    #[test]
    fn presence_runs_from_first_to_last_year_in_the_latest_country() {
        let p = panel();
        // US has 4 observed years (A 2010, 2012; B 2012; C 2010), so it
        // comes first; then CN (2), GB (1).
        assert_eq!(p.countries, ["US", "CN", "GB"]);
        let o = observe(&p, 2010, 2014, 2011, None);
        let (us, cn, gb) = (0, 1, 2);
        let k = 3;
        let at = |y: i32, origin: usize, c: usize| o.stock[(y - 2010) as usize][origin * k + c];
        // 2010: A and C in the US.
        assert_eq!(at(2010, us, us), 2.0);
        // 2011: A in the gap (still US), B entered in CN.
        assert_eq!(at(2011, us, us), 1.0);
        assert_eq!(at(2011, cn, cn), 1.0);
        // 2013: A in GB; B in its gap, still in the US.
        assert_eq!(at(2013, us, gb), 1.0);
        assert_eq!(at(2013, cn, us), 1.0);
        // 2014: A gone (last seen 2013), B back in CN.
        assert_eq!(at(2014, us, gb), 0.0);
        assert_eq!(at(2014, cn, cn), 1.0);
        // Output only in observed years: 2011 has B's one work in CN only.
        assert_eq!(o.ai[1], vec![0.0, 1.0, 0.0]);
        assert_eq!(o.ai[0], vec![2.0, 0.0, 0.0]);
        // Stages: B entered in 2011 (credible from 2011 on): stage 0 in CN,
        // stage 1 in the US in 2012, stage 2 in its gap in 2013. A and C,
        // first seen in 2010, may have been active before: the last stage.
        let staged = |y: i32, s: usize, origin: usize, c: usize| {
            o.staged[(y - 2010) as usize][cell(k, s, origin, c)]
        };
        assert_eq!(staged(2011, ENTRANT, cn, cn), 1.0);
        assert_eq!(staged(2012, 1, cn, us), 1.0);
        assert_eq!(staged(2013, 2, cn, us), 1.0);
        assert_eq!(staged(2010, LATER, us, us), 2.0);
        assert_eq!(staged(2010, ENTRANT, us, us), 0.0);
    }

    fn cell(k: usize, s: usize, o: usize, c: usize) -> usize {
        (s * k + o) * k + c
    }

    #[test]
    fn raw_rates_count_exits_moves_and_returns_in_the_window() {
        let p = panel();
        let k = 3;
        let (us, cn, gb) = (0, 1, 2);
        // Base 2014 - 0 = 2014, window 4: transitions 2010→2011 … 2013→2014;
        // every first year is an entry (from 2010), and the stage is the
        // years since it.
        let r = fit(&p, &spec(2010, 2014, 0, 4), None);
        // US-origin entrants in the US: A and C in 2010; C exits.
        assert_eq!(r.exit[cell(k, ENTRANT, us, us)], 0.5);
        assert_eq!(r.mv[cell(k, ENTRANT, us, us)], 0.0);
        // A's second year (2011) stays; its third (2012) moves to GB.
        assert_eq!(r.mv[cell(k, 1, us, us)], 0.0);
        assert_eq!(r.exit[cell(k, 1, us, us)], 0.0);
        assert_eq!(r.mv[cell(k, 2, us, us)], 1.0);
        assert_eq!(r.dest[cell(k, 2, us, us) * k + gb], 1.0);
        // A in GB in 2013 (its fourth year) is its last: an exit.
        assert_eq!(r.exit[cell(k, 3, us, gb)], 1.0);
        // CN-origin: an entrant in CN in 2011 (moves to the US); in the US
        // 2012 (stays), 2013 (the gap, moving back home in 2013→2014: a
        // return).
        assert_eq!(r.mv[cell(k, ENTRANT, cn, cn)], 1.0);
        assert_eq!(r.dest[cell(k, ENTRANT, cn, cn) * k + us], 1.0);
        assert_eq!(r.mv[cell(k, 1, cn, us)], 0.0);
        assert_eq!(r.mv[cell(k, 2, cn, us)], 1.0);
        assert_eq!(r.ret[cell(k, 2, cn, us)], 1.0);
        assert_eq!(r.exit[cell(k, 2, cn, us)], 0.0);
    }

    #[test]
    fn exits_near_the_end_are_censored() {
        let p = panel();
        let k = 3;
        // Fit to 2014 with a censor of 2: base 2012, window 2: transitions
        // 2010→2011 and 2011→2012 only. C's exit (2010) is in; A's move in
        // 2012→2013 and its exit in 2013 are not.
        let r = fit(&p, &spec(2010, 2014, 2, 2), None);
        assert_eq!(r.spec.base(), 2012);
        // No credible entry before 2012: all at risk are established.
        // US-origin in the US: at risk A 2010, 2011, C 2010; C exits.
        let us_us = cell(k, LATER, 0, 0);
        assert!((r.exit[us_us] - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(r.mv[us_us], 0.0);
        assert_eq!(r.exit[us_us + 2], 0.0, "nothing at risk in GB: no rate");
        // B entered in 2011: an entry of CN; entries of the first
        // `censor` years (2010, 2011) are left out.
        assert_eq!(r.entries[1][1], 0.0);
        let r0 = fit(&p, &spec(2010, 2014, 0, 2), None);
        assert_eq!(r0.entries[1][1], 1.0);
    }

    #[test]
    fn pooling_pulls_a_sparse_cell_toward_its_country() {
        let p = panel();
        let k = 3;
        // Entries credible from 2012 only: every transition is of the
        // established stage.
        let mut s = spec(2012, 2014, 0, 4);
        s.prior = 10.0;
        let r = fit(&p, &s, None);
        // US country exits: US-origin 1 of 4 at risk, CN-origin 0 of 2 (B
        // in the US 2012, 2013): country rate pooled toward the world's
        // (exits 2 of 8 at risk: C, and A in GB): (1 + 10 * 2/8) / (6 + 10).
        let world = 2.0 / 8.0;
        let country = (1.0 + 10.0 * world) / (6.0 + 10.0);
        let want = (1.0 + 10.0 * country) / (4.0 + 10.0);
        let got = r.exit[cell(k, LATER, 0, 0)];
        assert!((got - want).abs() < 1e-12, "{got} vs {want}");
        // Entrants, never observed, take the world's rate.
        assert!((r.exit[cell(k, ENTRANT, 0, 0)] - world).abs() < 1e-12);
        // Every destination row sums to 1 and never names the country
        // left or the origin.
        for (st, o, c) in
            (0..STAGES).flat_map(|s| (0..k).flat_map(move |o| (0..k).map(move |c| (s, o, c))))
        {
            {
                let x = cell(k, st, o, c);
                let row = &r.dest[x * k..(x + 1) * k];
                assert_eq!(row[c], 0.0);
                assert_eq!(row[o], 0.0);
                let t: f64 = row.iter().sum();
                assert!(t == 0.0 || (t - 1.0).abs() < 1e-12, "{o} {c} {t}");
            }
        }
    }

    #[test]
    fn a_projection_moves_exits_and_adds_entries() {
        // Two states, rates by hand: US-origin in US: exit 0.1, move 0.2
        // (all to CN); CN-origin in CN: exit 0, move 0.5 to US; CN-origin in
        // US: exit 0, move 0.4, all returns. Entries: 10 CN a year.
        let k = 2;
        let countries = vec!["US".to_string(), "CN".to_string()];
        let s = spec(2000, 2010, 0, 1);
        // The same rates at every stage.
        let staged = |v: Vec<f64>| v.repeat(STAGES);
        let mut rates = Rates {
            k,
            spec: s,
            exit: staged(vec![0.1, 0.0, 0.0, 0.0]),
            mv: staged(vec![0.2, 0.0, 0.4, 0.5]),
            ret: staged(vec![0.0, 0.0, 1.0, 0.0]),
            dest: staged(vec![0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0]),
            dest_at: Vec::new(),
            dest_to: Vec::new(),
            dest_p: Vec::new(),
            entry_level: vec![0.0, 10.0],
            entry_growth: vec![0.0, 0.0],
            entries: vec![vec![0.0; 11], vec![0.0; 11]],
            ai_rate: vec![2.0, 1.0],
            hc_rate: vec![0.5, 0.0],
        };
        rates.sparse_destinations();
        // Start: 100 US in US, 50 CN in CN, 20 CN in US.
        // In the last stage.
        let at_stage = |s: usize, cells: [f64; 4]| {
            let mut v = vec![0.0; STAGES * 4];
            v[s * 4..(s + 1) * 4].copy_from_slice(&cells);
            v
        };
        let start = at_stage(LATER, [100.0, 0.0, 20.0, 50.0]);
        let path = project(&rates, &start, 2011, None);
        let y = &path.stock[0];
        // US-US: 100 * (1 - 0.1 - 0.2) = 70; US-origin in CN: 20.
        assert!((y[0] - 70.0).abs() < 1e-9);
        assert!((y[1] - 20.0).abs() < 1e-9);
        // CN in US: 20 * 0.6 + 50 * 0.5 = 37; CN in CN: 25 + 8 + 10 = 43.
        assert!((y[2] - 37.0).abs() < 1e-9);
        assert!((y[3] - 43.0).abs() < 1e-9);
        // Output: US 107 researchers * 2; CN 63 * 1.
        assert!((path.ai[0][0] - 214.0).abs() < 1e-9);
        assert!((path.ai[0][1] - 63.0).abs() < 1e-9);
        assert!((path.hc[0][0] - 53.5).abs() < 1e-9);

        // Halving CN-origin moves into the US from 2011: 12.5 move, and
        // the other 12.5 stay in CN.
        let scenario = Scenario::parse_one(
            "name = \"half\"\nfrom = 2011\n[[change]]\norigin = \"CN\"\nto = \"US\"\nfactor = 0.5\n",
        )
        .unwrap();
        let path = project(&rates, &start, 2011, Some(&scenario.resolve(&countries)));
        let y = &path.stock[0];
        assert!((y[2] - 24.5).abs() < 1e-9, "{}", y[2]);
        assert!((y[3] - 55.5).abs() < 1e-9, "{}", y[3]);
        // Returns doubled: 20 * 0.4 * 2 = 16 go home.
        let scenario =
            Scenario::parse_one("name = \"home\"\n[[change]]\nto = \"origin\"\nfactor = 2\n")
                .unwrap();
        let path = project(&rates, &start, 2011, Some(&scenario.resolve(&countries)));
        assert!((path.stock[0][2] - (4.0 + 25.0)).abs() < 1e-9);

        // Entrants take their stage's rates: all 50 CN researchers in CN
        // entrants, who all leave the field in their first year.
        rates.exit[cell(k, ENTRANT, 1, 1)] = 1.0;
        let mut start = at_stage(LATER, [100.0, 0.0, 20.0, 0.0]);
        start[3] = 50.0;
        let path = project(&rates, &start, 2012, None);
        // 2011: CN in CN = 8 returns + 10 entries; the US gets none of them.
        assert!(
            (path.stock[0][3] - 18.0).abs() < 1e-9,
            "{}",
            path.stock[0][3]
        );
        assert!((path.stock[0][2] - 12.0).abs() < 1e-9);
        // 2012: the 10 entrants of 2011 leave; the 8 established stay half
        // (move 0.5: 4 go to the US); 12 * 0.4 = 4.8 return from the US;
        // and 10 new entries come.
        assert!(
            (path.stock[1][3] - (4.0 + 4.8 + 10.0)).abs() < 1e-9,
            "{}",
            path.stock[1][3]
        );
    }

    /// One origin's entries: `per` researchers × 1, 2, 4 entering in
    /// 2008, 2009, 2010.
    fn entering(per: usize) -> Panel {
        let years = [(2008, per), (2009, 2 * per), (2010, 4 * per)];
        let rows = years
            .iter()
            .flat_map(|&(y, n)| (0..n).map(move |i| row(&format!("R{y}-{i}"), y, "US", "US")))
            .collect();
        Panel::new(rows, |_| 0)
    }

    /// The weighted least-squares slope of ln(n + ½) on the year, weights n
    /// + ½, over 2005–2010 (the trend's six years), worked out here again.
    fn slope(n: [f64; 6]) -> f64 {
        let x: Vec<f64> = (2005..=2010).map(f64::from).collect();
        let w: Vec<f64> = n.iter().map(|v| v + 0.5).collect();
        let y: Vec<f64> = n.iter().map(|v| (v + 0.5).ln()).collect();
        let sw: f64 = w.iter().sum();
        let mx = (0..6).map(|i| w[i] * x[i]).sum::<f64>() / sw;
        let my = (0..6).map(|i| w[i] * y[i]).sum::<f64>() / sw;
        let sxy: f64 = (0..6).map(|i| w[i] * (x[i] - mx) * (y[i] - my)).sum();
        let sxx: f64 = (0..6).map(|i| w[i] * (x[i] - mx).powi(2)).sum();
        sxy / sxx
    }

    #[test]
    fn entries_follow_their_trend() {
        let mut s = spec(2000, 2010, 0, 3);
        s.trend = true;
        // The trend reads TREND_YEARS = 6 years (2005–2010, the first three
        // without entries); the level keeps their total: N = L Σ e^(g (y - 2010)).
        let level = |n: f64, g: f64| n / (0..6).map(|i| (-g * f64::from(i)).exp()).sum::<f64>();

        // 70 entries: the world's slope (the same series) is pooled toward
        // none, the origin's toward the world's, both with 1,000 entries.
        let r = fit(&entering(10), &s, None);
        assert_eq!(r.entries_in(0, 2009), 20.0);
        let own = slope([0.0, 0.0, 0.0, 10.0, 20.0, 40.0]);
        let world = own * 70.0 / 1070.0;
        let g = (70.0 * own + 1000.0 * world) / 1070.0;
        assert!(g < MAX_TREND, "{g}: not capped");
        assert!(
            (r.entry_growth[0] - g).abs() < 1e-12,
            "{} vs {g}",
            r.entry_growth[0]
        );
        assert!((r.entry_level[0] - level(70.0, g)).abs() < 1e-9);
        assert!((r.entries_in(0, 2011) - level(70.0, g) * g.exp()).abs() < 1e-9);

        // 70,000 entries doubling each year: barely pooled, and capped.
        let r = fit(&entering(10_000), &s, None);
        assert!((r.entry_growth[0] - MAX_TREND).abs() < 1e-12);
        assert!((r.entry_level[0] - level(70_000.0, MAX_TREND)).abs() < 1e-6);

        // Without a trend: the window's mean.
        let r = fit(&entering(10), &spec(2000, 2010, 0, 3), None);
        assert!((r.entries_in(0, 2012) - 70.0 / 3.0).abs() < 1e-9);
    }
}
