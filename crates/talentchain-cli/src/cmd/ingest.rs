//! `talentchain ingest INPUT... --out DATASET`

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use talentchain::ingest::{IngestOptions, ingest, reader::ReadLimits};
use talentchain::sources::paperlists::Decision;

/// Read OpenAlex works, authors and institutions, or conferences' paper
/// lists, into a columnar dataset.
///
/// INPUT: files or folders of OpenAlex records: JSON Lines (.jsonl, .json,
/// .gz), snapshot folders (works/updated_date=YYYY-MM-DD/part_NNN.gz, with or
/// without a manifest) and API list pages ({"meta":…,"results":[…]}). The
/// kind of each record comes from its id (W…, A…, I…). Or paper lists (one
/// JSON array of papers per venue-year file, `nips2018.json.gz`: Paper
/// Copilot's paperlists), told from the content: each paper becomes a work
/// of source `paperlists`, with its venue and year from the file name; only
/// accepted papers are kept unless --decisions says otherwise. Both can go
/// into one dataset; `--source` and `--venue` then choose what a metric
/// reads.
///
/// Bad input never stops the run: malformed lines, records without an id,
/// truncated gzip files, empty files and over-long lines are counted by
/// reason and listed with file and line; the good records around them are
/// kept. The dataset appears only when complete.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  talentchain ingest openalex-snapshot/data/works --out ai.tcd\n  talentchain ingest page1.json page2.json authors.jsonl.gz --out ai.tcd --append\n  talentchain ingest openalex-snapshot/data/works --out ai.tcd --ai concepts   # keep AI works only\n  talentchain ingest paperlists/ --out venues.tcd   # conference paper lists, accepted papers\n  talentchain ingest paperlists/iclr --out iclr.tcd --decisions accepted,rejected,withdrawn"
)]
pub struct Args {
    /// Files or folders to read.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// The dataset folder to write.
    #[arg(long, short, value_name = "DATASET")]
    out: PathBuf,
    /// Add the inputs to an existing dataset (the old inputs are not read
    /// again; a work read twice still keeps its latest copy).
    #[arg(long, conflicts_with = "force")]
    append: bool,
    /// Replace an existing dataset.
    #[arg(long)]
    force: bool,
    /// Fail (exit 1, no dataset written) on any bad input.
    #[arg(long)]
    strict: bool,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', default_value_t = 0)]
    threads: usize,
    /// Skip (and report) lines longer than this many bytes.
    #[arg(long, default_value_t = 32 << 20, value_name = "BYTES")]
    max_line_bytes: usize,
    /// Works per Parquet part file (bounds memory per thread).
    #[arg(long, default_value_t = 50_000, value_name = "N")]
    part_rows: usize,
    /// Keep only the works this AI profile (concepts, topics, venues, any,
    /// or a profile TOML file) selects or cannot tell: the others are
    /// rejected after a light parse, before their full record is built, and
    /// counted. Faster and smaller, but careers then see only the works kept.
    #[arg(long, value_name = "PROFILE")]
    ai: Option<String>,
    /// What the inputs are: `auto` tells a paper list (a JSON array of
    /// papers with an `author` text) from OpenAlex records by its content.
    #[arg(long, default_value = "auto", value_parser = ["auto", "openalex", "paperlists"])]
    format: String,
    /// The decisions of paper-list papers to keep, comma-separated:
    /// accepted (orals, spotlights, posters, Findings, and papers of lists
    /// without decisions), workshop, rejected, withdrawn, pending; or all.
    /// The others are counted and left out.
    #[arg(long, default_value = "accepted", value_name = "DECISIONS")]
    decisions: String,
    /// Give paper-list authors without a stable id (no OpenReview id, no
    /// e-mail address) the id of their name, so that they have careers.
    /// Two people of one name become one: every result on the dataset then
    /// notes that it is approximate. Off by default: people are never
    /// merged by name unless asked.
    #[arg(long)]
    match_names: bool,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
    /// Benchmark baseline: only read and inflate the inputs, with the same
    /// reader code and threads, and write nothing.
    #[arg(long, hide = true)]
    inflate_only: bool,
    /// Benchmark and check: compute each part's derived tables by their SQL
    /// definitions (`sql`) instead of the faster Rust path (`rust`).
    #[arg(long, hide = true, default_value = "rust", value_parser = ["rust", "sql"])]
    derive_by: String,
}

pub fn run(args: Args) -> Result<ExitCode> {
    if args.inflate_only {
        let limits = ReadLimits {
            max_line_bytes: args.max_line_bytes,
            ..ReadLimits::default()
        };
        let r = talentchain::ingest::inflate_only(&args.inputs, args.threads, limits)?;
        let secs = r.elapsed.as_secs_f64().max(1e-9);
        eprintln!(
            "inflated {} files: {} lines, {:.1} MB of JSON in {secs:.1}s ({:.1} MB/s); nothing written",
            r.files,
            r.lines,
            r.text_bytes as f64 / 1e6,
            r.text_bytes as f64 / 1e6 / secs
        );
        return Ok(ExitCode::SUCCESS);
    }
    let mut opts = IngestOptions::new(args.inputs, args.out.clone());
    opts.append = args.append;
    opts.force = args.force;
    opts.strict = args.strict;
    opts.threads = args.threads;
    opts.limits = ReadLimits {
        max_line_bytes: args.max_line_bytes,
        ..ReadLimits::default()
    };
    opts.part_rows = args.part_rows;
    opts.format = match args.format.as_str() {
        "openalex" => talentchain::ingest::Format::OpenAlex,
        "paperlists" => talentchain::ingest::Format::PaperLists,
        _ => talentchain::ingest::Format::Auto,
    };
    opts.decisions = parse_decisions(&args.decisions)?;
    opts.match_names = args.match_names;
    if args.derive_by == "sql" {
        opts.derive = talentchain::ingest::parts::Derive::Sql;
    }
    opts.progress = !args.quiet && std::io::stderr().is_terminal();
    if let Some(name) = &args.ai {
        opts.ai = Some(std::sync::Arc::new(talentchain::profile::Profile::load(
            name,
        )?));
    }
    let report = ingest(&opts)?;
    eprint!("{}", report.summary(10));
    if !report.published {
        eprintln!(
            "error: {} bad input records and --strict: `{}` was not written (run without --strict to keep the good records)",
            report.manifest.bad.total(),
            args.out.display()
        );
        return Ok(ExitCode::from(1));
    }
    if !args.quiet {
        eprintln!("dataset written to {}", args.out.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// `--decisions`: classes, comma-separated, or `all`.
fn parse_decisions(text: &str) -> Result<Vec<Decision>> {
    if text.trim().eq_ignore_ascii_case("all") {
        return Ok(Decision::ALL.to_vec());
    }
    let mut out = Vec::new();
    for name in text.split(',').filter(|s| !s.trim().is_empty()) {
        let d = Decision::parse(name).ok_or_else(|| {
            let known: Vec<&str> = Decision::ALL.iter().map(|d| d.as_str()).collect();
            anyhow::anyhow!(
                "--decisions: `{}` is not a decision class ({}, or all)",
                name.trim(),
                known.join(", ")
            )
        })?;
        if !out.contains(&d) {
            out.push(d);
        }
    }
    if out.is_empty() {
        anyhow::bail!("--decisions names no decision class");
    }
    Ok(out)
}
