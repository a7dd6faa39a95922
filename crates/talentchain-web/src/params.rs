//! Query parameters, checked against the route's table in [`crate::spec`]:
//! an unknown parameter or a value outside the accepted ones is a
//! [`ApiError::BadParameter`] naming it. An empty value counts as absent (a
//! form's empty field).

use std::collections::BTreeMap;

use talentchain::settings::{PARAMS, Settings};

use crate::error::ApiError;
use crate::spec::{Kind, MAX_LIMIT, Route};
use crate::state::AppState;

/// The checked parameters of one request.
#[derive(Debug, Clone)]
pub struct Params {
    route: &'static Route,
    values: BTreeMap<String, String>,
    profiles: Vec<String>,
}

impl Params {
    /// Check `pairs` against `route`: every name known, every value accepted.
    pub fn parse(
        route: &'static Route,
        pairs: &[(String, String)],
        state: &AppState,
    ) -> Result<Params, ApiError> {
        let profiles = state.profile_names();
        let mut values = BTreeMap::new();
        for (k, v) in pairs {
            let Some(param) = route.params.iter().find(|p| p.name == k) else {
                let accepted: Vec<String> =
                    route.params.iter().map(|p| p.name.to_string()).collect();
                let msg = if accepted.is_empty() {
                    format!(
                        "unknown parameter `{k}`: {} takes no parameters",
                        route.path
                    )
                } else {
                    format!(
                        "unknown parameter `{k}`: {} takes {}",
                        route.path,
                        accepted.join(", ")
                    )
                };
                return Err(ApiError::bad(k, msg, accepted));
            };
            if values.contains_key(k) {
                return Err(ApiError::bad(
                    k,
                    format!("parameter `{k}` is given twice"),
                    param.kind.accepted(&profiles),
                ));
            }
            if v.is_empty() {
                continue;
            }
            check(k, v, param.kind, &profiles)?;
            values.insert(k.clone(), v.clone());
        }
        for p in route.params.iter().filter(|p| p.required) {
            if !values.contains_key(p.name) {
                return Err(ApiError::bad(
                    p.name,
                    format!("parameter `{}` is required ({})", p.name, p.doc),
                    p.kind.accepted(&profiles),
                ));
            }
        }
        let params = Params {
            route,
            values,
            profiles,
        };
        if let (Some(f), Some(t)) = (params.year("from"), params.year("to"))
            && f > t
        {
            return Err(ApiError::bad(
                "from",
                format!("from={f} is after to={t}"),
                vec![format!("a year up to {t}")],
            ));
        }
        Ok(params)
    }

    /// The value of `name`, or its default.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str).or_else(|| {
            self.route
                .params
                .iter()
                .find(|p| p.name == name)
                .and_then(|p| p.default)
        })
    }

    /// A boolean parameter (false when absent).
    pub fn flag(&self, name: &str) -> bool {
        self.get(name) == Some("true")
    }

    /// A year parameter.
    pub fn year(&self, name: &str) -> Option<i32> {
        self.get(name).and_then(|v| v.parse().ok())
    }

    /// The `limit` parameter.
    pub fn limit(&self) -> Option<usize> {
        self.get("limit").and_then(|v| v.parse().ok())
    }

    /// The settings the request asks for, checked by the library: the
    /// profile by name among the server's, every other settings parameter
    /// through [`Settings::set`].
    pub fn settings(&self, state: &AppState) -> Result<Settings, ApiError> {
        let name = self.get("ai").unwrap_or("concepts");
        let profile = state.profile(name).ok_or_else(|| {
            ApiError::bad(
                "ai",
                format!("unknown AI profile `{name}`"),
                self.profiles.clone(),
            )
        })?;
        let mut settings = Settings::new(profile.clone());
        for param in self.route.params {
            if param.name == "ai" || !PARAMS.iter().any(|p| p.name == param.name) {
                continue;
            }
            if let Some(v) = self.get(param.name) {
                settings.set(param.name, v)?;
            }
        }
        Ok(settings)
    }
}

/// The short id of an OpenAlex author id (`A123`, or its URL), if it is one.
pub fn author_id(value: &str) -> Option<&str> {
    let id = value.strip_prefix("https://openalex.org/").unwrap_or(value);
    (id.len() > 1 && id.starts_with('A') && id[1..].bytes().all(|b| b.is_ascii_digit()))
        .then_some(id)
}

fn check(name: &str, value: &str, kind: Kind, profiles: &[String]) -> Result<(), ApiError> {
    let ok = match kind {
        Kind::Profile => profiles.iter().any(|p| p == value),
        Kind::Year => value
            .parse::<i32>()
            .is_ok_and(|y| (1000..=3000).contains(&y)),
        Kind::Percent => value.parse::<f64>().is_ok_and(|x| x > 0.0 && x <= 100.0),
        Kind::OneOf(v) => v.contains(&value),
        Kind::Bool => value == "true" || value == "false",
        Kind::Limit => value
            .parse::<usize>()
            .is_ok_and(|n| (1..=MAX_LIMIT).contains(&n)),
        Kind::Sql => !value.trim().is_empty(),
        Kind::Count => value.parse::<u32>().is_ok_and(|n| n >= 1),
        Kind::Country => value.len() == 2 && value.bytes().all(|b| b.is_ascii_alphabetic()),
        Kind::Author => author_id(value).is_some(),
    };
    if ok {
        Ok(())
    } else {
        let what = match kind {
            Kind::Profile => "AI profile",
            Kind::Year => "year",
            Kind::Percent => "percentage",
            Kind::Limit => "row count",
            Kind::Count => "count",
            Kind::Country => "country code",
            Kind::Author => "author id",
            _ => "value",
        };
        Err(ApiError::bad(
            name,
            format!("bad {what} `{value}` for parameter `{name}`"),
            kind.accepted(profiles),
        ))
    }
}
