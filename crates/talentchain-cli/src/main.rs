//! The `talentchain` command: parse the arguments and hand each command to
//! its module in `cmd/`. The work lives in the `talentchain` library.

mod cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Measure the global AI talent chain from open scholarly metadata.
///
/// Start with `talentchain demo`: it generates a synthetic world, ingests it
/// and prints its AI activity report. Then ingest real OpenAlex data with
/// `talentchain ingest` and query it.
#[derive(Parser)]
#[command(name = "talentchain", version, about, long_about, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the whole chain on a generated (synthetic) world: start here.
    Demo(cmd::demo::Args),
    /// Harvest OpenAlex records from the API, resumably, into files for ingest.
    Fetch(cmd::fetch::Args),
    /// Read OpenAlex works, authors and institutions into a columnar dataset.
    Ingest(cmd::ingest::Args),
    /// Merge datasets ingested separately (shards) into one.
    Merge(cmd::merge::Args),
    /// AI papers, citations and highly cited papers by country and year.
    Countries(cmd::countries::Args),
    /// Institution and company ranking, with rollup and lab countries.
    Institutions(cmd::institutions::Args),
    /// AI output by sector and country.
    Sectors(cmd::sectors::Args),
    /// Country co-authorship matrix and international collaboration shares.
    Collab(cmd::collab::Args),
    /// Each country's shares under every combination of definitions.
    Sensitivity(cmd::sensitivity::Args),
    /// Check published claims on the dataset: a verdict for each, with its interval.
    Claims(cmd::claims::Args),
    /// Published AI-article counts by country (NCSES, OpenAlex) beside the dataset's.
    Reconcile(cmd::reconcile::Args),
    /// Run a read-only SQL query over the dataset.
    Sql(cmd::sql::Args),
    /// List the dataset's tables and columns.
    Tables(cmd::tables::Args),
    /// Researcher careers, origins, mobility flows, retention and supply vs output.
    Talent(cmd::talent::Args),
    /// Project researchers and output per country under scenarios; backtest the model.
    Project(cmd::project::Args),
    /// Write an HTML report with charts (self-contained, opens offline).
    Report(cmd::report::Args),
    /// Serve the JSON API and the web dashboard.
    Serve(cmd::serve::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Demo(args) => cmd::demo::run(args).map(|()| ExitCode::SUCCESS),
        Command::Fetch(args) => cmd::fetch::run(args),
        Command::Ingest(args) => cmd::ingest::run(args),
        Command::Merge(args) => cmd::merge::run(args).map(|()| ExitCode::SUCCESS),
        Command::Countries(args) => cmd::countries::run(args).map(|()| ExitCode::SUCCESS),
        Command::Institutions(args) => cmd::institutions::run(args).map(|()| ExitCode::SUCCESS),
        Command::Sectors(args) => cmd::sectors::run(args).map(|()| ExitCode::SUCCESS),
        Command::Collab(args) => cmd::collab::run(args).map(|()| ExitCode::SUCCESS),
        Command::Sensitivity(args) => cmd::sensitivity::run(args).map(|()| ExitCode::SUCCESS),
        Command::Claims(args) => cmd::claims::run(args).map(|()| ExitCode::SUCCESS),
        Command::Reconcile(args) => cmd::reconcile::run(args).map(|()| ExitCode::SUCCESS),
        Command::Sql(args) => cmd::sql::run(args).map(|()| ExitCode::SUCCESS),
        Command::Tables(args) => cmd::tables::run(args).map(|()| ExitCode::SUCCESS),
        Command::Talent(args) => cmd::talent::run(args).map(|()| ExitCode::SUCCESS),
        Command::Project(args) => cmd::project::run(args).map(|()| ExitCode::SUCCESS),
        Command::Report(args) => cmd::report::run(args).map(|()| ExitCode::SUCCESS),
        Command::Serve(args) => cmd::serve::run(args).map(|()| ExitCode::SUCCESS),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {err:#}");
            ExitCode::from(1)
        }
    }
}

/// `talentchain … | head` closes stdout early: that is not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
