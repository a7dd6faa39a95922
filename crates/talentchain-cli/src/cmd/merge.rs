//! `talentchain merge SHARD... --out DATASET`

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use talentchain::ingest::merge::merge;

/// Merge datasets ingested separately (shards) into one.
///
/// Ingest a snapshot on several machines at once — one `talentchain ingest`
/// per partition or group of files — then merge the shards. Shards are taken
/// in the order given, as if their inputs had been read in one run in that
/// order: a work in several shards keeps its latest copy (equal or missing
/// dates: the copy of the later shard). The result is exactly the dataset of
/// one run over all the inputs.
#[derive(clap::Args)]
#[command(
    after_help = "Example:\n  for p in works/updated_date=*; do talentchain ingest \"$p\" --out \"shards/$(basename $p).tcd\"; done\n  talentchain merge shards/*.tcd --out openalex.tcd"
)]
pub struct Args {
    /// The shard datasets, in input order.
    #[arg(required = true, value_name = "SHARD")]
    shards: Vec<PathBuf>,
    /// The dataset folder to write.
    #[arg(long, short, value_name = "DATASET")]
    out: PathBuf,
    /// Replace an existing dataset.
    #[arg(long)]
    force: bool,
    /// No progress display.
    #[arg(long, short)]
    quiet: bool,
}

pub fn run(args: Args) -> Result<()> {
    // A merge of large shards runs for minutes (it recomputes the tables
    // that span all works): show that it is alive.
    let spinner = (!args.quiet && std::io::stderr().is_terminal()).then(|| {
        let s = ProgressBar::new_spinner();
        s.set_style(
            ProgressStyle::with_template("{spinner} merge [{elapsed_precise}] {msg}")
                .expect("valid template"),
        );
        s.set_message(format!(
            "{} shards: parts, duplicates, careers, lineage roots",
            args.shards.len()
        ));
        s.enable_steady_tick(std::time::Duration::from_millis(120));
        s
    });
    let report = merge(&args.shards, &args.out, args.force);
    if let Some(s) = spinner {
        s.finish_and_clear();
    }
    let report = report?;
    let r = &report.manifest.records;
    eprintln!(
        "{} works ({} read, {} duplicate copies dropped), {} authors, {} institutions from {} shards and {} input files in {:.1}s",
        r.works,
        r.works_read,
        r.duplicates_dropped,
        r.authors,
        r.institutions,
        args.shards.len(),
        report.manifest.inputs.len(),
        report.elapsed.as_secs_f64()
    );
    if !args.quiet {
        eprintln!("dataset written to {}", args.out.display());
    }
    Ok(())
}
