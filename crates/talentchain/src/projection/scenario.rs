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

    /// The scenario with its countries as the model's states (indices of
    /// `countries`): what a projection applies, year by year, without
    /// comparing names. A change naming a country that is not a state
    /// applies to nothing ([`Scenario::unknown_codes`] says which).
    pub fn resolve(&self, countries: &[String]) -> Resolved {
        // usize::MAX: a code that is no state, matched by nothing.
        let state = |c: &str| countries.iter().position(|k| k == c).unwrap_or(usize::MAX);
        let one = |c: &Option<String>| c.as_deref().map(state);
        let changes = self
            .changes
            .iter()
            .map(|ch| ResolvedChange {
                from: ch.from.or(self.from).unwrap_or(i32::MIN),
                origin: one(&ch.origin),
                kind: match &ch.kind {
                    Kind::Moves { to, leaving } => ResolvedKind::Moves {
                        to: match to {
                            Target::Origin => None,
                            Target::Country(t) => Some(state(t)),
                        },
                        leaving: one(leaving),
                    },
                    Kind::Entries => ResolvedKind::Entries,
                    Kind::Exits { within } => ResolvedKind::Exits {
                        within: one(within),
                    },
                },
                factor: ch.factor,
            })
            .collect();
        Resolved { changes }
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

/// A [`Scenario`] over the model's states ([`Scenario::resolve`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    changes: Vec<ResolvedChange>,
}

#[derive(Debug, Clone, PartialEq)]
struct ResolvedChange {
    from: i32,
    origin: Option<usize>,
    kind: ResolvedKind,
    factor: f64,
}

#[derive(Debug, Clone, PartialEq)]
enum ResolvedKind {
    /// `to`: a state, or none for the mover's origin.
    Moves {
        to: Option<usize>,
        leaving: Option<usize>,
    },
    Entries,
    Exits {
        within: Option<usize>,
    },
}

impl ResolvedChange {
    fn applies(&self, year: i32, o: usize) -> bool {
        year >= self.from && self.origin.is_none_or(|x| x == o)
    }
}

impl Resolved {
    /// The factor on moves in `year` of origin `o` from `c` to `d`.
    pub fn move_factor(&self, year: i32, o: usize, c: usize, d: usize) -> f64 {
        let mut f = 1.0;
        for ch in &self.changes {
            if let ResolvedKind::Moves { to, leaving } = &ch.kind
                && ch.applies(year, o)
                && leaving.is_none_or(|l| l == c)
                && to.unwrap_or(o) == d
            {
                f *= ch.factor;
            }
        }
        f
    }

    /// Whether any change to moves applies in `year` (else every move
    /// factor is 1).
    pub fn moves_in(&self, year: i32) -> bool {
        self.changes
            .iter()
            .any(|ch| matches!(ch.kind, ResolvedKind::Moves { .. }) && year >= ch.from)
    }

    /// The factor on entries of origin `o` in `year`.
    pub fn entry_factor(&self, year: i32, o: usize) -> f64 {
        self.changes
            .iter()
            .filter(|ch| ch.kind == ResolvedKind::Entries && ch.applies(year, o))
            .map(|ch| ch.factor)
            .product()
    }

    /// The factor on exits in `year` of origin `o` working in `c`.
    pub fn exit_factor(&self, year: i32, o: usize, c: usize) -> f64 {
        let mut f = 1.0;
        for ch in &self.changes {
            if let ResolvedKind::Exits { within } = &ch.kind
                && ch.applies(year, o)
                && within.is_none_or(|w| w == c)
            {
                f *= ch.factor;
            }
        }
        f
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
        let r = s.resolve(&c);
        // CN-origin moves into the US from 2026, from anywhere.
        assert_eq!(r.move_factor(2025, cn, cn, us), 1.0);
        assert_eq!(r.move_factor(2026, cn, cn, us), 0.5);
        assert_eq!(r.move_factor(2026, cn, gb, us), 0.5);
        assert_eq!(r.move_factor(2026, inn, inn, us), 1.0);
        assert_eq!(r.move_factor(2026, cn, cn, gb), 1.0);
        // Returns doubled from 2030 only.
        assert_eq!(r.move_factor(2029, inn, us, inn), 1.0);
        assert_eq!(r.move_factor(2030, inn, us, inn), 2.0);
        // A CN researcher going home to CN from the US in 2030: a return,
        // not a move into the US.
        assert_eq!(r.move_factor(2030, cn, us, cn), 2.0);
        assert_eq!(r.entry_factor(2026, inn), 1.2);
        assert_eq!(r.entry_factor(2025, inn), 1.0);
        assert_eq!(r.entry_factor(2026, cn), 1.0);
        assert_eq!(r.exit_factor(2026, us, gb), 0.5);
        assert_eq!(r.exit_factor(2026, us, us), 1.0);
        assert!(s.unknown_codes(&c).is_empty());
        assert_eq!(s.unknown_codes(&c[..2]), ["IN", "GB"]);
        // Over two states only, the changes naming IN and GB apply to
        // nothing.
        let two = s.resolve(&c[..2]);
        assert_eq!(two.move_factor(2026, cn, cn, us), 0.5);
        assert_eq!(two.entry_factor(2026, us), 1.0);
        assert_eq!(two.exit_factor(2026, us, us), 1.0);
        assert!(!two.moves_in(2025) && two.moves_in(2026));
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
