//! Where the metric SQL runs: in this process (DataFusion, the default) or
//! on an Apache Ballista cluster (feature `ballista`).
//!
//! The metrics never know the difference: [`Dataset::session_on`](crate::dataset::Dataset::session_on)
//! builds a [`SessionContext`] for an [`Engine`] with the dataset's tables
//! registered the same way, and every metric plans its SQL in it. On
//! Ballista the client plans, and the scheduler ships each stage to
//! executors that read the Parquet parts themselves: the dataset must sit
//! at the same absolute path on every executor (a shared file system).

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::dataframe::DataFrame;
use datafusion::datasource::MemTable;
use datafusion::error::{DataFusionError, Result};
use datafusion::prelude::{ParquetReadOptions, SessionConfig, SessionContext};

/// The Ballista scheduler's default gRPC port.
pub const DEFAULT_SCHEDULER_PORT: u16 = 50050;

/// A query engine.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Engine {
    /// DataFusion in this process (`embedded`).
    #[default]
    Embedded,
    /// A Ballista cluster, through its scheduler (`ballista://HOST:PORT`).
    Ballista {
        /// The scheduler's host name or address.
        host: String,
        /// The scheduler's gRPC port (50050 by default).
        port: u16,
    },
    /// A Ballista scheduler and executor started in this process
    /// (`ballista-standalone`): for trying Ballista out, and for the tests.
    BallistaStandalone,
}

/// Why an engine could not be named or started.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// Neither `embedded`, `ballista://…` nor `ballista-standalone`.
    #[error(
        "unknown engine `{0}`: use embedded, ballista://HOST:PORT (a Ballista scheduler, e.g. ballista://localhost:50050) or ballista-standalone"
    )]
    Unknown(String),
    /// A `ballista://` address without a host, or with a bad port.
    #[error(
        "bad Ballista scheduler address `{0}`: use ballista://HOST:PORT, e.g. ballista://localhost:50050"
    )]
    BadAddress(String),
    /// Ballista asked of a build without the `ballista` feature.
    #[error(
        "engine `{0}` needs Ballista support, which this build of talentchain leaves out: rebuild with `--features ballista`"
    )]
    NotBuilt(String),
}

impl FromStr for Engine {
    type Err = EngineError;

    fn from_str(s: &str) -> Result<Engine, EngineError> {
        let t = s.trim();
        if t == "embedded" {
            return Ok(Engine::Embedded);
        }
        if t == "ballista-standalone" {
            return Ok(Engine::BallistaStandalone);
        }
        let Some(addr) = t.strip_prefix("ballista://") else {
            return Err(EngineError::Unknown(s.to_string()));
        };
        let bad = || EngineError::BadAddress(s.to_string());
        let addr = addr.strip_suffix('/').unwrap_or(addr);
        // `host:50050`, `host`, `[::1]:50050` or `[::1]`.
        let parse_port = |p: &str| p.parse::<u16>().map_err(|_| bad());
        let (host, port) = if let Some(rest) = addr.strip_prefix('[') {
            let (h, after) = rest.split_once(']').ok_or_else(bad)?;
            let port = match after {
                "" => DEFAULT_SCHEDULER_PORT,
                p => parse_port(p.strip_prefix(':').ok_or_else(bad)?)?,
            };
            (format!("[{h}]"), port)
        } else {
            match addr.split_once(':') {
                Some((h, p)) => (h.to_string(), parse_port(p)?),
                None => (addr.to_string(), DEFAULT_SCHEDULER_PORT),
            }
        };
        let valid = |c: char| c.is_ascii_alphanumeric() || "-._[]:".contains(c);
        if host.is_empty() || host == "[]" || port == 0 || !host.chars().all(valid) {
            return Err(bad());
        }
        Ok(Engine::Ballista { host, port })
    }
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Engine::Embedded => f.write_str("embedded"),
            Engine::Ballista { host, port } => write!(f, "ballista://{host}:{port}"),
            Engine::BallistaStandalone => f.write_str("ballista-standalone"),
        }
    }
}

impl Engine {
    /// True for the engines that run on Ballista.
    pub fn is_ballista(&self) -> bool {
        !matches!(self, Engine::Embedded)
    }

    /// What to do about an error of a query on this engine, when there is
    /// something known to do: a Ballista scheduler whose protobuf decoder
    /// stops at 100 levels of nesting cannot read the talent metrics' plans.
    pub fn hint(&self, err: &dyn std::error::Error) -> Option<String> {
        let text = err.to_string();
        (self.is_ballista() && (text.contains("RecursionLimitReached") || text.contains("recursion limit reached")))
            .then(|| {
                format!(
                    "the Ballista scheduler at {self} could not decode this metric's plan, which nests deeper than \
                     prost's default limit of 100: run a scheduler and executors built with prost's \
                     `no-recursion-limit` feature (README, \"Scale out on Ballista\")"
                )
            })
    }

    /// An empty session on this engine (no tables), with the information
    /// schema on. Connecting to a remote scheduler is deferred to the first
    /// query. On Ballista, tables the session [`materialize`]s are written
    /// under `scratch` (a folder the executors can read; removed with the
    /// session), which Ballista sessions must have.
    pub async fn context(&self, scratch: Option<&Path>) -> Result<SessionContext> {
        #[cfg(feature = "ballista")]
        let ballista_state = || -> Result<datafusion::execution::SessionState> {
            let dir = scratch.ok_or_else(|| {
                DataFusionError::Plan(format!(
                    "engine {self} needs a scratch folder on storage its executors share"
                ))
            })?;
            Ok(ballista_state(Scratch::new(dir)))
        };
        #[cfg(not(feature = "ballista"))]
        let _ = scratch;
        match self {
            Engine::Embedded => {
                let config = SessionConfig::new().with_information_schema(true);
                Ok(SessionContext::new_with_config(config))
            }
            #[cfg(feature = "ballista")]
            Engine::Ballista { host, port } => {
                use ballista::prelude::SessionContextExt;
                SessionContext::remote_with_state(&format!("df://{host}:{port}"), ballista_state()?)
                    .await
            }
            #[cfg(feature = "ballista")]
            Engine::BallistaStandalone => {
                use ballista::prelude::SessionContextExt;
                SessionContext::standalone_with_state(ballista_state()?).await
            }
            #[cfg(not(feature = "ballista"))]
            other => Err(DataFusionError::External(Box::new(EngineError::NotBuilt(
                other.to_string(),
            )))),
        }
    }
}

/// The session state of a Ballista client: Ballista's configuration
/// extension with the information schema, as embedded, and the scratch
/// folder of [`materialize`].
#[cfg(feature = "ballista")]
fn ballista_state(scratch: Scratch) -> datafusion::execution::SessionState {
    use ballista::prelude::SessionConfigExt;
    let config = SessionConfig::new_with_ballista()
        .with_information_schema(true)
        .with_extension(Arc::new(scratch));
    datafusion::execution::SessionStateBuilder::new()
        .with_config(config)
        .with_default_features()
        .build()
}

/// A session's scratch folder (a session config extension): where
/// [`materialize`] writes its tables as Parquet, for sessions whose tables
/// must be files (Ballista ships plans, not data). Removed when the session
/// ends.
#[derive(Debug)]
pub struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    /// A scratch folder `dir` (created on first use).
    pub fn new(dir: &Path) -> Scratch {
        Scratch {
            dir: dir.to_path_buf(),
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Run `df` once and register its result as table `name` (replacing any
/// table or view of that name), for intermediate results that later
/// queries read several times. In process the result stays in memory; a
/// session with a [`Scratch`] folder (Ballista) gets a Parquet file there.
///
/// With `TALENTCHAIN_TIMINGS` set in the environment, each table's row count
/// and the time it took go to stderr: where a slow metric spends its time.
pub async fn materialize(ctx: &SessionContext, name: &str, df: DataFrame) -> Result<()> {
    let start = std::time::Instant::now();
    let logical = Arc::new(df.schema().as_arrow().clone());
    let batches = df.collect().await?;
    // The batches' own schema: a union's may differ from the plan's in
    // nullability, which a `MemTable` refuses.
    let schema = batches.first().map_or(logical, |b| b.schema());
    if std::env::var_os("TALENTCHAIN_TIMINGS").is_some() {
        let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
        eprintln!(
            "timing: {name}: {rows} rows in {:.3} s",
            start.elapsed().as_secs_f64()
        );
    }
    register_batches(ctx, name, schema, batches).await
}

/// Register `batches` as the table `name` in `ctx`, as [`materialize`] keeps
/// a result: in memory in process, a Parquet file in the session's
/// [`Scratch`] folder on Ballista (whose executors cannot read this
/// process's memory).
pub async fn register_batches(
    ctx: &SessionContext,
    name: &str,
    schema: SchemaRef,
    batches: Vec<RecordBatch>,
) -> Result<()> {
    ctx.deregister_table(name)?;
    let Some(scratch) = ctx.state().config().get_extension::<Scratch>() else {
        ctx.register_table(name, Arc::new(MemTable::try_new(schema, vec![batches])?))?;
        return Ok(());
    };
    // A fresh folder per call: a name registered again gets new files.
    let n = std::fs::read_dir(&scratch.dir)
        .map(|d| d.count())
        .unwrap_or(0);
    let dir = scratch.dir.join(format!("{name}-{n}"));
    std::fs::create_dir_all(&dir)?;
    let file = std::fs::File::create(dir.join("part-0.parquet"))?;
    let mut writer = parquet::arrow::ArrowWriter::try_new(file, schema.clone(), None)?;
    for b in &batches {
        writer.write(b)?;
    }
    writer.close()?;
    let path = dir
        .to_str()
        .ok_or_else(|| DataFusionError::Plan("non-UTF-8 scratch path".into()))?;
    ctx.register_parquet(name, path, ParquetReadOptions::default().schema(&schema))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_names_parse_and_print() {
        assert_eq!("embedded".parse::<Engine>().unwrap(), Engine::Embedded);
        assert_eq!(
            "ballista-standalone".parse::<Engine>().unwrap(),
            Engine::BallistaStandalone
        );
        let e: Engine = "ballista://sched.example:50051".parse().unwrap();
        assert_eq!(
            e,
            Engine::Ballista {
                host: "sched.example".into(),
                port: 50051
            }
        );
        assert_eq!(e.to_string(), "ballista://sched.example:50051");
        assert_eq!(
            "ballista://10.0.0.7".parse::<Engine>().unwrap().to_string(),
            "ballista://10.0.0.7:50050"
        );
        assert_eq!(
            "ballista://[::1]:7".parse::<Engine>().unwrap().to_string(),
            "ballista://[::1]:7"
        );
        for bad in [
            "ballista://",
            "ballista://:50050",
            "ballista://[]:1",
            "ballista://[::1",
            "ballista://h:1:2",
            "ballista://host:port",
            "ballista://host:0",
            "ballista://a b:1",
        ] {
            let err = bad.parse::<Engine>().unwrap_err().to_string();
            assert!(
                err.contains(&format!("`{bad}`")) && err.contains("ballista://HOST:PORT"),
                "{err}"
            );
        }
        let err = "df://host:50050".parse::<Engine>().unwrap_err().to_string();
        assert!(err.starts_with("unknown engine `df://host:50050`"), "{err}");
    }

    #[test]
    fn deep_plan_errors_get_a_hint_on_ballista_only() {
        let err = datafusion::error::DataFusionError::Execution(
            "Could not parse plan: DecodeError { description: RecursionLimitReached }".into(),
        );
        let hint = "ballista://s:1"
            .parse::<Engine>()
            .unwrap()
            .hint(&err)
            .unwrap();
        assert!(
            hint.contains("ballista://s:1") && hint.contains("no-recursion-limit"),
            "{hint}"
        );
        assert_eq!(Engine::Embedded.hint(&err), None);
    }

    #[cfg(not(feature = "ballista"))]
    #[tokio::test]
    async fn ballista_without_the_feature_says_how_to_get_it() {
        let Err(err) = Engine::BallistaStandalone.context(None).await else {
            panic!("no Ballista in this build")
        };
        let err = err.to_string();
        assert!(err.contains("--features ballista"), "{err}");
    }
}
