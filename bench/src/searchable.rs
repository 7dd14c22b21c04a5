//! Write-to-searchable through the running server: a leader posts and publishes a challenge
//! over HTTP, then searches for it until it appears; the time from the published answer to the
//! first search that finds it, once with the server otherwise idle and once while other writers
//! publish challenges.

use std::time::{Duration, Instant};

use lianmeng_server::app::Running;
use lianmeng_server::config::Config;
use lianmeng_server::state::AppState;
use serde_json::{Value, json};

#[derive(clap::Args)]
pub struct Args {
    /// Challenges timed per phase.
    #[arg(long, default_value_t = 100)]
    writes: usize,
    /// Background challenges published per second in the second phase.
    #[arg(long, default_value_t = 50)]
    background_rate: u32,
}

struct Client {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Client {
    async fn post(&self, path: &str, body: Value) -> anyhow::Result<Value> {
        let res = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await?;
        anyhow::ensure!(res.status().is_success(), "{path}: {}", res.status());
        Ok(res.json().await?)
    }

    /// Creates and publishes a challenge whose title carries `marker`; returns its id.
    async fn publish(&self, studio: i64, marker: &str) -> anyhow::Result<i64> {
        let body = json!({"studio_id": studio, "title": format!("齿轮箱轴承温升异常 {marker}"),
            "description": "风电齿轮箱高速轴轴承温升超过 70℃，需要查明原因并提出改进方案。"});
        let ch = self.post("/api/v1/challenges", body).await?;
        let id = ch["id"].as_i64().unwrap_or_default();
        self.post(&format!("/api/v1/challenges/{id}/publish"), json!({}))
            .await?;
        Ok(id)
    }

    async fn found(&self, marker: &str, id: i64) -> anyhow::Result<bool> {
        let url = format!("{}/api/v1/search?q={marker}&kind=challenge", self.base);
        let v: Value = self.http.get(url).send().await?.json().await?;
        Ok(v["items"]
            .as_array()
            .is_some_and(|items| items.iter().any(|i| i["id"] == id)))
    }
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    rt.block_on(async {
        let mut config = Config::for_data_dir(dir.path().to_path_buf(), None);
        config.sweep_every = None;
        let state = AppState::connect(config).await?;
        lianmeng_server::demo::load(&state).await?;
        let running = Running::start(state, "127.0.0.1:0").await?;
        let http = reqwest::Client::new();
        let base = running.url("");
        let login: Value = http
            .post(format!("{base}/api/v1/auth/login"))
            .json(&json!({"username": "wangjianguo", "password": "lianmeng2026"}))
            .send()
            .await?
            .json()
            .await?;
        let token = login["token"].as_str().unwrap_or_default().to_owned();
        let client = Client { http, base, token };
        let me: Value = client
            .http
            .get(format!("{}/api/v1/me", client.base))
            .bearer_auth(&client.token)
            .send()
            .await?
            .json()
            .await?;
        let studio = me["roles"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r.as_str()?.strip_prefix("leader:")?.parse::<i64>().ok())
            .next()
            .ok_or_else(|| anyhow::anyhow!("the demo leader leads no studio: {me}"))?;
        println!(
            "Write-to-searchable through the running server (embedded SQLite, demo data), {} writes per phase",
            args.writes
        );
        let idle = phase(&client, studio, args.writes, "A").await?;
        report("idle server", &idle);
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let background = {
            let stop = stop.clone();
            let client = Client {
                http: client.http.clone(),
                base: client.base.clone(),
                token: client.token.clone(),
            };
            let every = Duration::from_secs_f64(1.0 / f64::from(args.background_rate.max(1)));
            tokio::spawn(async move {
                let mut n = 0u64;
                let mut tick = tokio::time::interval(every);
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    tick.tick().await;
                    n += 1;
                    let _ = client.publish(studio, &format!("BG{n}Z")).await;
                }
                n
            })
        };
        let busy = phase(&client, studio, args.writes, "B").await?;
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let n = background.await?;
        report(
            &format!("with {} challenges/s published alongside ({n} in all)", args.background_rate),
            &busy,
        );
        running.stop().await?;
        anyhow::Ok(())
    })
}

/// Times `writes` challenges from their published answer to the first search that finds them.
async fn phase(
    client: &Client,
    studio: i64,
    writes: usize,
    tag: &str,
) -> anyhow::Result<Vec<Duration>> {
    let mut times = Vec::with_capacity(writes);
    for n in 0..writes {
        let marker = format!("LM{tag}{n}X");
        let id = client.publish(studio, &marker).await?;
        let published = Instant::now();
        loop {
            if client.found(&marker, id).await? {
                times.push(published.elapsed());
                break;
            }
            anyhow::ensure!(
                published.elapsed() < Duration::from_secs(30),
                "{marker} never became searchable"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
    times.sort();
    Ok(times)
}

fn report(what: &str, times: &[Duration]) {
    let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "  {what:<48} p50 {:>6.0} ms  p95 {:>6.0} ms  max {:>6.0} ms",
        ms(at(0.5)),
        ms(at(0.95)),
        ms(times[times.len() - 1])
    );
}
