//! Bad input, counted by reason and reported with file and line.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

/// Why a record (or a file, or a part of a record) was not used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// A line that is not valid JSON.
    MalformedJson,
    /// A record without an `id`.
    MissingId,
    /// An `id` that is not an OpenAlex id.
    BadId,
    /// A gzip stream that ends early or is corrupt: the lines before the
    /// break are kept.
    TruncatedGzip,
    /// A file with no records.
    EmptyFile,
    /// A line longer than the limit (`--max-line-bytes`).
    LineTooLong,
    /// A file that could not be opened.
    UnreadableFile,
    /// A paper without a title (paper lists): not kept.
    MissingTitle,
    /// A paper whose per-author list (affiliations, ids, positions, indices)
    /// has another length than its authors: that list left out, the paper
    /// kept.
    MismatchedLists,
    /// A paper whose affiliation or country index points past its list:
    /// that affiliation left out, the paper kept.
    IndexOutOfRange,
    /// A country name that maps to no ISO code: left out (never guessed),
    /// the paper kept.
    UnmappedCountry,
    /// A publication or affiliation year outside the documented window
    /// (`sources::openalex::plausible`, README "Bad input"): set to null,
    /// the record kept.
    ImplausibleYear,
    /// A negative count (`cited_by_count`, `works_count`): set to null, the
    /// record kept.
    NegativeCount,
    /// A `publication_date` that is not a date: set to null, the record kept.
    BadDate,
    /// A country code that is not ISO 3166-1 alpha-2: left out, the record
    /// kept.
    BadCountry,
}

impl Reason {
    /// The reason's name in the manifest and in reports (`malformed_json`).
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::MalformedJson => "malformed_json",
            Reason::MissingId => "missing_id",
            Reason::BadId => "bad_id",
            Reason::TruncatedGzip => "truncated_gzip",
            Reason::EmptyFile => "empty_file",
            Reason::LineTooLong => "line_too_long",
            Reason::UnreadableFile => "unreadable_file",
            Reason::MissingTitle => "missing_title",
            Reason::MismatchedLists => "mismatched_lists",
            Reason::IndexOutOfRange => "index_out_of_range",
            Reason::UnmappedCountry => "unmapped_country",
            Reason::ImplausibleYear => "implausible_year",
            Reason::NegativeCount => "negative_count",
            Reason::BadDate => "bad_date",
            Reason::BadCountry => "bad_country",
        }
    }
}

/// One reported problem. `line` is 0 for a whole-file problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadRecord {
    /// The input file, as given.
    pub file: String,
    /// The line in the file (1-based; 0 for an entity of a JSON document).
    pub line: u64,
    /// Why the record was not used.
    pub reason: Reason,
    /// What was wrong, as the parser said it.
    pub detail: String,
}

impl std::fmt::Display for BadRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line > 0 {
            write!(
                f,
                "{}:{}: {}: {}",
                self.file,
                self.line,
                self.reason.as_str(),
                self.detail
            )
        } else {
            write!(
                f,
                "{}: {}: {}",
                self.file,
                self.reason.as_str(),
                self.detail
            )
        }
    }
}

/// How many problems are kept with their file and line (all are counted).
pub const KEPT_EXAMPLES: usize = 1000;

/// The run's problems, shared by the reader and parser threads.
#[derive(Debug, Default)]
pub struct BadLog {
    inner: Mutex<BadSummary>,
}

/// Counts by reason, and the first problems in full.
#[derive(Debug, Default, Clone, Serialize, Deserialize, PartialEq)]
pub struct BadSummary {
    /// Bad records counted by reason, all of them.
    pub counts: BTreeMap<Reason, u64>,
    /// The first bad records with file and line ([`KEPT_EXAMPLES`] at most).
    pub records: Vec<BadRecord>,
}

impl BadSummary {
    /// All bad records counted.
    pub fn total(&self) -> u64 {
        self.counts.values().sum()
    }
}

impl BadLog {
    /// Count a bad record of `file` at `line` and keep it as an example while there is room.
    pub fn report(&self, file: &Path, line: u64, reason: Reason, detail: &str) {
        let mut s = self.inner.lock().expect("bad log poisoned");
        *s.counts.entry(reason).or_default() += 1;
        if s.records.len() < KEPT_EXAMPLES {
            let mut detail = detail.to_string();
            detail.truncate(300);
            s.records.push(BadRecord {
                file: file.display().to_string(),
                line,
                reason,
                detail,
            });
        }
    }

    /// The problems, sorted by file and line.
    pub fn summary(&self) -> BadSummary {
        let mut s = self.inner.lock().expect("bad log poisoned").clone();
        s.records
            .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        s
    }
}
