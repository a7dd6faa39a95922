//! The embedded assets: Apache ECharts' bundle and the world map, vendored in
//! `assets/vendor/` (built from the npm packages locked in `web/` by
//! `scripts/refresh-web-assets.sh`, checked against `SHA256SUMS` by the tests
//! below), and the pages' own scripts and styles from `assets/`. Served by the
//! dashboard, inlined by the report, run by `node` for the SVG export.

/// Apache ECharts, minified, as published on npm (Apache-2.0; licenses in
/// `assets/vendor/`).
pub const ECHARTS: &str = include_str!("../assets/vendor/echarts.min.js");
/// Natural Earth 1:110m countries (public domain) as GeoJSON, each feature
/// named by its ISO 3166-1 alpha-2 code (`properties.name`) with its English
/// name in `properties.label`.
pub const WORLD: &str = include_str!("../assets/vendor/world.json");
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

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};
    use std::collections::BTreeSet;

    /// The sums `scripts/refresh-web-assets.sh` recorded (`sha256sum` lines).
    const SUMS: &str = include_str!("../assets/vendor/SHA256SUMS");

    fn recorded(file: &str) -> &'static str {
        SUMS.lines()
            .find_map(|line| {
                let (sum, name) = line.split_once(' ')?;
                (name.trim_start_matches([' ', '*']) == file).then_some(sum)
            })
            .unwrap_or_else(|| panic!("assets/vendor/SHA256SUMS has no line for {file}"))
    }

    #[test]
    fn vendored_assets_are_the_recorded_bytes() {
        for (file, text) in [("echarts.min.js", ECHARTS), ("world.json", WORLD)] {
            let sum = format!("{:x}", Sha256::digest(text.as_bytes()));
            assert_eq!(
                sum,
                recorded(file),
                "assets/vendor/{file} is not the file SHA256SUMS records: \
                 rebuild both with scripts/refresh-web-assets.sh (never edit them by hand)"
            );
        }
    }

    #[test]
    fn world_map_is_countries_named_by_iso2_codes() {
        let world: serde_json::Value = serde_json::from_str(WORLD).unwrap();
        assert_eq!(world["type"], "FeatureCollection");
        let features = world["features"].as_array().unwrap();
        // Natural Earth 1:110m has 177 shapes; three have no code and
        // Antarctica is left out.
        assert!(
            (150..=200).contains(&features.len()),
            "{} features",
            features.len()
        );
        let mut codes = BTreeSet::new();
        for f in features {
            assert_eq!(f["type"], "Feature");
            let code = f["properties"]["name"].as_str().unwrap();
            let label = f["properties"]["label"].as_str().unwrap();
            assert!(
                code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()),
                "{label} is named {code:?}, not an ISO-2 code"
            );
            assert!(!label.is_empty(), "{code} has no label");
            assert!(
                matches!(
                    f["geometry"]["type"].as_str(),
                    Some("Polygon" | "MultiPolygon")
                ),
                "{code}: {}",
                f["geometry"]["type"]
            );
            assert!(codes.insert(code), "{code} appears twice");
        }
        for code in [
            "US", "CN", "GB", "DE", "FR", "IN", "JP", "BR", "RU", "AU", "XK",
        ] {
            assert!(codes.contains(code), "{code} is missing");
        }
        assert!(!codes.contains("AQ"), "Antarctica is left out");
    }
}
