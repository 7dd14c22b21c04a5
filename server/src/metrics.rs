//! Request counters and a latency histogram, and the chat writer's transactions, rendered in
//! the Prometheus text format.
//!
//! Recording a request is on every request's path, so it allocates nothing and takes no
//! exclusive lock once its route, method and status have been seen together: counters are
//! atomics found under a shared lock by the route's `&str`, and the histogram adds to one
//! bucket (the buckets are summed into Prometheus' cumulative form when rendered). Methods
//! beyond the standard ones are counted as `OTHER`, so a client cannot add series at will.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::http::Method;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// Process-wide request metrics, owned by `AppState`.
#[derive(Debug, Default)]
pub struct Metrics {
    /// route template → its counters by method and status.
    requests: RwLock<HashMap<Box<str>, Vec<Counter>>>,
    /// Requests by the first bucket they fit in; the last slot is for those beyond every
    /// bound.
    buckets: [AtomicU64; BUCKETS.len() + 1],
    sum_micros: AtomicU64,
    chat: ChatBatches,
}

/// Requests of one route with one method and status.
#[derive(Debug)]
struct Counter {
    method: &'static str,
    status: u16,
    n: AtomicU64,
}

/// The chat writer's transactions: how many, the messages in them, and the time they took.
#[derive(Debug, Default)]
struct ChatBatches {
    batches: AtomicU64,
    messages: AtomicU64,
    micros: AtomicU64,
}

impl Metrics {
    /// Records one finished request; `route` is the matched route template, never the raw path.
    pub fn observe(&self, method: &Method, route: &str, status: u16, elapsed: Duration) {
        let method = label(method);
        if !self.count_seen(method, route, status) {
            let mut requests = self.requests.write().unwrap_or_else(|e| e.into_inner());
            let counters = requests.entry(route.into()).or_default();
            match counters
                .iter()
                .find(|c| c.status == status && c.method == method)
            {
                // Another request added it between the two locks.
                Some(c) => {
                    c.n.fetch_add(1, Ordering::Relaxed);
                }
                None => counters.push(Counter {
                    method,
                    status,
                    n: AtomicU64::new(1),
                }),
            }
        }
        let secs = elapsed.as_secs_f64();
        let bucket = BUCKETS
            .iter()
            .position(|bound| secs <= *bound)
            .unwrap_or(BUCKETS.len());
        self.buckets[bucket].fetch_add(1, Ordering::Relaxed);
        self.sum_micros
            .fetch_add(elapsed.as_micros() as u64, Ordering::Relaxed);
    }

    /// Counts a request whose counter exists, under the shared lock; false if it does not yet.
    fn count_seen(&self, method: &str, route: &str, status: u16) -> bool {
        let requests = self.requests.read().unwrap_or_else(|e| e.into_inner());
        let counter = requests.get(route).and_then(|counters| {
            counters
                .iter()
                .find(|c| c.status == status && c.method == method)
        });
        counter.is_some_and(|c| {
            c.n.fetch_add(1, Ordering::Relaxed);
            true
        })
    }

    /// Records one chat transaction of `messages` messages.
    pub fn observe_chat_batch(&self, messages: usize, took: Duration) {
        self.chat.batches.fetch_add(1, Ordering::Relaxed);
        self.chat
            .messages
            .fetch_add(messages as u64, Ordering::Relaxed);
        self.chat
            .micros
            .fetch_add(took.as_micros() as u64, Ordering::Relaxed);
    }

    /// The Prometheus text exposition, its series in a stable order.
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str(
            "# HELP lianmeng_http_requests_total HTTP requests by method, route and status.\n",
        );
        out.push_str("# TYPE lianmeng_http_requests_total counter\n");
        let mut series: Vec<(&str, &str, u16, u64)> = Vec::new();
        let requests = self.requests.read().unwrap_or_else(|e| e.into_inner());
        for (route, counters) in requests.iter() {
            for c in counters {
                series.push((c.method, route, c.status, c.n.load(Ordering::Relaxed)));
            }
        }
        series.sort_unstable();
        for (method, route, status, n) in series {
            let route = route.replace('\\', "\\\\").replace('"', "\\\"");
            let _ = writeln!(
                out,
                "lianmeng_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {n}"
            );
        }
        drop(requests);
        out.push_str("# HELP lianmeng_http_request_duration_seconds HTTP request latency.\n");
        out.push_str("# TYPE lianmeng_http_request_duration_seconds histogram\n");
        let mut count = 0;
        for (i, bound) in BUCKETS.iter().enumerate() {
            count += self.buckets[i].load(Ordering::Relaxed);
            let _ = writeln!(
                out,
                "lianmeng_http_request_duration_seconds_bucket{{le=\"{bound}\"}} {count}"
            );
        }
        count += self.buckets[BUCKETS.len()].load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "lianmeng_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}"
        );
        let _ = writeln!(
            out,
            "lianmeng_http_request_duration_seconds_sum {}",
            self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6
        );
        let _ = writeln!(out, "lianmeng_http_request_duration_seconds_count {count}");
        self.chat.render(&mut out);
        out
    }
}

/// A method's label: its name if it is a standard one, else `OTHER`.
fn label(method: &Method) -> &'static str {
    const STANDARD: [Method; 9] = [
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
        Method::HEAD,
        Method::OPTIONS,
        Method::CONNECT,
        Method::TRACE,
    ];
    STANDARD
        .iter()
        .find(|m| *m == method)
        .map_or("OTHER", |m| m.as_str())
}

impl ChatBatches {
    fn render(&self, out: &mut String) {
        let counters = [
            (
                "lianmeng_chat_batches_total",
                "Chat transactions committed by the chat writer.",
                self.batches.load(Ordering::Relaxed) as f64,
            ),
            (
                "lianmeng_chat_batch_messages_total",
                "Chat messages in those transactions.",
                self.messages.load(Ordering::Relaxed) as f64,
            ),
            (
                "lianmeng_chat_batch_seconds_total",
                "Time spent in those transactions, from begin to commit.",
                self.micros.load(Ordering::Relaxed) as f64 / 1e6,
            ),
        ];
        for (name, help, value) in counters {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_a_histogram() {
        let m = Metrics::default();
        let route = "/api/v1/studios/{id}";
        m.observe(&Method::GET, route, 200, Duration::from_millis(3));
        m.observe(&Method::GET, route, 200, Duration::from_millis(30));
        m.observe(&Method::GET, route, 404, Duration::from_secs(12));
        m.observe(
            &Method::POST,
            "/api/v1/studios",
            201,
            Duration::from_millis(2),
        );
        let made_up = |name: &str| Method::from_bytes(name.as_bytes()).unwrap();
        m.observe(&made_up("BREW"), "unmatched", 405, Duration::from_millis(1));
        m.observe(&made_up("WHEN"), "unmatched", 405, Duration::from_millis(1));
        let text = m.render();
        assert!(text.contains(
            "lianmeng_http_requests_total{method=\"GET\",route=\"/api/v1/studios/{id}\",status=\"200\"} 2"
        ));
        assert!(text.contains(
            "lianmeng_http_requests_total{method=\"GET\",route=\"/api/v1/studios/{id}\",status=\"404\"} 1"
        ));
        assert!(text.contains(
            "lianmeng_http_requests_total{method=\"OTHER\",route=\"unmatched\",status=\"405\"} 2\n"
        ), "{text}");
        assert!(!text.contains("BREW"), "{text}");
        // The series come in a stable order: by method, then route, then status.
        let post = text.find("method=\"POST\"").expect("the POST series");
        assert!(text.find("status=\"404\"").expect("the 404 series") < post);
        // Cumulative buckets: 1 ms fits every bucket, 2 ms 0.002 and above, 3 ms 0.005 and
        // above, 12 s only +Inf.
        assert!(text.contains("lianmeng_http_request_duration_seconds_bucket{le=\"0.001\"} 2\n"));
        assert!(text.contains("lianmeng_http_request_duration_seconds_bucket{le=\"0.005\"} 4\n"));
        assert!(text.contains("lianmeng_http_request_duration_seconds_bucket{le=\"0.05\"} 5\n"));
        assert!(text.contains("lianmeng_http_request_duration_seconds_bucket{le=\"10\"} 5\n"));
        assert!(text.contains("lianmeng_http_request_duration_seconds_bucket{le=\"+Inf\"} 6\n"));
        assert!(text.contains("lianmeng_http_request_duration_seconds_count 6\n"));
        m.observe_chat_batch(27, Duration::from_millis(4));
        let text = m.render();
        assert!(text.contains("lianmeng_chat_batches_total 1\n"));
        assert!(text.contains("lianmeng_chat_batch_messages_total 27\n"));
        assert!(text.contains("lianmeng_chat_batch_seconds_total 0.004\n"));
    }
}
