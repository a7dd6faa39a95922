//! The sensitivity grid on a hand-made world whose ordering flips under one
//! definition ([`flip_world`]).

use talentchain::profile::Profile;
use talentchain::sensitivity::{self, Grid};
use talentchain::settings::{Counting, Settings};

use crate::common::flip_session;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_grid_counts_the_definitions_behind_each_ordering() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = flip_session(dir.path()).await;
    let grid = Grid {
        profiles: vec![
            Profile::builtin("concepts").unwrap(),
            Profile::builtin("topics").unwrap(),
        ],
        countings: vec![Counting::Full, Counting::Fractional],
        tops: vec![10.0],
    };
    let base = Settings::new(Profile::builtin("concepts").unwrap());
    let cells = sensitivity::cells(&ctx, &base, &grid).await.unwrap();
    let papers = |profile: &str, counting: Counting, country: &str| {
        cells
            .iter()
            .find(|c| {
                c.definition.profile == profile
                    && c.definition.counting == counting
                    && c.country == country
            })
            .unwrap_or_else(|| panic!("{profile} {counting} {country}: {cells:?}"))
            .values[0]
            .unwrap()
    };
    let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
    assert!(close(papers("concepts", Counting::Full, "CN"), 0.75));
    assert!(close(papers("concepts", Counting::Full, "US"), 0.5));
    assert!(close(
        papers("concepts", Counting::Fractional, "CN"),
        1.0 / 3.0
    ));
    assert!(close(
        papers("concepts", Counting::Fractional, "US"),
        3.0 / 8.0
    ));
    assert!(close(
        papers("concepts", Counting::Fractional, "GB"),
        5.0 / 24.0
    ));
    assert!(close(papers("topics", Counting::Full, "US"), 1.0));
    assert!(close(papers("topics", Counting::Fractional, "CN"), 0.0));
    // 4 countries × 4 definitions.
    assert_eq!(cells.len(), 16, "{cells:?}");

    let lead = sensitivity::leading(&cells, 2);
    assert_eq!(
        lead,
        ["CN", "GB"],
        "concepts · full: CN 3/4, GB and US 2/4 (ties by code)"
    );
    let orderings = sensitivity::orderings(&cells, &["CN".to_string(), "US".to_string()]);
    let papers = orderings
        .iter()
        .find(|o| o.headline == "papers_share")
        .unwrap();
    assert_eq!(
        papers.line(),
        "papers_share: US above CN in 3 of 4 definitions"
    );
}
