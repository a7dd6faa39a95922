//! The projection's ground truth (`talentchain project`): demo worlds whose
//! careers follow a known rule. A world whose China-origin researchers stop
//! moving to the US from 2019 is projected from a fit on the years up to
//! 2018: with the matching scenario the projection recovers the stocks the
//! world then shows, without it it misses them by clearly more. On a world
//! without a policy, the model beats the persistence baseline.

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
    let mape =
        |s: &str, c: &str| rows[&(s.to_string(), c.to_string(), "researchers".to_string())].0;
    for c in ["US", "CN"] {
        eprintln!(
            "{c}: with the scenario {:.1}%, without {:.1}%",
            mape("ban", c),
            mape("baseline", c)
        );
    }
    // The stated tolerance: with the scenario, the US and China stocks of
    // 2019–2021 within 8% on average (measured: 6.7% and 4.7%); without it,
    // the US's error at least 1.4 times as large (measured: 10.2%) and
    // China's larger (6.8%).
    assert!(mape("ban", "US") < 8.0, "{}", mape("ban", "US"));
    assert!(mape("ban", "CN") < 8.0, "{}", mape("ban", "CN"));
    assert!(mape("baseline", "US") > 1.4 * mape("ban", "US"));
    assert!(mape("baseline", "CN") > mape("ban", "CN"));
    assert!(mape("ban", "all") < mape("baseline", "all"));
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_policy_the_model_beats_persistence() {
    let rows = backtest(config(None), Vec::new()).await;
    for measure in ["researchers", "share"] {
        let (model, persistence) = rows[&("baseline".into(), "all".into(), measure.to_string())];
        eprintln!("{measure}: model {model:.1}%, persistence {persistence:.1}%");
        assert!(model <= persistence, "{measure}: {model} vs {persistence}");
    }
    // Growth alone makes persistence miss by far: the stocks grow.
    let (model, persistence) = rows[&("baseline".into(), "all".into(), "researchers".into())];
    assert!(model < 0.5 * persistence, "{model} vs {persistence}");
}
