//! OpenAlex records ([`super::record`]) → the normalized model
//! ([`crate::model`]): ids in short form, country codes upper-cased, each
//! authorship's countries the union of its own and its institutions', no
//! e-mail address in a person's name or affiliation
//! ([`crate::model::contact`]).

use std::collections::HashMap;

use super::record::{self, EntityKind, RawInstitution, RawRecord, short_id};
use crate::model::{
    Author, Authorship, Concept, Institution, InstitutionSource, Topic, Work, contact,
    dehydrated_rank,
};

/// An institution seen inside a work or an author entity, with its short
/// id and country; the rest of it is built ([`SeenInstitution::build`])
/// only when this copy is kept: most are repeats of an institution already
/// kept.
pub struct SeenInstitution<'a> {
    /// OpenAlex short id of the institution, `I136199984`.
    pub id: String,
    /// Upper-case ISO 3166-1 alpha-2 country code (`country_code`), `US`.
    pub country: Option<String>,
    raw: RawInstitution<'a>,
    read_order: i64,
}

impl<'a> SeenInstitution<'a> {
    /// `None` for an id that is not an institution's.
    fn new(raw: RawInstitution<'a>, read_order: i64) -> Option<SeenInstitution<'a>> {
        let id = short(raw.id.as_ref())?;
        if record::entity_kind(&id) != Some(EntityKind::Institution) {
            return None;
        }
        let country = record::country(raw.country_code.as_deref());
        Some(SeenInstitution {
            id,
            country,
            raw,
            read_order,
        })
    }

    /// Whether this copy ranks above `old` ([`Institution::merge_into`]'s
    /// rule), counted without building it: the same fields
    /// [`SeenInstitution::build`] keeps.
    pub fn improves(&self, old: &Institution) -> bool {
        let filled = |s: &Option<record::Str<'_>>| s.as_deref().is_some_and(|s| !s.is_empty());
        let complete = usize::from(filled(&self.raw.display_name))
            + usize::from(
                self.raw
                    .ror
                    .as_deref()
                    .is_some_and(|r| !short_id(r).is_empty()),
            )
            + usize::from(self.country.is_some())
            + usize::from(filled(&self.raw.kind))
            + usize::from(self.raw.lineage.as_ref().is_some_and(|l| !l.is_empty()));
        dehydrated_rank(complete, self.read_order) > old.rank()
    }

    /// The normalized institution of this copy, as a dehydrated one (no
    /// `works_count`, no `updated_date`).
    pub fn build(self) -> Institution {
        let raw = self.raw;
        Institution {
            id: self.id,
            name: owned(raw.display_name),
            ror: raw
                .ror
                .map(|r| short_id(&r).to_string())
                .filter(|s| !s.is_empty()),
            country: self.country,
            kind: owned(raw.kind),
            lineage: raw
                .lineage
                .unwrap_or_default()
                .iter()
                .map(|l| short_id(l).to_string())
                .collect(),
            works_count: None,
            source: InstitutionSource::Dehydrated,
            updated_date: None,
            read_order: self.read_order,
        }
    }

    /// Keep this copy in `map` if it is the first or the better one, as
    /// [`Institution::keep_in`] would, building it only then.
    pub fn keep_in(self, map: &mut HashMap<String, Institution>) {
        match map.get_mut(&self.id) {
            Some(old) => {
                if self.improves(old) {
                    *old = self.build();
                }
            }
            None => {
                let inst = self.build();
                map.insert(inst.id.clone(), inst);
            }
        }
    }
}

fn owned(s: Option<record::Str<'_>>) -> Option<String> {
    s.filter(|s| !s.is_empty()).map(record::Str::into_owned)
}

fn short(s: Option<&record::Str<'_>>) -> Option<String> {
    s.map(|s| short_id(s).to_string()).filter(|s| !s.is_empty())
}

/// What one parsed record becomes.
pub enum Entity {
    /// A work record (`W…`).
    Work(Work),
    /// An author entity (`A…`).
    Author(Author),
    /// An institution entity (`I…`).
    Institution(Institution),
}

/// Why a record could not be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    /// No `id` field.
    MissingId,
    /// An `id` that is not an OpenAlex id.
    BadId,
    /// An OpenAlex entity talentchain does not ingest (source, topic, …).
    OtherEntity,
}

/// Normalize one record. Dehydrated institutions seen inside it are passed to
/// `institution`.
pub fn normalize<'a>(
    rec: RawRecord<'a>,
    read_order: i64,
    institution: &mut impl FnMut(SeenInstitution<'a>),
) -> Result<Entity, Rejection> {
    let Some(raw_id) = rec.id.as_deref() else {
        return Err(Rejection::MissingId);
    };
    let id = short_id(raw_id).to_string();
    match record::entity_kind(&id) {
        // Keywords, subfields, … (`https://openalex.org/keywords/x`).
        None if raw_id.contains("openalex.org/") => Err(Rejection::OtherEntity),
        None => Err(Rejection::BadId),
        Some(EntityKind::Other) => Err(Rejection::OtherEntity),
        Some(EntityKind::Work) => Ok(Entity::Work(work(id, rec, read_order, institution))),
        Some(EntityKind::Author) => Ok(Entity::Author(author(id, rec, read_order, institution))),
        Some(EntityKind::Institution) => {
            let inst = RawInstitution {
                id: rec.id,
                display_name: rec.display_name,
                ror: rec.ror,
                country_code: rec.country_code,
                kind: rec.kind,
                lineage: rec.lineage,
            };
            let mut i = SeenInstitution::new(inst, read_order)
                .ok_or(Rejection::BadId)?
                .build();
            i.source = InstitutionSource::Entity;
            i.works_count = rec.works_count;
            i.updated_date = owned(rec.updated_date);
            Ok(Entity::Institution(i))
        }
    }
}

fn work<'a>(
    id: String,
    rec: RawRecord<'a>,
    read_order: i64,
    institution: &mut impl FnMut(SeenInstitution<'a>),
) -> Work {
    let source = rec
        .primary_location
        .and_then(|l| l.source)
        .or(rec.host_venue);
    let (venue_id, venue, venue_type) = match source {
        Some(s) => (short(s.id.as_ref()), owned(s.display_name), owned(s.kind)),
        None => (None, None, None),
    };
    let authorships = rec
        .authorships
        .unwrap_or_default()
        .into_iter()
        .map(|a| {
            let mut countries: Vec<String> = a
                .countries
                .unwrap_or_default()
                .iter()
                .filter_map(|c| record::country(c.as_deref()))
                .collect();
            let mut institutions = Vec::new();
            for raw in a.institutions.unwrap_or_default() {
                if let Some(seen) = SeenInstitution::new(raw, read_order) {
                    if let Some(c) = &seen.country {
                        countries.push(c.clone());
                    }
                    institutions.push((seen.id.clone(), seen.country.clone()));
                    institution(seen);
                }
            }
            countries.sort_unstable();
            countries.dedup();
            let (author, author_name, orcid) = match a.author {
                Some(r) => (
                    short(r.id.as_ref()),
                    owned(r.display_name).or_else(|| owned(a.raw_author_name)),
                    r.orcid
                        .map(|o| record::orcid(&o).to_string())
                        .filter(|s| !s.is_empty()),
                ),
                None => (None, owned(a.raw_author_name), None),
            };
            let raw_affiliation = match a.raw_affiliation_strings {
                Some(v) if !v.is_empty() => {
                    let parts: Vec<&str> = v.iter().filter_map(|s| s.as_deref()).collect();
                    Some(parts.join(" | ")).filter(|s| !s.is_empty())
                }
                _ => owned(a.raw_affiliation_string),
            };
            Authorship {
                author_position: owned(a.author_position),
                author,
                author_name: author_name.and_then(contact::redact),
                orcid,
                is_corresponding: a.is_corresponding,
                countries,
                institutions,
                raw_affiliation: raw_affiliation.and_then(contact::redact),
                career_position: None,
            }
        })
        .collect();

    let primary = rec
        .primary_topic
        .as_ref()
        .and_then(|t| short(t.id.as_ref()));
    let mut raw_topics = rec.topics.unwrap_or_default();
    if raw_topics.is_empty() {
        raw_topics.extend(rec.primary_topic);
    }
    let topics = raw_topics
        .into_iter()
        .filter_map(|t| {
            let topic = short(t.id.as_ref())?;
            let (subfield, subfield_name) = named(t.subfield);
            let (field, field_name) = named(t.field);
            let (domain, _) = named(t.domain);
            Some(Topic {
                is_primary: primary.as_deref() == Some(topic.as_str()),
                topic,
                name: owned(t.display_name),
                score: t.score,
                subfield,
                subfield_name,
                field,
                field_name,
                domain,
            })
        })
        .collect();
    let concepts = rec
        .concepts
        .unwrap_or_default()
        .into_iter()
        .filter_map(|c| {
            Some(Concept {
                concept: short(c.id.as_ref())?,
                name: owned(c.display_name),
                level: c.level,
                score: c.score,
            })
        })
        .collect();

    Work {
        id,
        doi: rec
            .doi
            .map(|d| record::doi(&d).to_string())
            .filter(|s| !s.is_empty()),
        title: owned(rec.title).or_else(|| owned(rec.display_name)),
        year: rec.publication_year,
        publication_date: owned(rec.publication_date),
        kind: owned(rec.kind),
        cited_by_count: rec.cited_by_count,
        venue_id,
        venue,
        venue_type,
        language: owned(rec.language),
        is_retracted: rec.is_retracted,
        updated_date: owned(rec.updated_date),
        read_order,
        authorships,
        topics,
        concepts,
        ..Work::default()
    }
}

/// The work of a [`record::ProbeRecord`]: its venue, topics and concepts
/// normalized exactly as [`normalize`] does (by the same code), the rest
/// empty. For AI profiles at ingest.
pub fn probe_work(probe: record::ProbeRecord<'_>, read_order: i64) -> Work {
    let id = probe
        .id
        .as_deref()
        .map(|i| record::short_id(i).to_string())
        .unwrap_or_default();
    let rec = RawRecord {
        primary_location: probe.primary_location,
        host_venue: probe.host_venue,
        topics: probe.topics,
        primary_topic: probe.primary_topic,
        concepts: probe.concepts,
        ..RawRecord::default()
    };
    work(id, rec, read_order, &mut |_| {})
}

fn named(n: Option<record::RawNamed<'_>>) -> (Option<String>, Option<String>) {
    match n {
        Some(n) => (short(n.id.as_ref()), owned(n.display_name)),
        None => (None, None),
    }
}

fn author<'a>(
    id: String,
    rec: RawRecord<'a>,
    read_order: i64,
    institution: &mut impl FnMut(SeenInstitution<'a>),
) -> Author {
    let mut affiliations = Vec::new();
    for aff in rec.affiliations.unwrap_or_default() {
        let Some(inst) = aff
            .institution
            .and_then(|i| SeenInstitution::new(i, read_order))
        else {
            continue;
        };
        let mut years = aff.years.unwrap_or_default();
        years.sort_unstable();
        years.dedup();
        for year in years {
            affiliations.push((inst.id.clone(), year, inst.country.clone()));
        }
        institution(inst);
    }
    let last_known = rec
        .last_known_institutions
        .and_then(|v| v.into_iter().next())
        .or(rec.last_known_institution)
        .and_then(|i| SeenInstitution::new(i, read_order));
    let last_known_institution = last_known.as_ref().map(|i| i.id.clone());
    if let Some(i) = last_known {
        institution(i);
    }
    Author {
        id,
        name: owned(rec.display_name).and_then(contact::redact),
        orcid: rec
            .orcid
            .map(|o| record::orcid(&o).to_string())
            .filter(|s| !s.is_empty()),
        works_count: rec.works_count,
        cited_by_count: rec.cited_by_count,
        last_known_institution,
        updated_date: owned(rec.updated_date),
        read_order,
        affiliations,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(line: &str) -> (Result<Entity, Rejection>, Vec<Institution>) {
        let rec: RawRecord = serde_json::from_str(line).unwrap();
        let mut seen = Vec::new();
        let e = normalize(rec, 7, &mut |i: SeenInstitution<'_>| seen.push(i.build()));
        (e, seen)
    }

    #[test]
    fn authorship_countries_are_the_union_of_countries_and_institution_codes() {
        let (e, insts) = norm(
            r#"{"id":"https://openalex.org/W1","publication_year":2020,"authorships":[
              {"author":{"id":"https://openalex.org/A1","display_name":"X"},"countries":["us"],
               "institutions":[{"id":"https://openalex.org/I1","country_code":"GB"},{"id":"https://openalex.org/I2","country_code":"US"}]},
              {"author":{"id":"A2"},"countries":[],"institutions":[]},
              {"author":{"id":"A3"},"countries":[null,"FR"],"institutions":[{"id":"I3","country_code":null}]}]}"#,
        );
        let Ok(Entity::Work(w)) = e else {
            panic!("not a work")
        };
        assert_eq!(w.authorships[0].countries, vec!["GB", "US"]);
        assert!(w.authorships[1].countries.is_empty());
        assert_eq!(w.authorships[2].countries, vec!["FR"]);
        assert_eq!(
            w.authorships[2].institutions,
            vec![("I3".to_string(), None)]
        );
        assert_eq!(insts.len(), 3);
    }

    #[test]
    fn a_seen_institution_ranks_as_its_built_copy() {
        // Raw copies from empty to complete (blank strings count as missing),
        // against kept copies of every kind: `improves` must say what
        // building the copy and comparing ranks says.
        let raws = [
            r#"{"id":"I1"}"#,
            r#"{"id":"I1","display_name":"","ror":"https://ror.org/","country_code":" ","type":""}"#,
            r#"{"id":"I1","display_name":"N"}"#,
            r#"{"id":"I1","ror":"https://ror.org/0abc","country_code":"us"}"#,
            r#"{"id":"I1","type":"education","lineage":["I1"]}"#,
            r#"{"id":"I1","display_name":"N","ror":"r","country_code":"FR","type":"company","lineage":["I2"]}"#,
        ];
        let built = |raw: &str, order: i64| {
            let r: RawInstitution = serde_json::from_str(raw).unwrap();
            SeenInstitution::new(r, order).unwrap().build()
        };
        let mut olds: Vec<Institution> = raws
            .iter()
            .flat_map(|raw| [built(raw, 3), built(raw, 9)])
            .collect();
        let mut entity = built(raws[0], 5);
        entity.source = InstitutionSource::Entity;
        olds.push(entity);
        let mut compared = 0;
        for raw in raws {
            for order in [1, 3, 6, 9, 12] {
                for old in &olds {
                    let r: RawInstitution = serde_json::from_str(raw).unwrap();
                    let seen = SeenInstitution::new(r, order).unwrap();
                    let improves = seen.improves(old);
                    let copy = seen.build();
                    assert_eq!(
                        improves,
                        copy.rank() > old.rank(),
                        "{raw} at {order} vs {old:?}"
                    );
                    compared += usize::from(improves);
                }
            }
        }
        // Both answers occur.
        assert!(compared > 0 && compared < raws.len() * 5 * olds.len());
    }

    #[test]
    fn rejections_by_reason() {
        assert!(matches!(
            norm(r#"{"title":"x"}"#).0,
            Err(Rejection::MissingId)
        ));
        assert!(matches!(norm(r#"{"id":"hello"}"#).0, Err(Rejection::BadId)));
        assert!(matches!(
            norm(r#"{"id":"https://openalex.org/S12"}"#).0,
            Err(Rejection::OtherEntity)
        ));
    }

    #[test]
    fn author_affiliations_by_year() {
        let (e, insts) = norm(
            r#"{"id":"A9","display_name":"N","orcid":"https://orcid.org/0000-0001","affiliations":[
                {"institution":{"id":"I1","country_code":"ca","type":"funder"},"years":[2021,2019,2021]}],
                "last_known_institution":{"id":"I1"}}"#,
        );
        let Ok(Entity::Author(a)) = e else {
            panic!("not an author")
        };
        assert_eq!(a.orcid.as_deref(), Some("0000-0001"));
        assert_eq!(
            a.affiliations,
            vec![
                ("I1".into(), 2019, Some("CA".into())),
                ("I1".into(), 2021, Some("CA".into()))
            ]
        );
        assert_eq!(a.last_known_institution.as_deref(), Some("I1"));
        assert_eq!(insts.len(), 2);
    }
}
