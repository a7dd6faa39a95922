//! `talentchain tables`: the dataset's tables and their columns.

use std::path::PathBuf;

use anyhow::Result;
use talentchain::dataset::tables;
use talentchain::output::Format;

use super::query;

/// List the dataset's tables and their columns (usable in `talentchain sql`).
#[derive(clap::Args)]
pub struct Args {
    /// Output format: table, csv, json.
    #[arg(long, short, default_value = "table", value_parser = ["table", "csv", "json"])]
    format: String,
    /// Write to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<()> {
    let format: Format = args.format.parse()?;
    query::emit(&tables::run(), format, args.out.as_deref())
}
