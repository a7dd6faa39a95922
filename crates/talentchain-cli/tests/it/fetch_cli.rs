//! `talentchain fetch` as a user runs it, against the mock OpenAlex API of
//! `talentchain_testkit`: killed at random pages and re-run, it ends with the
//! same files as one uninterrupted run; its output goes straight into
//! `talentchain ingest`; a stop says how to resume and never shows the key.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common;
use talentchain_testkit::mock::{self, Mock, files, harvested};

const AI: &str = "concepts.id:C154945302,publication_year:2017-2022";

fn bin() -> Command {
    let mut c = common::bin();
    c.env("TALENTCHAIN_FETCH_TIME_SCALE", "0.001")
        .env_remove("OPENALEX_API_KEY")
        .env_remove("OPENALEX_MAILTO");
    c
}

/// `fetch` of the AI works from the mock into `out`, 25 a page.
fn fetch(mock: &Mock, out: &Path) -> Command {
    let mut c = bin();
    c.args([
        "fetch",
        "--filter",
        AI,
        "--per-page",
        "25",
        "--max-rate",
        "100",
        "--timeout",
        "2",
        "--base-url",
    ])
    .arg(&mock.url)
    .arg("--out")
    .arg(out);
    c
}

#[test]
fn killed_at_random_pages_and_rerun_gives_the_files_of_one_uninterrupted_run() {
    let Some(data) = mock::data_dir() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let reference = tmp.path().join("reference");
    let mock = Mock::start(&data);
    let out = fetch(&mock, &reference).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "stdout carries data only");
    let want = files(&reference);
    assert_eq!(want.len(), 36 + 1, "36 pages and the checkpoint");
    assert!(harvested(&reference) == mock.records("works"));

    // Pages drawn at random (a fixed seed, so a failure replays), and the
    // first and the last.
    let mut seed: u64 = 0x5eed_f00d;
    let mut picks = vec![1u64, 35];
    for _ in 0..3 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        picks.push(2 + (seed >> 33) % 32);
    }
    for (i, kill_at) in picks.into_iter().enumerate() {
        let mock = Mock::start(&data);
        let dir = tmp.path().join(format!("killed-{i}"));
        // Real waits here (10 ms between requests at --max-rate 100), so
        // the kill lands at the page asked for.
        let mut child = fetch(&mock, &dir)
            .env("TALENTCHAIN_FETCH_TIME_SCALE", "1")
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let start = Instant::now();
        while mock.pages_served() < kill_at {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "the fetch never reached page {kill_at}"
            );
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        let cp: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("checkpoint.json")).unwrap()).unwrap();
        let pages = cp["pages"].as_u64().unwrap();
        assert!(
            !cp["done"].as_bool().unwrap(),
            "killed after page {kill_at}: the fetch had finished"
        );
        assert!(
            pages + 1 >= kill_at && pages <= kill_at + 1,
            "killed after page {kill_at}: checkpoint at {pages}"
        );
        let out = fetch(&mock, &dir).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "killed after page {kill_at}: {err}");
        assert!(
            files(&dir) == want,
            "killed after page {kill_at}: the files differ from an uninterrupted run"
        );
        // At most the page under way when killed is asked for twice.
        assert!(
            mock.pages_served() <= 36 + 1,
            "killed after page {kill_at}: {} pages served",
            mock.pages_served()
        );
    }
}

#[test]
fn fetched_pages_ingest_directly_and_ids_from_fetches_their_people() {
    let Some(data) = mock::data_dir() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let mock = Mock::start(&data);
    let works = tmp.path().join("works");
    let out = fetch(&mock, &works).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ds = tmp.path().join("ai.tcd");
    // --strict: the checkpoint beside the pages is not read as a record.
    let out = bin()
        .arg("ingest")
        .arg(&works)
        .arg("--out")
        .arg(&ds)
        .arg("--strict")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("884 works"), "{err}");

    let people = tmp.path().join("people");
    let before = mock.requests();
    let out = bin()
        .args(["fetch", "--ids-from"])
        .arg(&ds)
        .arg("--out")
        .arg(&people)
        .args(["--max-rate", "100", "--base-url", &mock.url])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("complete"), "{err}");
    let log = mock.log();
    let calls = &log[before as usize..];
    assert!(
        calls
            .iter()
            .all(|c| c.params["filter"].starts_with("openalex:"))
    );
    assert!(
        calls
            .iter()
            .all(|c| c.params["filter"].split('|').count() <= 50)
    );
    let got = harvested(&people);
    assert!(!got.is_empty());
    assert!(got.iter().any(|r| mock::short_id(r).starts_with('A')));
    assert!(got.iter().any(|r| mock::short_id(r).starts_with('I')));
    // One call per batch: no page past the end is asked for.
    let cp: serde_json::Value =
        serde_json::from_slice(&std::fs::read(people.join("checkpoint.json")).unwrap()).unwrap();
    assert_eq!(calls.len() as u64, cp["jobs"].as_u64().unwrap());

    let out = bin()
        .arg("ingest")
        .arg(&people)
        .arg("--out")
        .arg(&ds)
        .arg("--append")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn spent_credits_exit_1_with_how_to_resume_and_no_key_shown() {
    let Some(data) = mock::data_dir() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let mock = Mock::start(&data);
    mock.require_key("k-7f3a9");
    mock.fault_from(4, mock::Fault::CreditsSpent);
    let dir = tmp.path().join("w");
    let out = fetch(&mock, &dir)
        .env("OPENALEX_API_KEY", "k-7f3a9")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("daily credits are spent"), "{err}");
    assert!(err.contains("100 records in 4 pages are safe"), "{err}");
    assert!(
        err.contains("run the same command again to resume"),
        "{err}"
    );
    assert!(!err.contains("k-7f3a9"), "{err}");
    mock.clear_faults();
    let out = fetch(&mock, &dir)
        .env("OPENALEX_API_KEY", "k-7f3a9")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(harvested(&dir) == mock.records("works"));

    // A different filter on the same folder is refused, naming both.
    let out = bin()
        .args([
            "fetch",
            "--filter",
            "publication_year:2020",
            "--per-page",
            "25",
            "--base-url",
            &mock.url,
            "--out",
        ])
        .arg(&dir)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("another query") && err.contains("publication_year:2020"),
        "{err}"
    );
}
