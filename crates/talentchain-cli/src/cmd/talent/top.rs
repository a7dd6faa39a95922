//! `talentchain talent top`: the top researchers within the corpus.

use anyhow::Result;
use talentchain::talent::top::{self, Sort};

use super::{TalentArgs, run_metric};

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
    #[arg(long, default_value = "citations", value_parser = ["citations", "h-index"])]
    sort: String,
    /// Show the first N rows.
    #[arg(long, short = 'n', default_value_t = 50)]
    limit: usize,
}

pub fn run(args: Args) -> Result<()> {
    let sort = if args.sort == "h-index" {
        Sort::HIndex
    } else {
        Sort::Citations
    };
    let limit = Some(args.limit);
    run_metric(&args.talent, move |ctx, opts| async move {
        top::run(&ctx, &opts, sort, limit).await
    })
}
