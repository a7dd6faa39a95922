//! Every choice an answer depends on, named, parsed and checked in one place:
//! the CLI's flags, the API's query parameters, the report and the SQL tests
//! all build a [`Settings`] through these setters, so a value one accepts
//! the others accept, and one refuses the others refuse with the same
//! message ([`Error::Input`] naming the parameter).
//!
//! [`PARAMS`] lists each parameter with what it accepts ([`Accepts`]): the
//! API's OpenAPI document and its 400 answers are made from it. The SQL
//! reads the values as named parameters (`$from_year`, `$top_bp`, …),
//! bound in [`Settings::bindings`].

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use datafusion::scalar::ScalarValue;

use crate::error::{Error, Result};
use crate::model::Source;
use crate::model::sector::SECTORS;
use crate::profile::{Profile, Scope};

/// The first and last publication year a range may name.
pub const YEARS: (i32, i32) = (1000, 3000);

/// The smallest highly-cited top share, in percent: one basis point (the
/// unit the threshold is computed in, so that ceil is exact).
pub const MIN_TOP_PERCENT: f64 = 0.01;

/// Per year or over the whole range (`countries --by`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum By {
    /// One row per country and year.
    #[default]
    Year,
    /// One row per country over the range, with CAGR.
    Total,
}

/// The institutions ranking's sort column (`institutions --sort`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InstitutionSort {
    /// `papers_full`.
    #[default]
    Papers,
    /// `papers_fractional`.
    Fractional,
    /// `citations`.
    Citations,
    /// `highly_cited`.
    HighlyCited,
}

/// The researchers ranking's sort column (`talent top --sort`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ResearcherSort {
    /// Citations, then h-index.
    #[default]
    Citations,
    /// h-index, then citations.
    HIndex,
}

/// Where careers come from (`--careers-from`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Careers {
    /// The countries of the author's authorships, year by year.
    #[default]
    Authorships,
    /// The author entities' `affiliations[].years`; authors without an
    /// entity have no career.
    Affiliations,
}

/// The counting method the report's and the dashboard's map, shares and
/// rankings show (`--counting`); the metrics give both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Counting {
    /// A work counts once for each of its countries (or institutions).
    #[default]
    Full,
    /// A work's weight 1 split among them (`sql/derived/authorship_shares.sql`).
    Fractional,
}

/// The names of a choice's values, in order, and the value of each.
trait Choice: Copy + PartialEq + 'static {
    const NAMES: &'static [(&'static str, Self)];
    fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(_, v)| *v == self)
            .map_or("", |(n, _)| n)
    }
    fn parse(s: &str) -> Option<Self> {
        Self::NAMES.iter().find(|(n, _)| *n == s).map(|(_, v)| *v)
    }
}

impl Choice for By {
    const NAMES: &'static [(&'static str, By)] = &[("year", By::Year), ("total", By::Total)];
}
impl Choice for InstitutionSort {
    const NAMES: &'static [(&'static str, InstitutionSort)] = &[
        ("papers", InstitutionSort::Papers),
        ("fractional", InstitutionSort::Fractional),
        ("citations", InstitutionSort::Citations),
        ("highly-cited", InstitutionSort::HighlyCited),
    ];
}
impl Choice for ResearcherSort {
    const NAMES: &'static [(&'static str, ResearcherSort)] = &[
        ("citations", ResearcherSort::Citations),
        ("h-index", ResearcherSort::HIndex),
    ];
}
impl Choice for Counting {
    const NAMES: &'static [(&'static str, Counting)] = &[
        ("full", Counting::Full),
        ("fractional", Counting::Fractional),
    ];
}
impl Choice for Careers {
    const NAMES: &'static [(&'static str, Careers)] = &[
        ("authorships", Careers::Authorships),
        ("affiliations", Careers::Affiliations),
    ];
}

macro_rules! choice_text {
    ($($t:ty),*) => {$(
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }
        impl FromStr for $t {
            type Err = String;
            fn from_str(s: &str) -> std::result::Result<$t, String> {
                <$t as Choice>::parse(s).ok_or_else(|| {
                    format!("`{s}` is not one of {}", names::<$t>().join(", "))
                })
            }
        }
        impl $t {
            /// The accepted names, in order.
            pub fn names() -> Vec<&'static str> {
                names::<$t>()
            }
        }
    )*};
}
choice_text!(By, InstitutionSort, ResearcherSort, Careers, Counting);

fn names<T: Choice>() -> Vec<&'static str> {
    T::NAMES.iter().map(|(n, _)| *n).collect()
}

/// What a parameter accepts: what the checks enforce, and what the API's
/// OpenAPI document states.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Accepts {
    /// An AI profile name (or, on the CLI, a profile file).
    Profile,
    /// A publication year within [`YEARS`].
    Year,
    /// A percentage from [`MIN_TOP_PERCENT`] to 100.
    Percent,
    /// One of these words.
    OneOf(&'static [&'static str]),
    /// `true` or `false`.
    Bool,
    /// A whole number from 1 up.
    Count,
    /// A two-letter ISO 3166-1 country code, either case.
    Country,
    /// An OpenAlex author id: `A123` or `https://openalex.org/A123`.
    Author,
    /// A confidence level in percent, above 0 and below 100.
    Level,
    /// A whole number from 0 to 2^64 - 1.
    Seed,
    /// Venue names as the dataset gives them, comma-separated (ASCII
    /// letters, digits, spaces and `.&+-`), at most [`MAX_VENUES_TEXT`]
    /// characters in all.
    Venues,
}

impl Accepts {
    /// The accepted values, in words, for an error message or a 400 answer.
    pub fn accepted(self) -> Vec<String> {
        match self {
            Accepts::Profile => vec!["an AI profile: concepts, topics, venues, any or all".into()],
            Accepts::Year => vec![format!(
                "an integer year from {} to {}, e.g. 2017",
                YEARS.0, YEARS.1
            )],
            Accepts::Percent => vec![format!(
                "a percentage from {MIN_TOP_PERCENT} to 100, e.g. 10 or 1"
            )],
            Accepts::OneOf(v) => v.iter().map(|s| s.to_string()).collect(),
            Accepts::Bool => vec!["true".into(), "false".into()],
            Accepts::Count => vec![format!("an integer from 1 to {}, e.g. 3", u32::MAX)],
            Accepts::Country => vec!["a two-letter ISO 3166-1 country code, e.g. CN or US".into()],
            Accepts::Author => vec![
                "an OpenAlex author id, e.g. A5023888391 or https://openalex.org/A5023888391"
                    .into(),
                "an OpenReview id of a paper list, e.g. ~Jane_Doe1".into(),
                "a paper list's hashed or name id: E or M and 16 hex digits".into(),
            ],
            Accepts::Level => {
                vec!["a confidence level in percent, above 0 and below 100, e.g. 95 or 90".into()]
            }
            Accepts::Seed => vec![format!("an integer from 0 to {}, e.g. 7", u64::MAX)],
            Accepts::Venues => vec![format!(
                "venue names as `works.venue` gives them, comma-separated (letters, digits, spaces, .&+-; at most {MAX_VENUES_TEXT} characters), e.g. NeurIPS or ICLR,ICML"
            )],
        }
    }
}

/// A parameter of the settings.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    /// Its name (the API's query parameter; the CLI's flag is `--` and the
    /// name with `-` for `_`, `type` for `sector`).
    pub name: &'static str,
    /// What it does.
    pub doc: &'static str,
    /// What it accepts.
    pub accepts: Accepts,
    /// Its default, as text.
    pub default: Option<&'static str>,
}

const fn param(
    name: &'static str,
    doc: &'static str,
    accepts: Accepts,
    default: Option<&'static str>,
) -> Param {
    Param {
        name,
        doc,
        accepts,
        default,
    }
}

/// The AI selection profile.
pub const AI: Param = param(
    "ai",
    "AI selection profile",
    Accepts::Profile,
    Some("concepts"),
);
/// The longest `venue` text accepted.
pub const MAX_VENUES_TEXT: usize = 200;

/// The source the works come from.
pub const SOURCE: Param = param(
    "source",
    "keep the works of one source: openalex, or paperlists (conference paper lists); every other work is rejected",
    Accepts::OneOf(&["openalex", "paperlists"]),
    None,
);
/// The venues the works come from.
pub const VENUE: Param = param(
    "venue",
    "keep the works of these venues (names as the dataset gives them, e.g. NeurIPS, comma-separated, any case); every other work is rejected",
    Accepts::Venues,
    None,
);
/// The elite tier of the venues.
pub const ELITE: Param = param(
    "elite",
    "keep the works of the venues' elite tier only (paper lists' orals, spotlights and CVPR highlights, as MacroPolo separates NeurIPS orals); every other work is rejected",
    Accepts::Bool,
    Some("false"),
);
/// The first publication year.
pub const FROM: Param = param(
    "from",
    "first publication year, inclusive (at most `to`)",
    Accepts::Year,
    None,
);
/// The last publication year.
pub const TO: Param = param(
    "to",
    "last publication year, inclusive (at least `from`)",
    Accepts::Year,
    None,
);
/// The highly-cited top share.
pub const TOP: Param = param(
    "top",
    "highly cited = the top PERCENT of each year's selected works by citations (10: ETO/PARAT's 90th percentile); also sets the top researchers of talent mismatch",
    Accepts::Percent,
    Some("10"),
);
/// The researchers in scope.
pub const MIN_WORKS: Param = param(
    "min_works",
    "researchers in scope have at least K works in the AI profile within the years",
    Accepts::Count,
    Some("1"),
);
/// Where careers come from.
pub const CAREERS_FROM: Param = param(
    "careers_from",
    "careers from the countries of the authors' authorships, or from author entities' affiliations[].years",
    Accepts::OneOf(&["authorships", "affiliations"]),
    Some("authorships"),
);
/// Per year or over the range.
pub const BY: Param = param(
    "by",
    "one row per country and year, or per country over the range (with CAGR)",
    Accepts::OneOf(&["year", "total"]),
    Some("year"),
);
/// Count institutions under their lineage root.
pub const ROLLUP: Param = param(
    "rollup",
    "count institutes under their lineage root (the Chinese Academy of Sciences' institutes under CAS, a company's labs under the company)",
    Accepts::Bool,
    Some("false"),
);
/// Keep one sector.
pub const SECTOR: Param = param("type", "keep one sector", Accepts::OneOf(&SECTORS), None);
/// The institutions ranking's sort column.
pub const INSTITUTION_SORT: Param = param(
    "sort",
    "rank by this column",
    Accepts::OneOf(&["papers", "fractional", "citations", "highly-cited"]),
    Some("papers"),
);
/// The researchers ranking's sort column.
pub const RESEARCHER_SORT: Param = param(
    "sort",
    "rank by this column",
    Accepts::OneOf(&["citations", "h-index"]),
    Some("citations"),
);
/// The first N rows of a ranking.
pub const LIMIT: Param = param("limit", "the first N rows", Accepts::Count, Some("50"));
/// Collaboration shares instead of pairs.
pub const SHARES: Param = param(
    "shares",
    "each country's international collaboration share instead of the country pairs",
    Accepts::Bool,
    Some("false"),
);
/// Flows by cohort.
pub const COHORT: Param = param(
    "cohort",
    "split by cohort: the first observed year",
    Accepts::Bool,
    Some("false"),
);
/// The origin country of `talent conversion`.
pub const ORIGIN: Param = param(
    "origin",
    "the origin country, an ISO code (e.g. CN)",
    Accepts::Country,
    None,
);
/// The researcher of `talent author`.
pub const AUTHOR: Param = param(
    "author",
    "the author id: OpenAlex (A123 or https://openalex.org/A123), or a paper list's (~Jane_Doe1, or E/M and 16 hex digits)",
    Accepts::Author,
    None,
);

/// The level of the intervals (`--ci`).
pub const CI: Param = param(
    "ci",
    "add a LEVEL% bootstrap interval to each count, share and ratio: columns NAME_lo and NAME_hi (works are resampled for output metrics, researchers for talent metrics)",
    Accepts::Level,
    None,
);
/// The bootstrap replicates of the intervals.
pub const REPLICATES: Param = param(
    "replicates",
    "bootstrap replicates of the intervals (at most 100000)",
    Accepts::Count,
    Some("1000"),
);
/// The seed of the intervals' resampling.
pub const SEED: Param = param(
    "seed",
    "seed of the intervals' resampling: the same seed gives the same intervals",
    Accepts::Seed,
    Some("0"),
);

/// What the output metrics' intervals resample.
pub const RESAMPLE: Param = param(
    "resample",
    "what the output metrics' intervals resample: works (as CWTS), or lead-authors (each work with its lead author's other works: a cluster bootstrap, for output that clusters by researcher); talent metrics always resample researchers",
    Accepts::OneOf(&["works", "lead-authors"]),
    Some("works"),
);

/// The most bootstrap replicates `replicates` accepts.
pub const MAX_REPLICATES: u32 = 100_000;

/// What `--ci` asks for: percentile bootstrap intervals at `level` percent
/// from `replicates` replicates drawn with `seed` ([`crate::metrics`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Intervals {
    /// The confidence level in percent (95: the 2.5th and 97.5th percentiles).
    pub level: f64,
    /// The number of bootstrap replicates.
    pub replicates: u32,
    /// The seed of the Poisson weights.
    pub seed: u64,
    /// Whether the output metrics resample works with their lead author's
    /// other works (a cluster bootstrap) rather than works alone.
    pub lead_authors: bool,
}

/// Every parameter of the settings.
pub const PARAMS: &[Param] = &[
    AI,
    SOURCE,
    VENUE,
    ELITE,
    FROM,
    TO,
    TOP,
    MIN_WORKS,
    CAREERS_FROM,
    BY,
    ROLLUP,
    SECTOR,
    INSTITUTION_SORT,
    RESEARCHER_SORT,
    LIMIT,
    SHARES,
    COHORT,
    ORIGIN,
    AUTHOR,
    CI,
    REPLICATES,
    SEED,
    RESAMPLE,
];

/// The settings of one answer. Built with [`Settings::new`] and the checked
/// setters: whatever a [`Settings`] holds was accepted.
#[derive(Debug, Clone)]
pub struct Settings {
    profile: Profile,
    from: Option<i32>,
    to: Option<i32>,
    top_bp: u32,
    min_works: u32,
    careers: Careers,
    by: By,
    rollup: bool,
    sector: Option<&'static str>,
    institution_sort: InstitutionSort,
    researcher_sort: ResearcherSort,
    limit: Option<u32>,
    shares: bool,
    cohort: bool,
    origin: Option<String>,
    author: Option<String>,
    ci: Option<f64>,
    replicates: u32,
    seed: u64,
    lead_authors: bool,
}

/// Whether `id` is an author id a dataset can hold: an OpenAlex short id
/// (`A123`); an OpenReview id of a paper list (`~` and up to 199 characters,
/// none a space or a control character: `~Jane_Doe1`); or a paper list's
/// hashed e-mail or name id (`E` or `M` and 16 lower-case hex digits).
pub fn is_author_id(id: &str) -> bool {
    let hex16 =
        |s: &str| s.len() == 16 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    match id.as_bytes().first() {
        Some(b'A') => id.len() >= 2 && id[1..].bytes().all(|b| b.is_ascii_digit()),
        Some(b'E' | b'M') => hex16(&id[1..]),
        Some(b'~') => {
            let rest = &id[1..];
            !rest.is_empty()
                && rest.chars().count() <= 199
                && rest.chars().all(|c| !c.is_whitespace() && !c.is_control())
        }
        _ => false,
    }
}

fn bad(p: &Param, message: String) -> Error {
    Error::input(p.name, message, p.accepts.accepted())
}

/// Check a highly-cited top share in percent, as `top` takes it.
pub fn check_top(percent: f64) -> Result<()> {
    if !(MIN_TOP_PERCENT..=100.0).contains(&percent) {
        return Err(bad(
            &TOP,
            format!(
                "the highly-cited top share `{percent:?}` must be a percentage from {MIN_TOP_PERCENT} to 100: e.g. 10 for the top 10%"
            ),
        ));
    }
    Ok(())
}

impl Settings {
    /// The defaults, under `profile`: all years, the top 10%, researchers
    /// with at least one AI work, careers from authorships, no row limit.
    pub fn new(profile: Profile) -> Settings {
        Settings {
            profile,
            from: None,
            to: None,
            top_bp: 1000,
            min_works: 1,
            careers: Careers::Authorships,
            by: By::Year,
            rollup: false,
            sector: None,
            institution_sort: InstitutionSort::Papers,
            researcher_sort: ResearcherSort::Citations,
            limit: None,
            shares: false,
            cohort: false,
            origin: None,
            author: None,
            ci: None,
            replicates: 1000,
            seed: 0,
            lead_authors: false,
        }
    }

    /// Set the parameter `name` from its text, as the API and the SQL tests
    /// give it (`ai` resolves a built-in profile or a profile file).
    pub fn set(&mut self, name: &str, value: &str) -> Result<()> {
        let p = find_param(PARAMS, name)?;
        let v = value.trim();
        let not = |what: &str| bad(p, format!("bad {what} `{value}` for `{name}`"));
        let flag = || match v {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(not("value")),
        };
        let choice = |p: &Param| match p.accepts {
            Accepts::OneOf(words) if words.contains(&v) => Ok(v),
            _ => Err(bad(
                p,
                format!(
                    "bad value `{value}` for `{name}`: use one of {}",
                    p.accepts.accepted().join(", ")
                ),
            )),
        };
        match name {
            "ai" => {
                let profile = Profile::load(v).map_err(|e| bad(p, e.to_string()))?;
                self.set_profile(profile);
            }
            "source" => {
                let word = choice(p)?;
                let source = Source::ALL
                    .into_iter()
                    .find(|s| s.as_str() == word)
                    .expect("the words are the sources");
                self.set_source(Some(source));
            }
            "venue" => self.set_venues(v)?,
            "elite" => self.profile.scope.elite = flag()?,
            "from" => self.set_from(Some(v.parse().map_err(|_| not("year"))?))?,
            "to" => self.set_to(Some(v.parse().map_err(|_| not("year"))?))?,
            "top" => self.set_top(v.parse().map_err(|_| not("percentage"))?)?,
            "min_works" => self.set_min_works(v.parse().map_err(|_| not("count"))?)?,
            "careers_from" => self.careers = choice(p)?.parse().map_err(|m| bad(p, m))?,
            "by" => self.by = choice(p)?.parse().map_err(|m| bad(p, m))?,
            "rollup" => self.rollup = flag()?,
            "type" => self.set_sector(Some(v))?,
            "sort" => {
                // One name, two rankings: the value says which.
                if let Ok(s) = v.parse::<InstitutionSort>() {
                    self.institution_sort = s;
                }
                if let Ok(s) = v.parse::<ResearcherSort>() {
                    self.researcher_sort = s;
                }
                if v.parse::<InstitutionSort>().is_err() && v.parse::<ResearcherSort>().is_err() {
                    choice(&INSTITUTION_SORT)?;
                }
            }
            "limit" => self.set_limit(Some(v.parse().map_err(|_| not("row count"))?))?,
            "shares" => self.shares = flag()?,
            "cohort" => self.cohort = flag()?,
            "origin" => self.set_origin(v)?,
            "author" => self.set_author(v)?,
            "ci" => self.set_ci(Some(v.parse().map_err(|_| not("level"))?))?,
            "replicates" => self.set_replicates(v.parse().map_err(|_| not("count"))?)?,
            "seed" => self.seed = v.parse().map_err(|_| not("seed"))?,
            "resample" => self.lead_authors = choice(p)? == "lead-authors",
            _ => unreachable!("every parameter of PARAMS is set above"),
        }
        Ok(())
    }

    /// Set the parameter `p` from its text, as [`Settings::set`] does, but
    /// a choice must be one of `p`'s own words: `sort` names two parameters
    /// ([`INSTITUTION_SORT`], [`RESEARCHER_SORT`]), and a front end that
    /// offers one of them refuses the other's words (`talent top` has no
    /// `sort=papers`).
    pub fn set_param(&mut self, p: &Param, value: &str) -> Result<()> {
        if let Accepts::OneOf(words) = p.accepts
            && !words.contains(&value.trim())
        {
            return Err(bad(
                p,
                format!(
                    "bad value `{value}` for `{}`: use one of {}",
                    p.name,
                    words.join(", ")
                ),
            ));
        }
        self.set(p.name, value)
    }

    /// Use `profile`, narrowed to the source and venues in force.
    pub fn set_profile(&mut self, profile: Profile) {
        let scope = std::mem::take(&mut self.profile.scope);
        self.profile = profile;
        self.profile.scope = scope;
    }

    /// Keep the works of the venues' elite tier only, or every work.
    pub fn set_elite(&mut self, elite: bool) {
        self.profile.scope.elite = elite;
    }

    /// Keep the works of one source (none: every source).
    pub fn set_source(&mut self, source: Option<Source>) {
        self.profile.scope.source = source;
    }

    /// Keep the works of these venues, comma-separated (empty: every
    /// venue). A refused name leaves the settings as they were.
    pub fn set_venues(&mut self, names: &str) -> Result<()> {
        if names.len() > MAX_VENUES_TEXT {
            return Err(bad(
                &VENUE,
                format!("the venue list is longer than {MAX_VENUES_TEXT} characters"),
            ));
        }
        let mut venues = Vec::new();
        for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            if !Scope::valid_venue(name) {
                return Err(bad(
                    &VENUE,
                    format!("`{name}` is not a venue name: letters, digits, spaces and .&+- only"),
                ));
            }
            if !venues.iter().any(|v: &String| v.eq_ignore_ascii_case(name)) {
                venues.push(name.to_string());
            }
        }
        self.profile.scope.venues = venues;
        Ok(())
    }

    /// The first publication year (inclusive), or none. A refused year
    /// leaves the settings as they were.
    pub fn set_from(&mut self, year: Option<i32>) -> Result<()> {
        self.set_years(year, self.to)
    }

    /// The last publication year (inclusive), or none.
    pub fn set_to(&mut self, year: Option<i32>) -> Result<()> {
        self.set_years(self.from, year)
    }

    /// Both ends of the year range at once (each optional).
    pub fn set_years(&mut self, from: Option<i32>, to: Option<i32>) -> Result<()> {
        let from = check_year(&FROM, from)?;
        let to = check_year(&TO, to)?;
        Self::check_range(from, to)?;
        (self.from, self.to) = (from, to);
        Ok(())
    }

    fn check_range(from: Option<i32>, to: Option<i32>) -> Result<()> {
        match (from, to) {
            (Some(f), Some(t)) if f > t => Err(Error::input(
                "from",
                format!("the year range {f} to {t} is empty: `from` must be at most `to`"),
                vec![format!("a year up to {t}")],
            )),
            _ => Ok(()),
        }
    }

    /// Highly cited = the top `percent` of each year's works, from
    /// [`MIN_TOP_PERCENT`] to 100; kept to the basis point.
    pub fn set_top(&mut self, percent: f64) -> Result<()> {
        check_top(percent)?;
        self.top_bp = (percent * 100.0).round() as u32;
        Ok(())
    }

    /// Researchers in scope have at least `k` AI works (≥ 1).
    pub fn set_min_works(&mut self, k: u32) -> Result<()> {
        if k < 1 {
            return Err(bad(
                &MIN_WORKS,
                format!(
                    "`min_works` {k} must be at least 1: researchers in scope have works in the AI profile"
                ),
            ));
        }
        self.min_works = k;
        Ok(())
    }

    /// Where careers come from.
    pub fn set_careers(&mut self, careers: Careers) {
        self.careers = careers;
    }

    /// Per year or over the range.
    pub fn set_by(&mut self, by: By) {
        self.by = by;
    }

    /// Count institutions under their lineage root.
    pub fn set_rollup(&mut self, rollup: bool) {
        self.rollup = rollup;
    }

    /// Keep one sector (one of [`SECTORS`]), or all.
    pub fn set_sector(&mut self, sector: Option<&str>) -> Result<()> {
        self.sector = match sector {
            None => None,
            Some(s) => Some(*SECTORS.iter().find(|x| **x == s).ok_or_else(|| {
                bad(
                    &SECTOR,
                    format!("unknown sector `{s}`: use one of {}", SECTORS.join(", ")),
                )
            })?),
        };
        Ok(())
    }

    /// The institutions ranking's sort column.
    pub fn set_institution_sort(&mut self, sort: InstitutionSort) {
        self.institution_sort = sort;
    }

    /// The researchers ranking's sort column.
    pub fn set_researcher_sort(&mut self, sort: ResearcherSort) {
        self.researcher_sort = sort;
    }

    /// Keep the first `n` rows of a ranking (≥ 1), or all.
    pub fn set_limit(&mut self, n: Option<u32>) -> Result<()> {
        if n == Some(0) {
            return Err(bad(&LIMIT, "`limit` 0 must be at least 1".to_string()));
        }
        self.limit = n;
        Ok(())
    }

    /// Collaboration shares instead of pairs.
    pub fn set_shares(&mut self, shares: bool) {
        self.shares = shares;
    }

    /// Flows by cohort.
    pub fn set_cohort(&mut self, cohort: bool) {
        self.cohort = cohort;
    }

    /// The origin country of `talent conversion`: a two-letter ISO code,
    /// either case.
    pub fn set_origin(&mut self, code: &str) -> Result<()> {
        let c = country_code(code).ok_or_else(|| {
            bad(
                &ORIGIN,
                format!("`{code}` is not a two-letter ISO country code (e.g. CN, US)"),
            )
        })?;
        self.origin = Some(c);
        Ok(())
    }

    /// The researcher of `talent author`: `A123` or its OpenAlex URL.
    pub fn set_author(&mut self, id: &str) -> Result<()> {
        // The resolver prefix only ever comes with an OpenAlex id.
        let short = match id.trim().strip_prefix("https://openalex.org/") {
            Some(rest) if rest.starts_with('A') => rest,
            Some(_) => "",
            None => id.trim(),
        };
        if !is_author_id(short) {
            return Err(bad(
                &AUTHOR,
                format!(
                    "`{id}` is not an author id (an OpenAlex id, e.g. A5023888391; an OpenReview id, e.g. ~Jane_Doe1)"
                ),
            ));
        }
        self.author = Some(short.to_string());
        Ok(())
    }

    /// Ask for intervals at `level` percent (`ci`), or none.
    pub fn set_ci(&mut self, level: Option<f64>) -> Result<()> {
        if let Some(l) = level
            && !(l > 0.0 && l < 100.0)
        {
            return Err(bad(
                &CI,
                format!(
                    "the interval level `{l:?}` must be a percentage above 0 and below 100: e.g. 95"
                ),
            ));
        }
        self.ci = level;
        Ok(())
    }

    /// Set the number of bootstrap replicates (`replicates`).
    pub fn set_replicates(&mut self, n: u32) -> Result<()> {
        if !(1..=MAX_REPLICATES).contains(&n) {
            return Err(bad(
                &REPLICATES,
                format!("`{n}` replicates: use 1 to {MAX_REPLICATES} (1000 is the usual count)"),
            ));
        }
        self.replicates = n;
        Ok(())
    }

    /// Set the seed of the resampling (`seed`).
    pub fn set_seed(&mut self, seed: u64) {
        self.seed = seed;
    }

    /// Resample works with their lead author's other works (`resample
    /// lead-authors`) or works alone.
    pub fn set_lead_authors(&mut self, on: bool) {
        self.lead_authors = on;
    }

    /// The AI profile.
    pub fn profile(&self) -> &Profile {
        &self.profile
    }
    /// The first publication year, if any.
    pub fn from(&self) -> Option<i32> {
        self.from
    }
    /// The last publication year, if any.
    pub fn to(&self) -> Option<i32> {
        self.to
    }
    /// The highly-cited top share in basis points (1000 = 10%).
    pub fn top_bp(&self) -> u32 {
        self.top_bp
    }
    /// The highly-cited top share in percent.
    pub fn top_percent(&self) -> f64 {
        f64::from(self.top_bp) / 100.0
    }
    /// The minimum AI works of a researcher in scope.
    pub fn min_works(&self) -> u32 {
        self.min_works
    }
    /// Where careers come from.
    pub fn careers(&self) -> Careers {
        self.careers
    }
    /// Per year or over the range.
    pub fn by(&self) -> By {
        self.by
    }
    /// Whether institutions count under their lineage root.
    pub fn rollup(&self) -> bool {
        self.rollup
    }
    /// The one sector kept, if any.
    pub fn sector(&self) -> Option<&'static str> {
        self.sector
    }
    /// The institutions ranking's sort column.
    pub fn institution_sort(&self) -> InstitutionSort {
        self.institution_sort
    }
    /// The researchers ranking's sort column.
    pub fn researcher_sort(&self) -> ResearcherSort {
        self.researcher_sort
    }
    /// The rows kept of a ranking, if limited.
    pub fn limit(&self) -> Option<u32> {
        self.limit
    }
    /// Collaboration shares instead of pairs.
    pub fn shares(&self) -> bool {
        self.shares
    }
    /// Flows by cohort.
    pub fn cohort(&self) -> bool {
        self.cohort
    }
    /// The origin country of `talent conversion`, upper case.
    pub fn origin(&self) -> Option<&str> {
        self.origin.as_deref()
    }
    /// The researcher of `talent author`, short id.
    pub fn author(&self) -> Option<&str> {
        self.author.as_deref()
    }

    /// The intervals asked for (`ci`), with their replicates and seed.
    pub fn intervals(&self) -> Option<Intervals> {
        self.ci.map(|level| Intervals {
            level,
            replicates: self.replicates,
            seed: self.seed,
            lead_authors: self.lead_authors,
        })
    }

    /// The year range, as notes print it.
    pub fn range_text(&self) -> String {
        match (self.from, self.to) {
            (None, None) => "all years".to_string(),
            (Some(f), None) => format!("{f} on"),
            (None, Some(t)) => format!("up to {t}"),
            (Some(f), Some(t)) if f == t => format!("{f}"),
            (Some(f), Some(t)) => format!("{f}–{t}"),
        }
    }

    /// The values the SQL reads, by name (`$from_year` in a query): the one
    /// place where settings become query parameters. A name no query reads
    /// costs nothing. `from_year`, `to_year` are the range as given (null
    /// when open); `first_year`, `last_year` its ends with an open end as
    /// wide as a year can be.
    pub fn bindings(&self) -> HashMap<String, ScalarValue> {
        let int = |v: Option<i32>| ScalarValue::Int32(v);
        let text = |v: Option<&str>| ScalarValue::Utf8(v.map(str::to_string));
        HashMap::from([
            ("from_year".into(), int(self.from)),
            ("to_year".into(), int(self.to)),
            // The range's ends for `year BETWEEN $first_year AND $last_year`:
            // an open end takes every year.
            (
                "first_year".into(),
                int(Some(self.from.unwrap_or(i32::MIN))),
            ),
            ("last_year".into(), int(Some(self.to.unwrap_or(i32::MAX)))),
            (
                "top_bp".into(),
                ScalarValue::Int64(Some(i64::from(self.top_bp))),
            ),
            (
                "min_works".into(),
                ScalarValue::Int64(Some(i64::from(self.min_works))),
            ),
            ("careers_from".into(), text(Some(self.careers.name()))),
            ("rollup".into(), ScalarValue::Boolean(Some(self.rollup))),
            ("sector".into(), text(self.sector)),
            (
                "institution_sort".into(),
                text(Some(self.institution_sort.name())),
            ),
            (
                "researcher_sort".into(),
                text(Some(self.researcher_sort.name())),
            ),
            (
                "row_limit".into(),
                ScalarValue::Int64(self.limit.map(i64::from)),
            ),
            ("origin".into(), text(self.origin.as_deref())),
            ("author".into(), text(self.author.as_deref())),
        ])
    }
}

/// A country code as the dataset holds it (ISO 3166-1 alpha-2, upper
/// case), from two ASCII letters in either case; none for anything else.
pub fn country_code(text: &str) -> Option<String> {
    let c = text.trim().to_ascii_uppercase();
    (c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase())).then_some(c)
}

/// The parameter of `params` named `name`, or the error that lists them:
/// the settings' and a projection's ([`crate::projection::PARAMS`]).
pub fn find_param<'a>(params: &'a [Param], name: &str) -> Result<&'a Param> {
    params.iter().find(|p| p.name == name).ok_or_else(|| {
        Error::input(
            name,
            format!("unknown parameter `{name}`"),
            params.iter().map(|p| p.name.to_string()).collect(),
        )
    })
}

/// `year` if within [`YEARS`], else the error naming `p`.
pub fn check_year(p: &Param, year: Option<i32>) -> Result<Option<i32>> {
    match year {
        Some(y) if !(YEARS.0..=YEARS.1).contains(&y) => Err(bad(
            p,
            format!(
                "year `{y}` for `{}` is outside {} to {}",
                p.name, YEARS.0, YEARS.1
            ),
        )),
        other => Ok(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        Settings::new(Profile::builtin("concepts").unwrap())
    }

    fn refused(name: &str, value: &str) -> Error {
        let err = settings().set(name, value).unwrap_err();
        assert_eq!(err.kind(), crate::error::Kind::Input, "{name}={value}");
        err
    }

    #[test]
    fn every_parameter_is_set_by_name_from_its_default() {
        for p in PARAMS {
            if let Some(d) = p.default {
                settings()
                    .set(p.name, d)
                    .unwrap_or_else(|e| panic!("{}: {e}", p.name));
            }
        }
        let mut s = settings();
        for (n, v) in [
            ("from", "2017"),
            ("to", "2022"),
            ("top", "1"),
            ("min_works", "3"),
            ("careers_from", "affiliations"),
            ("by", "total"),
            ("rollup", "true"),
            ("type", "company"),
            ("sort", "h-index"),
            ("limit", "20"),
            ("origin", "cn"),
            ("author", "https://openalex.org/A5023888391"),
        ] {
            s.set(n, v).unwrap_or_else(|e| panic!("{n}={v}: {e}"));
        }
        assert_eq!(
            (s.from(), s.to(), s.top_bp(), s.min_works()),
            (Some(2017), Some(2022), 100, 3)
        );
        assert_eq!(
            (s.careers(), s.by(), s.rollup(), s.sector()),
            (Careers::Affiliations, By::Total, true, Some("company"))
        );
        assert_eq!(s.researcher_sort(), ResearcherSort::HIndex);
        assert_eq!(
            s.institution_sort(),
            InstitutionSort::Papers,
            "h-index sorts researchers only"
        );
        assert_eq!(
            (s.limit(), s.origin(), s.author()),
            (Some(20), Some("CN"), Some("A5023888391"))
        );
        s.set("sort", "citations").unwrap();
        assert_eq!(
            (s.institution_sort(), s.researcher_sort()),
            (InstitutionSort::Citations, ResearcherSort::Citations)
        );
    }

    /// The values a front end let through as internal errors once: each is
    /// now refused by name (`top=5e-324` is positive, but below one basis
    /// point, which made a share of 0).
    #[test]
    fn bad_values_are_refused_by_name() {
        for (name, value, says) in [
            ("top", "5e-324", "from 0.01 to 100"),
            ("top", "0", "from 0.01 to 100"),
            ("top", "100.5", "from 0.01 to 100"),
            ("top", "NaN", "from 0.01 to 100"),
            ("top", "ten", "bad percentage"),
            ("from", "99999", "outside 1000 to 3000"),
            ("min_works", "0", "at least 1"),
            ("min_works", "-1", "bad count"),
            ("limit", "0", "at least 1"),
            ("type", "firm", "unknown sector `firm`"),
            ("sort", "size", "use one of papers"),
            ("by", "month", "use one of year, total"),
            ("rollup", "yes", "bad value"),
            ("origin", "CHN", "two-letter"),
            ("author", "W123", "author id"),
            ("ai", "no-such-profile", "unknown profile"),
            ("colour", "red", "unknown parameter"),
        ] {
            let err = refused(name, value);
            assert_eq!(err.parameter(), Some(name));
            assert!(err.to_string().contains(says), "{name}={value}: {err}");
        }
        let mut s = settings();
        s.set("to", "2018").unwrap();
        let err = s.set("from", "2020").unwrap_err();
        assert_eq!(err.parameter(), Some("from"));
        assert!(err.to_string().contains("empty"), "{err}");
        assert_eq!(
            (s.from(), s.to()),
            (None, Some(2018)),
            "a refused year changes nothing"
        );
    }

    /// `sort` by its parameter: each ranking takes its own words only.
    #[test]
    fn set_param_takes_the_parameters_own_words() {
        let mut s = settings();
        s.set_param(&RESEARCHER_SORT, "h-index").unwrap();
        assert_eq!(s.researcher_sort(), ResearcherSort::HIndex);
        let err = s.set_param(&RESEARCHER_SORT, "papers").unwrap_err();
        assert_eq!(err.parameter(), Some("sort"));
        assert!(err.to_string().contains("citations, h-index"), "{err}");
        s.set_param(&INSTITUTION_SORT, "papers").unwrap();
        let err = s.set_param(&INSTITUTION_SORT, "h-index").unwrap_err();
        assert!(err.to_string().contains("papers, fractional"), "{err}");
        let err = s.set_param(&SECTOR, "firm").unwrap_err();
        assert!(err.to_string().contains("for `type`"), "{err}");
        // Anything else is `set`'s check.
        let err = s.set_param(&TOP, "5e-324").unwrap_err();
        assert!(err.to_string().contains("from 0.01 to 100"), "{err}");
    }

    /// The top share is kept in basis points: 10 → 1000, 0.01 → 1, and
    /// 0.015 rounds to 2 (the unit the threshold is computed in).
    #[test]
    fn top_share_in_basis_points() {
        let mut s = settings();
        for (pct, bp) in [
            (10.0, 1000),
            (0.01, 1),
            (0.015, 2),
            (100.0, 10_000),
            (33.33, 3333),
        ] {
            s.set_top(pct).unwrap();
            assert_eq!(s.top_bp(), bp, "{pct}");
        }
    }

    /// Author ids of both sources; the resolver prefix only with an
    /// OpenAlex id; a space or a control character never in an OpenReview id.
    #[test]
    fn author_ids_of_both_sources() {
        let mut s = Settings::new(Profile::builtin("all").unwrap());
        for (given, kept) in [
            ("A5023888391", "A5023888391"),
            ("https://openalex.org/A12", "A12"),
            (" ~Erik_Sandström1 ", "~Erik_Sandström1"),
            ("E0123456789abcdef", "E0123456789abcdef"),
            ("M0123456789abcdef", "M0123456789abcdef"),
        ] {
            s.set("author", given).unwrap();
            assert_eq!(s.author(), Some(kept), "{given}");
        }
        for bad in [
            "W123",
            "A",
            "A12x",
            "~",
            "~Jane Doe1",
            "~Jane\u{85}Doe",
            "~Jane\u{7f}",
            "E0123",
            "E0123456789ABCDEF",
            "https://openalex.org/~Jane_Doe1",
            "https://openalex.org/E0123456789abcdef",
        ] {
            let e = s.set("author", bad).unwrap_err();
            assert_eq!(e.parameter(), Some("author"), "{bad}");
        }
        assert!(is_author_id(&format!("~{}", "x".repeat(199))));
        assert!(!is_author_id(&format!("~{}", "x".repeat(200))));
    }
}
