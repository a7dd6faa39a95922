//! `talentchain talent mismatch`: talent supply versus output per country.

use anyhow::Result;
use talentchain::metrics::Metric;

use super::TalentArgs;
use crate::cmd::query;

/// Per country: its share of researchers by origin (supply), of fractional
/// AI output by affiliation, of highly cited output, and their ratios; the
/// same for the top researchers by citations (--top, 10% by default).
///
/// Columns: country,researchers,supply_share,output,output_share,hc_output,
/// hc_share,output_ratio,hc_ratio,top_researchers,top_supply_share,
/// top_output_share,top_ratio.
#[derive(clap::Args)]
#[command(after_help = "Example:\n  talentchain talent mismatch --data ai.tcd --min-works 2")]
pub struct Args {
    #[command(flatten)]
    talent: TalentArgs,
}

pub fn run(args: Args) -> Result<()> {
    let settings = args.talent.settings()?;
    query::run(&args.talent.query, Metric::TalentMismatch, settings)
}
