//! `talentchain demo` leaves a report, `talentchain report` writes one (and
//! its SVG charts), bad flags are refused, and `talentchain serve` answers on
//! a real socket.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

use crate::common::bin;

/// Whether `node` runs here. Only `--charts` needs it: building and the
/// other tests do not (`.ci/run` runs the tests without Node on PATH, then
/// the ones that draw charts again with it).
fn node_runs() -> bool {
    Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn demo_report_and_serve() {
    let dir = tempfile::tempdir().unwrap();
    let w = dir.path().join("w");
    let out = bin()
        .args(["demo", "--researchers", "300", "--seed", "3", "--out"])
        .arg(&w)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("report.html"),
        "the demo says where its report is: {stdout}"
    );
    let html = std::fs::read_to_string(w.join("report.html")).unwrap();
    assert!(html.contains("\"mode\":\"report\"") && html.contains("id=\"tc-world\""));
    assert!(!html.contains("<script src="), "self-contained");

    // report, with SVG charts when Node runs here; without it, report.html
    // is still written and --charts says it needs Node.
    let node = node_runs();
    let data = w.join("dataset");
    let report = dir.path().join("r.html");
    let charts = dir.path().join("charts");
    let out = bin()
        .args([
            "report",
            "--from",
            "2015",
            "--to",
            "2020",
            "--countries",
            "us,CN,GB",
            "--ai",
            "any",
            "--charts",
        ])
        .arg(&charts)
        .arg("--out")
        .arg(&report)
        .arg("--data")
        .arg(&data)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    if node {
        assert!(out.status.success(), "{err}");
        // One SVG per chart of assets/charts.js, the projection last.
        assert_eq!(std::fs::read_dir(&charts).unwrap().count(), 14);
        assert!(charts.join("sensitivity.svg").is_file());
        assert!(charts.join("projection.svg").is_file());
    } else {
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains("Node.js, which is not on PATH"), "{err}");
        let _ = writeln!(
            std::io::stderr(),
            "demo_report_and_serve: SKIPPED drawing the SVG charts: `node` is not on PATH \
             (checked only that --charts says it needs Node.js)"
        );
    }
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(html.contains("\"countries\":[\"US\",\"CN\",\"GB\"]"));
    assert!(html.contains("\"range\":\"2015–2020\""));

    // Bad flags.
    for (args, want) in [
        (
            vec!["report", "--countries", "USA"],
            "not an ISO 3166-1 alpha-2 code",
        ),
        (
            vec!["report", "--from", "2020", "--to", "2010"],
            "--from: the year range 2020 to 2010 is empty",
        ),
        (vec!["report", "--top", "0"], "--top"),
        (vec!["report", "--ai", "nonesuch"], "nonesuch"),
    ] {
        let out = bin()
            .args(&args)
            .arg("--data")
            .arg(&data)
            .arg("--out")
            .arg(dir.path().join("x.html"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(want), "{args:?}: {err}");
    }

    // serve on a free port: the dashboard and one API answer.
    let mut child = bin()
        .args(["serve", "--addr", "127.0.0.1:0", "--data"])
        .arg(&data)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .unwrap_or_else(|| panic!("{line}"))
        .to_string();
    let get = |path: &str| {
        let mut s = TcpStream::connect(&addr).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut text = String::new();
        s.read_to_string(&mut text).unwrap();
        text
    };
    let home = get("/");
    let api = get("/api/countries?by=total&top=1");
    let bad = get("/api/countries?by=decade");
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        home.starts_with("HTTP/1.1 200") && home.contains("talentchain dashboard"),
        "{home}"
    );
    assert!(
        api.starts_with("HTTP/1.1 200") && api.contains("\"papers_full\""),
        "{api}"
    );
    assert!(
        bad.starts_with("HTTP/1.1 400") && bad.contains("\"parameter\":\"by\""),
        "{bad}"
    );
}
