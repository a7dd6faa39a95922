//! The SQL layer's hand-checked cases: every `crates/talentchain/sql/**/NAME.sql`
//! has a `NAME.slt` beside it, run here by one harness (sqllogictest, as
//! DataFusion tests itself).
//!
//! A file builds a small world as ingest builds a dataset: it inserts rows
//! into the base tables (`works`, `work_concepts`, `authorships`,
//! `authorship_countries`, `authorship_institutions`, `institutions`,
//! `authors`, `author_affiliations`, `work_topics`), and the harness computes
//! what ingest stores from them before the next query: the authorships'
//! counts of countries and institutions (`n_countries`, `n_institutions`:
//! their rows in `authorship_countries` and `authorship_institutions`, as
//! the normalized model lists them), the stored statuses and every derived
//! table by their SQL definitions (`talentchain::ingest::derive`). The
//! settings are set by name, as the API takes them:
//!
//! ```text
//! statement ok
//! SET talentchain.top = 1
//! ```
//!
//! A query reads any table of the dataset, any relation of the selection
//! (computed for the settings in force when the query names it; the counts
//! the notes print, `selection_counts` and `talent_counts`, too) and any
//! metric by its name (`SELECT * FROM countries`: the metric's rows, run as
//! the CLI and the API run it, in place of the dataset's table of the same
//! name, `institutions`, for that query). Rows may be inserted after a
//! query: the world grows, and everything is computed again from its base
//! tables.
//!
//! A profile file (`SET talentchain.ai = PATH`) can be written by the file
//! itself into the runner's temporary folder, with sqllogictest's own
//! records:
//!
//! ```text
//! control substitution on
//!
//! system ok
//! cat > $__TEST_DIR__/mine.toml <<'EOF'
//! name = "mine"
//! ...
//! EOF
//!
//! statement ok
//! SET talentchain.ai = $__TEST_DIR__/mine.toml
//! ```
//!
//! `TALENTCHAIN_SLT_COMPLETE=1` fills in the expected rows of the queries
//! that have none yet, each under a `# unchecked` line; a file with such a
//! line fails until a person has checked the rows by hand and removed it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, RecordBatch};
use datafusion::arrow::datatypes::{DataType, Field, Float64Type, Schema};
use datafusion::arrow::util::display::array_value_to_string;
use datafusion::datasource::MemTable;
use datafusion::prelude::{SessionConfig, SessionContext};
use sqllogictest::{DBOutput, DefaultColumnType, Record};
use talentchain::dataset::Table;
use talentchain::dataset::schema::WORKS_BASE_COLUMNS;
use talentchain::metrics::{self, Metric};
use talentchain::profile::Profile;
use talentchain::selection;
use talentchain::settings::Settings;

/// The relations of the selection a query may name (besides
/// `selection::OUTPUT_VIEWS`).
const SELECTION: &[&str] = &[
    "ai_status",
    "ai_works",
    "work_labels",
    "selection",
    "selection_ranks",
    "selection_hc",
    "selection_countries",
    "work_leads",
    "talent_scope",
    "talent_main",
    "talent_years",
    "talent_authors",
    "talent_country_parts",
    "talent_flow_parts",
    "talent_org_parts",
    "talent_stay_parts",
    "talent_supply_parts",
    "conversion_slots",
    "conversion_author_parts",
    "conversion_work_parts",
    "conversion_total_parts",
    "career_institutions",
    "careers",
    "researcher_works",
    "researcher_parts",
    "researcher_ranks",
    "selection_counts",
    "talent_counts",
    "projection_years",
    "projection_orgs",
];

/// The relations of the selection that the session computes for the notes
/// only, and the talent metrics' parts: registered as views when a query
/// names them.
const NOTES: &[&str] = &[
    "selection_counts",
    "talent_counts",
    "talent_country_parts",
    "talent_flow_parts",
    "talent_org_parts",
    "talent_stay_parts",
    "talent_supply_parts",
    "conversion_slots",
    "conversion_author_parts",
    "conversion_work_parts",
    "conversion_total_parts",
    "researcher_works",
    "researcher_parts",
    "work_leads",
    "projection_years",
    "projection_orgs",
];

/// A world and the settings in force.
struct World {
    ctx: SessionContext,
    settings: Settings,
    /// Base rows changed since the derived tables were computed.
    dirty: bool,
    /// The base tables as inserted into, `works` and `authorships`, which
    /// deriving replaces by what ingest stores (`works` with the stored
    /// statuses, `authorships` with its counts): put back before rows are
    /// inserted again.
    inserted: Vec<(Table, Arc<MemTable>)>,
}

#[derive(Debug)]
struct Failure(String);

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Failure {}

fn fail(e: impl std::fmt::Display) -> Failure {
    Failure(e.to_string())
}

impl World {
    fn new() -> World {
        let ctx =
            SessionContext::new_with_config(SessionConfig::new().with_information_schema(true));
        let mut inserted = Vec::new();
        for table in Table::ALL.into_iter().filter(|t| !t.is_derived()) {
            let mut schema = table.schema();
            if table == Table::Works {
                let base: Vec<usize> = (0..WORKS_BASE_COLUMNS).collect();
                schema = Arc::new(schema.project(&base).unwrap());
            }
            // Every column nullable: a world gives the columns it needs.
            let fields: Vec<Field> = schema
                .fields()
                .iter()
                .map(|f| f.as_ref().clone().with_nullable(true))
                .collect();
            let schema = Arc::new(Schema::new(fields));
            let mem = Arc::new(
                MemTable::try_new(schema.clone(), vec![vec![RecordBatch::new_empty(schema)]])
                    .unwrap(),
            );
            if matches!(table, Table::Works | Table::Authorships) {
                inserted.push((table, mem.clone()));
            }
            ctx.register_table(table.name(), mem).unwrap();
        }
        World {
            ctx,
            settings: Settings::new(Profile::builtin("concepts").unwrap()),
            dirty: true,
            inserted,
        }
    }

    /// Put the inserted `works` and `authorships` back in place of what
    /// deriving made of them (and of a profile file's view of `works`), so
    /// that rows can be inserted into them.
    async fn base_tables(&mut self) -> Result<(), Failure> {
        if self.dirty {
            return Ok(());
        }
        // A stored profile puts the dataset's tables back in place of a
        // profile file's views.
        selection::register_profile(&self.ctx, &Profile::builtin("concepts").unwrap())
            .await
            .map_err(fail)?;
        for (table, mem) in &self.inserted {
            self.ctx.deregister_table(table.name()).map_err(fail)?;
            self.ctx
                .register_table(table.name(), mem.clone())
                .map_err(fail)?;
        }
        self.dirty = true;
        Ok(())
    }

    /// Replace `authorships` by the inserted rows with their counts of
    /// countries and institutions, as ingest stores them.
    async fn count_units(&self) -> Result<(), Failure> {
        let columns: Vec<String> = Table::Authorships
            .schema()
            .fields()
            .iter()
            .map(|f| match f.name().as_str() {
                "n_countries" => "CAST(COALESCE(c.n, 0) AS INT) AS n_countries".to_string(),
                "n_institutions" => "CAST(COALESCE(i.n, 0) AS INT) AS n_institutions".to_string(),
                name => format!("a.{name}"),
            })
            .collect();
        let sql = format!(
            "SELECT {} FROM authorships a \
             LEFT JOIN (SELECT work, position, COUNT(*) AS n FROM authorship_countries \
                        GROUP BY work, position) c ON c.work = a.work AND c.position = a.position \
             LEFT JOIN (SELECT work, position, COUNT(*) AS n FROM authorship_institutions \
                        GROUP BY work, position) i ON i.work = a.work AND i.position = a.position",
            columns.join(", ")
        );
        let df = self.ctx.sql(&sql).await.map_err(fail)?;
        let schema = Arc::new(df.schema().as_arrow().clone());
        let batches = df.collect().await.map_err(fail)?;
        let mem = MemTable::try_new(schema, vec![batches]).map_err(fail)?;
        self.ctx.deregister_table("authorships").map_err(fail)?;
        self.ctx
            .register_table("authorships", Arc::new(mem))
            .map_err(fail)?;
        Ok(())
    }

    /// The names of `sql` (words of letters, digits and `_`).
    fn names(sql: &str) -> Vec<String> {
        sql.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_lowercase)
            .collect()
    }

    async fn query(&mut self, sql: &str) -> Result<DBOutput<DefaultColumnType>, Failure> {
        if self.dirty {
            self.count_units().await?;
            talentchain::ingest::derive::derive(&self.ctx)
                .await
                .map_err(fail)?;
            self.dirty = false;
        }
        let names = Self::names(sql);
        if names.iter().any(|n| {
            SELECTION.contains(&n.as_str()) || selection::OUTPUT_VIEWS.contains(&n.as_str())
        }) {
            selection::prepare_all(&self.ctx, &self.settings)
                .await
                .map_err(fail)?;
            let (_, _, b) = selection::prepare_talent(&self.ctx, &self.settings)
                .await
                .map_err(fail)?;
            // A view named, and the views it reads (earlier in NOTES).
            let mut wanted = names.clone();
            if names.iter().any(|n| n == "researcher_ranks") {
                wanted.extend(Self::names(
                    talentchain::sql::query("selection/researcher_ranks").text,
                ));
            }
            for name in NOTES.iter().rev() {
                if wanted.iter().any(|n| n == name) {
                    let text = talentchain::sql::query(&format!("selection/{name}")).text;
                    wanted.extend(Self::names(text));
                }
            }
            for name in NOTES {
                if wanted.iter().any(|n| n == name) {
                    talentchain::sql::query(&format!("selection/{name}"))
                        .register_view(&self.ctx, name, &b)
                        .await
                        .map_err(fail)?;
                }
            }
            if names.iter().any(|n| n == "researcher_ranks") {
                talentchain::sql::query("selection/researcher_ranks")
                    .materialize(&self.ctx, &b)
                    .await
                    .map_err(fail)?;
            }
        }
        // Every metric named is run first, over the dataset's tables; its
        // rows then stand under its name for this query only, and what was
        // there before is put back: the metric `institutions` shares its
        // name with the dataset's table, which the next runs read.
        let mut results = Vec::new();
        for metric in Metric::ALL {
            if names.iter().any(|n| n == metric.name()) {
                let r = metrics::run(&self.ctx, metric, &self.settings)
                    .await
                    .map_err(fail)?;
                let mem = MemTable::try_new(r.schema.clone(), vec![r.batches]).map_err(fail)?;
                results.push((metric.name(), mem));
            }
        }
        let mut replaced = Vec::new();
        for (name, mem) in results {
            replaced.push((name, self.ctx.deregister_table(name).map_err(fail)?));
            self.ctx.register_table(name, Arc::new(mem)).map_err(fail)?;
        }
        let batches = match self.ctx.sql(sql).await {
            Ok(df) => df.collect().await,
            Err(e) => Err(e),
        };
        for (name, before) in replaced {
            self.ctx.deregister_table(name).map_err(fail)?;
            if let Some(before) = before {
                self.ctx.register_table(name, before).map_err(fail)?;
            }
        }
        let batches = batches.map_err(fail)?;
        rows(&batches)
    }
}

/// Rows as text: `NULL`, floats to 6 decimals without trailing zeros
/// (hand-worked answers are fractions), `(empty)` for an empty string.
fn rows(batches: &[RecordBatch]) -> Result<DBOutput<DefaultColumnType>, Failure> {
    let mut types = Vec::new();
    let mut rows = Vec::new();
    for b in batches {
        if types.is_empty() {
            types = b
                .schema()
                .fields()
                .iter()
                .map(|f| match f.data_type() {
                    DataType::Int8
                    | DataType::Int16
                    | DataType::Int32
                    | DataType::Int64
                    | DataType::UInt8
                    | DataType::UInt16
                    | DataType::UInt32
                    | DataType::UInt64 => DefaultColumnType::Integer,
                    DataType::Float32 | DataType::Float64 => DefaultColumnType::FloatingPoint,
                    DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
                        DefaultColumnType::Text
                    }
                    _ => DefaultColumnType::Any,
                })
                .collect();
        }
        for r in 0..b.num_rows() {
            let mut row = Vec::new();
            for c in b.columns() {
                row.push(if c.is_null(r) {
                    "NULL".to_string()
                } else if let DataType::Float64 = c.data_type() {
                    let v = c.as_primitive::<Float64Type>().value(r);
                    let s = format!("{:.6}", (v * 1e6).round() / 1e6);
                    let s = s.trim_end_matches('0').trim_end_matches('.').to_string();
                    if s == "-0" { "0".to_string() } else { s }
                } else {
                    let s = array_value_to_string(c, r).map_err(fail)?;
                    if s.is_empty() {
                        "(empty)".to_string()
                    } else {
                        s
                    }
                });
            }
            rows.push(row);
        }
    }
    if types.is_empty()
        && let Some(b) = batches.first()
    {
        types = vec![DefaultColumnType::Any; b.num_columns()];
    }
    Ok(DBOutput::Rows { types, rows })
}

#[async_trait::async_trait]
impl sqllogictest::AsyncDB for World {
    type Error = Failure;
    type ColumnType = DefaultColumnType;

    async fn run(&mut self, sql: &str) -> Result<DBOutput<DefaultColumnType>, Failure> {
        let text = sql.trim().trim_end_matches(';');
        if let Some(rest) = text.strip_prefix("SET talentchain.") {
            let (name, value) = rest
                .split_once('=')
                .ok_or_else(|| fail("SET talentchain.NAME = VALUE"))?;
            let value = value.trim().trim_matches('\'');
            self.settings.set(name.trim(), value).map_err(fail)?;
            return Ok(DBOutput::StatementComplete(0));
        }
        if text.to_ascii_uppercase().starts_with("INSERT") {
            self.base_tables().await?;
            let batches = self
                .ctx
                .sql(text)
                .await
                .map_err(fail)?
                .collect()
                .await
                .map_err(fail)?;
            self.dirty = true;
            let n = batches.first().map_or(0, |b| {
                b.column(0)
                    .as_primitive::<datafusion::arrow::datatypes::UInt64Type>()
                    .value(0)
            });
            return Ok(DBOutput::StatementComplete(n));
        }
        self.query(text).await
    }

    async fn shutdown(&mut self) {}

    fn engine_name(&self) -> &str {
        "talentchain"
    }
}

/// Every `.slt` file under `crates/talentchain/sql/`.
fn files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sql");
    let mut out = Vec::new();
    for folder in ["derived", "selection", "metrics"] {
        for e in std::fs::read_dir(root.join(folder)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "slt") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

const UNCHECKED: &str = "# unchecked";

/// Fill in the expected rows of the queries of `path` that have none, each
/// under an `# unchecked` line.
async fn complete(path: &Path) {
    let records = sqllogictest::parse_file::<DefaultColumnType>(path).unwrap();
    let mut runner = sqllogictest::Runner::new(|| async { Ok(World::new()) });
    let mut out = String::new();
    for record in records {
        let empty = matches!(&record, Record::Query { expected: sqllogictest::QueryExpect::Results { results, .. }, .. } if results.is_empty());
        let output = runner.apply_record(record.clone()).await;
        if empty
            && let Some(filled) = sqllogictest::update_record_with_output(
                &record,
                &output,
                " ",
                sqllogictest::default_validator,
                sqllogictest::default_normalizer,
                sqllogictest::strict_column_validator,
            )
        {
            out.push_str(UNCHECKED);
            out.push('\n');
            out.push_str(&filled.to_string());
        } else {
            out.push_str(&record.to_string());
        }
        out.push('\n');
    }
    std::fs::write(path, out).unwrap();
}

/// Each `.sql` has its `.slt`, and each `.slt` its `.sql`.
#[test]
fn every_sql_file_has_its_cases() {
    let sql_root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sql");
    let missing: Vec<&str> = talentchain::sql::QUERIES
        .iter()
        .filter(|q| !sql_root.join(format!("{}.slt", q.path)).is_file())
        .map(|q| q.path)
        .collect();
    assert!(
        missing.is_empty(),
        "without hand-checked cases (.slt): {missing:?}"
    );
    assert_eq!(
        files().len(),
        talentchain::sql::QUERIES.len(),
        "an .slt without its .sql"
    );
}

/// Every SQL file's hand-checked cases hold. `TALENTCHAIN_SLT=NAME` runs
/// the files whose path contains NAME only.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sql_files_hold_their_hand_checked_cases() {
    let only = std::env::var("TALENTCHAIN_SLT").ok();
    let files: Vec<PathBuf> = files()
        .into_iter()
        .filter(|p| {
            only.as_ref()
                .is_none_or(|o| p.to_string_lossy().contains(o.as_str()))
        })
        .collect();
    assert!(!files.is_empty(), "no .slt file to run");
    let completing = std::env::var_os("TALENTCHAIN_SLT_COMPLETE").is_some();
    let mut failures = Vec::new();
    for path in &files {
        if completing {
            complete(path).await;
        }
        let text = std::fs::read_to_string(path).unwrap();
        if text.lines().any(|l| l.starts_with(UNCHECKED)) {
            failures.push(format!(
                "{}: rows filled in by the completion mode await a check by hand (then delete the `{UNCHECKED}` lines)",
                path.display()
            ));
            continue;
        }
        if !text.lines().any(|l| l.starts_with("query")) {
            failures.push(format!("{}: no query", path.display()));
        }
        let mut runner = sqllogictest::Runner::new(|| async { Ok(World::new()) });
        if let Err(e) = runner.run_file_async(path).await {
            failures.push(format!("{}\n{}", path.display(), e.display(false)));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}
