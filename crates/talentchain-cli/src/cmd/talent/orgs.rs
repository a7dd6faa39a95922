//! `talentchain talent orgs`: each organisation's talent origin mix.

use anyhow::Result;
use talentchain::metrics::Metric;

use super::TalentArgs;
use crate::cmd::query;

/// For each institution (or, with --rollup, each parent: a company, an
/// academy), its researchers' origin mix and the Herfindahl–Hirschman index
/// of it: how much it depends on one country's talent supply.
///
/// Columns: institution,name,country,sector,researchers,origins,top_origin,
/// top_origin_share,foreign_share,hhi.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  talentchain talent orgs --data ai.tcd --rollup --limit 20")]
pub struct Args {
    #[command(flatten)]
    talent: TalentArgs,
    /// Count institutes under their lineage root (labs under their company).
    #[arg(long)]
    rollup: bool,
    /// Show the first N rows.
    #[arg(long, short = 'n', default_value_t = 50)]
    limit: u32,
}

pub fn run(args: Args) -> Result<()> {
    let mut settings = args.talent.settings()?;
    settings.set_rollup(args.rollup);
    query::flag(settings.set_limit(Some(args.limit)))?;
    query::run(&args.talent.query, Metric::TalentOrgs, settings)
}
