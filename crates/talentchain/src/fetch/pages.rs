//! The page files: `{entity}-{NNNNNN}.jsonl.gz`, one per page, numbered
//! from 1 across the whole fetch, gzipped JSON Lines that `talentchain
//! ingest` reads directly. Each is written whole to a hidden temp name and
//! renamed, so a file that exists is complete.

use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::write::GzEncoder;

use super::FetchError;
use super::checkpoint::write_atomic;

/// The name of page file number `seq` (1-based).
pub fn page_name(entity: &str, seq: u64) -> String {
    format!("{entity}-{seq:06}.jsonl.gz")
}

/// The page number of a page file name, if it is one.
pub fn page_number(name: &str) -> Option<u64> {
    let stem = name.strip_suffix(".jsonl.gz")?;
    let (entity, n) = stem.rsplit_once('-')?;
    if !matches!(entity, "works" | "authors" | "institutions") || n.len() < 6 {
        return None;
    }
    n.parse().ok()
}

/// Write page `seq` of `entity`: one record a line, gzipped (the gzip
/// header carries no time, so the same records give the same bytes).
pub fn write_page(
    dir: &Path,
    entity: &str,
    seq: u64,
    records: &[String],
) -> Result<PathBuf, FetchError> {
    let mut gz = GzEncoder::new(Vec::new(), Compression::default());
    for r in records {
        gz.write_all(r.as_bytes())
            .and_then(|()| gz.write_all(b"\n"))
            .expect("writing to memory");
    }
    let bytes = gz.finish().expect("writing to memory");
    let name = page_name(entity, seq);
    write_atomic(dir, &name, &bytes)?;
    Ok(dir.join(name))
}

/// Before a run: remove temp files left by a killed run, and page files
/// numbered past the checkpoint (written, but not yet counted, when the run
/// stopped: their page is fetched again).
pub fn clean(dir: &Path, pages: u64) -> Result<usize, FetchError> {
    let mut removed = 0;
    for entry in std::fs::read_dir(dir).map_err(|e| FetchError::io(dir, e))? {
        let entry = entry.map_err(|e| FetchError::io(dir, e))?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let stale_tmp = name.starts_with('.') && name.ends_with(".tmp");
        let beyond = page_number(name).is_some_and(|n| n > pages);
        if stale_tmp || beyond {
            std::fs::remove_file(entry.path()).map_err(|e| FetchError::io(&entry.path(), e))?;
            removed += 1;
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers() {
        assert_eq!(page_name("works", 12), "works-000012.jsonl.gz");
        assert_eq!(page_number("works-000012.jsonl.gz"), Some(12));
        assert_eq!(page_number("authors-1234567.jsonl.gz"), Some(1_234_567));
        assert_eq!(page_number("checkpoint.json"), None);
        assert_eq!(page_number("mine-000001.jsonl.gz"), None);
    }

    #[test]
    fn clean_removes_temps_and_uncounted_pages() {
        let dir = tempfile::tempdir().unwrap();
        for seq in 1..=3 {
            write_page(dir.path(), "works", seq, &["{\"id\":\"W1\"}".to_string()]).unwrap();
        }
        std::fs::write(dir.path().join(".works-000004.jsonl.gz.tmp"), b"half").unwrap();
        assert_eq!(clean(dir.path(), 2).unwrap(), 2);
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(
            names,
            vec!["works-000001.jsonl.gz", "works-000002.jsonl.gz"]
        );
    }
}
