//! Helpers shared by the CLI's end-to-end tests.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The `talentchain` binary under test.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_talentchain"))
}

/// The stdout of a command that must succeed (its stderr in the failure).
pub fn stdout_of(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// CSV text with every decimal number rounded to 9 places: DataFusion adds
/// floats in parallel, so their last bits vary from run to run.
pub fn rounded(csv: &str) -> String {
    csv.lines()
        .map(|line| {
            line.split(',')
                .map(|cell| match cell.parse::<f64>() {
                    Ok(x) if cell.contains('.') => format!("{x:.9}"),
                    _ => cell.to_string(),
                })
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// CSV text as (header, rows of fields).
pub fn csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut lines = text.lines();
    let header = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_string)
        .collect();
    let rows: Vec<Vec<String>> = lines
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// `talentchain ingest` of `inputs` into `dir/ds`, quiet; the dataset's path.
pub fn ingest(inputs: &[PathBuf], dir: &Path) -> PathBuf {
    let ds = dir.join("ds");
    let out = bin()
        .arg("ingest")
        .args(inputs)
        .arg("--out")
        .arg(&ds)
        .arg("--quiet")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    ds
}

/// The raw works, deduplicated as ingest documents it: latest updated_date,
/// equal or missing → the one read last.
pub fn works(files: &[PathBuf]) -> Vec<Value> {
    let mut works: HashMap<String, (Option<String>, Value)> = HashMap::new();
    for f in files {
        let reader = flate2::read::MultiGzDecoder::new(std::fs::File::open(f).unwrap());
        for line in BufReader::new(reader).lines() {
            let v: Value = serde_json::from_str(&line.unwrap()).unwrap();
            let id = v["id"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_string();
            if !id.starts_with('W') {
                continue;
            }
            let date = v["updated_date"].as_str().map(str::to_string);
            let replace = match works.get(&id) {
                None => true,
                Some((kept, _)) => match (&date, kept) {
                    (Some(d), Some(k)) if d != k => d > k,
                    _ => true,
                },
            };
            if replace {
                works.insert(id, (date, v));
            }
        }
    }
    works.into_values().map(|(_, v)| v).collect()
}
