//! `talentchain talent top`: the top researchers within the corpus.

use anyhow::Result;
use talentchain::metrics::Metric;
use talentchain::settings::ResearcherSort;

use super::TalentArgs;
use crate::cmd::query;

/// The top researchers by citations (or h-index) of their AI works in the
/// dataset, with origin, current country and institution.
///
/// Columns: rank,author,name,works,citations,h_index,origin,current,class,
/// institution,institution_name.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  talentchain talent top --data ai.tcd --limit 20\n  talentchain talent top --data ai.tcd --sort h-index"
)]
pub struct Args {
    #[command(flatten)]
    talent: TalentArgs,
    /// Rank by this column.
    #[arg(long, default_value = "citations", value_parser = clap::builder::PossibleValuesParser::new(ResearcherSort::names()))]
    sort: String,
    /// Show the first N rows.
    #[arg(long, short = 'n', default_value_t = 50)]
    limit: u32,
}

pub fn run(args: Args) -> Result<()> {
    let mut settings = args.talent.settings()?;
    settings.set_researcher_sort(args.sort.parse().map_err(anyhow::Error::msg)?);
    query::flag(settings.set_limit(Some(args.limit)))?;
    query::run(&args.talent.query, Metric::TalentTop, settings)
}
