//! `talentchain claims`: published claims checked on the dataset, each a
//! verdict with its point estimate, its interval and its verdict across
//! the sensitivity grid.

use std::path::PathBuf;

use anyhow::{Context, Result};
use talentchain::claims::{self, Claims};
use talentchain::output::Format;
use talentchain::sensitivity::Grid;

use super::query::{self, QueryArgs, flag};

/// Check published claims on the dataset: supported, contradicted,
/// inconclusive (the interval straddles the line) or not computable (the
/// reason names what the dataset lacks).
///
/// Each claim of FILE (default: the eight of `claims/seed.toml`) reads its
/// statement as numbers of one metric's rows, with that metric's settings;
/// --ai, --from, --to and --top apply where a claim sets none. With --ci,
/// each number gets the interval of its own bootstrap replicates (works
/// resampled for output metrics, researchers for talent metrics), and the
/// verdict needs the whole interval on one side of the line. Each check
/// also runs under every definition of the sensitivity grid (AI profile ×
/// counting × highly-cited share).
///
/// Columns (the table shows the first, the verdict, the numbers, the
/// test, the definitions and the reason; CSV and JSON all): claim,check,claim_verdict,reading,verdict,point,lo,hi,test,
/// definitions,definitions_supporting,definitions_checked,reason,metric,
/// quantity,statement,published,source.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  talentchain claims --data ai.tcd\n  talentchain claims --data ai.tcd --ci 95 --format json\n  talentchain claims my-claims.toml --data ai.tcd --grid none"
)]
pub struct Args {
    /// A claims file (TOML: [[claim]] with [[claim.check]]s, as
    /// claims/seed.toml); default: the shipped claims.
    #[arg(value_name = "FILE.toml")]
    file: Option<PathBuf>,
    #[command(flatten)]
    query: QueryArgs,
    /// Also check every claim under each definition of the standard
    /// sensitivity grid (`standard`), or not (`none`).
    #[arg(long, default_value = "standard", value_parser = ["standard", "none"])]
    grid: String,
}

pub fn run(args: Args) -> Result<()> {
    let settings = args.query.settings()?;
    let claims = match &args.file {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("reading the claims file {}", p.display()))?;
            Claims::parse(&text, &p.display().to_string())?
        }
        None => Claims::seed(),
    };
    let grid = match args.grid.as_str() {
        "none" => None,
        _ => Some(flag(Grid::standard())?),
    };
    let table = args.query.format == Format::Table;
    query::run_with(&args.query, settings, move |ctx, settings| async move {
        let r = claims::run(&ctx, &settings, &claims, grid.as_ref()).await?;
        // A terminal table leaves the long texts to CSV and JSON.
        if table {
            r.select(&claims::TABLE_COLUMNS)
        } else {
            Ok(r)
        }
    })
}
