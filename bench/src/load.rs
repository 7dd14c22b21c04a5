//! A small HTTP load generator: closed-loop throughput, and latency at a fixed request rate
//! (measured from each request's scheduled start, so a stall is not hidden).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

type HttpClient = Client<HttpConnector, Empty<Bytes>>;

fn client() -> HttpClient {
    Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(256)
        .build_http()
}

/// Figures of one run.
#[derive(Debug, Clone)]
pub struct Report {
    pub requests: usize,
    pub errors: usize,
    pub per_second: f64,
    pub p50: Duration,
    pub p99: Duration,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:>9.0} req/s  p50 {:>7.3} ms  p99 {:>7.3} ms  ({} requests, {} errors)",
            self.per_second,
            self.p50.as_secs_f64() * 1e3,
            self.p99.as_secs_f64() * 1e3,
            self.requests,
            self.errors
        )
    }
}

async fn get(client: &HttpClient, uri: &hyper::Uri) -> bool {
    match client.get(uri.clone()).await {
        Ok(res) => {
            let ok = res.status().is_success();
            ok && res.into_body().collect().await.is_ok()
        }
        Err(_) => false,
    }
}

fn report(mut latencies: Vec<Duration>, errors: usize, elapsed: Duration) -> Report {
    latencies.sort_unstable();
    let pick = |q: f64| {
        latencies
            .get(((latencies.len() as f64 * q) as usize).min(latencies.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    Report {
        requests: latencies.len(),
        errors,
        per_second: latencies.len() as f64 / elapsed.as_secs_f64(),
        p50: pick(0.50),
        p99: pick(0.99),
    }
}

/// `connections` clients each sending the next request as soon as the last one is answered,
/// cycling through `uris`, for `duration`.
pub async fn closed_loop(
    uris: Arc<Vec<hyper::Uri>>,
    connections: usize,
    duration: Duration,
) -> Report {
    let client = client();
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let (client, uris, next) = (client.clone(), uris.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0;
            while start.elapsed() < duration {
                let uri = &uris[next.fetch_add(1, Ordering::Relaxed) % uris.len()];
                let t = Instant::now();
                if get(&client, uri).await {
                    lat.push(t.elapsed());
                } else {
                    errors += 1;
                }
            }
            (lat, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (lat, e) = t.await.expect("load task");
        all.extend(lat);
        errors += e;
    }
    report(all, errors, start.elapsed())
}

/// Requests started at a fixed `rate` per second for `duration`; latency counts from the
/// scheduled start.
pub async fn fixed_rate(uris: Arc<Vec<hyper::Uri>>, rate: u32, duration: Duration) -> Report {
    let client = client();
    let interval = Duration::from_secs_f64(1.0 / f64::from(rate.max(1)));
    let total = (duration.as_secs_f64() * f64::from(rate)) as usize;
    let start = Instant::now();
    let mut tasks = Vec::with_capacity(total);
    for i in 0..total {
        let scheduled = start + interval * i as u32;
        tokio::time::sleep_until(scheduled.into()).await;
        let (client, uris) = (client.clone(), uris.clone());
        tasks.push(tokio::spawn(async move {
            let ok = get(&client, &uris[i % uris.len()]).await;
            (ok, scheduled.elapsed())
        }));
    }
    let mut lat = Vec::with_capacity(total);
    let mut errors = 0;
    for t in tasks {
        let (ok, d) = t.await.expect("load task");
        if ok {
            lat.push(d);
        } else {
            errors += 1;
        }
    }
    report(lat, errors, start.elapsed())
}

/// The URIs `base` + each path.
pub fn uris(base: String, paths: &[String]) -> Arc<Vec<hyper::Uri>> {
    Arc::new(
        paths
            .iter()
            .map(|p| format!("{base}{p}").parse().expect("uri"))
            .collect(),
    )
}

/// One measured case: ours and the baseline, the same paths.
pub struct Case {
    pub name: &'static str,
    pub ours: Arc<Vec<hyper::Uri>>,
    pub bare: Arc<Vec<hyper::Uri>>,
}

/// Runs each case against both servers (warm-up, throughput, fixed rate) on a client runtime
/// of its own, and prints the figures side by side.
pub fn compare(
    cases: Vec<Case>,
    connections: usize,
    rate: u32,
    secs: Duration,
) -> anyhow::Result<()> {
    let client = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    for case in cases {
        client.block_on(async {
            let _ = closed_loop(case.ours.clone(), 8, Duration::from_millis(500)).await;
            let _ = closed_loop(case.bare.clone(), 8, Duration::from_millis(500)).await;
            let ours_t = closed_loop(case.ours.clone(), connections, secs).await;
            let bare_t = closed_loop(case.bare.clone(), connections, secs).await;
            let ours_r = fixed_rate(case.ours.clone(), rate, secs).await;
            let bare_r = fixed_rate(case.bare.clone(), rate, secs).await;
            println!("\n{}", case.name);
            println!("  throughput, {connections} connections");
            println!("    lianmeng  {ours_t}");
            println!("    baseline  {bare_t}");
            println!(
                "    ratio     {:.2}x of the bare handler",
                ours_t.per_second / bare_t.per_second.max(1.0)
            );
            println!("  fixed rate {rate} req/s");
            println!("    lianmeng  {ours_r}");
            println!("    baseline  {bare_r}");
        });
    }
    Ok(())
}
