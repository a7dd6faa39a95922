//! `--ids-from DATASET`: the authors and institutions a dataset refers to,
//! fetched in batches with one OR filter per request
//! (`filter=openalex:A1|A2|…`).
//!
//! OpenAlex ORs up to 100 values in one filter; its own guide batches 50
//! ("squish 50 requests into one"), which is the default here. A batch of
//! ≤ 100 ids fits one page of 100 results, so a batch costs one list call.

use sha2::{Digest, Sha256};

use super::checkpoint::IdsIdentity;

/// The default number of ids per request.
pub const DEFAULT_PER_REQUEST: u32 = 50;
/// The most OpenAlex ORs in one filter.
pub const MAX_PER_REQUEST: u32 = 100;

/// Sorted, distinct short ids (`A123`, `I456`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntityIds {
    /// Author ids, `A5023888391`.
    pub authors: Vec<String>,
    /// Institution ids, `I136199984`.
    pub institutions: Vec<String>,
}

impl EntityIds {
    /// The list's identity, for the checkpoint.
    pub fn identity(&self, per_request: u32) -> IdsIdentity {
        let mut h = Sha256::new();
        for id in self.authors.iter().chain(&self.institutions) {
            h.update(id.as_bytes());
            h.update(b"\n");
        }
        IdsIdentity {
            authors: self.authors.len() as u64,
            institutions: self.institutions.len() as u64,
            per_request,
            sha256: format!("{:x}", h.finalize()),
        }
    }

    /// `(entity, filter)` per request: authors first, then institutions.
    pub fn batches(&self, per_request: u32) -> Vec<(&'static str, String)> {
        let n = per_request.clamp(1, MAX_PER_REQUEST) as usize;
        let mut jobs = Vec::new();
        for (entity, ids) in [
            ("authors", &self.authors),
            ("institutions", &self.institutions),
        ] {
            for chunk in ids.chunks(n) {
                jobs.push((entity, format!("openalex:{}", chunk.join("|"))));
            }
        }
        jobs
    }
}

impl EntityIds {
    /// The ids as short, sorted, distinct lists (ids may come as URLs).
    pub fn new(authors: Vec<String>, institutions: Vec<String>) -> EntityIds {
        EntityIds {
            authors: short_ids(authors),
            institutions: short_ids(institutions),
        }
    }
}

/// Short form, sorted and distinct (ids may come as URLs).
fn short_ids(ids: Vec<String>) -> Vec<String> {
    let mut v: Vec<String> = ids
        .into_iter()
        .map(|s| s.rsplit('/').next().unwrap_or(&s).to_string())
        .filter(|s| !s.is_empty())
        .collect();
    v.sort();
    v.dedup();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_or_ids_authors_first() {
        let ids = EntityIds {
            authors: vec!["A1".into(), "A2".into(), "A3".into()],
            institutions: vec!["I1".into()],
        };
        assert_eq!(
            ids.batches(2),
            vec![
                ("authors", "openalex:A1|A2".to_string()),
                ("authors", "openalex:A3".to_string()),
                ("institutions", "openalex:I1".to_string()),
            ]
        );
        assert_eq!(ids.batches(1000).len(), 2, "capped at 100 a request");
        assert_ne!(ids.identity(2), ids.identity(3));
    }

    #[test]
    fn short_sorted_distinct() {
        let v = short_ids(vec![
            "https://openalex.org/A2".into(),
            "A1".into(),
            "A2".into(),
        ]);
        assert_eq!(v, vec!["A1", "A2"]);
    }
}
