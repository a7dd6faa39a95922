//! talentchain: measure the global AI talent chain from open scholarly metadata.
//!
//! Data flows one way through the library:
//! sources (OpenAlex files, or the API via [`fetch`]) → normalized records ([`ingest`]) → columnar
//! dataset ([`dataset`], Parquet) → metrics ([`metrics`], DataFusion SQL over
//! the works an AI [`profile`] selects) → renderers ([`output`]: table, CSV,
//! JSON, Parquet). The SQL runs in process or on an Apache Ballista cluster
//! ([`engine`]).

pub mod dataset;
pub mod demo;
pub mod engine;
pub mod error;
pub mod fetch;
pub mod ingest;
pub mod metrics;
pub mod model;
pub mod output;
pub mod profile;
pub mod settings;
pub mod sources;
pub mod talent;
