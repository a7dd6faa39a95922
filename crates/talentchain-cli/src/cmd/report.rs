//! `talentchain report`: one self-contained HTML file with the charts, their
//! data and the definitions, which opens offline; `--charts DIR` also writes
//! each chart as an SVG file.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use talentchain::dataset::Dataset;
use talentchain::profile::{BUILTIN, Profile};
use talentchain::settings::{Settings, country_code};
use talentchain_web::report::{self, ReportOptions};
use talentchain_web::{ApiError, AppState};

use super::query::runtime;

/// Write an HTML report with charts: AI output by country over time (full
/// and fractional), world shares (map and bars), highly cited shares, top
/// institutions and companies with their lab countries, the collaboration
/// heat map, and the definitions (profile, counting, threshold, years,
/// dataset manifest).
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  talentchain report --data ai.tcd --out report.html\n  talentchain report --data ai.tcd --from 2017 --to 2022 --countries US,CN,GB,DE --charts charts/"
)]
pub struct Args {
    /// The dataset folder (written by `talentchain ingest`).
    #[arg(long, short = 'd', value_name = "DATASET", env = "TALENTCHAIN_DATA")]
    data: PathBuf,
    /// The HTML file to write.
    #[arg(long, short, default_value = "report.html", value_name = "FILE")]
    out: PathBuf,
    /// AI selection profile: concepts, topics, venues, any, all, or the path
    /// of a profile TOML file.
    #[arg(long, default_value = "concepts", value_name = "PROFILE")]
    ai: String,
    /// First publication year (inclusive).
    #[arg(long, value_name = "YEAR")]
    from: Option<i32>,
    /// Last publication year (inclusive).
    #[arg(long, value_name = "YEAR")]
    to: Option<i32>,
    /// Highly cited = the top PERCENT of each year's selected works.
    #[arg(long, default_value_t = 10.0, value_name = "PERCENT")]
    top: f64,
    /// Countries drawn in the per-country charts (ISO-2 codes); default the
    /// top 8 by papers.
    #[arg(long, value_delimiter = ',', value_name = "US,CN,…")]
    countries: Vec<String>,
    /// Counting method of the map, shares and rankings.
    #[arg(long, default_value = "full", value_parser = clap::builder::PossibleValuesParser::new(talentchain::settings::Counting::names()))]
    counting: String,
    /// Draw LEVEL% bootstrap intervals on the charts whose metrics have them
    /// (bands on the lines, error bars on the bars; see `--ci` of the
    /// metric commands).
    #[arg(long, value_name = "LEVEL")]
    ci: Option<f64>,
    /// Narrow the selection to one source: openalex, or paperlists
    /// (conference paper lists).
    #[arg(long, value_parser = ["openalex", "paperlists"])]
    source: Option<String>,
    /// Narrow the selection to these venues, comma-separated (`NeurIPS`).
    #[arg(long, value_name = "VENUES")]
    venue: Option<String>,
    /// Narrow the selection to the venues' elite tier (orals, spotlights).
    #[arg(long)]
    elite: bool,
    /// Also write each chart as an SVG file into DIR (needs Node.js).
    #[arg(long, value_name = "DIR")]
    charts: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<()> {
    // The library's checks, as for every metric command.
    let mut settings = Settings::new(Profile::builtin("all")?);
    super::query::flag(settings.set_years(args.from, args.to))?;
    super::query::flag(settings.set_top(args.top))?;
    super::query::flag(settings.set_ci(args.ci))?;
    let mut scope = Vec::new();
    if let Some(source) = &args.source {
        scope.push(("source", source.clone()));
    }
    if let Some(venues) = &args.venue {
        super::query::flag(settings.set_venues(venues))?;
        scope.push(("venue", venues.clone()));
    }
    if args.elite {
        scope.push(("elite", "true".to_string()));
    }
    let mut countries = Vec::new();
    for c in &args.countries {
        match country_code(c) {
            Some(code) => countries.push(code),
            None => bail!("--countries: `{c}` is not an ISO 3166-1 alpha-2 code (e.g. US,CN,GB)"),
        }
    }
    let (profile, extra) = load_profile(&args.ai)?;
    let opts = ReportOptions {
        ai: profile,
        from: args.from,
        to: args.to,
        top: args.top,
        countries,
        counting: args.counting,
        ci: args.ci,
        scope,
    };
    let dataset = Dataset::open(&args.data)?;
    let written = write(dataset, extra, &opts, &args.out, args.charts.as_deref())?;
    eprintln!("report written to {}", args.out.display());
    if !written.is_empty() {
        eprintln!(
            "{} SVG charts written to {}",
            written.len(),
            args.charts.as_deref().unwrap_or(Path::new(".")).display()
        );
    }
    Ok(())
}

/// The profile name to ask for, and the profile to add when `ai` is a file.
pub fn load_profile(ai: &str) -> Result<(String, Vec<Profile>)> {
    if BUILTIN.iter().any(|(n, _)| *n == ai) {
        return Ok((ai.to_string(), vec![]));
    }
    let p = Profile::load(ai)?;
    Ok((p.name.clone(), vec![p]))
}

/// Write the report of `dataset` to `out` (and the SVG charts to `charts`).
pub fn write(
    dataset: Dataset,
    extra: Vec<Profile>,
    opts: &ReportOptions,
    out: &Path,
    charts: Option<&Path>,
) -> Result<Vec<PathBuf>> {
    let rt = runtime()?;
    let config = rt.block_on(async {
        let state = AppState::open(dataset, extra).await?;
        let config = report::config(&state, opts).await.map_err(cli_error)?;
        let html = report::page(&state, report::PageMode::Report(config.clone()));
        std::fs::write(out, html).with_context(|| format!("writing {}", out.display()))?;
        anyhow::Ok(config)
    })?;
    match charts {
        Some(dir) => talentchain_web::svg::write_charts(&config, dir),
        None => Ok(vec![]),
    }
}

/// A bad parameter names the CLI flag.
fn cli_error(e: ApiError) -> anyhow::Error {
    match e {
        ApiError::BadParameter {
            parameter,
            message,
            accepted,
        } => {
            anyhow::anyhow!(
                "--{parameter}: {message} (accepted: {})",
                accepted.join(", ")
            )
        }
        other => anyhow::anyhow!(other),
    }
}
