//! `talentchain project`: the talent chain projected under scenarios, with
//! bootstrap intervals, and its backtest against what happened.

use anyhow::{Context, Result};
use talentchain::projection::{self, Options, Scenario, View};

use super::query::{self, flag};
use super::talent::TalentArgs;

/// Project researchers (by origin) and their AI output per country, from a
/// cohort model fitted on the observed careers, under the baseline and any
/// scenarios (docs/projection.md).
///
/// Columns (countries): scenario,year,country,researchers,share,
/// foreign_share,ai_works,ai_share,hc_works,hc_share,origins; rows of the
/// `observed` scenario are the data's years up to the base year (the last
/// `--censor` years are projected: their exits cannot be told from gaps).
/// With `--orgs`: the largest organisations' researchers, top origin and
/// HHI. With `--backtest`: the model fitted on the years up to `--fit-to`,
/// its errors on the next `--horizon` years beside persistence and
/// constant rates. `--ci LEVEL` resamples researchers and refits.
#[derive(clap::Args)]
#[command(
    mut_arg("to", |a| a
        .long("data-to")
        .help("Last publication year of the data the model reads (default: the dataset's last)")),
    after_help = "Examples:\n  talentchain project --data ai.tcd --to 2032\n  talentchain project --data ai.tcd --to 2032 --scenario scenarios/us-halves-cn-inflow.toml --ci 90 --replicates 200\n  talentchain project --data ai.tcd --scenario shipped --orgs\n  talentchain project --data ai.tcd --backtest --horizon 5 --ci 90 --replicates 200"
)]
pub struct Args {
    #[command(flatten)]
    talent: TalentArgs,
    /// The last projected year (default: the data's last year + 8).
    #[arg(long = "to", value_name = "YEAR")]
    until: Option<i32>,
    /// A scenario file (TOML; see scenarios/), or `shipped` for the
    /// examples shipped with talentchain; repeat for several. Each runs
    /// beside the baseline.
    #[arg(long = "scenario", value_name = "FILE")]
    scenarios: Vec<String>,
    /// Years at the end of the data whose exits cannot be told from gaps
    /// (a researcher without a paper there may still be active): the model
    /// starts from the year before them.
    #[arg(long, default_value_t = projection::CENSOR, value_name = "YEARS")]
    censor: i32,
    /// Years of observed transitions the rates pool (default: 5, or the
    /// years the data has before the base year if fewer).
    #[arg(long, value_name = "YEARS")]
    window: Option<i32>,
    /// The largest organisations' origin concentration instead of countries
    /// (`--limit` of them, 10 by default).
    #[arg(long, conflicts_with = "backtest")]
    orgs: bool,
    /// Fit on the years up to --fit-to, project --horizon years past it and
    /// compare with what the data observed.
    #[arg(long)]
    backtest: bool,
    /// The backtest's last fitted year (default: the last one whose horizon
    /// the data still observes).
    #[arg(long, value_name = "YEAR", requires = "backtest")]
    fit_to: Option<i32>,
    /// The backtest's horizon.
    #[arg(long, default_value_t = projection::HORIZON, value_name = "YEARS")]
    horizon: i32,
    /// The first N rows' organisations (--orgs) or countries (--backtest).
    #[arg(long, value_name = "N")]
    limit: Option<u32>,
}

pub fn run(args: Args) -> Result<()> {
    let mut settings = args.talent.settings()?;
    flag(settings.set_limit(args.limit))?;
    let mut options = Options::default();
    options.set_until(args.until);
    flag(options.set_censor(args.censor))?;
    if let Some(w) = args.window {
        flag(options.set_window(w))?;
    }
    flag(options.set_horizon(args.horizon))?;
    options.set_fit_to(args.fit_to);
    options.set_view(if args.backtest {
        View::Backtest
    } else if args.orgs {
        View::Orgs
    } else {
        View::Countries
    });
    let mut scenarios = Vec::new();
    for s in &args.scenarios {
        if s == "shipped" {
            scenarios.extend(Scenario::shipped());
            continue;
        }
        let text =
            std::fs::read_to_string(s).with_context(|| format!("reading scenario file {s}"))?;
        scenarios.extend(flag(Scenario::parse(&text, s))?);
    }
    flag(options.set_scenarios(scenarios))?;
    query::run_with(
        &args.talent.query,
        settings,
        move |ctx, settings| async move { projection::run(&ctx, &settings, &options).await },
    )
}
