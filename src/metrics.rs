//! Prometheus metrics, hand-written: requests by route and status, request latencies, GraphQL
//! errors by code, and store calls by method (through [`InstrumentedStore`]). Served as text
//! on `GET /metrics`.

pub mod store;

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

pub use store::InstrumentedStore;

/// Upper bounds of the latency histogram's buckets, in seconds.
const BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Debug, Default, Clone)]
struct Histogram {
    counts: Vec<u64>,
    sum: f64,
    count: u64,
}

impl Histogram {
    fn observe(&mut self, seconds: f64) {
        if self.counts.is_empty() {
            self.counts = vec![0; BUCKETS.len()];
        }
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                self.counts[i] += 1;
            }
        }
        self.sum += seconds;
        self.count += 1;
    }
}

/// Timed calls: how many by name and result, and their latency by name.
#[derive(Debug)]
struct Timed<R> {
    calls: BTreeMap<(&'static str, R), u64>,
    latency: BTreeMap<&'static str, Histogram>,
}

impl<R> Default for Timed<R> {
    fn default() -> Self {
        Self {
            calls: BTreeMap::new(),
            latency: BTreeMap::new(),
        }
    }
}

impl<R: Ord> Timed<R> {
    /// Counts one call of `name` that ended with `result` after `elapsed`.
    fn record(&mut self, name: &'static str, result: R, elapsed: Duration) {
        *self.calls.entry((name, result)).or_default() += 1;
        self.latency
            .entry(name)
            .or_default()
            .observe(elapsed.as_secs_f64());
    }
}

#[derive(Debug, Default)]
struct Inner {
    /// HTTP requests by route, with their status.
    requests: Timed<u16>,
    errors: BTreeMap<String, u64>,
    /// Store calls by method, with whether they succeeded.
    store_calls: Timed<bool>,
}

/// The application's counters.
#[derive(Debug, Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

impl Metrics {
    /// Counts one HTTP request on a route (the route's pattern, not the raw path).
    pub fn request(&self, route: &'static str, status: u16, elapsed: Duration) {
        self.update(|m| m.requests.record(route, status, elapsed));
    }

    /// Counts one GraphQL error by its code.
    pub fn error(&self, code: &str) {
        self.update(|m| *m.errors.entry(code.to_owned()).or_default() += 1);
    }

    /// Counts one store call.
    pub fn store_call(&self, method: &'static str, ok: bool, elapsed: Duration) {
        self.update(|m| m.store_calls.record(method, ok, elapsed));
    }

    /// Changes the counters (a poisoned lock skips the change: metrics never fail a request).
    fn update(&self, change: impl FnOnce(&mut Inner)) {
        if let Ok(mut m) = self.inner.lock() {
            change(&mut m);
        }
    }

    /// Everything, in the Prometheus text exposition format.
    pub fn render(&self) -> String {
        let Ok(m) = self.inner.lock() else {
            return String::new();
        };
        let mut out = String::new();
        out.push_str("# HELP retex_http_requests_total HTTP requests by route and status.\n");
        out.push_str("# TYPE retex_http_requests_total counter\n");
        for ((route, status), n) in &m.requests.calls {
            let _ = writeln!(
                out,
                "retex_http_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}"
            );
        }
        histogram(
            &mut out,
            "retex_http_request_duration_seconds",
            "HTTP request latency by route.",
            "route",
            m.requests.latency.iter().map(|(k, v)| (*k, v)),
        );
        out.push_str("# HELP retex_graphql_errors_total GraphQL errors by extensions.code.\n");
        out.push_str("# TYPE retex_graphql_errors_total counter\n");
        for (code, n) in &m.errors {
            let _ = writeln!(out, "retex_graphql_errors_total{{code=\"{code}\"}} {n}");
        }
        out.push_str("# HELP retex_store_calls_total Store calls by method and result.\n");
        out.push_str("# TYPE retex_store_calls_total counter\n");
        for ((method, ok), n) in &m.store_calls.calls {
            let result = if *ok { "ok" } else { "error" };
            let _ = writeln!(
                out,
                "retex_store_calls_total{{method=\"{method}\",result=\"{result}\"}} {n}"
            );
        }
        histogram(
            &mut out,
            "retex_store_call_duration_seconds",
            "Store call latency by method.",
            "method",
            m.store_calls.latency.iter().map(|(k, v)| (*k, v)),
        );
        out
    }
}

fn histogram<'a>(
    out: &mut String,
    name: &str,
    help: &str,
    label: &str,
    series: impl Iterator<Item = (&'a str, &'a Histogram)>,
) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} histogram");
    for (key, h) in series {
        for (bound, n) in BUCKETS.iter().zip(&h.counts) {
            let _ = writeln!(out, "{name}_bucket{{{label}=\"{key}\",le=\"{bound}\"}} {n}");
        }
        let _ = writeln!(
            out,
            "{name}_bucket{{{label}=\"{key}\",le=\"+Inf\"}} {}",
            h.count
        );
        let _ = writeln!(out, "{name}_sum{{{label}=\"{key}\"}} {}", h.sum);
        let _ = writeln!(out, "{name}_count{{{label}=\"{key}\"}} {}", h.count);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_histograms() {
        let m = Metrics::default();
        m.request("/graphql", 200, Duration::from_millis(3));
        m.error("FORBIDDEN");
        let text = m.render();
        assert!(text.contains("retex_http_requests_total{route=\"/graphql\",status=\"200\"} 1"));
        assert!(text.contains(
            "retex_http_request_duration_seconds_bucket{route=\"/graphql\",le=\"0.005\"} 1"
        ));
        assert!(text.contains("retex_graphql_errors_total{code=\"FORBIDDEN\"} 1"));
    }
}
