//! Scenarios: named changes to the fitted rates from a given year, read
//! from TOML (`scenarios/*.toml` ships examples):
//!
//! ```toml
//! [[scenario]]
//! name = "us-halves-cn-inflow"
//! description = "The US halves the inflow of China-origin researchers"
//! from = 2026                # the first year the changes apply (default:
//!                            # the first projected year)
//!
//! [[scenario.change]]
//! origin = "CN"              # researchers of this origin (default: all)
//! to = "US"                  # moving into this country ("origin": home)
//! factor = 0.5               # their moves happen half as often
//! ```
//!
//! A change is one of:
//! - `factor` with `to` (and optional `origin`, `leaving`): moves into
//!   `to` multiplied; the researchers who no longer move stay where they
//!   are (and with a factor above 1, more move, taken from those who stay).
//!   `to = "origin"` changes the returns home (return incentives);
//! - `entries` (optional `origin`): the researchers entering each year
//!   multiplied (an entry shock);
//! - `exits` (optional `origin`, `in`): the yearly chance of leaving the
//!   field multiplied.
//!
//! A change may carry its own `from`.

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::model::countries;

/// The example scenarios shipped in `scenarios/`, by file name.
pub const SHIPPED: &[(&str, &str)] = &[
    (
        "us-halves-cn-inflow.toml",
        include_str!("../../../../scenarios/us-halves-cn-inflow.toml"),
    ),
    (
        "return-incentives.toml",
        include_str!("../../../../scenarios/return-incentives.toml"),
    ),
    (
        "india-entry-shock.toml",
        include_str!("../../../../scenarios/india-entry-shock.toml"),
    ),
];

/// The largest factor a change may apply.
pub const MAX_FACTOR: f64 = 100.0;

/// Where a change's moves go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Into this country.
    Country(String),
    /// Back to the mover's origin.
    Origin,
}

/// What a change multiplies.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// Moves into a country (or home), by a factor.
    Moves {
        /// Where the moves go.
        to: Target,
        /// The country left, if only from one.
        leaving: Option<String>,
    },
    /// Entries.
    Entries,
    /// Exits, where researchers work (any country without).
    Exits {
        /// The country of work, if only one.
        within: Option<String>,
    },
}

/// One change of a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The first year it applies (else the scenario's).
    pub from: Option<i32>,
    /// The origin of the researchers it applies to (all without).
    pub origin: Option<String>,
    /// What it multiplies.
    pub kind: Kind,
    /// By how much.
    pub factor: f64,
}

/// A named set of changes.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Its name (the `scenario` column).
    pub name: String,
    /// What it stands for.
    pub description: String,
    /// The first year its changes apply (else the first projected year).
    pub from: Option<i32>,
    /// Its changes.
    pub changes: Vec<Change>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    scenario: Vec<RawScenario>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    name: String,
    #[serde(default)]
    description: String,
    from: Option<i32>,
    #[serde(default)]
    change: Vec<RawChange>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChange {
    from: Option<i32>,
    origin: Option<String>,
    to: Option<String>,
    leaving: Option<String>,
    #[serde(rename = "in")]
    within: Option<String>,
    factor: Option<f64>,
    entries: Option<f64>,
    exits: Option<f64>,
}

fn bad(what: impl Into<String>) -> Error {
    Error::input(
        "scenario",
        what.into(),
        vec!["a scenario file: [[scenario]] tables with name and [[scenario.change]] (see scenarios/)".into()],
    )
}

fn code(field: &str, v: &str) -> Result<String> {
    let up = v.trim().to_ascii_uppercase();
    if countries::name_of(&up).is_none() {
        return Err(bad(format!(
            "`{field} = \"{v}\"` is not a two-letter ISO 3166-1 country code"
        )));
    }
    Ok(up)
}

fn factor(field: &str, v: f64) -> Result<f64> {
    if !v.is_finite() || !(0.0..=MAX_FACTOR).contains(&v) {
        return Err(bad(format!(
            "`{field} = {v}` must be a number from 0 to {MAX_FACTOR}"
        )));
    }
    Ok(v)
}

impl Change {
    fn new(raw: RawChange) -> Result<Change> {
        let origin = raw
            .origin
            .as_deref()
            .map(|v| code("origin", v))
            .transpose()?;
        let given = [
            raw.factor.is_some(),
            raw.entries.is_some(),
            raw.exits.is_some(),
        ];
        if given.iter().filter(|g| **g).count() != 1 {
            return Err(bad(
                "each change has exactly one of `factor` (with `to`), `entries` or `exits`",
            ));
        }
        let (kind, f) = if let Some(f) = raw.factor {
            let to = match raw.to.as_deref() {
                Some("origin") => Target::Origin,
                Some(v) => Target::Country(code("to", v)?),
                None => {
                    return Err(bad(
                        "`factor` changes moves: add `to` (a country, or \"origin\")",
                    ));
                }
            };
            if raw.within.is_some() {
                return Err(bad(
                    "`in` goes with `exits`; a move's country left is `leaving`",
                ));
            }
            let leaving = raw
                .leaving
                .as_deref()
                .map(|v| code("leaving", v))
                .transpose()?;
            (Kind::Moves { to, leaving }, factor("factor", f)?)
        } else if let Some(f) = raw.entries {
            if raw.to.is_some() || raw.leaving.is_some() || raw.within.is_some() {
                return Err(bad("`entries` takes only `origin` (and `from`)"));
            }
            (Kind::Entries, factor("entries", f)?)
        } else {
            let f = raw.exits.unwrap_or(1.0);
            if raw.to.is_some() || raw.leaving.is_some() {
                return Err(bad("`exits` takes only `origin`, `in` (and `from`)"));
            }
            let within = raw.within.as_deref().map(|v| code("in", v)).transpose()?;
            (Kind::Exits { within }, factor("exits", f)?)
        };
        Ok(Change {
            from: raw.from,
            origin,
            kind,
            factor: f,
        })
    }
}

impl Scenario {
    /// The scenarios of a file's text; errors name the file as `source`.
    pub fn parse(text: &str, source: &str) -> Result<Vec<Scenario>> {
        let file: File = toml::from_str(text).map_err(|e| bad(format!("{source}: {e}")))?;
        let mut out = Vec::new();
        for s in file.scenario {
            let name = s.name.trim().to_string();
            if name.is_empty()
                || name == "baseline"
                || name == "observed"
                || !name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            {
                return Err(bad(format!(
                    "{source}: scenario name `{name}`: use letters, digits, - and _ (not `baseline` or `observed`)"
                )));
            }
            if s.change.is_empty() {
                return Err(bad(format!(
                    "{source}: scenario `{name}` has no [[scenario.change]]"
                )));
            }
            let changes = s
                .change
                .into_iter()
                .map(Change::new)
                .collect::<Result<Vec<_>>>()
                .map_err(|e| bad(format!("{source}: scenario `{name}`: {}", e)))?;
            out.push(Scenario {
                name,
                description: s.description.trim().to_string(),
                from: s.from,
                changes,
            });
        }
        if out.is_empty() {
            return Err(bad(format!("{source}: no [[scenario]]")));
        }
        Ok(out)
    }

    /// The one scenario of `text` (tests).
    pub fn parse_one(text: &str) -> Result<Scenario> {
        let mut v = Scenario::parse(&format!("[[scenario]]\n{}", nest(text)), "text")?;
        Ok(v.remove(0))
    }

    /// The shipped examples, in order.
    pub fn shipped() -> Vec<Scenario> {
        SHIPPED
            .iter()
            .flat_map(|(file, text)| {
                Scenario::parse(text, file).expect("the shipped scenarios parse (a test checks)")
            })
            .collect()
    }

    fn applies(&self, c: &Change, year: i32, origin: &str) -> bool {
        year >= c.from.or(self.from).unwrap_or(i32::MIN)
            && c.origin.as_deref().is_none_or(|o| o == origin)
    }

    /// The factor on moves in `year` of origin `o` from `c` to `d` (state
    /// indices of `countries`).
    pub fn move_factor(
        &self,
        year: i32,
        o: usize,
        c: usize,
        d: usize,
        countries: &[String],
    ) -> f64 {
        let mut f = 1.0;
        for ch in &self.changes {
            if let Kind::Moves { to, leaving } = &ch.kind
                && self.applies(ch, year, &countries[o])
                && leaving.as_deref().is_none_or(|l| l == countries[c])
                && match to {
                    Target::Origin => d == o,
                    Target::Country(t) => *t == countries[d],
                }
            {
                f *= ch.factor;
            }
        }
        f
    }

    /// The factor on entries of origin `o` in `year`.
    pub fn entry_factor(&self, year: i32, o: usize, countries: &[String]) -> f64 {
        self.changes
            .iter()
            .filter(|ch| ch.kind == Kind::Entries && self.applies(ch, year, &countries[o]))
            .map(|ch| ch.factor)
            .product()
    }

    /// The factor on exits in `year` of origin `o` working in `c`.
    pub fn exit_factor(&self, year: i32, o: usize, c: usize, countries: &[String]) -> f64 {
        let mut f = 1.0;
        for ch in &self.changes {
            if let Kind::Exits { within } = &ch.kind
                && self.applies(ch, year, &countries[o])
                && within.as_deref().is_none_or(|w| w == countries[c])
            {
                f *= ch.factor;
            }
        }
        f
    }

    /// The country codes it names that are not among `countries` (pooled
    /// into `other`, or absent): the notes say so.
    pub fn unknown_codes(&self, countries: &[String]) -> Vec<String> {
        let mut v = Vec::new();
        for ch in &self.changes {
            let named = [
                ch.origin.as_deref(),
                match &ch.kind {
                    Kind::Moves {
                        to: Target::Country(t),
                        ..
                    } => Some(t.as_str()),
                    _ => None,
                },
                match &ch.kind {
                    Kind::Moves { leaving, .. } => leaving.as_deref(),
                    Kind::Exits { within } => within.as_deref(),
                    Kind::Entries => None,
                },
            ];
            for c in named.into_iter().flatten() {
                if !countries.iter().any(|k| k == c) && !v.iter().any(|x| x == c) {
                    v.push(c.to_string());
                }
            }
        }
        v
    }
}

/// A scenario's own text under `[[scenario]]`: its `[[change]]` tables
/// become `[[scenario.change]]`.
fn nest(text: &str) -> String {
    text.replace("[[change]]", "[[scenario.change]]")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_scenarios_parse() {
        let all = Scenario::shipped();
        assert_eq!(all.len(), SHIPPED.len());
        assert!(all.iter().all(|s| !s.description.is_empty()));
    }

    #[test]
    fn changes_apply_where_and_when_they_say() {
        let s = Scenario::parse_one(
            "name = \"s\"\nfrom = 2026\n[[change]]\norigin = \"cn\"\nto = \"US\"\nfactor = 0.5\n\
             [[change]]\nto = \"origin\"\nfactor = 2\nfrom = 2030\n\
             [[change]]\norigin = \"IN\"\nentries = 1.2\n\
             [[change]]\nexits = 0.5\nin = \"GB\"\n",
        )
        .unwrap();
        let c: Vec<String> = ["US", "CN", "IN", "GB"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let (us, cn, inn, gb) = (0, 1, 2, 3);
        // CN-origin moves into the US from 2026, from anywhere.
        assert_eq!(s.move_factor(2025, cn, cn, us, &c), 1.0);
        assert_eq!(s.move_factor(2026, cn, cn, us, &c), 0.5);
        assert_eq!(s.move_factor(2026, cn, gb, us, &c), 0.5);
        assert_eq!(s.move_factor(2026, inn, inn, us, &c), 1.0);
        assert_eq!(s.move_factor(2026, cn, cn, gb, &c), 1.0);
        // Returns doubled from 2030 only.
        assert_eq!(s.move_factor(2029, inn, us, inn, &c), 1.0);
        assert_eq!(s.move_factor(2030, inn, us, inn, &c), 2.0);
        // A CN researcher going home to CN from the US in 2030: a return,
        // not a move into the US.
        assert_eq!(s.move_factor(2030, cn, us, cn, &c), 2.0);
        assert_eq!(s.entry_factor(2026, inn, &c), 1.2);
        assert_eq!(s.entry_factor(2025, inn, &c), 1.0);
        assert_eq!(s.entry_factor(2026, cn, &c), 1.0);
        assert_eq!(s.exit_factor(2026, us, gb, &c), 0.5);
        assert_eq!(s.exit_factor(2026, us, us, &c), 1.0);
        assert!(s.unknown_codes(&c).is_empty());
        assert_eq!(s.unknown_codes(&c[..2]), ["IN", "GB"]);
    }

    #[test]
    fn bad_scenarios_say_what_is_wrong() {
        let err = |text: &str| Scenario::parse_one(text).unwrap_err().to_string();
        assert!(
            err("name = \"s\"\n[[change]]\nto = \"XX\"\nfactor = 1\n").contains("`to = \"XX\"`")
        );
        assert!(
            err("name = \"s\"\n[[change]]\norigin = \"CN\"\nfactor = 1\n").contains("add `to`")
        );
        assert!(err("name = \"s\"\n[[change]]\nto = \"US\"\nfactor = -1\n").contains("from 0 to"));
        assert!(
            err("name = \"s\"\n[[change]]\nto = \"US\"\nfactor = 1\nentries = 2\n")
                .contains("exactly one")
        );
        assert!(
            err("name = \"s\"\n[[change]]\nto = \"US\"\nfactr = 1\n").contains("unknown field")
        );
        assert!(err("name = \"baseline\"\n[[change]]\nentries = 2\n").contains("not `baseline`"));
        assert!(err("name = \"s\"\n").contains("no [[scenario.change]]"));
        assert!(
            err("name = \"s\"\n[[change]]\nentries = 2\nto = \"US\"\n").contains("only `origin`")
        );
    }
}
