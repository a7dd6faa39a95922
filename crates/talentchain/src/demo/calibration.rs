//! The demo world's calibration table: one place that says, per country, how
//! many researchers start their careers there, where they end up working, and
//! how likely they are to leave and to come back, with the source of each
//! number. Everything else in the demo derives from this table.
//!
//! Sources (see `/work/shared/FIELD.md` for the full citations):
//! - **MP1**: MacroPolo Global AI Talent Tracker 1.0 (NeurIPS 2019 authors):
//!   59% work in the US; 29% Chinese undergrad origin, 56% of whom go to the
//!   US; 53% work outside their undergrad country.
//! - **MP2**: MacroPolo 2.0 (NeurIPS 2022, published Mar-2024): 47% Chinese
//!   undergrad origin; 42% work outside their origin country; one-fifth of
//!   Indian-origin researchers stay in India; ~51% of Chinese undergrads stay
//!   in China for grad school, ~36% go to the US.
//! - **OA**: OpenAlex fractional counting, China ≈ 36% of AI papers by 2025;
//!   ETO: China leads AI output, the US leads highly cited papers.
//! - **OECD**: STI Scoreboard 2017 mobility categories (stayers, returnees,
//!   outflows between first and last recorded affiliation).
//! - **assumed**: no public figure; chosen so that the world is plausible and
//!   the shares add up. These are the numbers to revisit first.
//!
//! The table gives *targets*. `Calibration::solve` derives, once, the
//! attractiveness of each destination so that the expected share of
//! researchers by *current* (last-year) country equals `work` exactly, given
//! `origin` and `leave`. The tests check that a generated world lands on the
//! table within a stated tolerance.

/// One row of the calibration table.
#[derive(Debug, Clone, Copy)]
pub struct CountryRow {
    /// ISO-3166 alpha-2 code, as in OpenAlex `country_code`.
    pub code: &'static str,
    /// English display name, as in OpenAlex's countries vocabulary.
    pub name: &'static str,
    /// Share of researchers whose career starts here (origin).
    pub origin: f64,
    /// Target share of researchers (with ≥ 2 active years) whose last active
    /// year is here (current workplace).
    pub work: f64,
    /// Probability that a researcher of this origin (≥ 2 active years) ends
    /// the career abroad (emigrant).
    pub leave: f64,
    /// Probability that a researcher of this origin (≥ 3 active years) works
    /// abroad for a while and comes back (returnee).
    pub returnee: f64,
    /// Papers per active year, relative to the world mean, in the first and
    /// last year of the range (interpolated linearly in between). Stands in
    /// for the researchers outside the top tier that MacroPolo samples: paper
    /// volume (OA, ETO) is not top-tier headcount.
    pub productivity: (f64, f64),
    /// Added to the log-mean of citations of works led from here.
    pub citation_boost: f64,
    /// Whether the country has a national academy with child institutes
    /// (like the Chinese Academy of Sciences), so `--rollup` has work to do.
    pub academy: bool,
}

#[allow(clippy::too_many_arguments)]
const fn row(
    code: &'static str,
    name: &'static str,
    origin: f64,
    work: f64,
    leave: f64,
    returnee: f64,
    productivity: (f64, f64),
    citation_boost: f64,
    academy: bool,
) -> CountryRow {
    CountryRow {
        code,
        name,
        origin,
        work,
        leave,
        returnee,
        productivity,
        citation_boost,
        academy,
    }
}

/// The calibration table. Shares are normalised to sum to 1 when used.
///
/// | column | source |
/// |---|---|
/// | CN origin 0.47 | MP2 (47% Chinese undergrad origin) |
/// | US origin 0.18, IN 0.05, others | assumed (MP2: US+CN origins are 75% of US top-tier talent) |
/// | US work 0.48 | MP1 59% in the US, lower in MP2: assumed blend |
/// | CN work 0.27 | CN retention 0.55 (MP2: ~51% stay for grad school) plus inflow: assumed |
/// | CN leave 0.45 | between MP1 (56% go to the US) and MP2 (~36% to the US, 51% stay) |
/// | IN leave 0.80 | MP2 (one-fifth of Indian-origin researchers stay in India) |
/// | overall abroad ≈ 0.41 | MP2 42% (MP1 53%); the sum of origin × leave |
/// | CN productivity 0.6 → 2.1 | tuned so that CN leads AI volume every year (OA, ETO); measured ≈ 40–46% fractional share in 2020–24, above OA's ≈ 36% |
/// | US citation boost 0.40 | tuned so that the US leads the top-10%-cited share modestly (ETO); measured US 0.39 vs CN 0.35 |
/// | everything else | assumed |
#[rustfmt::skip]
pub const COUNTRIES: &[CountryRow] = &[
    //   code  name               origin work   leave returnee productivity cite   academy
    row("US", "United States",  0.180, 0.480, 0.08, 0.03, (1.0, 1.0),  0.40, false),
    row("CN", "China",          0.470, 0.270, 0.45, 0.10, (0.6, 2.1),  0.00, true),
    row("GB", "United Kingdom", 0.020, 0.035, 0.40, 0.08, (1.0, 1.0),  0.10, false),
    row("DE", "Germany",        0.020, 0.025, 0.40, 0.08, (1.0, 1.0),  0.05, true),
    row("FR", "France",         0.020, 0.020, 0.45, 0.08, (1.0, 1.0),  0.05, true),
    row("CA", "Canada",         0.020, 0.030, 0.45, 0.08, (1.0, 1.0),  0.10, false),
    row("IN", "India",          0.050, 0.012, 0.80, 0.05, (1.0, 1.1), -0.10, true),
    row("KR", "South Korea",    0.025, 0.015, 0.50, 0.10, (1.0, 1.1),  0.00, true),
    row("JP", "Japan",          0.015, 0.012, 0.40, 0.05, (1.0, 1.0),  0.00, true),
    row("AU", "Australia",      0.010, 0.012, 0.45, 0.08, (1.0, 1.0),  0.05, false),
    row("CH", "Switzerland",    0.005, 0.015, 0.50, 0.10, (1.0, 1.0),  0.15, false),
    row("SG", "Singapore",      0.005, 0.015, 0.50, 0.10, (1.0, 1.1),  0.05, false),
    row("NL", "Netherlands",    0.010, 0.012, 0.45, 0.08, (1.0, 1.0),  0.05, false),
    row("IL", "Israel",         0.015, 0.010, 0.55, 0.10, (1.0, 1.0),  0.10, false),
    row("IT", "Italy",          0.015, 0.008, 0.55, 0.08, (1.0, 1.0),  0.00, true),
    row("ES", "Spain",          0.010, 0.008, 0.50, 0.08, (1.0, 1.0),  0.00, true),
    row("IR", "Iran",           0.020, 0.005, 0.80, 0.03, (1.0, 1.0), -0.15, false),
    row("BR", "Brazil",         0.010, 0.005, 0.55, 0.05, (1.0, 1.0), -0.10, false),
    // The tail: small origins, mostly sending researchers abroad.
    row("TW", "Taiwan",         0.015, 0.009, 0.50, 0.10, (1.0, 1.0),  0.00, false),
    row("RU", "Russia",         0.015, 0.007, 0.60, 0.05, (1.0, 1.0), -0.10, true),
    row("TR", "Turkey",         0.010, 0.005, 0.60, 0.05, (1.0, 1.0), -0.10, false),
    row("VN", "Vietnam",        0.010, 0.004, 0.70, 0.05, (1.0, 1.0), -0.10, false),
    row("PL", "Poland",         0.010, 0.005, 0.60, 0.05, (1.0, 1.0), -0.05, false),
    row("PK", "Pakistan",       0.010, 0.003, 0.75, 0.05, (1.0, 1.0), -0.15, false),
    row("EG", "Egypt",          0.010, 0.003, 0.75, 0.05, (1.0, 1.0), -0.15, false),
];

/// Extra pull of the US for origins that MacroPolo shows sending most of
/// their emigrants there (MP1: 56% of Chinese-origin researchers go to the
/// US). A multiplier on the US's attractiveness for these origins only.
pub const US_PULL: &[(&str, f64)] = &[("CN", 3.0), ("IN", 3.0), ("IR", 1.5), ("TW", 2.0)];

/// Share of researchers whose career (inside the year range) has one year
/// only: they can be neither movers nor returnees (class `single_year`).
/// Assumed; OpenAlex has many one-paper authors.
pub const SINGLE_YEAR_SHARE: f64 = 0.12;

/// The solved calibration: normalised shares and destination probabilities.
#[derive(Debug, Clone)]
pub struct Calibration {
    /// Normalised origin shares, indexed like `COUNTRIES`.
    pub origin: Vec<f64>,
    /// Normalised target work shares, indexed like `COUNTRIES`.
    pub work: Vec<f64>,
    /// `dest[o][d]`: probability that a researcher of origin `o` who moves
    /// abroad goes to `d` (zero on the diagonal).
    pub dest: Vec<Vec<f64>>,
}

impl Calibration {
    /// Normalise the table and solve the destination probabilities so that
    /// the expected current-country shares equal the work shares.
    #[allow(clippy::needless_range_loop)]
    pub fn solve() -> Calibration {
        let n = COUNTRIES.len();
        let norm = |v: Vec<f64>| {
            let s: f64 = v.iter().sum();
            v.into_iter().map(|x| x / s).collect::<Vec<_>>()
        };
        let origin = norm(COUNTRIES.iter().map(|c| c.origin).collect());
        let work = norm(COUNTRIES.iter().map(|c| c.work).collect());
        let pull = |o: usize, d: usize| -> f64 {
            if COUNTRIES[d].code != "US" {
                return 1.0;
            }
            US_PULL
                .iter()
                .find(|(c, _)| *c == COUNTRIES[o].code)
                .map_or(1.0, |(_, p)| *p)
        };
        // Inflow each destination needs: its work share minus its own stayers.
        let target: Vec<f64> = (0..n)
            .map(|d| (work[d] - origin[d] * (1.0 - COUNTRIES[d].leave)).max(1e-6))
            .collect();
        let mut attract = target.clone();
        let mut dest = vec![vec![0.0; n]; n];
        for _ in 0..500 {
            for o in 0..n {
                let total: f64 = (0..n)
                    .filter(|&d| d != o)
                    .map(|d| attract[d] * pull(o, d))
                    .sum();
                for d in 0..n {
                    dest[o][d] = if d == o {
                        0.0
                    } else {
                        attract[d] * pull(o, d) / total
                    };
                }
            }
            for d in 0..n {
                let inflow: f64 = (0..n)
                    .map(|o| origin[o] * COUNTRIES[o].leave * dest[o][d])
                    .sum();
                attract[d] *= target[d] / inflow;
            }
        }
        Calibration { origin, work, dest }
    }

    /// Expected share of researchers (≥ 2 active years) by current country
    /// under the solved model; equals `work` when the table is consistent.
    pub fn expected_work(&self) -> Vec<f64> {
        let n = COUNTRIES.len();
        (0..n)
            .map(|d| {
                self.origin[d] * (1.0 - COUNTRIES[d].leave)
                    + (0..n)
                        .map(|o| self.origin[o] * COUNTRIES[o].leave * self.dest[o][d])
                        .sum::<f64>()
            })
            .collect()
    }

    /// Expected share of researchers (≥ 2 active years) working outside
    /// their origin country at the end of their career.
    pub fn expected_abroad(&self) -> f64 {
        COUNTRIES
            .iter()
            .zip(&self.origin)
            .map(|(c, o)| o * c.leave)
            .sum()
    }
}

/// Index of a country code in `COUNTRIES`.
pub fn country_index(code: &str) -> Option<usize> {
    COUNTRIES.iter().position(|c| c.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_calibration_table_is_consistent() {
        let cal = Calibration::solve();
        for (d, (e, w)) in cal.expected_work().iter().zip(&cal.work).enumerate() {
            assert!(
                (e - w).abs() < 0.002,
                "{}: expected {e:.4} vs target {w:.4}",
                COUNTRIES[d].code
            );
        }
        for row in &cal.dest {
            assert!((row.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        }
        let abroad = cal.expected_abroad();
        assert!((0.40..=0.55).contains(&abroad), "abroad share {abroad}");
        // MP1: most Chinese-origin emigrants go to the US.
        let (cn, us) = (country_index("CN").unwrap(), country_index("US").unwrap());
        assert!(cal.dest[cn][us] > 0.5, "CN→US {}", cal.dest[cn][us]);
    }
}
