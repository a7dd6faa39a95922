//! What the server holds for its lifetime: the dataset, opened once, and the
//! AI profiles it accepts.
//!
//! The dataset is read-only, so its tables are registered once and their
//! providers shared. Each request gets a fresh [`SessionContext`] over those
//! providers ([`AppState::session`]): `prepare` creates the selection views
//! with `CREATE OR REPLACE VIEW`, and a shared catalog would let two
//! concurrent requests with different profiles see each other's views.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use arrow::array::{Array, Int32Array};
use datafusion::catalog::TableProvider;
use datafusion::prelude::{SessionConfig, SessionContext};
use talentchain::dataset::{DERIVED_VIEWS, Dataset, Table};
use talentchain::profile::{BUILTIN, Profile};

use tokio::sync::{Semaphore, SemaphorePermit};

use crate::cache::Cache;

/// Shared, cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    dataset: Dataset,
    tables: Vec<(&'static str, Arc<dyn TableProvider>)>,
    profiles: Vec<(String, Profile)>,
    years: Option<(i32, i32)>,
    sql_timeout: Duration,
    sql_row_cap: usize,
    cache: Cache,
    queries: Semaphore,
    max_queries: usize,
}

/// Answers kept by default (`serve --cache-entries`).
pub const DEFAULT_CACHE_ENTRIES: usize = 1024;

/// Queries computed at once by default (`serve --max-queries`): half the
/// cores, at least one. Each query uses every core already, and on a large
/// dataset each can take gigabytes of memory.
pub fn default_max_queries() -> usize {
    std::thread::available_parallelism().map_or(1, |n| (n.get() / 2).max(1))
}

impl AppState {
    /// Open `dataset`'s tables once, with the built-in profiles and
    /// `extra_profiles` (loaded from TOML files by the server's operator).
    pub async fn open(dataset: Dataset, extra_profiles: Vec<Profile>) -> Result<AppState> {
        let ctx = dataset.session().await?;
        let mut tables = Vec::new();
        // The tables, and the derived relations computed when read
        // (views over those same tables).
        let names = Table::ALL.iter().map(|t| t.name()).chain(DERIVED_VIEWS);
        for name in names {
            let provider = ctx
                .table_provider(name)
                .await
                .with_context(|| format!("opening table {name}"))?;
            tables.push((name, provider));
        }
        let mut profiles = Vec::new();
        for (name, _) in BUILTIN {
            profiles.push((name.to_string(), Profile::builtin(name)?));
        }
        for p in extra_profiles {
            profiles.retain(|(n, _)| *n != p.name);
            profiles.push((p.name.clone(), p));
        }
        let batches = ctx
            .sql("SELECT MIN(year) AS y0, MAX(year) AS y1 FROM works")
            .await?
            .collect()
            .await?;
        let years = batches.first().filter(|b| b.num_rows() > 0).and_then(|b| {
            let y0 = b.column(0).as_any().downcast_ref::<Int32Array>()?;
            let y1 = b.column(1).as_any().downcast_ref::<Int32Array>()?;
            (!y0.is_null(0) && !y1.is_null(0)).then(|| (y0.value(0), y1.value(0)))
        });
        Ok(AppState(Arc::new(Inner {
            dataset,
            tables,
            profiles,
            years,
            sql_timeout: Duration::from_secs(10),
            sql_row_cap: 10_000,
            cache: Cache::new(DEFAULT_CACHE_ENTRIES),
            queries: Semaphore::new(default_max_queries()),
            max_queries: default_max_queries(),
        })))
    }

    /// The same state with another SQL time limit and row cap.
    pub fn with_sql_limits(self, timeout: Duration, row_cap: usize) -> AppState {
        self.rebuilt(|i| {
            i.sql_timeout = timeout;
            i.sql_row_cap = row_cap;
        })
    }

    /// The same state keeping at most `entries` answers (0: none).
    pub fn with_cache_entries(self, entries: usize) -> AppState {
        self.rebuilt(|i| i.cache = Cache::new(entries))
    }

    fn rebuilt(self, change: impl FnOnce(&mut Inner)) -> AppState {
        let mut inner = Arc::try_unwrap(self.0).unwrap_or_else(|a| Inner {
            dataset: a.dataset.clone(),
            tables: a.tables.clone(),
            profiles: a.profiles.clone(),
            years: a.years,
            sql_timeout: a.sql_timeout,
            sql_row_cap: a.sql_row_cap,
            cache: Cache::new(a.cache.max_entries()),
            queries: Semaphore::new(a.max_queries),
            max_queries: a.max_queries,
        });
        change(&mut inner);
        AppState(Arc::new(inner))
    }

    /// The same state computing at most `n` queries at once (at least 1).
    pub fn with_max_queries(self, n: usize) -> AppState {
        self.rebuilt(|i| {
            i.max_queries = n.max(1);
            i.queries = Semaphore::new(n.max(1));
        })
    }

    /// Wait for a turn to compute a query (see [`AppState::with_max_queries`]).
    pub async fn query_permit(&self) -> SemaphorePermit<'_> {
        self.0
            .queries
            .acquire()
            .await
            .expect("the query semaphore is never closed")
    }

    /// The answers kept.
    pub fn cache(&self) -> &Cache {
        &self.0.cache
    }

    /// A fresh session over the shared tables, for one request.
    pub fn session(&self) -> Result<SessionContext> {
        let ctx =
            SessionContext::new_with_config(SessionConfig::new().with_information_schema(true));
        for (name, provider) in &self.0.tables {
            ctx.register_table(*name, provider.clone())?;
        }
        Ok(ctx)
    }

    /// The dataset.
    pub fn dataset(&self) -> &Dataset {
        &self.0.dataset
    }

    /// The names of the profiles accepted by `ai`.
    pub fn profile_names(&self) -> Vec<String> {
        self.0.profiles.iter().map(|(n, _)| n.clone()).collect()
    }

    /// A profile by name.
    pub fn profile(&self, name: &str) -> Option<&Profile> {
        self.0
            .profiles
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, p)| p)
    }

    /// The first and last publication years of the dataset's works.
    pub fn years(&self) -> Option<(i32, i32)> {
        self.0.years
    }

    /// How long a SQL query may run.
    pub fn sql_timeout(&self) -> Duration {
        self.0.sql_timeout
    }

    /// How many rows a SQL query returns at most.
    pub fn sql_row_cap(&self) -> usize {
        self.0.sql_row_cap
    }
}
