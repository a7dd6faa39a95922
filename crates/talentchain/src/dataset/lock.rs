//! One writer per dataset: an ingest, an append, a merge or a forced
//! replace holds an advisory lock on a file beside the dataset's folder
//! (`.NAME.lock` in the same parent) from before it reads what is there
//! until its result is in place. A second writer of the same dataset stops
//! at once with a message naming the first (its process id and command);
//! without this, two writers both reported "dataset written" and the one
//! that finished first was silently replaced. Readers need no lock: a
//! dataset appears by a rename, whole.
//!
//! The lock is the operating system's (`File::try_lock`): it goes with the
//! process, so a killed writer never leaves a dataset locked. The small
//! lock file stays.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// The lock of one dataset, held until dropped.
#[derive(Debug)]
pub struct WriteLock {
    _file: File,
    path: PathBuf,
}

impl WriteLock {
    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The lock file of the dataset at `out`: `.NAME.lock` beside it.
pub fn lock_path(out: &Path) -> Result<PathBuf> {
    let Some(name) = out.file_name() else {
        bail!(
            "`{}` does not name a dataset folder: give a path ending in a folder name",
            out.display()
        );
    };
    let mut file = std::ffi::OsString::from(".");
    file.push(name);
    file.push(".lock");
    Ok(out.with_file_name(file))
}

/// Take the write lock of the dataset at `out` for `what` (the command, in
/// a few words), or stop with a message naming the writer that holds it.
pub fn lock_for_writing(out: &Path, what: &str) -> Result<WriteLock> {
    let path = lock_path(out)?;
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating `{}`", parent.display()))?;
    }
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .with_context(|| format!("opening the lock file `{}`", path.display()))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            let holder = holder.trim();
            let holder = if holder.is_empty() {
                "another talentchain run".to_string()
            } else {
                format!("another talentchain run ({holder})")
            };
            bail!(
                "`{}` is being written by {holder}: wait for it to end, then run this again (the lock is `{}`)",
                out.display(),
                path.display()
            );
        }
        Err(TryLockError::Error(e)) => {
            return Err(e).with_context(|| format!("locking `{}`", path.display()));
        }
    }
    file.set_len(0)?;
    file.seek(SeekFrom::Start(0))?;
    write!(file, "process {}, {what}", std::process::id())?;
    file.flush()?;
    Ok(WriteLock { _file: file, path })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_is_refused_with_the_first_named_and_can_go_once_it_ends() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("sub").join("ds");
        let first = lock_for_writing(&out, "ingest").unwrap();
        assert_eq!(first.path(), dir.path().join("sub").join(".ds.lock"));
        let e = lock_for_writing(&out, "merge").unwrap_err().to_string();
        assert!(
            e.contains("is being written by another talentchain run"),
            "{e}"
        );
        assert!(
            e.contains(&format!("process {}, ingest", std::process::id())),
            "{e}"
        );
        // Another dataset in the same folder is not held.
        lock_for_writing(&dir.path().join("sub").join("other"), "ingest").unwrap();
        drop(first);
        lock_for_writing(&out, "merge").unwrap();
    }

    #[test]
    fn a_path_without_a_folder_name_is_refused() {
        let e = lock_path(Path::new("/")).unwrap_err().to_string();
        assert!(e.contains("does not name a dataset folder"), "{e}");
    }
}
