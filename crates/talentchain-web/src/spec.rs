//! The API's routes and their parameters, in one table: the parameter
//! checks, the 400 answers' accepted values and the OpenAPI document at
//! `/api/openapi.json` all read it, so they cannot drift apart.

use serde_json::{Value, json};
use talentchain::model::sector::SECTORS;

/// The values a parameter accepts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// An AI profile name (the built-in profiles, and any the server loaded).
    Profile,
    /// A publication year.
    Year,
    /// A percentage in (0, 100].
    Percent,
    /// One of these words.
    OneOf(&'static [&'static str]),
    /// `true` or `false`.
    Bool,
    /// A row count from 1 to [`MAX_LIMIT`].
    Limit,
    /// A read-only SQL query.
    Sql,
    /// A whole number from 1 up (`min_works`).
    Count,
    /// A two-letter ISO 3166-1 country code, either case.
    Country,
    /// An OpenAlex author id: `A123` or `https://openalex.org/A123`.
    Author,
}

/// The largest `limit`.
pub const MAX_LIMIT: usize = 10_000;

/// A query parameter of a route.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    /// Its name in the query string (the CLI's flag without `--`).
    pub name: &'static str,
    /// What it does.
    pub doc: &'static str,
    /// What it accepts.
    pub kind: Kind,
    /// Its default, as text.
    pub default: Option<&'static str>,
    /// Whether it must be given.
    pub required: bool,
}

const fn p(
    name: &'static str,
    doc: &'static str,
    kind: Kind,
    default: Option<&'static str>,
) -> Param {
    Param {
        name,
        doc,
        kind,
        default,
        required: false,
    }
}

const AI: Param = p(
    "ai",
    "AI selection profile",
    Kind::Profile,
    Some("concepts"),
);
const FROM: Param = p(
    "from",
    "first publication year, inclusive",
    Kind::Year,
    None,
);
const TO: Param = p("to", "last publication year, inclusive", Kind::Year, None);
const TOP: Param = p(
    "top",
    "highly cited = the top PERCENT of each year's selected works by citations",
    Kind::Percent,
    Some("10"),
);
const FORMAT: Param = p(
    "format",
    "json (an object with columns, rows and notes) or csv",
    Kind::OneOf(&["json", "csv"]),
    Some("json"),
);
const MIN_WORKS: Param = p(
    "min_works",
    "researchers in scope have at least K works in the AI profile within the years (the CLI's --min-works)",
    Kind::Count,
    Some("1"),
);
const CAREERS_FROM: Param = p(
    "careers_from",
    "careers from the countries of the authors' authorships, or from author entities' affiliations[].years (the CLI's --careers-from, alias of --origin)",
    Kind::OneOf(&["authorships", "affiliations"]),
    Some("authorships"),
);

/// A route of the API.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    /// The path.
    pub path: &'static str,
    /// The CLI command it mirrors, if any.
    pub command: Option<&'static str>,
    /// One line on what it answers.
    pub summary: &'static str,
    /// Its parameters; any other is a bad parameter.
    pub params: &'static [Param],
    /// Whether it answers rows (columns, rows, notes).
    pub rows: bool,
    /// A required parameter that may also be given as one more path
    /// segment: `/api/talent/author/A123` is `/api/talent/author?author=A123`.
    pub segment: Option<&'static str>,
}

/// Every route of the API.
pub const ROUTES: &[Route] = &[
    Route {
        path: "/api/countries",
        command: Some("countries"),
        summary: "AI papers (full and fractional), citations and highly cited papers by country and year, with world shares; by=total gives one row per country with CAGR",
        params: &[
            AI,
            FROM,
            TO,
            TOP,
            p(
                "by",
                "one row per country and year, or per country over the range",
                Kind::OneOf(&["year", "total"]),
                Some("year"),
            ),
            FORMAT,
        ],
        rows: true,
        segment: None,
    },
    Route {
        path: "/api/institutions",
        command: Some("institutions"),
        summary: "Institution and company ranking, with rollup under lineage roots and lab countries",
        params: &[
            AI,
            FROM,
            TO,
            TOP,
            p(
                "rollup",
                "count institutes under their lineage root",
                Kind::Bool,
                Some("false"),
            ),
            p("type", "keep one sector", Kind::OneOf(&SECTORS), None),
            p(
                "sort",
                "rank by this column",
                Kind::OneOf(&["papers", "fractional", "citations", "highly-cited"]),
                Some("papers"),
            ),
            p("limit", "the first N rows", Kind::Limit, Some("50")),
            FORMAT,
        ],
        rows: true,
        segment: None,
    },
    Route {
        path: "/api/sectors",
        command: Some("sectors"),
        summary: "AI output (full and fractional) by sector and country",
        params: &[AI, FROM, TO, TOP, FORMAT],
        rows: true,
        segment: None,
    },
    Route {
        path: "/api/collab",
        command: Some("collab"),
        summary: "Country co-authorship pairs (country_a < country_b), or with shares=true each country's international collaboration share",
        params: &[
            AI,
            FROM,
            TO,
            TOP,
            p(
                "shares",
                "international collaboration shares instead of pairs",
                Kind::Bool,
                Some("false"),
            ),
            FORMAT,
        ],
        rows: true,
        segment: None,
    },
    Route {
        path: "/api/sql",
        command: Some("sql"),
        summary: "A read-only SQL query (SELECT, WITH, EXPLAIN, SHOW, DESCRIBE) over the tables and the profile's selection views; time-limited, rows capped",
        params: &[
            Param {
                name: "q",
                doc: "the query",
                kind: Kind::Sql,
                default: None,
                required: true,
            },
            AI,
            FROM,
            TO,
            TOP,
            FORMAT,
        ],
        rows: true,
        segment: None,
    },
    Route {
        path: "/api/tables",
        command: Some("tables"),
        summary: "The dataset's tables and columns",
        params: &[FORMAT],
        rows: true,
        segment: None,
    },
    Route {
        path: "/api/selection",
        command: None,
        summary: "How many works the profile selects, leaves unknown and rejects in the year range",
        params: &[AI, FROM, TO],
        rows: false,
        segment: None,
    },
    Route {
        path: "/api/manifest",
        command: None,
        summary: "The dataset's manifest: inputs, record counts, rows per table, bad input skipped, snapshot date",
        params: &[],
        rows: false,
        segment: None,
    },
    Route {
        path: "/api/talent/flows",
        command: Some("talent flows"),
        summary: "Researchers by origin (main country of the first observed year) and current country (of the last), for those with at least 2 observed years; cohort=true splits by first observed year",
        params: &[
            AI,
            FROM,
            TO,
            TOP,
            MIN_WORKS,
            CAREERS_FROM,
            p(
                "cohort",
                "split by cohort: the first observed year",
                Kind::Bool,
                Some("false"),
            ),
            FORMAT,
        ],
        rows: true,
        segment: None,
    },
    Route {
        path: "/api/talent/countries",
        command: Some("talent countries"),
        summary: "Stayers, returnees, emigrants and immigrants by country, retention, net gain and the annual mobility rate",
        params: &[AI, FROM, TO, TOP, MIN_WORKS, CAREERS_FROM, FORMAT],
        rows: true,
        segment: None,
    },
    Route {
        path: "/api/talent/mismatch",
        command: Some("talent mismatch"),
        summary: "Per country: its share of researchers by origin (supply) against its share of fractional AI output and highly cited output by affiliation, and the same for the top researchers (top sets both the highly cited works and the top researchers)",
        params: &[AI, FROM, TO, TOP, MIN_WORKS, CAREERS_FROM, FORMAT],
        rows: true,
        segment: None,
    },
    Route {
        path: "/api/talent/conversion",
        command: Some("talent conversion"),
        summary: "Where the researchers of one origin produce their AI works and highly cited works, by country of affiliation on each work",
        params: &[
            Param {
                name: "origin",
                doc: "the origin country, an ISO code (e.g. CN)",
                kind: Kind::Country,
                default: None,
                required: true,
            },
            AI,
            FROM,
            TO,
            TOP,
            MIN_WORKS,
            CAREERS_FROM,
            FORMAT,
        ],
        rows: true,
        segment: None,
    },
    Route {
        path: "/api/talent/orgs",
        command: Some("talent orgs"),
        summary: "Each institution's (rollup=true: each parent's) researchers by origin, the top origin, the foreign share and the HHI of the mix",
        params: &[
            AI,
            FROM,
            TO,
            TOP,
            MIN_WORKS,
            CAREERS_FROM,
            p(
                "rollup",
                "count institutes under their lineage root (labs under their company)",
                Kind::Bool,
                Some("false"),
            ),
            p("limit", "the first N rows", Kind::Limit, Some("50")),
            FORMAT,
        ],
        rows: true,
        segment: None,
    },
    Route {
        path: "/api/talent/top",
        command: Some("talent top"),
        summary: "The top researchers by citations (or h-index) of their AI works in the dataset, with origin, current country and institution",
        params: &[
            AI,
            FROM,
            TO,
            TOP,
            MIN_WORKS,
            CAREERS_FROM,
            p(
                "sort",
                "rank by this column",
                Kind::OneOf(&["citations", "h-index"]),
                Some("citations"),
            ),
            p("limit", "the first N rows", Kind::Limit, Some("50")),
            FORMAT,
        ],
        rows: true,
        segment: None,
    },
    Route {
        path: "/api/talent/author",
        command: Some("talent author"),
        summary: "One researcher's career, year by year: main country, all countries, institutions, works and citations; origin, current country and class in the notes",
        params: &[
            Param {
                name: "author",
                doc: "the author id (A123 or https://openalex.org/A123); also as the last path segment, /api/talent/author/A123",
                kind: Kind::Author,
                default: None,
                required: true,
            },
            AI,
            FROM,
            TO,
            TOP,
            MIN_WORKS,
            CAREERS_FROM,
            FORMAT,
        ],
        rows: true,
        segment: Some("author"),
    },
    Route {
        path: "/api/openapi.json",
        command: None,
        summary: "This document",
        params: &[],
        rows: false,
        segment: None,
    },
];

/// The route at `path`.
pub fn route(path: &str) -> Option<&'static Route> {
    ROUTES.iter().find(|r| r.path == path)
}

/// The route of a request path, and the parameter given as its last
/// segment if any (`/api/talent/author/A123`: `author=A123`).
pub fn resolve(path: &str) -> Option<(&'static Route, Option<(&'static str, String)>)> {
    if let Some(r) = route(path) {
        return Some((r, None));
    }
    let (head, last) = path.rsplit_once('/')?;
    let r = route(head)?;
    let name = r.segment?;
    (!last.is_empty()).then(|| (r, Some((name, last.to_string()))))
}

/// The path of `r` with its segment parameter, as the router and the
/// OpenAPI document spell it (`/api/talent/author/{author}`).
pub fn segment_path(r: &Route) -> Option<String> {
    r.segment.map(|name| format!("{}/{{{name}}}", r.path))
}

impl Kind {
    /// The accepted values, as shown in a 400 answer.
    pub fn accepted(self, profiles: &[String]) -> Vec<String> {
        match self {
            Kind::Profile => profiles.to_vec(),
            Kind::Year => vec!["an integer year from 1000 to 3000, e.g. 2017".into()],
            Kind::Percent => vec!["a number in (0, 100], e.g. 10 or 1".into()],
            Kind::OneOf(v) => v.iter().map(|s| s.to_string()).collect(),
            Kind::Bool => vec!["true".into(), "false".into()],
            Kind::Limit => vec![format!("an integer from 1 to {MAX_LIMIT}")],
            Kind::Sql => vec![
                "a read-only query starting with SELECT, WITH, EXPLAIN, SHOW or DESCRIBE".into(),
            ],
            Kind::Count => vec![format!("an integer from 1 to {}, e.g. 3", u32::MAX)],
            Kind::Country => vec!["a two-letter ISO 3166-1 country code, e.g. CN or US".into()],
            Kind::Author => vec![
                "an OpenAlex author id, e.g. A5023888391 or https://openalex.org/A5023888391"
                    .into(),
            ],
        }
    }

    fn schema(self, profiles: &[String]) -> Value {
        match self {
            Kind::Profile => json!({"type": "string", "enum": profiles}),
            Kind::Year => json!({"type": "integer", "minimum": 1000, "maximum": 3000}),
            Kind::Percent => json!({"type": "number", "exclusiveMinimum": 0, "maximum": 100}),
            Kind::OneOf(v) => json!({"type": "string", "enum": v}),
            Kind::Bool => json!({"type": "boolean"}),
            Kind::Limit => json!({"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}),
            Kind::Sql => json!({"type": "string"}),
            Kind::Count => json!({"type": "integer", "minimum": 1, "maximum": u32::MAX}),
            Kind::Country => json!({"type": "string", "pattern": "^[A-Za-z]{2}$"}),
            Kind::Author => {
                json!({"type": "string", "pattern": "^(https://openalex\\.org/)?A[0-9]+$"})
            }
        }
    }
}

/// The OpenAPI 3.1 document of [`ROUTES`].
pub fn openapi(profiles: &[String]) -> Value {
    let error = json!({"$ref": "#/components/schemas/Error"});
    let mut paths = serde_json::Map::new();
    for r in ROUTES {
        let params: Vec<Value> = r
            .params
            .iter()
            .map(|p| {
                let mut schema = p.kind.schema(profiles);
                if let Some(d) = p.default {
                    schema["default"] = json!(d);
                }
                json!({"name": p.name, "in": "query", "required": p.required, "description": p.doc, "schema": schema})
            })
            .collect();
        let ok = if r.rows {
            json!({"description": "rows", "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Rows"}},
                "text/csv": {"schema": {"type": "string"}}}})
        } else {
            json!({"description": "a JSON object", "content": {"application/json": {"schema": {"type": "object"}}}})
        };
        let mut responses = json!({"200": ok});
        if !r.params.is_empty() {
            responses["400"] = json!({"description": "a bad parameter", "content": {"application/json": {"schema": error}}});
        }
        let mut desc = r.summary.to_string();
        if let Some(c) = r.command {
            desc.push_str(&format!(". Mirrors `talentchain {c}`."));
        }
        let op = r
            .path
            .trim_start_matches("/api/")
            .replace(".json", "")
            .replace('/', "_");
        if let Some(path) = segment_path(r) {
            // The same operation with its segment parameter in the path.
            let name = r.segment.unwrap_or_default();
            let in_path: Vec<Value> = params
                .iter()
                .map(|p| {
                    let mut p = p.clone();
                    if p["name"] == name {
                        p["in"] = json!("path");
                    }
                    p
                })
                .collect();
            paths.insert(
                path,
                json!({"get": {"summary": r.summary, "description": desc, "operationId": format!("{op}_by_{name}"),
                               "parameters": in_path, "responses": responses}}),
            );
        }
        paths.insert(
            r.path.to_string(),
            json!({"get": {"summary": r.summary, "description": desc, "operationId": op,
                           "parameters": params, "responses": responses}}),
        );
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "talentchain API", "version": env!("CARGO_PKG_VERSION"),
                 "description": "AI research activity metrics over a talentchain dataset (OpenAlex). Parameters mirror the CLI's flags."},
        "paths": paths,
        "components": {"schemas": {
            "Rows": {"type": "object", "required": ["columns", "rows", "notes"], "properties": {
                "columns": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}, "type": {"type": "string"}}}},
                "rows": {"type": "array", "items": {"type": "object"}},
                "notes": {"type": "array", "items": {"type": "string"}},
                "truncated": {"type": "boolean"}}},
            "Error": {"type": "object", "required": ["error", "message"], "properties": {
                "error": {"type": "string", "description": "snake_case code: bad_parameter, not_found, bad_query, query_timeout, internal"},
                "message": {"type": "string"},
                "parameter": {"type": "string"},
                "accepted": {"type": "array", "items": {"type": "string"}}}}
        }}
    })
}
