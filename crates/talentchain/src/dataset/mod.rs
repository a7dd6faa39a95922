//! The columnar dataset: its tables, its manifest, and opening it for SQL.

pub mod bad;
pub mod lock;
pub mod manifest;
pub mod schema;
pub mod tables;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use datafusion::catalog::view::ViewTable;
use datafusion::common::DFSchema;
use datafusion::execution::context::SessionContext;
use datafusion::logical_expr::{EmptyRelation, LogicalPlan};
use datafusion::prelude::ParquetReadOptions;

use crate::engine::Engine;

pub use lock::{WriteLock, lock_for_writing};
pub use manifest::Manifest;
pub use schema::{SCHEMA_VERSION, Table};

/// SQL of the bucket, 0 to n − 1, of an id column by its last three
/// characters (digits in OpenAlex ids: evenly spread for an `n` dividing
/// 1000; for an `n` dividing 100 only the last two count). Every id falls
/// in exactly one bucket. Ingest computes the derived tables that span all
/// works one bucket at a time, to bound its memory.
pub fn bucket_sql(column: &str, n: u32) -> String {
    format!(
        "(((ascii(right({column}, 1)) % 10) + 10 * (ascii(left(right({column}, 2), 1)) % 10) \
          + 100 * (ascii(left(right({column}, 3), 1)) % 10)) % {n})"
    )
}

/// A complete dataset on disk.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// The dataset's folder.
    pub root: PathBuf,
    /// Its manifest.
    pub manifest: Manifest,
}

impl Dataset {
    /// Open a dataset; fails clearly on a missing, incomplete or
    /// incompatible one.
    pub fn open(root: &Path) -> Result<Dataset> {
        let manifest = Manifest::read(root)?;
        Ok(Dataset {
            root: root.to_path_buf(),
            manifest,
        })
    }

    /// Notes for a metric run with `profile` on this dataset when ingest
    /// filtered its works (`ingest --ai`) or matched authors by name
    /// (`ingest --match-names`); none otherwise.
    pub fn filter_notes(&self, profile: &crate::profile::Profile) -> Vec<String> {
        let m = &self.manifest;
        let mut notes = Vec::new();
        if m.records.authors_matched_by_name > 0 {
            notes.push(format!(
                "approximate: {} authorships of this dataset have an author matched by name at ingest (--match-names): researchers, careers and flows built on them count two people of one name as one",
                m.records.authors_matched_by_name
            ));
        }
        if m.ai_profile == "all" {
            return notes;
        }
        notes.push(format!(
            "this dataset was filtered at ingest by AI profile `{}`: {} works it rejects are not in it (careers see only the works kept)",
            m.ai_profile, m.records.works_filtered
        ));
        if profile.label() != m.ai_profile {
            notes.push(format!(
                "profile `{}` sees only the works profile `{}` kept at ingest",
                profile.label(),
                m.ai_profile
            ));
        }
        notes
    }

    /// The author ids of the dataset's authorships and the institution ids
    /// of their institutions, distinct and sorted (`talentchain fetch
    /// --ids-from`).
    pub async fn entity_ids(&self) -> Result<(Vec<String>, Vec<String>)> {
        let ctx = self.session().await?;
        let authors = string_column(
            &ctx,
            "SELECT DISTINCT author FROM authorships WHERE author IS NOT NULL AND author <> '' ORDER BY author",
        )
        .await?;
        let institutions = string_column(
            &ctx,
            "SELECT DISTINCT institution FROM authorship_institutions \
             WHERE institution IS NOT NULL AND institution <> '' ORDER BY institution",
        )
        .await?;
        Ok((authors, institutions))
    }

    /// A DataFusion session in this process with every table registered
    /// under its name.
    pub async fn session(&self) -> Result<SessionContext> {
        self.session_on(&Engine::Embedded).await
    }

    /// A session on `engine` with every table registered under its name.
    /// On Ballista the executors read the tables' files at the same absolute
    /// paths as here: the dataset must be on storage they share.
    pub async fn session_on(&self, engine: &Engine) -> Result<SessionContext> {
        // Ballista's executors read what a session materializes from a
        // scratch folder beside the tables (removed with the session).
        let scratch = engine.is_ballista().then(|| {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos());
            std::path::absolute(&self.root)
                .unwrap_or_else(|_| self.root.clone())
                .join(format!(".scratch-{}-{nanos}", std::process::id()))
        });
        let ctx = engine
            .context(scratch.as_deref())
            .await
            .with_context(|| format!("starting a session on engine {engine}"))?;
        self.register(&ctx).await?;
        Ok(ctx)
    }

    /// Register the dataset's tables in `ctx`: each table's folder as a
    /// Parquet listing table with the table's schema (by absolute path, also
    /// when it has no parts), or, for a missing folder, an empty relation
    /// with the schema.
    pub async fn register(&self, ctx: &SessionContext) -> Result<()> {
        let root = std::path::absolute(&self.root)
            .with_context(|| format!("resolving the dataset path {}", self.root.display()))?;
        for table in Table::ALL {
            let dir = root.join(table.name());
            let schema = table.schema();
            let has_parts = std::fs::read_dir(&dir)
                .map(|mut d| {
                    d.any(|e| e.is_ok_and(|e| e.path().extension().is_some_and(|x| x == "parquet")))
                })
                .unwrap_or(false);
            // An existing folder without parts is an empty listing table, which
            // Ballista ships like any other; only a missing folder needs a plan.
            if has_parts || dir.is_dir() {
                let opts = ParquetReadOptions::default().schema(&schema);
                ctx.register_parquet(
                    table.name(),
                    dir.to_str().context("non-UTF-8 dataset path")?,
                    opts,
                )
                .await
                .with_context(|| format!("registering table {}", table.name()))?;
            } else {
                let empty = LogicalPlan::EmptyRelation(EmptyRelation {
                    produce_one_row: false,
                    schema: Arc::new(DFSchema::try_from_qualified_schema(table.name(), &schema)?),
                });
                ctx.register_table(table.name(), Arc::new(ViewTable::new(empty, None)))?;
            }
        }
        Ok(register_views(ctx).await?)
    }
}

/// The derived relations a dataset does not store but computes when read
/// (`sql/derived/`): the fractional shares of each authorship and the
/// careers' tallies and main countries (stored for authorships in
/// `author_years`; computed here for affiliations).
pub const DERIVED_VIEWS: [&str; 3] = ["authorship_shares", "career_tallies", "career_countries"];

/// Register [`DERIVED_VIEWS`] as views over the session's tables.
pub async fn register_views(ctx: &SessionContext) -> crate::error::Result<()> {
    for name in DERIVED_VIEWS {
        register_view(ctx, name).await?;
    }
    Ok(())
}

/// Register the derived relation `name` (`sql/derived/NAME.sql`) as a view
/// over the session's tables, which must hold the tables it reads.
pub async fn register_view(ctx: &SessionContext, name: &str) -> crate::error::Result<()> {
    crate::sql::query(&format!("derived/{name}"))
        .register_view(ctx, name, &crate::sql::Bindings::default())
        .await?;
    Ok(())
}

/// The first column of a query's rows, as text (nulls left out).
async fn string_column(ctx: &SessionContext, sql: &str) -> Result<Vec<String>> {
    use arrow::array::{Array, AsArray};
    let batches = ctx.sql(sql).await?.collect().await?;
    let mut out = Vec::new();
    for b in batches {
        let col = arrow::compute::cast(b.column(0), &arrow::datatypes::DataType::Utf8)?;
        let col = col.as_string::<i32>();
        for i in 0..col.len() {
            if col.is_valid(i) {
                out.push(col.value(i).to_string());
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::{Array, AsArray};
    use datafusion::arrow::datatypes::Int64Type;
    use datafusion::prelude::SessionContext;

    use super::bucket_sql;

    #[tokio::test]
    async fn every_id_falls_in_one_bucket() {
        let ctx = SessionContext::new();
        // Ten OpenAlex-like ids that differ in their last digit, and ids
        // of every odd shape.
        let ids = [
            "A5023888390",
            "A5023888391",
            "A5023888392",
            "A5023888393",
            "A5023888394",
            "A5023888395",
            "A5023888396",
            "A5023888397",
            "A5023888398",
            "A5023888399",
            "A12",
            "Axyz",
            "A-5",
            "",
            "Ä",
            "I1.5",
            "W7",
        ];
        let values: Vec<String> = ids.iter().map(|i| format!("('{i}')")).collect();
        for n in [1, 4, 8, 10, 1000] {
            let sql = format!(
                "SELECT id, CAST({} AS BIGINT) AS b FROM (VALUES {}) t(id)",
                bucket_sql("id", n),
                values.join(", ")
            );
            let batches = ctx.sql(&sql).await.unwrap().collect().await.unwrap();
            let mut seen = 0;
            let mut used = std::collections::BTreeSet::new();
            for b in &batches {
                let ids = b.column(0).as_string::<i32>();
                let buckets = b.column(1).as_primitive::<Int64Type>();
                for r in 0..b.num_rows() {
                    seen += 1;
                    assert!(buckets.is_valid(r), "{}: no bucket of {n}", ids.value(r));
                    let bucket = buckets.value(r);
                    assert!(
                        (0..n as i64).contains(&bucket),
                        "{}: bucket {bucket} of {n}",
                        ids.value(r)
                    );
                    used.insert(bucket);
                }
            }
            assert_eq!(seen, ids.len());
            // Ids that differ only in their last digit spread over every
            // bucket of an n dividing 10.
            if 10 % n == 0 {
                assert_eq!(used.len(), n as usize, "{n} buckets: {used:?}");
            }
        }
    }
}
