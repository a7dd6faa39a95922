//! Conference paper lists (Paper Copilot's `paperlists`: one JSON array of
//! papers per venue-year file, `nips2018.json`) → the normalized model
//! ([`crate::model`]).
//!
//! | model | from the paper |
//! |---|---|
//! | work id | `FILE:id` (`nips2018:11572`), else `FILE#N` for the N-th paper of a file without ids |
//! | venue, year | the file name (`nips2018` → NeurIPS, 2018); `year` of the record where it has one |
//! | decision, elite | `status` as given; elite for `Oral`, `Spotlight` and CVPR's `Highlight` ([`is_elite`]) |
//! | gs_citations | `gs_citation` (Google Scholar's count, never put in `cited_by_count`; the lists' -1, no count, as none) |
//! | authorships | `author`, split on `;` (on `,` where a list has no `;`), in order |
//! | author id | `authorids`: an OpenReview id (`~Jane_Doe1`) as is; an e-mail address as a salted hash ([`email_id`]); anything else (names, ACL Anthology slugs) none |
//! | career_position | `position`, per author |
//! | raw_affiliation | `aff`, per author (`+` joins several) |
//! | institutions | `aff_unique_norm` by `aff_unique_index` (per author, `+` for several): an id per normalised name ([`institution_id`]), its country the one every list agrees on ([`Gazetteer`]; none for a company with labs in several) |
//! | countries | `aff_country_unique` by `aff_country_unique_index`, names mapped to ISO-2 by [`crate::model::countries`] |
//!
//! Names, affiliations, positions and institution names lose any e-mail
//! address in them ([`contact::without_emails`]).
//!
//! Records that do not fit are kept with what does and reported
//! ([`Problem`]): per-author lists of another length than the authors (the
//! older lists give `aff` as the set of the paper's affiliations, not one
//! per author), indices out of range, country names that map to no code. A
//! paper without a title is not kept.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::model::{Authorship, Institution, InstitutionSource, Source, Work, contact, countries};
use crate::sources::openalex::record::Str;

/// One paper as the lists give it: the fields read, borrowed from the line.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawPaper<'a> {
    /// `id`: the paper's id at its source (OpenReview forum id, proceedings
    /// number), a string or a number.
    pub id: Option<serde_json::Value>,
    /// `title`.
    #[serde(borrow)]
    pub title: Option<Str<'a>>,
    /// `year`, where the record has one (most take it from the file name).
    pub year: Option<serde_json::Value>,
    /// `status`: the decision (`Oral`, `Poster`, `Reject`, `Withdraw`, …).
    #[serde(borrow)]
    pub status: Option<Str<'a>>,
    /// `track`: `main`, `Datasets and Benchmarks`, …
    #[serde(borrow)]
    pub track: Option<Str<'a>>,
    /// `author`: the authors' names, `;`-separated.
    #[serde(borrow)]
    pub author: Option<Str<'a>>,
    /// `authorids`: per author, an OpenReview id, an e-mail address or a
    /// slug, `;`-separated.
    #[serde(borrow)]
    pub authorids: Option<Str<'a>>,
    /// `position`: per author, the career position (`PhD student`, …).
    #[serde(borrow)]
    pub position: Option<Str<'a>>,
    /// `aff`: per author, the affiliation as written (`+` joins several).
    #[serde(borrow)]
    pub aff: Option<Str<'a>>,
    /// `aff_unique_norm`: the paper's normalised institutions, `;`-separated.
    #[serde(borrow)]
    pub aff_unique_norm: Option<Str<'a>>,
    /// `aff_unique_index`: per author, indices into `aff_unique_norm`
    /// (`0;1+2;0`).
    #[serde(borrow)]
    pub aff_unique_index: Option<Str<'a>>,
    /// `aff_country_unique`: the paper's country names, `;`-separated.
    #[serde(borrow)]
    pub aff_country_unique: Option<Str<'a>>,
    /// `aff_country_unique_index`: per author, indices into
    /// `aff_country_unique`, aligned with `aff_unique_index`.
    #[serde(borrow)]
    pub aff_country_unique_index: Option<Str<'a>>,
    /// `gs_citation`: Google Scholar's citation count.
    pub gs_citation: Option<serde_json::Value>,
    /// `doi`, where given.
    #[serde(borrow)]
    pub doi: Option<Str<'a>>,
}

/// What a paper-list file's name says: `nips2018.json.gz` is NeurIPS 2018.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListFile {
    /// The file's stem, `nips2018`: the prefix of its works' ids.
    pub stem: String,
    /// The venue's name, `NeurIPS` ([`venue_name`]).
    pub venue: String,
    /// The year, when the name ends with one.
    pub year: Option<i32>,
}

impl ListFile {
    /// The venue and year of a paper-list file, from its name.
    pub fn of(path: &Path) -> ListFile {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let stem = name
            .trim_end_matches(".gz")
            .trim_end_matches(".json")
            .to_string();
        let digits = stem.len() - stem.bytes().rev().take_while(u8::is_ascii_digit).count();
        let (key, year) = stem.split_at(digits);
        let year = (year.len() == 4).then(|| year.parse().ok()).flatten();
        let key = if year.is_some() { key } else { stem.as_str() };
        ListFile {
            venue: venue_name(key),
            year,
            stem,
        }
    }
}

/// The venues' names, by the lists' file prefix.
const VENUES: [(&str, &str); 25] = [
    ("3dv", "3DV"),
    ("aaai", "AAAI"),
    ("acl", "ACL"),
    ("acml", "ACML"),
    ("ai4x", "AI4X"),
    ("aistats", "AISTATS"),
    ("alt", "ALT"),
    ("automl", "AutoML"),
    ("coling", "COLING"),
    ("colm", "COLM"),
    ("colt", "COLT"),
    ("corl", "CoRL"),
    ("cvpr", "CVPR"),
    ("eccv", "ECCV"),
    ("emnlp", "EMNLP"),
    ("iccv", "ICCV"),
    ("iclr", "ICLR"),
    ("icml", "ICML"),
    ("ijcai", "IJCAI"),
    ("kdd", "KDD"),
    ("naacl", "NAACL"),
    ("nips", "NeurIPS"),
    ("uai", "UAI"),
    ("wacv", "WACV"),
    ("www", "WWW"),
];

/// The venue's name for a file prefix (`nips` → `NeurIPS`); an unknown
/// prefix upper-cased.
pub fn venue_name(key: &str) -> String {
    VENUES
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map_or_else(|| key.to_uppercase(), |(_, v)| (*v).to_string())
}

/// What a decision means for selection (`--decisions`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Decision {
    /// Accepted to the main conference or its Findings: `Oral`,
    /// `Spotlight`, `Poster`, `Highlight`, `Long`, `Short`, `Main`,
    /// `Findings`, `Industry`, `Technical`, `System Demonstrations`, …;
    /// also a paper without a decision (lists of proceedings give none).
    Accepted,
    /// Accepted to a workshop (`Workshop`, `Poster Workshop`, …).
    Workshop,
    /// Rejected (`Reject`, `Desk Reject`).
    Rejected,
    /// Withdrawn by its authors (`Withdraw`).
    Withdrawn,
    /// Still under review (`Active`).
    Pending,
}

impl Decision {
    /// Every class, as `--decisions` names them.
    pub const ALL: [Decision; 5] = [
        Decision::Accepted,
        Decision::Workshop,
        Decision::Rejected,
        Decision::Withdrawn,
        Decision::Pending,
    ];

    /// The class of a `status` as given.
    pub fn of(status: Option<&str>) -> Decision {
        let s = status.unwrap_or("").trim().to_ascii_lowercase();
        if s.contains("withdraw") {
            Decision::Withdrawn
        } else if s.contains("reject") {
            Decision::Rejected
        } else if s.contains("workshop") {
            Decision::Workshop
        } else if s == "active" || s.contains("under review") {
            Decision::Pending
        } else {
            Decision::Accepted
        }
    }

    /// The class's name (`accepted`).
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Accepted => "accepted",
            Decision::Workshop => "workshop",
            Decision::Rejected => "rejected",
            Decision::Withdrawn => "withdrawn",
            Decision::Pending => "pending",
        }
    }

    /// A class by name.
    pub fn parse(name: &str) -> Option<Decision> {
        Decision::ALL
            .into_iter()
            .find(|d| d.as_str().eq_ignore_ascii_case(name.trim()))
    }
}

/// Whether a decision is the venue's elite tier, as MacroPolo separates
/// oral papers: `Oral`, and the next tier, `Spotlight` (NeurIPS, ICML,
/// ICLR) and CVPR's `Highlight` (its top 10% of accepted papers).
pub fn is_elite(status: Option<&str>) -> bool {
    let s = status.unwrap_or("").to_ascii_lowercase();
    !s.contains("workshop")
        && (s.contains("oral") || s.contains("spotlight") || s.contains("highlight"))
}

/// The institution id of a normalised name: `N` and 16 hex digits of the
/// SHA-256 of the name with its case and spaces folded, so that one name
/// has one id across files, appends and datasets.
pub fn institution_id(name: &str) -> String {
    let folded = fold(name);
    let digest = Sha256::digest(folded.as_bytes());
    format!("N{}", hex(&digest[..8]))
}

/// The author id of an e-mail address given as an id: `E` and 16 hex digits
/// of the SHA-256 of the dataset's `salt` and the address (case folded).
/// The address itself is never stored.
pub fn email_id(email: &str, salt: &str) -> String {
    let mut h = Sha256::new();
    h.update(salt.as_bytes());
    h.update([0]);
    h.update(email.trim().to_lowercase().as_bytes());
    format!("E{}", hex(&h.finalize()[..8]))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn fold(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Why a paper, or a part of it, did not fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// A paper without a title: not kept.
    MissingTitle,
    /// A per-author list of another length than the authors: left out.
    MismatchedLists,
    /// An index past its list: that affiliation left out.
    IndexOutOfRange,
    /// A country name that maps to no ISO code: left out.
    UnmappedCountry,
}

/// Something in a paper that did not fit: reported with the file and the
/// paper's number (the paper kept, but for [`Reason::MissingTitle`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Why.
    pub reason: Reason,
    /// What, for the report.
    pub detail: String,
}

/// One paper, normalized.
#[derive(Debug, Clone, PartialEq)]
pub struct Paper {
    /// The work.
    pub work: Work,
    /// The decision's class.
    pub decision: Decision,
    /// The institutions the paper names (dehydrated copies).
    pub institutions: Vec<Institution>,
    /// What did not fit.
    pub problems: Vec<Problem>,
    /// Author ids that are not stable ids (names, ACL Anthology slugs, an
    /// id shared by several authors of the paper), left out.
    pub ids_left_out: u64,
    /// Authorships whose institutions and countries were looked up by name
    /// ([`Gazetteer`]).
    pub looked_up: u64,
    /// Authorships given the id of their author's name (`--match-names`).
    pub matched_by_name: u64,
}

/// The institutions and countries that paper lists with normalised
/// affiliations give (`aff_unique_norm` with `aff_country_unique`), by
/// name: what lets a list that writes affiliations out (`aff` alone: the
/// OpenReview lists of ICLR 2021–22, NeurIPS 2021, ICML 2023–24, EMNLP 2023)
/// have countries. A name is kept only when every list that names it gives
/// it one country; an affiliation is looked up whole, else by its
/// comma-separated parts (`Department of Computer Science, University of
/// Oxford`), and found only when exactly one institution matches.
#[derive(Debug, Default, Clone)]
pub struct Gazetteer {
    /// Folded name → (name as the lists give it, the first in sort order of
    /// its spellings; country code, or none when the lists disagree).
    names: HashMap<String, (String, Option<String>)>,
}

impl Gazetteer {
    /// Learn the named institutions of a normalized paper, with the
    /// countries its authorships give them.
    pub fn learn(&mut self, paper: &Paper) {
        for a in &paper.work.authorships {
            for (id, country) in &a.institutions {
                let (Some(country), Some(inst)) =
                    (country, paper.institutions.iter().find(|i| &i.id == id))
                else {
                    continue;
                };
                let Some(name) = &inst.name else { continue };
                match self.names.get_mut(&fold(name)) {
                    Some((kept, known)) => {
                        if known.as_deref() != Some(country.as_str()) {
                            *known = None;
                        }
                        // One spelling, whatever the order read.
                        if name < kept {
                            *kept = name.clone();
                        }
                    }
                    None => {
                        self.names
                            .insert(fold(name), (name.clone(), Some(country.clone())));
                    }
                }
            }
        }
    }

    /// Add what `other` learnt: a name the two know with different
    /// countries has none (the order of merging changes nothing).
    pub fn merge(&mut self, other: Gazetteer) {
        for (key, (name, country)) in other.names {
            match self.names.get_mut(&key) {
                Some((kept, known)) => {
                    if *known != country {
                        *known = None;
                    }
                    if name < *kept {
                        *kept = name;
                    }
                }
                None => {
                    self.names.insert(key, (name, country));
                }
            }
        }
    }

    /// The country of an institution by its exact (folded) name, when the
    /// lists agree on one.
    pub fn country_of(&self, name: &str) -> Option<&str> {
        self.names.get(&fold(name)).and_then(|(_, c)| c.as_deref())
    }

    /// Names known with one country.
    pub fn len(&self) -> usize {
        self.names.values().filter(|(_, c)| c.is_some()).count()
    }

    /// Whether no name is known with one country.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The institution (its name as the lists give it) and country of a
    /// written affiliation: the whole text, else the one comma-separated
    /// part that names a known institution.
    pub fn resolve(&self, written: &str) -> Option<(&str, &str)> {
        let known = |text: &str| {
            self.names
                .get(&fold(text))
                .and_then(|(name, c)| Some((name.as_str(), c.as_deref()?)))
        };
        if let Some(hit) = known(written) {
            return Some(hit);
        }
        let mut hits: Vec<(&str, &str)> = written.split(',').filter_map(known).collect();
        hits.sort_unstable();
        hits.dedup();
        match hits.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }
}

/// A `;`-separated list, each item trimmed (an empty text is no item).
fn items(s: Option<&str>) -> Vec<&str> {
    match s {
        Some(s) if !s.trim().is_empty() => s.split(';').map(str::trim).collect(),
        _ => Vec::new(),
    }
}

/// The authors' names: split on `;`, or on `,` in a list without `;`
/// (some older lists).
fn authors(s: Option<&str>) -> Vec<&str> {
    let Some(s) = s.filter(|s| !s.trim().is_empty()) else {
        return Vec::new();
    };
    let sep = if s.contains(';') { ';' } else { ',' };
    s.split(sep).map(str::trim).collect()
}

/// A normalised institution of a paper list, as a copy seen in a work
/// (the name without e-mail addresses).
fn named_institution(
    id: &str,
    name: &str,
    country: Option<String>,
    read_order: i64,
) -> Institution {
    Institution {
        id: id.to_string(),
        name: contact::without_emails(name),
        ror: None,
        country,
        kind: None,
        lineage: Vec::new(),
        works_count: None,
        source: InstitutionSource::Dehydrated,
        updated_date: None,
        read_order,
    }
}

/// A per-author list of a paper with `n` authors. A list of another length
/// is left out whole (its entries cannot be put to authors) and reported.
fn per_author<'s>(
    field: &str,
    s: Option<&'s str>,
    n: usize,
    problems: &mut Vec<Problem>,
) -> Vec<&'s str> {
    let v = items(s);
    if v.is_empty() || v.len() == n {
        return v;
    }
    problems.push(Problem {
        reason: Reason::MismatchedLists,
        detail: format!(
            "{n} authors but {} `{field}` entries: `{field}` left out",
            v.len()
        ),
    });
    Vec::new()
}

/// Which author each entry of `aff_country_unique_index` belongs to. The
/// lists give one entry per author, aligned with `aff_unique_index`
/// (`0;1+1;0`); or, in OpenReview-based lists, one entry per author whose
/// affiliation is normalised, in author order (an author without one is
/// skipped). Entries are matched to authors by that rule when the count and
/// the `+` shapes agree; otherwise the countries are left out and reported:
/// never guessed. `None` for an author without an entry.
fn country_entries<'s>(
    v: Vec<&'s str>,
    inst_index: &[&str],
    norms: &[&str],
    n: usize,
    problems: &mut Vec<Problem>,
) -> Vec<Option<&'s str>> {
    let shape = |s: &str| s.split('+').count();
    if v.is_empty() {
        return vec![None; n];
    }
    if v.len() == n
        && (inst_index.is_empty() || v.iter().zip(inst_index).all(|(c, i)| shape(c) == shape(i)))
    {
        return v.into_iter().map(Some).collect();
    }
    // The authors with a normalised affiliation.
    let named: Vec<usize> = (0..inst_index.len())
        .filter(|&k| {
            !inst_index[k].is_empty()
                && inst_index[k].split('+').all(|i| {
                    i.trim()
                        .parse::<usize>()
                        .ok()
                        .and_then(|i| norms.get(i))
                        .is_some_and(|s| !s.is_empty())
                })
        })
        .collect();
    if named.len() == v.len()
        && named
            .iter()
            .zip(&v)
            .all(|(&k, c)| shape(inst_index[k]) == shape(c))
    {
        let mut out = vec![None; n];
        for (k, c) in named.into_iter().zip(v) {
            out[k] = Some(c);
        }
        return out;
    }
    problems.push(Problem {
        reason: Reason::MismatchedLists,
        detail: format!(
            "{n} authors but {} `aff_country_unique_index` entries, matching neither every author nor those with a normalised affiliation: countries left out (an institution's, where the lists agree on one, looked up by name)",
            v.len()
        ),
    });
    vec![None; n]
}

/// A number given as a number or as a string of digits.
fn int(v: Option<&serde_json::Value>) -> Option<i64> {
    match v? {
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The id of the paper at its source, as text.
fn source_id(v: Option<&serde_json::Value>) -> Option<String> {
    match v? {
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// What normalizing a paper reads besides the paper: the dataset's salt of
/// hashed e-mail ids ([`email_id`]), the institutions known by name
/// ([`Gazetteer`]), and whether authors without a stable id are merged by
/// name (`--match-names`, [`name_id`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct Lookup<'a> {
    /// The salt of hashed e-mail ids.
    pub salt: &'a str,
    /// The institutions and countries known by name, if any.
    pub gazetteer: Option<&'a Gazetteer>,
    /// Give an author without a stable id the id of their name.
    pub match_names: bool,
}

/// The author id of a name, for `--match-names` only: `M` and 16 hex digits
/// of the SHA-256 of the name with its case and spaces folded. Two people
/// of one name get one id: every result built on it is approximate.
pub fn name_id(name: &str) -> String {
    format!("M{}", hex(&Sha256::digest(fold(name).as_bytes())[..8]))
}

/// Normalize the `index`-th paper (1-based) of `file`, `with` the dataset's
/// salt, the institutions known by name and the name-matching choice.
/// `Err` for a paper that cannot be kept (no title).
pub fn normalize(
    raw: RawPaper<'_>,
    file: &ListFile,
    index: u64,
    with: &Lookup<'_>,
    read_order: i64,
) -> Result<Paper, Problem> {
    let (salt, gazetteer) = (with.salt, with.gazetteer);
    let title = raw
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .ok_or_else(|| Problem {
            reason: Reason::MissingTitle,
            detail: "paper without a title".into(),
        })?;
    let mut problems = Vec::new();
    let names = authors(raw.author.as_deref());
    let n = names.len();
    let ids = per_author("authorids", raw.authorids.as_deref(), n, &mut problems);
    let positions = per_author("position", raw.position.as_deref(), n, &mut problems);
    let affs = per_author("aff", raw.aff.as_deref(), n, &mut problems);
    let inst_index = per_author(
        "aff_unique_index",
        raw.aff_unique_index.as_deref(),
        n,
        &mut problems,
    );
    let norms = items(raw.aff_unique_norm.as_deref());
    let country_names = items(raw.aff_country_unique.as_deref());
    let country_entries = country_entries(
        items(raw.aff_country_unique_index.as_deref()),
        &inst_index,
        &norms,
        n,
        &mut problems,
    );
    // Country names → codes, once per paper; an unmapped name is reported.
    let codes: Vec<Option<&'static str>> = country_names
        .iter()
        .map(|name| {
            let code = countries::code_of(name);
            if code.is_none() && !name.is_empty() {
                problems.push(Problem {
                    reason: Reason::UnmappedCountry,
                    detail: format!("country `{name}` maps to no ISO code: left out"),
                });
            }
            code
        })
        .collect();

    // An id given to several authors of one paper (ICLR 2018 repeats the
    // submitter's address for every author) names no one of them.
    let shared: Vec<&str> = ids
        .iter()
        .enumerate()
        .filter(|(k, id)| !id.is_empty() && ids[..*k].contains(id))
        .map(|(_, id)| *id)
        .collect();
    let mut ids_left_out = 0;
    let mut matched_by_name = 0;
    let mut looked_up = 0;
    let mut institutions: HashMap<String, Institution> = HashMap::new();
    let mut out_of_range = Vec::new();
    let authorships = names
        .iter()
        .enumerate()
        .map(|(k, name)| {
            let author = ids
                .get(k)
                .copied()
                .filter(|s| !s.is_empty())
                .and_then(|id| {
                    if shared.contains(&id) {
                        ids_left_out += 1;
                        None
                    } else if id.starts_with('~') {
                        Some(id.to_string())
                    } else if id.contains('@') {
                        Some(email_id(id, salt))
                    } else {
                        ids_left_out += 1;
                        None
                    }
                });
            let author = author.or_else(|| {
                let name = name.trim();
                (with.match_names && !name.is_empty()).then(|| {
                    matched_by_name += 1;
                    name_id(name)
                })
            });
            let alternatives = |v: &[&str]| -> Vec<Option<usize>> {
                match v.get(k) {
                    Some(s) if !s.is_empty() => {
                        s.split('+').map(|i| i.trim().parse().ok()).collect()
                    }
                    _ => Vec::new(),
                }
            };
            let insts = alternatives(&inst_index);
            let mut entries: Vec<(String, Option<String>)> = Vec::new();
            let mut authorship_countries = Vec::new();
            let mut from_name = false;
            // The country at index `i`; an index past the list is reported
            // as `what`.
            let country_at = |i: Option<usize>, what: &str, out: &mut Vec<String>| match i {
                None => None,
                Some(c) => match codes.get(c) {
                    Some(code) => code.map(str::to_string),
                    None => {
                        out.push(what.to_string());
                        None
                    }
                },
            };
            let author_countries: Vec<Option<usize>> = match country_entries[k] {
                Some(e) if !e.is_empty() => e.split('+').map(|i| i.trim().parse().ok()).collect(),
                _ => Vec::new(),
            };
            for (j, i) in insts.iter().enumerate() {
                let norm = match i.map(|i| norms.get(i)) {
                    Some(Some(norm)) => *norm,
                    _ => {
                        out_of_range.push(format!("aff_unique_index {:?}", inst_index[k]));
                        continue;
                    }
                };
                let country = country_at(
                    author_countries.get(j).copied().flatten(),
                    &format!(
                        "aff_country_unique_index {:?}",
                        country_entries[k].unwrap_or_default()
                    ),
                    &mut out_of_range,
                );
                // Countries the list left unusable (its index fits no
                // reading): the institution's, where the lists agree on one.
                let country = match (&country, country_entries[k], gazetteer) {
                    (None, None, Some(g)) if !norm.is_empty() && !country_names.is_empty() => {
                        let c = g.country_of(norm).map(str::to_string);
                        from_name |= c.is_some();
                        c
                    }
                    _ => country,
                };
                authorship_countries.extend(country.clone());
                if norm.is_empty() {
                    // An affiliation the list could not normalise.
                    continue;
                }
                let id = institution_id(norm);
                // The country the lists agree on: none for an institution
                // with labs in several (the authorships keep each paper's).
                let agreed = match gazetteer {
                    Some(g) => g.country_of(norm).map(str::to_string),
                    None => country.clone(),
                };
                institutions
                    .entry(id.clone())
                    .or_insert_with(|| named_institution(&id, norm, agreed, read_order));
                if !entries.iter().any(|(e, _)| *e == id) {
                    entries.push((id, country));
                }
            }
            if insts.is_empty() {
                // Countries given without institutions.
                for c in author_countries {
                    authorship_countries.extend(country_at(
                        c,
                        "aff_country_unique_index",
                        &mut out_of_range,
                    ));
                }
            }
            if inst_index.is_empty()
                && let (Some(g), Some(aff)) = (gazetteer, affs.get(k))
            {
                // A list without normalised affiliations: each written one
                // looked up by name.
                for written in aff.split('+') {
                    let Some((name, country)) = g.resolve(written) else {
                        continue;
                    };
                    let id = institution_id(name);
                    institutions.entry(id.clone()).or_insert_with(|| {
                        named_institution(&id, name, Some(country.to_string()), read_order)
                    });
                    authorship_countries.push(country.to_string());
                    if !entries.iter().any(|(e, _)| *e == id) {
                        entries.push((id, Some(country.to_string())));
                    }
                }
                from_name = !entries.is_empty();
            }
            looked_up += u64::from(from_name);
            authorship_countries.sort();
            authorship_countries.dedup();
            Authorship {
                author_position: Some(
                    match k {
                        0 => "first",
                        _ if k + 1 == n => "last",
                        _ => "middle",
                    }
                    .to_string(),
                ),
                author,
                author_name: contact::without_emails(name),
                orcid: None,
                is_corresponding: None,
                countries: authorship_countries,
                institutions: entries,
                raw_affiliation: affs.get(k).and_then(|s| contact::without_emails(s)),
                career_position: positions.get(k).and_then(|s| contact::without_emails(s)),
            }
        })
        .collect();
    for what in out_of_range {
        problems.push(Problem {
            reason: Reason::IndexOutOfRange,
            detail: format!("{what} points past its list: that affiliation left out"),
        });
    }

    let status = raw
        .status
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let id = match source_id(raw.id.as_ref()) {
        Some(id) => format!("{}:{id}", file.stem),
        None => format!("{}#{index}", file.stem),
    };
    let year = int(raw.year.as_ref())
        .and_then(|y| i32::try_from(y).ok())
        .or(file.year);
    let mut institutions: Vec<Institution> = institutions.into_values().collect();
    institutions.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(Paper {
        decision: Decision::of(status),
        work: Work {
            id,
            doi: raw
                .doi
                .as_deref()
                .map(|d| crate::sources::openalex::record::doi(d).to_string())
                .filter(|d| !d.is_empty()),
            title: Some(title),
            year,
            kind: Some("conference-paper".into()),
            venue: Some(file.venue.clone()),
            venue_type: Some("conference".into()),
            read_order,
            authorships,
            source: Source::PaperLists,
            decision: status.map(str::to_string),
            elite: Some(is_elite(status)),
            // The lists write -1 for a count they could not get.
            gs_citations: int(raw.gs_citation.as_ref()).filter(|c| *c >= 0),
            ..Work::default()
        },
        institutions,
        problems,
        ids_left_out,
        looked_up,
        matched_by_name,
    })
}

/// Whether a record is a paper of a list rather than an OpenAlex entity:
/// it has an `author` text and none of OpenAlex's `authorships`,
/// `display_name` or `works_count`.
pub fn looks_like_paper(line: &[u8]) -> bool {
    #[derive(Deserialize)]
    struct Probe {
        author: Option<serde::de::IgnoredAny>,
        authorships: Option<serde::de::IgnoredAny>,
        display_name: Option<serde::de::IgnoredAny>,
        works_count: Option<serde::de::IgnoredAny>,
    }
    serde_json::from_slice::<Probe>(line).is_ok_and(|p| {
        p.author.is_some()
            && p.authorships.is_none()
            && p.display_name.is_none()
            && p.works_count.is_none()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paper(json: &str) -> Result<Paper, Problem> {
        let raw: RawPaper = serde_json::from_str(json).unwrap();
        let file = ListFile::of(Path::new("lists/nips/nips2018.json.gz"));
        let with = Lookup {
            salt: "salt",
            ..Lookup::default()
        };
        normalize(raw, &file, 7, &with, 1)
    }

    #[test]
    fn file_names_give_venue_and_year() {
        let f = ListFile::of(Path::new("x/nips2018.json.gz"));
        assert_eq!(
            (f.stem.as_str(), f.venue.as_str(), f.year),
            ("nips2018", "NeurIPS", Some(2018))
        );
        let f = ListFile::of(Path::new("3dv2025.json"));
        assert_eq!((f.venue.as_str(), f.year), ("3DV", Some(2025)));
        let f = ListFile::of(Path::new("papers.json"));
        assert_eq!((f.venue.as_str(), f.year), ("PAPERS", None));
    }

    #[test]
    fn decisions_and_elite() {
        for (status, class, elite) in [
            ("Oral", Decision::Accepted, true),
            ("Spotlight", Decision::Accepted, true),
            ("Highlight", Decision::Accepted, true),
            ("Poster", Decision::Accepted, false),
            ("Long Findings", Decision::Accepted, false),
            ("", Decision::Accepted, false),
            ("Oral Workshop", Decision::Workshop, false),
            ("Reject", Decision::Rejected, false),
            ("Desk Reject", Decision::Rejected, false),
            ("Withdraw", Decision::Withdrawn, false),
            ("Active", Decision::Pending, false),
        ] {
            assert_eq!(Decision::of(Some(status)), class, "{status}");
            assert_eq!(is_elite(Some(status)), elite, "{status}");
        }
        assert_eq!(Decision::of(None), Decision::Accepted);
        assert_eq!(Decision::parse(" Withdrawn"), Some(Decision::Withdrawn));
        assert_eq!(Decision::parse("maybe"), None);
    }

    /// A multi-affiliation author in two countries, worked out by hand from
    /// the record (NeurIPS 2018, "A Bayes-Sard Cubature Method").
    #[test]
    fn multi_affiliation_authors() {
        let p = paper(
            r#"{"title":"A Bayes-Sard Cubature Method","status":"Poster","id":"11572",
                "author":"Toni Karvonen; Chris J Oates; Simo Sarkka",
                "aff":"Aalto University, Finland; Newcastle University, UK + Alan Turing Institute, UK; Aalto University, Finland",
                "aff_unique_index":"0;1+2;0","aff_unique_norm":"Aalto University;Newcastle University;Alan Turing Institute",
                "aff_country_unique_index":"0;1+1;0","aff_country_unique":"Finland;United Kingdom","gs_citation":51}"#,
        )
        .unwrap();
        let w = &p.work;
        assert_eq!(w.id, "nips2018:11572");
        assert_eq!((w.year, w.venue.as_deref()), (Some(2018), Some("NeurIPS")));
        assert_eq!(
            (w.decision.as_deref(), w.elite),
            (Some("Poster"), Some(false))
        );
        assert_eq!((w.gs_citations, w.cited_by_count), (Some(51), None));
        assert_eq!(w.source, Source::PaperLists);
        assert_eq!(w.authorships.len(), 3);
        let oates = &w.authorships[1];
        assert_eq!(oates.author_name.as_deref(), Some("Chris J Oates"));
        assert_eq!(oates.author_position.as_deref(), Some("middle"));
        assert_eq!(oates.countries, vec!["GB"]);
        assert_eq!(
            oates.institutions,
            vec![
                (institution_id("Newcastle University"), Some("GB".into())),
                (institution_id("Alan Turing Institute"), Some("GB".into())),
            ]
        );
        assert_eq!(
            oates.raw_affiliation.as_deref(),
            Some("Newcastle University, UK + Alan Turing Institute, UK")
        );
        assert_eq!(w.authorships[2].countries, vec!["FI"]);
        assert_eq!(w.authorships[2].author_position.as_deref(), Some("last"));
        // No ids in NeurIPS 2018's list: no careers.
        assert!(w.authorships.iter().all(|a| a.author.is_none()));
        assert_eq!(p.institutions.len(), 3);
        assert!(p.problems.is_empty(), "{:?}", p.problems);
    }

    #[test]
    fn ids_open_review_kept_emails_hashed_others_left_out() {
        let p = paper(
            r#"{"title":"T","author":"A One;B Two;C Three","authorids":"~A_One1;b.two@uni.edu;/b/b-two",
                "position":"PhD student;;Full Professor"}"#,
        )
        .unwrap();
        let a = &p.work.authorships;
        assert_eq!(a[0].author.as_deref(), Some("~A_One1"));
        let hashed = a[1].author.as_deref().unwrap();
        assert_eq!(hashed, email_id("B.Two@uni.edu ", "salt"));
        assert!(hashed.starts_with('E') && hashed.len() == 17 && !hashed.contains("uni"));
        assert_ne!(hashed, email_id("b.two@uni.edu", "other salt"));
        assert_eq!(a[2].author, None);
        assert_eq!(p.ids_left_out, 1);
        assert_eq!(a[0].career_position.as_deref(), Some("PhD student"));
        assert_eq!(a[1].career_position, None);
        // The paper had no id: its number in the file.
        assert_eq!(p.work.id, "nips2018#7");
    }

    #[test]
    fn mismatched_lists_are_left_out_and_reported() {
        // `aff` as the set of the paper's affiliations (older lists).
        let p = paper(
            r#"{"title":"T","author":"A, B, C","aff":"X University; Y Lab","status":"Reject"}"#,
        )
        .unwrap();
        assert_eq!(p.work.authorships.len(), 3);
        assert!(
            p.work
                .authorships
                .iter()
                .all(|a| a.raw_affiliation.is_none())
        );
        assert_eq!(p.decision, Decision::Rejected);
        assert_eq!(p.problems.len(), 1);
        assert_eq!(p.problems[0].reason, Reason::MismatchedLists);
        assert!(p.problems[0].detail.contains("3 authors but 2 `aff`"));
    }

    #[test]
    fn unmapped_countries_and_bad_indices_are_reported() {
        let p = paper(
            r#"{"title":"T","author":"A;B;C",
                "aff_unique_index":"0;1;5","aff_unique_norm":"X University;Y Lab",
                "aff_country_unique_index":"0;1;1","aff_country_unique":"Atlantis;Japan"}"#,
        )
        .unwrap();
        let a = &p.work.authorships;
        // Atlantis is no country: the institution is kept, without one.
        assert_eq!(
            a[0].institutions,
            vec![(institution_id("x  university"), None)]
        );
        assert!(a[0].countries.is_empty());
        assert_eq!(a[1].countries, vec!["JP"]);
        assert!(a[2].institutions.is_empty());
        let reasons: Vec<Reason> = p.problems.iter().map(|p| p.reason).collect();
        assert_eq!(
            reasons,
            vec![Reason::UnmappedCountry, Reason::IndexOutOfRange]
        );
        assert!(p.problems[0].detail.contains("Atlantis"));
    }

    /// OpenReview-based lists skip authors without a normalised affiliation
    /// in the country index (3DV 2025, "… 3D scene graphs", by hand):
    /// entries 0;2;2;0 belong to authors 1, 3, 5 and 6.
    #[test]
    fn country_entries_skip_authors_without_affiliation() {
        let p = paper(
            r#"{"title":"T","author":"Liyuan Zhu;Yue Li;Erik Sandström;Shengyu Huang;Konrad Schindler;Iro Armeni",
                "aff_unique_index":"0;1;2;1;3;0",
                "aff_unique_norm":"Stanford University;;ETH Zurich;Swiss Federal Institute of Technology",
                "aff_country_unique_index":"0;2;2;0","aff_country_unique":"United States;;Switzerland"}"#,
        )
        .unwrap();
        let countries: Vec<Vec<String>> = p
            .work
            .authorships
            .iter()
            .map(|a| a.countries.clone())
            .collect();
        let want: Vec<Vec<String>> = [&["US"][..], &[], &["CH"], &[], &["CH"], &["US"]]
            .iter()
            .map(|v| v.iter().map(|s| s.to_string()).collect())
            .collect();
        assert_eq!(countries, want);
        assert!(p.work.authorships[1].institutions.is_empty());
        assert_eq!(p.institutions.len(), 3);
        assert!(p.problems.is_empty(), "{:?}", p.problems);

        // Five authors with a normalised affiliation, four entries: which
        // one was skipped cannot be told, so no country is guessed.
        let p = paper(
            r#"{"title":"T","author":"A;B;C;D;E;F;G;H","aff_unique_index":"0;1+2;0;0;1;3+1+4;5;1",
                "aff_unique_norm":";ETH Zurich;Google;Microsoft;Swiss Federal Institute of Technology;Sofia University",
                "aff_country_unique_index":"1+2;1;2+1+1;1","aff_country_unique":";Switzerland;United States"}"#,
        )
        .unwrap();
        assert!(p.work.authorships.iter().all(|a| a.countries.is_empty()));
        assert_eq!(p.work.authorships[1].institutions.len(), 2);
        assert_eq!(p.problems.len(), 1);
        assert_eq!(p.problems[0].reason, Reason::MismatchedLists);
    }

    /// ICLR 2018 gives the submitter's address as every author's id: an id
    /// shared by several authors of a paper names none of them.
    #[test]
    fn an_id_shared_by_authors_is_no_ones() {
        let p =
            paper(r#"{"title":"T","author":"A;B;C","authorids":"x@gmail.com;x@gmail.com;~C1"}"#)
                .unwrap();
        let ids: Vec<Option<&str>> = p
            .work
            .authorships
            .iter()
            .map(|a| a.author.as_deref())
            .collect();
        assert_eq!(ids, [None, None, Some("~C1")]);
        assert_eq!(p.ids_left_out, 2);
    }

    /// Names learnt from lists with normalised affiliations give written-out
    /// affiliations their institution and country; a name two lists put in
    /// two countries, and an affiliation naming two known institutions, give
    /// none.
    #[test]
    fn the_gazetteer_looks_written_affiliations_up() {
        let mut g = Gazetteer::default();
        for json in [
            r#"{"title":"T","author":"A;B;C","aff_unique_index":"0;1;2",
                "aff_unique_norm":"University of Oxford;Google;Carnegie Mellon University",
                "aff_country_unique_index":"0;1;1","aff_country_unique":"United Kingdom;United States"}"#,
            r#"{"title":"T","author":"A","aff_unique_index":"0","aff_unique_norm":"Google",
                "aff_country_unique_index":"0","aff_country_unique":"Switzerland"}"#,
        ] {
            g.learn(&paper(json).unwrap());
        }
        assert_eq!(g.len(), 2);
        // Learnt by two threads and merged, in either order: the same.
        let mut a = Gazetteer::default();
        a.learn(&paper(r#"{"title":"T","author":"A;B","aff_unique_index":"0;1","aff_unique_norm":"google;University of Oxford","aff_country_unique_index":"0;1","aff_country_unique":"United States;United Kingdom"}"#).unwrap());
        let mut b = Gazetteer::default();
        b.learn(&paper(r#"{"title":"T","author":"A","aff_unique_index":"0","aff_unique_norm":"Google","aff_country_unique_index":"0","aff_country_unique":"Switzerland"}"#).unwrap());
        let (mut ab, mut ba) = (a.clone(), b.clone());
        ab.merge(b);
        ba.merge(a);
        for m in [&ab, &ba] {
            assert_eq!(m.len(), 1);
            assert_eq!(m.country_of("GOOGLE"), None);
            assert_eq!(
                m.resolve("University of Oxford"),
                Some(("University of Oxford", "GB"))
            );
        }
        assert_eq!(
            g.resolve("Department of Computer Science,  university of oxford"),
            Some(("University of Oxford", "GB"))
        );
        assert_eq!(g.resolve("Google"), None);
        // Google's labs are in two countries: its institution has none, each
        // authorship keeps its paper's.
        let raw: RawPaper = serde_json::from_str(
            r#"{"title":"T","author":"A","aff_unique_index":"0","aff_unique_norm":"Google",
                "aff_country_unique_index":"0","aff_country_unique":"Switzerland"}"#,
        )
        .unwrap();
        let with = Lookup {
            salt: "salt",
            gazetteer: Some(&g),
            match_names: false,
        };
        let p = normalize(raw, &ListFile::of(Path::new("x2020.json")), 1, &with, 1).unwrap();
        assert_eq!(p.institutions[0].country, None);
        assert_eq!(p.work.authorships[0].countries, ["CH"]);
        assert_eq!(
            g.resolve("University of Oxford, Carnegie Mellon University"),
            None
        );
        assert_eq!(g.resolve("Oxford Brookes University"), None);

        let raw: RawPaper = serde_json::from_str(
            r#"{"title":"T","author":"A;B","authorids":"~A1;~B1",
                "aff":"Dept. of Statistics, University of Oxford;Carnegie Mellon University + Meta"}"#,
        )
        .unwrap();
        let file = ListFile::of(Path::new("iclr2021.json"));
        let p = normalize(raw, &file, 1, &with, 1).unwrap();
        let a = &p.work.authorships;
        assert_eq!(a[0].countries, ["GB"]);
        assert_eq!(
            a[0].institutions,
            [(institution_id("University of Oxford"), Some("GB".into()))]
        );
        assert_eq!(a[1].countries, ["US"]);
        assert_eq!(p.looked_up, 2);
        // The affiliation as written is kept.
        assert_eq!(
            a[0].raw_affiliation.as_deref(),
            Some("Dept. of Statistics, University of Oxford")
        );
    }

    /// Without `--match-names` an author without a stable id has none; with
    /// it, the id of the name, one for two spellings that differ only in
    /// case and spaces.
    #[test]
    fn names_match_only_when_asked() {
        let json = r#"{"title":"T","author":"Jane  Doe;B Two","authorids":";~B_Two1"}"#;
        let file = ListFile::of(Path::new("nips2018.json"));
        let p = paper(json).unwrap();
        assert_eq!(p.work.authorships[0].author, None);
        assert_eq!(p.matched_by_name, 0);
        let with = Lookup {
            salt: "salt",
            match_names: true,
            ..Lookup::default()
        };
        let raw: RawPaper = serde_json::from_str(json).unwrap();
        let p = normalize(raw, &file, 1, &with, 1).unwrap();
        assert_eq!(
            p.work.authorships[0].author.as_deref(),
            Some(name_id("jane doe").as_str())
        );
        assert!(name_id("Jane Doe").starts_with('M'));
        // A stable id is kept as it is.
        assert_eq!(p.work.authorships[1].author.as_deref(), Some("~B_Two1"));
        assert_eq!(p.matched_by_name, 1);
    }

    #[test]
    fn a_paper_without_title_is_not_kept() {
        let e = paper(r#"{"title":"  ","author":"A"}"#).unwrap_err();
        assert_eq!(e.reason, Reason::MissingTitle);
    }

    #[test]
    fn papers_are_told_from_openalex_records() {
        assert!(looks_like_paper(
            br#"{"title":"T","author":"A; B","status":"Poster"}"#
        ));
        assert!(!looks_like_paper(
            br#"{"id":"W1","display_name":"T","authorships":[]}"#
        ));
        assert!(!looks_like_paper(br#"{"id":"A1","display_name":"Jane"}"#));
        assert!(!looks_like_paper(b"not json"));
    }
}
