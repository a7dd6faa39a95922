//! `talentchain talent conversion --origin XX`: where one origin's
//! researchers produce.

use anyhow::Result;
use talentchain::talent::{Source, TalentOptions, conversion};

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
    #[arg(long, default_value = "authorships", value_parser = ["authorships", "affiliations"], value_name = "SOURCE")]
    careers_from: String,
}

pub fn run(args: Args) -> Result<()> {
    if matches!(args.origin.as_str(), "authorships" | "affiliations") {
        anyhow::bail!(
            "--origin `{}`: here --origin is the origin country (e.g. CN); choose the career source with --careers-from",
            args.origin
        );
    }
    let (origin, k) = (args.origin.clone(), args.min_works);
    let source: Source = args.careers_from.parse()?;
    query::run(&args.query, move |ctx, opts| async move {
        let opts = TalentOptions {
            metrics: opts,
            min_works: k,
            source,
        };
        conversion::run(&ctx, &opts, &origin).await
    })
}
