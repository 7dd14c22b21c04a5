//! Request counters and a latency histogram, and the chat writer's transactions, rendered in
//! the Prometheus text format.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// Process-wide request metrics, owned by `AppState`.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    sum_micros: AtomicU64,
    chat: ChatBatches,
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
    pub fn observe(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        *self
            .requests
            .lock()
            .expect("metrics lock")
            .entry((method.to_owned(), route.to_owned(), status))
            .or_default() += 1;
        let secs = elapsed.as_secs_f64();
        for (i, bound) in BUCKETS.iter().enumerate() {
            if secs <= *bound {
                self.buckets[i].fetch_add(1, Ordering::Relaxed);
            }
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_micros
            .fetch_add(elapsed.as_micros() as u64, Ordering::Relaxed);
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

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str(
            "# HELP lianmeng_http_requests_total HTTP requests by method, route and status.\n",
        );
        out.push_str("# TYPE lianmeng_http_requests_total counter\n");
        for ((method, route, status), n) in self.requests.lock().expect("metrics lock").iter() {
            let route = route.replace('\\', "\\\\").replace('"', "\\\"");
            let _ = writeln!(
                out,
                "lianmeng_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {n}"
            );
        }
        out.push_str("# HELP lianmeng_http_request_duration_seconds HTTP request latency.\n");
        out.push_str("# TYPE lianmeng_http_request_duration_seconds histogram\n");
        for (i, bound) in BUCKETS.iter().enumerate() {
            let _ = writeln!(
                out,
                "lianmeng_http_request_duration_seconds_bucket{{le=\"{bound}\"}} {}",
                self.buckets[i].load(Ordering::Relaxed)
            );
        }
        let count = self.count.load(Ordering::Relaxed);
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
        m.observe("GET", "/api/v1/studios/{id}", 200, Duration::from_millis(3));
        m.observe(
            "GET",
            "/api/v1/studios/{id}",
            200,
            Duration::from_millis(30),
        );
        let text = m.render();
        assert!(text.contains(
            "lianmeng_http_requests_total{method=\"GET\",route=\"/api/v1/studios/{id}\",status=\"200\"} 2"
        ));
        assert!(text.contains("lianmeng_http_request_duration_seconds_bucket{le=\"0.005\"} 1"));
        assert!(text.contains("lianmeng_http_request_duration_seconds_count 2"));
        m.observe_chat_batch(27, Duration::from_millis(4));
        let text = m.render();
        assert!(text.contains("lianmeng_chat_batches_total 1\n"));
        assert!(text.contains("lianmeng_chat_batch_messages_total 27\n"));
        assert!(text.contains("lianmeng_chat_batch_seconds_total 0.004\n"));
    }
}
