//! Every API route through the router without a socket: answers, bad
//! parameters (each answers 400 naming it, with the accepted values), 404s,
//! the SQL locks, time limit and row cap, the OpenAPI document, and
//! concurrent requests with different profiles.

use std::time::Duration;

use crate::common::{self, assert_same, get, get_json, rows_json, state};
use axum::http::StatusCode;
use serde_json::{Value, json};
use talentchain::metrics::{self, Metric};
use talentchain::profile::Profile;
use talentchain::settings::{Accepts, Careers, InstitutionSort, ResearcherSort, Settings};
use talentchain_web::spec::{Kind, ROUTES};

/// The routes, spelled out: a route added to the router but not to the
/// table (or the reverse) fails here and in `openapi_lists_every_route`.
const PATHS: [&str; 21] = [
    "/api/countries",
    "/api/institutions",
    "/api/sectors",
    "/api/collab",
    "/api/sensitivity",
    "/api/project",
    "/api/claims",
    "/api/sql",
    "/api/tables",
    "/api/selection",
    "/api/definitions",
    "/api/manifest",
    "/api/talent/flows",
    "/api/talent/countries",
    "/api/talent/mismatch",
    "/api/talent/conversion",
    "/api/talent/orgs",
    "/api/talent/stays",
    "/api/talent/top",
    "/api/talent/author",
    "/api/openapi.json",
];

/// An author of the demo world in scope: the first of `talent top`.
async fn some_author(s: &talentchain_web::AppState) -> String {
    let (_, v) = get_json(s, "/api/talent/top?limit=1").await;
    v["rows"][0]["author"].as_str().unwrap().to_string()
}

/// The required parameters of `path`, with good values, as a query string
/// (empty, or starting with `&`).
fn required(path: &str, author: &str) -> String {
    match path {
        "/api/sql" => "&q=SELECT%201%20AS%20one".into(),
        "/api/talent/conversion" => "&origin=CN".into(),
        "/api/talent/author" => format!("&author={author}"),
        _ => String::new(),
    }
}

#[tokio::test]
async fn every_route_answers() {
    let s = state().await;
    let author = some_author(&s).await;
    let paths: Vec<&str> = ROUTES.iter().map(|r| r.path).collect();
    assert_eq!(paths, PATHS);
    for r in ROUTES {
        let uri = format!(
            "{}?{}",
            r.path,
            required(r.path, &author).trim_start_matches('&')
        );
        let (status, v) = get_json(&s, &uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {v}");
        if r.rows {
            assert!(
                v["columns"].is_array() && v["rows"].is_array() && v["notes"].is_array(),
                "{uri}: {v}"
            );
            if r.path != "/api/sql" && r.path != "/api/tables" {
                assert!(
                    !v["rows"].as_array().unwrap().is_empty(),
                    "{uri} has rows on the demo world: {v}"
                );
            }
        }
    }
}

/// The API's rows are the library's rows, with the CLI's parameters.
#[tokio::test]
async fn answers_equal_the_metric_commands() {
    let s = state().await;
    let ctx = talentchain_web::AppState::session(&s).unwrap();
    // The CLI's flags, as typed settings.
    let run = |metric: Metric, settings: Settings| {
        let ctx = ctx.clone();
        async move { rows_json(&metrics::run(&ctx, metric, &settings).await.unwrap()) }
    };
    let mut opts = Settings::new(Profile::builtin("concepts").unwrap());
    opts.set_years(Some(2017), Some(2022)).unwrap();
    opts.set_top(1.0).unwrap();
    let want = run(Metric::CountriesTotal, opts).await;
    let (_, v) = get_json(
        &s,
        "/api/countries?ai=concepts&from=2017&to=2022&by=total&top=1",
    )
    .await;
    assert_same(&v["rows"], &want);
    assert!(v["rows"].as_array().unwrap().len() > 3);
    assert!(
        v["notes"][0]
            .as_str()
            .unwrap()
            .starts_with("profile concepts v1")
    );

    let any = Settings::new(Profile::builtin("any").unwrap());
    let mut inst = any.clone();
    inst.set_rollup(true);
    inst.set_sector(Some("company")).unwrap();
    inst.set_limit(Some(20)).unwrap();
    let want = run(Metric::Institutions, inst).await;
    let (_, v) = get_json(
        &s,
        "/api/institutions?ai=any&rollup=true&type=company&limit=20",
    )
    .await;
    assert_same(&v["rows"], &want);
    let mut inst = any.clone();
    inst.set_limit(Some(5)).unwrap();
    inst.set_institution_sort(InstitutionSort::Citations);
    let want = run(Metric::Institutions, inst).await;
    let (_, v) = get_json(&s, "/api/institutions?ai=any&sort=citations&limit=5").await;
    assert_same(&v["rows"], &want);
    assert_eq!(v["rows"].as_array().unwrap().len(), 5);

    let want = run(Metric::Sectors, any.clone()).await;
    assert_same(&get_json(&s, "/api/sectors?ai=any").await.1["rows"], &want);
    let want = run(Metric::CollabPairs, any.clone()).await;
    assert_same(&get_json(&s, "/api/collab?ai=any").await.1["rows"], &want);
    let want = run(Metric::CollabShares, any.clone()).await;
    assert_same(
        &get_json(&s, "/api/collab?ai=any&shares=true").await.1["rows"],
        &want,
    );

    let (_, v) = get_json(&s, "/api/tables").await;
    assert_eq!(v["rows"][0]["table"], "works");
    let (_, v) = get_json(&s, "/api/manifest").await;
    assert_eq!(v["format"], "talentchain-dataset");
    assert_eq!(
        v["records"]["works"],
        json!(s.dataset().manifest.records.works)
    );
    let (_, v) = get_json(&s, "/api/selection?ai=concepts&from=2017&to=2022").await;
    assert_eq!(v["profile"], "concepts v1");
    assert_eq!(v["range"], "2017–2022");
    assert!(v["selected"].as_u64().unwrap() > 0);
}

/// The talent routes' rows are the library's `talent::<verb>::run` rows,
/// with the CLI's flags as parameters.
#[tokio::test]
async fn talent_answers_equal_the_talent_commands() {
    let s = state().await;
    let ctx = s.session().unwrap();
    let mut opts = Settings::new(Profile::builtin("concepts").unwrap());
    opts.set_years(Some(2014), Some(2023)).unwrap();
    opts.set_top(5.0).unwrap();
    opts.set_min_works(2).unwrap();
    let run = |metric: Metric, settings: Settings| {
        let ctx = ctx.clone();
        async move { rows_json(&metrics::run(&ctx, metric, &settings).await.unwrap()) }
    };
    let with = |f: &dyn Fn(&mut Settings)| {
        let mut o = opts.clone();
        f(&mut o);
        o
    };
    let q = "ai=concepts&from=2014&to=2023&top=5&min_works=2";
    let check = |uri: String, want: Value| {
        let s = s.clone();
        async move {
            let (status, v) = get_json(&s, &uri).await;
            assert_eq!(status, StatusCode::OK, "{uri}: {v}");
            assert!(!v["rows"].as_array().unwrap().is_empty(), "{uri} has rows");
            assert_same(&v["rows"], &want);
            assert!(
                v["notes"].as_array().unwrap().iter().any(|n| n
                    .as_str()
                    .unwrap()
                    .contains("researchers in scope (≥ 2 AI works)")),
                "{uri}: {v}"
            );
        }
    };
    check(
        format!("/api/talent/flows?{q}"),
        run(Metric::TalentFlows, opts.clone()).await,
    )
    .await;
    check(
        format!("/api/talent/stays?{q}"),
        run(Metric::TalentStays, opts.clone()).await,
    )
    .await;
    check(
        format!("/api/talent/flows?{q}&cohort=true"),
        run(Metric::TalentFlowsByCohort, opts.clone()).await,
    )
    .await;
    check(
        format!("/api/talent/countries?{q}"),
        run(Metric::TalentCountries, opts.clone()).await,
    )
    .await;
    check(
        format!("/api/talent/mismatch?{q}"),
        run(Metric::TalentMismatch, opts.clone()).await,
    )
    .await;
    check(
        format!("/api/talent/conversion?{q}&origin=cn"),
        run(
            Metric::TalentConversion,
            with(&|o| o.set_origin("CN").unwrap()),
        )
        .await,
    )
    .await;
    check(
        format!("/api/talent/orgs?{q}&rollup=true&limit=7"),
        run(
            Metric::TalentOrgs,
            with(&|o| {
                o.set_rollup(true);
                o.set_limit(Some(7)).unwrap();
            }),
        )
        .await,
    )
    .await;
    check(
        format!("/api/talent/orgs?{q}"),
        run(
            Metric::TalentOrgs,
            with(&|o| o.set_limit(Some(50)).unwrap()),
        )
        .await,
    )
    .await;
    check(
        format!("/api/talent/top?{q}"),
        run(
            Metric::TalentTop,
            with(&|o| {
                o.set_researcher_sort(ResearcherSort::Citations);
                o.set_limit(Some(50)).unwrap();
            }),
        )
        .await,
    )
    .await;
    check(
        format!("/api/talent/top?{q}&sort=h-index&limit=3"),
        run(
            Metric::TalentTop,
            with(&|o| {
                o.set_researcher_sort(ResearcherSort::HIndex);
                o.set_limit(Some(3)).unwrap();
            }),
        )
        .await,
    )
    .await;
    let author = some_author(&s).await;
    let want = run(
        Metric::TalentAuthor,
        with(&|o| o.set_author(&author).unwrap()),
    )
    .await;
    check(format!("/api/talent/author/{author}?{q}"), want.clone()).await;
    check(
        format!("/api/talent/author?{q}&author=https://openalex.org/{author}"),
        want,
    )
    .await;

    // Careers from affiliations.
    let aff = with(&|o| o.set_careers(Careers::Affiliations));
    let want = run(Metric::TalentCountries, aff).await;
    let (_, v) = get_json(
        &s,
        &format!("/api/talent/countries?{q}&careers_from=affiliations"),
    )
    .await;
    assert_same(&v["rows"], &want);
    assert!(
        v["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().contains("careers from affiliations")),
        "{v}"
    );
    assert_ne!(
        want,
        run(Metric::TalentCountries, opts.clone()).await,
        "the two career sources differ on the demo world"
    );

    // CSV, as `--format csv`.
    let (status, ct, body) = get(&s, "/api/talent/flows?format=csv").await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with("text/csv"), "{ct}");
    assert!(
        String::from_utf8(body)
            .unwrap()
            .starts_with("origin,current,authors,share_of_origin\n")
    );
}

/// The author route: the id in the path or in the query, not both; a bad id
/// answers 400 in either place; an unknown one answers no rows and says so.
/// `source` and `venue` narrow the selection: the demo world is all
/// OpenAlex, so `source=openalex` answers as no source does, and
/// `source=paperlists` selects nothing, saying so.
#[tokio::test]
async fn source_and_venue_narrow_the_selection() {
    let s = state().await;
    let (_, all) = get_json(&s, "/api/countries?by=total").await;
    let (status, oa) = get_json(&s, "/api/countries?by=total&source=openalex").await;
    assert_eq!(status, StatusCode::OK);
    assert_same(&oa["rows"], &all["rows"]);
    assert!(!all["rows"].as_array().unwrap().is_empty());
    assert!(
        oa["notes"][0]
            .as_str()
            .unwrap()
            .contains("within source openalex")
    );
    let (status, pl) = get_json(&s, "/api/countries?by=total&source=paperlists").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(pl["rows"], json!([]));
    assert!(
        pl["notes"][0]
            .as_str()
            .unwrap()
            .contains("0 works selected"),
        "{pl}"
    );
    let (status, v) = get_json(&s, "/api/countries?venue=No%20Such%20Venue").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["rows"], json!([]));
    let (status, v) = get_json(&s, "/api/countries?venue=NeurIPS%27--").await;
    assert_eq!(
        (status, v["parameter"].as_str()),
        (StatusCode::BAD_REQUEST, Some("venue"))
    );
}

#[tokio::test]
async fn talent_author_by_path_or_query() {
    let s = state().await;
    let author = some_author(&s).await;
    let (status, by_path) = get_json(&s, &format!("/api/talent/author/{author}")).await;
    assert_eq!(status, StatusCode::OK, "{by_path}");
    assert_eq!(
        by_path,
        get_json(&s, &format!("/api/talent/author?author={author}"))
            .await
            .1
    );
    assert!(
        by_path["notes"].as_array().unwrap().iter().any(|n| n
            .as_str()
            .unwrap()
            .starts_with(&format!("{author}: origin "))),
        "{by_path}"
    );
    let (status, v) = get_json(&s, &format!("/api/talent/author/{author}?author={author}")).await;
    assert_eq!(
        (status, v["parameter"].as_str()),
        (StatusCode::BAD_REQUEST, Some("author")),
        "{v}"
    );
    let (status, v) = get_json(&s, "/api/talent/author/W123").await;
    assert_eq!(
        (status, v["parameter"].as_str()),
        (StatusCode::BAD_REQUEST, Some("author")),
        "{v}"
    );
    assert_eq!(
        v["message"],
        "`W123` is not an author id (an OpenAlex id, e.g. A5023888391; an OpenReview id, e.g. ~Jane_Doe1)"
    );
    let (status, v) = get_json(&s, "/api/talent/author").await;
    assert_eq!(
        (status, v["parameter"].as_str()),
        (StatusCode::BAD_REQUEST, Some("author")),
        "{v}"
    );
    let (status, v) = get_json(&s, "/api/talent/author/A1").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["rows"], json!([]));
    assert!(
        v["notes"].to_string().contains("no career rows for `A1`"),
        "{v}"
    );
    // Only the author route takes a path segment; a deeper path is no route.
    for uri in [
        "/api/talent/top/A1",
        &format!("/api/talent/author/{author}/x"),
    ] {
        let (status, _) = get_json(&s, uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
    }
}

/// The talent routes' own bad values: conversion without `origin`, a
/// career source as `origin` (the CLI's other `--origin`), `min_works=0`.
#[tokio::test]
async fn talent_bad_parameters() {
    let s = state().await;
    for (uri, param) in [
        ("/api/talent/conversion", "origin"),
        ("/api/talent/conversion?origin=affiliations", "origin"),
        ("/api/talent/flows?origin=affiliations", "origin"),
        ("/api/talent/countries?min_works=0", "min_works"),
        ("/api/talent/countries?min_works=-1", "min_works"),
        ("/api/talent/mismatch?careers_from=orcid", "careers_from"),
        ("/api/talent/top?sort=h_index", "sort"),
        ("/api/talent/orgs?limit=10001", "limit"),
        ("/api/talent/flows?cohort=1", "cohort"),
    ] {
        let (status, v) = get_json(&s, uri).await;
        assert_eq!(
            (status, v["parameter"].as_str()),
            (StatusCode::BAD_REQUEST, Some(param)),
            "{uri}: {v}"
        );
        assert!(!v["accepted"].as_array().unwrap().is_empty(), "{uri}: {v}");
    }
    let (_, v) = get_json(&s, "/api/talent/mismatch?careers_from=orcid").await;
    assert_eq!(v["accepted"], json!(["authorships", "affiliations"]));
}

#[tokio::test]
async fn csv_format() {
    let s = state().await;
    let (status, ct, body) = get(&s, "/api/countries?by=total&format=csv").await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with("text/csv"), "{ct}");
    let text = String::from_utf8(body).unwrap();
    assert!(
        text.starts_with("country,year_from,year_to,papers_full,"),
        "{text}"
    );
}

/// Answers are kept per URL (parameter order aside), in JSON and CSV alike;
/// errors and `/api/sql` are not kept; with the cache off nothing is.
#[tokio::test]
async fn answers_are_kept_per_url() {
    let s = state().await;
    assert!(s.cache().is_empty());
    let (_, ct1, a) = get(&s, "/api/countries?from=2015&by=total").await;
    assert_eq!(s.cache().len(), 1);
    let (_, ct2, b) = get(&s, "/api/countries?by=total&from=2015").await;
    assert_eq!((ct1.as_str(), &a), (ct2.as_str(), &b));
    assert!(ct1.starts_with("application/json"), "{ct1}");
    assert_eq!(s.cache().len(), 1, "the same question in another order");
    let (_, ct, csv) = get(&s, "/api/countries?from=2015&by=total&format=csv").await;
    assert!(
        ct.starts_with("text/csv") && csv.starts_with(b"country,"),
        "{ct}"
    );
    assert_eq!(s.cache().len(), 2);
    let (status, _, _) = get(&s, "/api/countries?from=2099x").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    get(&s, "/api/sql?q=SELECT%201").await;
    assert_eq!(s.cache().len(), 2, "no errors, no SQL");
    let off = state().await.with_cache_entries(0);
    let (_, _, c) = get(&off, "/api/countries?from=2015&by=total").await;
    let countries = |body: &[u8]| -> Vec<String> {
        let v: Value = serde_json::from_slice(body).unwrap();
        v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["country"].to_string())
            .collect()
    };
    assert!(countries(&a).len() > 5);
    assert_eq!(countries(&c), countries(&a));
    assert!(off.cache().is_empty());
}

/// A dataset filtered at ingest says so in every metric's notes, and says
/// when another profile is asked of it.
#[tokio::test]
async fn a_filtered_dataset_says_so() {
    let full = common::dataset();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ai.tcd");
    let mut opts =
        talentchain::ingest::IngestOptions::new(vec![full.root.join("../openalex")], out.clone());
    opts.ai = Some(std::sync::Arc::new(Profile::builtin("concepts").unwrap()));
    talentchain::ingest::ingest(&opts).unwrap();
    let s =
        talentchain_web::AppState::open(talentchain::dataset::Dataset::open(&out).unwrap(), vec![])
            .await
            .unwrap();
    let notes = |v: &Value| {
        v["notes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let (_, v) = get_json(&s, "/api/countries").await;
    let n = notes(&v);
    assert!(
        n.iter()
            .any(|x| x.contains("filtered at ingest by AI profile `concepts v1`")),
        "{n:?}"
    );
    assert!(!n.iter().any(|x| x.contains("sees only")), "{n:?}");
    let (_, v) = get_json(&s, "/api/talent/flows?ai=topics").await;
    let n = notes(&v);
    assert!(
        n.iter()
            .any(|x| x
                .contains("profile `topics v1` sees only the works profile `concepts v1` kept")),
        "{n:?}"
    );
    // The full dataset has no such note.
    let (_, v) = get_json(&state().await, "/api/countries").await;
    assert!(!notes(&v).iter().any(|x| x.contains("filtered at ingest")));
}

/// With one query at a time, concurrent requests for different answers
/// wait their turn and all answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_query_at_a_time_still_answers_everyone() {
    let s = state().await.with_max_queries(1).with_cache_entries(0);
    let mut tasks = Vec::new();
    for (i, path) in [
        "/api/countries",
        "/api/sectors",
        "/api/collab",
        "/api/talent/flows",
    ]
    .into_iter()
    .enumerate()
    {
        for from in [2012, 2016] {
            let s = s.clone();
            tasks.push(tokio::spawn(async move {
                let (status, _, body) = get(&s, &format!("{path}?from={from}")).await;
                (i, status, body.len())
            }));
        }
    }
    for t in tasks {
        let (i, status, len) = t.await.unwrap();
        assert_eq!(status, StatusCode::OK, "request {i}");
        assert!(len > 20, "request {i}");
    }
}

/// Each parameter of each route, given a value it does not accept, answers
/// 400 `bad_parameter` naming it with the accepted values.
#[tokio::test]
async fn bad_parameters_answer_400_naming_them() {
    let s = state().await;
    for r in ROUTES {
        for p in r.params {
            let bad = match p.kind {
                Kind::Setting(s) | Kind::Projection(s) => match s.accepts {
                    Accepts::Profile => "nonesuch",
                    Accepts::Year => "20x7",
                    Accepts::Percent => "0",
                    Accepts::OneOf(_) => "sideways",
                    Accepts::Bool => "yes",
                    Accepts::Count => "0",
                    Accepts::Country => "C3",
                    Accepts::Author => "W123",
                    Accepts::Level => "100",
                    Accepts::Seed => "-1",
                    Accepts::Venues => "Neur%3BIPS",
                },
                Kind::OneOf(_) => "sideways",
                Kind::Sql => "%20%20",
            };
            let mut uri = format!("{}?{}={bad}", r.path, p.name);
            if !p.required {
                uri.push_str(&required(r.path, "A1"));
            }
            let (status, v) = get_json(&s, &uri).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {v}");
            assert_eq!(v["error"], "bad_parameter", "{uri}: {v}");
            assert_eq!(v["parameter"], p.name, "{uri}: {v}");
            assert!(!v["accepted"].as_array().unwrap().is_empty(), "{uri}: {v}");
            assert!(!v["message"].as_str().unwrap().is_empty(), "{uri}: {v}");
        }
        // A parameter the route does not take.
        let uri = format!("{}?colour=blue", r.path);
        let (status, v) = get_json(&s, &uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(v["parameter"], "colour");
        let names: Vec<&str> = r.params.iter().map(|p| p.name).collect();
        assert_eq!(v["accepted"], json!(names), "{uri}");
    }
    let (_, v) = get_json(&s, "/api/countries?ai=nonesuch").await;
    let builtin: Vec<&str> = talentchain::profile::BUILTIN
        .iter()
        .map(|(n, _)| *n)
        .collect();
    assert_eq!(v["accepted"], json!(builtin));
    assert_eq!(
        v["message"],
        "unknown AI profile `nonesuch`: this server has concepts, topics, venues, any, all"
    );
    // from after to names `from`; a missing query names `q`; a repeated
    // parameter names itself.
    let (status, v) = get_json(&s, "/api/countries?from=2022&to=2017").await;
    assert_eq!(
        (status, v["parameter"].as_str()),
        (StatusCode::BAD_REQUEST, Some("from"))
    );
    let (status, v) = get_json(&s, "/api/sql").await;
    assert_eq!(
        (status, v["parameter"].as_str()),
        (StatusCode::BAD_REQUEST, Some("q"))
    );
    let (status, v) = get_json(&s, "/api/countries?by=year&by=total").await;
    assert_eq!(
        (status, v["parameter"].as_str()),
        (StatusCode::BAD_REQUEST, Some("by"))
    );
    // An empty value is absent (a form's empty field).
    let (status, _) = get_json(&s, "/api/countries?from=&to=").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn unknown_routes_answer_404_json() {
    let s = state().await;
    for uri in [
        "/api/nope",
        "/nope",
        "/api",
        "/assets/nope.js",
        "/api/countries/US",
    ] {
        let (status, v) = get_json(&s, uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(v["error"], "not_found", "{uri}");
        assert!(
            v["message"].as_str().unwrap().contains("/api/openapi.json"),
            "{uri}: {v}"
        );
    }
}

#[tokio::test]
async fn sql_is_read_only_capped_and_time_limited() {
    let s = state().await;
    let (status, v) = get_json(&s, "/api/sql?q=SELECT%20year%2C%20count(*)%20AS%20n%20FROM%20selection%20GROUP%20BY%20year%20ORDER%20BY%20year&ai=all").await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["rows"][0]["year"], 2010);
    for q in [
        "DROP%20TABLE%20works",
        "INSERT%20INTO%20works%20(id)%20VALUES%20('W9')",
        "CREATE%20VIEW%20v%20AS%20SELECT%201",
        "SELEC%20nonsense",
    ] {
        let (status, v) = get_json(&s, &format!("/api/sql?q={q}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{q}: {v}");
        assert_eq!(v["error"], "bad_query", "{q}: {v}");
    }
    let capped = s.clone().with_sql_limits(Duration::from_secs(10), 7);
    let (status, v) = get_json(&capped, "/api/sql?q=SELECT%20id%20FROM%20works").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["rows"].as_array().unwrap().len(), 7);
    assert_eq!(v["truncated"], true);
    assert!(
        v["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().contains("cap of 7"))
    );
    let slow = s.clone().with_sql_limits(Duration::from_millis(1), 10);
    let q = "SELECT%20count(*)%20FROM%20authorships%20a%2C%20authorships%20b%2C%20works%20c";
    let (status, v) = get_json(&slow, &format!("/api/sql?q={q}")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{v}");
    assert_eq!(v["error"], "query_timeout");
}

/// The definitions are the SQL files' headers, each once: the dashboard
/// and the report show these words, not a copy of them.
#[tokio::test]
async fn definitions_are_the_sql_headers() {
    let s = state().await;
    let (status, v) = get_json(&s, "/api/definitions").await;
    assert_eq!(status, StatusCode::OK);
    let defs = v.as_object().unwrap();
    assert_eq!(defs.len(), talentchain::sql::QUERIES.len());
    let rule = defs["authorship_shares"].as_str().unwrap();
    assert!(
        rule.contains("split equally among its authorships"),
        "{rule}"
    );
    assert!(
        defs["selection_ranks"]
            .as_str()
            .unwrap()
            .contains("highly cited")
    );
}

/// `/api/sensitivity` is the library's grid around the request's
/// reference definition.
#[tokio::test]
async fn sensitivity_is_the_library_grid() {
    let s = state().await;
    let ctx = talentchain_web::AppState::session(&s).unwrap();
    let mut opts = Settings::new(Profile::builtin("any").unwrap());
    opts.set_top(5.0).unwrap();
    let grid = talentchain::sensitivity::Grid::standard()
        .unwrap()
        .with_reference(&opts);
    let want = talentchain::sensitivity::run(&ctx, &opts, &grid, None)
        .await
        .unwrap();
    let (status, v) = get_json(&s, "/api/sensitivity?ai=any&top=5").await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_same(&v["rows"], &rows_json(&want));
    // 24 definitions per country, the reference one first.
    assert_eq!(v["rows"][0]["profile"], "any");
    assert_eq!(v["rows"][0]["top_percent"], 5.0);
    assert_eq!(v["rows"].as_array().unwrap().len() % 24, 0);
}

/// `/api/claims` is the library's verdicts on the shipped claims, with or
/// without the grid; a bad `grid` is a 400 naming it.
#[tokio::test]
async fn claims_are_the_library_verdicts() {
    let s = state().await;
    let ctx = talentchain_web::AppState::session(&s).unwrap();
    let opts = Settings::new(Profile::builtin("concepts").unwrap());
    let seed = talentchain::claims::Claims::seed();
    let want = talentchain::claims::run(&ctx, &opts, &seed, None)
        .await
        .unwrap();
    let (status, v) = get_json(&s, "/api/claims?grid=none").await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_same(&v["rows"], &rows_json(&want));
    let checks: usize = seed.claims.iter().map(|c| c.checks.len()).sum();
    assert_eq!(v["rows"].as_array().unwrap().len(), checks);
    assert!(v["rows"][0]["definitions"] == "", "no grid: {v}");
    let (status, v) = get_json(&s, "/api/claims?ai=any").await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let grid = v["rows"][0]["definitions"].as_str().unwrap();
    assert!(grid.ends_with("of 24 definitions"), "{v}");
    let (status, v) = get_json(&s, "/api/claims?grid=all").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(v["parameter"], "grid", "{v}");
    // Each claim's metric runs every replicate: the route answers at most
    // 2,000 (the CLI takes the library's limit).
    let (status, v) = get_json(&s, "/api/claims?ci=95&replicates=2001").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(v["parameter"], "replicates", "{v}");
}

/// `/api/project`: the shipped scenarios beside the baseline, the model's
/// refusals as 400s naming their parameter.
#[tokio::test]
async fn project_answers_scenarios_and_refuses_what_cannot_be_projected() {
    let s = state().await;
    let (status, v) = get_json(&s, "/api/project?until=2030").await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let rows = v["rows"].as_array().unwrap();
    for scenario in [
        "observed",
        "baseline",
        "us-halves-cn-inflow",
        "return-incentives",
        "india-entry-shock",
    ] {
        assert!(rows.iter().any(|r| r["scenario"] == scenario), "{scenario}");
    }
    assert!(
        rows.iter()
            .any(|r| r["scenario"] == "baseline" && r["year"] == 2030)
    );
    let (_, v) = get_json(&s, "/api/project?scenarios=none&view=orgs&limit=3").await;
    let rows = v["rows"].as_array().unwrap();
    assert!(
        rows.iter()
            .all(|r| r["scenario"] == "observed" || r["scenario"] == "baseline"),
        "{v}"
    );
    assert!(
        rows.iter()
            .all(|r| r["hhi"].as_f64().is_some_and(|h| h > 0.0 && h <= 1.0)),
        "{v}"
    );
    // What the data decides is answered, with a note.
    let (status, v) = get_json(&s, "/api/project?until=2100&scenarios=none").await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert!(
        v["notes"].to_string().contains("at most (30 years past"),
        "{v}"
    );
    let (status, v) = get_json(&s, "/api/project?view=backtest&fit_to=2023&horizon=2").await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert!(v["notes"].to_string().contains("fit_to 2023"), "{v}");
    // What the request's form decides is refused, naming the parameter.
    for (uri, parameter) in [
        ("/api/project?censor=11", "censor"),
        ("/api/project?horizon=31", "horizon"),
        ("/api/project?window=0", "window"),
        ("/api/project?ci=90&replicates=101", "replicates"),
    ] {
        let (status, v) = get_json(&s, uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {v}");
        assert_eq!(v["parameter"], parameter, "{uri}: {v}");
    }
}

#[tokio::test]
async fn openapi_lists_every_route() {
    let s = state().await;
    let (_, v) = get_json(&s, "/api/openapi.json").await;
    assert_eq!(v["openapi"], "3.1.0");
    let listed: Vec<&String> = v["paths"].as_object().unwrap().keys().collect();
    let mut want: Vec<&str> = PATHS.to_vec();
    want.push("/api/talent/author/{author}");
    want.sort();
    assert_eq!(listed, want);
    for r in ROUTES {
        let params: Vec<&str> = v["paths"][r.path]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        let names: Vec<&str> = r.params.iter().map(|p| p.name).collect();
        assert_eq!(params, names, "{}", r.path);
    }
    let sector = v["paths"]["/api/institutions"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "type")
        .unwrap();
    assert_eq!(sector["schema"]["enum"][1], "company");
    let venue = v["paths"]["/api/countries"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "venue")
        .unwrap();
    assert_eq!(venue["schema"]["maxLength"], 200);
    let by_id = &v["paths"]["/api/talent/author/{author}"]["get"];
    assert_eq!(by_id["parameters"][0]["name"], "author");
    assert_eq!(by_id["parameters"][0]["in"], "path");
    assert_eq!(by_id["operationId"], "talent_author_by_author");
    let conversion = &v["paths"]["/api/talent/conversion"]["get"]["parameters"][0];
    assert_eq!(
        (
            conversion["name"].as_str(),
            conversion["required"].as_bool()
        ),
        (Some("origin"), Some(true))
    );
}

/// Two requests with different profiles at once each get their own
/// selection views: the answers equal those made one at a time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_with_different_profiles() {
    let s = state().await;
    let a = "/api/countries?ai=concepts&by=total";
    let b = "/api/countries?ai=venues&by=total";
    let c = "/api/sql?ai=all&q=SELECT%20count(*)%20AS%20n%20FROM%20selection";
    let alone_a = get_json(&s, a).await.1;
    let alone_b = get_json(&s, b).await.1;
    let alone_c = get_json(&s, c).await.1;
    assert_ne!(
        alone_a["rows"], alone_b["rows"],
        "the two profiles select different works"
    );
    for _ in 0..4 {
        let (x, y, z) = tokio::join!(
            tokio::spawn({
                let s = s.clone();
                async move { get_json(&s, a).await.1 }
            }),
            tokio::spawn({
                let s = s.clone();
                async move { get_json(&s, b).await.1 }
            }),
            tokio::spawn({
                let s = s.clone();
                async move { get_json(&s, c).await.1 }
            }),
        );
        assert_same(&x.unwrap(), &alone_a);
        assert_same(&y.unwrap(), &alone_b);
        assert_same(&z.unwrap(), &alone_c);
    }
}

#[tokio::test]
async fn dashboard_and_assets_are_embedded() {
    let s = state().await;
    let (status, ct, body) = get(&s, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with("text/html"), "{ct}");
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains("id=\"tc-config\"") && html.contains("\"mode\":\"dashboard\""));
    assert!(html.contains("<script src=\"assets/echarts.min.js\">"));
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "nothing fetched from elsewhere"
    );
    for (name, ct_want, needle) in [
        ("echarts.min.js", "text/javascript", "echarts"),
        ("charts.js", "text/javascript", "TalentCharts"),
        ("app.js", "text/javascript", "tc-config"),
        ("style.css", "text/css", "--accent"),
        ("world.json", "application/json", "FeatureCollection"),
    ] {
        let (status, ct, body) = get(&s, &format!("/assets/{name}")).await;
        assert_eq!(status, StatusCode::OK, "{name}");
        assert!(ct.starts_with(ct_want), "{name}: {ct}");
        assert!(String::from_utf8_lossy(&body).contains(needle), "{name}");
    }
    let (_, world) = get_json(&s, "/assets/world.json").await;
    let codes: Vec<&str> = world["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["name"].as_str().unwrap())
        .collect();
    for c in ["US", "CN", "GB", "DE", "FR", "IN", "JP", "KR", "CA", "BR"] {
        assert!(codes.contains(&c), "{c} on the map");
    }
    let _: Value = world;
}

/// Whatever a user can put in a query string answers 400 naming the
/// parameter, never 500: each value below, on every route that takes the
/// parameter (`top=5e-324`, positive but below one basis point, was a 500
/// on every route: a share of 0 the library then refused as internal).
#[tokio::test]
async fn user_input_is_never_a_server_error() {
    let s = state().await;
    let author = some_author(&s).await;
    let cases: &[(&str, &str)] = &[
        ("top", "5e-324"),
        ("top", "1e400"),
        ("top", "-1e400"),
        ("top", "nan"),
        ("top", "NaN"),
        ("top", "inf"),
        ("top", "-0"),
        ("top", "0.009"),
        ("top", "100.0001"),
        ("top", "%EF%BC%91%EF%BC%90"), // full-width 10
        ("top", "10%25"),
        ("from", "99999"),
        ("from", "999"),
        ("from", "-2017"),
        ("from", "2017.0"),
        ("from", "99999999999999999999999"),
        ("from", "%D9%A2%D9%A0%D9%A1%D9%A7"), // 2017 in Arabic-Indic digits
        ("to", "3001"),
        ("min_works", "0"),
        ("min_works", "-1"),
        ("min_works", "4294967296"),
        ("min_works", "99999999999999999999999"),
        ("limit", "0"),
        ("limit", "10001"),
        ("limit", "4294967295"),
        ("limit", "99999999999999999999999"),
        ("ai", "%F0%9F%A6%80"),
        ("ai", "..%2F..%2Fetc%2Fpasswd"),
        ("ai", "%2Fetc%2Fpasswd"),
        ("by", "TOTAL"),
        ("rollup", "1"),
        ("type", "%00"),
        ("sort", "h-index%00"),
        ("careers_from", "orcid"),
        ("origin", "%C3%A9%C3%A9"), // two letters, four bytes
        ("origin", "CHN"),
        ("author", "A%D9%A1"), // an Arabic-Indic digit
        ("author", "A"),
        ("format", "xml"),
        ("cohort", "%E2%80%8Btrue"), // zero-width space
        ("shares", "TRUE"),
    ];
    for r in ROUTES {
        for &(name, value) in cases {
            let Some(p) = r.params.iter().find(|p| p.name == name) else {
                continue;
            };
            let mut uri = format!("{}?{name}={value}", r.path);
            if !p.required {
                uri.push_str(&required(r.path, &author));
            }
            let (status, v) = get_json(&s, &uri).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {v}");
            assert_eq!(
                (v["error"].as_str(), v["parameter"].as_str()),
                (Some("bad_parameter"), Some(name)),
                "{uri}: {v}"
            );
            assert!(!v["accepted"].as_array().unwrap().is_empty(), "{uri}: {v}");
        }
    }
    // The message quotes the value as given, briefly.
    let (_, v) = get_json(&s, "/api/countries?top=5e-324").await;
    assert!(
        v["message"].as_str().unwrap().contains("`5e-324`")
            && v["message"].as_str().unwrap().contains("from 0.01 to 100"),
        "{v}"
    );
    // The cap is the server's, and its 400 says so.
    let (_, v) = get_json(&s, "/api/institutions?limit=10001").await;
    assert_eq!(v["accepted"], json!(["an integer from 1 to 10000"]));
    // `sort` takes each ranking's own words.
    let (_, v) = get_json(&s, "/api/talent/top?sort=papers").await;
    assert_eq!(
        (v["parameter"].as_str(), &v["accepted"]),
        (Some("sort"), &json!(["citations", "h-index"]))
    );
}

/// Across parameters, repeated, unknown, missing or empty: 400 naming the
/// parameter; an optional parameter's empty value is the same as none.
#[tokio::test]
async fn odd_query_strings_answer_400_naming_the_parameter() {
    let s = state().await;
    for (uri, name) in [
        ("/api/countries?from=2022&to=2017", "from"),
        ("/api/countries?to=2017&from=2022", "from"),
        ("/api/talent/flows?from=3000&to=1000", "from"),
        ("/api/countries?top=10&top=10", "top"),
        ("/api/countries?from=&from=", "from"),
        ("/api/countries?colour=red", "colour"),
        ("/api/countries?%F0%9F%A6%80=1", "🦀"),
        ("/api/manifest?x=", "x"),
        ("/api/openapi.json?format=json", "format"),
        ("/api/talent/conversion?origin=", "origin"),
        ("/api/talent/author?author=", "author"),
        ("/api/sql?q=", "q"),
        ("/api/sql?q=%20%0A%09", "q"),
        ("/api/talent/author/%FF", "author"),
        ("/api/talent/author/A1%00", "author"),
        ("/api/talent/author/A1?author=A1", "author"),
    ] {
        let (status, v) = get_json(&s, uri).await;
        assert_eq!(
            (status, v["error"].as_str(), v["parameter"].as_str()),
            (StatusCode::BAD_REQUEST, Some("bad_parameter"), Some(name)),
            "{uri}: {v}"
        );
    }
    for uri in [
        "/api/countries?from=&to=&top=&ai=&by=&format=",
        "/api/countries?from=3000&to=3000",
        "/api/countries?from=1000&to=1000&top=0.01",
        "/api/countries?top=100",
        "/api/institutions?limit=10000",
        "/api/talent/orgs?min_works=4294967295&limit=1",
        "/api/talent/conversion?origin=cn",
        "/api/talent/author/https:%2F%2Fopenalex.org%2FA1",
    ] {
        let (status, v) = get_json(&s, uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {v}");
    }
}

/// The OpenAPI document states each parameter's constraints as JSON Schema
/// (types, bounds, lengths, patterns, enums) with typed defaults, the
/// constraint across `from` and `to` in words, and every status each
/// route can answer.
#[tokio::test]
async fn openapi_states_constraints_and_typed_defaults() {
    let s = state().await;
    let (_, doc) = get_json(&s, "/api/openapi.json").await;
    let param = |path: &str, name: &str| -> Value {
        doc["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{path} has no {name}"))
            .clone()
    };
    let schema = |path: &str, name: &str| param(path, name)["schema"].clone();
    assert_eq!(
        schema("/api/countries", "top"),
        json!({"type": "number", "minimum": 0.01, "maximum": 100, "default": 10})
    );
    assert_eq!(
        schema("/api/countries", "from"),
        json!({"type": "integer", "minimum": 1000, "maximum": 3000})
    );
    assert_eq!(
        schema("/api/institutions", "limit"),
        json!({"type": "integer", "minimum": 1, "maximum": 10_000, "default": 50})
    );
    assert_eq!(
        schema("/api/talent/flows", "min_works"),
        json!({"type": "integer", "minimum": 1, "maximum": u32::MAX, "default": 1})
    );
    assert_eq!(
        schema("/api/institutions", "rollup"),
        json!({"type": "boolean", "default": false})
    );
    assert_eq!(
        schema("/api/institutions", "sort")["enum"],
        json!(["papers", "fractional", "citations", "highly-cited"])
    );
    assert_eq!(
        schema("/api/talent/top", "sort")["enum"],
        json!(["citations", "h-index"])
    );
    assert_eq!(
        schema("/api/institutions", "type")["enum"],
        json!(talentchain::model::sector::SECTORS)
    );
    assert_eq!(
        schema("/api/countries", "ai"),
        json!({"type": "string", "enum": ["concepts", "topics", "venues", "any", "all"], "default": "concepts"})
    );
    let origin = schema("/api/talent/conversion", "origin");
    assert_eq!(
        (
            &origin["minLength"],
            &origin["maxLength"],
            &origin["pattern"]
        ),
        (&json!(2), &json!(2), &json!("^[A-Za-z]{2}$"))
    );
    assert_eq!(schema("/api/sql", "q")["minLength"], 1);
    for name in ["from", "to"] {
        let d = param("/api/countries", name)["description"].to_string();
        assert!(d.contains("`from` must be at most `to`"), "{name}: {d}");
    }
    // Every default is of its schema's type and within its bounds; an
    // optional parameter may be empty, a required one not.
    for (path, item) in doc["paths"].as_object().unwrap() {
        for p in item["get"]["parameters"].as_array().unwrap() {
            let (name, s) = (&p["name"], &p["schema"]);
            let required = p["required"] == true;
            assert_eq!(
                p.get("allowEmptyValue").is_some(),
                !required,
                "{path} {name}"
            );
            let Some(d) = s.get("default") else { continue };
            let typed = match s["type"].as_str().unwrap() {
                "integer" => d.is_i64(),
                "number" => d.is_number(),
                "boolean" => d.is_boolean(),
                "string" => d.is_string(),
                other => panic!("{path} {name}: type {other}"),
            };
            assert!(typed, "{path} {name}: default {d} in {s}");
            if let Some(e) = s["enum"].as_array() {
                assert!(e.contains(d), "{path} {name}");
            }
            if let (Some(x), Some(lo), Some(hi)) =
                (d.as_f64(), s["minimum"].as_f64(), s["maximum"].as_f64())
            {
                assert!(lo <= x && x <= hi, "{path} {name}");
            }
        }
        // The statuses: 200, 400 and 500 everywhere; 404 where a path
        // segment can miss; 503 where a time limit stops a query.
        let mut codes: Vec<&String> = item["get"]["responses"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        codes.sort();
        let want: &[&str] = match path.as_str() {
            "/api/sql" => &["200", "400", "500", "503"],
            "/api/talent/author/{author}" => &["200", "400", "404", "500"],
            _ => &["200", "400", "500"],
        };
        assert_eq!(codes, want, "{path}");
    }
    let segment = &doc["paths"]["/api/talent/author/{author}"]["get"]["parameters"][0];
    assert_eq!(
        (&segment["in"], &segment["required"]),
        (&json!("path"), &json!(true))
    );
}

/// `ci`, `replicates`, `seed`: the library's intervals, as the CLI's; a bad
/// level and a metric without intervals answer 400 naming `ci`.
#[tokio::test]
async fn intervals_are_the_library_intervals() {
    let s = state().await;
    let ctx = talentchain_web::AppState::session(&s).unwrap();
    let mut opts = Settings::new(Profile::builtin("concepts").unwrap());
    opts.set_ci(Some(90.0)).unwrap();
    opts.set_replicates(50).unwrap();
    opts.set_seed(3);
    let want =
        talentchain::metrics::run(&ctx, talentchain::metrics::Metric::TalentCountries, &opts)
            .await
            .unwrap();
    let (status, v) = get_json(&s, "/api/talent/countries?ci=90&replicates=50&seed=3").await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let columns: Vec<&str> = v["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().or_else(|| c["name"].as_str()).unwrap())
        .collect();
    assert!(
        columns.contains(&"retention_lo") && columns.contains(&"retention_hi"),
        "{columns:?}"
    );
    assert_same(&v["rows"], &rows_json(&want));
    for bad in [
        "/api/countries?ci=100",
        "/api/talent/author?author=A1&ci=95",
    ] {
        let (status, v) = get_json(&s, bad).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {v}");
        assert!(v.to_string().contains("ci"), "{bad}: {v}");
    }
}
