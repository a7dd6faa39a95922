//! talentchain: measure the global AI talent chain from open scholarly metadata.
//!
//! Data flows one way through the library, and each module imports only
//! from the modules before it in this list (a test checks it):
//!
//! 1. [`model`] ([`error`]): the normalized records, every source's common
//!    form, and the library's error;
//! 2. [`sources`], [`fetch`]: OpenAlex records and their normalization;
//!    the API harvester;
//! 3. [`engine`]: where SQL runs (in process or on Apache Ballista);
//! 4. [`sql`]: the SQL layer, every table and metric as one file of
//!    `crates/talentchain/sql/`;
//! 5. [`profile`]: which works count as AI;
//! 6. [`settings`]: every choice an answer depends on, checked once;
//! 7. [`dataset`]: the columnar dataset's tables, manifest and sessions;
//! 8. [`ingest`]: sources → dataset, the derived tables included;
//! 9. [`selection`]: what a session computes once for the settings;
//! 10. [`metrics`]: the answers;
//! 11. [`sensitivity`], [`claims`], [`reconcile`], [`projection`]:
//!     answers across definitions; published claims as verdicts; published
//!     series beside ours; projections under scenarios, with backtests;
//! 12. [`output`], [`demo`]: renderers (table, CSV, JSON, Parquet); the
//!     generated world.

#![warn(missing_docs)]

pub mod claims;
pub mod dataset;
pub mod demo;
pub mod engine;
pub mod error;
pub mod fetch;
pub mod ingest;
pub mod metrics;
pub mod model;
pub mod output;
pub mod profile;
pub mod projection;
pub mod reconcile;
pub mod selection;
pub mod sensitivity;
pub mod settings;
pub mod sources;
pub mod sql;

/// The modules in the order of the flow: each may import only from those
/// before it (and itself). Two in one entry are at the same level and
/// import neither from the other.
pub const LAYERS: &[&[&str]] = &[
    &["model", "error"],
    &["sources", "fetch"],
    &["engine"],
    &["sql"],
    &["profile"],
    &["settings"],
    &["dataset"],
    &["ingest"],
    &["selection"],
    &["metrics"],
    &["sensitivity"],
    &["claims", "reconcile", "projection"],
    &["output", "demo"],
];

#[cfg(test)]
mod layers {
    use super::LAYERS;

    /// The `crate::X` modules a source file names outside its tests.
    fn imports(text: &str) -> Vec<String> {
        // Tests may reach anywhere: cut the file at its test module.
        let code = text.split("#[cfg(test)]").next().unwrap_or(text);
        let mut out = Vec::new();
        for line in code.lines() {
            let line = line.trim_start();
            if line.starts_with("//") {
                continue;
            }
            let mut rest = line;
            while let Some(i) = rest.find("crate::") {
                rest = &rest[i + "crate::".len()..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.push(name);
                }
            }
        }
        out
    }

    fn level(module: &str) -> Option<usize> {
        LAYERS.iter().position(|l| l.contains(&module))
    }

    /// No module imports from one after it in the flow.
    #[test]
    fn no_import_runs_up_the_flow() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        let mut dirs = vec![src.clone()];
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    files.push(p);
                }
            }
        }
        let mut violations = Vec::new();
        let mut seen = 0;
        for f in &files {
            let rel = f.strip_prefix(&src).unwrap();
            let top = rel
                .components()
                .next()
                .unwrap()
                .as_os_str()
                .to_str()
                .unwrap();
            let module = top.trim_end_matches(".rs");
            if module == "lib" {
                continue;
            }
            let own = level(module).unwrap_or_else(|| panic!("module `{module}` is not in LAYERS"));
            // Files of one module are distinct from their test-only files.
            if rel.file_name().is_some_and(|n| n == "tests.rs") {
                continue;
            }
            for import in imports(&std::fs::read_to_string(f).unwrap()) {
                seen += 1;
                let Some(to) = level(&import) else { continue };
                if import != module && to >= own {
                    violations.push(format!("{}: crate::{import}", rel.display()));
                }
            }
        }
        assert!(seen > 20, "only {seen} imports found: the scan is broken");
        assert!(
            violations.is_empty(),
            "imports up or across the flow:\n{}",
            violations.join("\n")
        );
    }

    #[test]
    fn every_module_is_in_one_layer() {
        let mut all: Vec<&str> = LAYERS.iter().flat_map(|l| l.iter().copied()).collect();
        let n = all.len();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), n, "a module in two layers");
        let lib = include_str!("lib.rs");
        for m in all {
            assert!(
                lib.contains(&format!("pub mod {m};")),
                "{m} is not a module"
            );
        }
    }
}
