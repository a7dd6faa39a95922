//! `talentchain talent …`: researcher careers, origins, mobility flows,
//! retention and the supply-versus-output mismatch. One module per verb;
//! the definitions live in the library's `talentchain::talent`.

pub mod author;
pub mod conversion;
pub mod countries;
pub mod flows;
pub mod mismatch;
pub mod orgs;
pub mod stays;
pub mod top;

use std::path::Path;

use anyhow::Result;
use clap::Subcommand;
use talentchain::dataset::Dataset;
use talentchain::metrics::{self, Metric, MetricResult};
use talentchain::output::{self, Format};
use talentchain::profile::Profile;
use talentchain::settings::{Careers, Settings};

use super::query::{self, QueryArgs};

/// The talent chain: where AI researchers' careers start (origin), where
/// they work now (current), and where their output is produced.
///
/// Origin is the main country of a researcher's first observed year: a
/// proxy for where a career started, never nationality or ethnicity.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Origin → current country flows of researchers (stayers on the diagonal).
    Flows(flows::Args),
    /// Stayers, returnees, emigrants, immigrants, retention and mobility rate by country.
    Countries(countries::Args),
    /// Talent supply (researchers by origin) versus output (by affiliation) per country.
    Mismatch(mismatch::Args),
    /// Where researchers of one origin produce their works and highly cited works.
    Conversion(conversion::Args),
    /// Origin mix and concentration (HHI) of each institution's or company's researchers.
    Orgs(orgs::Args),
    /// Who stays in a host country, who returns to the origin, who moves on.
    Stays(stays::Args),
    /// Top researchers by citations and h-index, with origin and current country.
    Top(top::Args),
    /// One researcher's career, year by year.
    Author(author::Args),
}

/// Dispatch to the verb.
pub fn run(args: Args) -> Result<()> {
    match args.command {
        Command::Flows(a) => flows::run(a),
        Command::Countries(a) => countries::run(a),
        Command::Mismatch(a) => mismatch::run(a),
        Command::Conversion(a) => conversion::run(a),
        Command::Orgs(a) => orgs::run(a),
        Command::Stays(a) => stays::run(a),
        Command::Top(a) => top::run(a),
        Command::Author(a) => author::run(a),
    }
}

/// Options of every talent command: the metric options, the scope and the
/// career source.
#[derive(clap::Args, Debug, Clone)]
pub struct TalentArgs {
    #[command(flatten)]
    pub query: QueryArgs,
    /// Researchers in scope have at least K works in the AI profile (within
    /// --from/--to); their careers use all their works in range.
    #[arg(long, default_value_t = 1, value_name = "K")]
    pub min_works: u32,
    /// Careers from the countries of the authors' authorships, or from
    /// author entities' affiliations[].years (authors without an entity
    /// then have no career).
    #[arg(long = "origin", visible_alias = "careers-from", default_value = "authorships",
          value_parser = clap::builder::PossibleValuesParser::new(Careers::names()), value_name = "SOURCE")]
    pub careers: String,
}

impl TalentArgs {
    /// The settings these arguments ask for, checked by the library.
    pub fn settings(&self) -> Result<Settings> {
        let mut s = self.query.settings()?;
        query::flag(s.set_min_works(self.min_works))?;
        s.set_careers(
            self.careers
                .parse::<Careers>()
                .map_err(anyhow::Error::msg)?,
        );
        Ok(s)
    }
}

/// The talent-chain summary `talentchain demo` prints: the largest flows
/// between countries, retention, and supply versus output.
pub fn demo_summary(data: &Path) -> Result<()> {
    let dataset = Dataset::open(data)?;
    let rt = query::runtime()?;
    let (flows, countries, mismatch) = rt.block_on(async {
        let ctx = dataset.session().await?;
        let settings = Settings::new(Profile::builtin("concepts")?);
        let flows = metrics::run(&ctx, Metric::TalentFlows, &settings).await?;
        let countries = metrics::run(&ctx, Metric::TalentCountries, &settings).await?;
        let mismatch = metrics::run(&ctx, Metric::TalentMismatch, &settings).await?;
        anyhow::Ok((flows, countries, mismatch))
    })?;
    let moves = keep_rows(&flows, 10, |b, i| arrow_str(b, 0, i) != arrow_str(b, 1, i));
    let retention = project(
        &keep_rows(&countries, 10, |_, _| true),
        &[
            "country",
            "authors",
            "stayers",
            "returnees",
            "emigrants",
            "immigrants",
            "retention",
            "net_gain",
        ],
    )?;
    let supply = project(
        &keep_rows(&mismatch, 10, |_, _| true),
        &[
            "country",
            "researchers",
            "supply_share",
            "output_share",
            "hc_share",
            "output_ratio",
            "hc_ratio",
            "top_ratio",
        ],
    )?;
    println!(
        "Talent chain of the SYNTHETIC world (origin = first observed country, not nationality)\n"
    );
    show(
        "Largest flows between countries (origin → current, researchers with ≥ 2 observed years)",
        &moves,
    )?;
    show(
        "Retention by origin country (stayers + returnees over researchers of that origin)",
        &retention,
    )?;
    show(
        "Talent supply (by origin) versus AI output (by affiliation); ratio > 1: produces more than it supplies",
        &supply,
    )?;
    println!(
        "More: talentchain talent flows --data {d}   |   talentchain talent conversion --origin CN --data {d}",
        d = data.display()
    );
    Ok(())
}

fn arrow_str(b: &datafusion::arrow::record_batch::RecordBatch, col: usize, row: usize) -> String {
    datafusion::arrow::util::display::array_value_to_string(b.column(col), row).unwrap_or_default()
}

/// The first `n` rows of `r` for which `keep` holds.
fn keep_rows(
    r: &MetricResult,
    n: usize,
    keep: impl Fn(&datafusion::arrow::record_batch::RecordBatch, usize) -> bool,
) -> MetricResult {
    let mut out = r.clone();
    let mut left = n;
    out.batches = Vec::new();
    for b in &r.batches {
        for i in 0..b.num_rows() {
            if left > 0 && keep(b, i) {
                out.batches.push(b.slice(i, 1));
                left -= 1;
            }
        }
    }
    out
}

/// Keep the named columns of `r`.
fn project(r: &MetricResult, names: &[&str]) -> Result<MetricResult> {
    let idx: Vec<usize> = names
        .iter()
        .map(|n| r.schema.index_of(n))
        .collect::<Result<_, _>>()?;
    let mut out = r.clone();
    out.schema = std::sync::Arc::new(r.schema.project(&idx)?);
    out.batches = r
        .batches
        .iter()
        .map(|b| b.project(&idx))
        .collect::<Result<_, _>>()?;
    Ok(out)
}

fn show(title: &str, r: &MetricResult) -> Result<()> {
    println!("{title}");
    output::write(&r.batches, &r.schema, Format::Table, std::io::stdout())?;
    println!();
    Ok(())
}
