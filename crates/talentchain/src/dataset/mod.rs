//! The columnar dataset: its tables, its manifest, and opening it for SQL.

pub mod schema;

pub use schema::{SCHEMA_VERSION, Table};
