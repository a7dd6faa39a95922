//! The checkpoint: what a fetch asked for and how far it got, written
//! atomically (temp file, fsync, rename) after every page.
//!
//! It never holds the API key or the mailto: only the query's identity
//! (entity, filter, search, select, page size, the id list's digest) and the
//! position (job, cursor, pages and records written).

use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::FetchError;

/// The checkpoint's file name in the output folder. `talentchain ingest`
/// skips it when it reads the folder.
pub const CHECKPOINT_FILE: &str = "checkpoint.json";

/// What is fetched: a resumed fetch must ask for exactly the same.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Query {
    /// `works`, `authors`, `institutions`, or `authors+institutions` for ids.
    pub entity: String,
    /// The `filter` parameter as given (`None` for ids: their filters are
    /// the batches).
    pub filter: Option<String>,
    /// The `search` parameter as given.
    pub search: Option<String>,
    /// The `select` parameter as given: the fields each record keeps.
    pub select: Option<String>,
    /// Records per page (`per_page`).
    pub per_page: u32,
    /// With `--ids-from`: the id list's identity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ids: Option<IdsIdentity>,
}

/// The identity of an id list fetched in batches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdsIdentity {
    /// Number of author ids.
    pub authors: u64,
    /// Number of institution ids.
    pub institutions: u64,
    /// Ids per request, as asked (before clamping).
    pub per_request: u32,
    /// SHA-256 of the sorted ids, one a line.
    pub sha256: String,
}

/// How far a fetch got.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// Format version of the file ([`Checkpoint::VERSION`]).
    pub version: u32,
    /// What is fetched.
    pub query: Query,
    /// The request job under way, from 0 (one job for a filter; one per id
    /// batch).
    pub job: usize,
    /// Number of request jobs.
    pub jobs: usize,
    /// The cursor of the next page of the current job (`*` at its start).
    pub cursor: String,
    /// Page files written.
    pub pages: u64,
    /// Records written.
    pub records: u64,
    /// Records written by the current job.
    pub job_records: u64,
    /// The expected total: `meta.count` of the query, or the number of ids.
    pub meta_count: Option<u64>,
    /// Every job finished.
    pub done: bool,
}

impl Checkpoint {
    /// The format version this talentchain writes and reads.
    pub const VERSION: u32 = 1;

    /// A fresh checkpoint for `query` in `jobs` jobs.
    pub fn new(query: Query, jobs: usize) -> Checkpoint {
        Checkpoint {
            version: Self::VERSION,
            query,
            job: 0,
            jobs,
            cursor: "*".into(),
            pages: 0,
            records: 0,
            job_records: 0,
            meta_count: None,
            done: jobs == 0,
        }
    }

    /// Read `DIR/checkpoint.json`, if any.
    pub fn read(dir: &Path) -> Result<Option<Checkpoint>, FetchError> {
        let path = dir.join(CHECKPOINT_FILE);
        let text = match std::fs::read(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(FetchError::io(&path, e)),
        };
        let cp: Checkpoint =
            serde_json::from_slice(&text).map_err(|e| FetchError::BadCheckpoint {
                path: path.clone(),
                message: e.to_string(),
            })?;
        if cp.version != Self::VERSION {
            return Err(FetchError::BadCheckpoint {
                path,
                message: format!(
                    "version {} (this talentchain writes {})",
                    cp.version,
                    Self::VERSION
                ),
            });
        }
        Ok(Some(cp))
    }

    /// Write `DIR/checkpoint.json` atomically.
    pub fn write(&self, dir: &Path) -> Result<(), FetchError> {
        let mut text = serde_json::to_vec_pretty(self).expect("a checkpoint serialises");
        text.push(b'\n');
        write_atomic(dir, CHECKPOINT_FILE, &text)
    }
}

/// Write `dir/name` atomically: a hidden temp file (which ingest skips),
/// flushed to disk, then renamed over the target.
pub fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), FetchError> {
    let tmp = dir.join(format!(".{name}.tmp"));
    let target = dir.join(name);
    let mut f = std::fs::File::create(&tmp).map_err(|e| FetchError::io(&tmp, e))?;
    f.write_all(bytes)
        .and_then(|()| f.sync_all())
        .map_err(|e| FetchError::io(&tmp, e))?;
    drop(f);
    std::fs::rename(&tmp, &target).map_err(|e| FetchError::io(&target, e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_replaces_atomically() {
        let dir = tempfile::tempdir().unwrap();
        assert!(Checkpoint::read(dir.path()).unwrap().is_none());
        let q = Query {
            entity: "works".into(),
            filter: Some("publication_year:2020".into()),
            search: None,
            select: None,
            per_page: 100,
            ids: None,
        };
        let mut cp = Checkpoint::new(q, 1);
        cp.write(dir.path()).unwrap();
        cp.pages = 3;
        cp.cursor = "abc".into();
        cp.write(dir.path()).unwrap();
        assert_eq!(Checkpoint::read(dir.path()).unwrap().unwrap(), cp);
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from(CHECKPOINT_FILE)]);
    }
}
