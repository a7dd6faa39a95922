//! Ingest end to end: every input form, every kind of bad input,
//! duplicates, append, and the real records in `../shared/data`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::path::Path;

use arrow::array::{AsArray, RecordBatch};
use arrow::datatypes::Int64Type;
use flate2::Compression;
use flate2::write::GzEncoder;
use talentchain::dataset::Dataset;
use talentchain::dataset::bad::Reason;
use talentchain::ingest::{IngestOptions, IngestReport, ingest};

use talentchain_testkit::shared;

fn work(id: &str, year: i32, cites: i64, countries: &[&str]) -> String {
    let auth: Vec<String> = countries
        .iter()
        .enumerate()
        .map(|(i, c)| {
            format!(
                r#"{{"author_position":"middle","author":{{"id":"https://openalex.org/A{i}","display_name":"Author {i}"}},"institutions":[{{"id":"https://openalex.org/I{i}","display_name":"Inst {i}","country_code":"{c}","type":"education","lineage":["https://openalex.org/I{i}"]}}],"countries":["{c}"],"is_corresponding":false}}"#
            )
        })
        .collect();
    format!(
        r#"{{"id":"https://openalex.org/{id}","publication_year":{year},"cited_by_count":{cites},"updated_date":"2025-01-01T00:00:00","authorships":[{}]}}"#,
        auth.join(",")
    )
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn write_gz(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut e = GzEncoder::new(std::fs::File::create(path).unwrap(), Compression::default());
    e.write_all(text.as_bytes()).unwrap();
    e.finish().unwrap();
}

fn run(inputs: &[&Path], out: &Path) -> IngestReport {
    let opts = IngestOptions::new(
        inputs.iter().map(|p| p.to_path_buf()).collect(),
        out.to_path_buf(),
    );
    ingest(&opts).unwrap()
}

fn query(ds: &Path, sql: &str) -> Vec<RecordBatch> {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let ctx = Dataset::open(ds).unwrap().session().await.unwrap();
        ctx.sql(sql).await.unwrap().collect().await.unwrap()
    })
}

/// `SELECT key, n …` as a map.
fn pairs(ds: &Path, sql: &str) -> BTreeMap<String, i64> {
    let mut out = BTreeMap::new();
    for b in query(ds, sql) {
        let k = arrow::compute::cast(b.column(0), &arrow::datatypes::DataType::Utf8).unwrap();
        let k = k.as_string::<i32>();
        let v = arrow::compute::cast(b.column(1), &arrow::datatypes::DataType::Int64).unwrap();
        let v = v.as_primitive::<Int64Type>();
        for r in 0..b.num_rows() {
            out.insert(k.value(r).to_string(), v.value(r));
        }
    }
    out
}

fn count(ds: &Path, table: &str) -> i64 {
    pairs(ds, &format!("SELECT 'n', count(*) FROM {table}"))["n"]
}

#[test]
fn jsonl_gz_and_normalized_tables() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.jsonl");
    let b = dir.path().join("b.jsonl.gz");
    write(
        &a,
        &format!(
            "{}\n{}\n",
            work("W1", 2020, 5, &["US", "CN"]),
            work("W2", 2021, 0, &["gb"])
        ),
    );
    write_gz(&b, &format!("{}\n", work("W3", 2021, 9, &["FR"])));
    let out = dir.path().join("ds");
    let r = run(&[&a, &b], &out);
    assert_eq!(r.manifest.records.works, 3);
    assert_eq!(r.manifest.bad.total(), 0);
    assert_eq!(count(&out, "works"), 3);
    assert_eq!(count(&out, "authorships"), 4);
    // Upper-cased, short ids.
    let c = pairs(
        &out,
        "SELECT work || ':' || country, position FROM authorship_countries",
    );
    assert_eq!(
        c.keys().cloned().collect::<Vec<_>>(),
        vec!["W1:CN", "W1:US", "W2:GB", "W3:FR"]
    );
    assert_eq!(
        count(&out, "institutions"),
        2,
        "I0 and I1, each seen in works"
    );
    let inputs = &r.manifest.inputs;
    assert_eq!(inputs.len(), 2);
    assert!(inputs[1].gzip && !inputs[0].gzip);
    assert_eq!(inputs[0].sha256.len(), 64);
    assert_eq!((inputs[0].works, inputs[1].works), (2, 1));
    // The manifest on disk says the same.
    let m = Dataset::open(&out).unwrap().manifest;
    assert_eq!(m.records.works, 3);
}

#[test]
fn every_kind_of_bad_input_is_reported_and_good_records_kept() {
    let dir = tempfile::tempdir().unwrap();
    // Line 2 malformed, line 3 no id, line 4 not an OpenAlex id, line 5
    // longer than the limit; lines 1 and 6 good.
    let long = format!(r#"{{"id":"W999999","title":"{}"}}"#, "x".repeat(5000));
    let mixed = dir.path().join("mixed.jsonl");
    write(
        &mixed,
        &format!(
            "{}\n{{\"id\": \"W5\", broken\n{{\"title\":\"no id\"}}\n{{\"id\":\"hello\"}}\n{long}\n{}\n",
            work("W1", 2020, 1, &["US"]),
            work("W2", 2020, 1, &["US"])
        ),
    );
    // A gzip file cut in the middle: the complete lines before the cut stay.
    let full = dir.path().join("full.gz");
    let lines: String = (10..400)
        .map(|i| work(&format!("W{i}"), 2019, i, &["DE"]) + "\n")
        .collect();
    write_gz(&full, &lines);
    let bytes = std::fs::read(&full).unwrap();
    let cut = dir.path().join("cut.gz");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let empty = dir.path().join("empty.jsonl");
    write(&empty, "");

    let out = dir.path().join("ds");
    let mut opts = IngestOptions::new(vec![mixed.clone(), cut.clone(), empty.clone()], out.clone());
    opts.limits.max_line_bytes = 1000;
    opts.limits.chunk_bytes = 4096;
    let r = ingest(&opts).unwrap();
    let bad = &r.manifest.bad;
    for (reason, n) in [
        (Reason::MalformedJson, 1),
        (Reason::MissingId, 1),
        (Reason::BadId, 1),
        (Reason::LineTooLong, 1),
        (Reason::TruncatedGzip, 1),
        (Reason::EmptyFile, 1),
    ] {
        assert_eq!(
            bad.counts.get(&reason).copied(),
            Some(n),
            "{reason:?} in {bad:?}"
        );
    }
    let at = |reason: Reason| bad.records.iter().find(|b| b.reason == reason).unwrap();
    assert_eq!(
        (at(Reason::MalformedJson).line, at(Reason::MissingId).line),
        (2, 3)
    );
    assert_eq!(
        (at(Reason::BadId).line, at(Reason::LineTooLong).line),
        (4, 5)
    );
    assert!(at(Reason::MalformedJson).file.ends_with("mixed.jsonl"));
    assert!(at(Reason::TruncatedGzip).file.ends_with("cut.gz"));
    assert!(at(Reason::EmptyFile).file.ends_with("empty.jsonl"));

    // Good records on both sides of the bad ones are kept.
    let ids = pairs(&out, "SELECT id, cited_by_count FROM works");
    assert!(ids.contains_key("W1") && ids.contains_key("W2"));
    assert!(!ids.contains_key("W999999"));
    // The cut file kept a prefix of its lines: W10, W11, … with no gap.
    let from_cut = ids.values().filter(|v| **v >= 10).count() as i64;
    assert!(
        from_cut > 10 && from_cut < 390,
        "kept {from_cut} of the truncated file's 390"
    );
    let expected: BTreeMap<String, i64> =
        (10..10 + from_cut).map(|i| (format!("W{i}"), i)).collect();
    let got: BTreeMap<String, i64> = ids.into_iter().filter(|(_, v)| *v >= 10).collect();
    assert_eq!(got, expected, "a prefix of the truncated file");
    let line = at(Reason::TruncatedGzip).line;
    assert_eq!(
        line as i64,
        from_cut + 1,
        "reported at the first incomplete line"
    );
}

#[test]
fn strict_fails_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("w.jsonl");
    write(&f, &format!("{}\nnot json\n", work("W1", 2020, 1, &["US"])));
    let out = dir.path().join("ds");
    let mut opts = IngestOptions::new(vec![f], out.clone());
    opts.strict = true;
    let r = ingest(&opts).unwrap();
    assert!(!r.published);
    assert_eq!(r.manifest.bad.total(), 1);
    assert!(!out.exists());
    // No temporary folder left behind either: the input and the dataset's
    // lock file (dataset::lock), which stays, unlocked, for the next writer.
    let mut left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    left.sort();
    assert_eq!(left, [".ds.lock", "w.jsonl"], "{left:?}");
}

#[test]
fn duplicates_keep_the_latest_copy_within_and_across_parts() {
    let dir = tempfile::tempdir().unwrap();
    let v = |id: &str, date: &str, cites: i64| {
        format!(
            r#"{{"id":"{id}","publication_year":2020,"cited_by_count":{cites},"updated_date":"{date}"}}"#
        )
    };
    let a = dir.path().join("a.jsonl");
    let b = dir.path().join("b.jsonl");
    // W1: later date in a (read first) wins. W2: equal dates, read last (b)
    // wins. W3: twice in the same file, later line wins.
    write(
        &a,
        &[
            v("W1", "2025-02-01", 1),
            v("W2", "2025-01-01", 2),
            v("W3", "2024-01-01", 3),
            v("W3", "2024-01-01", 33),
        ]
        .join("\n"),
    );
    write(
        &b,
        &[
            v("W1", "2025-01-01", 11),
            v("W2", "2025-01-01", 22),
            v("W4", "2025-01-01", 4),
        ]
        .join("\n"),
    );
    for part_rows in [1, 1000] {
        for threads in [1, 2] {
            let out = dir.path().join(format!("ds-{part_rows}-{threads}"));
            let mut opts = IngestOptions::new(vec![a.clone(), b.clone()], out.clone());
            opts.part_rows = part_rows;
            opts.threads = threads;
            let r = ingest(&opts).unwrap();
            let got = pairs(&out, "SELECT id, cited_by_count FROM works");
            let want: BTreeMap<String, i64> = [("W1", 1), ("W2", 22), ("W3", 33), ("W4", 4)]
                .into_iter()
                .map(|(k, v)| (k.into(), v))
                .collect();
            assert_eq!(got, want, "part_rows {part_rows}, threads {threads}");
            assert_eq!(r.manifest.records.duplicates_dropped, 3);
            assert_eq!(r.manifest.records.works, 4);
            assert_eq!(r.manifest.records.works_read, 7);
        }
    }
}

#[test]
fn duplicate_copies_take_their_child_rows_with_them() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.jsonl");
    let b = dir.path().join("b.jsonl");
    write(&a, &work("W1", 2020, 1, &["US", "CN"]));
    write(&b, &work("W1", 2020, 2, &["FR"]));
    let out = dir.path().join("ds");
    let mut opts = IngestOptions::new(vec![a, b], out.clone());
    opts.part_rows = 1;
    ingest(&opts).unwrap();
    assert_eq!(
        pairs(
            &out,
            "SELECT country, count(*) FROM authorship_countries GROUP BY country"
        ),
        [("FR".to_string(), 1)].into()
    );
    assert_eq!(count(&out, "authorships"), 1);
}

#[test]
fn append_adds_inputs_and_keeps_dedup() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.jsonl");
    let b = dir.path().join("b.jsonl");
    write(
        &a,
        &[work("W1", 2020, 1, &["US"]), work("W2", 2020, 2, &["US"])].join("\n"),
    );
    let w2_newer = work("W2", 2020, 20, &["GB"]).replace("2025-01-01", "2026-01-01");
    write(&b, &[w2_newer, work("W3", 2021, 3, &["CN"])].join("\n"));
    let out = dir.path().join("ds");
    run(&[&a], &out);
    // Without --append an existing dataset is refused.
    let err = ingest(&IngestOptions::new(vec![b.clone()], out.clone())).unwrap_err();
    assert!(err.to_string().contains("--append"), "{err}");
    let mut opts = IngestOptions::new(vec![b.clone()], out.clone());
    opts.append = true;
    let r = ingest(&opts).unwrap();
    assert_eq!(r.manifest.inputs.len(), 2);
    assert_eq!(r.manifest.records.works, 3);
    assert_eq!(r.manifest.records.duplicates_dropped, 1);
    let got = pairs(&out, "SELECT id, cited_by_count FROM works");
    assert_eq!(got.get("W2"), Some(&20));
    assert_eq!(
        pairs(
            &out,
            "SELECT country, count(*) FROM authorship_countries GROUP BY country"
        ),
        [
            ("CN".to_string(), 1),
            ("GB".to_string(), 1),
            ("US".to_string(), 1)
        ]
        .into()
    );
}

#[test]
fn interrupted_run_leaves_nothing_that_looks_complete() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ds");
    // What a run killed mid-way leaves: a temporary folder with parts and
    // no manifest, under a pid that no longer runs.
    let stale = dir.path().join(".ds.tmp-999999999");
    std::fs::create_dir_all(stale.join("works")).unwrap();
    assert!(Dataset::open(&stale).is_err());
    let err = Dataset::open(&out).unwrap_err().to_string();
    assert!(err.contains("does not exist"), "{err}");
    // The next run cleans it up.
    let a = dir.path().join("a.jsonl");
    write(&a, &work("W1", 2020, 1, &["US"]));
    run(&[&a], &out);
    assert!(!stale.exists());
    // A dataset folder without its manifest is refused with a clear message.
    std::fs::remove_file(out.join("manifest.json")).unwrap();
    let err = format!("{:#}", Dataset::open(&out).unwrap_err());
    assert!(err.contains("not a complete talentchain dataset"), "{err}");
}

#[test]
fn snapshot_folder_with_manifest_and_api_pages() {
    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("snapshot/data/works");
    write_gz(
        &snap.join("updated_date=2025-01-01/part_000.gz"),
        &format!(
            "{}\n{}\n",
            work("W1", 2020, 1, &["US"]),
            work("W2", 2020, 1, &["US"])
        ),
    );
    write_gz(
        &snap.join("updated_date=2025-02-01/part_000.gz"),
        &format!("{}\n", work("W3", 2021, 1, &["JP"])),
    );
    write(
        &snap.join("manifest"),
        r#"{"entries":[{"url":"s3://openalex/data/works/updated_date=2025-01-01/part_000.gz","meta":{"content_length":1,"record_count":2}},
           {"url":"s3://openalex/data/works/updated_date=2025-02-01/part_000.gz","meta":{"content_length":1,"record_count":5}}],
           "meta":{"content_length":2,"record_count":7}}"#,
    );
    // An API page, pretty-printed, and one on a single line.
    let page = dir.path().join("page.json");
    write(
        &page,
        &format!(
            "{{\n  \"meta\": {{\"count\": 2}},\n  \"results\": [\n    {},\n    {}\n  ]\n}}\n",
            work("W4", 2022, 1, &["KR"]),
            work("W5", 2022, 1, &["KR"])
        ),
    );
    let lines = dir.path().join("pages.jsonl");
    write(
        &lines,
        &format!(
            "{{\"meta\":{{\"count\":1}},\"results\":[{}]}}\n",
            work("W6", 2022, 1, &["IN"])
        ),
    );
    let out = dir.path().join("ds");
    let r = run(&[&dir.path().join("snapshot"), &page, &lines], &out);
    assert_eq!(r.manifest.records.works, 6);
    assert_eq!(r.manifest.bad.total(), 0, "{:?}", r.manifest.bad);
    assert_eq!(r.manifest.snapshot_date.as_deref(), Some("2025-02-01"));
    // The manifest promised 5 records in the second part: one was there.
    assert_eq!(r.manifest.warnings.len(), 1, "{:?}", r.manifest.warnings);
    assert!(r.manifest.warnings[0].contains("lists 5 records, 1 were read"));
}

#[test]
fn real_openalex_records_every_entity_and_form() {
    let Some(data) = shared() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ds");
    let r = run(
        &[
            &data.join("explorer"),
            &data.join("rag-sample"),
            &data.join("fixtures"),
        ],
        &out,
    );
    let m = &r.manifest;
    // explorer: 884 works, rag-sample 195, fixtures 2 (some ids repeat).
    assert!(m.records.works_read >= 884 + 195 + 2, "{:?}", m.records);
    assert_eq!(m.bad.total(), 0, "{:?}", m.bad);
    assert_eq!(m.records.works as i64, count(&out, "works"));
    assert!(m.records.authors >= 172 + 30);
    assert!(
        m.records.other_entities >= 6,
        "concept, funder, publisher, source, topic, list"
    );
    // Entities win over dehydrated copies; universities typed `funder` are
    // kept as given in `type`.
    let types = pairs(
        &out,
        "SELECT type, count(*) FROM institutions WHERE source = 'entity' GROUP BY type",
    );
    assert!(types["funder"] >= 71, "{types:?}");
    // Old-shape work (host_venue era, no `countries`): countries come from
    // the institutions' country codes.
    let old = pairs(
        &out,
        "SELECT country, count(*) FROM authorship_countries WHERE work = 'W2755950973' GROUP BY country",
    );
    assert!(old.get("US").copied().unwrap_or(0) > 0, "{old:?}");
    let venue = pairs(
        &out,
        "SELECT venue, count(*) FROM works WHERE id = 'W2755950973' GROUP BY venue",
    );
    assert!(venue.contains_key("Physical Review Letters"), "{venue:?}");
    // Author affiliations by year from author entities (A5023888391: CA and US).
    let years = pairs(
        &out,
        "SELECT country, count(*) FROM author_affiliations WHERE author = 'A5023888391' GROUP BY country",
    );
    assert!(
        years.contains_key("CA") && years.contains_key("US"),
        "{years:?}"
    );
}

/// The real explorer works, a line each.
fn real_works(data: &Path) -> Vec<String> {
    let mut text = String::new();
    flate2::read::GzDecoder::new(
        std::fs::File::open(data.join("explorer/works.jsonl.gz")).unwrap(),
    )
    .read_to_string(&mut text)
    .unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

/// Odd but valid files, as other tools write the same real records: a
/// UTF-8 byte-order mark, CRLF line ends, no final newline, gzip members
/// that each start with a byte-order mark (files joined with `cat`), and a
/// pretty-printed JSON array with a byte-order mark. Every record is kept,
/// none is reported bad, and the works are the plain file's, row for row.
#[test]
fn odd_but_valid_files_keep_every_real_record() {
    let Some(data) = shared() else { return };
    let records = real_works(&data);
    assert!(records.len() >= 800, "{} works", records.len());
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain.jsonl");
    write(&plain, &(records.join("\n") + "\n"));
    let want = run(&[&plain], &dir.path().join("ds-plain"));
    assert_eq!(want.manifest.bad.total(), 0);
    let works = table_rows(&dir.path().join("ds-plain"), "works");
    assert_eq!(works.len() as u64, want.manifest.records.works);

    const BOM: &str = "\u{feff}";
    let windows = dir.path().join("windows.jsonl");
    write(&windows, &format!("{BOM}{}", records.join("\r\n")));
    let joined = dir.path().join("joined.jsonl.gz");
    let half = records.len() / 2;
    write_gz(&joined, &format!("{BOM}{}\n", records[..half].join("\n")));
    let second = dir.path().join("second.gz");
    write_gz(&second, &format!("{BOM}{}\n", records[half..].join("\n")));
    let mut joined_file = std::fs::OpenOptions::new()
        .append(true)
        .open(&joined)
        .unwrap();
    joined_file
        .write_all(&std::fs::read(&second).unwrap())
        .unwrap();
    drop(joined_file);
    let array = dir.path().join("array.json");
    let values: Vec<serde_json::Value> = records
        .iter()
        .map(|r| serde_json::from_str(r).unwrap())
        .collect();
    write(
        &array,
        &format!("{BOM}{}", serde_json::to_string_pretty(&values).unwrap()),
    );
    for (name, file) in [
        ("bom-crlf-no-final-newline", &windows),
        ("gzip-members-with-bom", &joined),
        ("pretty-array-with-bom", &array),
    ] {
        let out = dir.path().join(format!("ds-{name}"));
        let r = run(&[file], &out);
        assert_eq!(r.manifest.bad.total(), 0, "{name}: {:?}", r.manifest.bad);
        assert_eq!(
            r.manifest.records.works_read,
            records.len() as u64,
            "{name}"
        );
        assert_eq!(table_rows(&out, "works"), works, "{name}");
    }
}

/// Two writers of one dataset at once, in every combination: a run that
/// reports success has its data in the final dataset, unless a run that
/// finished after it replaced the dataset (`--force`). The runs' successes,
/// replayed in the order they finished, give exactly the final dataset's
/// works; a refused run names the writer that held the dataset.
#[test]
fn two_writers_at_once_never_lose_data_a_success_reported() {
    #[derive(Clone, Copy, Debug, PartialEq)]
    enum Mode {
        Fresh,
        Append,
        Force,
    }
    let dir = tempfile::tempdir().unwrap();
    // Large enough that two runs overlap: 3,000 works per input.
    let input = |tag: &str| {
        let path = dir.path().join(format!("{tag}.jsonl"));
        let lines: Vec<String> = (0..3000)
            .map(|i| work(&format!("W{tag}{i}"), 2020, i, &["US", "CN"]))
            .collect();
        write(&path, &lines.join("\n"));
        path
    };
    let seed = input("900");
    let (a, b) = (input("901"), input("902"));
    for (round, (ma, mb)) in [
        (Mode::Fresh, Mode::Fresh),
        (Mode::Append, Mode::Append),
        (Mode::Force, Mode::Append),
        (Mode::Append, Mode::Force),
    ]
    .into_iter()
    .enumerate()
    {
        let out = dir.path().join(format!("ds-{round}"));
        // Appends and forced replaces start from a dataset of the seed.
        let start: Vec<&str> = if ma == Mode::Fresh && mb == Mode::Fresh {
            vec![]
        } else {
            run(&[&seed], &out);
            vec!["900"]
        };
        let finished = std::sync::Mutex::new(Vec::new());
        let barrier = std::sync::Barrier::new(2);
        let results: Vec<(Mode, &str, Result<(), String>)> = std::thread::scope(|s| {
            let go = |mode: Mode, file: &Path, tag: &'static str| {
                let (finished, barrier) = (&finished, &barrier);
                let out = out.clone();
                let file = file.to_path_buf();
                s.spawn(move || {
                    let mut opts = IngestOptions::new(vec![file], out);
                    opts.append = mode == Mode::Append;
                    opts.force = mode == Mode::Force;
                    barrier.wait();
                    let r = ingest(&opts).map(|_| ()).map_err(|e| e.to_string());
                    if r.is_ok() {
                        finished.lock().unwrap().push((mode, tag));
                    }
                    (mode, tag, r)
                })
            };
            let ha = go(ma, &a, "901");
            let hb = go(mb, &b, "902");
            vec![ha.join().unwrap(), hb.join().unwrap()]
        });
        // Replay the successes in the order they finished.
        let mut want: BTreeSet<&str> = start.into_iter().collect();
        for (mode, tag) in finished.into_inner().unwrap() {
            if mode != Mode::Append {
                want.clear();
            }
            want.insert(tag);
        }
        let mut have = BTreeSet::new();
        for tag in ["900", "901", "902"] {
            let n = pairs(
                &out,
                &format!("SELECT 'n', count(*) FROM works WHERE id LIKE 'W{tag}%'"),
            )["n"];
            assert!(
                n == 0 || n == 3000,
                "round {round}: {tag} has {n} of 3000 works"
            );
            if n == 3000 {
                have.insert(tag);
            }
        }
        assert_eq!(have, want, "round {round} ({ma:?} + {mb:?}): {results:?}");
        for (mode, tag, r) in &results {
            if let Err(e) = r {
                assert!(
                    e.contains("is being written by another talentchain run")
                        || e.contains("already exists"),
                    "round {round}: {mode:?} {tag}: {e}"
                );
            }
        }
        assert!(
            results.iter().any(|r| r.2.is_ok()),
            "round {round}: no run succeeded: {results:?}"
        );
    }
}

/// Implausible values in a real record (a year 99999, a negative citation
/// count, a date that is not one, a country code that is not ISO-2): each
/// counted by reason with file and line, the field set to null (the code
/// left out), the record and the good records around it kept.
#[test]
fn implausible_values_are_reported_and_cleared_and_the_record_kept() {
    let Some(data) = shared() else { return };
    let records = real_works(&data);
    let mut odd: serde_json::Value = serde_json::from_str(&records[1]).unwrap();
    let id = odd["id"]
        .as_str()
        .unwrap()
        .replace("https://openalex.org/", "");
    odd["publication_year"] = 99999.into();
    odd["cited_by_count"] = (-5).into();
    odd["publication_date"] = "2020-13-45".into();
    let authorships = odd["authorships"].as_array_mut().unwrap();
    assert!(!authorships.is_empty(), "{id} has authorships");
    authorships[0]["countries"] = serde_json::json!(["U1", "US"]);
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("w.jsonl");
    write(&f, &format!("{}\n{}\n{}\n", records[0], odd, records[2]));
    let out = dir.path().join("ds");
    let r = run(&[&f], &out);
    let bad = &r.manifest.bad;
    for reason in [
        Reason::ImplausibleYear,
        Reason::NegativeCount,
        Reason::BadDate,
        Reason::BadCountry,
    ] {
        assert_eq!(bad.counts.get(&reason), Some(&1), "{reason:?}: {bad:?}");
    }
    assert_eq!(bad.total(), 4, "{bad:?}");
    assert!(
        bad.records
            .iter()
            .all(|b| b.line == 2 && b.file.ends_with("w.jsonl")),
        "{bad:?}"
    );
    assert_eq!(count(&out, "works"), 3);
    let kept = pairs(
        &out,
        &format!(
            "SELECT 'n', count(*) FROM works WHERE id = '{id}' AND year IS NULL \
             AND cited_by_count IS NULL AND publication_date IS NULL"
        ),
    );
    assert_eq!(kept["n"], 1, "{id} kept with the three fields null");
    let codes = pairs(
        &out,
        &format!(
            "SELECT country, count(*) FROM authorship_countries WHERE work = '{id}' AND position = 0 GROUP BY country"
        ),
    );
    assert!(
        codes.contains_key("US") && !codes.contains_key("U1"),
        "{codes:?}"
    );
}

/// Every row of a table as text, sorted.
fn table_rows(ds: &Path, table: &str) -> Vec<String> {
    use arrow::util::display::{ArrayFormatter, FormatOptions};
    let opts = FormatOptions::default().with_null("∅");
    let mut out = Vec::new();
    for b in query(ds, &format!("SELECT * FROM {table}")) {
        let fmts: Vec<ArrayFormatter> = b
            .columns()
            .iter()
            .map(|c| ArrayFormatter::try_new(c.as_ref(), &opts).unwrap())
            .collect();
        for r in 0..b.num_rows() {
            out.push(
                fmts.iter()
                    .map(|f| f.value(r).to_string())
                    .collect::<Vec<_>>()
                    .join("|"),
            );
        }
    }
    out.sort();
    out
}

#[test]
fn four_shards_merged_give_exactly_the_dataset_of_one_run() {
    use talentchain::ingest::merge::merge;
    let dir = tempfile::tempdir().unwrap();
    // Eight files; works repeat across files with later, equal and missing
    // dates; institutions appear as entities and inside works.
    let mut files = Vec::new();
    for f in 0..8 {
        let mut lines = Vec::new();
        for i in 0..40 {
            let id = format!("W{}", (f * 13 + i * 7) % 150);
            let date = match (f + i) % 3 {
                0 => "2025-01-01",
                1 => "2025-02-01",
                _ => "",
            };
            let mut w = work(
                &id,
                2015 + (i % 8),
                (f * 100 + i) as i64,
                &[["US", "CN", "GB", "DE"][(f + i) as usize % 4], "FR"],
            );
            w = if date.is_empty() {
                w.replace(r#""updated_date":"2025-01-01T00:00:00","#, "")
            } else {
                w.replace("2025-01-01T00:00:00", date)
            };
            let extra = format!(
                r#"{{"topics":[{{"id":"T{f}","score":0.9,"subfield":{{"id":"https://openalex.org/subfields/1702"}}}}],"concepts":[{{"id":"C154945302","score":0.{i}}}],"#
            );
            lines.push(w.replacen('{', &extra, 1));
        }
        lines.push(format!(
            r#"{{"id":"https://openalex.org/I{f}","display_name":"Entity {f}","country_code":"US","type":"funder","lineage":["https://openalex.org/I{f}"],"updated_date":"2025-0{}-01"}}"#,
            1 + f % 3
        ));
        lines.push(format!(r#"{{"id":"https://openalex.org/A{}","display_name":"Author","affiliations":[{{"institution":{{"id":"I1","country_code":"US"}},"years":[2020]}}]}}"#, f % 3));
        let p = dir.path().join(format!("in-{f}.jsonl"));
        write(&p, &lines.join("\n"));
        files.push(p);
    }
    let one = dir.path().join("one");
    let mut opts = IngestOptions::new(files.clone(), one.clone());
    opts.part_rows = 17;
    let single = ingest(&opts).unwrap();
    assert!(
        single.manifest.records.duplicates_dropped > 100,
        "{:?}",
        single.manifest.records
    );

    let mut shards = Vec::new();
    for (k, chunk) in files.chunks(2).enumerate() {
        let out = dir.path().join(format!("shard-{k}"));
        let mut opts = IngestOptions::new(chunk.to_vec(), out.clone());
        opts.part_rows = 17;
        ingest(&opts).unwrap();
        shards.push(out);
    }
    let merged = dir.path().join("merged");
    let report = merge(&shards, &merged, false).unwrap();

    for table in talentchain::dataset::Table::ALL {
        let (a, b) = (
            table_rows(&one, table.name()),
            table_rows(&merged, table.name()),
        );
        assert!(!a.is_empty(), "{} is empty", table.name());
        assert_eq!(a, b, "table {}", table.name());
    }
    let (m1, m2) = (&single.manifest, &report.manifest);
    assert_eq!(m1.records, m2.records);
    assert_eq!(m1.tables, m2.tables);
    assert_eq!(
        m1.inputs
            .iter()
            .map(|i| (&i.path, &i.sha256))
            .collect::<Vec<_>>(),
        m2.inputs
            .iter()
            .map(|i| (&i.path, &i.sha256))
            .collect::<Vec<_>>()
    );
    // Shards are refused in place of a dataset that exists, unless forced.
    assert!(merge(&shards, &merged, false).is_err());
    assert!(merge(&shards, &merged, true).is_ok());
}

#[test]
fn inflate_only_reads_every_byte_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let text: String = (0..500)
        .map(|i| work(&format!("W{i}"), 2020, i, &["US"]) + "\n")
        .collect();
    write_gz(&dir.path().join("a.gz"), &text);
    write(&dir.path().join("b.jsonl"), &text);
    let r = talentchain::ingest::inflate_only(&[dir.path().to_path_buf()], 2, Default::default())
        .unwrap();
    assert_eq!(
        (r.files, r.lines, r.text_bytes),
        (2, 1000, 2 * text.len() as u64)
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

/// `institutions --rollup` on the real explorer records (works and
/// institution entities): every root it reports has no other root above
/// it, and a three-level hierarchy rolls up to one root (the National
/// Institute for Viral Disease Control and Prevention, I4210140986, under
/// the Chinese Center for Disease Control and Prevention, I184490438,
/// under I4210127390, which no record describes).
#[test]
fn rollup_roots_have_no_root_above_them_on_real_records() {
    use talentchain::metrics::{self, Metric};
    use talentchain::profile::Profile;
    use talentchain::settings::Settings;
    let Some(data) = shared() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ds");
    run(&[&data.join("explorer")], &out);
    let roots = pairs(
        &out,
        "SELECT id, CAST(lineage_root = 'I4210127390' AS BIGINT) FROM institutions \
         WHERE id IN ('I4210140986', 'I184490438')",
    );
    assert_eq!(roots.len(), 2, "{roots:?}");
    assert!(roots.values().all(|v| *v == 1), "{roots:?}");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (reported, above) = rt.block_on(async {
        let ctx = Dataset::open(&out).unwrap().session().await.unwrap();
        let mut settings = Settings::new(Profile::builtin("all").unwrap());
        settings.set_rollup(true);
        settings.set_limit(None).unwrap();
        let r = metrics::run(&ctx, Metric::Institutions, &settings)
            .await
            .unwrap();
        let mut reported = Vec::new();
        for b in &r.batches {
            let col = b.column_by_name("institution").unwrap().as_string::<i32>();
            reported.extend(col.iter().flatten().map(str::to_string));
        }
        // The roots the ranking reports whose own record names another root.
        let list = reported
            .iter()
            .map(|id| format!("'{id}'"))
            .collect::<Vec<_>>()
            .join(", ");
        let above = ctx
            .sql(&format!(
                "SELECT id, lineage_root FROM institutions \
                 WHERE id IN ({list}) AND lineage_root <> id"
            ))
            .await
            .unwrap()
            .collect()
            .await
            .unwrap();
        (reported, above)
    });
    assert!(reported.len() > 500, "{} roots reported", reported.len());
    assert!(reported.iter().any(|r| r == "I4210127390"));
    assert!(!reported.iter().any(|r| r == "I184490438"));
    let n: usize = above.iter().map(|b| b.num_rows()).sum();
    assert_eq!(n, 0, "roots with a root above them: {above:?}");
}
