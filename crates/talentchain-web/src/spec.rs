//! The API's routes and their parameters, in one table: the parameter
//! checks, the 400 answers' accepted values and the OpenAPI document at
//! `/api/openapi.json` all read it, so they cannot drift apart.
//!
//! The metric parameters are the library's ([`talentchain::settings`]): the
//! library checks their values ([`Settings`](talentchain::settings::Settings))
//! and says what each accepts ([`Accepts`]), from which their schemas here are
//! made. The API adds its own parameters (`format`, the SQL `q`), which
//! parameters a route takes and which it requires, and a cap where the
//! server answers less than the library accepts (`limit`: [`MAX_LIMIT`] rows).

use serde_json::{Value, json};
use talentchain::settings::{self, Accepts, MAX_VENUES_TEXT, MIN_TOP_PERCENT, YEARS};

/// What a query parameter is.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// A parameter of the library's settings: the library checks its values,
    /// and its [`Accepts`] makes its schema.
    Setting(settings::Param),
    /// One of these words (the API's own: `format`).
    OneOf(&'static [&'static str]),
    /// A read-only SQL query (the API's own: `q`).
    Sql,
    /// A parameter of a projection ([`talentchain::projection::PARAMS`]):
    /// the library checks its values.
    Projection(settings::Param),
}

/// The largest `limit` the API answers (the library takes any row count): a
/// server policy, stated as the parameter's `maximum`.
pub const MAX_LIMIT: u32 = 10_000;

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
    /// The largest value this route answers, where the server caps what the
    /// library accepts.
    pub max: Option<u32>,
}

/// A parameter of the library's settings, as the library describes it.
const fn setting(s: settings::Param) -> Param {
    Param {
        name: s.name,
        doc: s.doc,
        kind: Kind::Setting(s),
        default: s.default,
        required: false,
        max: None,
    }
}

impl Param {
    /// The same parameter, required.
    const fn required(self) -> Param {
        Param {
            required: true,
            ..self
        }
    }

    /// The same parameter, at most `max` on this route.
    const fn at_most(self, max: u32) -> Param {
        Param {
            max: Some(max),
            ..self
        }
    }

    /// The same parameter, described as `doc` on this route.
    const fn described(self, doc: &'static str) -> Param {
        Param { doc, ..self }
    }
}

const AI: Param = setting(settings::AI);
const SOURCE: Param = setting(settings::SOURCE);
const VENUE: Param = setting(settings::VENUE);
const ELITE: Param = setting(settings::ELITE);
const FROM: Param = setting(settings::FROM);
const TO: Param = setting(settings::TO);
const TOP: Param = setting(settings::TOP);
const MIN_WORKS: Param = setting(settings::MIN_WORKS);
const CAREERS_FROM: Param = setting(settings::CAREERS_FROM);
const BY: Param = setting(settings::BY);
const ROLLUP: Param = setting(settings::ROLLUP);
const SECTOR: Param = setting(settings::SECTOR);
const INSTITUTION_SORT: Param = setting(settings::INSTITUTION_SORT);
const RESEARCHER_SORT: Param = setting(settings::RESEARCHER_SORT);
const LIMIT: Param = setting(settings::LIMIT).at_most(MAX_LIMIT);
const SHARES: Param = setting(settings::SHARES);
const COHORT: Param = setting(settings::COHORT);
const ORIGIN: Param = setting(settings::ORIGIN).required();
const AUTHOR: Param = setting(settings::AUTHOR)
    .required()
    .described("the author id (A123 or https://openalex.org/A123); also as the last path segment, /api/talent/author/A123");
const CI: Param = setting(settings::CI);
/// The most bootstrap replicates the API answers (the library takes up to
/// [`settings::MAX_REPLICATES`]): a server policy.
pub const MAX_REPLICATES: u32 = 10_000;
const REPLICATES: Param = setting(settings::REPLICATES).at_most(MAX_REPLICATES);
/// The most replicates `/api/claims` answers: each claim's metric runs them
/// all (the CLI's `claims` takes up to the library's limit).
pub const MAX_CLAIMS_REPLICATES: u32 = 2_000;
/// The replicates `/api/claims` runs without `replicates`: each claim's
/// metric runs them all, then the grid's 24 definitions, in one answer
/// (the CLI's default stays 1,000).
const CLAIMS_REPLICATES: Param = Param {
    default: Some("500"),
    ..setting(settings::REPLICATES).at_most(MAX_CLAIMS_REPLICATES)
};
const SEED: Param = setting(settings::SEED);
const RESAMPLE: Param = setting(settings::RESAMPLE);
const FORMAT: Param = Param {
    name: "format",
    doc: "json (an object with columns, rows and notes) or csv",
    kind: Kind::OneOf(&["json", "csv"]),
    default: Some("json"),
    required: false,
    max: None,
};
/// A route's parameters: the AI profile and what narrows it (`ai`,
/// `source`, `venue`, `elite`), then the route's others; `selection![X;
/// …]` puts X first.
macro_rules! selection {
    ($first:expr; $($p:expr),* $(,)?) => {
        &[$first, AI, SOURCE, VENUE, ELITE, $($p),*]
    };
    ($($p:expr),* $(,)?) => {
        &[AI, SOURCE, VENUE, ELITE, $($p),*]
    };
}

/// The parameters of the talent routes without their own: the selection,
/// the scope, the career source and the intervals.
const TALENT: &[Param] = selection![
    FROM,
    TO,
    TOP,
    MIN_WORKS,
    CAREERS_FROM,
    CI,
    REPLICATES,
    SEED,
    FORMAT,
];
/// A parameter of a projection, as the library describes it.
const fn projection(s: settings::Param) -> Param {
    Param {
        name: s.name,
        doc: s.doc,
        kind: Kind::Projection(s),
        default: s.default,
        required: false,
        max: None,
    }
}
const UNTIL: Param = projection(talentchain::projection::UNTIL);
const CENSOR: Param = projection(talentchain::projection::CENSOR_PARAM)
    .at_most(talentchain::projection::MAX_CENSOR as u32);
const WINDOW: Param = projection(talentchain::projection::WINDOW_PARAM)
    .at_most(talentchain::projection::MAX_YEARS as u32);
const SCENARIOS: Param = projection(talentchain::projection::SCENARIOS_PARAM);
const VIEW: Param = projection(talentchain::projection::VIEW_PARAM);
const FIT_TO: Param = projection(talentchain::projection::FIT_TO_PARAM);
const HORIZON: Param = projection(talentchain::projection::HORIZON_PARAM)
    .at_most(talentchain::projection::MAX_YEARS as u32);
/// The most replicates `/api/project` answers: each refits and projects
/// every scenario (the CLI takes up to the library's limit).
pub const MAX_PROJECT_REPLICATES: u32 = 100;
/// `limit` on `/api/project`: the organisations (view=orgs) or countries
/// (view=backtest) shown, 10 without it.
const PROJECT_LIMIT: Param = Param {
    default: None,
    ..setting(settings::LIMIT).at_most(100)
};
const PROJECT_REPLICATES: Param = Param {
    default: Some("100"),
    ..setting(settings::REPLICATES).at_most(MAX_PROJECT_REPLICATES)
};
const GRID: Param = Param {
    name: "grid",
    doc: "standard: also check each claim under every definition of the standard sensitivity grid; none: only the request's",
    kind: Kind::OneOf(&["standard", "none"]),
    default: Some("standard"),
    required: false,
    max: None,
};
const SQL: Param = Param {
    name: "q",
    doc: "the query: read-only (SELECT, WITH, EXPLAIN, SHOW, DESCRIBE) over the tables and the profile's selection views; one that does not parse or plan answers 400 bad_query",
    kind: Kind::Sql,
    default: None,
    required: true,
    max: None,
};

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
        params: selection![FROM, TO, TOP, BY, CI, REPLICATES, SEED, RESAMPLE, FORMAT],
        rows: true,
        segment: None,
    },
    Route {
        path: "/api/institutions",
        command: Some("institutions"),
        summary: "Institution and company ranking, with rollup under lineage roots and lab countries",
        params: selection![
            FROM,
            TO,
            TOP,
            ROLLUP,
            SECTOR,
            INSTITUTION_SORT,
            LIMIT,
            CI,
            REPLICATES,
            SEED,
            RESAMPLE,
            FORMAT,
        ],
        rows: true,
        segment: None,
    },
    Route {
        path: "/api/sectors",
        command: Some("sectors"),
        summary: "AI output (full and fractional) by sector and country",
        params: selection![FROM, TO, TOP, CI, REPLICATES, SEED, RESAMPLE, FORMAT],
        rows: true,
        segment: None,
    },
    Route {
        path: "/api/collab",
        command: Some("collab"),
        summary: "Country co-authorship pairs (country_a < country_b), or with shares=true each country's international collaboration share",
        params: selection![
            FROM, TO, TOP, SHARES, CI, REPLICATES, SEED, RESAMPLE, FORMAT,
        ],
        rows: true,
        segment: None,
    },
    Route {
        path: "/api/sensitivity",
        command: Some("sensitivity"),
        summary: "Each country's share of AI papers, of highly cited papers and of researchers by origin over the range, under every AI profile (concepts, topics, venues, any) x counting (full, fractional) x highly-cited share (1, 5, 10%), the request's profile and top first; the notes count the definitions behind each ordering of the leading countries",
        params: selection![FROM, TO, TOP, FORMAT],
        rows: true,
        segment: None,
    },
    Route {
        path: "/api/project",
        command: Some("project"),
        summary: "Researchers (by origin) and their AI output per country, observed up to the base year and projected by a cohort model fitted on the careers, under the baseline and the shipped scenarios (scenarios=shipped); view=orgs: the largest organisations' origin concentration; view=backtest: the model's errors on a fit to earlier years beside persistence and constant rates (docs/projection.md)",
        params: selection![
            FROM,
            TO,
            TOP,
            MIN_WORKS,
            CAREERS_FROM,
            UNTIL,
            SCENARIOS,
            VIEW,
            CENSOR,
            WINDOW,
            FIT_TO,
            HORIZON,
            PROJECT_LIMIT,
            CI,
            PROJECT_REPLICATES,
            SEED,
            FORMAT,
        ],
        rows: true,
        segment: None,
    },
    Route {
        path: "/api/claims",
        command: Some("claims"),
        summary: "The shipped claims (claims/seed.toml) as verdicts: supported, contradicted, inconclusive (the interval straddles the line) or not computable, one row per check, with the point, its interval (ci) and the verdicts across the sensitivity grid; the notes give each claim's verdict",
        params: selection![
            FROM,
            TO,
            TOP,
            CI,
            CLAIMS_REPLICATES,
            SEED,
            RESAMPLE,
            GRID,
            FORMAT,
        ],
        rows: true,
        segment: None,
    },
    Route {
        path: "/api/sql",
        command: Some("sql"),
        summary: "A read-only SQL query (SELECT, WITH, EXPLAIN, SHOW, DESCRIBE) over the tables and the profile's selection views; time-limited, rows capped",
        params: selection![SQL; FROM, TO, TOP, FORMAT],
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
        params: selection![FROM, TO],
        rows: false,
        segment: None,
    },
    Route {
        path: "/api/definitions",
        command: None,
        summary: "Every table's and metric's definition in words, by name: the header of its SQL file (crates/talentchain/sql/), the one place each is defined",
        params: &[],
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
        params: selection![
            FROM,
            TO,
            TOP,
            MIN_WORKS,
            CAREERS_FROM,
            COHORT,
            CI,
            REPLICATES,
            SEED,
            FORMAT,
        ],
        rows: true,
        segment: None,
    },
    Route {
        path: "/api/talent/countries",
        command: Some("talent countries"),
        summary: "Stayers, returnees, emigrants and immigrants by country, retention, net gain and the annual mobility rate",
        params: TALENT,
        rows: true,
        segment: None,
    },
    Route {
        path: "/api/talent/mismatch",
        command: Some("talent mismatch"),
        summary: "Per country: its share of researchers by origin (supply) against its share of fractional AI output and highly cited output by affiliation, and the same for the top researchers (top sets both the highly cited works and the top researchers)",
        params: TALENT,
        rows: true,
        segment: None,
    },
    Route {
        path: "/api/talent/conversion",
        command: Some("talent conversion"),
        summary: "Where the researchers of one origin produce their AI works and highly cited works, by country of affiliation on each work",
        params: selection![
        ORIGIN;
        FROM,
                    TO,
                    TOP,
                    MIN_WORKS,
                    CAREERS_FROM,
                    CI,
                    REPLICATES,
                    SEED,
                    FORMAT,
                ],
        rows: true,
        segment: None,
    },
    Route {
        path: "/api/talent/orgs",
        command: Some("talent orgs"),
        summary: "Each institution's (rollup=true: each parent's) researchers by origin, the top origin, the foreign share and the HHI of the mix",
        params: selection![
            FROM,
            TO,
            TOP,
            MIN_WORKS,
            CAREERS_FROM,
            ROLLUP,
            LIMIT,
            CI,
            REPLICATES,
            SEED,
            FORMAT,
        ],
        rows: true,
        segment: None,
    },
    Route {
        path: "/api/talent/stays",
        command: Some("talent stays"),
        summary: "Per origin and host country: researchers of that origin observed working in the host, those observed again later (followed), and of them those still in the host (stay_rate), back in the origin (return_rate) or elsewhere",
        params: TALENT,
        rows: true,
        segment: None,
    },
    Route {
        path: "/api/talent/top",
        command: Some("talent top"),
        summary: "The top researchers by citations (or h-index) of their AI works in the dataset, with origin, current country and institution",
        params: selection![
            FROM,
            TO,
            TOP,
            MIN_WORKS,
            CAREERS_FROM,
            RESEARCHER_SORT,
            LIMIT,
            CI,
            REPLICATES,
            SEED,
            FORMAT,
        ],
        rows: true,
        segment: None,
    },
    Route {
        path: "/api/talent/author",
        command: Some("talent author"),
        summary: "One researcher's career, year by year: main country, all countries, institutions, works and citations; origin, current country and class in the notes",
        params: selection![
        AUTHOR;
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

impl Param {
    /// The accepted values, as shown in a 400 answer: the library's words
    /// for a setting (the server's profiles for `ai`, the cap for `limit`).
    pub fn accepted(&self, profiles: &[String]) -> Vec<String> {
        match self.kind {
            Kind::Setting(s) | Kind::Projection(s) => match (s.accepts, self.max) {
                (Accepts::Profile, _) => profiles.to_vec(),
                (Accepts::Count, Some(max)) => vec![format!("an integer from 1 to {max}")],
                (accepts, _) => accepts.accepted(),
            },
            Kind::OneOf(words) => words.iter().map(|w| w.to_string()).collect(),
            Kind::Sql => vec![
                "a read-only query starting with SELECT, WITH, EXPLAIN, SHOW or DESCRIBE".into(),
            ],
        }
    }

    /// The JSON Schema of its values: every constraint of what it accepts
    /// that a schema can state, and its default typed as the schema.
    pub fn schema(&self, profiles: &[String]) -> Value {
        let mut schema = match self.kind {
            Kind::Setting(s) => accepts_schema(s.accepts, profiles),
            Kind::OneOf(words) => json!({"type": "string", "enum": words}),
            // Not blank; whether it is a query the engine can plan, no schema
            // can say (400 bad_query).
            Kind::Sql => json!({"type": "string", "minLength": 1, "pattern": "\\S"}),
            Kind::Projection(s) => accepts_schema(s.accepts, profiles),
        };
        if let Some(max) = self.max {
            schema["maximum"] = json!(max);
        }
        if let Some(d) = self.default {
            schema["default"] = typed(d, &schema);
        }
        schema
    }
}

/// The schema of what a setting accepts, from the library's [`Accepts`]
/// and its bounds ([`YEARS`], [`MIN_TOP_PERCENT`]). Every bound the library
/// checks is inclusive but a level's (above 0, below 100).
fn accepts_schema(accepts: Accepts, profiles: &[String]) -> Value {
    match accepts {
        // The profiles this server loaded, by name (never a file).
        Accepts::Profile => json!({"type": "string", "enum": profiles}),
        Accepts::Year => json!({"type": "integer", "minimum": YEARS.0, "maximum": YEARS.1}),
        Accepts::Percent => {
            json!({"type": "number", "minimum": MIN_TOP_PERCENT, "maximum": 100})
        }
        Accepts::OneOf(words) => json!({"type": "string", "enum": words}),
        Accepts::Bool => json!({"type": "boolean"}),
        Accepts::Count => json!({"type": "integer", "minimum": 1, "maximum": u32::MAX}),
        Accepts::Country => {
            json!({"type": "string", "minLength": 2, "maxLength": 2, "pattern": "^[A-Za-z]{2}$"})
        }
        // Each alternative as `is_author_id` checks it: a space or a
        // control character (C0, DEL, C1) is never in an OpenReview id.
        Accepts::Author => json!({"type": "string", "minLength": 2,
                                  "pattern": "^(https://openalex\\.org/)?A[0-9]+$|^[EM][0-9a-f]{16}$|^~[^\\s\\x00-\\x1f\\x7f-\\x9f]{1,199}$"}),
        Accepts::Level => json!({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 100}),
        Accepts::Seed => json!({"type": "integer", "minimum": 0, "maximum": u64::MAX}),
        Accepts::Venues => json!({"type": "string", "maxLength": MAX_VENUES_TEXT,
                                  "pattern": "^[A-Za-z0-9 .&+,-]*$"}),
    }
}

/// A default given as text, as a value of `schema`'s type: `10`, not
/// `"10"`; `false`, not `"false"`.
fn typed(text: &str, schema: &Value) -> Value {
    let number = || {
        text.parse::<i64>()
            .map(|n| json!(n))
            .or_else(|_| text.parse::<f64>().map(|x| json!(x)))
            .ok()
    };
    let value = match schema["type"].as_str() {
        Some("integer") => text.parse::<i64>().ok().map(|n| json!(n)),
        Some("number") => number(),
        Some("boolean") => text.parse::<bool>().ok().map(|b| json!(b)),
        _ => None,
    };
    value.unwrap_or_else(|| json!(text))
}

/// What a route's 400 answers: a bad parameter (and, for SQL, a bad query).
fn bad_request(r: &Route) -> String {
    let mut d = "a bad parameter (`bad_parameter`, naming it in `parameter`, with the \
                 values it accepts in `accepted`): one the route does not take, one given \
                 twice, a required one missing, or a value not accepted"
        .to_string();
    if r.path == "/api/sql" {
        d.push_str("; or a query that is not read-only or does not parse or plan (`bad_query`)");
    }
    d
}

/// The OpenAPI 3.1 document of [`ROUTES`].
///
/// Every status a route can answer is listed on it: 200; 400 (any route
/// refuses a parameter it does not take); 404 on the path-segment form (an
/// empty segment is no route); 503 on `/api/sql` (its time limit; the
/// other routes wait for their turn rather than answer busy); and 500 on
/// every route, for a failure of the server or of its dataset, which no
/// request can cause.
pub fn openapi(profiles: &[String]) -> Value {
    let error = |description: &str| {
        json!({"description": description,
               "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
    };
    let mut paths = serde_json::Map::new();
    for r in ROUTES {
        let takes = |name: &str| r.params.iter().any(|p| p.name == name);
        let params: Vec<Value> = r
            .params
            .iter()
            .map(|p| {
                let mut description = p.doc.to_string();
                if matches!(p.name, "from" | "to") && takes("from") && takes("to") {
                    description.push_str(
                        ". When both are given, `from` must be at most `to`: a `from` after \
                         `to` answers 400 naming `from`",
                    );
                }
                let mut v = json!({"name": p.name, "in": "query", "required": p.required,
                                   "description": description, "schema": p.schema(profiles)});
                if !p.required {
                    // An empty value is the same as none (a form's empty field).
                    v["allowEmptyValue"] = json!(true);
                }
                v
            })
            .collect();
        let ok = if r.rows {
            json!({"description": "rows (format=json) or CSV (format=csv)", "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Rows"}},
                "text/csv": {"schema": {"type": "string"}}}})
        } else {
            json!({"description": "a JSON object", "content": {"application/json": {"schema": {"type": "object"}}}})
        };
        let mut responses = json!({
            "200": ok,
            "400": error(&bad_request(r)),
            "500": error("a failure of the server (`internal`) or of its dataset (`bad_data`), not of the request"),
        });
        if r.path == "/api/sql" {
            responses["503"] = error(
                "the query ran past the server's time limit and was stopped (`query_timeout`): add a LIMIT, filter or aggregate",
            );
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
                        p["required"] = json!(true);
                        if let Some(p) = p.as_object_mut() {
                            p.remove("allowEmptyValue");
                        }
                    }
                    p
                })
                .collect();
            let mut responses = responses.clone();
            responses["404"] = error("no such route: the path segment is empty (`not_found`)");
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
                 "description": "AI research activity metrics over a talentchain dataset (OpenAlex). Parameters mirror the CLI's flags; an optional parameter given with an empty value is the same as one left out."},
        "paths": paths,
        "components": {"schemas": {
            "Rows": {"type": "object", "required": ["columns", "rows", "notes"], "properties": {
                "columns": {"type": "array", "items": {"type": "object", "required": ["name", "type"],
                            "properties": {"name": {"type": "string"}, "type": {"type": "string"}}}},
                "rows": {"type": "array", "items": {"type": "object"}},
                "notes": {"type": "array", "items": {"type": "string"}},
                "truncated": {"type": "boolean"}}},
            "Error": {"type": "object", "required": ["error", "message"], "properties": {
                "error": {"type": "string", "description": "what failed",
                          "enum": ["bad_parameter", "not_found", "bad_query", "query_timeout", "bad_data", "internal"]},
                "message": {"type": "string"},
                "parameter": {"type": "string", "description": "the parameter refused (bad_parameter)"},
                "accepted": {"type": "array", "items": {"type": "string"},
                             "description": "what it accepts, in words or as the list of values (bad_parameter)"}}}
        }}
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `v` is a value of the parameter schema `s`, as far as the
    /// keywords [`Param::schema`] writes go.
    fn valid(v: &Value, s: &Value) -> bool {
        let typed = match s["type"].as_str() {
            Some("integer") => v.is_i64() || v.is_u64(),
            Some("number") => v.is_number(),
            Some("boolean") => v.is_boolean(),
            Some("string") => v.is_string(),
            _ => false,
        };
        let x = v.as_f64();
        typed
            && s["enum"].as_array().is_none_or(|e| e.contains(v))
            && s["minimum"]
                .as_f64()
                .is_none_or(|m| x.is_some_and(|x| x >= m))
            && s["maximum"]
                .as_f64()
                .is_none_or(|m| x.is_some_and(|x| x <= m))
    }

    /// Every default is a value of its own schema, typed (`10`, `false`),
    /// and the library accepts it.
    #[test]
    fn defaults_are_typed_and_valid() {
        let profiles: Vec<String> = talentchain::profile::BUILTIN
            .iter()
            .map(|(n, _)| n.to_string())
            .collect();
        let mut settings = talentchain::settings::Settings::new(
            talentchain::profile::Profile::builtin("concepts").unwrap(),
        );
        for r in ROUTES {
            for p in r.params {
                let schema = p.schema(&profiles);
                if let Some(d) = p.default {
                    assert!(
                        valid(&schema["default"], &schema),
                        "{} {}: {schema}",
                        r.path,
                        p.name
                    );
                    if let Kind::Setting(s) = p.kind
                        && s.accepts != Accepts::Profile
                    {
                        settings.set_param(&s, d).unwrap();
                    }
                }
            }
        }
        let top = TOP.schema(&profiles);
        assert_eq!(top["default"], json!(10));
        assert_eq!(top["minimum"], json!(0.01));
        assert_eq!(ROLLUP.schema(&profiles)["default"], json!(false));
        assert_eq!(LIMIT.schema(&profiles)["maximum"], json!(MAX_LIMIT));
        assert_eq!(LIMIT.schema(&profiles)["default"], json!(50));
    }
}
