//! One request to an OpenAlex list endpoint, and what its answer means.
//!
//! The fault model: every answer is classified as a good page, a fault worth
//! retrying (too fast, a server error, a timeout, a dropped connection, a
//! truncated or malformed body) or a reason to stop (credits spent, a bad
//! key, a rejected query). Telling "too fast" from "credits spent":
//!
//! - `429` with `X-RateLimit-Remaining: 0` (the credits left today), or a
//!   message that speaks of credits, budget, quota or a daily limit, or a
//!   `Retry-After` longer than [`RetryPolicy::max_retry_after`] → credits
//!   exhausted: stop, the checkpoint is intact.
//! - any other `429`, and a `403` that does not mention the key (the API
//!   reference lists 403 as "rate limit exceeded; slow down") → too fast:
//!   wait `Retry-After` (or back off) and retry.
//! - `401`, or a `403` about the API key → invalid key: stop.
//!
//! The API key travels as the `api_key` query parameter (as OpenAlex
//! documents it); it is removed from every message this module produces.

use std::time::Duration;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::FetchError;
use super::retry::RetryPolicy;

/// The largest body read (a page of 100 full works is a few MB).
const MAX_BODY: u64 = 256 << 20;

/// Where and how to ask.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// The API's root URL, [`super::DEFAULT_BASE_URL`] (a mock server in
    /// tests).
    pub base_url: String,
    /// The OpenAlex API key, sent as the `api_key` parameter; never written
    /// to a message or the checkpoint.
    pub api_key: Option<String>,
    /// An e-mail address, sent as `mailto` and in the User-Agent (OpenAlex's
    /// "polite pool").
    pub mailto: Option<String>,
    /// Whole-request timeout (connect, headers and body).
    pub timeout: Duration,
}

/// A blocking OpenAlex client.
pub struct Client {
    agent: ureq::Agent,
    config: ClientConfig,
}

/// One list request.
#[derive(Debug, Clone)]
pub struct PageRequest<'a> {
    /// The endpoint: `works`, `authors` or `institutions`.
    pub entity: &'a str,
    /// The `filter` parameter, `publication_year:2024,type:article`.
    pub filter: Option<&'a str>,
    /// The `search` parameter: full-text search terms.
    pub search: Option<&'a str>,
    /// The `select` parameter: the fields each record keeps.
    pub select: Option<&'a str>,
    /// The `per_page` parameter: records per page, 1 to 100.
    pub per_page: u32,
    /// The `cursor` parameter: `*` for the first page, then the previous
    /// page's `next_cursor`.
    pub cursor: &'a str,
}

/// A page as served: `meta` and the raw text of each result.
#[derive(Debug)]
pub struct Page {
    /// `meta.count`: the query's total number of records.
    pub count: Option<u64>,
    /// `meta.next_cursor`: the cursor of the next page; `None` after the
    /// last page.
    pub next_cursor: Option<String>,
    /// Each record exactly as served, one compact JSON object.
    pub records: Vec<String>,
    /// The record ids, in order.
    pub ids: Vec<String>,
    /// `X-RateLimit-Remaining`: credits left today, when the server says.
    pub credits_left: Option<f64>,
}

/// What one attempt gave.
#[derive(Debug)]
pub enum Answer {
    /// A good page.
    Page(Page),
    /// A fault worth another attempt; `after` is the server's `Retry-After`.
    Retry {
        /// What went wrong, in a line, the key redacted.
        reason: String,
        /// The server's `Retry-After`, when it sent one.
        after: Option<Duration>,
    },
    /// Stop: retrying cannot help.
    Stop(FetchError),
}

#[derive(Deserialize)]
struct RawPage<'a> {
    meta: Meta,
    #[serde(borrow)]
    results: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
struct Meta {
    count: Option<u64>,
    next_cursor: Option<String>,
}

#[derive(Deserialize)]
struct IdOnly {
    id: String,
}

impl Client {
    /// A client for `config`, its User-Agent `talentchain/<version>` (with
    /// the mailto when given).
    pub fn new(config: ClientConfig) -> Client {
        let ua = match &config.mailto {
            Some(m) => format!("talentchain/{} (mailto:{m})", env!("CARGO_PKG_VERSION")),
            None => format!("talentchain/{}", env!("CARGO_PKG_VERSION")),
        };
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(config.timeout))
            .user_agent(ua)
            .build()
            .into();
        Client { agent, config }
    }

    /// The request's URL, with the key shown as `***`: for messages.
    pub fn display_url(&self, req: &PageRequest) -> String {
        let mut url = format!(
            "{}/{}?",
            self.config.base_url.trim_end_matches('/'),
            req.entity
        );
        for (k, v) in self.params(req) {
            let v = if k == "api_key" { "***".to_string() } else { v };
            url.push_str(&format!("{k}={v}&"));
        }
        url.pop();
        url
    }

    fn params(&self, req: &PageRequest) -> Vec<(&'static str, String)> {
        let mut p = Vec::new();
        if let Some(f) = req.filter {
            p.push(("filter", f.to_string()));
        }
        if let Some(s) = req.search {
            p.push(("search", s.to_string()));
        }
        if let Some(s) = req.select {
            p.push(("select", s.to_string()));
        }
        p.push(("per_page", req.per_page.to_string()));
        p.push(("cursor", req.cursor.to_string()));
        if let Some(m) = &self.config.mailto {
            p.push(("mailto", m.clone()));
        }
        if let Some(k) = &self.config.api_key {
            p.push(("api_key", k.clone()));
        }
        p
    }

    /// `text` without the API key in it.
    pub fn redact(&self, text: &str) -> String {
        match &self.config.api_key {
            Some(k) if !k.is_empty() => text.replace(k.as_str(), "***"),
            _ => text.to_string(),
        }
    }

    /// Send one request and classify the answer.
    pub fn get(&self, req: &PageRequest, policy: &RetryPolicy) -> Answer {
        let url = format!(
            "{}/{}",
            self.config.base_url.trim_end_matches('/'),
            req.entity
        );
        let call = self
            .agent
            .get(&url)
            .query_pairs(self.params(req))
            .header("Accept", "application/json")
            .call();
        let mut resp = match call {
            Ok(r) => r,
            Err(e) => {
                return Answer::Retry {
                    reason: self.redact(&transport(&e)),
                    after: None,
                };
            }
        };
        let status = resp.status().as_u16();
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .map(String::from)
        };
        let retry_after = header("retry-after")
            .and_then(|v| v.parse::<u64>().ok())
            .map(Duration::from_secs);
        let credits_left = header("x-ratelimit-remaining").and_then(|v| v.parse::<f64>().ok());
        let body = resp.body_mut().with_config().limit(MAX_BODY).read_to_vec();
        let body = match body {
            Ok(b) => b,
            Err(e) if status == 200 => {
                return Answer::Retry {
                    reason: self.redact(&format!("the page's body broke off: {}", transport(&e))),
                    after: None,
                };
            }
            Err(_) => Vec::new(),
        };
        if status == 200 {
            return match parse_page(&body) {
                Ok(mut page) => {
                    page.credits_left = credits_left;
                    Answer::Page(page)
                }
                Err(why) => Answer::Retry {
                    reason: format!("malformed or truncated page ({why})"),
                    after: None,
                },
            };
        }
        let message = self.redact(&error_message(&body));
        let spent = credits_left.is_some_and(|c| c <= 0.0) || speaks_of_credits(&message);
        match status {
            429 if spent => Answer::Stop(FetchError::CreditsExhausted { message }),
            429 if retry_after.is_some_and(|d| d > policy.max_retry_after) => {
                Answer::Stop(FetchError::CreditsExhausted {
                    message: format!(
                        "{message} (Retry-After: {} s)",
                        retry_after.unwrap_or_default().as_secs()
                    ),
                })
            }
            401 => Answer::Stop(FetchError::InvalidKey { status, message }),
            403 if speaks_of_key(&message) => {
                Answer::Stop(FetchError::InvalidKey { status, message })
            }
            403 | 408 | 425 | 429 | 500..=599 => Answer::Retry {
                reason: format!("HTTP {status}: {}", short(&message)),
                after: retry_after,
            },
            _ => Answer::Stop(FetchError::Rejected {
                status,
                url: self.display_url(req),
                message,
            }),
        }
    }
}

/// A transport error in a line, with its kind.
fn transport(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Timeout(t) => format!("timed out ({t})"),
        ureq::Error::Io(io) => format!("connection error: {io}"),
        other => format!("connection error: {other}"),
    }
}

/// Parse and check a page: `meta` and `results` present, each result an
/// object with a string `id`.
pub fn parse_page(body: &[u8]) -> Result<Page, String> {
    let raw: RawPage = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let mut records = Vec::with_capacity(raw.results.len());
    let mut ids = Vec::with_capacity(raw.results.len());
    for (i, r) in raw.results.iter().enumerate() {
        let id: IdOnly = serde_json::from_str(r.get()).map_err(|e| format!("result {i}: {e}"))?;
        let text = r.get();
        // Compact already in practice; a pretty-printed record would break
        // JSON Lines, so it is re-serialised.
        let line = if text.contains('\n') || text.contains('\r') {
            let v: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
            v.to_string()
        } else {
            text.to_string()
        };
        records.push(line);
        ids.push(id.id);
    }
    Ok(Page {
        count: raw.meta.count,
        next_cursor: raw.meta.next_cursor,
        records,
        ids,
        credits_left: None,
    })
}

/// The `message` (or `error`) of a JSON error body, else the body's text.
fn error_message(body: &[u8]) -> String {
    #[derive(Deserialize)]
    struct ErrorBody {
        error: Option<String>,
        message: Option<String>,
    }
    if let Ok(e) = serde_json::from_slice::<ErrorBody>(body) {
        match (e.error, e.message) {
            (Some(e), Some(m)) => return format!("{e}: {m}"),
            (None, Some(m)) | (Some(m), None) => return m,
            (None, None) => {}
        }
    }
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        "(no message)".to_string()
    } else {
        short(text).to_string()
    }
}

fn short(s: &str) -> &str {
    match s.char_indices().nth(300) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Whether a 429's message says the daily allowance is spent.
pub fn speaks_of_credits(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    [
        "credit",
        "budget",
        "quota",
        "daily",
        "per day",
        "usage limit",
        "insufficient",
        "upgrade",
    ]
    .iter()
    .any(|w| m.contains(w))
}

/// Whether a 403's message is about the API key.
fn speaks_of_key(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    [
        "api key",
        "api_key",
        "apikey",
        "invalid key",
        "unauthori",
        "authenticat",
    ]
    .iter()
    .any(|w| m.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_keeps_records_verbatim() {
        let body = br#"{"meta":{"count":2,"next_cursor":"abc"},"results":[{"id":"https://openalex.org/W1", "x": 1},{"id":"W2"}]}"#;
        let p = parse_page(body).unwrap();
        assert_eq!(
            p.records,
            vec![
                r#"{"id":"https://openalex.org/W1", "x": 1}"#,
                r#"{"id":"W2"}"#
            ]
        );
        assert_eq!(p.next_cursor.as_deref(), Some("abc"));
        assert_eq!(p.count, Some(2));
    }

    #[test]
    fn truncated_or_incomplete_pages_are_refused() {
        assert!(
            parse_page(br#"{"meta":{"count":2,"next_cursor":"abc"},"results":[{"id":"W1"},{"id":"#)
                .is_err()
        );
        assert!(parse_page(br#"{"results":[{"id":"W1"}]}"#).is_err());
        assert!(parse_page(br#"{"meta":{"count":1}}"#).is_err());
        assert!(parse_page(br#"{"meta":{"count":1},"results":[{"title":"no id"}]}"#).is_err());
        assert!(parse_page(b"<html>502 Bad Gateway</html>").is_err());
    }

    #[test]
    fn credits_are_told_from_speed() {
        assert!(speaks_of_credits(
            "Rate limit exceeded: you have used your daily budget of $1.00"
        ));
        assert!(speaks_of_credits("Insufficient credits"));
        assert!(!speaks_of_credits(
            "Rate limit exceeded: max 100 requests per second"
        ));
    }
}
