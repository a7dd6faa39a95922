//! The library's integration tests, in one test binary (`autotests = false`
//! in Cargo.toml): each test file is a module here, so DataFusion is linked
//! once for all of them. Run one file's tests with a filter on its module,
//! e.g. `cargo test -p talentchain --test it derived::`.

mod common;

mod ai_filter;
#[cfg(feature = "ballista")]
mod ballista;
mod claims;
mod derived;
mod fetch;
mod ingest;
mod intervals;
mod paperlists;
mod projection;
mod reconcile;
mod sensitivity;
mod slt;
mod talent_truth;
