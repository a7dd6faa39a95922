//! Finding the files to ingest: single files, folders of JSON Lines, and
//! OpenAlex snapshot folders (`works/updated_date=YYYY-MM-DD/part_NNN.gz`,
//! with or without a `manifest`).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

/// One file to read.
#[derive(Debug, Clone)]
pub struct InputFile {
    /// The file's path.
    pub path: PathBuf,
    /// Its size in bytes, for the progress bar.
    pub size: u64,
}

/// Whether a file name looks like OpenAlex data we read.
fn is_data_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    // Hidden files, and the checkpoint `talentchain fetch` keeps beside its pages.
    if name.starts_with('.') || name == crate::fetch::CHECKPOINT_FILE {
        return false;
    }
    [".jsonl", ".json", ".ndjson", ".gz", ".jsonl.gz", ".json.gz"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// Expand the user's inputs into files, in a deterministic order: the inputs
/// in the order given, each folder's files sorted by path. A file named
/// explicitly is always read, whatever its extension.
pub fn discover(inputs: &[PathBuf]) -> Result<Vec<InputFile>> {
    let mut files = Vec::new();
    for input in inputs {
        let meta = std::fs::metadata(input)
            .with_context(|| format!("input `{}` cannot be read", input.display()))?;
        if meta.is_dir() {
            let mut found = Vec::new();
            walk(input, &mut found)?;
            found.sort();
            if found.is_empty() {
                bail!(
                    "input folder `{}` holds no OpenAlex files (.jsonl, .json, .gz)",
                    input.display()
                );
            }
            for path in found {
                let size = std::fs::metadata(&path)?.len();
                files.push(InputFile { path, size });
            }
        } else {
            files.push(InputFile {
                path: input.clone(),
                size: meta.len(),
            });
        }
    }
    Ok(files)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("listing `{}`", dir.display()))? {
        let entry = entry?;
        let path = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(&path, out)?;
        } else if kind.is_file() && is_data_file(&path) {
            out.push(path);
        }
    }
    Ok(())
}

/// A snapshot folder's Redshift-style `manifest`.
#[derive(Debug, Deserialize)]
pub struct SnapshotManifest {
    /// The files the manifest lists.
    pub entries: Vec<ManifestEntry>,
}

/// One file of a snapshot manifest.
#[derive(Debug, Deserialize)]
pub struct ManifestEntry {
    /// The file's address (`s3://openalex/data/works/…/part_000.gz`).
    pub url: String,
    /// What the manifest says of it.
    #[serde(default)]
    pub meta: ManifestMeta,
}

/// The size and record count a snapshot manifest gives for a file.
#[derive(Debug, Default, Deserialize)]
pub struct ManifestMeta {
    /// Its size in bytes.
    pub content_length: Option<u64>,
    /// The records it holds.
    pub record_count: Option<u64>,
}

/// What the snapshot manifests under the inputs promise: for each listed
/// file that was found, its expected record count; and the listed files that
/// are missing.
#[derive(Debug, Default)]
pub struct ManifestCheck {
    /// Each input file a snapshot manifest lists, with the records it lists for it.
    pub expected: Vec<(PathBuf, u64)>,
    /// Files a snapshot manifest lists that are not among the inputs.
    pub missing: Vec<String>,
}

/// Read every `manifest` file inside the folder inputs.
pub fn snapshot_manifests(inputs: &[PathBuf]) -> Result<ManifestCheck> {
    let mut check = ManifestCheck::default();
    for input in inputs.iter().filter(|p| p.is_dir()) {
        let mut manifests = Vec::new();
        find_manifests(input, &mut manifests)?;
        manifests.sort();
        for m in manifests {
            let text = std::fs::read_to_string(&m)?;
            let Ok(parsed) = serde_json::from_str::<SnapshotManifest>(&text) else {
                continue; // not a snapshot manifest: nothing to check
            };
            let dir = m.parent().unwrap_or(Path::new("."));
            for entry in parsed.entries {
                // `s3://openalex/data/works/updated_date=…/part_000.gz`: keep
                // the part below the manifest's entity folder.
                let rel = entry
                    .url
                    .split_once("updated_date=")
                    .map(|(_, rest)| format!("updated_date={rest}"))
                    .unwrap_or_else(|| entry.url.rsplit('/').next().unwrap_or("").to_string());
                let path = dir.join(&rel);
                if path.exists() {
                    if let Some(n) = entry.meta.record_count {
                        check.expected.push((path, n));
                    }
                } else {
                    check.missing.push(path.display().to_string());
                }
            }
        }
    }
    Ok(check)
}

fn find_manifests(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            find_manifests(&path, out)?;
        } else if path.file_name().and_then(|n| n.to_str()) == Some("manifest") {
            out.push(path);
        }
    }
    Ok(())
}
