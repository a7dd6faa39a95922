//! The report: one self-contained HTML file whose embedded numbers are the
//! metric commands' numbers, and its charts as SVG files.

use crate::common::{assert_same, rows_json, state};
use serde_json::Value;
use talentchain::metrics::{self, Metric};
use talentchain::profile::Profile;
use talentchain::selection::prepare;
use talentchain::settings::Settings;
use talentchain_web::charts::SOURCES;
use talentchain_web::report::{self, ReportOptions};

/// The JSON of the `<script type="application/json" id=ID>` element.
fn embedded(html: &str, id: &str) -> Value {
    let open = format!("<script type=\"application/json\" id=\"{id}\">");
    let start = html.find(&open).unwrap_or_else(|| panic!("no {id}")) + open.len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

#[tokio::test]
async fn report_numbers_are_the_metric_commands_numbers() {
    let s = state().await;
    let opts = ReportOptions {
        ai: "topics".into(),
        from: Some(2015),
        to: Some(2022),
        top: 1.0,
        countries: vec!["US".into(), "CN".into(), "GB".into()],
        counting: "fractional".into(),
        ci: Some(90.0),
        scope: vec![],
    };
    let html = report::render(&s, &opts).await.unwrap();

    // Self-contained: ECharts, the charts, the map and the data are inline.
    assert!(!html.contains("<script src="), "no external script");
    assert!(
        !html.contains("<link rel=\"stylesheet\""),
        "no external style"
    );
    assert!(html.contains("Apache ECharts") || html.contains("echarts"));
    let world = embedded(&html, "tc-world");
    assert!(world["features"].as_array().unwrap().len() > 150);
    let config = embedded(&html, "tc-config");
    assert_eq!(config["mode"], "report");
    assert_eq!(config["filters"]["counting"], "fractional");
    assert_eq!(
        config["filters"]["countries"],
        serde_json::json!(["US", "CN", "GB"])
    );
    let data = &config["data"];
    for src in SOURCES {
        assert!(data[src.name].is_object(), "source {} embedded", src.name);
    }
    let columns = |name: &str| data[name]["columns"].to_string();
    assert!(columns("countries").contains("share_full_lo"));
    assert!(columns("talent_countries").contains("retention_hi"));
    assert!(columns("institutions").contains("rank_lo"));
    assert!(columns("talent_mismatch").contains("supply_share_lo"));

    // The same numbers from the library, as `talentchain countries --ai
    // topics --from 2015 --to 2022 --top 1 --format json` prints them.
    let ctx = s.session().unwrap();
    let mut o = Settings::new(Profile::builtin("topics").unwrap());
    o.set_years(Some(2015), Some(2022)).unwrap();
    o.set_top(1.0).unwrap();
    // Intervals (`--ci 90`) go to the metrics that have them, and to no other.
    let mut oc = o.clone();
    oc.set_ci(Some(90.0)).unwrap();
    assert_eq!(config["filters"]["ci"], "90");
    let run = |metric: Metric, settings: Settings| {
        let ctx = ctx.clone();
        async move { rows_json(&metrics::run(&ctx, metric, &settings).await.unwrap()) }
    };
    assert_same(
        &data["countries"]["rows"],
        &run(Metric::Countries, oc.clone()).await,
    );
    assert_same(
        &data["countries_total"]["rows"],
        &run(Metric::CountriesTotal, oc.clone()).await,
    );
    let mut inst = oc.clone();
    inst.set_rollup(true);
    inst.set_limit(Some(15)).unwrap();
    assert_same(
        &data["institutions"]["rows"],
        &run(Metric::Institutions, inst.clone()).await,
    );
    inst.set_sector(Some("company")).unwrap();
    inst.set_limit(Some(10)).unwrap();
    assert_same(
        &data["companies"]["rows"],
        &run(Metric::Institutions, inst).await,
    );
    assert_same(
        &data["collab"]["rows"],
        &run(Metric::CollabPairs, oc.clone()).await,
    );
    // The talent chain, as `talentchain talent flows|countries|mismatch
    // --ai topics --from 2015 --to 2022 --top 1` (min_works 1, careers from
    // authorships) prints them.
    assert_same(
        &data["talent_flows"]["rows"],
        &run(Metric::TalentFlows, oc.clone()).await,
    );
    assert_same(
        &data["talent_countries"]["rows"],
        &run(Metric::TalentCountries, oc.clone()).await,
    );
    assert_same(
        &data["talent_mismatch"]["rows"],
        &run(Metric::TalentMismatch, oc.clone()).await,
    );
    for name in ["talent_flows", "talent_countries", "talent_mismatch"] {
        assert!(
            data[name]["rows"].as_array().unwrap().len() > 5,
            "{name} has rows"
        );
        assert!(
            data[name]["notes"][0]
                .as_str()
                .unwrap()
                .contains("2015–2022"),
            "{name}: {}",
            data[name]["notes"]
        );
    }
    let (sel, _) = prepare(&ctx, &o).await.unwrap();
    assert_eq!(data["selection"]["selected"], sel.selected);
    assert_eq!(data["selection"]["range"], "2015–2022");
    assert_eq!(
        data["manifest"]["records"]["works"],
        s.dataset().manifest.records.works
    );

    // Every year of the embedded rows is in the range, and there are rows.
    let rows = data["countries"]["rows"].as_array().unwrap();
    assert!(rows.len() > 10);
    assert!(
        rows.iter()
            .all(|r| (2015..=2022).contains(&r["year"].as_i64().unwrap()))
    );
    let hc: f64 = data["countries_total"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["highly_cited"].as_f64().unwrap())
        .sum();
    assert!(hc > 0.0, "some highly cited works at the top 1%");
}

#[tokio::test]
async fn bad_report_options_name_the_parameter() {
    let s = state().await;
    let opts = ReportOptions {
        counting: "half".into(),
        ..Default::default()
    };
    let err = report::render(&s, &opts).await.unwrap_err();
    assert!(
        matches!(&err, talentchain_web::ApiError::BadParameter { parameter, .. } if parameter == "counting"),
        "{err}"
    );
    let opts = ReportOptions {
        scope: vec![("venue", "Neur'IPS".into())],
        ..Default::default()
    };
    let err = report::render(&s, &opts).await.unwrap_err();
    assert!(
        matches!(&err, talentchain_web::ApiError::BadParameter { parameter, .. } if parameter == "venue"),
        "{err}"
    );
    let opts = ReportOptions {
        ai: "nonesuch".into(),
        ..Default::default()
    };
    let err = report::render(&s, &opts).await.unwrap_err();
    assert!(
        matches!(&err, talentchain_web::ApiError::BadParameter { parameter, .. } if parameter == "ai"),
        "{err}"
    );
}

/// Whether `node` runs here. Only `--charts` needs it: building and the
/// other tests do not (`.ci/run` runs the tests without Node on PATH, then
/// the ones that draw charts again with it).
fn node_runs() -> bool {
    std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// `--charts DIR`: one SVG per chart, drawn with data. Without Node, only
/// that it says it needs Node (and a SKIPPED line on the test output, which
/// libtest does not capture).
#[tokio::test]
async fn charts_as_svg_files() {
    let s = state().await;
    let config = report::config(&s, &ReportOptions::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    if !node_runs() {
        let err = talentchain_web::svg::write_charts(&config, dir.path()).unwrap_err();
        assert!(
            err.to_string().contains("Node.js, which is not on PATH"),
            "{err}"
        );
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "charts_as_svg_files: SKIPPED drawing the SVG charts: `node` is not on PATH \
             (checked only that --charts says it needs Node.js)"
        );
        return;
    }
    let files = talentchain_web::svg::write_charts(&config, dir.path()).unwrap();
    let names: Vec<String> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "output_full.svg",
            "output_fractional.svg",
            "world_map.svg",
            "world_shares.svg",
            "highly_cited.svg",
            "top_institutions.svg",
            "top_companies.svg",
            "company_labs.svg",
            "collab_heatmap.svg",
            "talent_flows.svg",
            "talent_retention.svg",
            "talent_mismatch.svg",
            "sensitivity.svg",
            "projection.svg",
        ]
    );
    for f in &files {
        let svg = std::fs::read_to_string(f).unwrap();
        assert!(svg.starts_with("<svg"), "{}", f.display());
        assert!(
            svg.len() > 5_000,
            "{} is drawn ({} bytes)",
            f.display(),
            svg.len()
        );
        assert!(
            !svg.contains("No data for these filters"),
            "{}",
            f.display()
        );
    }
}
