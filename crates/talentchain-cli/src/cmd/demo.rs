//! `talentchain demo`: the first run. Generates a synthetic AI talent world
//! as an OpenAlex snapshot, ingests it, and prints its activity report. Also
//! the generator of large test and benchmark corpora (`--generate-only`).

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Result;
use talentchain::dataset::Dataset;
use talentchain::demo::{DemoConfig, Policy, generate};
use talentchain::ingest::{IngestOptions, ingest};
use talentchain::metrics::{self, Metric, MetricResult};
use talentchain::output::{self, Format};
use talentchain::profile::Profile;
use talentchain::settings::Settings;

use super::query::runtime;

/// Run the whole chain on a generated world: no download, no API key.
///
/// Writes DIR/openalex (a synthetic OpenAlex snapshot: works, authors,
/// institutions), DIR/truth.csv and DIR/truth_researchers.csv (each
/// researcher's true country and institution per year, and their true
/// mobility class), and DIR/dataset (the ingested dataset), then prints the
/// AI activity report. The world is SYNTHETIC: its proportions are calibrated
/// on public figures (MacroPolo, ETO, NCSES), its people and institutions are
/// fictional.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  talentchain demo\n  talentchain countries --data talentchain-demo/dataset --by total\n  talentchain demo --out corpus --researchers 20000 --full-records --parts 8 --generate-only   # a benchmark corpus\n  talentchain demo --policy CN:US:0.5:2018   # from 2018, half the moves from China to the US"
)]
pub struct Args {
    /// Folder to write the world and its dataset into.
    #[arg(long, short, default_value = "talentchain-demo", value_name = "DIR")]
    out: PathBuf,
    /// Random seed: the same seed gives the same world, byte for byte.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Number of researchers.
    #[arg(long, default_value_t = 2000, value_name = "N")]
    researchers: usize,
    /// First publication year.
    #[arg(long, default_value_t = 2010, value_name = "YEAR")]
    from: i32,
    /// Last publication year.
    #[arg(long, default_value_t = 2024, value_name = "YEAR")]
    to: i32,
    /// Realistic record sizes (abstracts, references, …), as in the snapshot.
    #[arg(long)]
    full_records: bool,
    /// Share of works that are AI under every profile.
    #[arg(long, default_value_t = 0.8, value_name = "SHARE")]
    ai_share: f64,
    /// Share of papers left out of the output (the truth keeps them).
    #[arg(long, default_value_t = 0.0, value_name = "SHARE")]
    drop_papers: f64,
    /// Share of authorships whose affiliations are emptied.
    #[arg(long, default_value_t = 0.0, value_name = "SHARE")]
    drop_affiliations: f64,
    /// Number of works part files (written in parallel).
    #[arg(long, default_value_t = 1, value_name = "N")]
    parts: usize,
    /// Keep adding researchers until the works JSON reaches about this many
    /// bytes (e.g. 1000000000 for a 1 GB benchmark corpus).
    #[arg(long, value_name = "BYTES")]
    target_bytes: Option<u64>,
    /// From YEAR on, moves of researchers of origin ORIGIN into TO happen
    /// FACTOR times as often (0 to 1; 0: none): the ground truth of a
    /// scenario (`talentchain project --scenario`).
    #[arg(long, value_name = "ORIGIN:TO:FACTOR:YEAR")]
    policy: Option<Policy>,
    /// Only write the snapshot and the truth: no ingest, no report.
    #[arg(long)]
    generate_only: bool,
}

pub fn run(args: Args) -> Result<()> {
    let cfg = DemoConfig {
        seed: args.seed,
        researchers: args.researchers,
        from: args.from,
        to: args.to,
        full_records: args.full_records,
        ai_share: args.ai_share,
        drop_papers: args.drop_papers,
        drop_affiliations: args.drop_affiliations,
        parts: args.parts,
        target_bytes: args.target_bytes,
        policy: args.policy,
        ..DemoConfig::default()
    };
    let policy = match &cfg.policy {
        Some(p) => format!(", policy {p}"),
        None => String::new(),
    };
    eprintln!(
        "generating a SYNTHETIC world (seed {}{policy}) into {} …",
        cfg.seed,
        args.out.display()
    );
    let t = Instant::now();
    let world = generate(&cfg, &args.out)?;
    eprintln!(
        "  {} researchers, {} works, {:.1} MB of OpenAlex JSON in {:.1}s; truth in {}",
        world.researchers,
        world.works,
        world.json_bytes as f64 / 1e6,
        t.elapsed().as_secs_f64(),
        world.truth_file.display()
    );
    if args.generate_only {
        return Ok(());
    }

    let data = args.out.join("dataset");
    let mut opts = IngestOptions::new(vec![world.root.join("openalex")], data.clone());
    opts.force = true;
    opts.progress = std::io::IsTerminal::is_terminal(&std::io::stderr());
    eprintln!("ingesting into {} …", data.display());
    let report = ingest(&opts)?;
    eprint!("  {}", report.summary(5));

    let dataset = Dataset::open(&data)?;
    let rt = runtime()?;
    let (by_country, top, companies) = rt.block_on(async {
        let ctx = dataset.session().await?;
        let mut settings = Settings::new(Profile::builtin("concepts")?);
        let by_country = metrics::run(&ctx, Metric::CountriesTotal, &settings).await?;
        settings.set_rollup(true);
        settings.set_limit(Some(10))?;
        let top = metrics::run(&ctx, Metric::Institutions, &settings).await?;
        settings.set_sector(Some("company"))?;
        settings.set_limit(Some(8))?;
        let companies = metrics::run(&ctx, Metric::Institutions, &settings).await?;
        anyhow::Ok((by_country, top, companies))
    })?;

    println!(
        "\nAI activity of a SYNTHETIC world (profile concepts: OpenAlex AI concepts, score >= 0.3)\n"
    );
    show("AI papers by country, whole range", &head(&by_country, 12))?;
    show(
        "Top institutions (institutes rolled up under their parent)",
        &top,
    )?;
    show(
        "Companies and the countries of their labs' output",
        &companies,
    )?;
    super::talent::demo_summary(&data)?;
    let report = args.out.join("report.html");
    super::report::write(dataset, vec![], &Default::default(), &report, None)?;
    println!(
        "Charts (open in a browser, works offline): {}\n",
        report.display()
    );
    println!(
        "Next: talentchain countries --data {d}   |   talentchain institutions --data {d} --rollup   |   talentchain tables",
        d = data.display()
    );
    Ok(())
}

fn head(r: &MetricResult, n: usize) -> MetricResult {
    let mut out = r.clone();
    let mut left = n;
    out.batches = r
        .batches
        .iter()
        .filter_map(|b| {
            if left == 0 {
                return None;
            }
            let take = left.min(b.num_rows());
            left -= take;
            Some(b.slice(0, take))
        })
        .collect();
    out
}

fn show(title: &str, r: &MetricResult) -> Result<()> {
    println!("{title}");
    output::write(&r.batches, &r.schema, Format::Table, std::io::stdout())?;
    println!();
    Ok(())
}
