//! The normalized records: what one entity of any source contributes to the
//! dataset's tables, owned, with ids in short form and country codes
//! upper-cased. Every source (`crate::sources`) builds these; ingest writes
//! them; nothing here knows a source's format.
//!
//! Also the model's own rules: which of two copies of an entity is kept
//! ([`supersedes`], [`Institution::merge_into`]) and the sector of an
//! institution ([`sector`]).

pub mod sector;

use std::collections::HashMap;

/// One work and its child rows (authorships, countries, institutions, topics,
/// concepts).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Work {
    pub id: String,
    pub doi: Option<String>,
    pub title: Option<String>,
    pub year: Option<i32>,
    pub publication_date: Option<String>,
    pub kind: Option<String>,
    pub cited_by_count: Option<i64>,
    pub venue_id: Option<String>,
    pub venue: Option<String>,
    pub venue_type: Option<String>,
    pub language: Option<String>,
    pub is_retracted: Option<bool>,
    pub updated_date: Option<String>,
    /// Order in which the record was read (input file, line, element): the
    /// tie-break of deduplication.
    pub read_order: i64,
    pub authorships: Vec<Authorship>,
    pub topics: Vec<Topic>,
    pub concepts: Vec<Concept>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Authorship {
    pub author_position: Option<String>,
    pub author: Option<String>,
    pub author_name: Option<String>,
    pub orcid: Option<String>,
    pub is_corresponding: Option<bool>,
    /// The authorship's `countries` ∪ its institutions' country codes,
    /// sorted and deduplicated.
    pub countries: Vec<String>,
    /// (institution id, its country code as given in the work).
    pub institutions: Vec<(String, Option<String>)>,
    pub raw_affiliation: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Topic {
    pub topic: String,
    pub name: Option<String>,
    pub score: Option<f64>,
    pub is_primary: bool,
    pub subfield: Option<String>,
    pub subfield_name: Option<String>,
    pub field: Option<String>,
    pub field_name: Option<String>,
    pub domain: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Concept {
    pub concept: String,
    pub name: Option<String>,
    pub level: Option<i32>,
    pub score: Option<f64>,
}

/// An author entity and its affiliations by year.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Author {
    pub id: String,
    pub name: Option<String>,
    pub orcid: Option<String>,
    pub works_count: Option<i64>,
    pub cited_by_count: Option<i64>,
    pub last_known_institution: Option<String>,
    pub updated_date: Option<String>,
    pub read_order: i64,
    /// (institution, year, country).
    pub affiliations: Vec<(String, i32, Option<String>)>,
}

/// Where an institution row came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum InstitutionSource {
    /// Dehydrated inside a work or an author entity.
    Dehydrated,
    /// An institution entity.
    Entity,
}

impl InstitutionSource {
    pub fn as_str(self) -> &'static str {
        match self {
            InstitutionSource::Dehydrated => "work",
            InstitutionSource::Entity => "entity",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Institution {
    pub id: String,
    pub name: Option<String>,
    pub ror: Option<String>,
    pub country: Option<String>,
    pub kind: Option<String>,
    pub lineage: Vec<String>,
    pub works_count: Option<i64>,
    pub source: InstitutionSource,
    pub updated_date: Option<String>,
    pub read_order: i64,
}

impl Institution {
    /// Keep the better of two copies of an institution in `old`: an entity
    /// beats a copy dehydrated inside a work; between entities, the later
    /// `updated_date`, then the one read last; between dehydrated copies, the
    /// most complete, then the one read first. Each rule is a total order, so
    /// the result does not depend on the order in which threads merge copies.
    pub fn merge_into(self, old: &mut Institution) {
        if self.rank() > old.rank() {
            *old = self;
        }
    }

    /// Keep this copy in `map` (by id) if it is the first or the better
    /// one ([`Institution::merge_into`]).
    pub fn keep_in(self, map: &mut HashMap<String, Institution>) {
        match map.get_mut(&self.id) {
            Some(old) => self.merge_into(old),
            None => {
                map.insert(self.id.clone(), self);
            }
        }
    }

    /// The rank of this copy: the greater is kept.
    pub(crate) fn rank(&self) -> Rank<'_> {
        match self.source {
            InstitutionSource::Entity => (
                self.source,
                self.updated_date.as_deref().unwrap_or_default(),
                0,
                self.read_order,
            ),
            InstitutionSource::Dehydrated => {
                let complete = [&self.name, &self.ror, &self.country, &self.kind]
                    .iter()
                    .filter(|f| f.is_some())
                    .count()
                    + usize::from(!self.lineage.is_empty());
                dehydrated_rank(complete, self.read_order)
            }
        }
    }
}

/// How copies of an institution are ranked ([`Institution::merge_into`]).
pub(crate) type Rank<'a> = (InstitutionSource, &'a str, i64, i64);

/// The rank of a dehydrated copy with `complete` of its five fields (name,
/// ROR, country, type, lineage) filled, read at `read_order`: the most
/// complete, then the one read first.
pub(crate) fn dehydrated_rank(complete: usize, read_order: i64) -> Rank<'static> {
    (
        InstitutionSource::Dehydrated,
        "",
        complete as i64,
        -read_order,
    )
}

/// The deduplication rule: does a copy (`date`, `order`) supersede the copy
/// kept so far? The later `updated_date` wins; when the dates are equal or
/// either is missing, the copy read last wins.
pub fn supersedes(
    date: Option<&str>,
    order: i64,
    kept_date: Option<&str>,
    kept_order: i64,
) -> bool {
    match (date, kept_date) {
        (Some(d), Some(k)) if d != k => d > k,
        _ => order > kept_order,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dedup_rule() {
        // Later date wins whatever the read order.
        assert!(supersedes(Some("2024-01-02"), 1, Some("2024-01-01"), 2));
        assert!(!supersedes(Some("2024-01-01"), 2, Some("2024-01-02"), 1));
        // Equal or missing dates: read last wins.
        assert!(supersedes(Some("2024-01-01"), 2, Some("2024-01-01"), 1));
        assert!(supersedes(None, 2, Some("2024-01-01"), 1));
        assert!(!supersedes(None, 1, None, 2));
    }
}
