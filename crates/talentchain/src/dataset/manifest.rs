//! `manifest.json`: what a dataset holds and how it was made. A dataset is
//! complete only when its manifest exists; ingest writes it last.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use super::SCHEMA_VERSION;
use super::bad::BadSummary;

/// The manifest's file name in the dataset folder.
pub const MANIFEST_FILE: &str = "manifest.json";
/// The `format` every talentchain manifest states.
pub const FORMAT: &str = "talentchain-dataset";

/// What a dataset holds and how it was made (`manifest.json`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    /// Always `talentchain-dataset`.
    pub format: String,
    /// The layout version ([`SCHEMA_VERSION`]) the dataset was written with.
    pub schema_version: u32,
    /// The program that wrote it: `talentchain`.
    pub tool: String,
    /// Its version (`CARGO_PKG_VERSION`).
    pub tool_version: String,
    /// When the dataset was last written (UTC, RFC 3339).
    pub created: String,
    /// The AI profile applied at ingest (`all`: every work kept; else
    /// `NAME vVERSION` of `--ai`: the works it rejects were left out).
    pub ai_profile: String,
    /// The snapshot's date: the latest `updated_date=` folder among the
    /// inputs, else the latest `updated_date` of a work.
    pub snapshot_date: Option<String>,
    /// Every input file read into the dataset, an append's after the earlier ones.
    pub inputs: Vec<InputRecord>,
    /// Counts of the records read and kept.
    pub records: RecordCounts,
    /// Rows per table.
    pub tables: BTreeMap<String, u64>,
    /// Bad input: counts by reason and the first problems with file and line.
    pub bad: BadSummary,
    /// Problems with the snapshot manifests among the inputs.
    #[serde(default)]
    pub warnings: Vec<String>,
    /// The next part number (for `--append`).
    pub next_part: u64,
    /// The salt of the hashed e-mail author ids of paper lists
    /// ([`crate::sources::paperlists::email_id`]), kept so that an append
    /// hashes the same address to the same id; none before one was needed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_salt: Option<String>,
}

/// One input file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct InputRecord {
    /// The file's path, as given on the command line or found in a folder.
    pub path: String,
    /// Its size on disk, in bytes.
    pub bytes: u64,
    /// The bytes of JSON it holds (inflated, for a gzipped file).
    pub text_bytes: u64,
    /// SHA-256 of the file as stored, hex.
    pub sha256: String,
    /// Whether it was gzipped.
    pub gzip: bool,
    /// Lines read.
    pub lines: u64,
    /// False when the file could not be read to its end.
    pub complete: bool,
    /// Work records read from it (duplicates included).
    pub works: u64,
    /// Author entities read from it.
    pub authors: u64,
    /// Institution entities read from it.
    pub institutions: u64,
    /// Other OpenAlex entities (sources, topics, …), not ingested.
    pub other: u64,
}

/// Counts of the records read and kept.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct RecordCounts {
    /// Work records read, duplicates included.
    pub works_read: u64,
    /// Work records the AI profile of `--ai` rejected (counted in
    /// `works_read`, not kept).
    #[serde(default)]
    pub works_filtered: u64,
    /// Distinct works kept.
    pub works: u64,
    /// Copies dropped because a later copy of the same work was kept.
    pub duplicates_dropped: u64,
    /// Author entity records read, duplicates included.
    pub authors_read: u64,
    /// Distinct author entities kept.
    pub authors: u64,
    /// Institution entity records read.
    pub institution_entities_read: u64,
    /// Distinct institutions kept (entities, and those only seen inside works).
    pub institutions: u64,
    /// Other OpenAlex entities read and ignored (sources, topics, …).
    pub other_entities: u64,
    /// Papers of paper lists read and left out by their decision
    /// (`--decisions`), by decision class (`rejected`, `withdrawn`, …):
    /// counted in `works_read`, not kept.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub papers_left_out: BTreeMap<String, u64>,
    /// Author ids of paper lists that are not stable ids (names, ACL
    /// Anthology slugs): left out, their authorships kept without an author.
    #[serde(default)]
    pub author_ids_left_out: u64,
    /// Authorships of paper lists that write affiliations out whose
    /// institutions and countries were looked up by name in the lists that
    /// normalise them ([`crate::sources::paperlists::Gazetteer`]).
    #[serde(default)]
    pub affiliations_looked_up: u64,
    /// Authorships of paper lists given the id of their author's name
    /// (`ingest --match-names`): every result built on them is approximate.
    #[serde(default)]
    pub authors_matched_by_name: u64,
}

impl Manifest {
    /// Read the manifest of the dataset at `root`: fails clearly on a missing, incomplete or incompatible dataset.
    pub fn read(root: &Path) -> Result<Manifest> {
        let path = root.join(MANIFEST_FILE);
        if !root.is_dir() {
            bail!(
                "dataset `{}` does not exist (create it with `talentchain ingest … --out {}`)",
                root.display(),
                root.display()
            );
        }
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "`{}` is not a complete talentchain dataset: it has no {MANIFEST_FILE} (an interrupted ingest leaves none; run the ingest again)",
                root.display()
            )
        })?;
        let m: Manifest =
            serde_json::from_str(&text).with_context(|| format!("reading {}", path.display()))?;
        if m.format != FORMAT {
            bail!(
                "`{}` is not a talentchain dataset (format `{}`)",
                path.display(),
                m.format
            );
        }
        if m.schema_version != SCHEMA_VERSION {
            bail!(
                "dataset `{}` has schema version {} but this talentchain reads version {SCHEMA_VERSION}: ingest the inputs again",
                root.display(),
                m.schema_version
            );
        }
        Ok(m)
    }

    /// Write the manifest into `root`, atomically (a temporary file renamed).
    pub fn write(&self, root: &Path) -> Result<()> {
        let path = root.join(MANIFEST_FILE);
        let tmp = root.join(".manifest.json.tmp");
        std::fs::write(&tmp, serde_json::to_vec_pretty(self)?)?;
        std::fs::rename(&tmp, &path)?;
        Ok(())
    }
}

/// Now, as RFC 3339 UTC (`2026-11-28T21:25:47Z`).
pub fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (days, rem) = ((secs / 86_400) as i64, secs % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn rfc3339_shape() {
        let s = super::now_rfc3339();
        assert_eq!(s.len(), 20, "{s}");
        assert!(s.starts_with("20") && s.ends_with('Z'), "{s}");
    }
}
