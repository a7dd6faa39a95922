//! `talentchain sectors`: AI output by sector and country.

use anyhow::Result;
use talentchain::metrics::Metric;

use super::query::{self, QueryArgs};

/// AI output by sector (education, company, government, facility,
/// healthcare, nonprofit, other) per country. Sectors follow a documented
/// rule, not OpenAlex's `type` alone (many universities are typed `funder`).
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    query: QueryArgs,
}

pub fn run(args: Args) -> Result<()> {
    let settings = args.query.settings()?;
    query::run(&args.query, Metric::Sectors, settings)
}
