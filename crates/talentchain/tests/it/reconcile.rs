//! Published series beside ours: each form of reference read from a
//! hand-made file and compared on the hand-made world of [`flip_world`]
//! (2020: full counts CN 3, US 2, GB 2, FR 1, 8 in all; fractional CN 4/3,
//! US 3/2, GB 5/6, FR 1/12, 4 in all), then the real published series.

use talentchain::dataset::Dataset;
use talentchain::metrics::{self, Metric};
use talentchain::profile::Profile;
use talentchain::reconcile::{self, Kind, Reference};
use talentchain::settings::Settings;
use talentchain_testkit::shared_data;

use crate::common::{Cell, cells, flip_session};

fn num(c: &Cell) -> Option<f64> {
    match c {
        Cell::Float(v) => Some(*v),
        Cell::Null => None,
        Cell::Text(t) => t.parse().ok(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn published_values_beside_ours_on_a_hand_made_world() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = flip_session(dir.path()).await;
    let refs = dir.path().join("refs");
    std::fs::create_dir_all(refs.join("ncses/10059")).unwrap();
    std::fs::write(
        refs.join("ai_publication_counts.csv"),
        "year,country_code,count\n\
         2020,https://openalex.org/countries/CN,60\n\
         2020,https://openalex.org/countries/US,30\n\
         2020,https://openalex.org/countries/XX,10\n\
         2019,https://openalex.org/countries/CN,5\n",
    )
    .unwrap();
    std::fs::write(
        refs.join("ncses/10059/data.csv"),
        "table_id,row_id,rank,region_country_or_economy,region,number_of_papers_whole_,number_of_papers_fractional_,papers_involving_multiple_institutions_whole_,papers_involving_only_domestic_institutions_whole_,papers_involving_international_institutions_whole_\n\
         10059,r001,0,World,World,100,100,1,1,1\n\
         10059,r002,1,China,Asia,50,40,1,1,1\n\
         10059,r003,2,United States,North America,30,25,1,1,1\n",
    )
    .unwrap();
    // Not a series: left alone.
    std::fs::write(refs.join("other.csv"), "a,b\n1,2\n").unwrap();
    let found = Reference::discover(&refs).unwrap();
    let kinds: Vec<Kind> = found.iter().map(|r| r.kind).collect();
    assert_eq!(kinds, [Kind::OpenAlexConcept, Kind::NcsesTotals]);
    assert_eq!(found[0].unmapped, ["https://openalex.org/countries/XX"]);
    assert_eq!(found[1].unmapped, ["World"]);

    let s = Settings::new(Profile::builtin("concepts").unwrap());
    let r = reconcile::run(&ctx, &s, &found).await.unwrap();
    let names: Vec<String> = r.schema.fields().iter().map(|f| f.name().clone()).collect();
    let col = |n: &str| names.iter().position(|x| x == n).unwrap();
    let rows = cells(&r);
    let row = |reference: &str, country: &str, year: &str, counting: &str| {
        rows.iter()
            .find(|x| {
                x[col("reference")].clone_text() == reference
                    && x[col("country")].clone_text() == country
                    && x[col("year_from")].clone_text() == year
                    && x[col("counting")].clone_text() == counting
            })
            .unwrap_or_else(|| panic!("{reference} {country} {year}: {rows:?}"))
    };
    let close = |a: Option<f64>, b: f64| a.is_some_and(|a| (a - b).abs() < 1e-12);
    // OpenAlex 2020: published shares among countries CN 60/90, US 30/90;
    // ours CN 3/8, US 2/8; ranks CN 1, US 2 on both sides.
    let cn = row("openalex-ai-concept", "CN", "2020", "full");
    assert_eq!(num(&cn[col("published")]), Some(60.0));
    assert_eq!(num(&cn[col("ours")]), Some(3.0));
    assert_eq!(num(&cn[col("difference")]), Some(-57.0));
    assert!(close(num(&cn[col("published_share")]), 2.0 / 3.0));
    assert!(close(num(&cn[col("our_share")]), 3.0 / 8.0));
    assert!(close(
        num(&cn[col("share_difference")]),
        3.0 / 8.0 - 2.0 / 3.0
    ));
    let us = row("openalex-ai-concept", "US", "2020", "full");
    assert_eq!(
        (num(&us[col("published_rank")]), num(&us[col("our_rank")])),
        (Some(2.0), Some(2.0))
    );
    // 2019: nothing of ours, so no share and no rank.
    let cn19 = row("openalex-ai-concept", "CN", "2019", "full");
    assert_eq!(num(&cn19[col("ours")]), Some(0.0));
    assert_eq!(num(&cn19[col("our_share")]), None);
    assert_eq!(num(&cn19[col("our_rank")]), None);
    // NCSES 2003–2022: whole CN 50 vs our 3; fractional CN 40 vs 4/3, its
    // share 40/65 vs (4/3)/4.
    let cn = row("ncses-sei-10059", "CN", "2003", "fractional");
    assert!(close(num(&cn[col("ours")]), 4.0 / 3.0));
    assert!(close(num(&cn[col("published_share")]), 40.0 / 65.0));
    assert!(close(num(&cn[col("our_share")]), 1.0 / 3.0));
    assert_eq!(
        num(&row("ncses-sei-10059", "US", "2003", "full")[col("ours")]),
        Some(2.0)
    );
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("All Science Journal Classification"))
    );

    // A file of no known form is refused, naming the parameter.
    let e = Reference::discover(&refs.join("other.csv")).unwrap_err();
    assert_eq!(e.parameter(), Some("against"));
}

/// The real series: NCSES SEI 2024 (tables 10067 and 10059) and OpenAlex's
/// AI-concept counts, every country name mapped but regions, totals and
/// former countries; on real records, our counts are `countries`'.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_real_published_series() {
    let Some(aggregates) = shared_data("aggregates") else {
        return;
    };
    let Some(openalex) = shared_data("openalex") else {
        return;
    };
    let refs = Reference::discover(&aggregates).unwrap();
    let count = |k: Kind| refs.iter().find(|r| r.kind == k).map(|r| r.rows.len());
    // 176 countries × 20 years (whole), 176 × 2 countings, 2,159 rows.
    assert_eq!(count(Kind::NcsesYears), Some(3520));
    assert_eq!(count(Kind::NcsesTotals), Some(352));
    assert_eq!(count(Kind::OpenAlexConcept), Some(2159));
    let totals = refs.iter().find(|r| r.kind == Kind::NcsesTotals).unwrap();
    for name in ["World", "Unassigned", "Serbia and Montenegro"] {
        assert!(
            totals.unmapped.iter().any(|u| u == name),
            "{:?}",
            totals.unmapped
        );
    }
    let cn = totals
        .rows
        .iter()
        .find(|p| p.country == "CN" && p.counting == talentchain::settings::Counting::Full)
        .unwrap();
    assert_eq!(cn.value, 274096.0);

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ds");
    let mut io =
        talentchain::ingest::IngestOptions::new(vec![openalex.join("explorer")], out.clone());
    io.threads = 2;
    talentchain::ingest::ingest(&io).unwrap();
    let ctx = Dataset::open(&out).unwrap().session().await.unwrap();
    let oa: Vec<Reference> = refs
        .into_iter()
        .filter(|r| r.kind == Kind::OpenAlexConcept)
        .collect();
    let s = Settings::new(Profile::builtin("concepts").unwrap());
    let r = reconcile::run(&ctx, &s, &oa).await.unwrap();
    let mut want = s.clone();
    want.set_years(Some(2010), Some(2020)).unwrap();
    let m = metrics::run(&ctx, Metric::Countries, &want).await.unwrap();
    let names: Vec<String> = m.schema.fields().iter().map(|f| f.name().clone()).collect();
    let (c, y, p) = (
        names.iter().position(|n| n == "country").unwrap(),
        names.iter().position(|n| n == "year").unwrap(),
        names.iter().position(|n| n == "papers_full").unwrap(),
    );
    let ours: Vec<(String, String, f64)> = cells(&m)
        .into_iter()
        .map(|row| {
            (
                row[c].clone_text(),
                row[y].clone_text(),
                num(&row[p]).unwrap(),
            )
        })
        .collect();
    assert!(ours.len() > 10, "{ours:?}");
    let rows = cells(&r);
    let mut compared = 0;
    for (country, year, papers) in &ours {
        if let Some(row) = rows
            .iter()
            .find(|x| x[1].clone_text() == *country && x[2].clone_text() == *year)
        {
            assert_eq!(num(&row[6]), Some(*papers), "{country} {year}");
            compared += 1;
        }
    }
    assert!(compared > 10, "only {compared} compared");
}
