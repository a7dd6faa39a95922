//! The CLI's end-to-end tests, in one test binary (`autotests = false` in
//! Cargo.toml): each test file is a module here. Run one file's tests with a
//! filter on its module, e.g. `cargo test -p talentchain-cli --test it real_talent::`.

mod common;

mod commands;
mod fetch_cli;
mod ingest_cli;
mod real_countries;
mod real_paperlists;
mod real_projection;
mod real_talent;
mod report_cli;
