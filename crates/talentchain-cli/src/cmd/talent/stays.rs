//! `talentchain talent stays`: who stays in a host country, who returns,
//! who moves on.

use anyhow::Result;
use talentchain::metrics::Metric;

use super::TalentArgs;
use crate::cmd::query;

/// For each origin and host country (a country other than the origin where
/// researchers of that origin were observed working), how many arrived, how
/// many were observed again later (followed), and of those how many are
/// still in the host (stayed), back in the origin (returned) or elsewhere
/// (moved on): the follow-up of MacroPolo's NeurIPS sample ("of the
/// China-origin researchers working in the US, 87 of 100 still there").
///
/// Columns: origin,host,arrived,followed,stayed,returned,moved_on,
/// stay_rate,return_rate. Researchers last seen in their first year in the
/// host are right-censored: counted in `arrived`, not in the rates.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  talentchain talent stays --data ai.tcd\n  talentchain talent stays --data ai.tcd --from 2015 --ci 95 --format csv"
)]
pub struct Args {
    #[command(flatten)]
    talent: TalentArgs,
}

pub fn run(args: Args) -> Result<()> {
    let settings = args.talent.settings()?;
    query::run(&args.talent.query, Metric::TalentStays, settings)
}
