//! `talentchain reconcile`: published series of AI articles by country
//! beside the dataset's own counts.

use std::path::PathBuf;

use anyhow::Result;
use talentchain::output::Format;
use talentchain::reconcile::{self, Reference};

use super::query::{self, QueryArgs, flag};

/// Published AI-article counts by country and year beside ours: NCSES
/// Science & Engineering Indicators (tables 10067, per year, and 10059,
/// 2003–2022 whole and fractional) and OpenAlex's own AI-concept counts
/// (2010–2020), with the difference, both sides' shares among countries
/// and ranks, and the definitional reasons they differ (in the notes, and
/// the `reasons` column of CSV and JSON).
///
/// Columns: reference,country,year_from,year_to,counting,published,ours,
/// difference,published_share,our_share,share_difference,published_rank,
/// our_rank,reasons.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  talentchain reconcile --data ai.tcd --against ../shared/data/aggregates\n  talentchain reconcile --data ai.tcd --against aggregates/openalex_ai_country_counts/ai_publication_counts.csv --format csv"
)]
pub struct Args {
    #[command(flatten)]
    query: QueryArgs,
    /// A published series (a CSV file) or a folder holding them (searched
    /// two levels down).
    #[arg(long, value_name = "PATH")]
    against: PathBuf,
}

pub fn run(args: Args) -> Result<()> {
    let settings = args.query.settings()?;
    let refs = flag(Reference::discover(&args.against))?;
    let table = args.query.format == Format::Table;
    query::run_with(&args.query, settings, move |ctx, settings| async move {
        let r = reconcile::run(&ctx, &settings, &refs).await?;
        if table {
            r.select(&reconcile::TABLE_COLUMNS)
        } else {
            Ok(r)
        }
    })
}
