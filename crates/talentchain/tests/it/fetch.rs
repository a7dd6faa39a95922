//! `fetch` against a mock OpenAlex API on loopback (`talentchain_testkit::mock`): one test
//! per fault, each ending with exactly the records served, or with a clear
//! stop and a checkpoint that resumes to exactly them.

use std::path::Path;
use std::time::Duration;

use talentchain::fetch::{Checkpoint, EntityIds, FetchError, FetchOptions, Source, Summary, fetch};
use talentchain_testkit::mock::{self, Fault, Mock, harvested};

const AI: &str = "concepts.id:C154945302,publication_year:2017-2022";

/// Options for a works fetch from the mock: 25 a page (884 works → 36
/// pages), waits scaled to a thousandth, a short timeout.
fn opts(mock: &Mock, out: &Path) -> FetchOptions {
    let mut o = FetchOptions::new(
        Source::List {
            entity: "works".into(),
            filter: Some(AI.into()),
            search: None,
        },
        out.to_path_buf(),
    );
    o.client.base_url = mock.url.clone();
    o.client.timeout = Duration::from_millis(700);
    o.per_page = 25;
    o.max_rate = 1000.0;
    o.time_scale = 0.001;
    o
}

fn setup() -> Option<(Mock, tempfile::TempDir)> {
    let data = mock::data_dir()?;
    Some((Mock::start(&data), tempfile::tempdir().unwrap()))
}

/// The fetch ended with every work served, once, in order.
fn assert_exact(mock: &Mock, out: &Path, summary: &Summary) {
    let got = harvested(out);
    let want = mock.records("works");
    assert_eq!(got.len(), want.len(), "record count");
    assert!(got == want, "the harvest differs from the records served");
    assert!(summary.done);
    assert_eq!(summary.records, want.len() as u64);
    assert_eq!(summary.meta_count, Some(want.len() as u64));
    let cp = Checkpoint::read(out).unwrap().unwrap();
    assert!(cp.done);
    assert_eq!(cp.records, want.len() as u64);
}

#[test]
fn clean_run_harvests_exactly_the_served_records() {
    let Some((mock, dir)) = setup() else { return };
    mock.require_key("key-123");
    let mut o = opts(&mock, dir.path());
    o.client.api_key = Some("key-123".into());
    o.client.mailto = Some("me@example.org".into());
    let s = fetch(&o).unwrap();
    assert_exact(&mock, dir.path(), &s);
    assert_eq!(s.pages, 36);
    assert_eq!(s.retries, 0);
    // 36 pages, then the empty page that ends the cursor.
    assert_eq!(mock.requests(), 37);
    let log = mock.log();
    assert_eq!(log[0].params["cursor"], "*");
    assert_eq!(log[0].params["per_page"], "25");
    assert_eq!(log[0].params["filter"], AI);
    assert_eq!(log[0].params["mailto"], "me@example.org");
    assert_eq!(log[1].params["cursor"], "IlsxMDAw25");
    let cp = std::fs::read_to_string(dir.path().join("checkpoint.json")).unwrap();
    assert!(
        !cp.contains("key-123"),
        "the key never reaches the checkpoint"
    );
    // A second run of a finished fetch asks nothing.
    let again = fetch(&o).unwrap();
    assert!(again.done);
    assert_eq!(again.requests, 0);
    assert_eq!(mock.requests(), 37);
}

#[test]
fn too_fast_429_waits_retry_after_then_retries() {
    let Some((mock, dir)) = setup() else { return };
    mock.fault(3, Fault::TooFast { retry_after: 3 });
    let mut o = opts(&mock, dir.path());
    o.time_scale = 0.02; // Retry-After 3 s → 60 ms.
    let s = fetch(&o).unwrap();
    assert_exact(&mock, dir.path(), &s);
    assert_eq!(s.retries, 1);
    let log = mock.log();
    let waited = log[4].at - log[3].at;
    assert!(
        waited >= Duration::from_millis(60),
        "waited {waited:?}, less than Retry-After"
    );
}

#[test]
fn server_errors_5xx_are_retried_with_backoff() {
    let Some((mock, dir)) = setup() else { return };
    mock.fault(2, Fault::Status(500))
        .fault(3, Fault::Status(503))
        .fault(10, Fault::Status(502));
    let s = fetch(&opts(&mock, dir.path())).unwrap();
    assert_exact(&mock, dir.path(), &s);
    assert_eq!(s.retries, 3);
}

#[test]
fn dropped_connections_are_retried() {
    let Some((mock, dir)) = setup() else { return };
    mock.fault(0, Fault::Drop)
        .fault(5, Fault::Drop)
        .fault(6, Fault::Drop);
    let s = fetch(&opts(&mock, dir.path())).unwrap();
    assert_exact(&mock, dir.path(), &s);
    assert_eq!(s.retries, 3);
}

#[test]
fn body_cut_short_is_retried_never_written() {
    let Some((mock, dir)) = setup() else { return };
    mock.fault(4, Fault::CutBody).fault(20, Fault::CutBody);
    let s = fetch(&opts(&mock, dir.path())).unwrap();
    assert_exact(&mock, dir.path(), &s);
    assert_eq!(s.retries, 2);
}

#[test]
fn truncated_json_is_retried_never_written() {
    let Some((mock, dir)) = setup() else { return };
    mock.fault(4, Fault::TruncatedJson)
        .fault(5, Fault::TruncatedJson);
    let s = fetch(&opts(&mock, dir.path())).unwrap();
    assert_exact(&mock, dir.path(), &s);
    assert_eq!(s.retries, 2);
}

#[test]
fn malformed_page_is_retried_never_written() {
    let Some((mock, dir)) = setup() else { return };
    mock.fault(0, Fault::Malformed).fault(7, Fault::Malformed);
    let s = fetch(&opts(&mock, dir.path())).unwrap();
    assert_exact(&mock, dir.path(), &s);
    assert_eq!(s.retries, 2);
}

#[test]
fn timeout_is_retried() {
    let Some((mock, dir)) = setup() else { return };
    mock.fault(2, Fault::Stall(Duration::from_millis(1500)));
    let s = fetch(&opts(&mock, dir.path())).unwrap();
    assert_exact(&mock, dir.path(), &s);
    assert_eq!(s.retries, 1);
}

#[test]
fn repeated_cursor_is_retried_no_record_twice() {
    let Some((mock, dir)) = setup() else { return };
    mock.fault(5, Fault::RepeatCursor);
    let s = fetch(&opts(&mock, dir.path())).unwrap();
    assert_exact(&mock, dir.path(), &s);
    assert_eq!(s.retries, 1);
    assert_eq!(s.duplicates, 0);
}

#[test]
fn cursor_that_keeps_repeating_stops_then_resumes() {
    let Some((mock, dir)) = setup() else { return };
    mock.fault_from(5, Fault::RepeatCursor);
    let mut o = opts(&mock, dir.path());
    o.retry.max_attempts = 3;
    let err = fetch(&o).unwrap_err();
    assert!(
        matches!(
            err,
            FetchError::GaveUp {
                page: 6,
                attempts: 3,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("cursor already used"), "{err}");
    assert!(err.is_resumable());
    let cp = Checkpoint::read(dir.path()).unwrap().unwrap();
    assert_eq!((cp.pages, cp.records, cp.done), (5, 125, false));
    assert_eq!(harvested(dir.path()), mock.records("works")[..125]);
    mock.clear_faults();
    let s = fetch(&o).unwrap();
    assert_exact(&mock, dir.path(), &s);
    assert_eq!(s.resumed_pages, 5);
}

#[test]
fn persistent_server_errors_give_up_with_checkpoint_intact_then_resume() {
    let Some((mock, dir)) = setup() else { return };
    mock.fault_from(3, Fault::Status(500));
    let mut o = opts(&mock, dir.path());
    o.retry.max_attempts = 4;
    let err = fetch(&o).unwrap_err();
    assert!(
        matches!(
            err,
            FetchError::GaveUp {
                page: 4,
                attempts: 4,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("HTTP 500"), "{err}");
    assert_eq!(mock.requests(), 3 + 4, "bounded attempts");
    mock.clear_faults();
    let s = fetch(&o).unwrap();
    assert_exact(&mock, dir.path(), &s);
}

#[test]
fn credits_exhausted_stop_without_retry_then_resume() {
    let Some((mock, dir)) = setup() else { return };
    // A 429 that says the budget is spent (X-RateLimit-Remaining: 0).
    mock.fault_from(10, Fault::CreditsSpent);
    let o = opts(&mock, dir.path());
    let err = fetch(&o).unwrap_err();
    assert!(matches!(err, FetchError::CreditsExhausted { .. }), "{err}");
    assert!(err.to_string().contains("daily credits are spent"), "{err}");
    assert_eq!(mock.requests(), 11, "no retry once the credits are spent");
    let cp = Checkpoint::read(dir.path()).unwrap().unwrap();
    assert_eq!(cp.pages, 10);
    mock.clear_faults();
    let s = fetch(&o).unwrap();
    assert_exact(&mock, dir.path(), &s);
    assert_eq!(s.resumed_pages, 10);
}

#[test]
fn credits_message_alone_is_told_from_too_fast() {
    let Some((mock, dir)) = setup() else { return };
    mock.fault(3, Fault::CreditsMessageOnly);
    let err = fetch(&opts(&mock, dir.path())).unwrap_err();
    assert!(matches!(err, FetchError::CreditsExhausted { .. }), "{err}");
    assert_eq!(mock.requests(), 4);
    let s = fetch(&opts(&mock, dir.path())).unwrap();
    assert_exact(&mock, dir.path(), &s);
}

#[test]
fn last_credit_spent_stops_before_the_next_request() {
    let Some((mock, dir)) = setup() else { return };
    mock.set_credits(7);
    let err = fetch(&opts(&mock, dir.path())).unwrap_err();
    assert!(matches!(err, FetchError::CreditsExhausted { .. }), "{err}");
    assert_eq!(
        mock.requests(),
        7,
        "X-RateLimit-Remaining: 0 is heeded: no 429 asked for"
    );
    assert_eq!(Checkpoint::read(dir.path()).unwrap().unwrap().pages, 7);
    mock.set_credits(1000);
    let s = fetch(&opts(&mock, dir.path())).unwrap();
    assert_exact(&mock, dir.path(), &s);
}

#[test]
fn invalid_key_stops_at_once_and_is_never_shown() {
    let Some((mock, dir)) = setup() else { return };
    mock.require_key("the-right-key");
    let mut o = opts(&mock, dir.path());
    o.client.api_key = Some("s3cr3t-wrong-key".into());
    let err = fetch(&o).unwrap_err();
    assert!(
        matches!(err, FetchError::InvalidKey { status: 401, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("OPENALEX_API_KEY"), "{err}");
    assert!(!err.to_string().contains("s3cr3t"), "{err}");
    assert_eq!(mock.requests(), 1);
    let cp = std::fs::read_to_string(dir.path().join("checkpoint.json")).unwrap();
    assert!(!cp.contains("s3cr3t"));
    o.client.api_key = Some("the-right-key".into());
    let s = fetch(&o).unwrap();
    assert_exact(&mock, dir.path(), &s);
}

#[test]
fn rejected_filter_stops_with_the_url_and_message() {
    let Some((mock, dir)) = setup() else { return };
    let mut o = opts(&mock, dir.path());
    o.source = Source::List {
        entity: "works".into(),
        filter: Some("bad_field:1".into()),
        search: None,
    };
    o.client.api_key = Some("k-999".into());
    let err = fetch(&o).unwrap_err().to_string();
    assert!(
        err.contains("HTTP 400") && err.contains("bad_field") && err.contains("api_key=***"),
        "{err}"
    );
    assert!(!err.contains("k-999"), "{err}");
    assert_eq!(mock.requests(), 1);
}

#[test]
fn a_different_query_on_the_same_folder_is_refused() {
    let Some((mock, dir)) = setup() else { return };
    let mut o = opts(&mock, dir.path());
    o.max_works = Some(50);
    fetch(&o).unwrap();
    o.source = Source::List {
        entity: "works".into(),
        filter: Some("publication_year:2020".into()),
        search: None,
    };
    let err = fetch(&o).unwrap_err();
    assert!(matches!(err, FetchError::QueryMismatch { .. }), "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains(AI) && msg.contains("publication_year:2020") && msg.contains("another --out"),
        "{msg}"
    );
    let mut o2 = opts(&mock, dir.path());
    o2.per_page = 50;
    assert!(matches!(
        fetch(&o2).unwrap_err(),
        FetchError::QueryMismatch { .. }
    ));
}

#[test]
fn max_works_stops_exactly_and_resumes() {
    let Some((mock, dir)) = setup() else { return };
    let mut o = opts(&mock, dir.path());
    o.max_works = Some(60);
    let s = fetch(&o).unwrap();
    assert!(!s.done);
    assert_eq!((s.records, s.pages), (60, 3));
    assert_eq!(harvested(dir.path()), mock.records("works")[..60]);
    assert_eq!(mock.log()[2].params["per_page"], "10");
    o.max_works = None;
    let s = fetch(&o).unwrap();
    assert_exact(&mock, dir.path(), &s);
}

#[test]
fn a_page_written_but_not_counted_is_fetched_again_into_the_same_file() {
    let Some((mock, dir)) = setup() else { return };
    let mut o = opts(&mock, dir.path());
    o.max_works = Some(50);
    fetch(&o).unwrap();
    // As if killed after a page's rename but before its checkpoint, and
    // during the next page's write.
    std::fs::write(dir.path().join("works-000003.jsonl.gz"), b"stale").unwrap();
    std::fs::write(dir.path().join(".works-000004.jsonl.gz.tmp"), b"half").unwrap();
    o.max_works = None;
    let s = fetch(&o).unwrap();
    assert_exact(&mock, dir.path(), &s);
    assert!(!dir.path().join(".works-000004.jsonl.gz.tmp").exists());
}

#[test]
fn page_files_without_checkpoint_are_not_overwritten() {
    let Some((mock, dir)) = setup() else { return };
    std::fs::write(dir.path().join("works-000001.jsonl.gz"), b"mine").unwrap();
    let err = fetch(&opts(&mock, dir.path())).unwrap_err();
    assert!(matches!(err, FetchError::NotAFetchFolder { .. }), "{err}");
    assert_eq!(
        std::fs::read(dir.path().join("works-000001.jsonl.gz")).unwrap(),
        b"mine"
    );
}

#[test]
fn request_rate_stays_under_max_rate() {
    let Some((mock, dir)) = setup() else { return };
    let mut o = opts(&mock, dir.path());
    o.time_scale = 1.0;
    o.max_rate = 20.0;
    o.max_works = Some(200);
    fetch(&o).unwrap();
    let log = mock.log();
    assert_eq!(log.len(), 8);
    // 20 per second: the client starts requests 50 ms apart. Arrival times
    // at the server jitter on a busy machine (one late arrival shortens the
    // next gap), so the span of all 8 is checked against 7 gaps, and each
    // gap only against what no limit at all would give (about 1 ms).
    let span = log[7].at - log[0].at;
    assert!(
        span >= Duration::from_millis(7 * 50 - 10),
        "8 requests within {span:?} at --max-rate 20"
    );
    for w in log.windows(2) {
        let gap = w[1].at - w[0].at;
        assert!(
            gap >= Duration::from_millis(20),
            "two requests {gap:?} apart at --max-rate 20"
        );
    }
}

#[test]
fn ids_are_fetched_in_or_batches_one_call_each() {
    let Some((mock, dir)) = setup() else { return };
    let short = |r: &String| {
        let v: serde_json::Value = serde_json::from_str(r).unwrap();
        v["id"]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .to_string()
    };
    let mut authors: Vec<String> = mock
        .records("authors")
        .iter()
        .take(120)
        .map(short)
        .collect();
    let mut institutions: Vec<String> = mock
        .records("institutions")
        .iter()
        .take(30)
        .map(short)
        .collect();
    authors.sort();
    institutions.sort();
    let ids = EntityIds {
        authors: authors.clone(),
        institutions: institutions.clone(),
    };
    let mut o = opts(&mock, dir.path());
    o.source = Source::Ids {
        ids,
        per_request: 50,
    };
    o.per_page = 100;
    let s = fetch(&o).unwrap();
    assert!(s.done);
    assert_eq!(s.records, 150);
    assert_eq!(s.meta_count, Some(150));
    // 120 authors in 3 batches, 30 institutions in 1: one call each.
    let log = mock.log();
    assert_eq!(log.len(), 4);
    assert!(
        log[0].params["filter"].starts_with(&format!("openalex:{}|{}|", authors[0], authors[1]))
    );
    assert_eq!(log[3].path, "/institutions");
    let mut got: Vec<String> = harvested(dir.path()).iter().map(short).collect();
    got.sort();
    let mut want: Vec<String> = authors.into_iter().chain(institutions).collect();
    want.sort();
    assert_eq!(got, want);
    let names: Vec<String> = mock::files(dir.path()).into_keys().collect();
    assert!(names.contains(&"authors-000001.jsonl.gz".to_string()));
    assert!(names.contains(&"institutions-000004.jsonl.gz".to_string()));
}
