//! `talentchain report --charts DIR`: each chart as an SVG file, drawn by
//! ECharts' server-side SVG renderer in Node with the same chart entries as
//! the pages. The embedded bundle, charts and map are written to a temporary
//! folder and run by `node` (Node is needed for this option only).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::assets;

/// Write one SVG per chart into `dir` from the report's configuration
/// (see [`crate::report::config`]); returns the files written.
pub fn write_charts(config: &Value, dir: &Path) -> Result<Vec<PathBuf>> {
    let tmp = std::env::temp_dir().join(format!("talentchain-svg-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
    let result = (|| {
        for (name, text) in [
            ("echarts.min.js", assets::ECHARTS),
            ("charts.js", assets::CHARTS_JS),
            ("world.json", assets::WORLD),
            ("ssr.js", assets::SSR_JS),
            ("config.json", &config.to_string()),
        ] {
            std::fs::write(tmp.join(name), text)?;
        }
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let out = Command::new("node")
            .arg(tmp.join("ssr.js"))
            .arg(&tmp)
            .arg(tmp.join("config.json"))
            .arg(dir)
            .output()
            .map_err(|e| {
                if e.kind() == std::io::ErrorKind::NotFound {
                    anyhow::anyhow!(
                        "--charts draws the SVG files with Node.js, which is not on PATH: install Node 18+ \
                         (Debian/Ubuntu: `apt-get install -y nodejs`), or leave out --charts (report.html needs no Node)"
                    )
                } else {
                    anyhow::anyhow!("running node: {e}")
                }
            })?;
        if !out.status.success() {
            bail!(
                "drawing the SVG charts failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        Ok(String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(PathBuf::from)
            .collect())
    })();
    let _ = std::fs::remove_dir_all(&tmp);
    result
}
