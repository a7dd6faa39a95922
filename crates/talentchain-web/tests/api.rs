//! Every API route through the router without a socket: answers, bad
//! parameters (each answers 400 naming it, with the accepted values), 404s,
//! the SQL locks, time limit and row cap, the OpenAPI document, and
//! concurrent requests with different profiles.

mod common;

use std::time::Duration;

use axum::http::StatusCode;
use common::{assert_same, get, get_json, rows_json, state};
use serde_json::{Value, json};
use talentchain::metrics::countries::{self, By};
use talentchain::metrics::{Options, collab, institutions, sectors};
use talentchain::profile::Profile;
use talentchain_web::spec::{Kind, ROUTES};

/// The routes, spelled out: a route added to the router but not to the
/// table (or the reverse) fails here and in `openapi_lists_every_route`.
const PATHS: [&str; 9] = [
    "/api/countries",
    "/api/institutions",
    "/api/sectors",
    "/api/collab",
    "/api/sql",
    "/api/tables",
    "/api/selection",
    "/api/manifest",
    "/api/openapi.json",
];

#[tokio::test]
async fn every_route_answers() {
    let s = state().await;
    let paths: Vec<&str> = ROUTES.iter().map(|r| r.path).collect();
    assert_eq!(paths, PATHS);
    for r in ROUTES {
        let uri = if r.path == "/api/sql" { "/api/sql?q=SELECT%201%20AS%20one".to_string() } else { r.path.to_string() };
        let (status, v) = get_json(&s, &uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {v}");
        if r.rows {
            assert!(v["columns"].is_array() && v["rows"].is_array() && v["notes"].is_array(), "{uri}: {v}");
        }
    }
}

/// The API's rows are the library's rows, with the CLI's parameters.
#[tokio::test]
async fn answers_equal_the_metric_commands() {
    let s = state().await;
    let ctx = talentchain_web::AppState::session(&s).unwrap();
    let mut opts = Options::new(Profile::builtin("concepts").unwrap());
    opts.from = Some(2017);
    opts.to = Some(2022);
    opts.top = 0.01;
    let want = rows_json(&countries::run(&ctx, &opts, By::Total).await.unwrap());
    let (_, v) = get_json(&s, "/api/countries?ai=concepts&from=2017&to=2022&by=total&top=1").await;
    assert_same(&v["rows"], &want);
    assert!(v["rows"].as_array().unwrap().len() > 3);
    assert!(v["notes"][0].as_str().unwrap().starts_with("profile concepts v1"));

    let opts = Options::new(Profile::builtin("any").unwrap());
    let inst = institutions::InstitutionOptions { rollup: true, sector: Some("company".into()), limit: Some(20), ..Default::default() };
    let want = rows_json(&institutions::run(&ctx, &opts, &inst).await.unwrap());
    let (_, v) = get_json(&s, "/api/institutions?ai=any&rollup=true&type=company&limit=20").await;
    assert_same(&v["rows"], &want);
    let inst = institutions::InstitutionOptions { limit: Some(5), sort: institutions::Sort::Citations, ..Default::default() };
    let want = rows_json(&institutions::run(&ctx, &opts, &inst).await.unwrap());
    let (_, v) = get_json(&s, "/api/institutions?ai=any&sort=citations&limit=5").await;
    assert_same(&v["rows"], &want);
    assert_eq!(v["rows"].as_array().unwrap().len(), 5);

    let want = rows_json(&sectors::run(&ctx, &opts).await.unwrap());
    assert_same(&get_json(&s, "/api/sectors?ai=any").await.1["rows"], &want);
    let want = rows_json(&collab::pairs(&ctx, &opts).await.unwrap());
    assert_same(&get_json(&s, "/api/collab?ai=any").await.1["rows"], &want);
    let want = rows_json(&collab::shares(&ctx, &opts).await.unwrap());
    assert_same(&get_json(&s, "/api/collab?ai=any&shares=true").await.1["rows"], &want);

    let (_, v) = get_json(&s, "/api/tables").await;
    assert_eq!(v["rows"][0]["table"], "works");
    let (_, v) = get_json(&s, "/api/manifest").await;
    assert_eq!(v["format"], "talentchain-dataset");
    assert_eq!(v["records"]["works"], json!(s.dataset().manifest.records.works));
    let (_, v) = get_json(&s, "/api/selection?ai=concepts&from=2017&to=2022").await;
    assert_eq!(v["profile"], "concepts v1");
    assert_eq!(v["range"], "2017–2022");
    assert!(v["selected"].as_u64().unwrap() > 0);
}

#[tokio::test]
async fn csv_format() {
    let s = state().await;
    let (status, ct, body) = get(&s, "/api/countries?by=total&format=csv").await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with("text/csv"), "{ct}");
    let text = String::from_utf8(body).unwrap();
    assert!(text.starts_with("country,year_from,year_to,papers_full,"), "{text}");
}

/// Each parameter of each route, given a value it does not accept, answers
/// 400 `bad_parameter` naming it with the accepted values.
#[tokio::test]
async fn bad_parameters_answer_400_naming_them() {
    let s = state().await;
    for r in ROUTES {
        for p in r.params {
            let bad = match p.kind {
                Kind::Profile => "nonesuch",
                Kind::Year => "20x7",
                Kind::Percent => "0",
                Kind::OneOf(_) => "sideways",
                Kind::Bool => "yes",
                Kind::Limit => "0",
                Kind::Sql => "%20%20",
            };
            let mut uri = format!("{}?{}={bad}", r.path, p.name);
            if r.path == "/api/sql" && p.name != "q" {
                uri.push_str("&q=SELECT%201");
            }
            let (status, v) = get_json(&s, &uri).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {v}");
            assert_eq!(v["error"], "bad_parameter", "{uri}: {v}");
            assert_eq!(v["parameter"], p.name, "{uri}: {v}");
            assert!(!v["accepted"].as_array().unwrap().is_empty(), "{uri}: {v}");
            assert!(v["message"].as_str().unwrap().contains(p.name), "{uri}: {v}");
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
    let builtin: Vec<&str> = talentchain::profile::BUILTIN.iter().map(|(n, _)| *n).collect();
    assert_eq!(v["accepted"], json!(builtin));
    assert_eq!(v["message"], "bad AI profile `nonesuch` for parameter `ai`");
    // from after to names `from`; a missing query names `q`; a repeated
    // parameter names itself.
    let (status, v) = get_json(&s, "/api/countries?from=2022&to=2017").await;
    assert_eq!((status, v["parameter"].as_str()), (StatusCode::BAD_REQUEST, Some("from")));
    let (status, v) = get_json(&s, "/api/sql").await;
    assert_eq!((status, v["parameter"].as_str()), (StatusCode::BAD_REQUEST, Some("q")));
    let (status, v) = get_json(&s, "/api/countries?by=year&by=total").await;
    assert_eq!((status, v["parameter"].as_str()), (StatusCode::BAD_REQUEST, Some("by")));
    // An empty value is absent (a form's empty field).
    let (status, _) = get_json(&s, "/api/countries?from=&to=").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn unknown_routes_answer_404_json() {
    let s = state().await;
    for uri in ["/api/nope", "/nope", "/api", "/assets/nope.js", "/api/countries/US"] {
        let (status, v) = get_json(&s, uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(v["error"], "not_found", "{uri}");
        assert!(v["message"].as_str().unwrap().contains("/api/openapi.json"), "{uri}: {v}");
    }
}

#[tokio::test]
async fn sql_is_read_only_capped_and_time_limited() {
    let s = state().await;
    let (status, v) = get_json(&s, "/api/sql?q=SELECT%20year%2C%20count(*)%20AS%20n%20FROM%20selection%20GROUP%20BY%20year%20ORDER%20BY%20year&ai=all").await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["rows"][0]["year"], 2010);
    for q in ["DROP%20TABLE%20works", "INSERT%20INTO%20works%20(id)%20VALUES%20('W9')", "CREATE%20VIEW%20v%20AS%20SELECT%201", "SELEC%20nonsense"] {
        let (status, v) = get_json(&s, &format!("/api/sql?q={q}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{q}: {v}");
        assert_eq!(v["error"], "bad_query", "{q}: {v}");
    }
    let capped = s.clone().with_sql_limits(Duration::from_secs(10), 7);
    let (status, v) = get_json(&capped, "/api/sql?q=SELECT%20id%20FROM%20works").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["rows"].as_array().unwrap().len(), 7);
    assert_eq!(v["truncated"], true);
    assert!(v["notes"].as_array().unwrap().iter().any(|n| n.as_str().unwrap().contains("cap of 7")));
    let slow = s.clone().with_sql_limits(Duration::from_millis(1), 10);
    let q = "SELECT%20count(*)%20FROM%20authorships%20a%2C%20authorships%20b%2C%20works%20c";
    let (status, v) = get_json(&slow, &format!("/api/sql?q={q}")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{v}");
    assert_eq!(v["error"], "query_timeout");
}

#[tokio::test]
async fn openapi_lists_every_route() {
    let s = state().await;
    let (_, v) = get_json(&s, "/api/openapi.json").await;
    assert_eq!(v["openapi"], "3.1.0");
    let listed: Vec<&String> = v["paths"].as_object().unwrap().keys().collect();
    let mut want: Vec<&str> = PATHS.to_vec();
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
    assert_eq!(v["paths"]["/api/institutions"]["get"]["parameters"][5]["schema"]["enum"][1], "company");
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
    assert_ne!(alone_a["rows"], alone_b["rows"], "the two profiles select different works");
    for _ in 0..4 {
        let (x, y, z) = tokio::join!(
            tokio::spawn({ let s = s.clone(); async move { get_json(&s, a).await.1 } }),
            tokio::spawn({ let s = s.clone(); async move { get_json(&s, b).await.1 } }),
            tokio::spawn({ let s = s.clone(); async move { get_json(&s, c).await.1 } }),
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
    assert!(!html.contains("http://") && !html.contains("https://"), "nothing fetched from elsewhere");
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
    let codes: Vec<&str> = world["features"].as_array().unwrap().iter().map(|f| f["properties"]["name"].as_str().unwrap()).collect();
    for c in ["US", "CN", "GB", "DE", "FR", "IN", "JP", "KR", "CA", "BR"] {
        assert!(codes.contains(&c), "{c} on the map");
    }
    let _: Value = world;
}
