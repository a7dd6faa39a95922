//! The API's routes and their parameters, in one table: the parameter
//! checks, the 400 answers' accepted values and the OpenAPI document at
//! `/api/openapi.json` all read it, so they cannot drift apart.

use serde_json::{Value, json};
use talentchain::sector::SECTORS;

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

const fn p(name: &'static str, doc: &'static str, kind: Kind, default: Option<&'static str>) -> Param {
    Param { name, doc, kind, default, required: false }
}

const AI: Param = p("ai", "AI selection profile", Kind::Profile, Some("concepts"));
const FROM: Param = p("from", "first publication year, inclusive", Kind::Year, None);
const TO: Param = p("to", "last publication year, inclusive", Kind::Year, None);
const TOP: Param = p("top", "highly cited = the top PERCENT of each year's selected works by citations", Kind::Percent, Some("10"));
const FORMAT: Param = p("format", "json (an object with columns, rows and notes) or csv", Kind::OneOf(&["json", "csv"]), Some("json"));

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
}

/// Every route of the API.
pub const ROUTES: &[Route] = &[
    Route {
        path: "/api/countries",
        command: Some("countries"),
        summary: "AI papers (full and fractional), citations and highly cited papers by country and year, with world shares; by=total gives one row per country with CAGR",
        params: &[AI, FROM, TO, TOP, p("by", "one row per country and year, or per country over the range", Kind::OneOf(&["year", "total"]), Some("year")), FORMAT],
        rows: true,
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
            p("rollup", "count institutes under their lineage root", Kind::Bool, Some("false")),
            p("type", "keep one sector", Kind::OneOf(&SECTORS), None),
            p("sort", "rank by this column", Kind::OneOf(&["papers", "fractional", "citations", "highly-cited"]), Some("papers")),
            p("limit", "the first N rows", Kind::Limit, Some("50")),
            FORMAT,
        ],
        rows: true,
    },
    Route {
        path: "/api/sectors",
        command: Some("sectors"),
        summary: "AI output (full and fractional) by sector and country",
        params: &[AI, FROM, TO, TOP, FORMAT],
        rows: true,
    },
    Route {
        path: "/api/collab",
        command: Some("collab"),
        summary: "Country co-authorship pairs (country_a < country_b), or with shares=true each country's international collaboration share",
        params: &[AI, FROM, TO, TOP, p("shares", "international collaboration shares instead of pairs", Kind::Bool, Some("false")), FORMAT],
        rows: true,
    },
    Route {
        path: "/api/sql",
        command: Some("sql"),
        summary: "A read-only SQL query (SELECT, WITH, EXPLAIN, SHOW, DESCRIBE) over the tables and the profile's selection views; time-limited, rows capped",
        params: &[
            Param { name: "q", doc: "the query", kind: Kind::Sql, default: None, required: true },
            AI,
            FROM,
            TO,
            TOP,
            FORMAT,
        ],
        rows: true,
    },
    Route {
        path: "/api/tables",
        command: Some("tables"),
        summary: "The dataset's tables and columns",
        params: &[FORMAT],
        rows: true,
    },
    Route {
        path: "/api/selection",
        command: None,
        summary: "How many works the profile selects, leaves unknown and rejects in the year range",
        params: &[AI, FROM, TO],
        rows: false,
    },
    Route {
        path: "/api/manifest",
        command: None,
        summary: "The dataset's manifest: inputs, record counts, rows per table, bad input skipped, snapshot date",
        params: &[],
        rows: false,
    },
    Route { path: "/api/openapi.json", command: None, summary: "This document", params: &[], rows: false },
];

/// The route at `path`.
pub fn route(path: &str) -> Option<&'static Route> {
    ROUTES.iter().find(|r| r.path == path)
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
            Kind::Sql => vec!["a read-only query starting with SELECT, WITH, EXPLAIN, SHOW or DESCRIBE".into()],
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
        paths.insert(
            r.path.to_string(),
            json!({"get": {"summary": r.summary, "description": desc, "operationId": r.path.trim_start_matches("/api/").replace(".json", ""),
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
