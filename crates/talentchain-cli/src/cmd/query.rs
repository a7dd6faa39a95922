//! What every metric command shares: the dataset, the AI profile, the year
//! range, the highly-cited threshold, and where and how rows are written.

use std::future::Future;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use datafusion::prelude::SessionContext;
use talentchain::dataset::Dataset;
use talentchain::engine::Engine;
use talentchain::metrics::{self, Metric, MetricResult};
use talentchain::output::{self, Format};
use talentchain::profile::Profile;
use talentchain::settings::Settings;

/// Options of every metric command.
#[derive(clap::Args, Debug, Clone)]
pub struct QueryArgs {
    /// The dataset folder (written by `talentchain ingest`).
    #[arg(
        long,
        short = 'd',
        value_name = "DATASET",
        env = "TALENTCHAIN_DATA",
        hide_env_values = true
    )]
    pub data: PathBuf,
    /// AI selection profile: concepts, topics, venues, any, all, or the path
    /// of a profile TOML file.
    #[arg(long, default_value = "concepts", value_name = "PROFILE")]
    pub ai: String,
    /// Keep the works of one source: `openalex`, or `paperlists` (conference
    /// paper lists); every other work is rejected. For a dataset holding
    /// both.
    #[arg(long, value_parser = ["openalex", "paperlists"])]
    pub source: Option<String>,
    /// Keep the works of these venues, comma-separated, as the dataset names
    /// them (`NeurIPS`, `ICLR,ICML`; any case); every other work is rejected.
    #[arg(long, value_name = "VENUES")]
    pub venue: Option<String>,
    /// Keep the works of the venues' elite tier only: paper lists' orals,
    /// spotlights and CVPR highlights (MacroPolo's elite tier is NeurIPS
    /// orals).
    #[arg(long)]
    pub elite: bool,
    /// First publication year (inclusive).
    #[arg(long, value_name = "YEAR")]
    pub from: Option<i32>,
    /// Last publication year (inclusive).
    #[arg(long, value_name = "YEAR")]
    pub to: Option<i32>,
    /// Highly cited = the top PERCENT of each year's selected works by
    /// citations (10: ETO/PARAT's 90th percentile; 1 for the top 1%).
    #[arg(long, default_value_t = 10.0, value_name = "PERCENT")]
    pub top: f64,
    /// Add a LEVEL% bootstrap interval to each count, share and ratio:
    /// columns NAME_lo and NAME_hi. Works are resampled for the output
    /// metrics, researchers for the talent metrics (see the README).
    #[arg(long, value_name = "LEVEL")]
    pub ci: Option<f64>,
    /// Bootstrap replicates of the intervals.
    #[arg(long, default_value_t = 1000, value_name = "N", requires = "ci")]
    pub replicates: u32,
    /// Seed of the intervals' resampling: the same seed, the same intervals.
    #[arg(long, default_value_t = 0, value_name = "SEED", requires = "ci")]
    pub seed: u64,
    /// What the output metrics' intervals resample: `works` (as CWTS), or
    /// `lead-authors` (each work with its lead author's other works: a
    /// cluster bootstrap). Talent metrics resample researchers.
    #[arg(long, default_value = "works", value_parser = ["works", "lead-authors"], requires = "ci")]
    pub resample: String,
    /// Output format.
    #[arg(long, short, default_value = "table", value_parser = parse_format)]
    pub format: Format,
    /// Write the rows to FILE instead of stdout (needed for parquet).
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Where the SQL runs: `embedded` (in this process);
    /// `ballista://HOST:PORT`, an Apache Ballista scheduler whose executors
    /// see the dataset at the same absolute path; or `ballista-standalone`, a
    /// scheduler and executor in this process. Ballista needs a build with
    /// `--features ballista` (see the README).
    #[arg(long, default_value = "embedded", value_name = "ENGINE", env = "TALENTCHAIN_ENGINE", value_parser = parse_engine)]
    pub engine: Engine,
}

fn parse_engine(s: &str) -> Result<Engine, String> {
    s.parse::<Engine>().map_err(|e| e.to_string())
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse::<Format>().map_err(|_| {
        let names: Vec<&str> = Format::ALL.iter().map(|(n, _)| *n).collect();
        format!("unknown format `{s}`: use one of {}", names.join(", "))
    })
}

impl QueryArgs {
    /// The settings these arguments ask for, checked by the library.
    pub fn settings(&self) -> Result<Settings> {
        if self.format == Format::Parquet && self.out.is_none() {
            bail!("--format parquet writes a file: add --out FILE.parquet");
        }
        let profile = Profile::load(&self.ai)?;
        let mut s = Settings::new(profile);
        if let Some(source) = &self.source {
            flag(s.set("source", source))?;
        }
        if let Some(venues) = &self.venue {
            flag(s.set_venues(venues))?;
        }
        s.set_elite(self.elite);
        flag(s.set_years(self.from, self.to))?;
        flag(s.set_top(self.top))?;
        flag(s.set_ci(self.ci))?;
        flag(s.set_replicates(self.replicates))?;
        s.set_seed(self.seed);
        s.set_lead_authors(self.resample == "lead-authors");
        Ok(s)
    }
}

/// A library error about a setting, naming the CLI flag.
pub fn flag<T>(r: talentchain::error::Result<T>) -> Result<T> {
    r.map_err(|e| match e.parameter() {
        Some(p) => {
            let flag = p.replace('_', "-");
            anyhow::anyhow!("--{flag}: {e}")
        }
        None => anyhow::Error::from(e),
    })
}

/// A runtime for DataFusion.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

/// Open the dataset, run `metric` with `settings` in a session over it,
/// print its notes on stderr and its rows where asked.
pub fn run(args: &QueryArgs, metric: Metric, settings: Settings) -> Result<()> {
    run_with(args, settings, move |ctx, settings| async move {
        metrics::run(&ctx, metric, &settings).await
    })
}

/// [`run`] with any query `f` of a session and the settings.
pub fn run_with<F, Fut>(args: &QueryArgs, settings: Settings, f: F) -> Result<()>
where
    F: FnOnce(SessionContext, Settings) -> Fut,
    Fut: Future<Output = talentchain::error::Result<MetricResult>>,
{
    let dataset = Dataset::open(&args.data)?;
    let rt = runtime()?;
    let filter_notes = dataset.filter_notes(settings.profile());
    let mut result = rt.block_on(async {
        let ctx = dataset.session_on(&args.engine).await?;
        f(ctx, settings)
            .await
            .map_err(|e| match args.engine.hint(&e) {
                Some(hint) => anyhow::Error::from(e).context(hint),
                None => flag::<()>(Err(e)).unwrap_err(),
            })
    })?;
    result.notes.extend(filter_notes);
    emit(&result, args.format, args.out.as_deref())
}

/// Notes to stderr, rows to stdout or the file.
pub fn emit(result: &MetricResult, format: Format, out: Option<&std::path::Path>) -> Result<()> {
    for note in &result.notes {
        eprintln!("note: {note}");
    }
    output::write_to(&result.batches, &result.schema, format, out)
        .map_err(|e| {
            if e.is_broken_pipe() {
                anyhow::Error::from(std::io::Error::from(std::io::ErrorKind::BrokenPipe))
            } else {
                anyhow::Error::from(e)
            }
        })
        .with_context(|| match out {
            Some(p) => format!("writing {}", p.display()),
            None => "writing to stdout".to_string(),
        })
}
