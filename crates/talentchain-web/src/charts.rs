//! The charts' data sources: each is an API route with fixed parameters, to
//! which the filters (`ai`, `from`, `to`, `top`) are added when the route
//! takes them. The dashboard fetches them; the report embeds their answers.
//! The charts themselves (which sources they read, and their ECharts option
//! builders) are the entries of `assets/charts.js`.
//!
//! To add a chart: add its source here if it needs a new one, then one entry
//! in `charts.js`.

use serde_json::{Value, json};

use crate::spec;

/// A data source of the charts.
#[derive(Debug, Clone, Copy)]
pub struct Source {
    /// Its name in `charts.js`.
    pub name: &'static str,
    /// The API route.
    pub path: &'static str,
    /// Fixed parameters.
    pub params: &'static [(&'static str, &'static str)],
}

/// Every source the charts read.
pub const SOURCES: &[Source] = &[
    Source {
        name: "selection",
        path: "/api/selection",
        params: &[],
    },
    Source {
        name: "countries",
        path: "/api/countries",
        params: &[("by", "year")],
    },
    Source {
        name: "countries_total",
        path: "/api/countries",
        params: &[("by", "total")],
    },
    Source {
        name: "institutions",
        path: "/api/institutions",
        params: &[("rollup", "true"), ("limit", "15")],
    },
    Source {
        name: "companies",
        path: "/api/institutions",
        params: &[("rollup", "true"), ("type", "company"), ("limit", "10")],
    },
    Source {
        name: "collab",
        path: "/api/collab",
        params: &[],
    },
    Source {
        name: "manifest",
        path: "/api/manifest",
        params: &[],
    },
    Source {
        name: "definitions",
        path: "/api/definitions",
        params: &[],
    },
    Source {
        name: "talent_flows",
        path: "/api/talent/flows",
        params: &[],
    },
    Source {
        name: "talent_countries",
        path: "/api/talent/countries",
        params: &[],
    },
    Source {
        name: "talent_mismatch",
        path: "/api/talent/mismatch",
        params: &[],
    },
    Source {
        name: "sensitivity",
        path: "/api/sensitivity",
        params: &[],
    },
    // The baseline and the shipped scenarios, to 8 years past the data.
    Source {
        name: "projection",
        path: "/api/project",
        params: &[("scenarios", "shipped")],
    },
    // Without the grid: each check once (the CLI's `claims` adds the
    // verdicts across definitions); the dashboard fetches it after the
    // charts, as it takes longest.
    Source {
        name: "claims",
        path: "/api/claims",
        params: &[("grid", "none")],
    },
];

/// The filters that go to the API (the counting method and the countries
/// are applied in the page); `ci` goes to the routes that take it, whose
/// charts then draw the intervals.
pub const QUERY_FILTERS: [&str; 8] = ["ai", "source", "venue", "elite", "from", "to", "top", "ci"];

impl Source {
    /// The query of this source under `filters` (name, value; empty values
    /// are left out): its fixed parameters, then the filters its route takes.
    pub fn query(&self, filters: &[(&str, String)]) -> Vec<(String, String)> {
        let route = spec::route(self.path).expect("every source's path is a route");
        let mut q: Vec<(String, String)> = self
            .params
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        for (k, v) in filters {
            if !v.is_empty()
                && QUERY_FILTERS.contains(k)
                && route.params.iter().any(|p| p.name == *k)
            {
                q.push((k.to_string(), v.clone()));
            }
        }
        q
    }
}

/// The sources, as the pages read them: `{name: {path, params, filters}}`.
pub fn sources_json() -> Value {
    let mut m = serde_json::Map::new();
    for s in SOURCES {
        let route = spec::route(s.path).expect("every source's path is a route");
        let filters: Vec<&str> = QUERY_FILTERS
            .iter()
            .copied()
            .filter(|f| route.params.iter().any(|p| p.name == *f))
            .collect();
        let params: serde_json::Map<String, Value> = s
            .params
            .iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        m.insert(
            s.name.to_string(),
            json!({"path": s.path, "params": params, "filters": filters}),
        );
    }
    Value::Object(m)
}
