//! Helpers shared by the library's integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// `../shared/data/openalex`, or `None` (with a message) where it is absent.
pub fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/openalex");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipped: ../shared/data is absent");
        None
    }
}
