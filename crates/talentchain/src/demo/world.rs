//! The demo world's actors: fictional institutions (universities, government
//! labs, national academies with child institutes, multinational companies
//! with labs abroad) and researchers with a true career (one country and
//! institution per active year). This is the ground truth that the OpenAlex
//! records are written from and that `truth.csv` records.

use std::collections::{HashMap, HashSet};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::calibration::{COUNTRIES, Calibration, SINGLE_YEAR_SHARE, country_index};

/// What an institution is in the world (its OpenAlex `type` follows from it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A university: `education`, or the trap `funder` for about half.
    University,
    /// A national laboratory: `government`.
    GovernmentLab,
    /// A national academy of sciences, parent of its institutes:
    /// `government`. It employs no researchers itself.
    Academy,
    /// An institute of an academy (child in the lineage): `government`.
    AcademyInstitute,
    /// A multinational's headquarters: `company`.
    Company,
    /// A multinational's research lab in a country, child of the
    /// headquarters: `company`.
    CompanyLab,
}

/// One fictional institution.
#[derive(Debug, Clone)]
pub struct Institution {
    /// Full OpenAlex id, `https://openalex.org/I9…`.
    pub id: String,
    /// Invented name in the country's pattern, `Universität Kelvorbrook`.
    pub name: String,
    /// Well-formed, fake ROR URL.
    pub ror: String,
    /// Index into `COUNTRIES`.
    pub country: usize,
    /// What the institution is.
    pub kind: Kind,
    /// OpenAlex `type`; half of the universities carry the real-data trap
    /// `"funder"` instead of `"education"`.
    pub oa_type: &'static str,
    /// Full ids, self first then ancestors (OpenAlex `lineage`).
    pub lineage: Vec<String>,
    /// Index of the parent institution, if any.
    pub parent: Option<usize>,
    /// Relative weight when a researcher picks an employer in the country.
    pub weight: f64,
}

/// One researcher and their true career.
#[derive(Debug, Clone)]
pub struct Researcher {
    /// Numeric part of the author id (`A{num}`).
    pub num: u64,
    /// Invented name, "Given Family" from neutral syllables.
    pub name: String,
    /// ORCID URL, `https://orcid.org/0009-…`, for about 70% of researchers.
    pub orcid: Option<String>,
    /// Index into `COUNTRIES` of the first active year's country.
    pub origin: usize,
    /// First active year.
    pub first_year: i32,
    /// Institution index for each active year, from `first_year` on.
    pub institutions: Vec<u32>,
}

impl Researcher {
    /// Years of the career, first to last.
    pub fn years(&self) -> std::ops::Range<i32> {
        self.first_year..self.first_year + self.institutions.len() as i32
    }

    /// Institution index in `year`, if active then.
    pub fn institution_in(&self, year: i32) -> Option<u32> {
        let i = year - self.first_year;
        (i >= 0)
            .then(|| self.institutions.get(i as usize).copied())
            .flatten()
    }

    /// Short id, `A59…`.
    pub fn short_id(&self) -> String {
        format!("A{}", self.num)
    }
}

/// The whole world: institutions, researchers, and co-author pools.
pub struct World {
    /// First publication year.
    pub from: i32,
    /// Last publication year.
    pub to: i32,
    /// Every institution; `u32` institution indices point here.
    pub institutions: Vec<Institution>,
    /// Every researcher; `u32` researcher indices point here.
    pub researchers: Vec<Researcher>,
    /// Active researchers per (institution, year).
    pub by_institution: HashMap<(u32, i32), Vec<u32>>,
    /// Active researchers per (country, year).
    pub by_country: HashMap<(usize, i32), Vec<u32>>,
    /// Active researchers per year.
    pub by_year: HashMap<i32, Vec<u32>>,
}

/// Offset of synthetic institution ids: 10-digit numbers starting with 9,
/// far above any real OpenAlex institution id (≤ I4.4e9 in 2026).
const INSTITUTION_BASE: u64 = 9_000_000_000;
/// Offset of synthetic author ids: 11 digits starting with 59, so that the
/// short ids read `A5…` like real ones but cannot collide (real ones have 10).
pub const AUTHOR_BASE: u64 = 59_000_000_000;

/// A derived seed for one stream of randomness (splitmix64 of the parts), so
/// that each researcher, shard or purpose has its own reproducible RNG.
pub fn derive_seed(seed: u64, stream: u64, index: u64) -> u64 {
    let mut z = seed
        .wrapping_add(stream.wrapping_mul(0x9E37_79B9_7F4A_7C15))
        .wrapping_add(index.wrapping_mul(0xD1B5_4A32_D192_ED03));
    for _ in 0..2 {
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
    }
    z
}

/// RNG streams (the `stream` argument of `derive_seed`).
pub mod stream {
    /// The institutions (one stream for all).
    pub const INSTITUTIONS: u64 = 1;
    /// A researcher's career: start, length, moves, name, ORCID.
    pub const CAREER: u64 = 2;
    /// A researcher's works: how many, co-authors, subject, citations, …
    pub const WORKS: u64 = 3;
    /// Which of a researcher's works and affiliations are dropped
    /// (`drop_papers`, `drop_affiliations`).
    pub const DROPS: u64 = 4;
    /// The extras of a researcher's works (`full_records`).
    pub const EXTRAS: u64 = 5;
    /// Whether a researcher's move that a `Policy` touches is kept. Apart
    /// from `CAREER` so that the career draws do not depend on the policy.
    pub const POLICY: u64 = 6;
}

/// A policy of the world: from year `from` on, moves of researchers of
/// origin `origin` into country `to` happen `factor` times as often. The
/// ground truth of a scenario projection. Written and parsed as
/// `ORIGIN:TO:FACTOR:YEAR`, e.g. `CN:US:0.5:2018`.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// ISO-2 code of the researchers' origin, one of `COUNTRIES`.
    pub origin: String,
    /// ISO-2 code of the destination, one of `COUNTRIES`, not `origin`.
    pub to: String,
    /// Share of the moves that still happen, 0 to 1 (0: none, 1: all).
    pub factor: f64,
    /// First year whose moves the policy touches (the year of arrival).
    pub from: i32,
}

impl Policy {
    /// The indices into `COUNTRIES` of `origin` and `to`, or why the policy
    /// is not one of the demo world (unknown code, origin equal to
    /// destination, factor outside 0..=1).
    pub fn countries(&self) -> Result<(usize, usize), String> {
        let index = |what: &str, code: &str| {
            country_index(code)
                .ok_or_else(|| format!("policy {what} `{code}` is not a country of the demo world"))
        };
        let (o, d) = (
            index("origin", &self.origin)?,
            index("destination", &self.to)?,
        );
        if o == d {
            return Err(format!(
                "policy origin and destination are both `{}`: a policy is about moves into another country",
                self.origin
            ));
        }
        if !(0.0..=1.0).contains(&self.factor) {
            return Err(format!(
                "policy factor `{}` is outside 0..=1 (0: no such moves, 1: as many as without the policy)",
                self.factor
            ));
        }
        Ok((o, d))
    }
}

impl std::str::FromStr for Policy {
    type Err = String;

    /// `ORIGIN:TO:FACTOR:YEAR`, codes in any case.
    fn from_str(s: &str) -> Result<Policy, String> {
        let parts: Vec<&str> = s.split(':').map(str::trim).collect();
        let [origin, to, factor, year] = parts[..] else {
            return Err(format!(
                "policy `{s}` is not ORIGIN:TO:FACTOR:YEAR (e.g. CN:US:0.5:2018)"
            ));
        };
        let factor: f64 = factor
            .parse()
            .map_err(|_| format!("policy factor `{factor}` is not a number (0 to 1)"))?;
        let from: i32 = year
            .parse()
            .map_err(|_| format!("policy year `{year}` is not a number"))?;
        let policy = Policy {
            origin: origin.to_uppercase(),
            to: to.to_uppercase(),
            factor,
            from,
        };
        policy.countries()?;
        Ok(policy)
    }
}

impl std::fmt::Display for Policy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}:{}",
            self.origin, self.to, self.factor, self.from
        )
    }
}

/// Pick an index with probability proportional to `weights`.
pub fn pick_weighted(rng: &mut StdRng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut u = rng.random::<f64>() * total;
    for (i, w) in weights.iter().enumerate() {
        if u < *w {
            return i;
        }
        u -= w;
    }
    weights.len() - 1
}

// Neutral syllables for invented names: no name implies an ethnicity; the
// truth file is the only origin.
const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ren", "sa", "vel", "tor", "na", "ri", "el", "an", "do", "fe", "li", "mar",
    "ne", "os", "pa", "ti", "ul", "ve", "zo", "bel", "cor", "dal", "en", "gar", "hal", "is", "jor",
    "kel", "lin", "mon", "nor", "or", "per", "ras", "sel", "tan", "var", "wen", "yl",
];

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn word(rng: &mut StdRng, syllables: usize) -> String {
    let s: String = (0..syllables)
        .map(|_| SYLLABLES[rng.random_range(0..SYLLABLES.len())])
        .collect();
    capitalized(&s)
}

/// An invented person name: "Given Family" from neutral syllables.
pub fn person_name(rng: &mut StdRng) -> String {
    let (g, f) = (rng.random_range(2..=3), rng.random_range(2..=3));
    let given = word(rng, g);
    let family = word(rng, f);
    format!("{given} {family}")
}

const PLACE_ENDINGS: &[&str] = &[
    "brook", "field", "haven", "mont", "vale", "ford", "mere", "stead", "wick", "dale",
];

/// An invented place stem, e.g. "Kelvorbrook".
fn place_stem(rng: &mut StdRng, used: &mut HashSet<String>) -> String {
    loop {
        let s = format!(
            "{}{}",
            word(rng, 2),
            PLACE_ENDINGS[rng.random_range(0..PLACE_ENDINGS.len())]
        );
        if used.insert(s.clone()) {
            return s;
        }
    }
}

/// University name in the country's pattern (suffixed or prefixed).
fn university_name(code: &str, stem: &str, rng: &mut StdRng) -> String {
    match code {
        "DE" | "CH" => format!("Universität {stem}"),
        "FR" => format!("Université de {stem}"),
        "IT" => format!("Università di {stem}"),
        "ES" | "BR" => format!("Universidad de {stem}"),
        "NL" => format!("{stem} Universiteit"),
        "CN" | "KR" | "JP" | "TW" | "IN" | "IR" | "VN" | "PK" | "EG" | "TR" => {
            if rng.random::<f64>() < 0.3 {
                format!("{stem} University of Technology")
            } else {
                format!("{stem} University")
            }
        }
        _ => {
            if rng.random::<f64>() < 0.3 {
                format!("University of {stem}")
            } else {
                format!("{stem} University")
            }
        }
    }
}

/// A fake but well-formed ROR URL: `0` + 6 Crockford base32 characters + a
/// 2-digit ISO 7064 mod 97-10 checksum. The first character after `0` is `z`
/// (the top of the range) to keep away from the real ids most people see.
fn ror_url(n: u64) -> String {
    const ALPHABET: &[u8] = b"0123456789abcdefghjkmnpqrstvwxyz";
    let value = 31 * 32u64.pow(5) + n % 32u64.pow(5);
    let mut chars = [b'0'; 6];
    let mut v = value;
    for c in chars.iter_mut().rev() {
        *c = ALPHABET[(v % 32) as usize];
        v /= 32;
    }
    let checksum = 98 - (value * 100) % 97;
    format!(
        "https://ror.org/0{}{:02}",
        std::str::from_utf8(&chars).unwrap(),
        checksum
    )
}

/// A well-formed ORCID URL (ISO 7064 mod 11-2 check character) in the
/// 0009- block, numbered by `n`.
pub fn orcid_url(n: u64) -> String {
    let base = format!("0009{:011}", n % 100_000_000_000);
    let mut total = 0u32;
    for d in base.bytes() {
        total = (total + (d - b'0') as u32) * 2;
    }
    let check = (12 - total % 11) % 11;
    let check = if check == 10 {
        'X'
    } else {
        char::from_digit(check, 10).unwrap()
    };
    format!(
        "https://orcid.org/{}-{}-{}-{}{}",
        &base[0..4],
        &base[4..8],
        &base[8..12],
        &base[12..15],
        check
    )
}

/// Fictional multinationals: (name, headquarters, lab countries).
const COMPANIES: &[(&str, &str, &[&str])] = &[
    ("Quorvex", "US", &["US", "GB", "CA", "CH", "IN", "CN"]),
    ("Nimbral Systems", "US", &["US", "FR", "IL", "JP", "SG"]),
    ("Altheon AI", "US", &["US", "CA", "GB", "DE"]),
    ("Veltrix", "US", &["US", "NL", "AU", "IN"]),
    ("Sorandel Technologies", "CN", &["CN", "SG", "US", "GB"]),
    ("Huxiang Cloud", "CN", &["CN", "US", "CA"]),
    ("Kestrune Electronics", "KR", &["KR", "US", "CA", "GB"]),
    ("Mirelda Labs", "GB", &["GB", "FR", "CH", "US"]),
];

const ACADEMY_INSTITUTES: &[&str] = &[
    "Institute of Automation",
    "Institute of Computing Technology",
    "Institute of Software",
    "Institute of Mathematics and Systems Science",
    "Institute of Information Engineering",
    "Institute of Intelligent Machines",
    "Institute of Physics",
    "Institute of Biophysics",
];

fn build_institutions(seed: u64, cal: &Calibration) -> Vec<Institution> {
    let mut rng = StdRng::seed_from_u64(derive_seed(seed, stream::INSTITUTIONS, 0));
    let mut used = HashSet::new();
    let mut out: Vec<Institution> = Vec::new();
    let push = |out: &mut Vec<Institution>,
                name: String,
                country: usize,
                kind: Kind,
                oa_type: &'static str,
                parent: Option<usize>,
                weight: f64| {
        let n = out.len() as u64;
        let id = format!("https://openalex.org/I{}", INSTITUTION_BASE + n + 1);
        let mut lineage = vec![id.clone()];
        if let Some(p) = parent {
            lineage.extend(out[p].lineage.iter().cloned());
        }
        out.push(Institution {
            id,
            name,
            ror: ror_url(n + 1),
            country,
            kind,
            oa_type,
            lineage,
            parent,
            weight,
        });
        out.len() - 1
    };
    for (c, row) in COUNTRIES.iter().enumerate() {
        // Universities: more in bigger research countries; Zipf-like weights
        // so that a few are large.
        let n_uni = ((60.0 * cal.work[c].sqrt()).round() as usize).max(3);
        for rank in 0..n_uni {
            let stem = place_stem(&mut rng, &mut used);
            let name = university_name(row.code, &stem, &mut rng);
            // The real-data trap: about half the universities typed "funder".
            let oa_type = if rng.random::<f64>() < 0.5 {
                "funder"
            } else {
                "education"
            };
            push(
                &mut out,
                name,
                c,
                Kind::University,
                oa_type,
                None,
                1.0 / (rank as f64 + 1.0).powf(0.8),
            );
        }
        let n_gov = 1 + (cal.work[c] * 10.0).round() as usize;
        for _ in 0..n_gov {
            let stem = place_stem(&mut rng, &mut used);
            push(
                &mut out,
                format!("{stem} National Laboratory"),
                c,
                Kind::GovernmentLab,
                "government",
                None,
                1.0,
            );
        }
        if row.academy {
            let stem = place_stem(&mut rng, &mut used);
            let root = push(
                &mut out,
                format!("{stem} Academy of Sciences"),
                c,
                Kind::Academy,
                "government",
                None,
                0.3,
            );
            let n_inst = if row.code == "CN" {
                ACADEMY_INSTITUTES.len()
            } else {
                rng.random_range(3..=5)
            };
            for inst in &ACADEMY_INSTITUTES[..n_inst] {
                let name = format!("{inst}, {stem} Academy of Sciences");
                push(
                    &mut out,
                    name,
                    c,
                    Kind::AcademyInstitute,
                    "government",
                    Some(root),
                    1.0,
                );
            }
        }
    }
    for (name, hq, labs) in COMPANIES {
        let hq = super::calibration::country_index(hq).expect("company HQ in the table");
        let root = push(
            &mut out,
            format!("{name} Inc."),
            hq,
            Kind::Company,
            "company",
            None,
            1.0,
        );
        for lab in labs.iter() {
            let c = super::calibration::country_index(lab).expect("lab country in the table");
            let lab_name = format!("{name} Research {}", COUNTRIES[c].name);
            push(
                &mut out,
                lab_name,
                c,
                Kind::CompanyLab,
                "company",
                Some(root),
                1.0,
            );
        }
    }
    out
}

/// Employer choice within a country: universities take most researchers,
/// then academy institutes, company labs and government labs.
fn employer_weights(institutions: &[Institution], country: usize) -> Vec<(u32, f64)> {
    let share = |k: Kind| match k {
        Kind::University => 0.66,
        Kind::AcademyInstitute => 0.14,
        Kind::CompanyLab => 0.12,
        Kind::Company => 0.03,
        Kind::GovernmentLab => 0.05,
        Kind::Academy => 0.0,
    };
    let mut totals: HashMap<u8, f64> = HashMap::new();
    for i in institutions.iter().filter(|i| i.country == country) {
        *totals.entry(i.kind as u8).or_default() += i.weight;
    }
    institutions
        .iter()
        .enumerate()
        .filter(|(_, i)| i.country == country)
        .map(|(n, i)| (n as u32, share(i.kind) * i.weight / totals[&(i.kind as u8)]))
        .collect()
}

impl World {
    /// Build the world for `researchers` researchers active within
    /// `from..=to`. Each researcher's career depends only on the seed and
    /// their index, so a bigger world extends a smaller one.
    pub fn build(seed: u64, researchers: usize, from: i32, to: i32) -> World {
        World::build_with(seed, researchers, from, to, None)
    }

    /// `build` under a `policy`: each move of a researcher of the policy's
    /// origin into its destination, arriving in its year or later, is kept
    /// with probability `factor` and otherwise cancelled (the researcher
    /// stays home). The keep-or-cancel draw has its own RNG stream, so every
    /// other draw, and every career the policy does not touch, is the same
    /// as without it. Panics if the policy is not one of the demo world
    /// (`Policy::countries`).
    pub fn build_with(
        seed: u64,
        researchers: usize,
        from: i32,
        to: i32,
        policy: Option<&Policy>,
    ) -> World {
        assert!(from <= to, "year range {from}..={to} is empty");
        let policy = policy.map(|p| {
            let (o, d) = p.countries().unwrap_or_else(|e| panic!("{e}"));
            (o, d, p.factor, p.from)
        });
        let cal = Calibration::solve();
        let institutions = build_institutions(seed, &cal);
        let employers: Vec<Vec<(u32, f64)>> = (0..COUNTRIES.len())
            .map(|c| employer_weights(&institutions, c))
            .collect();
        let employer_w: Vec<Vec<f64>> = employers
            .iter()
            .map(|e| e.iter().map(|x| x.1).collect())
            .collect();
        let pick_employer =
            |rng: &mut StdRng, c: usize| employers[c][pick_weighted(rng, &employer_w[c])].0;

        // Career start years: more researchers start later (the field grows),
        // and some were already active before the range starts.
        let starts: Vec<i32> = (from - 6..=to).collect();
        let start_w: Vec<f64> = starts.iter().map(|&y| 1.12f64.powi(y - from)).collect();

        let mut out = Vec::with_capacity(researchers);
        for idx in 0..researchers {
            let mut rng = StdRng::seed_from_u64(derive_seed(seed, stream::CAREER, idx as u64));
            let origin = pick_weighted(&mut rng, &cal.origin);
            let (first, n) = loop {
                let start = starts[pick_weighted(&mut rng, &start_w)];
                let len = if rng.random::<f64>() < SINGLE_YEAR_SHARE {
                    1
                } else {
                    2 + (-(1.0 - rng.random::<f64>()).ln() * 7.0) as i32
                };
                let (first, last) = (start.max(from), (start + len - 1).min(to));
                // Single-year careers must stay single-year after clipping,
                // and multi-year ones multi-year, so the share holds.
                if last >= first && ((len == 1) == (last == first)) {
                    break (first, (last - first + 1) as usize);
                }
            };
            // Country per career year index: stayer, emigrant or returnee.
            let row = &COUNTRIES[origin];
            let mut countries = vec![origin; n];
            // Whether the move into `d` arriving in career year `m` happens
            // under the policy (its own RNG: `rng` is not touched).
            let kept = |d: usize, m: usize| match policy {
                Some((o, dest, factor, year))
                    if origin == o && d == dest && first + m as i32 >= year =>
                {
                    let mut prng =
                        StdRng::seed_from_u64(derive_seed(seed, stream::POLICY, idx as u64));
                    prng.random::<f64>() < factor
                }
                _ => true,
            };
            let u = rng.random::<f64>();
            if n >= 2 && u < row.leave {
                let m = rng.random_range(1..n);
                let d = pick_weighted(&mut rng, &cal.dest[origin]);
                if kept(d, m) {
                    countries[m..].fill(d);
                }
            } else if n >= 3 && u < row.leave + row.returnee {
                let m1 = rng.random_range(1..n - 1);
                let m2 = rng.random_range(m1 + 1..n);
                let d = pick_weighted(&mut rng, &cal.dest[origin]);
                if kept(d, m1) {
                    countries[m1..m2].fill(d);
                }
            }
            // Institution per year: a new employer on entering a country,
            // and an occasional domestic job change.
            let mut institutions = Vec::with_capacity(n);
            for (i, &c) in countries.iter().enumerate() {
                let inst = if i > 0 && countries[i - 1] == c && rng.random::<f64>() >= 0.06 {
                    institutions[i - 1]
                } else {
                    pick_employer(&mut rng, c)
                };
                institutions.push(inst);
            }
            let name = person_name(&mut rng);
            let num = AUTHOR_BASE + idx as u64;
            let orcid = (rng.random::<f64>() < 0.7).then(|| orcid_url(num));
            out.push(Researcher {
                num,
                name,
                orcid,
                origin,
                first_year: first,
                institutions,
            });
        }

        let mut by_institution: HashMap<(u32, i32), Vec<u32>> = HashMap::new();
        let mut by_country: HashMap<(usize, i32), Vec<u32>> = HashMap::new();
        let mut by_year: HashMap<i32, Vec<u32>> = HashMap::new();
        for (r, res) in out.iter().enumerate() {
            for (y, &inst) in res.years().zip(&res.institutions) {
                by_institution.entry((inst, y)).or_default().push(r as u32);
                by_country
                    .entry((institutions[inst as usize].country, y))
                    .or_default()
                    .push(r as u32);
                by_year.entry(y).or_default().push(r as u32);
            }
        }
        World {
            from,
            to,
            institutions,
            researchers: out,
            by_institution,
            by_country,
            by_year,
        }
    }

    /// Country index of a researcher in a year they are active.
    pub fn country_of(&self, researcher: usize, year: i32) -> Option<usize> {
        let inst = self.researchers[researcher].institution_in(year)?;
        Some(self.institutions[inst as usize].country)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_ids_are_well_formed() {
        // ORCID's documented example: 0000-0002-1825-0097.
        let base = "000000021825009";
        let mut total = 0u32;
        for d in base.bytes() {
            total = (total + (d - b'0') as u32) * 2;
        }
        assert_eq!((12 - total % 11) % 11, 7);
        assert!(orcid_url(12).starts_with("https://orcid.org/0009-"));
        let ror = ror_url(5);
        assert_eq!(ror.len(), "https://ror.org/".len() + 9, "{ror}");
    }
}
