//! `talentchain serve`: the JSON API and the dashboard over a dataset.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Result;
use talentchain::dataset::Dataset;
use talentchain::profile::Profile;
use talentchain_web::AppState;

use super::query::runtime;

/// Serve the dashboard at / and the JSON API at /api (every metric command,
/// with the CLI's parameters; the OpenAPI document at /api/openapi.json).
/// Listens on the loopback address by default; everything is embedded, so
/// nothing is fetched from the internet.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  talentchain serve --data talentchain-demo/dataset\n  curl 'http://127.0.0.1:8080/api/countries?from=2017&to=2022&by=total&top=1'"
)]
pub struct Args {
    /// The dataset folder (written by `talentchain ingest`).
    #[arg(long, short = 'd', value_name = "DATASET", env = "TALENTCHAIN_DATA")]
    data: PathBuf,
    /// Address to listen on (port 0: any free port, printed on stderr).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
    addr: SocketAddr,
    /// Also accept this profile TOML file as an `ai` value (by its name).
    #[arg(long, value_name = "FILE")]
    profile: Vec<PathBuf>,
    /// Answers kept in memory, by URL (the dataset does not change while
    /// served); 0 computes every request afresh.
    #[arg(long, default_value_t = talentchain_web::state::DEFAULT_CACHE_ENTRIES, value_name = "N")]
    cache_entries: usize,
    /// Queries computed at once (answers not kept yet); the others wait.
    /// Each uses every core, and on a large dataset gigabytes of memory.
    /// Default: half the cores, at least 1.
    #[arg(long, value_name = "N")]
    max_queries: Option<usize>,
}

pub fn run(args: Args) -> Result<()> {
    let dataset = Dataset::open(&args.data)?;
    let mut extra = Vec::new();
    for p in &args.profile {
        extra.push(Profile::load(&p.to_string_lossy())?);
    }
    let rt = runtime()?;
    rt.block_on(async {
        let state = AppState::open(dataset, extra).await?.with_cache_entries(args.cache_entries);
        let state = match args.max_queries {
            Some(n) => state.with_max_queries(n),
            None => state,
        };
        talentchain_web::serve(state, args.addr, |addr| {
            eprintln!("talentchain serving {} at http://{addr}/ (API: http://{addr}/api/openapi.json); Ctrl-C stops", args.data.display());
        })
        .await
    })
}
