//! The columnar dataset: its tables, its manifest, and opening it for SQL.

pub mod manifest;
pub mod schema;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use datafusion::datasource::MemTable;
use datafusion::execution::context::SessionContext;
use datafusion::prelude::{ParquetReadOptions, SessionConfig};

pub use manifest::Manifest;
pub use schema::{SCHEMA_VERSION, Table};

/// A complete dataset on disk.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub root: PathBuf,
    pub manifest: Manifest,
}

impl Dataset {
    /// Open a dataset; fails clearly on a missing, incomplete or
    /// incompatible one.
    pub fn open(root: &Path) -> Result<Dataset> {
        let manifest = Manifest::read(root)?;
        Ok(Dataset { root: root.to_path_buf(), manifest })
    }

    /// A DataFusion session with every table registered under its name.
    pub async fn session(&self) -> Result<SessionContext> {
        let config = SessionConfig::new().with_information_schema(true);
        let ctx = SessionContext::new_with_config(config);
        self.register(&ctx).await?;
        Ok(ctx)
    }

    /// Register the dataset's tables in `ctx`.
    pub async fn register(&self, ctx: &SessionContext) -> Result<()> {
        for table in Table::ALL {
            let dir = self.root.join(table.name());
            let schema = table.schema();
            let has_parts = std::fs::read_dir(&dir)
                .map(|mut d| d.any(|e| e.is_ok_and(|e| e.path().extension().is_some_and(|x| x == "parquet"))))
                .unwrap_or(false);
            if has_parts {
                let opts = ParquetReadOptions::default().schema(&schema);
                ctx.register_parquet(table.name(), dir.to_str().context("non-UTF-8 dataset path")?, opts)
                    .await
                    .with_context(|| format!("registering table {}", table.name()))?;
            } else {
                let empty = MemTable::try_new(schema, vec![vec![]])?;
                ctx.register_table(table.name(), Arc::new(empty))?;
            }
        }
        Ok(())
    }
}
