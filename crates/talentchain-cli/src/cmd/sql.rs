//! `talentchain sql`: a read-only query over the dataset.

use anyhow::Result;
use talentchain::selection::prepare_all;
use talentchain::sql::user;

use super::query::{self, QueryArgs};

/// Run a read-only SQL query (SELECT, WITH, EXPLAIN, SHOW, DESCRIBE) over the
/// dataset's tables (`talentchain tables` lists them) and the selection of
/// the AI profile in force: ai_status(work, status), ai_works(id),
/// work_labels(work, label),
/// selection(work, year, cites), selection_hc(…, highly_cited),
/// selection_countries(work, country, fractional), and the researcher
/// careers per author and year: careers, careers_affiliations; the parts
/// the activity metrics add up: country_parts, world_parts, country_years.
#[derive(clap::Args)]
#[command(
    after_help = "Example:\n  talentchain sql --data ai.tcd \"SELECT year, count(*) FROM selection GROUP BY year ORDER BY year\""
)]
pub struct Args {
    /// The query.
    query: String,
    #[command(flatten)]
    q: QueryArgs,
}

pub fn run(args: Args) -> Result<()> {
    if args.q.ci.is_some() {
        anyhow::bail!(
            "--ci: intervals belong to the metric commands (countries, talent countries, …), not to a query of your own"
        );
    }
    let text = args.query;
    let settings = args.q.settings()?;
    query::run_with(&args.q, settings, |ctx, settings| async move {
        prepare_all(&ctx, &settings).await?;
        user::run(&ctx, &text).await
    })
}
