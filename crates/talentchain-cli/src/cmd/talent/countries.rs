//! `talentchain talent countries`: mobility classes, retention, net gain and
//! mobility rate by country.

use anyhow::Result;
use talentchain::metrics::Metric;

use super::TalentArgs;
use crate::cmd::query;

/// Stayers, returnees, emigrants and immigrants by country (OECD STI
/// Scoreboard notions), retention, net gain and the annual mobility rate.
///
/// Columns: country,authors,stayers,returnees,emigrants,immigrants,
/// retention,net_gain,mobility_rate,moves,author_years. `authors` (the
/// denominator of retention) counts researchers of that origin with at
/// least 2 observed years.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  talentchain talent countries --data ai.tcd\n  talentchain talent countries --data ai.tcd --origin affiliations --from 2015"
)]
pub struct Args {
    #[command(flatten)]
    talent: TalentArgs,
}

pub fn run(args: Args) -> Result<()> {
    let settings = args.talent.settings()?;
    query::run(&args.talent.query, Metric::TalentCountries, settings)
}
