//! `talentchain institutions`: the institution (or company) ranking.

use anyhow::Result;
use talentchain::metrics::institutions::{self, InstitutionOptions, Sort};
use talentchain::model::sector::SECTORS;

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
    #[arg(long, default_value = "papers", value_parser = ["papers", "fractional", "citations", "highly-cited"])]
    sort: String,
    /// Show the first N rows.
    #[arg(long, short = 'n', default_value_t = 50)]
    limit: usize,
}

pub fn run(args: Args) -> Result<()> {
    let inst = InstitutionOptions {
        rollup: args.rollup,
        sector: args.sector,
        limit: Some(args.limit),
        sort: match args.sort.as_str() {
            "fractional" => Sort::Fractional,
            "citations" => Sort::Citations,
            "highly-cited" => Sort::HighlyCited,
            _ => Sort::Papers,
        },
    };
    query::run(&args.query, |ctx, opts| async move {
        institutions::run(&ctx, &opts, &inst).await
    })
}
