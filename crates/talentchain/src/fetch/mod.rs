//! Harvesting from the OpenAlex API (`talentchain fetch`): cursor paging
//! through a list endpoint, one gzipped JSON Lines file per page, resumable
//! from a checkpoint, polite (a request-rate limit, `Retry-After`, backoff
//! with jitter) and safe against network faults.
//!
//! The guarantees, and where they live:
//! - a page file exists only whole ([`pages`]: temp name, then rename);
//! - the checkpoint moves only after its page is on disk ([`checkpoint`]), so
//!   a run killed at any instant resumes at the first page not counted, and
//!   re-fetches it into the same file name: no record twice, none skipped;
//! - a malformed or truncated page is retried, never written; faults are
//!   classified in [`client`] (retry, or stop with a message saying what to
//!   do); waits and the rate limit are in [`retry`].

pub mod checkpoint;
pub mod client;
pub mod ids;
pub mod pages;
pub mod retry;

use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use rand::SeedableRng;

pub use checkpoint::{CHECKPOINT_FILE, Checkpoint, Query};
pub use client::ClientConfig;
use client::{Answer, Client, Page, PageRequest};
pub use ids::EntityIds;
use retry::Pace;
pub use retry::RetryPolicy;

/// The OpenAlex API.
pub const DEFAULT_BASE_URL: &str = "https://api.openalex.org";
/// The largest page OpenAlex serves today.
pub const MAX_PER_PAGE: u32 = 100;
/// The default request rate: a tenth of the API's hard cap of 100/s.
pub const DEFAULT_MAX_RATE: f64 = 10.0;

/// Why a fetch stopped.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The key's daily credits are spent (a 429 that says so).
    #[error(
        "OpenAlex says the daily credits are spent ({message}); wait for the daily reset (midnight UTC) or use a key with credits left"
    )]
    CreditsExhausted {
        /// The API's message, the key redacted.
        message: String,
    },
    /// The API key was refused.
    #[error(
        "OpenAlex refused the API key (HTTP {status}: {message}); check --api-key or OPENALEX_API_KEY (a free key: https://openalex.org/settings/api)"
    )]
    InvalidKey {
        /// The HTTP status: 401, or 403.
        status: u16,
        /// The API's message, the key redacted.
        message: String,
    },
    /// The query itself was rejected (bad filter, unknown field…).
    #[error(
        "OpenAlex rejected `{url}` (HTTP {status}: {message}); check --filter, --search and --select"
    )]
    Rejected {
        /// The HTTP status, a 4xx other than 401, 403, 408, 425 and 429.
        status: u16,
        /// The URL requested, the key shown as `***`.
        url: String,
        /// The API's message, the key redacted.
        message: String,
    },
    /// A page failed every attempt.
    #[error("page {page} failed {attempts} times in a row, giving up; the last fault: {reason}")]
    GaveUp {
        /// The page's number in the folder, from 1.
        page: u64,
        /// Attempts made ([`RetryPolicy::max_attempts`]).
        attempts: u32,
        /// The last fault: an HTTP status, a transport error or a malformed
        /// page.
        reason: String,
    },
    /// The output folder holds a fetch of another query.
    #[error(
        "`{dir}` holds a fetch of another query ({stored}), not of this one ({asked}); use another --out folder, or delete `{dir}` to start over"
    )]
    QueryMismatch {
        /// The output folder.
        dir: PathBuf,
        /// The query of the folder's checkpoint, described in words.
        stored: String,
        /// The query of this command, described in words.
        asked: String,
    },
    /// The output folder holds page files but no checkpoint.
    #[error(
        "`{dir}` holds page files but no {CHECKPOINT_FILE}: it is not a fetch this command can resume; use an empty or new --out folder"
    )]
    NotAFetchFolder {
        /// The output folder.
        dir: PathBuf,
    },
    /// Another fetch is writing to the folder.
    #[error(
        "another `talentchain fetch` is writing to `{dir}`; wait for it or use another --out folder"
    )]
    Locked {
        /// The output folder.
        dir: PathBuf,
    },
    /// The checkpoint cannot be read.
    #[error("the checkpoint `{path}` cannot be read ({message}); delete the folder to start over")]
    BadCheckpoint {
        /// The checkpoint file.
        path: PathBuf,
        /// What is wrong with it: the JSON error, or an unknown version.
        message: String,
    },
    /// A file could not be read or written.
    #[error("`{path}`: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
}

impl FetchError {
    fn io(path: &Path, source: std::io::Error) -> FetchError {
        FetchError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// Whether re-running the same command later continues the fetch.
    pub fn is_resumable(&self) -> bool {
        matches!(
            self,
            FetchError::CreditsExhausted { .. }
                | FetchError::InvalidKey { .. }
                | FetchError::GaveUp { .. }
                | FetchError::Io { .. }
        )
    }
}

/// What to fetch.
#[derive(Debug, Clone)]
pub enum Source {
    /// Page through `/{entity}` with a filter and/or search.
    List {
        /// The endpoint: `works`, `authors` or `institutions`.
        entity: String,
        /// The `filter` parameter as given, `publication_year:2024`.
        filter: Option<String>,
        /// The `search` parameter as given (full-text search).
        search: Option<String>,
    },
    /// Fetch these authors and institutions by id, in batches.
    Ids {
        /// The ids to fetch.
        ids: EntityIds,
        /// Ids per request (one OR filter), clamped to 1 to
        /// [`ids::MAX_PER_REQUEST`].
        per_request: u32,
    },
}

/// A fetch's settings.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// What to fetch.
    pub source: Source,
    /// The `select` parameter as given: the fields each record keeps,
    /// `id,doi,authorships`; `None` for whole records.
    pub select: Option<String>,
    /// The output folder: page files and the checkpoint.
    pub out: PathBuf,
    /// Where and how to ask.
    pub client: ClientConfig,
    /// Records per page, 1 to [`MAX_PER_PAGE`] (the API rejects more).
    pub per_page: u32,
    /// Stop after this many records (the fetch stays resumable).
    pub max_works: Option<u64>,
    /// Requests per second at most.
    pub max_rate: f64,
    /// Attempts and waits after a fault.
    pub retry: RetryPolicy,
    /// Multiplies every wait (backoff, Retry-After, rate limit): 1 for real
    /// use, small in tests.
    pub time_scale: f64,
    /// A progress bar on stderr.
    pub progress: bool,
    /// No notes on stderr (retries, resuming).
    pub quiet: bool,
}

impl FetchOptions {
    /// Options for fetching `source` into `out`, with the defaults: the
    /// public API ([`DEFAULT_BASE_URL`]) without key or mailto, a 60 s
    /// timeout, pages of [`MAX_PER_PAGE`], [`DEFAULT_MAX_RATE`] requests per
    /// second, the default retry policy, no record limit, no progress bar.
    pub fn new(source: Source, out: PathBuf) -> FetchOptions {
        FetchOptions {
            source,
            select: None,
            out,
            client: ClientConfig {
                base_url: DEFAULT_BASE_URL.into(),
                api_key: None,
                mailto: None,
                timeout: Duration::from_secs(60),
            },
            per_page: MAX_PER_PAGE,
            max_works: None,
            max_rate: DEFAULT_MAX_RATE,
            retry: RetryPolicy::default(),
            time_scale: 1.0,
            progress: false,
            quiet: false,
        }
    }

    /// The query's identity and its request jobs `(entity, filter)`.
    fn plan(&self) -> (Query, Vec<(String, Option<String>)>) {
        match &self.source {
            Source::List {
                entity,
                filter,
                search,
            } => (
                Query {
                    entity: entity.clone(),
                    filter: filter.clone(),
                    search: search.clone(),
                    select: self.select.clone(),
                    per_page: self.per_page,
                    ids: None,
                },
                vec![(entity.clone(), filter.clone())],
            ),
            Source::Ids { ids, per_request } => (
                Query {
                    entity: "authors+institutions".into(),
                    filter: None,
                    search: None,
                    select: self.select.clone(),
                    per_page: self.per_page,
                    ids: Some(ids.identity(*per_request)),
                },
                ids.batches(*per_request)
                    .into_iter()
                    .map(|(e, f)| (e.to_string(), Some(f)))
                    .collect(),
            ),
        }
    }
}

/// What a run did.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Page files in the folder.
    pub pages: u64,
    /// Records in the folder.
    pub records: u64,
    /// The expected total (`meta.count`, or the number of ids).
    pub meta_count: Option<u64>,
    /// Pages already written when this run started (resumed from).
    pub resumed_pages: u64,
    /// Requests sent by this run, retries included.
    pub requests: u64,
    /// How many of this run's requests were retries.
    pub retries: u64,
    /// Records the server served twice in this run, written once.
    pub duplicates: u64,
    /// Every page fetched (false when stopped by `--max-works`).
    pub done: bool,
    /// Credits left today, from the last `X-RateLimit-Remaining`.
    pub credits_left: Option<f64>,
}

/// Run (or resume) a fetch into `opts.out`.
pub fn fetch(opts: &FetchOptions) -> Result<Summary, FetchError> {
    let dir = &opts.out;
    std::fs::create_dir_all(dir).map_err(|e| FetchError::io(dir, e))?;
    let _lock = lock(dir)?;
    let (query, jobs) = opts.plan();
    let mut cp = match Checkpoint::read(dir)? {
        Some(cp) => {
            if cp.query != query || cp.jobs != jobs.len() {
                return Err(FetchError::QueryMismatch {
                    dir: dir.clone(),
                    stored: describe(&cp.query),
                    asked: describe(&query),
                });
            }
            cp
        }
        None => {
            if has_pages(dir)? {
                return Err(FetchError::NotAFetchFolder { dir: dir.clone() });
            }
            let mut cp = Checkpoint::new(query, jobs.len());
            if let Source::Ids { ids, .. } = &opts.source {
                cp.meta_count = Some((ids.authors.len() + ids.institutions.len()) as u64);
            }
            cp.write(dir)?;
            cp
        }
    };
    pages::clean(dir, cp.pages)?;
    let mut run = Run::new(opts, &cp);
    if cp.pages > 0 && !cp.done && !opts.quiet {
        run.note(&format!(
            "resuming: {} records in {} pages already in `{}`",
            cp.records,
            cp.pages,
            dir.display()
        ));
    }
    let result = run.go(&mut cp, &jobs);
    run.finish();
    result?;
    Ok(Summary {
        pages: cp.pages,
        records: cp.records,
        meta_count: cp.meta_count,
        done: cp.done,
        ..run.summary
    })
}

/// The state of one run.
struct Run<'a> {
    opts: &'a FetchOptions,
    client: Client,
    pace: Pace,
    rng: rand::rngs::StdRng,
    bar: Option<ProgressBar>,
    seen_ids: HashSet<u64>,
    summary: Summary,
}

impl<'a> Run<'a> {
    fn new(opts: &'a FetchOptions, cp: &Checkpoint) -> Run<'a> {
        let bar = opts.progress.then(|| {
            let bar = ProgressBar::new(cp.meta_count.unwrap_or(0));
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} fetch [{elapsed_precise}] {wide_bar} {human_pos}/{human_len} records ({per_sec}, eta {eta})",
                )
                .expect("valid template"),
            );
            bar.set_position(cp.records);
            bar.reset_eta();
            bar
        });
        Run {
            opts,
            client: Client::new(opts.client.clone()),
            pace: Pace::new(opts.max_rate, opts.time_scale),
            rng: rand::rngs::StdRng::from_os_rng(),
            bar,
            seen_ids: HashSet::new(),
            summary: Summary {
                resumed_pages: cp.pages,
                ..Summary::default()
            },
        }
    }

    fn note(&self, msg: &str) {
        if self.opts.quiet {
            return;
        }
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{msg}")),
            None => eprintln!("{msg}"),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    /// Fetch page after page until every job is done or `--max-works`.
    fn go(
        &mut self,
        cp: &mut Checkpoint,
        jobs: &[(String, Option<String>)],
    ) -> Result<(), FetchError> {
        let dir = &self.opts.out;
        let mut seen_cursors: HashSet<String> = HashSet::new();
        while !cp.done {
            let per_page = match self.opts.max_works {
                Some(max) if cp.records >= max => return Ok(()),
                Some(max) => (max - cp.records).min(u64::from(self.opts.per_page)) as u32,
                None => self.opts.per_page,
            };
            let (entity, filter) = &jobs[cp.job];
            seen_cursors.insert(cp.cursor.clone());
            let page = self.page(cp, entity, filter.as_deref(), per_page, &seen_cursors)?;

            // Write the page (its new records), then move the checkpoint.
            let fresh: Vec<String> = page
                .records
                .iter()
                .zip(&page.ids)
                .filter(|(_, id)| self.seen_ids.insert(hash(id)))
                .map(|(r, _)| r.clone())
                .collect();
            self.summary.duplicates += (page.records.len() - fresh.len()) as u64;
            if !fresh.is_empty() {
                pages::write_page(dir, entity, cp.pages + 1, &fresh)?;
                cp.pages += 1;
                cp.records += fresh.len() as u64;
            }
            cp.job_records += page.records.len() as u64;
            if matches!(self.opts.source, Source::List { .. }) && cp.job == 0 {
                cp.meta_count = page.count.or(cp.meta_count);
            }
            let ids_batch = matches!(self.opts.source, Source::Ids { .. });
            let job_done = match &page.next_cursor {
                None => true,
                Some(_) if page.records.is_empty() => true,
                Some(_) => ids_batch && page.count.is_some_and(|c| cp.job_records >= c),
            };
            if job_done {
                cp.job += 1;
                cp.cursor = "*".into();
                cp.job_records = 0;
                cp.done = cp.job >= cp.jobs;
                seen_cursors.clear();
            } else {
                cp.cursor = page.next_cursor.clone().unwrap_or_default();
            }
            cp.write(dir)?;
            if let Some(bar) = &self.bar {
                bar.set_length(cp.meta_count.unwrap_or(0).max(cp.records));
                bar.set_position(cp.records);
            }
            self.summary.credits_left = page.credits_left.or(self.summary.credits_left);
            if !cp.done && page.credits_left.is_some_and(|c| c <= 0.0) {
                return Err(FetchError::CreditsExhausted {
                    message: format!("X-RateLimit-Remaining: 0 after page {}", cp.pages),
                });
            }
        }
        Ok(())
    }

    /// One page, with retries: a fault is retried after a wait until the
    /// attempts run out; a reason to stop stops at once.
    fn page(
        &mut self,
        cp: &Checkpoint,
        entity: &str,
        filter: Option<&str>,
        per_page: u32,
        seen_cursors: &HashSet<String>,
    ) -> Result<Page, FetchError> {
        let req = PageRequest {
            entity,
            filter,
            search: match &self.opts.source {
                Source::List { search, .. } => search.as_deref(),
                Source::Ids { .. } => None,
            },
            select: self.opts.select.as_deref(),
            per_page,
            cursor: &cp.cursor,
        };
        let policy = &self.opts.retry;
        let max_attempts = policy.max_attempts.max(1);
        for attempt in 1..=max_attempts {
            self.pace.before_request();
            self.summary.requests += 1;
            if attempt > 1 {
                self.summary.retries += 1;
            }
            let (reason, after) = match self.client.get(&req, policy) {
                Answer::Page(page) => match page.next_cursor.as_deref() {
                    Some(next) if !page.records.is_empty() && seen_cursors.contains(next) => (
                        format!(
                            "the server sent back a cursor already used in this run ({})",
                            short(next)
                        ),
                        None,
                    ),
                    _ => return Ok(page),
                },
                Answer::Retry { reason, after } => (reason, after),
                Answer::Stop(e) => return Err(e),
            };
            if attempt == max_attempts {
                return Err(FetchError::GaveUp {
                    page: cp.pages + 1,
                    attempts: attempt,
                    reason,
                });
            }
            let wait = match after {
                Some(d) => policy.after(d, &mut self.rng),
                None => policy.backoff(attempt, &mut self.rng),
            };
            self.note(&format!(
                "page {}: {reason}; retrying in {:.1} s (attempt {}/{max_attempts})",
                cp.pages + 1,
                wait.mul_f64(self.opts.time_scale).as_secs_f64(),
                attempt + 1
            ));
            self.pace.sleep(wait);
        }
        unreachable!("the last attempt returns")
    }
}

fn short(s: &str) -> &str {
    match s.char_indices().nth(40) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

fn hash(id: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    id.rsplit('/').next().unwrap_or(id).hash(&mut h);
    h.finish()
}

/// A query in a line, for messages.
fn describe(q: &Query) -> String {
    let mut parts = vec![format!("entity {}", q.entity)];
    if let Some(f) = &q.filter {
        parts.push(format!("filter `{f}`"));
    }
    if let Some(s) = &q.search {
        parts.push(format!("search `{s}`"));
    }
    if let Some(s) = &q.select {
        parts.push(format!("select `{s}`"));
    }
    parts.push(format!("per page {}", q.per_page));
    if let Some(ids) = &q.ids {
        parts.push(format!(
            "ids: {} authors, {} institutions, {} a request, sha256 {}",
            ids.authors,
            ids.institutions,
            ids.per_request,
            &ids.sha256[..12.min(ids.sha256.len())]
        ));
    }
    parts.join(", ")
}

fn has_pages(dir: &Path) -> Result<bool, FetchError> {
    for entry in std::fs::read_dir(dir).map_err(|e| FetchError::io(dir, e))? {
        let entry = entry.map_err(|e| FetchError::io(dir, e))?;
        if entry
            .file_name()
            .to_str()
            .and_then(pages::page_number)
            .is_some()
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// An exclusive lock on `DIR/.lock`, held for the run.
fn lock(dir: &Path) -> Result<std::fs::File, FetchError> {
    let path = dir.join(".lock");
    let f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| FetchError::io(&path, e))?;
    match f.try_lock() {
        Ok(()) => Ok(f),
        Err(std::fs::TryLockError::WouldBlock) => Err(FetchError::Locked {
            dir: dir.to_path_buf(),
        }),
        Err(std::fs::TryLockError::Error(e)) => Err(FetchError::io(&path, e)),
    }
}
