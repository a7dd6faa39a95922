//! Test helpers shared by talentchain's crates, a dev-dependency of each that
//! needs them (the library's unit and integration tests, the CLI's tests):
//! where the real OpenAlex records are, and a mock OpenAlex API serving them.
//!
//! The real records live outside the repository, in `../shared/data` beside
//! it. A test that reads them skips where the folder is absent, but under
//! `CI=true` a missing `../shared` is a failure, not a skip: every real-data
//! test goes through [`shared_data`], which applies that rule.

use std::path::PathBuf;

pub mod mock;

/// `../shared/data/<rel>` (a file or a folder), or `None` where it is absent:
/// the caller skips the test (`let Some(p) = shared_data(…) else { return };`),
/// with a note on stderr. Under `CI=true` an absent path panics instead.
pub fn shared_data(rel: &str) -> Option<PathBuf> {
    // CARGO_MANIFEST_DIR is <repository>/crates/talentchain-testkit.
    let repo_parent = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(3)
        .expect("the repository has a parent folder");
    let path = repo_parent.join("shared/data").join(rel);
    if path.exists() {
        Some(path)
    } else if std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true")) {
        panic!(
            "../shared/data/{rel} is absent ({}): under CI=true the real-data tests must run, \
             so a missing ../shared is a failure, not a skip",
            path.display()
        )
    } else {
        eprintln!("skipped: ../shared/data/{rel} is absent");
        None
    }
}

/// `../shared/data/openalex`, the real OpenAlex samples (`explorer/`,
/// `rag-sample/`), as [`shared_data`]: `None` to skip, a panic under `CI=true`.
pub fn shared() -> Option<PathBuf> {
    shared_data("openalex")
}
