//! `talentchain ingest`: OpenAlex files → a columnar dataset.
//!
//! Reader threads decompress files and cut them into chunks of whole lines;
//! parser threads turn lines into normalized records and write them as
//! sorted, deduplicated Parquet parts; a final step deduplicates across
//! parts, writes the institutions table and the manifest, and only then
//! renames the dataset into place. Memory is bounded by the chunk queue and
//! one part buffer per parser thread, whatever the input size.

pub mod columns;
pub mod derive;
mod finalize;
pub mod input;
pub mod merge;
pub mod parts;
pub mod reader;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};

use crate::dataset::bad::{self, BadLog, Reason};
use crate::dataset::manifest::{InputRecord, Manifest, RecordCounts};
use crate::dataset::{Table, manifest};
use crate::model::Institution;
use crate::profile::{Profile, Status};
use crate::sources::openalex::normalize::{self, Entity, Rejection};
use crate::sources::openalex::plausible;
use crate::sources::openalex::record;
use crate::sources::paperlists::{self, Decision};
use parts::{AuthorBuffer, WorkBuffer};
use reader::{Chunk, ReadLimits};

/// What to ingest and how.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// The input files and folders (snapshot folders, JSON Lines, gzipped or not).
    pub inputs: Vec<PathBuf>,
    /// The dataset folder to write.
    pub out: PathBuf,
    /// Add to an existing dataset instead of creating one.
    pub append: bool,
    /// Replace an existing dataset.
    pub force: bool,
    /// Any bad input fails the run, and the dataset is not written.
    pub strict: bool,
    /// Threads (0: one per core).
    pub threads: usize,
    /// Limits of the reader (longest line, …).
    pub limits: ReadLimits,
    /// Works per Parquet part (bounds memory per parser thread).
    pub part_rows: usize,
    /// Show a progress bar on stderr.
    pub progress: bool,
    /// Keep only the works this AI profile selects or cannot tell
    /// (`--ai`): rejected works are dropped after a light parse of the
    /// fields the profile reads, before their full record is built.
    pub ai: Option<Arc<Profile>>,
    /// How the derived columns and tables of each part are computed.
    pub derive: parts::Derive,
    /// What the inputs are (`--format`).
    pub format: Format,
    /// The decisions of paper-list papers kept (`--decisions`): the others
    /// are counted and left out.
    pub decisions: Vec<Decision>,
    /// The salt of hashed e-mail author ids: an append keeps the dataset's,
    /// a new dataset draws one.
    pub id_salt: Option<String>,
    /// Give paper-list authors without a stable id the id of their name
    /// (`--match-names`): every result built on it is approximate.
    pub match_names: bool,
}

/// What the input files are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Format {
    /// Told from the content: a file holding one JSON array of papers (an
    /// `author` text, no OpenAlex `authorships`) is a paper list, anything
    /// else OpenAlex.
    #[default]
    Auto,
    /// OpenAlex records (snapshot files, API pages, JSON Lines).
    OpenAlex,
    /// Conference paper lists ([`crate::sources::paperlists`]).
    PaperLists,
}

impl IngestOptions {
    /// Options to ingest `inputs` into `out`, with the defaults: a new dataset, one thread per core, no AI filter.
    pub fn new(inputs: Vec<PathBuf>, out: PathBuf) -> IngestOptions {
        IngestOptions {
            inputs,
            out,
            append: false,
            force: false,
            strict: false,
            threads: 0,
            limits: ReadLimits::default(),
            part_rows: 50_000,
            progress: false,
            ai: None,
            derive: parts::Derive::default(),
            format: Format::Auto,
            decisions: vec![Decision::Accepted],
            id_salt: None,
            match_names: false,
        }
    }
}

/// The outcome of an ingest.
#[derive(Debug)]
pub struct IngestReport {
    /// The dataset's manifest (also when it was not written).
    pub manifest: Manifest,
    /// Whether the dataset was written (false only under `--strict` with bad
    /// input).
    pub published: bool,
    /// How long the ingest took.
    pub elapsed: std::time::Duration,
}

impl IngestReport {
    /// A human summary for stderr.
    pub fn summary(&self, shown_problems: usize) -> String {
        use std::fmt::Write;
        let m = &self.manifest;
        let r = &m.records;
        let text: u64 = m.inputs.iter().map(|i| i.text_bytes).sum();
        let secs = self.elapsed.as_secs_f64().max(1e-9);
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{} works ({} read, {} duplicate copies dropped), {} authors, {} institutions from {} files in {:.1}s ({:.0} works/s, {:.1} MB/s of JSON)",
            r.works,
            r.works_read,
            r.duplicates_dropped,
            r.authors,
            r.institutions,
            m.inputs.len(),
            secs,
            r.works_read as f64 / secs,
            text as f64 / 1e6 / secs
        );
        if r.works_filtered > 0 || m.ai_profile != "all" {
            let _ = writeln!(
                s,
                "{} works the AI profile `{}` rejects were left out (counted in works read)",
                r.works_filtered, m.ai_profile
            );
        }
        if !r.papers_left_out.is_empty() {
            let by: Vec<String> = r
                .papers_left_out
                .iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect();
            let _ = writeln!(
                s,
                "{} papers left out by their decision ({}): --decisions chooses which are kept",
                r.papers_left_out.values().sum::<u64>(),
                by.join(", ")
            );
        }
        if r.affiliations_looked_up > 0 {
            let _ = writeln!(
                s,
                "{} authorships of paper lists got institutions or countries by name from the lists that normalise them (affiliations written out, or a country index that fits no reading)",
                r.affiliations_looked_up
            );
        }
        if r.authors_matched_by_name > 0 {
            let _ = writeln!(
                s,
                "approximate: {} authorships of paper lists have an author matched by name (--match-names): two people of one name are one, and every career built on them says so",
                r.authors_matched_by_name
            );
        }
        if r.author_ids_left_out > 0 {
            let _ = writeln!(
                s,
                "{} author ids of the paper lists are not stable ids (names, ACL Anthology slugs, an id several authors of a paper share): those authorships have no author, and no career",
                r.author_ids_left_out
            );
        }
        if r.other_entities > 0 {
            let _ = writeln!(
                s,
                "{} other OpenAlex entities (sources, topics, …) ignored",
                r.other_entities
            );
        }
        let total = m.bad.total();
        if total > 0 {
            let by: Vec<String> = m
                .bad
                .counts
                .iter()
                .map(|(k, v)| format!("{} {v}", k.as_str()))
                .collect();
            let _ = writeln!(
                s,
                "bad input: {total} ({}); the good records around them were kept",
                by.join(", ")
            );
            for b in m.bad.records.iter().take(shown_problems) {
                let _ = writeln!(s, "  {b}");
            }
            if total as usize > shown_problems {
                let _ = writeln!(
                    s,
                    "  … all counted in manifest.json (first {} listed there)",
                    bad::KEPT_EXAMPLES
                );
            }
        }
        for w in &m.warnings {
            let _ = writeln!(s, "warning: {w}");
        }
        s
    }
}

/// Per-file record counts, filled by the parser threads.
#[derive(Default)]
struct FileCounts {
    works: AtomicU64,
    authors: AtomicU64,
    institutions: AtomicU64,
    other: AtomicU64,
}

/// What a parser thread leaves behind.
#[derive(Default)]
struct ParserResult {
    institutions: HashMap<String, Institution>,
    works_read: u64,
    works_filtered: u64,
    papers_left_out: std::collections::BTreeMap<String, u64>,
    author_ids_left_out: u64,
    affiliations_looked_up: u64,
    authors_matched_by_name: u64,
    /// Whether a paper list was read (its e-mail ids need the salt).
    papers: bool,
    authors_read: u64,
    duplicates: u64,
    max_updated: Option<String>,
}

/// Run an ingest: check the output, read and parse every input into
/// parts ([`read_inputs`]), then deduplicate, compute the steps over all
/// works and publish the dataset with its manifest ([`finish`]).
pub fn ingest(opts: &IngestOptions) -> Result<IngestReport> {
    let started = std::time::Instant::now();
    let files = input::discover(&opts.inputs)?;
    let manifests = input::snapshot_manifests(&opts.inputs)?;
    // Held until the dataset is in place: one writer at a time.
    let _lock = crate::dataset::lock_for_writing(&opts.out, writer(opts))?;
    let existing = existing_dataset(opts)?;
    let tmp = finalize::temp_dir(&opts.out)?;
    for table in Table::ALL {
        std::fs::create_dir_all(tmp.join(table.name()))?;
    }
    let (first_part, file_offset) = match &existing {
        Some(m) => {
            finalize::link_existing(&opts.out, &tmp)?;
            (m.next_part, m.inputs.len())
        }
        None => (0, 0),
    };
    let id_salt = existing
        .as_ref()
        .and_then(|m| m.id_salt.clone())
        .or_else(|| opts.id_salt.clone())
        .unwrap_or_else(new_salt);
    let read =
        read_inputs(opts, &files, &tmp, first_part, file_offset, &id_salt).inspect_err(|_| {
            let _ = std::fs::remove_dir_all(&tmp);
        })?;
    finish(opts, &files, &manifests, existing, &tmp, read, started)
}

/// What an ingest is, for the lock file: the other writers' messages name it.
fn writer(opts: &IngestOptions) -> &'static str {
    match (opts.append, opts.force) {
        (true, _) => "ingest --append",
        (_, true) => "ingest --force",
        _ => "ingest",
    }
}

/// A new salt for hashed e-mail ids: 16 random bytes, hex.
fn new_salt() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The AI profile a dataset is filtered by, as the manifest records it.
fn ai_label(opts: &IngestOptions) -> String {
    opts.ai
        .as_ref()
        .map_or_else(|| "all".to_string(), |p| p.label())
}

/// The dataset at `--out` that an `--append` adds to; an error when there
/// is one and neither `--append` nor `--force` says what to do, or when it
/// was filtered by another AI profile.
fn existing_dataset(opts: &IngestOptions) -> Result<Option<Manifest>> {
    let out = &opts.out;
    let existing = if out.exists() {
        if opts.append {
            Some(Manifest::read(out).context("--append needs a complete dataset")?)
        } else if opts.force {
            None
        } else {
            bail!(
                "`{}` already exists: add --append to add these inputs to it, or --force to replace it",
                out.display()
            );
        }
    } else {
        None
    };
    let ai_profile = ai_label(opts);
    if let Some(m) = &existing
        && m.ai_profile != ai_profile
    {
        bail!(
            "`{}` was ingested with AI profile `{}`: append with the same --ai (this run: `{ai_profile}`)",
            out.display(),
            m.ai_profile
        );
    }
    Ok(existing)
}

/// What reading the inputs left behind.
struct Read {
    /// Each file's reading statistics, by file index.
    stats: Vec<(usize, reader::FileStats)>,
    /// What each parser thread saw.
    results: Vec<ParserResult>,
    /// Record counts per file.
    counts: Vec<FileCounts>,
    bad: BadLog,
    /// The next part number.
    next_part: u64,
    /// The salt the e-mail author ids were hashed with.
    id_salt: String,
}

/// The threads to use: `opts.threads`, or one per core.
fn threads(opts: &IngestOptions) -> usize {
    if opts.threads == 0 {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    } else {
        opts.threads
    }
}

/// A progress bar over the inputs' bytes, if asked for.
fn progress_bar(opts: &IngestOptions, files: &[input::InputFile]) -> Option<ProgressBar> {
    opts.progress.then(|| {
        let total: u64 = files.iter().map(|f| f.size).sum();
        let bar = ProgressBar::new(total);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} ingest [{elapsed_precise}] {wide_bar} {binary_bytes}/{binary_total_bytes} ({binary_bytes_per_sec}, eta {eta})",
            )
            .expect("valid template"),
        );
        bar
    })
}

/// Read every input with reader threads that cut them into chunks of whole
/// lines, and parse the chunks with parser threads that write the parts
/// into `tmp`.
fn read_inputs(
    opts: &IngestOptions,
    files: &[input::InputFile],
    tmp: &Path,
    first_part: u64,
    file_offset: usize,
    id_salt: &str,
) -> Result<Read> {
    let threads = threads(opts);
    let gazetteer = gazetteer(opts, files, id_salt);
    let gazetteer = gazetteer.as_ref();
    let progress = progress_bar(opts, files);
    let bad = BadLog::default();
    let counts: Vec<FileCounts> = files.iter().map(|_| FileCounts::default()).collect();
    let next_file = AtomicUsize::new(0);
    let next_part = AtomicU64::new(first_part);
    let (tx, rx) = mpsc::sync_channel::<Chunk>(threads * 2);
    let rx = Arc::new(Mutex::new(rx));
    let pool = reader::BufferPool::default();
    let readers = threads.min(files.len()).max(1);
    let paths: Vec<&Path> = files.iter().map(|f| f.path.as_path()).collect();

    let (stats, results) = std::thread::scope(|s| -> Result<_> {
        let mut reader_handles = Vec::new();
        for _ in 0..readers {
            let tx = tx.clone();
            let (files, next_file, bad, pool, progress) =
                (files, &next_file, &bad, &pool, progress.clone());
            reader_handles.push(s.spawn(move || {
                let mut stats = Vec::new();
                loop {
                    let i = next_file.fetch_add(1, Ordering::Relaxed);
                    let Some(f) = files.get(i) else { break };
                    let st = reader::read_file(
                        i,
                        &f.path,
                        opts.limits,
                        bad,
                        pool,
                        progress.clone(),
                        &mut |c| tx.send(c).map_err(|_| ()),
                    );
                    stats.push((i, st));
                }
                stats
            }));
        }
        drop(tx);
        let mut parser_handles = Vec::new();
        for _ in 0..threads {
            let rx = Arc::clone(&rx);
            let (tmp, bad, counts, next_part, paths, pool) =
                (tmp, &bad, &counts, &next_part, &paths, &pool);
            parser_handles.push(s.spawn(move || -> Result<ParserResult> {
                let mut p = Parser {
                    root: tmp,
                    bad,
                    counts,
                    next_part,
                    paths,
                    file_offset,
                    part_rows: opts.part_rows.max(1),
                    max_line_bytes: opts.limits.max_line_bytes,
                    ai: opts.ai.as_deref(),
                    derive: opts.derive,
                    format: opts.format,
                    decisions: &opts.decisions,
                    lookup: paperlists::Lookup {
                        salt: id_salt,
                        gazetteer,
                        match_names: opts.match_names,
                    },
                    works: WorkBuffer::default(),
                    authors: AuthorBuffer::default(),
                    result: ParserResult::default(),
                };
                loop {
                    let chunk = {
                        let rx = rx.lock().expect("chunk queue poisoned");
                        rx.recv()
                    };
                    let Ok(chunk) = chunk else { break };
                    p.chunk(&chunk)?;
                    pool.give(chunk.data);
                }
                p.flush_all()?;
                Ok(p.result)
            }));
        }
        let mut results = Vec::new();
        let mut first_err = None;
        for h in parser_handles {
            match h.join().expect("parser thread panicked") {
                Ok(r) => results.push(r),
                Err(e) => first_err = first_err.or(Some(e)),
            }
        }
        if let Some(e) = first_err {
            // Unblock readers still sending, then report.
            drop(rx);
            for h in reader_handles {
                let _ = h.join();
            }
            return Err(e);
        }
        let mut stats = Vec::new();
        for h in reader_handles {
            stats.extend(h.join().expect("reader thread panicked"));
        }
        stats.sort_by_key(|(i, _)| *i);
        Ok((stats, results))
    })?;
    if let Some(bar) = &progress {
        bar.finish_and_clear();
    }
    Ok(Read {
        stats,
        results,
        counts,
        bad,
        next_part: next_part.load(Ordering::Relaxed),
        id_salt: id_salt.to_string(),
    })
}

/// The institutions and countries the paper lists among `files` give by
/// name ([`paperlists::Gazetteer`]), for the lists that write affiliations
/// out: a first pass over every file that holds one JSON array of papers.
/// None when the inputs are OpenAlex records or name no institution.
fn gazetteer(
    opts: &IngestOptions,
    files: &[input::InputFile],
    id_salt: &str,
) -> Option<paperlists::Gazetteer> {
    if opts.format == Format::OpenAlex {
        return None;
    }
    let with = paperlists::Lookup {
        salt: id_salt,
        ..paperlists::Lookup::default()
    };
    let ignored = BadLog::default();
    let pool = reader::BufferPool::default();
    let next = AtomicUsize::new(0);
    // One gazetteer per thread over the files it takes, merged.
    let learn = || {
        let mut g = paperlists::Gazetteer::default();
        while let Some(f) = files.get(next.fetch_add(1, Ordering::Relaxed)) {
            if opts.format == Format::Auto && !reader::starts_with_array(&f.path) {
                continue;
            }
            let file = paperlists::ListFile::of(&f.path);
            reader::read_file(
                0,
                &f.path,
                opts.limits,
                &ignored,
                &pool,
                None,
                &mut |chunk| {
                    let mut lines = reader::lines(&chunk.data)
                        .map(<[u8]>::trim_ascii)
                        .filter(|l| !l.is_empty())
                        .peekable();
                    if opts.format == Format::Auto
                        && !lines
                            .peek()
                            .is_some_and(|l| paperlists::looks_like_paper(l))
                    {
                        return Ok(());
                    }
                    for (n, line) in lines.enumerate() {
                        // Only the papers that name institutions with countries
                        // teach anything.
                        if let Ok(raw) = parse_line::<paperlists::RawPaper>(line)
                            && raw.aff_unique_norm.is_some()
                            && raw.aff_country_unique.is_some()
                            && let Ok(paper) =
                                paperlists::normalize(raw, &file, n as u64 + 1, &with, 0)
                        {
                            g.learn(&paper);
                        }
                    }
                    Ok(())
                },
            );
        }
        g
    };
    let mut g = paperlists::Gazetteer::default();
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads(opts)).map(|_| s.spawn(learn)).collect();
        for h in handles {
            g.merge(h.join().expect("gazetteer thread panicked"));
        }
    });
    (!g.is_empty()).then_some(g)
}

/// Merge what the parser threads saw, deduplicate across parts, compute
/// the steps over all works, write the manifest and put the dataset in
/// place (or, under `--strict` with bad input, leave it unwritten).
fn finish(
    opts: &IngestOptions,
    files: &[input::InputFile],
    manifests: &input::ManifestCheck,
    existing: Option<Manifest>,
    tmp: &Path,
    read: Read,
    started: std::time::Instant,
) -> Result<IngestReport> {
    let Read {
        stats,
        results,
        counts,
        bad,
        next_part,
        id_salt,
    } = read;
    let out = &opts.out;
    let ai_profile = ai_label(opts);
    // Merge what the parsers saw.
    let mut institutions: HashMap<String, Institution> = HashMap::new();
    let mut records = RecordCounts::default();
    let mut in_part_duplicates = 0;
    let mut max_updated: Option<String> = None;
    let mut papers = existing.as_ref().is_some_and(|m| m.id_salt.is_some());
    for r in results {
        papers |= r.papers;
        records.works_read += r.works_read;
        records.works_filtered += r.works_filtered;
        records.authors_read += r.authors_read;
        records.author_ids_left_out += r.author_ids_left_out;
        records.affiliations_looked_up += r.affiliations_looked_up;
        records.authors_matched_by_name += r.authors_matched_by_name;
        for (k, v) in r.papers_left_out {
            *records.papers_left_out.entry(k).or_default() += v;
        }
        in_part_duplicates += r.duplicates;
        max_updated = max_updated.max(r.max_updated);
        for (_, inst) in r.institutions {
            inst.keep_in(&mut institutions);
        }
    }

    let (inputs, warnings) = input_records(
        files,
        manifests,
        existing.as_ref(),
        &stats,
        &counts,
        &mut records,
    );
    let snapshot_date = files
        .iter()
        .filter_map(|f| {
            f.path
                .to_str()?
                .split("updated_date=")
                .nth(1)
                .map(|rest| rest.chars().take(10).collect::<String>())
        })
        .max()
        .or_else(|| max_updated.map(|d| d.chars().take(10).collect()))
        .max(existing.as_ref().and_then(|m| m.snapshot_date.clone()));

    // The last steps read the whole dataset (a few seconds per million
    // works): say so rather than sit silent after the bar.
    let finishing = opts.progress.then(|| {
        let spinner = ProgressBar::new_spinner();
        spinner.set_style(
            ProgressStyle::with_template("{spinner} ingest [{elapsed_precise}] {msg}")
                .expect("valid template"),
        );
        spinner.set_message("finishing: duplicates, careers, lineage roots");
        spinner.enable_steady_tick(std::time::Duration::from_millis(120));
        spinner
    });
    let fin = finalize::finalize(tmp, institutions, existing.as_ref().is_some());
    if let Some(spinner) = finishing {
        spinner.finish_and_clear();
    }
    let fin = fin?;
    let old = existing
        .as_ref()
        .map(|m| m.records.clone())
        .unwrap_or_default();
    records.works_read += old.works_read;
    records.works_filtered += old.works_filtered;
    records.authors_read += old.authors_read;
    records.institution_entities_read += old.institution_entities_read;
    records.other_entities += old.other_entities;
    records.author_ids_left_out += old.author_ids_left_out;
    records.affiliations_looked_up += old.affiliations_looked_up;
    records.authors_matched_by_name += old.authors_matched_by_name;
    for (k, v) in old.papers_left_out {
        *records.papers_left_out.entry(k).or_default() += v;
    }
    records.duplicates_dropped =
        old.duplicates_dropped + in_part_duplicates + fin.duplicates_dropped;
    records.works = fin.rows[Table::Works.name()];
    records.authors = fin.rows[Table::Authors.name()];
    records.institutions = fin.rows[Table::Institutions.name()];

    let mut bad = bad.summary();
    if let Some(m) = &existing {
        for (k, v) in &m.bad.counts {
            *bad.counts.entry(*k).or_default() += v;
        }
        let mut all = m.bad.records.clone();
        all.extend(bad.records);
        all.truncate(bad::KEPT_EXAMPLES);
        bad.records = all;
    }
    let new_bad = bad.total() > existing.as_ref().map_or(0, |m| m.bad.total());
    let manifest = Manifest {
        format: manifest::FORMAT.to_string(),
        schema_version: crate::dataset::SCHEMA_VERSION,
        tool: "talentchain".into(),
        tool_version: env!("CARGO_PKG_VERSION").into(),
        created: manifest::now_rfc3339(),
        ai_profile,
        snapshot_date,
        inputs,
        records,
        tables: fin.rows,
        bad,
        warnings,
        next_part,
        id_salt: Some(id_salt).filter(|_| papers),
    };
    let elapsed = started.elapsed();
    if opts.strict && new_bad {
        std::fs::remove_dir_all(tmp)?;
        return Ok(IngestReport {
            manifest,
            published: false,
            elapsed,
        });
    }
    manifest.write(tmp)?;
    finalize::publish(tmp, out)?;
    Ok(IngestReport {
        manifest,
        published: true,
        elapsed,
    })
}

/// The manifest's inputs (an append's earlier ones first) and warnings
/// (snapshot manifests that disagree with what was read), from what each
/// file gave; adds the entities read to `records`.
fn input_records(
    files: &[input::InputFile],
    manifests: &input::ManifestCheck,
    existing: Option<&Manifest>,
    stats: &[(usize, reader::FileStats)],
    counts: &[FileCounts],
    records: &mut RecordCounts,
) -> (Vec<InputRecord>, Vec<String>) {
    let mut inputs: Vec<InputRecord> = existing.map(|m| m.inputs.clone()).unwrap_or_default();
    let mut warnings = existing.map(|m| m.warnings.clone()).unwrap_or_default();
    for (i, st) in stats {
        let c = &counts[*i];
        inputs.push(InputRecord {
            path: files[*i].path.display().to_string(),
            bytes: st.bytes,
            text_bytes: st.text_bytes,
            sha256: st.sha256.clone(),
            gzip: st.gzip,
            lines: st.lines,
            complete: st.complete,
            works: c.works.load(Ordering::Relaxed),
            authors: c.authors.load(Ordering::Relaxed),
            institutions: c.institutions.load(Ordering::Relaxed),
            other: c.other.load(Ordering::Relaxed),
        });
        records.institution_entities_read += c.institutions.load(Ordering::Relaxed);
        records.other_entities += c.other.load(Ordering::Relaxed);
    }
    for (path, expected) in &manifests.expected {
        if let Some((i, _)) = files.iter().enumerate().find(|(_, f)| &f.path == path) {
            let c = &counts[i];
            let got = c.works.load(Ordering::Relaxed)
                + c.authors.load(Ordering::Relaxed)
                + c.institutions.load(Ordering::Relaxed)
                + c.other.load(Ordering::Relaxed);
            if got != *expected {
                warnings.push(format!(
                    "{}: the snapshot manifest lists {expected} records, {got} were read",
                    path.display()
                ));
            }
        }
    }
    for missing in &manifests.missing {
        warnings.push(format!(
            "{missing}: listed in a snapshot manifest but not found"
        ));
    }

    (inputs, warnings)
}

/// Parse one line. A line that is valid UTF-8 as a whole (nearly always) is
/// parsed as text, so serde_json does not validate each string again.
fn parse_line<'a, T: serde::Deserialize<'a>>(line: &'a [u8]) -> serde_json::Result<T> {
    match std::str::from_utf8(line) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(line),
    }
}

/// The bad-input reason of an implausible value.
fn implausible(reason: plausible::Reason) -> Reason {
    match reason {
        plausible::Reason::ImplausibleYear => Reason::ImplausibleYear,
        plausible::Reason::NegativeCount => Reason::NegativeCount,
        plausible::Reason::BadDate => Reason::BadDate,
        plausible::Reason::BadCountry => Reason::BadCountry,
    }
}

/// The bad-input reason of a paper that does not fit.
fn misfit(reason: paperlists::Reason) -> Reason {
    match reason {
        paperlists::Reason::MissingTitle => Reason::MissingTitle,
        paperlists::Reason::MismatchedLists => Reason::MismatchedLists,
        paperlists::Reason::IndexOutOfRange => Reason::IndexOutOfRange,
        paperlists::Reason::UnmappedCountry => Reason::UnmappedCountry,
    }
}

/// One parser thread's state.
struct Parser<'a> {
    root: &'a Path,
    bad: &'a BadLog,
    counts: &'a [FileCounts],
    next_part: &'a AtomicU64,
    paths: &'a [&'a Path],
    file_offset: usize,
    part_rows: usize,
    max_line_bytes: usize,
    ai: Option<&'a Profile>,
    derive: parts::Derive,
    format: Format,
    decisions: &'a [Decision],
    lookup: paperlists::Lookup<'a>,
    works: WorkBuffer,
    authors: AuthorBuffer,
    result: ParserResult,
}

/// Bytes of buffered works after which a part is written whatever its row
/// count.
const PART_BYTES: usize = 48 << 20;

impl Parser<'_> {
    fn chunk(&mut self, chunk: &Chunk) -> Result<()> {
        let papers = match self.format {
            Format::PaperLists => true,
            Format::OpenAlex => false,
            Format::Auto => {
                chunk.elements
                    && reader::lines(&chunk.data)
                        .map(<[u8]>::trim_ascii)
                        .find(|l| !l.is_empty())
                        .is_some_and(paperlists::looks_like_paper)
            }
        };
        if papers {
            return self.papers(chunk);
        }
        for (k, line) in reader::lines(&chunk.data).enumerate() {
            let n = chunk.first_line + k as u64;
            let line = line.trim_ascii();
            if line.is_empty() {
                continue;
            }
            if line.len() > self.max_line_bytes {
                let detail = format!(
                    "line of {} bytes skipped (limit {})",
                    line.len(),
                    self.max_line_bytes
                );
                self.report(chunk, n, Reason::LineTooLong, &detail);
                continue;
            }
            let order = (((self.file_offset + chunk.file) as i64) << 40) | ((n as i64) << 12);
            if let Some(profile) = self.ai
                && self.probe_rejects(profile, line, order)
            {
                self.count_filtered(chunk);
                continue;
            }
            match parse_line::<record::RawRecord>(line) {
                Ok(rec) => self.record(rec, chunk, n, order, line.len())?,
                Err(e) => self.report(chunk, n, Reason::MalformedJson, &e.to_string()),
            }
        }
        Ok(())
    }

    /// The papers of a paper list ([`paperlists::normalize`]), each a line
    /// of the chunk.
    fn papers(&mut self, chunk: &Chunk) -> Result<()> {
        let file = paperlists::ListFile::of(self.paths[chunk.file]);
        self.result.papers = true;
        for (k, line) in reader::lines(&chunk.data).enumerate() {
            let n = chunk.first_line + k as u64;
            let line = line.trim_ascii();
            if line.is_empty() {
                continue;
            }
            let order = (((self.file_offset + chunk.file) as i64) << 40) | ((n as i64) << 12);
            let raw = match parse_line::<paperlists::RawPaper>(line) {
                Ok(raw) => raw,
                Err(e) => {
                    self.report(chunk, n, Reason::MalformedJson, &e.to_string());
                    continue;
                }
            };
            let paper = match paperlists::normalize(raw, &file, n, &self.lookup, order) {
                Ok(paper) => paper,
                Err(problem) => {
                    self.report(chunk, n, misfit(problem.reason), &problem.detail);
                    continue;
                }
            };
            for problem in &paper.problems {
                self.report(chunk, n, misfit(problem.reason), &problem.detail);
            }
            self.counts[chunk.file]
                .works
                .fetch_add(1, Ordering::Relaxed);
            self.result.works_read += 1;
            if !self.decisions.contains(&paper.decision) {
                *self
                    .result
                    .papers_left_out
                    .entry(paper.decision.as_str().to_string())
                    .or_default() += 1;
                continue;
            }
            if self
                .ai
                .is_some_and(|p| p.status_of(&paper.work) == Status::Rejected)
            {
                self.result.works_filtered += 1;
                continue;
            }
            self.result.author_ids_left_out += paper.ids_left_out;
            self.result.affiliations_looked_up += paper.looked_up;
            self.result.authors_matched_by_name += paper.matched_by_name;
            for inst in paper.institutions {
                inst.keep_in(&mut self.result.institutions);
            }
            self.push_work(paper.work, line.len())?;
        }
        Ok(())
    }

    /// Buffer a work kept, writing a part when the buffer is full.
    fn push_work(&mut self, w: crate::model::Work, bytes: usize) -> Result<()> {
        self.works.push(w, bytes);
        if self.works.len() >= self.part_rows || self.works.bytes >= PART_BYTES {
            let n = self.next_part.fetch_add(1, Ordering::Relaxed);
            self.result.duplicates += self.works.write(self.root, n, self.derive)?;
        }
        Ok(())
    }

    /// Count a work read and left out by the AI profile.
    fn count_filtered(&mut self, chunk: &Chunk) {
        self.counts[chunk.file]
            .works
            .fetch_add(1, Ordering::Relaxed);
        self.result.works_read += 1;
        self.result.works_filtered += 1;
    }

    /// Skip fast: whether `line` is a work `profile` rejects, from a parse
    /// of only the fields the profile reads (anything else, including a
    /// line that does not parse, goes on to the full parse).
    fn probe_rejects(&self, profile: &Profile, line: &[u8], order: i64) -> bool {
        let Ok(probe) = parse_line::<record::ProbeRecord>(line) else {
            return false;
        };
        let is_work = probe.id.as_deref().is_some_and(|id| {
            record::entity_kind(record::short_id(id)) == Some(record::EntityKind::Work)
        });
        if !is_work {
            return false;
        }
        let work = normalize::probe_work(probe, order);
        profile.status_of(&work) == Status::Rejected
    }

    fn report(&self, chunk: &Chunk, line: u64, reason: Reason, detail: &str) {
        let path = self.paths[chunk.file];
        let detail = if chunk.elements {
            format!("entity {line} of the document: {detail}")
        } else {
            detail.to_string()
        };
        self.bad
            .report(path, if chunk.elements { 0 } else { line }, reason, &detail);
    }

    fn record(
        &mut self,
        mut rec: record::RawRecord<'_>,
        chunk: &Chunk,
        line: u64,
        order: i64,
        bytes: usize,
    ) -> Result<()> {
        if rec.id.is_none()
            && let Some(results) = rec.results.take()
        {
            // An API list page on one line.
            for (k, r) in results.into_iter().enumerate() {
                self.entity(r, chunk, line, order | (k as i64 & 0xfff), bytes)?;
            }
            return Ok(());
        }
        self.entity(rec, chunk, line, order, bytes)
    }

    fn entity(
        &mut self,
        rec: record::RawRecord<'_>,
        chunk: &Chunk,
        line: u64,
        order: i64,
        bytes: usize,
    ) -> Result<()> {
        let counts = &self.counts[chunk.file];
        // The institutions seen in the record count once it is kept.
        let mut seen_in_record = Vec::new();
        let mut entity = normalize::normalize(rec, order, &mut |inst| seen_in_record.push(inst));
        if let Ok(Entity::Work(w)) = &entity {
            // Works of API pages reach here without the probe.
            if self.ai.is_some_and(|p| p.status_of(w) == Status::Rejected) {
                self.count_filtered(chunk);
                return Ok(());
            }
        }
        // Implausible values are cleared and reported; the record is kept.
        let mut findings = plausible::Findings::default();
        match &mut entity {
            Ok(Entity::Work(w)) => plausible::work(w, &mut findings),
            Ok(Entity::Author(a)) => plausible::author(a, &mut findings),
            Ok(Entity::Institution(i)) => plausible::institution(i, &mut findings),
            Err(_) => {}
        }
        for inst in &mut seen_in_record {
            plausible::country(&mut inst.country, &mut findings);
        }
        for (reason, detail) in findings.items() {
            self.report(chunk, line, implausible(reason), &detail);
        }
        for inst in seen_in_record {
            inst.keep_in(&mut self.result.institutions);
        }
        match entity {
            Ok(Entity::Work(w)) => {
                counts.works.fetch_add(1, Ordering::Relaxed);
                self.result.works_read += 1;
                if let Some(d) = &w.updated_date
                    && self.result.max_updated.as_ref().is_none_or(|m| d > m)
                {
                    self.result.max_updated = Some(d.clone());
                }
                self.push_work(w, bytes)?;
            }
            Ok(Entity::Author(a)) => {
                counts.authors.fetch_add(1, Ordering::Relaxed);
                self.result.authors_read += 1;
                self.authors.authors.push(a);
                if self.authors.len() >= self.part_rows * 2 {
                    let n = self.next_part.fetch_add(1, Ordering::Relaxed);
                    self.authors.write(self.root, n)?;
                }
            }
            Ok(Entity::Institution(i)) => {
                counts.institutions.fetch_add(1, Ordering::Relaxed);
                i.keep_in(&mut self.result.institutions);
            }
            Err(Rejection::OtherEntity) => {
                counts.other.fetch_add(1, Ordering::Relaxed);
            }
            Err(Rejection::MissingId) => {
                self.report(chunk, line, Reason::MissingId, "record has no `id`")
            }
            Err(Rejection::BadId) => self.report(
                chunk,
                line,
                Reason::BadId,
                "`id` is not an OpenAlex W/A/I id",
            ),
        }
        Ok(())
    }

    fn flush_all(&mut self) -> Result<()> {
        if !self.works.is_empty() {
            let n = self.next_part.fetch_add(1, Ordering::Relaxed);
            self.result.duplicates += self.works.write(self.root, n, self.derive)?;
        }
        if !self.authors.is_empty() {
            let n = self.next_part.fetch_add(1, Ordering::Relaxed);
            self.authors.write(self.root, n)?;
        }
        Ok(())
    }
}

/// What [`inflate_only`] measured.
#[derive(Debug, Clone, Copy)]
pub struct InflateReport {
    /// Files read.
    pub files: usize,
    /// Bytes read from disk.
    pub bytes: u64,
    /// Bytes of JSON after inflating.
    pub text_bytes: u64,
    /// Lines read.
    pub lines: u64,
    /// How long it took.
    pub elapsed: std::time::Duration,
}

/// The physical limit of an ingest: read and inflate the inputs with the
/// same reader code, threads and chunking as [`ingest`], and drop the chunks
/// unparsed. Benchmarks compare ingest's throughput with this.
pub fn inflate_only(
    inputs: &[PathBuf],
    threads: usize,
    limits: ReadLimits,
) -> Result<InflateReport> {
    let started = std::time::Instant::now();
    let files = input::discover(inputs)?;
    let threads = if threads == 0 {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    } else {
        threads
    };
    let bad = BadLog::default();
    let next_file = AtomicUsize::new(0);
    let (tx, rx) = mpsc::sync_channel::<Chunk>(threads * 2);
    let rx = Arc::new(Mutex::new(rx));
    let pool = reader::BufferPool::default();
    let stats = std::thread::scope(|s| {
        let readers: Vec<_> = (0..threads.min(files.len()).max(1))
            .map(|_| {
                let tx = tx.clone();
                let (files, next_file, bad, pool) = (&files, &next_file, &bad, &pool);
                s.spawn(move || {
                    let mut out = Vec::new();
                    while let Some(f) = files.get(next_file.fetch_add(1, Ordering::Relaxed)) {
                        out.push(reader::read_file(
                            0,
                            &f.path,
                            limits,
                            bad,
                            pool,
                            None,
                            &mut |c| tx.send(c).map_err(|_| ()),
                        ));
                    }
                    out
                })
            })
            .collect();
        drop(tx);
        for _ in 0..threads {
            let rx = Arc::clone(&rx);
            let pool = &pool;
            s.spawn(move || {
                while let Ok(c) = rx.lock().expect("chunk queue poisoned").recv() {
                    pool.give(c.data);
                }
            });
        }
        readers
            .into_iter()
            .flat_map(|h| h.join().expect("reader thread panicked"))
            .collect::<Vec<_>>()
    });
    Ok(InflateReport {
        files: files.len(),
        bytes: stats.iter().map(|s| s.bytes).sum(),
        text_bytes: stats.iter().map(|s| s.text_bytes).sum(),
        lines: stats.iter().map(|s| s.lines).sum(),
        elapsed: started.elapsed(),
    })
}
