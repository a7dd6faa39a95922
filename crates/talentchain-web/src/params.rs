//! Query parameters, read against the route's table in [`crate::spec`]: an
//! unknown parameter, one given twice or a required one missing is a
//! [`ApiError::BadParameter`] naming it. The values of the metric
//! parameters are checked by the library, which builds the request's
//! [`Settings`] from them; its refusal ([`Kind::Input`]) becomes the 400,
//! with its message and accepted values. The API checks only what is its
//! own: `format`, the SQL `q`, `ai` against the profiles this server loaded
//! (the library's `ai` would also read a profile file), and its cap on
//! `limit`. An empty value counts as absent (a form's empty field).
//!
//! [`Kind::Input`]: talentchain::error::Kind::Input

use std::collections::BTreeSet;

use talentchain::projection::Options;
use talentchain::settings::{self, Accepts, Settings};

use crate::error::ApiError;
use crate::spec::{Kind, Param, Route};
use crate::state::AppState;

/// The checked parameters of one request.
#[derive(Debug, Clone)]
pub struct Params {
    settings: Settings,
    csv: bool,
    sql: Option<String>,
    grid: bool,
    projection: Options,
}

impl Params {
    /// Check `pairs` against `route`: every name known and given once, the
    /// required ones given, every value accepted.
    pub fn parse(
        route: &'static Route,
        pairs: &[(String, String)],
        state: &AppState,
    ) -> Result<Params, ApiError> {
        let profiles = state.profile_names();
        let mut seen = BTreeSet::new();
        let mut given: Vec<(&'static Param, &str)> = Vec::new();
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
            if !seen.insert(param.name) {
                return Err(ApiError::bad(
                    k,
                    format!("parameter `{k}` is given twice"),
                    param.accepted(&profiles),
                ));
            }
            if !v.is_empty() {
                given.push((param, v));
            }
        }
        for p in route.params.iter().filter(|p| p.required) {
            if !given.iter().any(|(g, _)| g.name == p.name) {
                return Err(ApiError::bad(
                    p.name,
                    format!("parameter `{}` is required ({})", p.name, p.doc),
                    p.accepted(&profiles),
                ));
            }
        }

        let default_profile = settings::AI.default.unwrap_or("concepts");
        let profile = state.profile(default_profile).ok_or_else(|| {
            ApiError::Internal(format!(
                "the default profile `{default_profile}` is not loaded"
            ))
        })?;
        let mut params = Params {
            settings: Settings::new(profile.clone()),
            csv: false,
            sql: None,
            grid: true,
            projection: Options::default(),
        };
        // The route's defaults first (`limit` is 50 here, none in the
        // library), then the values given.
        for p in route.params {
            if let (Kind::Setting(s), Some(d)) = (p.kind, p.default)
                && s.accepts != Accepts::Profile
            {
                params.settings.set_param(&s, d).map_err(|e| {
                    ApiError::Internal(format!("the default of `{}` is refused: {e}", p.name))
                })?;
            }
            if let (Kind::Projection(s), Some(d)) = (p.kind, p.default) {
                params.projection.set(s.name, d).map_err(|e| {
                    ApiError::Internal(format!("the default of `{}` is refused: {e}", p.name))
                })?;
            }
        }
        for (p, v) in given {
            params.set(p, v, state, &profiles)?;
        }
        Ok(params)
    }

    /// Set `p` to the non-empty value `v`.
    fn set(
        &mut self,
        p: &Param,
        v: &str,
        state: &AppState,
        profiles: &[String],
    ) -> Result<(), ApiError> {
        let refused = |message: String| Err(ApiError::bad(p.name, message, p.accepted(profiles)));
        match p.kind {
            Kind::Setting(s) if s.accepts == Accepts::Profile => match state.profile(v) {
                Some(profile) => self.settings.set_profile(profile.clone()),
                None => {
                    return refused(format!(
                        "unknown AI profile `{v}`: this server has {}",
                        profiles.join(", ")
                    ));
                }
            },
            Kind::Setting(s) => {
                self.settings.set_param(&s, v).map_err(|e| {
                    let mut e = ApiError::from(e);
                    // The library's accepted values, narrowed to this
                    // route's cap.
                    if let (
                        Some(_),
                        ApiError::BadParameter {
                            parameter,
                            accepted,
                            ..
                        },
                    ) = (p.max, &mut e)
                        && parameter == p.name
                    {
                        *accepted = p.accepted(profiles);
                    }
                    e
                })?;
                // A cap of the server's, on a count the library accepted.
                if let Some(max) = p.max
                    && v.trim().parse::<u64>().is_ok_and(|n| n > u64::from(max))
                {
                    return refused(format!(
                        "`{}` {} is more than {max}, the most this server answers",
                        p.name,
                        v.trim()
                    ));
                }
            }
            Kind::OneOf(words) => {
                if !words.contains(&v) {
                    return refused(format!(
                        "bad value `{v}` for `{}`: use one of {}",
                        p.name,
                        words.join(", ")
                    ));
                }
                match p.name {
                    "format" => self.csv = v == "csv",
                    "grid" => self.grid = v == "standard",
                    _ => {}
                }
            }
            Kind::Projection(s) => self.projection.set(s.name, v).map_err(ApiError::from)?,
            Kind::Sql => {
                if v.trim().is_empty() {
                    return refused(format!("parameter `{}` is blank: give a query", p.name));
                }
                self.sql = Some(v.to_string());
            }
        }
        Ok(())
    }

    /// The request's settings, every value checked by the library.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Whether the answer is CSV (`format=csv`) rather than JSON.
    pub fn csv(&self) -> bool {
        self.csv
    }

    /// Whether claims are also checked over the sensitivity grid (`grid`,
    /// default `standard`).
    pub fn grid(&self) -> bool {
        self.grid
    }

    /// The projection's options (`/api/project`).
    pub fn projection(&self) -> &Options {
        &self.projection
    }

    /// The SQL query (`q`), if the route takes one.
    pub fn sql(&self) -> Option<&str> {
        self.sql.as_deref()
    }
}
