//! The embedded assets: Apache ECharts' bundle and the world map, built by
//! `build.rs` from the npm registry into `OUT_DIR`, and the pages' own
//! scripts and styles from `assets/`. Served by the dashboard, inlined by the
//! report, run by `node` for the SVG export.

/// Apache ECharts, minified, as published on npm (Apache-2.0).
pub const ECHARTS: &str = include_str!(concat!(env!("OUT_DIR"), "/assets/echarts.min.js"));
/// Natural Earth 1:110m countries (public domain) as GeoJSON, each feature
/// named by its ISO 3166-1 alpha-2 code (`properties.name`) with its English
/// name in `properties.label`.
pub const WORLD: &str = include_str!(concat!(env!("OUT_DIR"), "/assets/world.json"));
/// The chart registry: one entry per chart (sources read, option builder).
pub const CHARTS_JS: &str = include_str!("../assets/charts.js");
/// The page: filters, headline numbers, charts, definitions.
pub const APP_JS: &str = include_str!("../assets/app.js");
/// The page's styles.
pub const STYLE_CSS: &str = include_str!("../assets/style.css");
/// The page's HTML, with `{{…}}` slots.
pub const PAGE_HTML: &str = include_str!("../assets/page.html");
/// Renders the charts to SVG files in Node (`--charts DIR`).
pub const SSR_JS: &str = include_str!("../assets/ssr.js");

/// An embedded asset by its name under `/assets/`, with its content type.
pub fn get(name: &str) -> Option<(&'static str, &'static str)> {
    Some(match name {
        "echarts.min.js" => (ECHARTS, "text/javascript; charset=utf-8"),
        "world.json" => (WORLD, "application/json"),
        "charts.js" => (CHARTS_JS, "text/javascript; charset=utf-8"),
        "app.js" => (APP_JS, "text/javascript; charset=utf-8"),
        "style.css" => (STYLE_CSS, "text/css; charset=utf-8"),
        _ => return None,
    })
}

/// JavaScript made safe inside a `<script>` element: `</script` would close
/// it early (it can only appear inside a string or regex, where `<\/` means
/// the same).
pub fn script_safe(js: &str) -> String {
    js.replace("</script", "<\\/script")
        .replace("</SCRIPT", "<\\/SCRIPT")
}

/// JSON made safe inside a `<script type="application/json">` element: every
/// `<` escaped as `\u003c` (the same string to a JSON parser).
pub fn json_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
}
