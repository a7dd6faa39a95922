//! The web crate's integration tests, in one test binary (`autotests = false`
//! in Cargo.toml): each test file is a module here. Run one file's tests with
//! a filter on its module, e.g. `cargo test -p talentchain-web --test it api::`.

mod common;

mod api;
mod report;
