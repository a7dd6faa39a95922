//! The page, in its two modes: the dashboard (`/`, data from the API) and
//! the report (`talentchain report`), one self-contained HTML file with
//! ECharts, the world map, the charts and their data inlined, which opens
//! offline. The report's data are the API's answers for the chart sources
//! ([`crate::charts::SOURCES`]) under its filters.

use serde_json::{Value, json};
use talentchain::settings::Counting;

use crate::api;
use crate::assets;
use crate::charts::SOURCES;
use crate::error::ApiError;
use crate::state::AppState;

/// The filters of a report.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// AI profile name (one the state accepts).
    pub ai: String,
    /// First year.
    pub from: Option<i32>,
    /// Last year.
    pub to: Option<i32>,
    /// Highly cited top percent.
    pub top: f64,
    /// Countries shown (empty: the top 8).
    pub countries: Vec<String>,
    /// `full` or `fractional`, for the map, shares and rankings.
    pub counting: String,
    /// The level of the intervals the charts draw, if any (`--ci`).
    pub ci: Option<f64>,
    /// The source, venues and elite tier the selection is narrowed to
    /// (`source`, `venue`, `elite`; empty: none).
    pub scope: Vec<(&'static str, String)>,
}

impl Default for ReportOptions {
    fn default() -> ReportOptions {
        ReportOptions {
            ai: "concepts".into(),
            from: None,
            to: None,
            top: 10.0,
            countries: vec![],
            counting: "full".into(),
            ci: None,
            scope: vec![],
        }
    }
}

impl ReportOptions {
    fn filters(&self) -> Vec<(&'static str, String)> {
        let mut v = vec![
            ("ai", self.ai.clone()),
            ("from", self.from.map(|y| y.to_string()).unwrap_or_default()),
            ("to", self.to.map(|y| y.to_string()).unwrap_or_default()),
            ("top", format_top(self.top)),
            ("ci", self.ci.map(format_top).unwrap_or_default()),
        ];
        v.extend(self.scope.iter().cloned());
        v
    }

    fn filters_json(&self) -> Value {
        let mut f = json!({
            "ai": self.ai,
            "from": self.from.map(|y| y.to_string()).unwrap_or_default(),
            "to": self.to.map(|y| y.to_string()).unwrap_or_default(),
            "top": format_top(self.top),
            "counting": self.counting,
            "countries": self.countries,
            "ci": self.ci.map(format_top).unwrap_or_default(),
        });
        for (k, v) in &self.scope {
            f[*k] = json!(v);
        }
        f
    }
}

fn format_top(top: f64) -> String {
    if top.fract() == 0.0 {
        format!("{}", top as i64)
    } else {
        format!("{top}")
    }
}

/// Which page.
#[derive(Debug, Clone)]
pub enum PageMode {
    /// Served at `/`: scripts from `/assets`, data from the API.
    Dashboard,
    /// A file: everything inline, with this configuration (filters, data).
    Report(Value),
}

/// The answers of every chart source under `opts`: `{name: answer}`.
pub async fn data(state: &AppState, opts: &ReportOptions) -> Result<Value, ApiError> {
    if let Err(message) = opts.counting.parse::<Counting>() {
        return Err(ApiError::bad(
            "counting",
            format!("bad counting method {message}"),
            Counting::names().into_iter().map(String::from).collect(),
        ));
    }
    let filters = opts.filters();
    let mut out = serde_json::Map::new();
    for s in SOURCES {
        let (a, _) = api::answer(state, s.path, &s.query(&filters)).await?;
        out.insert(s.name.to_string(), api::to_json(&a)?);
    }
    Ok(Value::Object(out))
}

/// The report's configuration: filters, data, sources, profiles, years.
pub async fn config(state: &AppState, opts: &ReportOptions) -> Result<Value, ApiError> {
    let mut c = base_config(state, "report");
    c["filters"] = opts.filters_json();
    c["data"] = data(state, opts).await?;
    Ok(c)
}

/// The report's HTML.
pub async fn render(state: &AppState, opts: &ReportOptions) -> Result<String, ApiError> {
    Ok(page(state, PageMode::Report(config(state, opts).await?)))
}

fn base_config(state: &AppState, mode: &str) -> Value {
    json!({
        "mode": mode,
        "version": env!("CARGO_PKG_VERSION"),
        "profiles": state.profile_names(),
        "years": state.years().map(|(a, b)| [a, b]),
        "sources": crate::charts::sources_json(),
        "filters": {"ai": "concepts", "from": "", "to": "", "top": "10", "counting": "full", "countries": [], "ci": ""},
    })
}

/// The page's HTML.
pub fn page(state: &AppState, mode: PageMode) -> String {
    let manifest = &state.dataset().manifest;
    let (config, head, scripts, title, footer) = match mode {
        PageMode::Dashboard => (
            base_config(state, "dashboard"),
            "<link rel=\"stylesheet\" href=\"assets/style.css\">".to_string(),
            ["echarts.min.js", "charts.js", "app.js"].map(|s| format!("<script src=\"assets/{s}\"></script>")).join("\n"),
            "talentchain dashboard",
            "API: <a href=\"api/openapi.json\">/api/openapi.json</a>. Charts: Apache ECharts; map: Natural Earth (public domain).".to_string(),
        ),
        PageMode::Report(config) => (
            config,
            format!("<style>\n{}\n</style>", assets::STYLE_CSS),
            format!(
                "<script type=\"application/json\" id=\"tc-world\">{}</script>\n<script>\n{}\n</script>\n<script>\n{}\n</script>\n<script>\n{}\n</script>",
                assets::json_safe(assets::WORLD),
                assets::script_safe(assets::ECHARTS),
                assets::script_safe(assets::CHARTS_JS),
                assets::script_safe(assets::APP_JS)
            ),
            "talentchain report",
            format!(
                "Written by talentchain {} on {}. Charts: Apache ECharts (Apache-2.0); map: Natural Earth (public domain). Self-contained: opens offline.",
                env!("CARGO_PKG_VERSION"),
                talentchain::dataset::manifest::now_rfc3339()
            ),
        ),
    };
    let subtitle = format!(
        "AI research activity from OpenAlex metadata — {} works{}",
        manifest.records.works,
        manifest
            .snapshot_date
            .as_deref()
            .map(|d| format!(", snapshot {d}"))
            .unwrap_or_default()
    );
    let config = assets::json_safe(&config.to_string());
    fill(assets::PAGE_HTML, |slot| match slot {
        "VERSION" => env!("CARGO_PKG_VERSION"),
        "TITLE" => title,
        "SUBTITLE" => &subtitle,
        "HEAD" => &head,
        "FOOTER" => &footer,
        "CONFIG" => &config,
        "SCRIPTS" => &scripts,
        other => unreachable!("unknown slot {other} in page.html"),
    })
}

/// The template with each `{{SLOT}}` replaced, in one pass (a value is never
/// scanned for slots).
fn fill<'a>(template: &str, value: impl Fn(&str) -> &'a str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let end = rest[start..].find("}}").expect("a slot is closed") + start;
        out.push_str(&rest[..start]);
        out.push_str(value(&rest[start + 2..end]));
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    out
}
