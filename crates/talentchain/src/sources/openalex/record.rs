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
    #[serde(borrow)]
    pub id: Option<Str<'a>>,
    #[serde(borrow)]
    pub display_name: Option<Str<'a>>,
    #[serde(borrow)]
    pub updated_date: Option<Str<'a>>,
    pub cited_by_count: Option<i64>,
    pub works_count: Option<i64>,
    #[serde(borrow, rename = "type")]
    pub kind: Option<Str<'a>>,

    // Works.
    #[serde(borrow)]
    pub doi: Option<Str<'a>>,
    #[serde(borrow)]
    pub title: Option<Str<'a>>,
    pub publication_year: Option<i32>,
    #[serde(borrow)]
    pub publication_date: Option<Str<'a>>,
    #[serde(borrow)]
    pub language: Option<Str<'a>>,
    pub is_retracted: Option<bool>,
    #[serde(borrow)]
    pub primary_location: Option<RawLocation<'a>>,
    #[serde(borrow)]
    pub host_venue: Option<RawSource<'a>>,
    #[serde(borrow)]
    pub authorships: Option<Vec<RawAuthorship<'a>>>,
    #[serde(borrow)]
    pub topics: Option<Vec<RawTopic<'a>>>,
    #[serde(borrow)]
    pub primary_topic: Option<RawTopic<'a>>,
    #[serde(borrow)]
    pub concepts: Option<Vec<RawConcept<'a>>>,

    // Authors.
    #[serde(borrow)]
    pub orcid: Option<Str<'a>>,
    #[serde(borrow)]
    pub affiliations: Option<Vec<RawAuthorAffiliation<'a>>>,
    #[serde(borrow)]
    pub last_known_institutions: Option<Vec<RawInstitution<'a>>>,
    #[serde(borrow)]
    pub last_known_institution: Option<RawInstitution<'a>>,

    // Institutions.
    #[serde(borrow)]
    pub ror: Option<Str<'a>>,
    #[serde(borrow)]
    pub country_code: Option<Str<'a>>,
    #[serde(borrow)]
    pub lineage: Option<Vec<Str<'a>>>,

    // API list pages.
    #[serde(borrow)]
    pub results: Option<Vec<RawRecord<'a>>>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RawLocation<'a> {
    #[serde(borrow)]
    pub source: Option<RawSource<'a>>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RawSource<'a> {
    #[serde(borrow)]
    pub id: Option<Str<'a>>,
    #[serde(borrow)]
    pub display_name: Option<Str<'a>>,
    #[serde(borrow, rename = "type")]
    pub kind: Option<Str<'a>>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RawAuthorship<'a> {
    #[serde(borrow)]
    pub author_position: Option<Str<'a>>,
    #[serde(borrow)]
    pub author: Option<RawAuthorRef<'a>>,
    #[serde(borrow)]
    pub institutions: Option<Vec<RawInstitution<'a>>>,
    #[serde(borrow)]
    pub countries: Option<Vec<Option<Str<'a>>>>,
    pub is_corresponding: Option<bool>,
    #[serde(borrow)]
    pub raw_author_name: Option<Str<'a>>,
    #[serde(borrow)]
    pub raw_affiliation_strings: Option<Vec<Option<Str<'a>>>>,
    #[serde(borrow)]
    pub raw_affiliation_string: Option<Str<'a>>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RawAuthorRef<'a> {
    #[serde(borrow)]
    pub id: Option<Str<'a>>,
    #[serde(borrow)]
    pub display_name: Option<Str<'a>>,
    #[serde(borrow)]
    pub orcid: Option<Str<'a>>,
}

/// An institution, as an entity or dehydrated inside a work or an author.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RawInstitution<'a> {
    #[serde(borrow)]
    pub id: Option<Str<'a>>,
    #[serde(borrow)]
    pub display_name: Option<Str<'a>>,
    #[serde(borrow)]
    pub ror: Option<Str<'a>>,
    #[serde(borrow)]
    pub country_code: Option<Str<'a>>,
    #[serde(borrow, rename = "type")]
    pub kind: Option<Str<'a>>,
    #[serde(borrow)]
    pub lineage: Option<Vec<Str<'a>>>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RawTopic<'a> {
    #[serde(borrow)]
    pub id: Option<Str<'a>>,
    #[serde(borrow)]
    pub display_name: Option<Str<'a>>,
    pub score: Option<f64>,
    #[serde(borrow)]
    pub subfield: Option<RawNamed<'a>>,
    #[serde(borrow)]
    pub field: Option<RawNamed<'a>>,
    #[serde(borrow)]
    pub domain: Option<RawNamed<'a>>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RawNamed<'a> {
    #[serde(borrow)]
    pub id: Option<Str<'a>>,
    #[serde(borrow)]
    pub display_name: Option<Str<'a>>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RawConcept<'a> {
    #[serde(borrow)]
    pub id: Option<Str<'a>>,
    #[serde(borrow)]
    pub display_name: Option<Str<'a>>,
    pub level: Option<i32>,
    pub score: Option<f64>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RawAuthorAffiliation<'a> {
    #[serde(borrow)]
    pub institution: Option<RawInstitution<'a>>,
    pub years: Option<Vec<i32>>,
}

/// The kind of entity an OpenAlex id names, from its prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntityKind {
    Work,
    Author,
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
    #[serde(borrow)]
    pub id: Option<Str<'a>>,
    #[serde(borrow)]
    pub primary_location: Option<RawLocation<'a>>,
    #[serde(borrow)]
    pub host_venue: Option<RawSource<'a>>,
    #[serde(borrow)]
    pub topics: Option<Vec<RawTopic<'a>>>,
    #[serde(borrow)]
    pub primary_topic: Option<RawTopic<'a>>,
    #[serde(borrow)]
    pub concepts: Option<Vec<RawConcept<'a>>>,
}
