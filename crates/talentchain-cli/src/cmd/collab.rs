//! `talentchain collab`: the country × country co-authorship matrix and each
//! country's international collaboration share.

use anyhow::Result;
use talentchain::metrics::Metric;

use super::query::{self, QueryArgs};

/// International co-authorship: works with authorships in both countries of
/// each pair (`country_a < country_b`), or with `--shares` each country's
/// share of works with a co-author abroad.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    query: QueryArgs,
    /// Each country's international collaboration share instead of the pairs.
    #[arg(long)]
    shares: bool,
}

pub fn run(args: Args) -> Result<()> {
    let mut settings = args.query.settings()?;
    settings.set_shares(args.shares);
    query::run(&args.query, Metric::collab(args.shares), settings)
}
