//! `talentchain merge SHARD... --out DATASET`

use std::path::PathBuf;

use anyhow::Result;
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
}

pub fn run(args: Args) -> Result<()> {
    let report = merge(&args.shards, &args.out, args.force)?;
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
    eprintln!("dataset written to {}", args.out.display());
    Ok(())
}
