//! `talentchain countries`: AI papers, fractional papers, citations and
//! highly cited papers by country and year (ETO Country Activity Tracker
//! style), with world shares.

use anyhow::Result;
use talentchain::metrics::Metric;
use talentchain::settings::By;

use super::query::{self, QueryArgs};

/// AI research output by country and year, with world shares.
///
/// First columns: country,year,papers_full,papers_fractional,citations,
/// highly_cited, then share_full,share_fractional,highly_cited_share.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  talentchain countries --data ai.tcd --from 2017 --to 2022\n  talentchain countries --data ai.tcd --by total --top 1 --format csv"
)]
pub struct Args {
    #[command(flatten)]
    query: QueryArgs,
    /// `year`: one row per country and year; `total`: one row per country
    /// over the range, with the growth rate (CAGR) of its papers.
    #[arg(long, default_value = "year", value_parser = ["year", "total"])]
    by: String,
}

pub fn run(args: Args) -> Result<()> {
    let by: By = args.by.parse().map_err(anyhow::Error::msg)?;
    let mut settings = args.query.settings()?;
    settings.set_by(by);
    query::run(&args.query, Metric::countries(by), settings)
}
