//! Answers kept per request: the dataset is read-only while it is served,
//! so one path with one query always answers the same, and the dashboard
//! asks the same few questions again and again. The first request for a
//! URL computes its answer; requests for it that arrive meanwhile wait for
//! that one computation instead of starting their own; later ones get the
//! kept bytes. Errors are not kept. `/api/sql` is never cached (a query may
//! read the clock).
//!
//! At most `max_entries` answers are kept; when a new one would exceed
//! that, the cache starts afresh (`serve --cache-entries`, 0 turns it off).

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use tokio::sync::OnceCell;

use crate::error::ApiError;

/// A response body and its content type.
#[derive(Debug, Clone)]
pub struct Cached {
    pub content_type: &'static str,
    pub body: Bytes,
}

/// The answers kept, by URL.
#[derive(Debug)]
pub struct Cache {
    map: Mutex<HashMap<String, Arc<OnceCell<Cached>>>>,
    max_entries: usize,
}

impl Cache {
    /// A cache of at most `max_entries` answers (0: none kept).
    pub fn new(max_entries: usize) -> Cache {
        Cache {
            map: Mutex::new(HashMap::new()),
            max_entries,
        }
    }

    /// The key of a request: its path and its query pairs in sorted order.
    pub fn key(path: &str, pairs: &[(String, String)]) -> String {
        let mut sorted: Vec<&(String, String)> = pairs.iter().collect();
        sorted.sort();
        let mut key = path.to_string();
        for (k, v) in sorted {
            key.push('\u{0}');
            key.push_str(k);
            key.push('=');
            key.push_str(v);
        }
        key
    }

    /// The kept answer for `key`, or the one `compute` gives (kept if it
    /// succeeds).
    pub async fn get_or_compute<F, Fut>(&self, key: String, compute: F) -> Result<Cached, ApiError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Cached, ApiError>>,
    {
        if self.max_entries == 0 {
            return compute().await;
        }
        let cell = {
            let mut map = self.map.lock().expect("cache lock poisoned");
            if map.len() >= self.max_entries && !map.contains_key(&key) {
                map.clear();
            }
            map.entry(key).or_default().clone()
        };
        cell.get_or_try_init(compute).await.cloned()
    }

    /// The most answers kept.
    pub fn max_entries(&self) -> usize {
        self.max_entries
    }

    /// How many answers are kept.
    pub fn len(&self) -> usize {
        let map = self.map.lock().expect("cache lock poisoned");
        map.values().filter(|c| c.initialized()).count()
    }

    /// Whether no answer is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    fn body(s: &'static str) -> Cached {
        Cached {
            content_type: "text/plain",
            body: Bytes::from_static(s.as_bytes()),
        }
    }

    #[test]
    fn keys_ignore_the_order_of_parameters() {
        let a = vec![
            ("from".to_string(), "2019".to_string()),
            ("ai".to_string(), "all".to_string()),
        ];
        let b = vec![
            ("ai".to_string(), "all".to_string()),
            ("from".to_string(), "2019".to_string()),
        ];
        assert_eq!(
            Cache::key("/api/countries", &a),
            Cache::key("/api/countries", &b)
        );
        assert_ne!(
            Cache::key("/api/countries", &a),
            Cache::key("/api/sectors", &a)
        );
        assert_ne!(
            Cache::key("/api/countries", &a),
            Cache::key("/api/countries", &a[..1])
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_requests_compute_once_and_errors_are_not_kept() {
        let cache = Arc::new(Cache::new(2));
        let runs = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let (cache, runs) = (cache.clone(), runs.clone());
            tasks.push(tokio::spawn(async move {
                cache
                    .get_or_compute("a".into(), || async {
                        runs.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                        Ok(body("A"))
                    })
                    .await
                    .unwrap()
                    .body
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap(), Bytes::from_static(b"A"));
        }
        assert_eq!(
            runs.load(Ordering::SeqCst),
            1,
            "one computation for 20 requests"
        );
        // A failure is returned, not kept: the next request computes again.
        let err = cache
            .get_or_compute("b".into(), || async {
                Err(ApiError::Internal("boom".into()))
            })
            .await;
        assert!(err.is_err());
        assert_eq!(cache.len(), 1);
        let ok = cache
            .get_or_compute("b".into(), || async { Ok(body("B")) })
            .await
            .unwrap();
        assert_eq!(ok.body, Bytes::from_static(b"B"));
        assert_eq!(cache.len(), 2);
        // Full: a new key starts the cache afresh.
        cache
            .get_or_compute("c".into(), || async { Ok(body("C")) })
            .await
            .unwrap();
        assert_eq!(cache.len(), 1);
        // Off: nothing kept.
        let off = Cache::new(0);
        off.get_or_compute("a".into(), || async { Ok(body("A")) })
            .await
            .unwrap();
        assert!(off.is_empty());
    }
}
