//! The normalized records: what one entity of any source contributes to the
//! dataset's tables, owned, with ids in short form and country codes
//! upper-cased. Every source (`crate::sources`) builds these; ingest writes
//! them; nothing here knows a source's format.
//!
//! Also the model's own rules: which of two copies of an entity is kept
//! ([`supersedes`], [`Institution::merge_into`]) and the sector of an
//! institution ([`sector`]).

pub mod contact;
pub mod countries;
pub mod sector;

use std::collections::HashMap;

/// One work and its child rows (authorships, countries, institutions, topics,
/// concepts).
///
/// The OpenAlex field each value comes from is named in backquotes; an
/// optional value is `None` where the record has it null, empty or missing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Work {
    /// OpenAlex short id of the work, `W2741809807` (`id`, without
    /// `https://openalex.org/`).
    pub id: String,
    /// DOI without its resolver prefix, `10.1038/nature14539` (`doi`).
    pub doi: Option<String>,
    /// Title (`title`, else `display_name`).
    pub title: Option<String>,
    /// Publication year (`publication_year`).
    pub year: Option<i32>,
    /// Publication date as given, `2015-05-27` (`publication_date`).
    pub publication_date: Option<String>,
    /// Type of the work as given: `article`, `preprint`, `book-chapter`, …
    /// (`type`).
    pub kind: Option<String>,
    /// Citations received by the work as of the record's date
    /// (`cited_by_count`).
    pub cited_by_count: Option<i64>,
    /// OpenAlex short id of the venue, `S137773608`
    /// (`primary_location.source.id`, or the older `host_venue.id`).
    pub venue_id: Option<String>,
    /// Name of the venue (the same source's `display_name`).
    pub venue: Option<String>,
    /// Type of the venue: `journal`, `conference`, `repository`, … (the same
    /// source's `type`).
    pub venue_type: Option<String>,
    /// Language code as given, `en` (`language`).
    pub language: Option<String>,
    /// Whether the work is retracted (`is_retracted`).
    pub is_retracted: Option<bool>,
    /// When OpenAlex last changed the record, as given,
    /// `2024-05-01T00:00:00.000000` (`updated_date`): the later copy of a
    /// work wins deduplication ([`supersedes`]).
    pub updated_date: Option<String>,
    /// Order in which the record was read (input file, line, element): the
    /// tie-break of deduplication.
    pub read_order: i64,
    /// The authorships, in the record's author order (`authorships`).
    pub authorships: Vec<Authorship>,
    /// The topics (`topics`, or `primary_topic` alone on records without
    /// `topics`); topics without an id are left out.
    pub topics: Vec<Topic>,
    /// The concepts at every score (`concepts`); empty on newer records,
    /// which carry topics only. Concepts without an id are left out.
    pub concepts: Vec<Concept>,
    /// The source the record came from.
    pub source: Source,
    /// The venue's decision as a paper list gives it (`status`: `Oral`,
    /// `Spotlight`, `Poster`, `Findings`, …); none for OpenAlex works.
    pub decision: Option<String>,
    /// Whether the decision puts the paper in the venue's elite tier
    /// ([`crate::sources::paperlists::is_elite`]); none for OpenAlex works.
    pub elite: Option<bool>,
    /// Google Scholar's citation count of a paper list (`gs_citation`): kept
    /// apart from `cited_by_count` (OpenAlex's), which the citation metrics
    /// read, so that the two are never mixed.
    pub gs_citations: Option<i64>,
}

/// The source of a work.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Source {
    /// An OpenAlex work record (snapshot file or API page).
    #[default]
    OpenAlex,
    /// A paper of a conference's paper list ([`crate::sources::paperlists`]).
    PaperLists,
}

impl Source {
    /// Every source, as `works.source` names them.
    pub const ALL: [Source; 2] = [Source::OpenAlex, Source::PaperLists];

    /// The name stored in `works.source`: `openalex`, `paperlists`.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::OpenAlex => "openalex",
            Source::PaperLists => "paperlists",
        }
    }
}

/// One author of a work, in its place (`authorships[]` of a work).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Authorship {
    /// `first`, `middle` or `last` (`author_position`).
    pub author_position: Option<String>,
    /// OpenAlex short id of the author, `A5023888391` (`author.id`).
    pub author: Option<String>,
    /// Name of the author (`author.display_name`, else `raw_author_name`).
    pub author_name: Option<String>,
    /// ORCID without its resolver prefix, `0000-0002-1825-0097`
    /// (`author.orcid`).
    pub orcid: Option<String>,
    /// Whether the work names this author as a corresponding author
    /// (`is_corresponding`).
    pub is_corresponding: Option<bool>,
    /// The authorship's `countries` ∪ its institutions' country codes,
    /// sorted and deduplicated.
    pub countries: Vec<String>,
    /// (institution id, its country code as given in the work): the
    /// authorship's `institutions[]` in order, as short ids (`I136199984`)
    /// with their upper-cased `country_code`.
    pub institutions: Vec<(String, Option<String>)>,
    /// The affiliation as written on the paper: `raw_affiliation_strings`
    /// joined with ` | `, or the older `raw_affiliation_string`.
    pub raw_affiliation: Option<String>,
    /// The author's career position as a paper list gives it (`position`:
    /// `PhD student`, `Full Professor`, …); none for OpenAlex works.
    pub career_position: Option<String>,
}

/// One topic of a work (`topics[]`: OpenAlex's topic classification, each
/// topic in a subfield, field and domain).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Topic {
    /// OpenAlex short id of the topic, `T10028` (`id`).
    pub topic: String,
    /// Name of the topic (`display_name`).
    pub name: Option<String>,
    /// How strongly the work matches the topic, 0 to 1 (`score`).
    pub score: Option<f64>,
    /// Whether this is the work's `primary_topic`.
    pub is_primary: bool,
    /// Number of the subfield, `1702` (`subfield.id`,
    /// `https://openalex.org/subfields/1702`).
    pub subfield: Option<String>,
    /// Name of the subfield, `Artificial Intelligence`
    /// (`subfield.display_name`).
    pub subfield_name: Option<String>,
    /// Number of the field, `17` (`field.id`).
    pub field: Option<String>,
    /// Name of the field, `Computer Science` (`field.display_name`).
    pub field_name: Option<String>,
    /// Number of the domain, `3` (`domain.id`); its name is not kept.
    pub domain: Option<String>,
}

/// One concept of a work (`concepts[]`: OpenAlex's older classification,
/// concepts from Wikidata in a tree of levels).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Concept {
    /// OpenAlex short id of the concept, `C154945302` (`id`).
    pub concept: String,
    /// Name of the concept, `Artificial intelligence` (`display_name`).
    pub name: Option<String>,
    /// Level in the concept tree, from 0 (`Computer science`) to 5
    /// (`level`).
    pub level: Option<i32>,
    /// How strongly the work matches the concept, 0 to 1 (`score`).
    pub score: Option<f64>,
}

/// An author entity and its affiliations by year.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Author {
    /// OpenAlex short id of the author, `A5023888391` (`id`).
    pub id: String,
    /// Name of the author (`display_name`).
    pub name: Option<String>,
    /// ORCID without its resolver prefix, `0000-0002-1825-0097` (`orcid`).
    pub orcid: Option<String>,
    /// Number of works OpenAlex attributes to the author (`works_count`).
    pub works_count: Option<i64>,
    /// Citations received by the author's works (`cited_by_count`).
    pub cited_by_count: Option<i64>,
    /// Short id of the last known institution: the first of
    /// `last_known_institutions`, or the older `last_known_institution`.
    pub last_known_institution: Option<String>,
    /// When OpenAlex last changed the record, as given (`updated_date`):
    /// the later copy of an author wins deduplication ([`supersedes`]).
    pub updated_date: Option<String>,
    /// Order in which the record was read (input file, line, element): the
    /// tie-break of deduplication.
    pub read_order: i64,
    /// (institution, year, country): one row per year of each
    /// `affiliations[]` entry, with the institution's short id and
    /// upper-cased `country_code`.
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
    /// The name stored in the institutions table's `source` column: `work`
    /// for a dehydrated copy, `entity` for an entity.
    pub fn as_str(self) -> &'static str {
        match self {
            InstitutionSource::Dehydrated => "work",
            InstitutionSource::Entity => "entity",
        }
    }
}

/// An institution: an institution entity, or a copy of one dehydrated
/// inside a work or an author entity (without `works_count` and
/// `updated_date`). Copies of one institution are merged by
/// [`Institution::merge_into`].
#[derive(Debug, Clone, PartialEq)]
pub struct Institution {
    /// OpenAlex short id of the institution, `I136199984` (`id`).
    pub id: String,
    /// Name of the institution (`display_name`).
    pub name: Option<String>,
    /// ROR id without its resolver prefix, `03vek6s52` (`ror`).
    pub ror: Option<String>,
    /// Upper-case ISO 3166-1 alpha-2 country code, `US` (`country_code`).
    pub country: Option<String>,
    /// Type as given, copied by OpenAlex from ROR: `education`, `company`,
    /// `funder`, … (`type`); [`sector`] reads it.
    pub kind: Option<String>,
    /// Short ids of the institution and its ancestors (`lineage`): a set,
    /// not in hierarchy order.
    pub lineage: Vec<String>,
    /// Number of works OpenAlex attributes to the institution
    /// (`works_count`): entities only.
    pub works_count: Option<i64>,
    /// Whether this copy is an entity or dehydrated.
    pub source: InstitutionSource,
    /// When OpenAlex last changed the entity, as given (`updated_date`):
    /// entities only.
    pub updated_date: Option<String>,
    /// Order in which the record holding this copy was read (input file,
    /// line, element): a tie-break of [`Institution::merge_into`].
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
