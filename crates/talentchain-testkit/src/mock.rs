//! A mock OpenAlex API on loopback for the fetch tests: it serves real
//! records (from `../shared/data/openalex/explorer`) in cursor-paged list
//! answers shaped like the API's, and injects faults on chosen requests:
//! 429 with `Retry-After`, 5xx, dropped connections, bodies cut short,
//! truncated or malformed JSON, a repeated cursor, spent credits, a bad key,
//! a stall past the client's timeout.
//!
//! A hand-rolled HTTP/1.1 server over `std::net::TcpListener`, so that a
//! fault can be any bytes at all (a framework would not send a half body).
//! Used by the library's and the CLI's fetch tests.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A fault to inject on one request.
#[derive(Debug, Clone)]
pub enum Fault {
    /// 429 "too fast", with `Retry-After: secs`.
    TooFast { retry_after: u64 },
    /// An HTTP error status (500, 502, 503…) with a short body.
    Status(u16),
    /// Close the connection without answering.
    Drop,
    /// Send the headers (full Content-Length) and half the body, then close.
    CutBody,
    /// A complete HTTP answer whose JSON stops halfway.
    TruncatedJson,
    /// 200 with an HTML error page.
    Malformed,
    /// The right page, but `next_cursor` is the cursor just asked for.
    RepeatCursor,
    /// 429: the daily budget is spent (`X-RateLimit-Remaining: 0`, message).
    CreditsSpent,
    /// 429 with a credits message and no rate-limit headers.
    CreditsMessageOnly,
    /// 401 invalid key.
    InvalidKey,
    /// Wait this long before answering (past the client's timeout).
    Stall(Duration),
}

/// One request as received.
#[derive(Debug, Clone)]
pub struct Logged {
    pub at: Instant,
    pub path: String,
    pub params: BTreeMap<String, String>,
    pub fault: Option<String>,
}

struct State {
    works: Vec<String>,
    authors: Vec<String>,
    institutions: Vec<String>,
    /// Faults by request number (0-based).
    faults: Mutex<BTreeMap<u64, Fault>>,
    /// From this request number on, every request gets this fault.
    sticky: Mutex<Option<(u64, Fault)>>,
    /// Credits left (a list call costs one); at 0, 429.
    credits: AtomicI64,
    /// The key required, if any.
    key: Mutex<Option<String>>,
    /// Requests seen.
    count: AtomicU64,
    /// Pages served whole (200 with records).
    pages: AtomicU64,
    log: Mutex<Vec<Logged>>,
    stop: AtomicBool,
}

/// The running mock; stopped on drop.
pub struct Mock {
    pub url: String,
    state: Arc<State>,
    addr: std::net::SocketAddr,
}

/// `../shared/data/openalex/explorer`, the records the mock serves, or `None`
/// to skip where it is absent (a panic under `CI=true`: [`crate::shared_data`]).
pub fn data_dir() -> Option<PathBuf> {
    let works = crate::shared_data("openalex/explorer/works.jsonl.gz")?;
    Some(works.parent().unwrap().to_path_buf())
}

/// The records of a gzipped JSON Lines file, one compact line each.
pub fn read_jsonl_gz(path: &Path) -> Vec<String> {
    let f = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let r = BufReader::new(flate2::read::MultiGzDecoder::new(f));
    r.lines()
        .map(|l| l.unwrap())
        .filter(|l| !l.trim().is_empty())
        .collect()
}

/// Every record in a fetch's page files, in file-name order.
pub fn harvested(dir: &Path) -> Vec<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_str().unwrap().ends_with(".jsonl.gz"))
        .collect();
    files.sort();
    files.iter().flat_map(|f| read_jsonl_gz(f)).collect()
}

/// Every file of a folder (name → bytes), the lock file left out.
pub fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_name() != ".lock")
        .map(|e| {
            (
                e.file_name().into_string().unwrap(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

impl Mock {
    /// Start a mock serving the explorer records.
    pub fn start(data: &Path) -> Mock {
        let works = read_jsonl_gz(&data.join("works.jsonl.gz"));
        let authors = read_jsonl_gz(&data.join("authors.jsonl.gz"));
        let institutions = read_jsonl_gz(&data.join("institutions.jsonl.gz"));
        let state = Arc::new(State {
            works,
            authors,
            institutions,
            faults: Mutex::new(BTreeMap::new()),
            sticky: Mutex::new(None),
            credits: AtomicI64::new(1_000_000),
            key: Mutex::new(None),
            count: AtomicU64::new(0),
            pages: AtomicU64::new(0),
            log: Mutex::new(Vec::new()),
            stop: AtomicBool::new(false),
        });
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let st = state.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if st.stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let st = st.clone();
                std::thread::spawn(move || {
                    let _ = serve(&st, conn);
                });
            }
        });
        Mock {
            url: format!("http://{addr}"),
            state,
            addr,
        }
    }

    /// The records served for an entity, in order.
    pub fn records(&self, entity: &str) -> &[String] {
        match entity {
            "works" => &self.state.works,
            "authors" => &self.state.authors,
            "institutions" => &self.state.institutions,
            _ => panic!("entity {entity}"),
        }
    }

    /// Inject `fault` on request number `n` (0-based).
    pub fn fault(&self, n: u64, fault: Fault) -> &Self {
        self.state.faults.lock().unwrap().insert(n, fault);
        self
    }

    /// Every request from number `n` on gets `fault`.
    pub fn fault_from(&self, n: u64, fault: Fault) {
        *self.state.sticky.lock().unwrap() = Some((n, fault));
    }

    /// Remove every fault still to come.
    pub fn clear_faults(&self) {
        self.state.faults.lock().unwrap().clear();
        *self.state.sticky.lock().unwrap() = None;
    }

    pub fn set_credits(&self, credits: i64) {
        self.state.credits.store(credits, Ordering::SeqCst);
    }

    pub fn require_key(&self, key: &str) {
        *self.state.key.lock().unwrap() = Some(key.to_string());
    }

    /// Requests received.
    pub fn requests(&self) -> u64 {
        self.state.count.load(Ordering::SeqCst)
    }

    /// Whole pages served.
    pub fn pages_served(&self) -> u64 {
        self.state.pages.load(Ordering::SeqCst)
    }

    pub fn log(&self) -> Vec<Logged> {
        self.state.log.lock().unwrap().clone()
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        self.state.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
    }
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap_or(b'?'));
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A record's own id, short (`A123`).
pub fn short_id(record: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(record).unwrap();
    v["id"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string()
}

fn respond(
    conn: &mut TcpStream,
    status: u16,
    headers: &[(&str, String)],
    body: &[u8],
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    conn.write_all(head.as_bytes())?;
    conn.write_all(body)?;
    conn.flush()
}

fn serve(st: &State, mut conn: TcpStream) -> std::io::Result<()> {
    // The request head.
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = conn.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        head.extend_from_slice(&buf[..n]);
    }
    if st.stop.load(Ordering::SeqCst) {
        return Ok(());
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let target = head.split_whitespace().nth(1).unwrap_or("/").to_string();
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let params: BTreeMap<String, String> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect();
    let n = st.count.fetch_add(1, Ordering::SeqCst);
    let fault = st.faults.lock().unwrap().remove(&n).or_else(|| {
        st.sticky
            .lock()
            .unwrap()
            .as_ref()
            .filter(|(from, _)| n >= *from)
            .map(|(_, f)| f.clone())
    });
    st.log.lock().unwrap().push(Logged {
        at: Instant::now(),
        path: path.to_string(),
        params: params.clone(),
        fault: fault.as_ref().map(|f| format!("{f:?}")),
    });

    let err = |msg: &str| format!(r#"{{"error":"{msg}","message":"{msg}"}}"#).into_bytes();
    let required = st.key.lock().unwrap().clone();
    if required.is_some() && params.get("api_key") != required.as_ref() {
        return respond(&mut conn, 401, &[], &err("Invalid or missing API key"));
    }
    let limit = ("X-RateLimit-Limit", "100000".to_string());
    match &fault {
        Some(Fault::TooFast { retry_after }) => {
            return respond(
                &mut conn,
                429,
                &[
                    ("Retry-After", retry_after.to_string()),
                    limit,
                    ("X-RateLimit-Remaining", "99000".into()),
                ],
                &err("Rate limit exceeded: at most 100 requests per second"),
            );
        }
        Some(Fault::Status(code)) => {
            return respond(&mut conn, *code, &[], b"Internal Server Error");
        }
        Some(Fault::Drop) => return Ok(()),
        Some(Fault::CreditsSpent) => {
            return respond(
                &mut conn,
                429,
                &[
                    limit,
                    ("X-RateLimit-Remaining", "0".into()),
                    ("Retry-After", "43200".into()),
                ],
                &err("Rate limit exceeded: you have used your daily budget"),
            );
        }
        Some(Fault::CreditsMessageOnly) => {
            return respond(
                &mut conn,
                429,
                &[],
                &err("Insufficient credits: daily limit of $1.00 reached"),
            );
        }
        Some(Fault::InvalidKey) => return respond(&mut conn, 401, &[], &err("Invalid API key")),
        Some(Fault::Malformed) => {
            return respond(
                &mut conn,
                200,
                &[],
                b"<html><body>502 Bad Gateway</body></html>",
            );
        }
        Some(Fault::Stall(d)) => std::thread::sleep(*d),
        _ => {}
    }
    let credits = st.credits.fetch_sub(1, Ordering::SeqCst) - 1;
    if credits < 0 {
        return respond(
            &mut conn,
            429,
            &[limit, ("X-RateLimit-Remaining", "0".into())],
            &err("Rate limit exceeded: you have used your daily budget"),
        );
    }

    let entity = path.trim_start_matches('/');
    let all: Vec<&String> = match entity {
        "works" => st.works.iter().collect(),
        "authors" => st.authors.iter().collect(),
        "institutions" => st.institutions.iter().collect(),
        _ => return respond(&mut conn, 404, &[], &err("no such endpoint")),
    };
    let filter = params.get("filter").cloned().unwrap_or_default();
    if filter.contains("bad_field") {
        return respond(
            &mut conn,
            400,
            &[],
            &err("Invalid query parameters error: bad_field is not a valid field"),
        );
    }
    let selected: Vec<&String> = match filter.strip_prefix("openalex:") {
        Some(list) => {
            let ids: Vec<&str> = list.split('|').collect();
            all.into_iter()
                .filter(|r| ids.contains(&short_id(r).as_str()))
                .collect()
        }
        None => all,
    };
    let per_page: usize = params
        .get("per_page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(25);
    if per_page == 0 || per_page > 100 {
        return respond(
            &mut conn,
            400,
            &[],
            &err("per_page must be between 1 and 100"),
        );
    }
    let cursor = params.get("cursor").cloned().unwrap_or_default();
    let offset: usize = if cursor == "*" {
        0
    } else {
        match cursor.strip_prefix("IlsxMDAw").and_then(|c| c.parse().ok()) {
            Some(o) => o,
            None => return respond(&mut conn, 400, &[], &err("invalid cursor")),
        }
    };
    let page: Vec<&String> = selected
        .iter()
        .skip(offset)
        .take(per_page)
        .copied()
        .collect();
    // Like the API: a cursor after every non-empty page; the page past the
    // end is empty, with a null cursor.
    let next = if page.is_empty() {
        "null".to_string()
    } else if matches!(fault, Some(Fault::RepeatCursor)) {
        format!("\"{cursor}\"")
    } else {
        format!("\"IlsxMDAw{}\"", offset + page.len())
    };
    let results = page
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(",");
    let body = format!(
        r#"{{"meta":{{"count":{},"db_response_time_ms":3,"page":null,"per_page":{per_page},"next_cursor":{next},"groups_count":null}},"results":[{results}],"group_by":[]}}"#,
        selected.len()
    )
    .into_bytes();
    let headers = [limit, ("X-RateLimit-Remaining", credits.to_string())];
    match fault {
        Some(Fault::CutBody) => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                body.len()
            );
            conn.write_all(head.as_bytes())?;
            conn.write_all(&body[..body.len() / 2])?;
            conn.flush()?;
            let _ = conn.shutdown(std::net::Shutdown::Both);
            Ok(())
        }
        Some(Fault::TruncatedJson) => respond(&mut conn, 200, &headers, &body[..body.len() / 2]),
        _ => {
            respond(&mut conn, 200, &headers, &body)?;
            if !page.is_empty() {
                st.pages.fetch_add(1, Ordering::SeqCst);
            }
            Ok(())
        }
    }
}
