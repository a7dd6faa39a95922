//! `ingest --ai PROFILE` (skip fast): the works kept are exactly those the
//! profile's SQL status (`ai_status`) calls selected or unknown, on the real
//! works of `../shared/data` and on a generated world; the rejected ones are
//! counted; and a metric with the same profile gives the same rows on the
//! filtered dataset as on the full one.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use datafusion::arrow::util::display::array_value_to_string;
use datafusion::prelude::SessionContext;
use talentchain::dataset::Dataset;
use talentchain::demo::{DemoConfig, generate};
use talentchain::ingest::{IngestOptions, IngestReport, ingest};
use talentchain::metrics::{self, Metric};
use talentchain::profile::Profile;
use talentchain::settings::Settings;

use crate::common::query_rows;
use talentchain_testkit::shared;

const PROFILES: [&str; 4] = ["concepts", "topics", "venues", "any"];

fn run(inputs: &[PathBuf], out: &Path, ai: Option<&str>) -> IngestReport {
    let mut opts = IngestOptions::new(inputs.to_vec(), out.to_path_buf());
    opts.threads = 2;
    opts.ai = ai.map(|p| Arc::new(Profile::builtin(p).unwrap()));
    ingest(&opts).unwrap()
}

async fn ids(ctx: &SessionContext, sql: &str) -> BTreeSet<String> {
    query_rows(ctx, sql)
        .await
        .into_iter()
        .map(|r| r[0].clone())
        .collect()
}

/// Country rows with the fractional counts rounded (parallel float sums
/// differ in the last bits from run to run).
async fn country_rows(ds: &Path, profile: &str) -> Vec<String> {
    let ctx = Dataset::open(ds).unwrap().session().await.unwrap();
    let settings = Settings::new(Profile::builtin(profile).unwrap());
    let r = metrics::run(&ctx, Metric::Countries, &settings)
        .await
        .unwrap();
    let mut out = Vec::new();
    for b in &r.batches {
        for i in 0..b.num_rows() {
            let cells: Vec<String> = b
                .columns()
                .iter()
                .map(|c| {
                    let s = array_value_to_string(c, i).unwrap();
                    match s.parse::<f64>() {
                        Ok(x) if s.contains('.') => format!("{x:.9}"),
                        _ => s,
                    }
                })
                .collect();
            out.push(cells.join(","));
        }
    }
    out
}

/// Ingest `inputs` in full and once per profile with `--ai`; check the kept
/// works, the count of rejected ones, and the countries metric. Returns the
/// (kept, rejected) counts per profile.
async fn check(name: &str, inputs: &[PathBuf]) -> Vec<(usize, usize)> {
    let dir = tempfile::tempdir().unwrap();
    let full = dir.path().join("full");
    let full_report = run(inputs, &full, None);
    assert_eq!(full_report.manifest.ai_profile, "all");
    assert_eq!(full_report.manifest.records.works_filtered, 0);
    let duplicates = full_report.manifest.records.duplicates_dropped;
    let mut seen = Vec::new();
    for profile in PROFILES {
        let p = Profile::builtin(profile).unwrap();
        // The profile's SQL status (`sql/selection/ai_status.sql`), not the
        // status ingest stored (which `tests/it/derived.rs` checks against it).
        let ctx = Dataset::open(&full).unwrap().session().await.unwrap();
        talentchain::ingest::derive::derive(&ctx).await.unwrap();
        let column = format!("status_{}", p.status_suffix().unwrap());
        let keep = ids(
            &ctx,
            &format!("SELECT id AS work FROM works WHERE {column} <> 'rejected'"),
        )
        .await;
        let rejected = ids(
            &ctx,
            &format!("SELECT id AS work FROM works WHERE {column} = 'rejected'"),
        )
        .await;

        let out = dir.path().join(profile);
        let report = run(inputs, &out, Some(profile));
        let m = &report.manifest;
        assert_eq!(m.ai_profile, format!("{profile} v1"), "{name}");
        let ctx = Dataset::open(&out).unwrap().session().await.unwrap();
        let kept = ids(&ctx, "SELECT id FROM works").await;
        assert_eq!(
            kept, keep,
            "{name}, {profile}: works kept = selected or unknown by the SQL status"
        );
        // Copies of one work are each read and each rejected.
        if duplicates == 0 {
            assert_eq!(
                m.records.works_filtered as usize,
                rejected.len(),
                "{name}, {profile}"
            );
        } else {
            assert!(
                m.records.works_filtered as usize >= rejected.len(),
                "{name}, {profile}"
            );
        }
        assert_eq!(
            m.records.works_read, full_report.manifest.records.works_read,
            "{name}, {profile}"
        );
        // Child rows come only with the works kept.
        let orphans = query_rows(&ctx, "SELECT COUNT(*) FROM authorships a LEFT JOIN works w ON w.id = a.work WHERE w.id IS NULL").await;
        assert_eq!(orphans[0][0], "0");
        assert_eq!(
            country_rows(&out, profile).await,
            country_rows(&full, profile).await,
            "{name}, {profile}: countries on the filtered dataset"
        );
        seen.push((kept.len(), rejected.len()));
    }
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filtered_ingest_keeps_what_the_profile_sql_keeps_on_real_works() {
    let Some(root) = shared() else { return };
    let mut rejected_somewhere = [false; PROFILES.len()];
    for sample in ["explorer", "rag-sample"] {
        let seen = check(sample, &[root.join(sample).join("works.jsonl.gz")]).await;
        for (i, (kept, rejected)) in seen.iter().enumerate() {
            assert!(*kept > 0, "{sample}, {}: nothing kept", PROFILES[i]);
            rejected_somewhere[i] |= *rejected > 0;
        }
    }
    // The real samples exercise both sides of every rule (the RAG sample is
    // all AI by topics; the explorer sample is not).
    assert_eq!(rejected_somewhere, [true; PROFILES.len()]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filtered_ingest_keeps_what_the_profile_sql_keeps_on_a_generated_world() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = DemoConfig {
        researchers: 150,
        ai_share: 0.3,
        full_records: true,
        ..DemoConfig::default()
    };
    let out = generate(&cfg, dir.path()).unwrap();
    let seen = check("demo", &[out.root.join("openalex").join("works")]).await;
    for (profile, (kept, rejected)) in PROFILES.iter().zip(&seen) {
        // ai_share 0.3: about 30% of works are AI (fewer by venue: the
        // venues profile misses ICML and ECCV papers filed under their
        // proceedings series).
        // `any` keeps what any rule selects or cannot tell: more.
        let share = *kept as f64 / (*kept + *rejected) as f64;
        let range = if *profile == "any" {
            0.3..0.7
        } else {
            0.12..0.45
        };
        assert!(
            range.contains(&share),
            "demo, {profile}: kept share {share}"
        );
        assert!(
            *kept <= seen[3].0,
            "demo: `any` keeps at least what {profile} keeps"
        );
    }
}

#[test]
fn append_needs_the_same_profile() {
    let Some(root) = shared() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ds");
    let works = root.join("explorer/works.jsonl.gz");
    run(std::slice::from_ref(&works), &out, Some("concepts"));
    let mut opts = IngestOptions::new(vec![root.join("rag-sample/works.jsonl.gz")], out.clone());
    opts.append = true;
    let err = ingest(&opts).unwrap_err().to_string();
    assert!(
        err.contains("AI profile `concepts v1`") && err.contains("`all`"),
        "{err}"
    );
    opts.ai = Some(Arc::new(Profile::builtin("concepts").unwrap()));
    let r = ingest(&opts).unwrap();
    assert_eq!(r.manifest.ai_profile, "concepts v1");
    assert!(r.manifest.records.works_filtered > 0);
}
