//! `talentchain talent conversion --origin XX`: where one origin's
//! researchers produce.

use anyhow::Result;
use talentchain::metrics::Metric;
use talentchain::settings::{Careers, Settings};

use super::super::query::{self, QueryArgs};

/// Where researchers whose origin is XX produce their AI works and their
/// highly cited works, by country of affiliation at the time of each work.
///
/// Columns: country,researchers,works,highly_cited,works_share,
/// highly_cited_share,fractional,fractional_share.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  talentchain talent conversion --origin CN --data ai.tcd\n  talentchain talent conversion --origin IN --careers-from affiliations --data ai.tcd"
)]
pub struct Args {
    #[command(flatten)]
    query: QueryArgs,
    /// The origin country (ISO code, e.g. CN).
    #[arg(long, value_name = "XX")]
    origin: String,
    /// Researchers in scope have at least K works in the AI profile.
    #[arg(long, default_value_t = 1, value_name = "K")]
    min_works: u32,
    /// Careers from authorships or from author entities' affiliations
    /// (`--origin` names the country here).
    #[arg(long, default_value = "authorships", value_parser = clap::builder::PossibleValuesParser::new(Careers::names()), value_name = "SOURCE")]
    careers_from: String,
}

pub fn run(args: Args) -> Result<()> {
    if matches!(args.origin.as_str(), "authorships" | "affiliations") {
        anyhow::bail!(
            "--origin `{}`: here --origin is the origin country (e.g. CN); choose the career source with --careers-from",
            args.origin
        );
    }
    let mut settings: Settings = args.query.settings()?;
    query::flag(settings.set_origin(&args.origin))?;
    query::flag(settings.set_min_works(args.min_works))?;
    settings.set_careers(
        args.careers_from
            .parse::<Careers>()
            .map_err(anyhow::Error::msg)?,
    );
    query::run(&args.query, Metric::TalentConversion, settings)
}
