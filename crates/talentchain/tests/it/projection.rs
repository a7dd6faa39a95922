//! The projection's ground truth (`talentchain project`): demo worlds whose
//! careers follow a known rule. A world whose China-origin researchers stop
//! moving to the US from 2019 is projected from a fit on the years up to
//! 2018: with the matching scenario the projection recovers the stocks the
//! world then shows (the China-origin researchers in the US, and China's),
//! without it it misses them by clearly more. On a world without a policy,
//! the model beats the persistence baseline on stocks and is within a point
//! of it on shares.

use std::collections::HashMap;

use talentchain::dataset::Dataset;
use talentchain::demo::{DemoConfig, Policy};
use talentchain::profile::Profile;
use talentchain::projection::{self, Options, Scenario, View};
use talentchain::settings::Settings;

use crate::common::{Cell, cells, demo_dataset};

/// The world: 30,000 researchers over 2005–2024 (the backtest reads 2010–
/// 2018 and compares 2019–2021, all trusted under a censor of 3 years).
fn config(policy: Option<&str>) -> DemoConfig {
    DemoConfig {
        seed: 7,
        researchers: 30_000,
        from: 2005,
        to: 2024,
        policy: policy.map(|p| p.parse::<Policy>().unwrap()),
        ..DemoConfig::default()
    }
}

/// The backtest rows `(scenario, country, measure) → (model, persistence)`
/// mean absolute percentage errors, fitted to 2018 over 3 years.
async fn backtest(
    cfg: DemoConfig,
    scenarios: Vec<Scenario>,
) -> HashMap<(String, String, String), (f64, f64)> {
    let dir = tempfile::tempdir().unwrap();
    let (data, _) = demo_dataset(dir.path(), &cfg);
    let ctx = Dataset::open(&data).unwrap().session().await.unwrap();
    let settings = Settings::new(Profile::builtin("all").unwrap());
    let mut options = Options::default();
    options.set_view(View::Backtest);
    options.set_fit_to(Some(2018));
    options.set_horizon(3).unwrap();
    options.set_scenarios(scenarios).unwrap();
    let r = projection::run(&ctx, &settings, &options).await.unwrap();
    let names: Vec<String> = r.schema.fields().iter().map(|f| f.name().clone()).collect();
    let col = |n: &str| names.iter().position(|c| c == n).unwrap();
    let text = |c: &Cell| match c {
        Cell::Text(t) => t.clone(),
        other => panic!("{other:?}"),
    };
    let num = |c: &Cell| match c {
        Cell::Float(x) => *x,
        other => panic!("{other:?}"),
    };
    cells(&r)
        .iter()
        .map(|row| {
            (
                (
                    text(&row[col("scenario")]),
                    text(&row[col("country")]),
                    text(&row[col("measure")]),
                ),
                (
                    num(&row[col("model_mape")]),
                    num(&row[col("persistence_mape")]),
                ),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_policy_world_is_recovered_by_its_scenario() {
    let ban = Scenario::parse(
        "[[scenario]]\nname = \"ban\"\ndescription = \"no CN-origin moves into the US from 2019\"\nfrom = 2019\n\
         [[scenario.change]]\norigin = \"CN\"\nto = \"US\"\nfactor = 0\n",
        "test",
    )
    .unwrap();
    let rows = backtest(config(Some("CN:US:0:2019")), ban).await;
    let mape = |s: &str, c: &str, m: &str| rows[&(s.to_string(), c.to_string(), m.to_string())].0;
    // The cell the policy changes: China-origin researchers in the US.
    let (with, without) = (
        mape("ban", "US", "origin CN"),
        mape("baseline", "US", "origin CN"),
    );
    eprintln!(
        "China-origin researchers in the US: with the scenario {with:.1}%, without {without:.1}%"
    );
    for c in ["US", "CN"] {
        eprintln!(
            "{c} researchers: with the scenario {:.1}%, without {:.1}%",
            mape("ban", c, "researchers"),
            mape("baseline", c, "researchers")
        );
    }
    // The stated tolerances. The cell the policy changes: with the
    // scenario within 25% on average over 2019–2021 (measured 18.5%),
    // without it at least three times further off (103.4%). China, whose
    // researchers stay: within 5% (0.8%), without at least twice as far
    // (10.8%). The US: within 10% either way (7.7% and 8.1%): the world's
    // moves bunch up near its last year, which no fit on earlier years sees
    // (docs/projection.md), and that bias is as large as the policy's
    // effect on the US's total.
    assert!(with < 25.0, "{with}");
    assert!(without > 3.0 * with, "{without} vs {with}");
    let cn = (
        mape("ban", "CN", "researchers"),
        mape("baseline", "CN", "researchers"),
    );
    assert!(cn.0 < 5.0 && cn.1 > 2.0 * cn.0, "{cn:?}");
    let us = (
        mape("ban", "US", "researchers"),
        mape("baseline", "US", "researchers"),
    );
    assert!(us.0 < 10.0 && us.1 < 10.0, "{us:?}");
    assert!(mape("ban", "all", "researchers") < mape("baseline", "all", "researchers"));
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_policy_the_model_beats_persistence() {
    let rows = backtest(config(None), Vec::new()).await;
    // Stocks: the stocks grow, and persistence misses by far.
    let (model, persistence) = rows[&("baseline".into(), "all".into(), "researchers".into())];
    eprintln!("researchers: model {model:.1}%, persistence {persistence:.1}%");
    assert!(model < 0.5 * persistence, "{model} vs {persistence}");
    // Shares move slowly, and holding them is a strong baseline: the
    // model's error is no more than a point above it.
    let (model, persistence) = rows[&("baseline".into(), "all".into(), "share".into())];
    eprintln!("shares: model {model:.1}%, persistence {persistence:.1}%");
    assert!(model <= persistence + 1.0, "{model} vs {persistence}");
}
