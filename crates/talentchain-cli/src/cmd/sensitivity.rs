//! `talentchain sensitivity`: each country's share of AI papers, of highly
//! cited papers and of researchers by origin under every combination of
//! AI profile × counting × highly-cited share, and how many definitions
//! support each ordering of the leading countries.

use anyhow::Result;
use talentchain::profile::Profile;
use talentchain::sensitivity::{self, Grid};
use talentchain::settings::Counting;

use super::query::{self, QueryArgs, flag};

/// How much each country's headline shares move under other definitions.
///
/// Columns: country,profile,counting,top_percent,papers_share,
/// highly_cited_share,researchers_share (over the year range). The notes
/// say, for the five leading countries, how many definitions put each above
/// its neighbour ("papers_share: CN above US in 11 of 24 definitions").
/// `--ai` and `--top` give the reference definition: it comes first in the
/// grid, and the leading countries are those of its papers share.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  talentchain sensitivity --data ai.tcd --from 2017 --to 2022\n  talentchain sensitivity --data ai.tcd --profiles concepts,topics --tops 1,10\n  talentchain sensitivity --data ai.tcd --orderings 10 --format csv"
)]
pub struct Args {
    #[command(flatten)]
    query: QueryArgs,
    /// The AI profiles of the grid (built-in names or profile files).
    #[arg(long, value_delimiter = ',', default_values = sensitivity::STANDARD_PROFILES, value_name = "PROFILE,…")]
    profiles: Vec<String>,
    /// The counting methods of the grid.
    #[arg(long, value_delimiter = ',', default_values = Counting::names(), value_parser = clap::builder::PossibleValuesParser::new(Counting::names()), value_name = "COUNTING,…")]
    countings: Vec<String>,
    /// The highly-cited shares of the grid, in percent.
    #[arg(long, value_delimiter = ',', default_values_t = sensitivity::STANDARD_TOPS, value_name = "PERCENT,…")]
    tops: Vec<f64>,
    /// Print, instead of the grid, the orderings of every pair of the N
    /// leading countries on each headline.
    #[arg(long, value_name = "N")]
    orderings: Option<usize>,
}

pub fn run(args: Args) -> Result<()> {
    let settings = args.query.settings()?;
    let profiles = args
        .profiles
        .iter()
        .map(|name| Profile::load(name))
        .collect::<Result<Vec<_>, _>>()?;
    let countings = args
        .countings
        .iter()
        .map(|c| c.parse::<Counting>().map_err(anyhow::Error::msg))
        .collect::<Result<Vec<_>>>()?;
    let grid = flag(Grid::new(profiles, countings, args.tops))?.with_reference(&settings);
    let orderings = args.orderings;
    query::run_with(&args.query, settings, move |ctx, settings| async move {
        sensitivity::run(&ctx, &settings, &grid, orderings).await
    })
}
