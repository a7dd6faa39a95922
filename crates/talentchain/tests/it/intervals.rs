//! Bootstrap intervals (`--ci`) on hand-made worlds whose answers follow
//! from the definitions, and their reproducibility.

use std::path::{Path, PathBuf};

use arrow::array::{Array, AsArray, RecordBatch};
use arrow::datatypes::Float64Type;
use datafusion::prelude::{SessionConfig, SessionContext};
use talentchain::dataset::Dataset;
use talentchain::ingest::{IngestOptions, ingest};
use talentchain::metrics::{self, Metric, MetricResult};
use talentchain::profile::Profile;
use talentchain::settings::Settings;

/// A work of 2020 with one authorship per country given, `cites` citations.
fn work(id: &str, cites: i64, countries: &[&str]) -> String {
    let auth: Vec<String> = countries
        .iter()
        .enumerate()
        .map(|(i, c)| {
            format!(
                r#"{{"author_position":"middle","author":{{"id":"https://openalex.org/A{id}{i}"}},"institutions":[],"countries":["{c}"]}}"#
            )
        })
        .collect();
    format!(
        r#"{{"id":"https://openalex.org/{id}","publication_year":2020,"cited_by_count":{cites},"updated_date":"2025-01-01T00:00:00","concepts":[{{"id":"https://openalex.org/C154945302","score":0.9}}],"authorships":[{}]}}"#,
        auth.join(",")
    )
}

/// A work `W{id}` of `year` by researcher `A{author}` alone, in `country`.
fn authored(id: &str, year: i32, author: u32, country: &str, cites: u32) -> String {
    format!(
        r#"{{"id":"https://openalex.org/W{id}","publication_year":{year},"cited_by_count":{cites},"updated_date":"2025-01-01T00:00:00","concepts":[{{"id":"https://openalex.org/C154945302","score":0.9}}],"authorships":[{{"author_position":"first","author":{{"id":"https://openalex.org/A{author}"}},"institutions":[],"countries":["{country}"]}}]}}"#
    )
}

fn dataset(dir: &Path, lines: &[String]) -> PathBuf {
    let input = dir.join("works.jsonl");
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();
    let out = dir.join("ds");
    ingest(&IngestOptions::new(vec![input], out.clone())).unwrap();
    out
}

async fn session(ds: &Path, partitions: usize) -> SessionContext {
    let ctx = SessionContext::new_with_config(
        SessionConfig::new()
            .with_information_schema(true)
            .with_target_partitions(partitions),
    );
    Dataset::open(ds).unwrap().register(&ctx).await.unwrap();
    ctx
}

fn settings(level: f64, replicates: u32, seed: u64) -> Settings {
    let mut s = Settings::new(Profile::builtin("concepts").unwrap());
    s.set_ci(Some(level)).unwrap();
    s.set_replicates(replicates).unwrap();
    s.set_seed(seed);
    s
}

fn batch(r: &MetricResult) -> RecordBatch {
    arrow::compute::concat_batches(&r.schema, &r.batches).unwrap()
}

/// The value of column `col` in the row whose first column is `key`.
fn value(b: &RecordBatch, key: &str, col: &str) -> Option<f64> {
    let keys = arrow::compute::cast(b.column(0), &arrow::datatypes::DataType::Utf8).unwrap();
    let keys = keys.as_string::<i32>();
    let row = (0..b.num_rows()).find(|i| keys.value(*i) == key)?;
    let c = arrow::compute::cast(
        b.column(b.schema().index_of(col).unwrap()),
        &arrow::datatypes::DataType::Float64,
    )
    .unwrap();
    let c = c.as_primitive::<Float64Type>();
    c.is_valid(row).then(|| c.value(row))
}

/// 10 US works with 100 citations and 90 CN works with 1: the top 10%
/// (ceil(0.1 · 100) = 10) are the 10 US works. The threshold is the
/// observed one in every replicate (not re-estimated): a replicate's highly
/// cited works are the US works it draws, so the US share of them is 1 in
/// every replicate, and CN's highly cited count 0. (Re-estimated, a
/// replicate that draws fewer than 10 US works would rank the tied CN works
/// inside its top 10%, and the US share would fall below 1.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_highly_cited_threshold_is_the_observed_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines: Vec<String> = (0..10)
        .map(|i| work(&format!("W{i}"), 100, &["US"]))
        .collect();
    lines.extend((10..100).map(|i| work(&format!("W{i}"), 1, &["CN"])));
    let ctx = session(&dataset(dir.path(), &lines), 2).await;
    let r = metrics::run(&ctx, Metric::CountriesTotal, &settings(95.0, 400, 1))
        .await
        .unwrap();
    let b = batch(&r);
    assert_eq!(value(&b, "US", "highly_cited"), Some(10.0));
    assert_eq!(value(&b, "US", "highly_cited_share_lo"), Some(1.0));
    assert_eq!(value(&b, "US", "highly_cited_share_hi"), Some(1.0));
    assert_eq!(value(&b, "CN", "highly_cited_hi"), Some(0.0));
    // The counts do vary: 10 works drawn with Poisson(1) weights each.
    let (lo, hi) = (
        value(&b, "US", "highly_cited_lo").unwrap(),
        value(&b, "US", "highly_cited_hi").unwrap(),
    );
    assert!(lo < 10.0 && hi > 10.0, "{lo}..{hi}");
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("400 replicates, seed 1") && n.contains("100 units in 2 patterns")),
        "{:?}",
        r.notes
    );
}

/// A world where one country writes every work: its shares are 1 in every
/// replicate, so both ends of their intervals are 1; its count's interval
/// holds the count. And a level of 50 is narrower than one of 99.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shares_that_cannot_move_have_intervals_of_width_zero() {
    let dir = tempfile::tempdir().unwrap();
    let lines: Vec<String> = (0..30)
        .map(|i| work(&format!("W{i}"), i, &["FR", "FR"]))
        .collect();
    let ctx = session(&dataset(dir.path(), &lines), 2).await;
    let wide = batch(
        &metrics::run(&ctx, Metric::Countries, &settings(99.0, 500, 4))
            .await
            .unwrap(),
    );
    for col in ["share_full", "share_fractional", "highly_cited_share"] {
        assert_eq!(value(&wide, "FR", &format!("{col}_lo")), Some(1.0), "{col}");
        assert_eq!(value(&wide, "FR", &format!("{col}_hi")), Some(1.0), "{col}");
    }
    let (lo, hi) = (
        value(&wide, "FR", "papers_full_lo").unwrap(),
        value(&wide, "FR", "papers_full_hi").unwrap(),
    );
    assert!(lo < 30.0 && 30.0 < hi, "{lo}..{hi}");
    let narrow = batch(
        &metrics::run(&ctx, Metric::Countries, &settings(50.0, 500, 4))
            .await
            .unwrap(),
    );
    let (nlo, nhi) = (
        value(&narrow, "FR", "papers_full_lo").unwrap(),
        value(&narrow, "FR", "papers_full_hi").unwrap(),
    );
    assert!(lo < nlo && nhi < hi, "50%: {nlo}..{nhi}, 99%: {lo}..{hi}");
}

/// The same seed gives the same intervals on 1 thread and on 4; another
/// seed gives others. A metric without intervals yet says so, naming `ci`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_seed_gives_the_same_intervals_on_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let lines: Vec<String> = (0..60)
        .map(|i| {
            let cs: &[&str] = match i % 4 {
                0 => &["US"],
                1 => &["CN"],
                2 => &["US", "CN"],
                _ => &["GB", "US"],
            };
            work(&format!("W{i}"), i % 7, cs)
        })
        .collect();
    let ds = dataset(dir.path(), &lines);
    let mut out = Vec::new();
    for (partitions, seed) in [(1, 9), (4, 9), (2, 10)] {
        let ctx = session(&ds, partitions).await;
        let b = batch(
            &metrics::run(&ctx, Metric::Countries, &settings(95.0, 300, seed))
                .await
                .unwrap(),
        );
        let cols: Vec<Option<f64>> = ["share_full_lo", "share_full_hi", "papers_fractional_lo"]
            .iter()
            .flat_map(|c| ["US", "CN", "GB"].map(|k| value(&b, k, c)))
            .collect();
        assert!(cols.iter().all(Option::is_some), "{cols:?}");
        out.push(cols);
    }
    assert_eq!(out[0], out[1], "seed 9 on 1 and 4 partitions");
    assert_ne!(out[0], out[2], "seeds 9 and 10");

    let ctx = session(&ds, 2).await;
    let mut s = settings(95.0, 10, 0);
    s.set_author("A1").unwrap();
    let e = metrics::run(&ctx, Metric::TalentAuthor, &s)
        .await
        .unwrap_err();
    assert_eq!(e.parameter(), Some("ci"));
    assert!(e.to_string().contains("countries"), "{e}");
}

/// `resample lead-authors`: 20 US works all led by one author are one
/// cluster, drawn together (weight k: all 20 works or none, or twice…):
/// the US count's interval reaches 0, and the note counts 1 + 20 units
/// (the 20 CN works each have their own lead). Resampling works alone,
/// the US count cannot fall that far.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lead_authors_resample_a_researchers_works_together() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines: Vec<String> = (0..20)
        .map(|i| work(&format!("W{i}"), 1, &["US"]).replace(&format!("AW{i}0"), "A77"))
        .collect();
    lines.extend((20..40).map(|i| work(&format!("W{i}"), 1, &["CN"])));
    let ctx = session(&dataset(dir.path(), &lines), 2).await;
    let mut s = settings(95.0, 400, 2);
    let works = batch(
        &metrics::run(&ctx, Metric::CountriesTotal, &s)
            .await
            .unwrap(),
    );
    s.set_lead_authors(true);
    let r = metrics::run(&ctx, Metric::CountriesTotal, &s)
        .await
        .unwrap();
    let leads = batch(&r);
    assert_eq!(value(&leads, "US", "papers_full_lo"), Some(0.0));
    assert!(value(&leads, "US", "papers_full_hi").unwrap() >= 60.0);
    assert!(value(&works, "US", "papers_full_lo").unwrap() >= 8.0);
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("lead author") && n.contains("21 units")),
        "{:?}",
        r.notes
    );
}

/// A range with no selected work: the point estimate has no rows, and
/// neither has its interval (no error).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_selection_has_empty_intervals() {
    let dir = tempfile::tempdir().unwrap();
    let lines: Vec<String> = (0..5).map(|i| work(&format!("W{i}"), 1, &["US"])).collect();
    let ctx = session(&dataset(dir.path(), &lines), 2).await;
    let mut s = settings(95.0, 20, 0);
    s.set_years(Some(1999), Some(1999)).unwrap();
    for m in [
        Metric::Countries,
        Metric::CountriesTotal,
        Metric::TalentCountries,
        Metric::TalentFlowsByCohort,
    ] {
        let r = metrics::run(&ctx, m, &s).await.unwrap();
        assert_eq!(r.num_rows(), 0, "{}", m.name());
        assert!(
            r.schema.fields().iter().any(|f| f.name().ends_with("_hi")),
            "{}",
            m.name()
        );
    }
}

/// Coverage, measured small (`scripts/coverage.py` runs 200 worlds): on 20
/// generated worlds from one setting (seeds 1–20), how often a 95%
/// interval holds the mean of the other 19 worlds' estimates (the
/// process's value at this size). Retention (researchers resampled) and
/// a fractional share with works clustered by lead author hold it in at
/// least 16 of 20; a share with works resampled alone holds it less often,
/// because the generated works cluster by researcher as real ones do.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn intervals_cover_the_process_value_on_generated_worlds() {
    use talentchain::demo::DemoConfig;
    const WORLDS: u64 = 20;
    let mut seen: Vec<[(f64, f64, f64); 3]> = Vec::new();
    for seed in 1..=WORLDS {
        let dir = tempfile::tempdir().unwrap();
        let cfg = DemoConfig {
            seed,
            researchers: 400,
            from: 2015,
            ..DemoConfig::default()
        };
        let (data, _) = crate::common::demo_dataset(dir.path(), &cfg);
        let ctx = session(&data, 2).await;
        let mut s = settings(95.0, 200, seed);
        let get = |b: &RecordBatch, key: &str, col: &str| {
            (
                value(b, key, col).unwrap(),
                value(b, key, &format!("{col}_lo")).unwrap(),
                value(b, key, &format!("{col}_hi")).unwrap(),
            )
        };
        let works = batch(
            &metrics::run(&ctx, Metric::CountriesTotal, &s)
                .await
                .unwrap(),
        );
        s.set_lead_authors(true);
        let leads = batch(
            &metrics::run(&ctx, Metric::CountriesTotal, &s)
                .await
                .unwrap(),
        );
        let talent = batch(
            &metrics::run(&ctx, Metric::TalentCountries, &s)
                .await
                .unwrap(),
        );
        seen.push([
            get(&works, "CN", "share_fractional"),
            get(&leads, "CN", "share_fractional"),
            get(&talent, "CN", "retention"),
        ]);
    }
    let covered = |q: usize| {
        let total: f64 = seen.iter().map(|s| s[q].0).sum();
        seen.iter()
            .filter(|s| {
                let (e, lo, hi) = s[q];
                let mean = (total - e) / (WORLDS - 1) as f64;
                lo <= mean && mean <= hi
            })
            .count()
    };
    let (works, leads, retention) = (covered(0), covered(1), covered(2));
    eprintln!("covered, of {WORLDS}: works {works}, lead authors {leads}, retention {retention}");
    assert!(
        leads >= 16,
        "lead-author share intervals: {leads} of {WORLDS}"
    );
    assert!(
        retention >= 16,
        "retention intervals: {retention} of {WORLDS}"
    );
    assert!(works < leads, "works {works}, lead authors {leads}");
}

/// `collab`: 12 works, each with a US and a CN authorship, and 6 US-only
/// works. CN's works are all international, so its share's interval is
/// [1, 1]; the CN–US pair's count varies around 12.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn collaboration_intervals() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines: Vec<String> = (0..12)
        .map(|i| work(&format!("W{i}"), 1, &["US", "CN"]))
        .collect();
    lines.extend((12..18).map(|i| work(&format!("W{i}"), 1, &["US"])));
    let ctx = session(&dataset(dir.path(), &lines), 2).await;
    let s = settings(95.0, 300, 8);
    let shares = batch(&metrics::run(&ctx, Metric::CollabShares, &s).await.unwrap());
    assert_eq!(value(&shares, "CN", "international_share_lo"), Some(1.0));
    assert_eq!(value(&shares, "CN", "international_share_hi"), Some(1.0));
    let (lo, hi) = (
        value(&shares, "US", "international_share_lo").unwrap(),
        value(&shares, "US", "international_share_hi").unwrap(),
    );
    assert!(lo < 12.0 / 18.0 && 12.0 / 18.0 < hi, "{lo}..{hi}");
    let pairs = batch(&metrics::run(&ctx, Metric::CollabPairs, &s).await.unwrap());
    assert_eq!(value(&pairs, "CN", "works"), Some(12.0));
    let (lo, hi) = (
        value(&pairs, "CN", "works_lo").unwrap(),
        value(&pairs, "CN", "works_hi").unwrap(),
    );
    assert!(lo < 12.0 && 12.0 < hi, "{lo}..{hi}");
}

/// `institutions`: I1 has 30 works, I2 10 and I3 9. I1 ranks first in
/// every replicate (rank interval [1, 1]); I2 and I3 swap places in some,
/// so I2's rank interval reaches 3 even with `limit 2`: the replicates rank
/// every institution, the limit keeps the rows shown.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn institution_ranks_have_intervals_beyond_the_row_limit() {
    let dir = tempfile::tempdir().unwrap();
    let at = |id: &str, inst: &str| {
        work(id, 1, &["US"]).replace(
            r#""institutions":[]"#,
            &format!(
                r#""institutions":[{{"id":"https://openalex.org/{inst}","country_code":"US"}}]"#
            ),
        )
    };
    let mut lines: Vec<String> = (0..30).map(|i| at(&format!("W{i}"), "I1")).collect();
    lines.extend((30..40).map(|i| at(&format!("W{i}"), "I2")));
    lines.extend((40..49).map(|i| at(&format!("W{i}"), "I3")));
    let ctx = session(&dataset(dir.path(), &lines), 2).await;
    let mut s = settings(95.0, 400, 3);
    s.set_limit(Some(2)).unwrap();
    let r = metrics::run(&ctx, Metric::Institutions, &s).await.unwrap();
    assert_eq!(r.num_rows(), 2);
    let b = batch(&r);
    let col = |name: &str, row: usize| {
        let c = arrow::compute::cast(
            b.column(b.schema().index_of(name).unwrap()),
            &arrow::datatypes::DataType::Float64,
        )
        .unwrap();
        c.as_primitive::<Float64Type>().value(row)
    };
    assert_eq!((col("rank_lo", 0), col("rank_hi", 0)), (1.0, 1.0));
    assert_eq!(col("rank", 1), 2.0);
    assert!(col("rank_hi", 1) >= 3.0, "{}", col("rank_hi", 1));
    let (lo, hi) = (col("papers_full_lo", 1), col("papers_full_hi", 1));
    assert!(lo < 10.0 && 10.0 < hi, "{lo}..{hi}");
}

/// `talent orgs`: I1 hosts 6 researchers, all of origin US, and I2 has 3
/// of US and 3 of CN. I1's HHI is 1 in every replicate that draws any of
/// its researchers ([1, 1]); I2's varies around (1/2)² + (1/2)² = 1/2.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn organisation_concentration_has_intervals() {
    let dir = tempfile::tempdir().unwrap();
    // Researcher A`a` writes two works of 2020 and 2021 at `inst` in `country`.
    let career = |a: u32, inst: &str, country: &str| -> Vec<String> {
        [2020, 2021]
            .iter()
            .map(|y| {
                format!(
                    r#"{{"id":"https://openalex.org/W{a}{y}","publication_year":{y},"cited_by_count":1,"updated_date":"2025-01-01T00:00:00","concepts":[{{"id":"https://openalex.org/C154945302","score":0.9}}],"authorships":[{{"author_position":"first","author":{{"id":"https://openalex.org/A{a}"}},"institutions":[{{"id":"https://openalex.org/{inst}","country_code":"{country}"}}],"countries":["{country}"]}}]}}"#
                )
            })
            .collect()
    };
    let mut lines = Vec::new();
    for i in 0..6 {
        lines.extend(career(10 + i, "I1", "US"));
    }
    for i in 0..3 {
        lines.extend(career(20 + i, "I2", "US"));
        lines.extend(career(30 + i, "I2", "CN"));
    }
    let ctx = session(&dataset(dir.path(), &lines), 2).await;
    let r = metrics::run(&ctx, Metric::TalentOrgs, &settings(95.0, 300, 6))
        .await
        .unwrap();
    let b = batch(&r);
    assert_eq!(value(&b, "I1", "hhi"), Some(1.0));
    assert_eq!(value(&b, "I1", "hhi_lo"), Some(1.0));
    assert_eq!(value(&b, "I1", "hhi_hi"), Some(1.0));
    assert_eq!(value(&b, "I2", "hhi"), Some(0.5));
    let (lo, hi) = (
        value(&b, "I2", "hhi_lo").unwrap(),
        value(&b, "I2", "hhi_hi").unwrap(),
    );
    assert!(lo >= 0.5 && hi > 0.6, "{lo}..{hi}");
    assert!(
        r.notes.iter().any(|n| n.contains("12 units")),
        "{:?}",
        r.notes
    );
}

/// `talent mismatch` resamples two samples: researchers (supply) and works
/// (output). Four researchers, each with a work in the US in 2020 and one
/// in CN in 2021: every origin is US, so the US supply share is 1 in every
/// replicate ([1, 1]); the output is half US, half CN, and moves with the
/// works' weights. 8 works and 4 researchers: 12 units.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn supply_and_output_resample_researchers_and_works() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = Vec::new();
    for a in 10..14 {
        for (y, c) in [(2020, "US"), (2021, "CN")] {
            lines.push(authored(&format!("{a}{y}"), y, a, c, 1));
        }
    }
    let ctx = session(&dataset(dir.path(), &lines), 2).await;
    let r = metrics::run(&ctx, Metric::TalentMismatch, &settings(95.0, 300, 2))
        .await
        .unwrap();
    let b = batch(&r);
    assert_eq!(value(&b, "US", "supply_share"), Some(1.0));
    assert_eq!(value(&b, "US", "supply_share_lo"), Some(1.0));
    assert_eq!(value(&b, "US", "supply_share_hi"), Some(1.0));
    assert_eq!(value(&b, "US", "output_share"), Some(0.5));
    let (lo, hi) = (
        value(&b, "US", "output_share_lo").unwrap(),
        value(&b, "US", "output_share_hi").unwrap(),
    );
    assert!(lo < 0.4 && hi > 0.6, "{lo}..{hi}");
    assert!(
        r.notes.iter().any(|n| n.contains("12 units")),
        "{:?}",
        r.notes
    );
}

/// `talent conversion --origin US` resamples the origin's researchers (its
/// `researchers`) and, independently, their works (the rest). Three
/// researchers of origin US, each with one work in the US in 2020 and one
/// in CN in 2021 (their origin stays US): US and CN have 3 researchers each
/// and 3 works each, works_share 1/2 each. The researchers' column moves
/// with the researchers' weights, the shares with the works': a share of
/// 1/2 of 6 works varies. 6 works and 3 researchers: 9 units.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conversion_resamples_researchers_and_their_works() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = Vec::new();
    for a in 10..13 {
        for (y, c) in [(2020, "US"), (2021, "CN")] {
            lines.push(authored(&format!("{a}{y}"), y, a, c, 1));
        }
    }
    let ctx = session(&dataset(dir.path(), &lines), 2).await;
    let mut s = settings(95.0, 400, 3);
    s.set_origin("US").unwrap();
    let r = metrics::run(&ctx, Metric::TalentConversion, &s)
        .await
        .unwrap();
    let b = batch(&r);
    assert_eq!(value(&b, "US", "researchers"), Some(3.0));
    assert_eq!(value(&b, "CN", "works"), Some(3.0));
    assert_eq!(value(&b, "CN", "works_share"), Some(0.5));
    let (lo, hi) = (
        value(&b, "CN", "works_share_lo").unwrap(),
        value(&b, "CN", "works_share_hi").unwrap(),
    );
    assert!(lo < 0.4 && hi > 0.6, "{lo}..{hi}");
    let (lo, hi) = (
        value(&b, "US", "researchers_lo").unwrap(),
        value(&b, "US", "researchers_hi").unwrap(),
    );
    assert!(lo < 3.0 && hi > 3.0, "{lo}..{hi}");
    assert!(
        r.notes.iter().any(|n| n.contains("9 units")),
        "{:?}",
        r.notes
    );
}

/// `talent top` resamples the researchers' works: A1 has one work cited
/// 100, A2 ten works cited 5 each (50). A1 ranks 1st as observed; in the
/// replicates where its one work draws weight 0 (probability e^-1 ≈ 0.37)
/// it has 0 citations and ranks 2nd: rank interval [1, 2], citations from
/// 0. The h-index (1 and 5) is not a sum of works' parts: no interval.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn researcher_ranks_have_intervals() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = vec![authored("100", 2020, 1, "US", 100)];
    for i in 0..10 {
        lines.push(authored(&format!("20{i}"), 2020, 2, "US", 5));
    }
    let ctx = session(&dataset(dir.path(), &lines), 2).await;
    let r = metrics::run(&ctx, Metric::TalentTop, &settings(95.0, 400, 4))
        .await
        .unwrap();
    let b = batch(&r);
    let col = |author: &str, name: &str| {
        let authors = arrow::compute::cast(
            b.column(b.schema().index_of("author").unwrap()),
            &arrow::datatypes::DataType::Utf8,
        )
        .unwrap();
        let row = (0..b.num_rows())
            .find(|i| authors.as_string::<i32>().value(*i) == author)
            .unwrap();
        let c = arrow::compute::cast(
            b.column(b.schema().index_of(name).unwrap()),
            &arrow::datatypes::DataType::Float64,
        )
        .unwrap();
        c.as_primitive::<Float64Type>().value(row)
    };
    assert_eq!(col("A1", "rank"), 1.0);
    assert_eq!((col("A1", "rank_lo"), col("A1", "rank_hi")), (1.0, 2.0));
    assert_eq!(col("A1", "citations_lo"), 0.0);
    assert_eq!(col("A2", "citations"), 50.0);
    assert!(b.schema().index_of("h_index").is_ok());
    assert!(
        b.schema().index_of("h_index_lo").is_err(),
        "the h-index has no interval"
    );
}
