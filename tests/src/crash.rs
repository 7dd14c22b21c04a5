//! The crash soak: concurrent writers of every kind that matters (challenge steps, claims,
//! awards, outcomes, chat messages, event registrations) against a server that is killed with
//! SIGKILL at random moments and started again on the same data. After each restart every
//! acknowledged write must be there, nothing twice, the search index must agree with the
//! database, and capacity and exclusive awards must hold. Shared by the bench
//! (`lianmeng-bench crash --rounds N`) and a short run in the suite.
//!
//! The server runs as a child process ([`node`] is its body) so that it can be killed for real.

use std::collections::{BTreeMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

/// The demo password of every demo account.
const DEMO_PASSWORD: &str = "lianmeng2026";
/// The event's capacity: fewer seats than would-be registrants.
const CAPACITY: i64 = 3;

/// How the child server is started: a program and its arguments, to which `--data-dir DIR`
/// and, on PostgreSQL, `--database-url URL` are appended.
#[derive(Debug, Clone)]
pub struct NodeCommand {
    pub program: PathBuf,
    pub args: Vec<String>,
    pub envs: Vec<(String, String)>,
}

/// The soak's settings.
#[derive(Debug, Clone)]
pub struct Soak {
    pub rounds: usize,
    pub data_dir: PathBuf,
    pub database_url: Option<String>,
    pub node: NodeCommand,
}

/// What the soak found, for the bench to print and the test to assert.
#[derive(Debug, Default, Clone)]
pub struct Report {
    pub rounds: usize,
    /// Acknowledged writes checked after the kills, by kind.
    pub acknowledged: BTreeMap<&'static str, usize>,
    /// Every problem found; empty when all held.
    pub failures: Vec<String>,
    /// Time from kill to the first answered request of the restarted server, per round.
    pub restarts: Vec<Duration>,
    /// Time until every acknowledged challenge of a round was searchable again.
    pub searchable: Vec<Duration>,
}

/// The body of the child server: opens `data_dir` (the demo data is loaded into an empty
/// database), serves on a free port and prints `ready ADDR`, then serves until killed.
pub async fn node(data_dir: PathBuf, database_url: Option<String>) -> anyhow::Result<()> {
    let mut config = lianmeng_server::config::Config::for_tests(data_dir, database_url);
    config.sweep_every = None;
    config.chat.rate_per_sec = 100_000;
    let state = lianmeng_server::state::AppState::connect(config).await?;
    lianmeng_server::demo::load_if_empty(&state).await?;
    let running = lianmeng_server::app::Running::start(state, "127.0.0.1:0").await?;
    println!("ready {}", running.addr);
    std::future::pending::<()>().await;
    Ok(())
}

struct Node {
    child: Child,
    base: String,
}

impl Node {
    fn start(soak: &Soak) -> anyhow::Result<Node> {
        let mut cmd = Command::new(&soak.node.program);
        cmd.args(&soak.node.args)
            .envs(soak.node.envs.iter().map(|(k, v)| (k, v)))
            .env("LIANMENG_CRASH_DATA_DIR", &soak.data_dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        match &soak.database_url {
            Some(url) => cmd.env("LIANMENG_CRASH_DATABASE_URL", url),
            None => cmd.env_remove("LIANMENG_CRASH_DATABASE_URL"),
        };
        let mut child = cmd.spawn()?;
        let stdout = child.stdout.take().expect("piped");
        let mut lines = BufReader::new(stdout).lines();
        let addr = loop {
            match lines.next() {
                Some(Ok(l)) => {
                    if let Some(addr) = l.split_whitespace().skip_while(|w| *w != "ready").nth(1) {
                        break addr.to_owned();
                    }
                }
                _ => {
                    let _ = child.kill();
                    anyhow::bail!("the server exited before it was ready");
                }
            }
        };
        std::thread::spawn(move || lines.for_each(drop));
        Ok(Node {
            child,
            base: format!("http://{addr}"),
        })
    }

    /// SIGKILL: no shutdown, no flush, no goodbye.
    fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the writers were told was done.
#[derive(Debug, Default)]
struct Acked {
    /// Published challenges: (id, code in the title).
    challenges: Vec<(i64, String)>,
    /// (challenge, claim).
    claims: Vec<(i64, i64)>,
    /// (challenge, claim) awarded.
    awards: Vec<(i64, i64)>,
    outcomes: Vec<i64>,
    /// (message id, client id).
    messages: Vec<(i64, String)>,
    /// Client ids sent and not answered when the server died: sent again after the restart.
    unanswered: Vec<String>,
    /// Users registered for the event.
    registrations: HashSet<i64>,
}

struct People {
    /// Token and user id of the poster (A) and the three claimants (B, C, D).
    tokens: Vec<(String, i64)>,
    studios: Vec<i64>,
    event: i64,
}

/// Runs the soak; the report says what held.
pub async fn run(soak: &Soak) -> anyhow::Result<Report> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .pool_max_idle_per_host(0)
        .build()?;
    let mut report = Report {
        rounds: soak.rounds,
        ..Report::default()
    };
    let mut node = Node::start(soak)?;
    let people = setup(&client, &node.base).await?;
    let people = Arc::new(people);
    let acked = Arc::new(Mutex::new(Acked::default()));
    for round in 0..soak.rounds {
        let base = Arc::new(node.base.clone());
        let writers = spawn_writers(&client, &base, &people, &acked, round);
        // A random moment, from the clock's nanoseconds: 150 ms to 1.2 s into the round.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .subsec_nanos() as u64;
        tokio::time::sleep(Duration::from_millis(150 + nanos % 1050)).await;
        let killed_at = Instant::now();
        node.kill();
        for w in writers {
            let _ = w.await;
        }
        node = Node::start(soak)?;
        report.restarts.push(killed_at.elapsed());
        let searchable = check(&client, &node.base, &people, &acked, &mut report).await?;
        report.searchable.push(searchable);
    }
    let acked = acked.lock().expect("acked").clone_counts();
    report.acknowledged = acked;
    drop(node);
    integrity(soak, &mut report).await?;
    Ok(report)
}

impl Acked {
    fn clone_counts(&self) -> BTreeMap<&'static str, usize> {
        BTreeMap::from([
            ("challenges", self.challenges.len()),
            ("claims", self.claims.len()),
            ("awards", self.awards.len()),
            ("outcomes", self.outcomes.len()),
            ("chat messages", self.messages.len()),
            ("registrations", self.registrations.len()),
        ])
    }
}

async fn login(
    client: &reqwest::Client,
    base: &str,
    username: &str,
) -> anyhow::Result<(String, i64, i64)> {
    let res: Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": username, "password": DEMO_PASSWORD}))
        .send()
        .await?
        .json()
        .await?;
    let token = res["token"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("login {username}: {res}"))?;
    let me: Value = client
        .get(format!("{base}/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await?
        .json()
        .await?;
    let studio = me["roles"]
        .as_array()
        .into_iter()
        .flatten()
        .find_map(|r| r.as_str()?.strip_prefix("leader:")?.parse().ok())
        .ok_or_else(|| anyhow::anyhow!("{username} leads no studio"))?;
    Ok((token.to_owned(), me["id"].as_i64().unwrap_or(0), studio))
}

async fn setup(client: &reqwest::Client, base: &str) -> anyhow::Result<People> {
    let mut tokens = Vec::new();
    let mut studios = Vec::new();
    for name in ["wangjianguo", "lixiumei", "zhaotiejun", "sunzhigang"] {
        let (token, id, studio) = login(client, base, name).await?;
        tokens.push((token, id));
        studios.push(studio);
    }
    let event: Value = client
        .post(format!("{base}/api/v1/events"))
        .bearer_auth(&tokens[0].0)
        .json(
            &json!({"studio_id": studios[0], "kind": "site_visit", "title": "主轴维修现场观摩会",
            "description": "名额有限", "location": "秦川机床一号厂房",
            "starts_at": "2099-05-01T09:00", "ends_at": "2099-05-01T11:00", "capacity": CAPACITY}),
        )
        .send()
        .await?
        .json()
        .await?;
    let event = event["id"]
        .as_i64()
        .ok_or_else(|| anyhow::anyhow!("event: {event}"))?;
    Ok(People {
        tokens,
        studios,
        event,
    })
}

type Task = tokio::task::JoinHandle<()>;

/// One task per kind of write; each runs until its server is gone.
fn spawn_writers(
    client: &reqwest::Client,
    base: &Arc<String>,
    people: &Arc<People>,
    acked: &Arc<Mutex<Acked>>,
    round: usize,
) -> Vec<Task> {
    let mut tasks = Vec::new();
    let ctx = || (client.clone(), base.clone(), people.clone(), acked.clone());
    // The poster: a challenge written and published, over and over.
    let (c, b, p, a) = ctx();
    tasks.push(tokio::spawn(async move {
        for n in 0.. {
            let code = format!("crash{round}x{n}");
            let Ok(res) = c
                .post(format!("{b}/api/v1/challenges"))
                .bearer_auth(&p.tokens[0].0)
                .json(&json!({"studio_id": p.studios[0], "title": format!("主轴温升攻关 {code}"),
                    "description": "数控机床主轴温升过快，需要可靠的冷却方案。", "industry": "machinery",
                    "deadline": "2099-12-31", "reward_yuan": 10000}))
                .send()
                .await
            else {
                return;
            };
            let Ok(ch) = res.json::<Value>().await else { return };
            let Some(id) = ch["id"].as_i64() else { return };
            let Ok(res) = c
                .post(format!("{b}/api/v1/challenges/{id}/publish"))
                .bearer_auth(&p.tokens[0].0)
                .json(&json!({}))
                .send()
                .await
            else {
                return;
            };
            if res.status() == StatusCode::OK {
                a.lock().expect("acked").challenges.push((id, code));
            }
        }
    }));
    // Three claimants claim the challenges they see acknowledged.
    for k in 1..=3 {
        let (c, b, p, a) = ctx();
        tasks.push(tokio::spawn(async move {
            for n in 0usize.. {
                let target = {
                    let a = a.lock().expect("acked");
                    let len = a.challenges.len();
                    (len > 0).then(|| a.challenges[(n * 7 + k) % len].0)
                };
                let Some(ch) = target else {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                };
                let Ok(res) = c
                    .post(format!("{b}/api/v1/challenges/{ch}/claims"))
                    .bearer_auth(&p.tokens[k].0)
                    .json(&json!({"studio_id": p.studios[k], "proposal": "分段冷却加热补偿，三周出样。"}))
                    .send()
                    .await
                else {
                    return;
                };
                if res.status() == StatusCode::CREATED {
                    let Ok(claim) = res.json::<Value>().await else { return };
                    if let Some(id) = claim["id"].as_i64() {
                        a.lock().expect("acked").claims.push((ch, id));
                    }
                }
            }
        }));
    }
    // Two awarders race on the same challenges with different claims: one award each at most.
    for k in 0..2usize {
        let (c, b, p, a) = ctx();
        tasks.push(tokio::spawn(async move {
            for n in 0usize.. {
                let target = {
                    let a = a.lock().expect("acked");
                    let len = a.claims.len();
                    (len > 0).then(|| a.claims[(n * 3 + k * 5) % len])
                };
                let Some((ch, claim)) = target else {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                };
                let Ok(res) = c
                    .post(format!("{b}/api/v1/challenges/{ch}/claims/{claim}/award"))
                    .bearer_auth(&p.tokens[0].0)
                    .json(&json!({}))
                    .send()
                    .await
                else {
                    return;
                };
                if res.status() == StatusCode::OK {
                    a.lock().expect("acked").awards.push((ch, claim));
                }
            }
        }));
    }
    // Outcomes entered by hand.
    let (c, b, p, a) = ctx();
    tasks.push(tokio::spawn(async move {
        for n in 0.. {
            let Ok(res) = c
                .post(format!("{b}/api/v1/outcomes"))
                .bearer_auth(&p.tokens[0].0)
                .json(&json!({"studio_id": p.studios[0], "title": format!("主轴热变形补偿法 crash{round}o{n}"),
                    "summary": "温升降低三成", "body": "分段冷却与热变形补偿结合。", "kind": "technical_innovation"}))
                .send()
                .await
            else {
                return;
            };
            if res.status() == StatusCode::CREATED {
                let Ok(o) = res.json::<Value>().await else { return };
                if let Some(id) = o["id"].as_i64() {
                    a.lock().expect("acked").outcomes.push(id);
                }
            }
        }
    }));
    // Chat: the poster talks in the studio's room; a send cut off by the kill is resent after.
    let (c, b, p, a) = ctx();
    tasks.push(tokio::spawn(async move {
        for n in 0.. {
            let client_id = format!("r{round}-{n}");
            a.lock().expect("acked").unanswered.push(client_id.clone());
            let Ok(res) = c
                .post(format!("{b}/api/v1/rooms/studio:{}/messages", p.studios[0]))
                .bearer_auth(&p.tokens[0].0)
                .json(&json!({"body": format!("三号机床主轴复测 {client_id}"), "client_id": client_id}))
                .send()
                .await
            else {
                return;
            };
            let Ok(m) = res.json::<Value>().await else { return };
            if let Some(id) = m["id"].as_i64() {
                let mut a = a.lock().expect("acked");
                a.unanswered.retain(|c| *c != client_id);
                a.messages.push((id, client_id));
            }
        }
    }));
    // Four people want three seats, again and again.
    for k in 0..4usize {
        let (c, b, p, a) = ctx();
        tasks.push(tokio::spawn(async move {
            loop {
                let Ok(res) = c
                    .post(format!("{b}/api/v1/events/{}/registrations", p.event))
                    .bearer_auth(&p.tokens[k].0)
                    .json(&json!({}))
                    .send()
                    .await
                else {
                    return;
                };
                if res.status() == StatusCode::CREATED {
                    a.lock().expect("acked").registrations.insert(p.tokens[k].1);
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        }));
    }
    tasks
}

async fn get(
    client: &reqwest::Client,
    url: String,
    token: &str,
) -> anyhow::Result<(StatusCode, Value)> {
    let res = client.get(url).bearer_auth(token).send().await?;
    let status = res.status();
    Ok((status, res.json().await.unwrap_or(Value::Null)))
}

/// After a restart: what was acknowledged is there, once; returns how long search took to
/// agree.
async fn check(
    client: &reqwest::Client,
    base: &str,
    people: &People,
    acked: &Mutex<Acked>,
    report: &mut Report,
) -> anyhow::Result<Duration> {
    let token = &people.tokens[0].0;
    let (challenges, claims, awards, outcomes, messages, unanswered, registrations) = {
        let mut a = acked.lock().expect("acked");
        (
            a.challenges.clone(),
            a.claims.clone(),
            a.awards.clone(),
            a.outcomes.clone(),
            a.messages.clone(),
            std::mem::take(&mut a.unanswered),
            a.registrations.clone(),
        )
    };
    let fail = |report: &mut Report, what: String| report.failures.push(what);
    let mut awarded: BTreeMap<i64, i64> = BTreeMap::new();
    let touched: HashSet<i64> = claims.iter().map(|(ch, _)| *ch).collect();
    for (id, _) in &challenges {
        let (status, ch) = get(client, format!("{base}/api/v1/challenges/{id}"), token).await?;
        if status != StatusCode::OK || ch["status"] == "draft" {
            fail(report, format!("published challenge {id} lost: {status}"));
            continue;
        }
        if !touched.contains(id) {
            continue;
        }
        let listed: Vec<(i64, String)> = ch["claims"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| {
                (
                    c["id"].as_i64().unwrap_or(0),
                    c["status"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect();
        for (ch_id, claim) in claims.iter().filter(|(c, _)| c == id) {
            if !listed.iter().any(|(c, _)| c == claim) {
                fail(report, format!("claim {claim} on challenge {ch_id} lost"));
            }
        }
        let winners: Vec<i64> = listed
            .iter()
            .filter(|(_, s)| s == "awarded")
            .map(|(c, _)| *c)
            .collect();
        if winners.len() > 1 {
            fail(report, format!("challenge {id} awarded twice: {winners:?}"));
        }
        if let Some(w) = winners.first() {
            awarded.insert(*id, *w);
        }
    }
    for (ch, claim) in &awards {
        if awarded.get(ch) != Some(claim) {
            fail(
                report,
                format!("award of claim {claim} on challenge {ch} lost"),
            );
        }
    }
    for id in &outcomes {
        let (status, _) = get(client, format!("{base}/api/v1/outcomes/{id}"), token).await?;
        if status != StatusCode::OK {
            fail(report, format!("outcome {id} lost: {status}"));
        }
    }
    // Sends cut off by the kill are sent again with the same client id: once, never twice.
    let room = format!("{base}/api/v1/rooms/studio:{}/messages", people.studios[0]);
    for client_id in &unanswered {
        let res = client
            .post(&room)
            .bearer_auth(token)
            .json(&json!({"body": format!("三号机床主轴复测 {client_id}"), "client_id": client_id}))
            .send()
            .await?;
        if !res.status().is_success() {
            fail(report, format!("resending {client_id}: {}", res.status()));
        }
    }
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut ids = HashSet::new();
    let mut after = 0;
    loop {
        let (status, page) = get(client, format!("{room}?after={after}&limit=200"), token).await?;
        let items = page["items"].as_array().cloned().unwrap_or_default();
        if status != StatusCode::OK || items.is_empty() {
            break;
        }
        for m in &items {
            after = after.max(m["id"].as_i64().unwrap_or(0));
            ids.insert(m["id"].as_i64().unwrap_or(0));
            if let Some(code) = m["body"]
                .as_str()
                .and_then(|b| b.strip_prefix("三号机床主轴复测 "))
            {
                *seen.entry(code.to_owned()).or_default() += 1;
            }
        }
    }
    for (id, client_id) in &messages {
        if !ids.contains(id) {
            fail(report, format!("chat message {id} ({client_id}) lost"));
        }
    }
    for (code, n) in &seen {
        if *n > 1 {
            fail(report, format!("chat message {code} stored {n} times"));
        }
    }
    for code in &unanswered {
        if !seen.contains_key(code) {
            fail(report, format!("resent chat message {code} missing"));
        }
    }
    let (_, event) = get(
        client,
        format!("{base}/api/v1/events/{}", people.event),
        token,
    )
    .await?;
    let registered = event["registered"].as_i64().unwrap_or(-1);
    if registered > CAPACITY {
        fail(
            report,
            format!("event over capacity: {registered} of {CAPACITY}"),
        );
    }
    if (registered as usize) < registrations.len() {
        fail(
            report,
            format!(
                "registrations lost: {registered} of {}",
                registrations.len()
            ),
        );
    }
    // The index agrees with the database: every acknowledged challenge is found by its code.
    let started = Instant::now();
    for (id, code) in &challenges {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let (_, found) = get(client, format!("{base}/api/v1/search?q={code}"), token).await?;
            let hit = found["items"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|i| i["id"] == *id);
            if hit {
                break;
            }
            if Instant::now() > deadline {
                fail(
                    report,
                    format!("challenge {id} ({code}) not searchable after the restart"),
                );
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    Ok(started.elapsed())
}

/// With the server stopped: the database file is sound and nothing is stored twice.
async fn integrity(soak: &Soak, report: &mut Report) -> anyhow::Result<()> {
    let url = match &soak.database_url {
        Some(url) => url.clone(),
        None => format!(
            "sqlite://{}?mode=rwc",
            soak.data_dir.join("lianmeng.db").display()
        ),
    };
    let db = lianmeng_server::store::Db::connect(&url).await?;
    let check = lianmeng_server::store::backup::integrity_check(&db).await?;
    if check != "ok" {
        report.failures.push(format!("integrity_check: {check}"));
    }
    let twice: Vec<(String, i64)> =
        sqlx::query_as("SELECT title, COUNT(*) FROM outcomes GROUP BY title HAVING COUNT(*) > 1")
            .fetch_all(db.reader())
            .await?;
    for (title, n) in twice {
        report
            .failures
            .push(format!("outcome {title} stored {n} times"));
    }
    db.close().await;
    Ok(())
}

/// The data directory of a soak in `dir`.
pub fn data_dir(dir: &Path) -> PathBuf {
    dir.join("data")
}
