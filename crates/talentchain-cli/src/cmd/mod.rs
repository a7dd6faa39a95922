//! One module per command, each with its `Args` and `run`.

pub mod ingest;
