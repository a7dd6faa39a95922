//! Helpers shared by the CLI's end-to-end tests.
#![allow(dead_code)]

use std::process::Command;

/// The `talentchain` binary under test.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_talentchain"))
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
