//! talentchain: measure the global AI talent chain from open scholarly metadata.
//!
//! Data flows one way through the library:
//! sources (OpenAlex files) → normalized records → columnar dataset (Parquet)
//! → metrics (DataFusion SQL) → renderers (table, CSV, JSON, Parquet).

pub mod dataset;
pub mod demo;
