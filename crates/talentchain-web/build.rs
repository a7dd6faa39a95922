//! Build the chart assets embedded in the binary: Apache ECharts' minified
//! bundle and the Natural Earth world map as GeoJSON keyed by ISO-2 codes.
//!
//! `web/package.json` and its committed `package-lock.json` pin the npm
//! packages. The lockfile is copied into `OUT_DIR/npm`, where `npm ci`
//! installs them (only when `node_modules` is missing or the lockfile
//! changed: a stamp holds the lockfile it was installed from), then
//! `web/build.mjs` writes `OUT_DIR/assets/{echarts.min.js,world.json}`, read
//! by `include_str!` in `src/assets.rs`. Nothing is fetched at run time.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let web = manifest_dir.join("web");
    for f in ["package.json", "package-lock.json", "build.mjs"] {
        println!("cargo::rerun-if-changed=web/{f}");
    }
    let npm_dir = out.join("npm");
    let assets = out.join("assets");
    std::fs::create_dir_all(&npm_dir).unwrap();

    let lock =
        std::fs::read(web.join("package-lock.json")).expect("web/package-lock.json is committed");
    let stamp = npm_dir.join(".installed-lock");
    let installed = std::fs::read(&stamp).ok();
    if installed.as_deref() != Some(lock.as_slice()) || !npm_dir.join("node_modules").is_dir() {
        std::fs::copy(web.join("package.json"), npm_dir.join("package.json")).unwrap();
        std::fs::write(npm_dir.join("package-lock.json"), &lock).unwrap();
        run(
            Command::new(npm())
                .args([
                    "ci",
                    "--ignore-scripts",
                    "--no-audit",
                    "--no-fund",
                    "--loglevel=error",
                ])
                .current_dir(&npm_dir),
            "npm ci",
        );
        std::fs::write(&stamp, &lock).unwrap();
    }
    if !assets.join("echarts.min.js").is_file()
        || !assets.join("world.json").is_file()
        || stale(&assets, &[&stamp, &web.join("build.mjs")])
    {
        run(
            Command::new("node")
                .arg(web.join("build.mjs"))
                .arg(npm_dir.join("node_modules"))
                .arg(&assets),
            "node web/build.mjs",
        );
    }
}

/// `npm`, or `npm.cmd` on Windows.
fn npm() -> &'static str {
    if cfg!(windows) { "npm.cmd" } else { "npm" }
}

/// Whether the assets are older than any of `inputs`.
fn stale(assets: &Path, inputs: &[&Path]) -> bool {
    let mtime = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let Some(built) = mtime(&assets.join("world.json")) else {
        return true;
    };
    inputs.iter().any(|i| mtime(i).is_some_and(|t| t > built))
}

fn run(cmd: &mut Command, what: &str) {
    match cmd.status() {
        Ok(s) if s.success() => {}
        Ok(s) => fail(&format!(
            "`{what}` failed ({s}) while building talentchain-web's chart assets; see its output above"
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => fail(&format!(
            "`{what}` could not start: talentchain-web embeds Apache ECharts and a world map from the npm registry at build time, \
             so building it needs Node.js 18+ and npm on PATH (Debian/Ubuntu: `apt-get install -y nodejs npm`; \
             elsewhere https://nodejs.org), then run `cargo build` again"
        )),
        Err(e) => fail(&format!("`{what}` could not start: {e}")),
    }
}

fn fail(msg: &str) -> ! {
    println!("cargo::error={msg}");
    std::process::exit(1);
}
