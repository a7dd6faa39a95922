//! Conference paper lists as a second source: every real file under
//! `../shared/data/paperlists` ingests, every paper is in the dataset or
//! counted with its reason, and six real papers read as worked out by hand
//! from their records (and from the lists that normalise affiliations, for
//! a list that writes them out).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use talentchain::dataset::Dataset;
use talentchain::dataset::bad::Reason;
use talentchain::dataset::manifest::Manifest;
use talentchain::ingest::{IngestOptions, ingest};
use talentchain_testkit::shared_data;

use talentchain::metrics::{self, Metric};
use talentchain::profile::Profile;
use talentchain::settings::Settings;

use crate::common::{cells, query_rows};

/// `INVENTORY.tsv`: papers per file, by path below the folder.
fn inventory(root: &Path) -> BTreeMap<String, u64> {
    let text = std::fs::read_to_string(root.join("INVENTORY.tsv")).unwrap();
    text.lines()
        .skip(1)
        .map(|l| {
            let mut f = l.split('\t');
            let file = f.next().unwrap().to_string();
            (file, f.next().unwrap().parse().unwrap())
        })
        .collect()
}

/// Every paper list ingested (accepted papers, the default) into `dir`.
fn ingest_all(root: &Path, dir: &Path) -> (PathBuf, Manifest) {
    let out = dir.join("lists.tcd");
    let mut opts = IngestOptions::new(vec![root.to_path_buf()], out.clone());
    opts.threads = 2;
    let report = ingest(&opts).unwrap();
    assert!(report.published);
    (out, report.manifest)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_paper_is_kept_or_counted_and_six_read_as_by_hand() {
    let Some(root) = shared_data("paperlists") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (out, m) = ingest_all(&root, dir.path());
    let want = inventory(&root);

    // Every file read, each paper read or reported: a file's papers are
    // its works read plus its papers not kept at all (no title, not JSON).
    assert_eq!(m.inputs.len(), want.len());
    let mut short = 0;
    for input in &m.inputs {
        let rel = Path::new(&input.path)
            .strip_prefix(&root)
            .unwrap()
            .to_str()
            .unwrap()
            .trim_end_matches(".gz")
            .to_string();
        let papers = want[&rel];
        assert!(input.complete, "{rel}");
        assert!(input.works <= papers, "{rel}: {} > {papers}", input.works);
        short += papers - input.works;
    }
    let not_kept = |r: Reason| m.bad.counts.get(&r).copied().unwrap_or(0);
    assert_eq!(
        short,
        not_kept(Reason::MissingTitle) + not_kept(Reason::MalformedJson)
    );
    assert_eq!(
        not_kept(Reason::MissingTitle),
        1,
        "iclr2017 has one untitled paper"
    );
    let total: u64 = want.values().sum();
    assert_eq!(total, 48_767 + 31_346);
    assert_eq!(m.records.works_read + short, total);
    // Of the papers read: kept, a duplicate copy, or left out by decision.
    let left_out: u64 = m.records.papers_left_out.values().sum();
    assert_eq!(
        m.records.works + m.records.duplicates_dropped + left_out + m.records.works_filtered,
        m.records.works_read
    );
    assert!(m.records.papers_left_out["rejected"] > 4_000);
    assert!(m.records.papers_left_out["withdrawn"] > 1_000);
    assert!(m.id_salt.is_some());

    let ctx = Dataset::open(&out).unwrap().session().await.unwrap();
    let one = |sql: &str| {
        let ctx = ctx.clone();
        let sql = sql.to_string();
        async move {
            let rows = query_rows(&ctx, &sql).await;
            assert_eq!(rows.len(), 1, "{sql}: {rows:?}");
            rows.into_iter().next().unwrap()
        }
    };
    // The works table holds what the manifest says, all from the lists,
    // none with a decision that was to be left out.
    let counts = one("SELECT COUNT(*), COUNT(DISTINCT source), MIN(source), \
         SUM(CASE WHEN decision IN ('Reject', 'Withdraw', 'Desk Reject') THEN 1 ELSE 0 END), \
         COUNT(cited_by_count) FROM works")
    .await;
    assert_eq!(
        counts,
        [&m.records.works.to_string(), "1", "paperlists", "0", "0"]
    );
    // No e-mail address stored anywhere an author id or name is.
    let emails =
        one("SELECT COUNT(*) FROM authorships WHERE author LIKE '%@%' OR author_name LIKE '%@%'")
            .await;
    assert_eq!(emails, ["0"]);

    let work = |id: &str| {
        one(&format!(
            "SELECT venue, year, decision, elite, gs_citations, n_authorships FROM works WHERE id = '{id}'"
        ))
    };
    let authors = |id: &str| {
        let ctx = ctx.clone();
        let sql = format!(
            "SELECT a.position, a.author, a.career_position, a.raw_affiliation, \
                    (SELECT string_agg(c.country, '+' ORDER BY c.country) FROM authorship_countries c \
                     WHERE c.work = a.work AND c.position = a.position) \
             FROM authorships a WHERE a.work = '{id}' ORDER BY a.position"
        );
        async move { query_rows(&ctx, &sql).await }
    };

    // NeurIPS 2018, "A Bayes-Sard Cubature Method": Poster, 51 Google
    // Scholar citations; Oates at Newcastle + Alan Turing Institute (GB),
    // the others at Aalto (FI); no author ids in the list.
    assert_eq!(
        work("nips2018:11572").await,
        ["NeurIPS", "2018", "Poster", "false", "51", "3"]
    );
    let a = authors("nips2018:11572").await;
    let countries: Vec<&str> = a.iter().map(|r| r[4].as_str()).collect();
    assert_eq!(countries, ["FI", "GB", "FI"]);
    assert!(a.iter().all(|r| r[1].is_empty()));

    // 3DV 2025, LoopSplat: an Oral (elite), -1 citations (no count); the
    // country index skips the two authors without an affiliation.
    assert_eq!(
        work("3dv2025:0CNSbBa85A").await,
        ["3DV", "2025", "Oral", "true", "", "6"]
    );
    let a = authors("3dv2025:0CNSbBa85A").await;
    let countries: Vec<&str> = a.iter().map(|r| r[4].as_str()).collect();
    assert_eq!(countries, ["US", "", "CH", "", "CH", "US"]);
    assert_eq!(a[0][1], "~Liyuan_Zhu1");
    assert_eq!(a[0][2], "PhD student");

    // ICML 2019, an Oral: Mao at Man AHL + Oxford (both GB), Al-Shedivat
    // at Carnegie Mellon (US).
    assert_eq!(
        work("icml2019:3768").await,
        ["ICML", "2019", "Oral", "true", "14", "6"]
    );
    let a = authors("icml2019:3768").await;
    let countries: Vec<&str> = a.iter().map(|r| r[4].as_str()).collect();
    assert_eq!(countries, ["GB", "GB", "GB", "US", "GB", "GB"]);
    let mao = one(
        "SELECT string_agg(i.name, ' + ' ORDER BY i.name) FROM authorship_institutions ai \
         JOIN institutions i ON i.id = ai.institution \
         WHERE ai.work = 'icml2019:3768' AND ai.position = 0",
    )
    .await;
    assert_eq!(mao, ["Man AHL + University of Oxford"]);

    // CVPR 2022 (older list, no ids): the first paper, numbered; its `aff`
    // is the set of the paper's three affiliations for seven authors, so no
    // affiliation is put to an author.
    assert_eq!(
        work("cvpr2022#1").await,
        ["CVPR", "2022", "Poster", "false", "", "7"]
    );
    let a = authors("cvpr2022#1").await;
    assert!(
        a.iter().all(|r| r[3].is_empty() && r[4].is_empty()),
        "{a:?}"
    );

    // ICLR 2021, an Oral with OpenReview ids and positions, affiliations as
    // written (no countries in this list): Berkeley and Oxford found by
    // name in the lists that normalise them; Google (in several countries
    // there), "Meta Facebook" and the Montreal institute not.
    assert_eq!(
        work("iclr2021:-2FCwDKRREu").await,
        ["ICLR", "2021", "Oral", "true", "", "5"]
    );
    let a = authors("iclr2021:-2FCwDKRREu").await;
    assert_eq!(
        a[0][1..4],
        [
            "~Amy_Zhang1",
            "Postdoc",
            "University of California, Berkeley"
        ]
    );
    assert_eq!(a[3][1..4], ["~Yarin_Gal1", "Research Scientist", "Google"]);
    let countries: Vec<&str> = a.iter().map(|r| r[4].as_str()).collect();
    assert_eq!(countries, ["US", "", "GB", "", ""]);
    assert!(m.records.affiliations_looked_up > 20_000);

    // ICLR 2021, a rejected submission: read, counted, not kept.
    let absent = query_rows(
        &ctx,
        "SELECT id FROM works WHERE id = 'iclr2021:-5W5OBfFlwX'",
    )
    .await;
    assert!(absent.is_empty());

    // NeurIPS 2018 read independently: on every paper whose country index
    // has one entry per author shaped like its institution index (the plain
    // reading), the papers with an author in each country are the papers
    // `work_countries` gives that country.
    let raw: Vec<serde_json::Value> = serde_json::from_reader(flate2::read::GzDecoder::new(
        std::fs::File::open(root.join("head/nips/nips2018.json.gz")).unwrap(),
    ))
    .unwrap();
    let text = |r: &serde_json::Value, k: &str| r[k].as_str().unwrap_or("").to_string();
    let shape = |s: &str| -> Vec<usize> { s.split(';').map(|a| a.split('+').count()).collect() };
    let mut plain: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in &raw {
        let (ui, ci) = (
            text(r, "aff_unique_index"),
            text(r, "aff_country_unique_index"),
        );
        let n = text(r, "author").split(';').count();
        if ci.is_empty() || ci.split(';').count() != n || shape(&ci) != shape(&ui) {
            continue;
        }
        let names: Vec<String> = text(r, "aff_country_unique")
            .split(';')
            .map(|s| s.trim().to_string())
            .collect();
        let mut codes: Vec<String> = ci
            .split([';', '+'])
            .filter_map(|i| names.get(i.trim().parse::<usize>().ok()?))
            .filter_map(|name| talentchain::model::countries::code_of(name).map(String::from))
            .collect();
        codes.sort();
        codes.dedup();
        plain.insert(format!("nips2018:{}", r["id"].as_str().unwrap()), codes);
    }
    assert!(plain.len() > 800, "{}", plain.len());
    for code in ["US", "CN", "GB", "DE"] {
        let want: Vec<&String> = plain
            .iter()
            .filter(|(_, c)| c.iter().any(|x| x == code))
            .map(|(w, _)| w)
            .collect();
        let ours = query_rows(
            &ctx,
            &format!(
                "SELECT work FROM work_countries WHERE country = '{code}' AND work LIKE 'nips2018:%' ORDER BY work"
            ),
        )
        .await;
        let ours: Vec<&String> = ours
            .iter()
            .map(|r| &r[0])
            .filter(|w| plain.contains_key(*w))
            .collect();
        assert_eq!(ours, want, "{code}");
        assert!(want.len() > 30, "{code}: {}", want.len());
    }

    // The metrics run on the lists, narrowed by source and venue, and
    // answer as the tables do.
    let mut s = Settings::new(Profile::builtin("all").unwrap());
    s.set("source", "paperlists").unwrap();
    s.set("venue", "NeurIPS").unwrap();
    s.set_years(Some(2018), Some(2018)).unwrap();
    let r = metrics::run(&ctx, Metric::Countries, &s).await.unwrap();
    let rows = cells(&r);
    assert_eq!(rows[0][0].clone_text(), "US");
    let us = query_rows(
        &ctx,
        "SELECT COUNT(DISTINCT work) FROM work_countries WHERE country = 'US' AND work LIKE 'nips2018:%'",
    )
    .await;
    assert_eq!(rows[0][2].clone_text(), us[0][0]);
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("within source paperlists, venue NeurIPS"))
    );
    s.set_rollup(true);
    let r = metrics::run(&ctx, Metric::Institutions, &s).await.unwrap();
    assert!(cells(&r).len() > 20);
    s.set("venue", "").unwrap();
    s.set_years(None, None).unwrap();
    let r = metrics::run(&ctx, Metric::TalentFlows, &s).await.unwrap();
    let moved: f64 = cells(&r)
        .iter()
        .filter(|row| row[0] != row[1])
        .map(|row| row[2].clone_text().parse::<f64>().unwrap())
        .sum();
    assert!(
        moved > 100.0,
        "researchers who moved between countries: {moved}"
    );
}
