//! Waiting politely: the retry policy (exponential backoff with jitter,
//! honouring `Retry-After`) and the request-rate limiter.
//!
//! Every wait goes through [`Pace::sleep`], which multiplies it by a time
//! scale: 1 in real use, a small fraction in tests so that a suite that
//! injects dozens of faults still runs in seconds.

use std::time::{Duration, Instant};

use rand::Rng;

/// How long to wait, how often to try, and how fast to go.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Attempts per page before giving up (the first try included).
    pub max_attempts: u32,
    /// The first backoff; each further one doubles, up to `max_backoff`.
    pub base_backoff: Duration,
    /// The longest backoff.
    pub max_backoff: Duration,
    /// A `Retry-After` longer than this is not "too fast" but a daily limit:
    /// the fetch stops instead of sleeping for hours.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 8,
            base_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(60),
            max_retry_after: Duration::from_secs(600),
        }
    }
}

impl RetryPolicy {
    /// The wait before attempt `attempt + 1` after `attempt` failures
    /// (1-based): `base · 2^(attempt-1)`, capped, with "equal jitter" (a
    /// uniform draw in its upper half) so that clients do not retry in step.
    pub fn backoff(&self, attempt: u32, rng: &mut impl Rng) -> Duration {
        let exp = self
            .base_backoff
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(20));
        let full = exp.min(self.max_backoff);
        let half = full / 2;
        half + full.mul_f64(rng.random::<f64>() * 0.5)
    }

    /// The wait the server asked for, with a little jitter on top.
    pub fn after(&self, retry_after: Duration, rng: &mut impl Rng) -> Duration {
        retry_after
            + retry_after.mul_f64(rng.random::<f64>() * 0.1)
            + Duration::from_millis(rng.random_range(0..100))
    }
}

/// The clock of a fetch: scaled sleeps and a token bucket of one token (an
/// even spacing of request starts), so the request rate never exceeds
/// `max_rate` per second.
#[derive(Debug)]
pub struct Pace {
    scale: f64,
    interval: Duration,
    last: Option<Instant>,
}

impl Pace {
    /// `max_rate` requests per second at most; `scale` multiplies every wait.
    pub fn new(max_rate: f64, scale: f64) -> Pace {
        let interval = if max_rate > 0.0 {
            Duration::from_secs_f64(1.0 / max_rate)
        } else {
            Duration::ZERO
        };
        Pace {
            scale: scale.max(0.0),
            interval,
            last: None,
        }
    }

    /// Sleep `d`, scaled.
    pub fn sleep(&self, d: Duration) {
        let d = d.mul_f64(self.scale);
        if !d.is_zero() {
            std::thread::sleep(d);
        }
    }

    /// Wait until the next request may start, and count it as started.
    pub fn before_request(&mut self) {
        let interval = self.interval.mul_f64(self.scale);
        if let Some(last) = self.last {
            let next = last + interval;
            let now = Instant::now();
            if next > now {
                std::thread::sleep(next - now);
            }
        }
        self.last = Some(Instant::now());
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn backoff_doubles_within_jitter_and_caps() {
        let p = RetryPolicy::default();
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        for attempt in 1..12 {
            let full = (Duration::from_secs(1) * (1 << (attempt - 1))).min(p.max_backoff);
            let d = p.backoff(attempt, &mut rng);
            assert!(
                d >= full / 2 && d <= full,
                "attempt {attempt}: {d:?} not in [{:?}, {full:?}]",
                full / 2
            );
        }
    }

    #[test]
    fn retry_after_is_honoured_at_least() {
        let p = RetryPolicy::default();
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let d = p.after(Duration::from_secs(3), &mut rng);
        assert!(d >= Duration::from_secs(3) && d < Duration::from_secs(4));
    }

    #[test]
    fn pace_spaces_requests() {
        let mut pace = Pace::new(50.0, 1.0);
        let start = Instant::now();
        for _ in 0..6 {
            pace.before_request();
        }
        // Five intervals of 20 ms between six request starts.
        assert!(start.elapsed() >= Duration::from_millis(100));
    }
}
