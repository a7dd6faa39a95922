//! The SQL layer: every table and metric talentchain computes is one file of
//! `crates/talentchain/sql/`, in three folders that show the flow, each
//! file with its definition in words as its header comment and a `.slt`
//! file of hand-checked cases beside it:
//!
//! - `derived/`: what ingest computes once per dataset (`work_countries`,
//!   `work_institutions`, …, `author_years`, `work_roots`);
//! - `selection/`: what a session computes once for the settings in force
//!   (`selection`, `selection_hc`, `talent_scope`, `careers`, …);
//! - `metrics/`: the answers (`countries`, `institutions`, every
//!   `talent_*`).
//!
//! A file is one SELECT defining the relation named after the file; a
//! metric's file may first create helper tables (`CREATE TABLE name AS
//! SELECT …;`, each kept for the session) that its last SELECT reads.
//! Values come as named parameters (`$first_year`, `$top_bp`, …), bound in
//! one place ([`crate::settings::Settings::bindings`]); the one identifier a
//! file may name is the AI profile's column suffix, `{{profile}}`
//! (`status_{{profile}}` is `status_concepts_v1`), checked before it is
//! put in. [`user`] runs a user's own read-only query.

pub mod user;

use std::collections::HashMap;
use std::sync::Arc;

use datafusion::common::ParamValues;
use datafusion::dataframe::DataFrame;
use datafusion::prelude::SessionContext;
use datafusion::scalar::ScalarValue;

use crate::engine::materialize;
use crate::error::{Error, Result};

/// What a metric (or a user's query) returns: the rows, their schema (also
/// when there are no rows), and notes for stderr (counts of unknown works,
/// definitions).
#[derive(Debug, Clone)]
pub struct MetricResult {
    /// The result rows.
    pub batches: Vec<arrow::record_batch::RecordBatch>,
    /// Their schema.
    pub schema: arrow::datatypes::SchemaRef,
    /// Lines for stderr, never for stdout.
    pub notes: Vec<String>,
}

impl MetricResult {
    /// Number of rows.
    pub fn num_rows(&self) -> usize {
        self.batches.iter().map(|b| b.num_rows()).sum()
    }

    /// Only the columns `names`, in that order.
    pub fn select(self, names: &[&str]) -> Result<MetricResult> {
        let idx = names
            .iter()
            .map(|n| self.schema.index_of(n))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let batches = self
            .batches
            .iter()
            .map(|b| b.project(&idx))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(MetricResult {
            schema: Arc::new(self.schema.project(&idx)?),
            batches,
            notes: self.notes,
        })
    }
}

/// One SQL file of `crates/talentchain/sql/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Query {
    /// `folder/name`, e.g. `metrics/countries`.
    pub path: &'static str,
    /// The file's text.
    pub text: &'static str,
}

macro_rules! queries {
    ($($folder:literal / $name:literal),* $(,)?) => {
        &[$(Query {
            path: concat!($folder, "/", $name),
            text: include_str!(concat!("../../sql/", $folder, "/", $name, ".sql")),
        }),*]
    };
}

/// Every SQL file, in the order of the flow.
pub const QUERIES: &[Query] = queries![
    "derived" / "authorship_shares",
    "derived" / "work_countries",
    "derived" / "work_institutions",
    "derived" / "work_authors",
    "derived" / "work_author_countries",
    "derived" / "work_author_institutions",
    "derived" / "career_tallies",
    "derived" / "career_countries",
    "derived" / "author_years",
    "derived" / "work_roots",
    "selection" / "ai_status",
    "selection" / "ai_status_scoped",
    "selection" / "custom_profile",
    "selection" / "selection",
    "selection" / "selection_counts",
    "selection" / "selection_ranks",
    "selection" / "selection_hc",
    "selection" / "selection_countries",
    "selection" / "institution_parts",
    "selection" / "sector_parts",
    "selection" / "collab_parts",
    "selection" / "collab_pair_parts",
    "selection" / "country_parts",
    "selection" / "world_parts",
    "selection" / "work_leads",
    "selection" / "country_years",
    "selection" / "talent_scope",
    "selection" / "talent_main",
    "selection" / "talent_years",
    "selection" / "talent_authors",
    "selection" / "talent_country_parts",
    "selection" / "talent_flow_parts",
    "selection" / "talent_org_parts",
    "selection" / "talent_stay_parts",
    "selection" / "talent_supply_parts",
    "selection" / "conversion_slots",
    "selection" / "conversion_author_parts",
    "selection" / "conversion_work_parts",
    "selection" / "conversion_total_parts",
    "selection" / "talent_counts",
    "selection" / "career_institutions",
    "selection" / "careers",
    "selection" / "researcher_works",
    "selection" / "researcher_parts",
    "selection" / "researcher_ranks",
    "selection" / "projection_years",
    "selection" / "projection_orgs",
    "metrics" / "countries",
    "metrics" / "countries_total",
    "metrics" / "institutions",
    "metrics" / "sectors",
    "metrics" / "collab_pairs",
    "metrics" / "collab_shares",
    "metrics" / "talent_flows",
    "metrics" / "talent_flows_by_cohort",
    "metrics" / "talent_countries",
    "metrics" / "talent_mismatch",
    "metrics" / "talent_conversion",
    "metrics" / "talent_orgs",
    "metrics" / "talent_stays",
    "metrics" / "talent_top",
    "metrics" / "talent_author",
];

/// The file at `path` (`metrics/countries`).
///
/// # Panics
/// When there is no such file: paths are written in the code, and a test
/// checks each of them.
pub fn query(path: &str) -> &'static Query {
    QUERIES
        .iter()
        .find(|q| q.path == path)
        .unwrap_or_else(|| panic!("no SQL file `{path}.sql`"))
}

/// One statement of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Statement {
    /// `CREATE TABLE name AS query`: a helper table kept for the session.
    CreateTable {
        /// The table's name.
        name: String,
        /// Its query.
        query: String,
    },
    /// `CREATE VIEW name AS query`: a view for the session.
    CreateView {
        /// The view's name.
        name: String,
        /// Its query.
        query: String,
    },
    /// A SELECT (or WITH) query.
    Select(String),
}

/// The values a run binds: named parameters and the profile's column suffix.
#[derive(Debug, Clone, Default)]
pub struct Bindings {
    values: HashMap<String, ScalarValue>,
    profile: Option<String>,
}

impl Bindings {
    /// Bind the named values (`from_year` for `$from_year`).
    pub fn new(values: HashMap<String, ScalarValue>) -> Bindings {
        Bindings {
            values,
            profile: None,
        }
    }

    /// Add or replace one named value.
    pub fn with(mut self, name: &str, value: ScalarValue) -> Bindings {
        self.values.insert(name.to_string(), value);
        self
    }

    /// The AI profile's column suffix (`concepts_v1`, `custom`): lower-case
    /// letters, digits and `_` only.
    pub fn with_profile(mut self, suffix: &str) -> Result<Bindings> {
        if suffix.is_empty()
            || !suffix
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(Error::Internal(
                format!("`{suffix}` is not a profile column suffix").into(),
            ));
        }
        self.profile = Some(suffix.to_string());
        Ok(self)
    }

    /// A named value, if bound.
    pub fn get(&self, name: &str) -> Option<&ScalarValue> {
        self.values.get(name)
    }
}

impl Query {
    /// The relation's name: the file's name (`countries`).
    pub fn name(&self) -> &'static str {
        self.path.rsplit('/').next().unwrap_or(self.path)
    }

    /// The header comment: the definition in words.
    pub fn header(&self) -> String {
        self.text
            .lines()
            .take_while(|l| l.starts_with("--"))
            .map(|l| l.trim_start_matches("--").strip_prefix(' ').unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The file's statements, with the profile suffix put in.
    pub fn statements(&self, bindings: &Bindings) -> Result<Vec<Statement>> {
        let mut text = self.text.to_string();
        if text.contains("{{profile}}") {
            let suffix = bindings.profile.as_deref().ok_or_else(|| {
                Error::Internal(
                    format!("{}.sql needs the profile's column suffix", self.path).into(),
                )
            })?;
            text = text.replace("{{profile}}", suffix);
        }
        let mut out = Vec::new();
        let mut current = String::new();
        for line in text.lines() {
            if line.trim_start().starts_with("--") {
                continue;
            }
            current.push_str(line);
            current.push('\n');
            if line.trim_end().ends_with(';') {
                out.push(statement(current.trim().trim_end_matches(';'))?);
                current.clear();
            }
        }
        if !current.trim().is_empty() {
            out.push(statement(current.trim())?);
        }
        Ok(out)
    }

    /// Run the file's CREATE statements in `ctx`: each helper table is
    /// computed and kept ([`materialize`]), each view registered. Returns
    /// the last SELECT, if the file ends with one, unrun.
    pub async fn run(&self, ctx: &SessionContext, bindings: &Bindings) -> Result<Option<String>> {
        let mut last = None;
        for s in self.statements(bindings)? {
            match s {
                Statement::CreateTable { name, query } => {
                    let df = bind(ctx, &query, bindings).await?;
                    materialize(ctx, &name, df).await?;
                }
                Statement::CreateView { name, query } => {
                    let df = bind(ctx, &query, bindings).await?;
                    ctx.deregister_table(&name)?;
                    ctx.register_table(&name, df.into_view())?;
                }
                Statement::Select(q) => last = Some(q),
            }
        }
        Ok(last)
    }

    /// Run the file in `ctx` ([`Query::run`]) and return its last SELECT as
    /// a query, unrun.
    pub async fn dataframe(&self, ctx: &SessionContext, bindings: &Bindings) -> Result<DataFrame> {
        let last = self.run(ctx, bindings).await?.ok_or_else(|| {
            Error::Internal(format!("{}.sql does not end with a SELECT", self.path).into())
        })?;
        bind(ctx, &last, bindings).await
    }

    /// Run the file and keep its relation as a table named after the file.
    pub async fn materialize(&self, ctx: &SessionContext, bindings: &Bindings) -> Result<()> {
        let df = self.dataframe(ctx, bindings).await?;
        materialize(ctx, self.name(), df).await?;
        Ok(())
    }

    /// Register the file's relation as a view named `name`, its parameters
    /// bound: read each time a query reads it.
    pub async fn register_view(
        &self,
        ctx: &SessionContext,
        name: &str,
        bindings: &Bindings,
    ) -> Result<()> {
        let df = self.dataframe(ctx, bindings).await?;
        ctx.deregister_table(name)?;
        ctx.register_table(name, df.into_view())?;
        Ok(())
    }
}

fn statement(text: &str) -> Result<Statement> {
    let (rest, view) = match (
        text.strip_prefix("CREATE TABLE "),
        text.strip_prefix("CREATE VIEW "),
    ) {
        (Some(rest), _) => (rest, false),
        (_, Some(rest)) => (rest, true),
        _ => return Ok(Statement::Select(text.to_string())),
    };
    let (name, query) = rest
        .split_once(char::is_whitespace)
        .and_then(|(name, q)| {
            Some((
                name.to_string(),
                q.trim_start().strip_prefix("AS")?.trim().to_string(),
            ))
        })
        .ok_or_else(|| Error::Internal(format!("bad CREATE statement: {text}").into()))?;
    Ok(if view {
        Statement::CreateView { name, query }
    } else {
        Statement::CreateTable { name, query }
    })
}

/// Plan `sql` in `ctx` with its named parameters bound.
pub async fn bind(ctx: &SessionContext, sql: &str, bindings: &Bindings) -> Result<DataFrame> {
    let df = ctx.sql(sql).await?;
    if !sql.contains('$') {
        return Ok(df);
    }
    let values: HashMap<String, ScalarValue> = bindings.values.clone();
    Ok(df.with_param_values(ParamValues::from(values))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_is_listed_once_with_a_header() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/sql");
        let mut on_disk = Vec::new();
        for folder in ["derived", "selection", "metrics"] {
            for entry in std::fs::read_dir(format!("{root}/{folder}")).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "sql") {
                    let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
                    on_disk.push(format!("{folder}/{stem}"));
                }
            }
        }
        on_disk.sort();
        let mut listed: Vec<String> = QUERIES.iter().map(|q| q.path.to_string()).collect();
        listed.sort();
        assert_eq!(listed, on_disk);
        for q in QUERIES {
            let header = q.header();
            assert!(
                header.starts_with(&format!("{}: ", q.name())),
                "{}.sql: the header starts with the relation's name and its definition",
                q.path
            );
        }
    }

    /// Every `query("folder/name")` the code names is a file: a name that
    /// is not would panic at run time.
    #[test]
    fn every_path_the_code_names_is_a_file() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut dirs = vec![src];
        let mut named = 0;
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    dirs.push(p);
                    continue;
                }
                let text = std::fs::read_to_string(&p).unwrap();
                let code: String = text
                    .lines()
                    .filter(|l| !l.trim_start().starts_with("//"))
                    .collect::<Vec<_>>()
                    .join("\n");
                for part in code.split("query(\"").skip(1) {
                    let path = part.split('"').next().unwrap();
                    if path.contains('/') && !path.contains('{') {
                        assert!(
                            QUERIES.iter().any(|q| q.path == path),
                            "{}: no SQL file `{path}`",
                            p.display()
                        );
                        named += 1;
                    }
                }
            }
        }
        assert!(named > 10, "only {named} paths found: the scan is broken");
        for m in crate::metrics::Metric::ALL {
            assert_eq!(m.query().name(), m.name());
        }
        let derived = crate::ingest::derive::ORDER.map(|t| t.name());
        for name in derived.iter().chain(&crate::dataset::DERIVED_VIEWS) {
            assert!(
                QUERIES.iter().any(|q| q.path == format!("derived/{name}")),
                "{name}"
            );
        }
    }

    #[test]
    fn statements_split_and_the_profile_is_put_in() {
        let q = query("metrics/talent_author");
        let b = Bindings::default().with_profile("concepts_v1").unwrap();
        let s = q.statements(&b).unwrap();
        let names: Vec<&str> = s
            .iter()
            .filter_map(|s| match s {
                Statement::CreateTable { name, .. } => Some(name.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(names, ["talent_author_info", "talent_author_rows"]);
        assert!(
            matches!(s.last(), Some(Statement::Select(t)) if t.starts_with("SELECT year, country"))
        );
        let sel = query("selection/selection").statements(&b).unwrap();
        assert!(
            matches!(&sel[0], Statement::Select(t) if t.contains("status_concepts_v1 = 'selected'"))
        );
        assert!(
            query("selection/selection")
                .statements(&Bindings::default())
                .is_err()
        );
        assert!(Bindings::default().with_profile("x; DROP").is_err());
    }
}
