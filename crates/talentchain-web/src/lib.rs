//! talentchain-web: the HTML report and the HTTP server (JSON API and
//! dashboard) over a talentchain dataset, with charts drawn by Apache ECharts.
//!
//! The metrics stay in the `talentchain` library; this crate turns their rows
//! into JSON ([`api`]), pages and charts. A chart is one entry: a data source
//! in [`charts::SOURCES`] (an API route and its fixed parameters) and an
//! ECharts option builder in `assets/charts.js`, shared by the dashboard, the
//! report and the SVG export. The report's data are the API's answers, made by
//! the same function ([`api::answer`]), so the two cannot disagree.
//!
//! Assets (ECharts' bundle, the world map) are vendored in `assets/vendor/`,
//! built from npm by `scripts/refresh-web-assets.sh`, and embedded
//! ([`assets`]): building needs no Node.js and nothing is fetched at run time.

pub mod api;
pub mod assets;
pub mod cache;
pub mod charts;
pub mod error;
pub mod old_options;
pub mod params;
pub mod report;
pub mod server;
pub mod spec;
pub mod state;
pub mod svg;

pub use error::ApiError;
pub use server::{app, serve};
pub use state::AppState;
