//! `talentchain fetch --filter FILTER --out DIR`: harvest OpenAlex records
//! from the API into page files that `talentchain ingest` reads.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use talentchain::dataset::Dataset;
use talentchain::fetch::{self, Checkpoint, FetchOptions, Source, ids};

/// Which OpenAlex entity to fetch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Entity {
    Works,
    Authors,
    Institutions,
}

impl Entity {
    fn path(self) -> &'static str {
        match self {
            Entity::Works => "works",
            Entity::Authors => "authors",
            Entity::Institutions => "institutions",
        }
    }
}

/// Harvest OpenAlex records from the API, resumably.
///
/// Pages through the list endpoint with `cursor=*`, writing each page as a
/// gzipped JSON Lines file in DIR (`works-000001.jsonl.gz`, …) and a
/// `checkpoint.json` after it. Run the same command again to resume after an
/// interruption, a spent daily budget or a network failure: no record is
/// written twice and none is skipped. Then `talentchain ingest DIR`.
///
/// Polite: at most --max-rate requests a second (the API's cap is 100),
/// `Retry-After` honoured, exponential backoff with jitter on 429, 5xx,
/// timeouts and broken or malformed pages (retried, never written). Stops
/// with a message on spent credits, a refused key or a rejected query.
///
/// Each page is one list call: a free key's ~10,000 calls a day fetch about
/// 1,000,000 records at 100 a page.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  talentchain fetch --filter concepts.id:C154945302,publication_year:2017-2022 --out ai-works\n  talentchain ingest ai-works --out ai.tcd\n  talentchain fetch --ids-from ai.tcd --out ai-people\n  talentchain ingest ai-people --out ai.tcd --append"
)]
pub struct Args {
    /// OpenAlex filter, e.g. `concepts.id:C154945302,publication_year:2017-2022`.
    #[arg(long, value_name = "FILTER")]
    filter: Option<String>,
    /// Full-text search (a search call costs more credits than a filter).
    #[arg(long, value_name = "TEXT")]
    search: Option<String>,
    /// Fetch the authors and institutions referenced by this dataset's
    /// authorships, in batches of ids (`filter=openalex:A1|A2|…`).
    #[arg(long, value_name = "DATASET", conflicts_with_all = ["filter", "search"])]
    ids_from: Option<PathBuf>,
    /// The folder of page files and checkpoint.
    #[arg(long, short, value_name = "DIR")]
    out: PathBuf,
    /// Entity to list (default: works; with --ids-from, authors and
    /// institutions).
    #[arg(long, value_enum)]
    entity: Option<Entity>,
    /// OpenAlex API key (free: https://openalex.org/settings/api). Never
    /// printed nor written to the checkpoint.
    #[arg(
        long,
        env = "OPENALEX_API_KEY",
        hide_env_values = true,
        value_name = "KEY"
    )]
    api_key: Option<String>,
    /// Your e-mail, sent with each request (mailto=) so OpenAlex can reach you.
    #[arg(long, env = "OPENALEX_MAILTO", value_name = "EMAIL")]
    mailto: Option<String>,
    /// Fields to return, comma-separated (e.g. id,authorships,publication_year).
    #[arg(long, value_name = "FIELDS")]
    select: Option<String>,
    /// Stop after this many records (run again without it, or with a larger
    /// one, to go on).
    #[arg(long, value_name = "N")]
    max_works: Option<u64>,
    /// Records per page (OpenAlex serves at most 100 today).
    #[arg(long, default_value_t = fetch::MAX_PER_PAGE, value_parser = clap::value_parser!(u32).range(1..=200), value_name = "N")]
    per_page: u32,
    /// Ids per request with --ids-from (OpenAlex ORs at most 100 values).
    #[arg(long, default_value_t = ids::DEFAULT_PER_REQUEST, value_parser = clap::value_parser!(u32).range(1..=100), value_name = "N")]
    ids_per_request: u32,
    /// Requests per second at most (the API's hard cap is 100).
    #[arg(long, default_value_t = fetch::DEFAULT_MAX_RATE, value_name = "N")]
    max_rate: f64,
    /// Attempts per page before giving up (the checkpoint stays intact).
    #[arg(long, default_value_t = 8, value_name = "N")]
    max_attempts: u32,
    /// Seconds before a request is abandoned (and retried).
    #[arg(long, default_value_t = 60.0, value_name = "SECS")]
    timeout: f64,
    /// Base URL of the API (another OpenAlex-compatible server).
    #[arg(long, default_value = fetch::DEFAULT_BASE_URL, value_name = "URL")]
    base_url: String,
    /// Multiplies every wait (tests only).
    #[arg(
        long,
        env = "TALENTCHAIN_FETCH_TIME_SCALE",
        default_value_t = 1.0,
        hide = true
    )]
    time_scale: f64,
    /// No progress bar and no notes.
    #[arg(long, short)]
    quiet: bool,
}

pub fn run(args: Args) -> Result<ExitCode> {
    if args.max_rate.is_nan() || args.max_rate <= 0.0 || args.max_rate > 100.0 {
        bail!(
            "--max-rate {} must be in (0, 100]: OpenAlex allows at most 100 requests a second",
            args.max_rate
        );
    }
    if args.timeout.is_nan() || args.timeout <= 0.0 {
        bail!("--timeout {} must be positive", args.timeout);
    }
    let source = source(&args)?;
    let mut opts = FetchOptions::new(source, args.out.clone());
    opts.select = args.select.clone();
    opts.client.base_url = args.base_url.clone();
    opts.client.api_key = args.api_key.clone().filter(|k| !k.is_empty());
    opts.client.mailto = args.mailto.clone();
    opts.client.timeout = Duration::from_secs_f64(args.timeout);
    opts.per_page = args.per_page;
    opts.max_works = args.max_works;
    opts.max_rate = args.max_rate;
    opts.retry.max_attempts = args.max_attempts.max(1);
    opts.time_scale = args.time_scale;
    opts.quiet = args.quiet;
    opts.progress = !args.quiet && std::io::stderr().is_terminal();
    if opts.client.api_key.is_none() && !args.quiet && args.base_url == fetch::DEFAULT_BASE_URL {
        eprintln!(
            "note: no API key; OpenAlex allows about 100 list calls a day without one. Get a free key at https://openalex.org/settings/api and pass --api-key or set OPENALEX_API_KEY"
        );
    }
    match fetch::fetch(&opts) {
        Ok(s) => {
            if !args.quiet {
                let of = s.meta_count.map(|c| format!(" of {c}")).unwrap_or_default();
                let credits = s
                    .credits_left
                    .map(|c| format!("; credits left today: {c}"))
                    .unwrap_or_default();
                let dups = if s.duplicates > 0 {
                    format!("; {} records served twice were written once", s.duplicates)
                } else {
                    String::new()
                };
                eprintln!(
                    "{} records{of} in {} pages in `{}` ({} requests, {} retries{dups}{credits})",
                    s.records,
                    s.pages,
                    args.out.display(),
                    s.requests,
                    s.retries
                );
                if s.done {
                    eprintln!(
                        "complete; next: talentchain ingest {} --out DATASET",
                        args.out.display()
                    );
                } else {
                    eprintln!(
                        "stopped at --max-works; run again without it (or with a larger one) to go on"
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) if e.is_resumable() => {
            let at = Checkpoint::read(&args.out)
                .ok()
                .flatten()
                .filter(|cp| cp.pages > 0)
                .map(|cp| format!("{} records in {} pages are safe", cp.records, cp.pages))
                .unwrap_or_else(|| "the checkpoint is intact".into());
            Err(anyhow!(
                "{e}\n  {at} in `{}`: run the same command again to resume",
                args.out.display()
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// What to fetch, from the arguments.
fn source(args: &Args) -> Result<Source> {
    if let Some(data) = &args.ids_from {
        let dataset = Dataset::open(data)?;
        let rt = super::query::runtime()?;
        let (authors, institutions) = rt.block_on(dataset.entity_ids()).with_context(|| {
            format!(
                "reading the author and institution ids of `{}`",
                data.display()
            )
        })?;
        let mut ids = ids::EntityIds::new(authors, institutions);
        match args.entity {
            None => {}
            Some(Entity::Authors) => ids.institutions.clear(),
            Some(Entity::Institutions) => ids.authors.clear(),
            Some(Entity::Works) => {
                bail!(
                    "--ids-from fetches authors and institutions: use --entity authors or institutions, or neither"
                )
            }
        }
        if ids.authors.is_empty() && ids.institutions.is_empty() {
            bail!(
                "`{}` refers to no authors or institutions: nothing to fetch",
                data.display()
            );
        }
        return Ok(Source::Ids {
            ids,
            per_request: args.ids_per_request,
        });
    }
    if args.filter.is_none() && args.search.is_none() {
        bail!(
            "give --filter or --search (or --ids-from DATASET): fetching all of OpenAlex through the API is not what it is for; use the snapshot"
        );
    }
    Ok(Source::List {
        entity: args.entity.unwrap_or(Entity::Works).path().to_string(),
        filter: args.filter.clone(),
        search: args.search.clone(),
    })
}
