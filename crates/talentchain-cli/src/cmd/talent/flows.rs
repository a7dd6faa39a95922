//! `talentchain talent flows`: the origin → current country matrix.

use anyhow::Result;
use talentchain::metrics::Metric;

use super::TalentArgs;
use crate::cmd::query;

/// Researchers by origin (main country of their first observed year) and
/// current country (of their last), for researchers with at least 2
/// observed years. Stayers and returnees sit on the diagonal.
///
/// Columns: origin,current,authors,share_of_origin (with --cohort:
/// origin,current,authors,cohort,share_of_origin).
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  talentchain talent flows --data ai.tcd --min-works 3\n  talentchain talent flows --data ai.tcd --cohort --format csv"
)]
pub struct Args {
    #[command(flatten)]
    talent: TalentArgs,
    /// Split by cohort: the first observed year.
    #[arg(long)]
    cohort: bool,
}

pub fn run(args: Args) -> Result<()> {
    let mut settings = args.talent.settings()?;
    settings.set_cohort(args.cohort);
    query::run(&args.talent.query, Metric::flows(args.cohort), settings)
}
