//! One module per command, each with its `Args` and `run`.

pub mod claims;
pub mod collab;
pub mod countries;
pub mod demo;
pub mod fetch;
pub mod ingest;
pub mod institutions;
pub mod merge;
pub mod project;
pub mod query;
pub mod reconcile;
pub mod report;
pub mod sectors;
pub mod sensitivity;
pub mod serve;
pub mod sql;
pub mod tables;
pub mod talent;
