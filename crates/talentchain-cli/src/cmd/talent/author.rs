//! `talentchain talent author A123`: one career, year by year.

use anyhow::Result;
use talentchain::metrics::Metric;

use super::TalentArgs;
use crate::cmd::query;

/// One researcher's career year by year: main country and its tally, all
/// countries, institutions, sector, works and citations; the origin,
/// current country and class in the notes.
///
/// Columns: year,country,tally,countries,institution,institutions,sector,
/// works,ai_works,citations,moved.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  talentchain talent author A5023888391 --data ai.tcd\n  talentchain talent author '~Jane_Doe1' --ai all --data venues.tcd   # an OpenReview id of the paper lists"
)]
pub struct Args {
    /// The author id: OpenAlex's (A123 or https://openalex.org/A123), or a
    /// paper list's (an OpenReview id, ~Jane_Doe1; a hashed id, E or M and
    /// 16 hex digits).
    id: String,
    #[command(flatten)]
    talent: TalentArgs,
}

pub fn run(args: Args) -> Result<()> {
    let mut settings = args.talent.settings()?;
    query::flag(settings.set_author(&args.id))?;
    query::run(&args.talent.query, Metric::TalentAuthor, settings)
}
