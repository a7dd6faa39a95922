//! The OpenAlex record shapes we read, borrowed from the input line.
//!
//! One struct holds the union of the fields of works, authors and institutions
//! (their names do not clash), so each line is parsed exactly once and then
//! dispatched on its id prefix. Unknown fields (abstracts, referenced works,
//! …) are skipped by serde without being built. Old API shapes are accepted:
//! `host_venue` for `primary_location.source`, `last_known_institution` for
//! `last_known_institutions`.

use std::borrow::Cow;
use std::fmt;
use std::ops::Deref;

use serde::de::{Deserialize, Deserializer, Visitor};

/// A string borrowed from the input line where it has no escapes, owned
/// where it has. (serde borrows a `Cow<str>` only as a struct's own field,
/// never inside an `Option` or a `Vec`, where every string would be copied.)
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Str<'a>(pub Cow<'a, str>);

impl Str<'_> {
    /// The string as an owned `String` (copied only if it was borrowed).
    pub fn into_owned(self) -> String {
        self.0.into_owned()
    }
}

impl Deref for Str<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StrVisitor;

        impl<'de> Visitor<'de> for StrVisitor {
            type Value = Str<'de>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Borrowed(v)))
            }

            fn visit_str<E>(self, v: &str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Owned(v.to_owned())))
            }

            fn visit_string<E>(self, v: String) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Owned(v)))
            }
        }

        deserializer.deserialize_str(StrVisitor)
    }
}

/// Any OpenAlex entity, or an API list page (`{"meta":…,"results":[…]}`).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RawRecord<'a> {
    /// `id`: the entity's OpenAlex id, in full
    /// (`https://openalex.org/W2741809807`) or short (`W2741809807`); its
    /// prefix letter says the entity kind.
    #[serde(borrow)]
    pub id: Option<Str<'a>>,
    /// `display_name`: the work's title, the author's or the institution's
    /// name.
    #[serde(borrow)]
    pub display_name: Option<Str<'a>>,
    /// `updated_date`: when OpenAlex last changed the record,
    /// `2024-05-01T00:00:00.000000`.
    #[serde(borrow)]
    pub updated_date: Option<Str<'a>>,
    /// `cited_by_count`: citations received by the work, or by the author's
    /// works.
    pub cited_by_count: Option<i64>,
    /// `works_count`: how many works an author or an institution has.
    pub works_count: Option<i64>,
    /// `type`: the work's type (`article`, `preprint`, …) or the
    /// institution's (`education`, `company`, …).
    #[serde(borrow, rename = "type")]
    pub kind: Option<Str<'a>>,

    // Works.
    /// `doi`: the work's DOI with its resolver,
    /// `https://doi.org/10.1038/nature14539`.
    #[serde(borrow)]
    pub doi: Option<Str<'a>>,
    /// `title` of a work (the same as its `display_name`).
    #[serde(borrow)]
    pub title: Option<Str<'a>>,
    /// `publication_year`: the year the work was published.
    pub publication_year: Option<i32>,
    /// `publication_date`: the day the work was published, `2015-05-27`.
    #[serde(borrow)]
    pub publication_date: Option<Str<'a>>,
    /// `language`: ISO 639-1 code of the work's language, `en`.
    #[serde(borrow)]
    pub language: Option<Str<'a>>,
    /// `is_retracted`: whether the work has been retracted.
    pub is_retracted: Option<bool>,
    /// `primary_location` of a work: where it was published (its venue).
    #[serde(borrow)]
    pub primary_location: Option<RawLocation<'a>>,
    /// `host_venue`: the venue in old API records, before `primary_location`.
    #[serde(borrow)]
    pub host_venue: Option<RawSource<'a>>,
    /// `authorships` of a work, in author order.
    #[serde(borrow)]
    pub authorships: Option<Vec<RawAuthorship<'a>>>,
    /// `topics` of a work (up to three, the primary one first).
    #[serde(borrow)]
    pub topics: Option<Vec<RawTopic<'a>>>,
    /// `primary_topic`: the topic that matches the work best.
    #[serde(borrow)]
    pub primary_topic: Option<RawTopic<'a>>,
    /// `concepts` of a work (absent from newer records).
    #[serde(borrow)]
    pub concepts: Option<Vec<RawConcept<'a>>>,

    // Authors.
    /// `orcid` of an author, with its resolver:
    /// `https://orcid.org/0000-0002-1825-0097`.
    #[serde(borrow)]
    pub orcid: Option<Str<'a>>,
    /// `affiliations` of an author: institutions with the years of works
    /// there.
    #[serde(borrow)]
    pub affiliations: Option<Vec<RawAuthorAffiliation<'a>>>,
    /// `last_known_institutions`: the author's latest institutions (the
    /// first is kept).
    #[serde(borrow)]
    pub last_known_institutions: Option<Vec<RawInstitution<'a>>>,
    /// `last_known_institution`: the single one of old API records.
    #[serde(borrow)]
    pub last_known_institution: Option<RawInstitution<'a>>,

    // Institutions.
    /// `ror` of an institution, with its resolver: `https://ror.org/03vek6s52`.
    #[serde(borrow)]
    pub ror: Option<Str<'a>>,
    /// `country_code` of an institution, ISO 3166-1 alpha-2 (`US`).
    #[serde(borrow)]
    pub country_code: Option<Str<'a>>,
    /// `lineage` of an institution: the ids of itself and its ancestors.
    #[serde(borrow)]
    pub lineage: Option<Vec<Str<'a>>>,

    // API list pages.
    /// `results` of an API list page: the records of the page.
    #[serde(borrow)]
    pub results: Option<Vec<RawRecord<'a>>>,
}

/// A location of a work (`primary_location`): only its source is read.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RawLocation<'a> {
    /// `source`: the venue (journal, conference, repository) of the
    /// location.
    #[serde(borrow)]
    pub source: Option<RawSource<'a>>,
}

/// A source (venue), dehydrated in a location or as the old `host_venue`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RawSource<'a> {
    /// `id`: the source's OpenAlex id, `https://openalex.org/S137773608`.
    #[serde(borrow)]
    pub id: Option<Str<'a>>,
    /// `display_name`: the source's name, `Nature`.
    #[serde(borrow)]
    pub display_name: Option<Str<'a>>,
    /// `type`: `journal`, `conference`, `repository`, `book series`, …
    #[serde(borrow, rename = "type")]
    pub kind: Option<Str<'a>>,
}

/// One `authorships[]` entry of a work: an author in their place, with the
/// institutions and countries of the paper's affiliation.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RawAuthorship<'a> {
    /// `author_position`: `first`, `middle` or `last`.
    #[serde(borrow)]
    pub author_position: Option<Str<'a>>,
    /// `author`: the author, dehydrated.
    #[serde(borrow)]
    pub author: Option<RawAuthorRef<'a>>,
    /// `institutions`: the institutions of the affiliation, dehydrated.
    #[serde(borrow)]
    pub institutions: Option<Vec<RawInstitution<'a>>>,
    /// `countries`: country codes of the affiliation, which may include
    /// countries without an institution (entries may be null).
    #[serde(borrow)]
    pub countries: Option<Vec<Option<Str<'a>>>>,
    /// `is_corresponding`: whether the author is a corresponding author.
    pub is_corresponding: Option<bool>,
    /// `raw_author_name`: the name as written on the paper.
    #[serde(borrow)]
    pub raw_author_name: Option<Str<'a>>,
    /// `raw_affiliation_strings`: the affiliations as written on the paper.
    #[serde(borrow)]
    pub raw_affiliation_strings: Option<Vec<Option<Str<'a>>>>,
    /// `raw_affiliation_string`: the single one of old API records.
    #[serde(borrow)]
    pub raw_affiliation_string: Option<Str<'a>>,
}

/// An author dehydrated inside an authorship (`authorships[].author`).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RawAuthorRef<'a> {
    /// `id`: the author's OpenAlex id, `https://openalex.org/A5023888391`.
    #[serde(borrow)]
    pub id: Option<Str<'a>>,
    /// `display_name`: the author's name.
    #[serde(borrow)]
    pub display_name: Option<Str<'a>>,
    /// `orcid`, with its resolver: `https://orcid.org/0000-0002-1825-0097`.
    #[serde(borrow)]
    pub orcid: Option<Str<'a>>,
}

/// An institution, as an entity or dehydrated inside a work or an author.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RawInstitution<'a> {
    /// `id`: the institution's OpenAlex id, `https://openalex.org/I136199984`.
    #[serde(borrow)]
    pub id: Option<Str<'a>>,
    /// `display_name`: the institution's name.
    #[serde(borrow)]
    pub display_name: Option<Str<'a>>,
    /// `ror`, with its resolver: `https://ror.org/03vek6s52`.
    #[serde(borrow)]
    pub ror: Option<Str<'a>>,
    /// `country_code`, ISO 3166-1 alpha-2 (`US`; case not guaranteed).
    #[serde(borrow)]
    pub country_code: Option<Str<'a>>,
    /// `type`, copied by OpenAlex from ROR: `education`, `company`,
    /// `funder`, …
    #[serde(borrow, rename = "type")]
    pub kind: Option<Str<'a>>,
    /// `lineage`: the OpenAlex ids of the institution and its ancestors, in
    /// no particular order.
    #[serde(borrow)]
    pub lineage: Option<Vec<Str<'a>>>,
}

/// A topic of a work (`topics[]`, `primary_topic`).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RawTopic<'a> {
    /// `id`: the topic's OpenAlex id, `https://openalex.org/T10028`.
    #[serde(borrow)]
    pub id: Option<Str<'a>>,
    /// `display_name`: the topic's name.
    #[serde(borrow)]
    pub display_name: Option<Str<'a>>,
    /// `score`: how strongly the work matches the topic, 0 to 1.
    pub score: Option<f64>,
    /// `subfield` of the topic, `https://openalex.org/subfields/1702`.
    #[serde(borrow)]
    pub subfield: Option<RawNamed<'a>>,
    /// `field` of the topic, `https://openalex.org/fields/17`.
    #[serde(borrow)]
    pub field: Option<RawNamed<'a>>,
    /// `domain` of the topic, `https://openalex.org/domains/3`.
    #[serde(borrow)]
    pub domain: Option<RawNamed<'a>>,
}

/// An id and a name: a topic's subfield, field or domain.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RawNamed<'a> {
    /// `id`: a URL ending in the number, `https://openalex.org/fields/17`.
    #[serde(borrow)]
    pub id: Option<Str<'a>>,
    /// `display_name`: the name, `Computer Science`.
    #[serde(borrow)]
    pub display_name: Option<Str<'a>>,
}

/// A concept of a work (`concepts[]`).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RawConcept<'a> {
    /// `id`: the concept's OpenAlex id, `https://openalex.org/C154945302`.
    #[serde(borrow)]
    pub id: Option<Str<'a>>,
    /// `display_name`: the concept's name, `Artificial intelligence`.
    #[serde(borrow)]
    pub display_name: Option<Str<'a>>,
    /// `level` in the concept tree, 0 (the most general) to 5.
    pub level: Option<i32>,
    /// `score`: how strongly the work matches the concept, 0 to 1.
    pub score: Option<f64>,
}

/// One `affiliations[]` entry of an author: an institution and the years
/// of the author's works there.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RawAuthorAffiliation<'a> {
    /// `institution`, dehydrated.
    #[serde(borrow)]
    pub institution: Option<RawInstitution<'a>>,
    /// `years`: publication years of the author's works with this
    /// affiliation (newest first in OpenAlex; any order is accepted).
    pub years: Option<Vec<i32>>,
}

/// The kind of entity an OpenAlex id names, from its prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntityKind {
    /// `W…`: a work.
    Work,
    /// `A…`: an author.
    Author,
    /// `I…`: an institution.
    Institution,
    /// Sources, concepts, topics, funders, publishers: not ingested.
    Other,
}

/// The short form of an OpenAlex id: `https://openalex.org/W123` → `W123`.
/// Also accepts `openalex.org/W123` and the short form itself. Subfield,
/// field and domain URLs (`…/subfields/1702`) give their number.
pub fn short_id(id: &str) -> &str {
    let id = id.trim();
    match id.rfind('/') {
        Some(i) => &id[i + 1..],
        None => id,
    }
}

/// The entity kind of a short id (`W…`, `A…`, `I…`), or `None` when the id
/// is not an OpenAlex id at all (empty, or not a letter followed by digits).
pub fn entity_kind(short: &str) -> Option<EntityKind> {
    let mut chars = short.chars();
    let first = chars.next()?;
    let rest = chars.as_str();
    if rest.is_empty() || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(match first.to_ascii_uppercase() {
        'W' => EntityKind::Work,
        'A' => EntityKind::Author,
        'I' => EntityKind::Institution,
        c if c.is_ascii_alphabetic() => EntityKind::Other,
        _ => return None,
    })
}

/// Upper-case ISO-2 country code, or `None` for nulls and blanks.
pub fn country(code: Option<&str>) -> Option<String> {
    let code = code?.trim();
    if code.is_empty() {
        return None;
    }
    Some(code.to_ascii_uppercase())
}

/// A DOI without its resolver prefix: `https://doi.org/10.1/x` → `10.1/x`.
pub fn doi(doi: &str) -> &str {
    let d = doi.trim();
    for prefix in ["https://doi.org/", "http://doi.org/", "doi:"] {
        if let Some(rest) = d.strip_prefix(prefix) {
            return rest;
        }
    }
    d
}

/// An ORCID without its resolver prefix.
pub fn orcid(orcid: &str) -> &str {
    short_id(orcid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_ids_from_every_form() {
        assert_eq!(short_id("https://openalex.org/W123"), "W123");
        assert_eq!(short_id("W123"), "W123");
        assert_eq!(short_id("openalex.org/A5"), "A5");
        assert_eq!(short_id("https://openalex.org/subfields/1702"), "1702");
    }

    #[test]
    fn entity_kinds_from_prefix() {
        assert_eq!(entity_kind("W1"), Some(EntityKind::Work));
        assert_eq!(entity_kind("a12"), Some(EntityKind::Author));
        assert_eq!(entity_kind("I9"), Some(EntityKind::Institution));
        assert_eq!(entity_kind("S9"), Some(EntityKind::Other));
        assert_eq!(entity_kind("W"), None);
        assert_eq!(entity_kind("Wx1"), None);
        assert_eq!(entity_kind(""), None);
    }

    #[test]
    fn parses_escaped_strings_and_old_shapes() {
        let line = r#"{"id":"https://openalex.org/W1","title":"A \"quoted\" title","host_venue":{"display_name":"Old Venue"},"authorships":[{"author":{"id":"A1"},"institutions":[{"id":"I1","country_code":"us"}]}],"abstract_inverted_index":{"x":[0]}}"#;
        let r: RawRecord = serde_json::from_str(line).unwrap();
        assert_eq!(r.title.as_deref(), Some("A \"quoted\" title"));
        // Strings without escapes are borrowed from the line, even inside
        // an Option or a Vec; the escaped one had to be copied.
        assert!(matches!(r.id.as_ref().unwrap().0, Cow::Borrowed(_)));
        assert!(matches!(r.title.as_ref().unwrap().0, Cow::Owned(_)));
        assert_eq!(
            r.host_venue.unwrap().display_name.as_deref(),
            Some("Old Venue")
        );
        let a = &r.authorships.unwrap()[0];
        let inst = &a.institutions.as_ref().unwrap()[0];
        assert!(matches!(inst.id.as_ref().unwrap().0, Cow::Borrowed("I1")));
        assert_eq!(
            country(a.institutions.as_ref().unwrap()[0].country_code.as_deref()).as_deref(),
            Some("US")
        );
    }
}

/// The fields of a work that AI profiles read (`ingest --ai`): everything
/// else on the line is skipped by serde without being built.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ProbeRecord<'a> {
    /// `id`, as [`RawRecord::id`].
    #[serde(borrow)]
    pub id: Option<Str<'a>>,
    /// `primary_location`, as [`RawRecord::primary_location`].
    #[serde(borrow)]
    pub primary_location: Option<RawLocation<'a>>,
    /// `host_venue`, as [`RawRecord::host_venue`].
    #[serde(borrow)]
    pub host_venue: Option<RawSource<'a>>,
    /// `topics`, as [`RawRecord::topics`].
    #[serde(borrow)]
    pub topics: Option<Vec<RawTopic<'a>>>,
    /// `primary_topic`, as [`RawRecord::primary_topic`].
    #[serde(borrow)]
    pub primary_topic: Option<RawTopic<'a>>,
    /// `concepts`, as [`RawRecord::concepts`].
    #[serde(borrow)]
    pub concepts: Option<Vec<RawConcept<'a>>>,
}
