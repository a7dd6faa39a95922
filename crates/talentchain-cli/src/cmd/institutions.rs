//! `talentchain institutions`: the institution (or company) ranking.

use anyhow::Result;
use talentchain::metrics::Metric;
use talentchain::model::sector::SECTORS;
use talentchain::settings::InstitutionSort;

use super::query::{self, QueryArgs};

/// Rank institutions by AI papers (full and fractional), citations and
/// highly cited papers, with the countries their output comes from.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  talentchain institutions --data ai.tcd --rollup --limit 20\n  talentchain institutions --data ai.tcd --type company --rollup   # companies and their lab countries"
)]
pub struct Args {
    #[command(flatten)]
    query: QueryArgs,
    /// Count institutes under their lineage root (the Chinese Academy of
    /// Sciences' institutes under CAS, a company's labs under the company).
    #[arg(long)]
    rollup: bool,
    /// Keep one sector: education, company, government, facility,
    /// healthcare, nonprofit, other.
    #[arg(long = "type", value_name = "SECTOR", value_parser = clap::builder::PossibleValuesParser::new(SECTORS))]
    sector: Option<String>,
    /// Rank by this column.
    #[arg(long, default_value = "papers", value_parser = clap::builder::PossibleValuesParser::new(InstitutionSort::names()))]
    sort: String,
    /// Show the first N rows.
    #[arg(long, short = 'n', default_value_t = 50)]
    limit: u32,
}

pub fn run(args: Args) -> Result<()> {
    let mut settings = args.query.settings()?;
    settings.set_rollup(args.rollup);
    query::flag(settings.set_sector(args.sector.as_deref()))?;
    settings.set_institution_sort(args.sort.parse().map_err(anyhow::Error::msg)?);
    query::flag(settings.set_limit(Some(args.limit)))?;
    query::run(&args.query, Metric::Institutions, settings)
}
