//! Hand-made cases pinning every talent definition: the tally and its ties,
//! several countries in one year, gaps, authorships without author id or
//! without a country, careers from affiliations with entities absent, the
//! immigrants-only country, retention's denominator, the mobility rate, the
//! supply-versus-output shares, HHI arithmetic and the h-index.

use super::*;
use crate::metrics::testing::{TinyWorld, rows};
use crate::profile::Profile;

fn opts() -> TalentOptions {
    TalentOptions::new(Options::new(Profile::builtin("concepts").unwrap()))
}

fn names(r: &MetricResult) -> Vec<String> {
    r.schema.fields().iter().map(|f| f.name().clone()).collect()
}

/// The mobility world (every work AI unless said):
/// - A1: 2018 W1 one authorship [US, CN] → tally CN 1, US 1, tie → CN.
///   2020 (gap of one year) W2 [US], W3 [GB], W4 [US] → US 2, GB 1 → US.
///   2023 (gap of two) W5 [CN] → CN. Origin CN, current CN, abroad in
///   2020 → returnee; moves 2020 and 2023.
/// - A2: 2019 W6 [US], 2021 W7 [US] and W15 [US] (W15 also has an
///   authorship in JP without author id: no career) → stayer US.
/// - A3: 2019 W8 [IN], 2020 W9 [IN], 2021 W10 [US] → emigrant IN → US.
/// - A4: 2020 W11 [DE] only → single year (no class).
/// - A5: 2019 W12 [] (no country: not observed), 2020 W13 [FR], 2022 W14
///   [DE] → emigrant FR → DE.
/// - A6: 2019 W16 [GB] (AI), 2020 W17 [US] (not AI: careers use every
///   work) → emigrant GB → US; one AI work only.
/// - A7: 2019 W18 [US] and 2020 W19 [CN], neither AI → never in scope.
fn mobility_world() -> TinyWorld {
    let mut w = TinyWorld::new();
    w.work("W1", 2018, 1).ai().by("A1", &["US", "CN"]);
    w.work("W2", 2020, 1).ai().by("A1", &["US"]);
    w.work("W3", 2020, 1).ai().by("A1", &["GB"]);
    w.work("W4", 2020, 1).ai().by("A1", &["US"]);
    w.work("W5", 2023, 1).ai().by("A1", &["CN"]);
    w.work("W6", 2019, 2).ai().by("A2", &["US"]);
    w.work("W7", 2021, 2).ai().by("A2", &["US"]);
    w.work("W15", 2021, 2)
        .ai()
        .by("A2", &["US"])
        .author(&["JP"]);
    w.work("W8", 2019, 3).ai().by("A3", &["IN"]);
    w.work("W9", 2020, 3).ai().by("A3", &["IN"]);
    w.work("W10", 2021, 3).ai().by("A3", &["US"]);
    w.work("W11", 2020, 4).ai().by("A4", &["DE"]);
    w.work("W12", 2019, 5).ai().by("A5", &[]);
    w.work("W13", 2020, 5).ai().by("A5", &["FR"]);
    w.work("W14", 2022, 5).ai().by("A5", &["DE"]);
    w.work("W16", 2019, 6).ai().by("A6", &["GB"]);
    w.work("W17", 2020, 6)
        .concept("C185592680", 0.9)
        .by("A6", &["US"]);
    w.work("W18", 2019, 7)
        .concept("C185592680", 0.9)
        .by("A7", &["US"]);
    w.work("W19", 2020, 7)
        .concept("C185592680", 0.9)
        .by("A7", &["CN"]);
    w
}

#[tokio::test]
async fn careers_tally_ties_gaps_and_unobserved_years() {
    for (how, ctx) in mobility_world().contexts().await {
        eprintln!("with {how}");
        prepare(&ctx, &opts()).await.unwrap();
        let r = result(
            &ctx,
            "SELECT * FROM careers WHERE author IN ('A1', 'A5', 'A6') ORDER BY author, year",
            vec![],
        )
        .await
        .unwrap();
        assert_eq!(
            rows(
                &r.batches,
                &[
                    "author",
                    "year",
                    "country",
                    "tally",
                    "countries",
                    "works",
                    "ai_works",
                    "citations"
                ]
            ),
            [
                "A1|2018|CN|1|CN:1;US:1|1|1|1",
                "A1|2020|US|2|US:2;GB:1|3|3|3",
                "A1|2023|CN|1|CN:1|1|1|1",
                "A5|2019|∅|∅|∅|1|1|5",
                "A5|2020|FR|1|FR:1|1|1|5",
                "A5|2022|DE|1|DE:1|1|1|5",
                "A6|2019|GB|1|GB:1|1|1|6",
                "A6|2020|US|1|US:1|1|0|6",
            ]
        );
        // No career at all comes from the authorship without author id (JP).
        let r = result(
            &ctx,
            "SELECT COUNT(*) AS n FROM careers WHERE countries LIKE '%JP%' OR author IS NULL",
            vec![],
        )
        .await
        .unwrap();
        assert_eq!(rows(&r.batches, &["n"]), ["0"]);
        let r = result(
            &ctx,
            "SELECT author, origin, current, class, n_years, moves FROM talent_authors ORDER BY author",
            vec![],
        )
        .await
        .unwrap();
        assert_eq!(
            rows(
                &r.batches,
                &["author", "origin", "current", "class", "n_years", "moves"]
            ),
            [
                "A1|CN|CN|returnee|3|2",
                "A2|US|US|stayer|2|0",
                "A3|IN|US|emigrant|3|1",
                "A4|DE|DE|single_year|1|0",
                "A5|FR|DE|emigrant|2|1",
                "A6|GB|US|emigrant|2|1",
            ]
        );
    }
}

#[tokio::test]
async fn flows_and_scope() {
    for (how, ctx) in mobility_world().contexts().await {
        eprintln!("with {how}");
        let r = flows::run(&ctx, &opts(), false).await.unwrap();
        assert_eq!(&names(&r)[..3], ["origin", "current", "authors"]);
        assert_eq!(
            rows(
                &r.batches,
                &["origin", "current", "authors", "share_of_origin"]
            ),
            [
                "CN|CN|1|1",
                "FR|DE|1|1",
                "GB|US|1|1",
                "IN|US|1|1",
                "US|US|1|1"
            ]
        );
        assert!(
            r.notes
                .iter()
                .any(|n| n.contains("6 researchers in scope")
                    && n.contains("5 with ≥ 2 observed years")),
            "{:?}",
            r.notes
        );
        // min-works 2: A6 (1 AI work) and A4 leave the scope.
        let mut o = opts();
        o.min_works = 2;
        let r = flows::run(&ctx, &o, false).await.unwrap();
        assert_eq!(
            rows(&r.batches, &["origin", "current"]),
            ["CN|CN", "FR|DE", "IN|US", "US|US"]
        );
        // Cohorts by first observed year: A1 2018; A2, A3 2019; A5 2020 (2019
        // had no country), A6 2019.
        let r = flows::run(&ctx, &opts(), true).await.unwrap();
        assert_eq!(&names(&r)[..4], ["origin", "current", "authors", "cohort"]);
        assert_eq!(
            rows(&r.batches, &["cohort", "origin", "current", "authors"]),
            [
                "2018|CN|CN|1",
                "2019|GB|US|1",
                "2019|IN|US|1",
                "2019|US|US|1",
                "2020|FR|DE|1"
            ]
        );
        // The year range cuts careers: from 2020, A1 is US (2020) → CN (2023),
        // an emigrant; A2 has one observed year (2021) left.
        let mut o = opts();
        o.metrics.from = Some(2020);
        let r = flows::run(&ctx, &o, false).await.unwrap();
        assert_eq!(
            rows(&r.batches, &["origin", "current"]),
            ["FR|DE", "IN|US", "US|CN"]
        );
        o.min_works = 0;
        assert!(flows::run(&ctx, &o, false).await.is_err());
    }
}

/// See [`mobility_world`]. US: authors 1 (A2), immigrants 2 (A3, A6),
/// net +2; mobility: A1 2020 (from CN), A2 2021 (stays), A3 2021 (from IN),
/// A6 2020 (from GB) → 3/4. DE: immigrants only (A5; A4's single year is
/// no author of retention) → authors 0, retention null; its one
/// author-year with a previous year (A5 2022, from FR) moved → 1. FR and GB
/// have no author-year with a previous one → mobility null.
#[tokio::test]
async fn countries_classes_retention_and_mobility_rate() {
    for (how, ctx) in mobility_world().contexts().await {
        eprintln!("with {how}");
        let r = countries::run(&ctx, &opts()).await.unwrap();
        assert_eq!(
            &names(&r)[..7],
            [
                "country",
                "authors",
                "stayers",
                "returnees",
                "emigrants",
                "immigrants",
                "retention"
            ]
        );
        assert_eq!(
            rows(
                &r.batches,
                &[
                    "country",
                    "authors",
                    "stayers",
                    "returnees",
                    "emigrants",
                    "immigrants",
                    "retention",
                    "net_gain",
                    "mobility_rate",
                    "moves",
                    "author_years"
                ]
            ),
            [
                "CN|1|0|1|0|0|1|0|1|1|1",
                "FR|1|0|0|1|0|0|-1|∅|0|0",
                "GB|1|0|0|1|0|0|-1|∅|0|0",
                "IN|1|0|0|1|0|0|-1|0|0|1",
                "US|1|1|0|0|2|1|2|0.75|3|4",
                "DE|0|0|0|0|1|∅|1|1|1|1",
            ]
        );
    }
}

/// Retention's denominator: origin US, 4 authors with ≥ 2 observed years
/// (2 stayers, 1 returnee, 1 emigrant) and 3 single-year US authors, who
/// do not count: retention = 3/4, not 6/7.
#[tokio::test]
async fn retention_denominator_ignores_single_year_authors() {
    let mut w = TinyWorld::new();
    let mut n = 0;
    let mut work = |w: &mut TinyWorld, a: &str, y: i32, c: &str| {
        n += 1;
        w.work(&format!("W{n}"), y, 1).ai().by(a, &[c]);
    };
    for (a, career) in [
        ("S1", &["US", "US"][..]),
        ("S2", &["US", "US", "US"]),
        ("R1", &["US", "GB", "US"]),
        ("E1", &["US", "CN"]),
        ("O1", &["US"]),
        ("O2", &["US"]),
        ("O3", &["US"]),
    ] {
        for (i, c) in career.iter().enumerate() {
            work(&mut w, a, 2015 + i as i32, c);
        }
    }
    for (how, ctx) in w.contexts().await {
        eprintln!("with {how}");
        let r = countries::run(&ctx, &opts()).await.unwrap();
        assert_eq!(
            rows(
                &r.batches,
                &[
                    "country",
                    "authors",
                    "stayers",
                    "returnees",
                    "emigrants",
                    "immigrants",
                    "retention"
                ]
            ),
            ["US|4|2|1|1|0|0.75", "CN|0|0|0|0|1|∅"]
        );
    }
}

/// Careers from author entities' affiliation years:
/// - D1: I1 (US) 2018, 2019; I2 (CN) 2019, 2021 → 2018 US; 2019 US 1, CN 1
///   → CN; 2021 CN → emigrant US → CN (its authorships say GB, GB: a
///   stayer by authorships). 2020 has a work but no affiliation: a row
///   without country.
/// - D2: no author entity → no career from affiliations.
/// - D3: I3 without country 2019, I1 (US) 2020 → one observed year.
#[tokio::test]
async fn careers_from_affiliations_with_entities_absent() {
    let mut w = TinyWorld::new();
    w.work("W1", 2018, 1).ai().by("D1", &["GB"]);
    w.work("W2", 2020, 1).ai().by("D1", &["GB"]);
    w.work("W3", 2019, 1).ai().by("D2", &["FR"]);
    w.work("W4", 2020, 1).ai().by("D2", &["FR"]);
    w.work("W5", 2020, 1).ai().by("D3", &["US"]);
    w.affiliation("D1", "I1", "US", &[2018, 2019])
        .affiliation("D1", "I2", "CN", &[2019, 2021]);
    w.affiliation("D3", "I3", "", &[2019])
        .affiliation("D3", "I1", "US", &[2020]);
    w.institution("I1", "Uni One", "US", "education", "I1");
    for (how, ctx) in w.contexts().await {
        eprintln!("with {how}");
        let mut o = opts();
        o.source = Source::Affiliations;
        let r = flows::run(&ctx, &o, false).await.unwrap();
        assert_eq!(
            rows(&r.batches, &["origin", "current", "authors"]),
            ["US|CN|1"]
        );
        assert!(
            r.notes
                .iter()
                .any(|n| n.contains("3 researchers in scope") && n.contains("2 with an origin")),
            "{:?}",
            r.notes
        );
        assert!(
            r.notes
                .iter()
                .any(|n| n.starts_with("1 researchers in scope have no affiliation years")),
            "{:?}",
            r.notes
        );
        let r = result(
            &ctx,
            "SELECT * FROM careers_affiliations ORDER BY author, year",
            vec![],
        )
        .await
        .unwrap();
        assert_eq!(
            rows(
                &r.batches,
                &[
                    "author",
                    "year",
                    "country",
                    "countries",
                    "institution",
                    "institutions",
                    "sector",
                    "works"
                ]
            ),
            [
                "D1|2018|US|US:1|I1|I1|education|1",
                "D1|2019|CN|CN:1;US:1|I2|I1;I2|∅|0",
                "D1|2020|∅|∅|∅|∅|∅|1",
                "D1|2021|CN|CN:1|I2|I2|∅|0",
                "D2|2019|∅|∅|∅|∅|∅|1",
                "D2|2020|∅|∅|∅|∅|∅|1",
                "D3|2019|∅|∅|I3|I3|∅|0",
                "D3|2020|US|US:1|I1|I1|education|1",
            ]
        );
        // By authorships, the same people: D1 GB stayer, D2 FR stayer.
        let r = flows::run(&ctx, &opts(), false).await.unwrap();
        assert_eq!(
            rows(&r.batches, &["origin", "current", "authors"]),
            ["FR|FR|1", "GB|GB|1"]
        );
        // The range applies to affiliation years too: from 2019, D1 is CN, CN.
        o.metrics.from = Some(2019);
        let r = flows::run(&ctx, &o, false).await.unwrap();
        assert_eq!(
            rows(&r.batches, &["origin", "current", "authors"]),
            ["CN|CN|1"]
        );
    }
}

/// The main institution is the most frequent in the main country. A1 in
/// 2020: W1 at I2 (GB); W2 at I2 (GB) and I1 (US), one authorship with
/// countries GB and US; W3 at I3 (US) → tally GB 2, US 2 → GB (tie, by
/// code), so I2 (twice) is the main institution. In 2021, one authorship
/// at I3 and I1, both US → I1 (tie, smallest id).
#[tokio::test]
async fn main_institution_and_sector() {
    let mut w = TinyWorld::new();
    w.work("W1", 2020, 1).ai().by_at("A1", &[("I2", "GB")]);
    w.work("W2", 2020, 1)
        .ai()
        .by_at("A1", &[("I2", "GB"), ("I1", "US")]);
    w.work("W3", 2020, 1).ai().by_at("A1", &[("I3", "US")]);
    w.work("W4", 2021, 1)
        .ai()
        .by_at("A1", &[("I3", "US"), ("I1", "US")]);
    w.institution("I1", "Uni One", "US", "education", "I1");
    w.institution("I2", "Lab Two", "GB", "company", "I9");
    w.institution("I3", "Lab Three", "US", "company", "I9");
    for (how, ctx) in w.contexts().await {
        eprintln!("with {how}");
        prepare(&ctx, &opts()).await.unwrap();
        let r = result(&ctx, "SELECT * FROM careers ORDER BY year", vec![])
            .await
            .unwrap();
        assert_eq!(
            rows(
                &r.batches,
                &[
                    "year",
                    "country",
                    "countries",
                    "institution",
                    "institutions",
                    "sector"
                ]
            ),
            [
                "2020|GB|GB:2;US:2|I2|I2;I1;I3|company",
                "2021|US|US:1|I1|I1;I3|education"
            ]
        );
    }
}

/// Supply vs output (all works AI, top 10%):
/// - 2018: W1 R1 [CN] 1 cite, W2 R2 [CN] 2, W3 R3 [US] 3 → n 3, ceil(0.3)
///   = 1 highly cited: W3.
/// - 2020: W4 R1 [US] 50, W5 R2 [CN] 5, W6 R3 [US] + R4 [IN] 10 → W4.
///
/// Origins: R1 CN, R2 CN, R3 US, R4 IN → supply CN ½, US ¼, IN ¼.
/// Output: CN 1 + 1 + 1 = 3, US 1 + 1 + ½ = 2.5, IN ½, total 6 → ½,
/// 5/12, 1/12; ratios 1, 5/3, 1/3. Highly cited: US 2 of 2 → ratio 4.
/// Researchers' citations: R1 51, R2 7, R3 13, R4 10 → top ceil(0.4) = 1:
/// R1 (CN); R1's authorships W1 [CN], W4 [US] → top output CN ½, US ½.
fn supply_world(extra: bool) -> TinyWorld {
    let mut w = TinyWorld::new();
    w.work("W1", 2018, 1).ai().by("R1", &["CN"]);
    w.work("W2", 2018, 2).ai().by("R2", &["CN"]);
    w.work("W3", 2018, 3).ai().by("R3", &["US"]);
    w.work("W4", 2020, 50).ai().by("R1", &["US"]);
    w.work("W5", 2020, 5).ai().by("R2", &["CN"]);
    w.work("W6", 2020, 10)
        .ai()
        .by("R3", &["US"])
        .by("R4", &["IN"]);
    if extra {
        w.work("W7", 2020, 0).ai().by("R1", &["US", "GB"]);
    }
    w
}

#[tokio::test]
async fn mismatch_supply_output_and_top_researchers() {
    for (how, ctx) in supply_world(false).contexts().await {
        eprintln!("with {how}");
        let r = mismatch::run(&ctx, &opts()).await.unwrap();
        assert_eq!(
            rows(
                &r.batches,
                &[
                    "country",
                    "researchers",
                    "supply_share",
                    "output",
                    "output_share",
                    "hc_output",
                    "hc_share",
                    "output_ratio",
                    "hc_ratio",
                    "top_researchers",
                    "top_supply_share",
                    "top_output_share",
                    "top_ratio"
                ]
            ),
            [
                "CN|2|0.5|3|0.5|0|0|1|0|1|1|0.5|0.5",
                "US|1|0.25|2.5|0.416667|2|1|1.666667|4|0|0|0.5|∅",
                "IN|1|0.25|0.5|0.083333|0|0|0.333333|0|0|0|0|∅",
            ]
        );
    }
}

/// Conversion of CN-origin researchers (R1, R2) with W7 (2020, R1 [US, GB],
/// 0 cites) added: R1 W1 [CN], W4 [US], W7 [US, GB]; R2 W2, W5 [CN].
/// CN: 2 researchers, 3 works; US: 1, 2 works (W4 highly cited); GB: 1, 1.
/// Works with a country: 5 → shares .6, .4, .2 (past 1: W7 counts twice).
/// Fractional: CN 3, US 1 + ½, GB ½ → .6, .3, .1.
#[tokio::test]
async fn conversion_by_country_of_affiliation() {
    for (how, ctx) in supply_world(true).contexts().await {
        eprintln!("with {how}");
        let r = conversion::run(&ctx, &opts(), "cn").await.unwrap();
        assert_eq!(
            rows(
                &r.batches,
                &[
                    "country",
                    "researchers",
                    "works",
                    "highly_cited",
                    "works_share",
                    "highly_cited_share",
                    "fractional",
                    "fractional_share"
                ]
            ),
            [
                "CN|2|3|0|0.6|0|3|0.6",
                "US|1|2|1|0.4|1|1.5|0.3",
                "GB|1|1|0|0.2|0|0.5|0.1"
            ]
        );
        assert!(
            conversion::run(&ctx, &opts(), "affiliations")
                .await
                .is_err()
        );
    }
}

/// Origin mix and HHI:
/// - I1 (US): B1 (origin CN), B2 (CN), B3 (US: first year at I1), B4 (IN)
///   → CN 2, IN 1, US 1: HHI = ½² + ¼² + ¼² = 0.375; top CN ½; foreign ¾.
/// - I2 (GB, under I9): B5 (GB), B7 (GB) → HHI 1, foreign 0.
/// - I3 (US, under I9): B6 (US), B7 (GB) → HHI ½; top GB (tie, by code);
///   foreign ½.
/// - Rolled up, I9 (US): B5 GB, B6 US, B7 GB → HHI (2/3)² + (1/3)² = 5/9;
///   foreign 2/3.
#[tokio::test]
async fn orgs_origin_mix_and_hhi() {
    let mut w = TinyWorld::new();
    w.work("W1", 2019, 1)
        .ai()
        .by("B1", &["CN"])
        .by("B2", &["CN"])
        .by("B4", &["IN"]);
    w.work("W2", 2021, 1)
        .ai()
        .by_at("B1", &[("I1", "US")])
        .by_at("B2", &[("I1", "US")])
        .by_at("B3", &[("I1", "US")])
        .by_at("B4", &[("I1", "US")]);
    w.work("W3", 2020, 1)
        .ai()
        .by_at("B5", &[("I2", "GB")])
        .by_at("B6", &[("I3", "US")])
        .by_at("B7", &[("I2", "GB")]);
    w.work("W4", 2022, 1).ai().by_at("B7", &[("I3", "US")]);
    w.institution("I1", "Uni One", "US", "education", "I1");
    w.institution("I2", "Co Research UK", "GB", "company", "I9");
    w.institution("I3", "Co Research US", "US", "company", "I9");
    w.institution("I9", "Co Inc.", "US", "company", "I9");
    for (how, ctx) in w.contexts().await {
        eprintln!("with {how}");
        let r = orgs::run(&ctx, &opts(), &orgs::OrgOptions::default())
            .await
            .unwrap();
        let cols = [
            "institution",
            "country",
            "researchers",
            "origins",
            "top_origin",
            "top_origin_share",
            "foreign_share",
            "hhi",
        ];
        assert_eq!(
            rows(&r.batches, &cols),
            [
                "I1|US|4|CN:2;IN:1;US:1|CN|0.5|0.75|0.375",
                "I2|GB|2|GB:2|GB|1|0|1",
                "I3|US|2|GB:1;US:1|GB|0.5|0.5|0.5"
            ]
        );
        let r = orgs::run(
            &ctx,
            &opts(),
            &orgs::OrgOptions {
                rollup: true,
                limit: Some(1),
            },
        )
        .await
        .unwrap();
        assert_eq!(
            rows(&r.batches, &cols),
            ["I1|US|4|CN:2;IN:1;US:1|CN|0.5|0.75|0.375"]
        );
        let r = orgs::run(
            &ctx,
            &opts(),
            &orgs::OrgOptions {
                rollup: true,
                limit: None,
            },
        )
        .await
        .unwrap();
        assert_eq!(
            rows(&r.batches, &cols)[1],
            "I9|US|3|GB:2;US:1|GB|0.666667|0.666667|0.555556"
        );
    }
}

/// h-index within the corpus: C1 AI works cited 10, 8, 5, 4, 3, 0 → h 4;
/// C2 on one work twice (two positions: one work) and two more, each cited
/// once → h 1, 3 works; C3 one work cited 100 → h 1; C4 AI works 2, 2 → h
/// 2 (its non-AI work cited 1000 does not count).
#[tokio::test]
async fn top_citations_and_h_index() {
    let mut w = TinyWorld::new();
    for (i, c) in [10, 8, 5, 4, 3, 0].into_iter().enumerate() {
        w.work(&format!("W1{i}"), 2020, c).ai().by("C1", &["US"]);
    }
    w.work("W20", 2020, 1)
        .ai()
        .by("C2", &["CN"])
        .by("C2", &["CN"]);
    w.work("W21", 2021, 1).ai().by("C2", &["CN"]);
    w.work("W22", 2022, 1).ai().by("C2", &["GB"]);
    w.work("W30", 2019, 100).ai().by("C3", &[]);
    w.work("W40", 2019, 2).ai().by_at("C4", &[("I1", "FR")]);
    w.work("W41", 2021, 2).ai().by_at("C4", &[("I2", "DE")]);
    w.work("W42", 2021, 1000)
        .concept("C185592680", 0.9)
        .by("C4", &["DE"]);
    w.institution("I2", "Institut Zwei", "DE", "education", "I2");
    w.author_entity("C4", "Cora Four");
    for (how, ctx) in w.contexts().await {
        eprintln!("with {how}");
        let r = top::run(&ctx, &opts(), top::Sort::Citations, None)
            .await
            .unwrap();
        let cols = [
            "rank",
            "author",
            "works",
            "citations",
            "h_index",
            "origin",
            "current",
            "class",
            "institution",
            "institution_name",
        ];
        assert_eq!(
            rows(&r.batches, &cols),
            [
                "1|C3|1|100|1|∅|∅|∅|∅|∅",
                "2|C1|6|30|4|US|US|single_year|∅|∅",
                "3|C4|2|4|2|FR|DE|emigrant|I2|Institut Zwei",
                "4|C2|3|3|1|CN|GB|emigrant|∅|∅",
            ]
        );
        assert_eq!(column_names(&r, "name")[2], "Cora Four");
        let r = top::run(&ctx, &opts(), top::Sort::HIndex, Some(2))
            .await
            .unwrap();
        assert_eq!(
            rows(&r.batches, &["rank", "author", "h_index"]),
            ["1|C1|4", "2|C4|2"]
        );
    }
}

fn column_names(r: &MetricResult, col: &str) -> Vec<String> {
    crate::metrics::testing::column(&r.batches, col)
}

#[tokio::test]
async fn author_career_year_by_year() {
    for (how, ctx) in mobility_world().contexts().await {
        eprintln!("with {how}");
        let r = author::run(&ctx, &opts(), "https://openalex.org/A1")
            .await
            .unwrap();
        assert_eq!(
            rows(
                &r.batches,
                &["year", "country", "countries", "works", "moved"]
            ),
            [
                "2018|CN|CN:1;US:1|1|false",
                "2020|US|US:2;GB:1|3|true",
                "2023|CN|CN:1|1|true"
            ]
        );
        assert!(
            r.notes
                .iter()
                .any(|n| n == "A1: origin CN, current CN, class returnee"),
            "{:?}",
            r.notes
        );
        let r = author::run(&ctx, &opts(), "A5").await.unwrap();
        assert_eq!(
            rows(&r.batches, &["year", "country", "moved"]),
            ["2019|∅|∅", "2020|FR|false", "2022|DE|true"]
        );
        let r = author::run(&ctx, &opts(), "A7").await.unwrap();
        assert_eq!(r.num_rows(), 2);
        assert!(
            r.notes.iter().any(|n| n.contains("A7 is not in scope")),
            "{:?}",
            r.notes
        );
    }
}
