//! Chat fan-out next to a bare tokio-tungstenite broadcast loop, in the same run: deliveries per
//! second (one room of many subscribers; many small rooms), publish-to-last-subscriber latency,
//! memory per idle authenticated socket, and two nodes through Redis against one node.
//!
//! Servers run as child processes (`lianmeng-bench chat-node`), each with its own descriptor
//! limit; the load runs here. Both share the machine's cores, so absolute figures are
//! client-bound: read them as ratios.

mod clients;
pub mod node;
mod server;
mod usage;

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use clients::{Publisher, Stats, WARM_UP};
use server::{Server, WriterBatches};
use usage::{Cpu, per_delivery};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Subscribers of the one big room.
    #[arg(long, default_value_t = 10_000)]
    subscribers: usize,
    /// Messages published into the big room for the throughput figure.
    #[arg(long, default_value_t = 100)]
    burst: usize,
    /// Small rooms, and subscribers in each.
    #[arg(long, default_value_t = 1_000)]
    rooms: usize,
    #[arg(long, default_value_t = 10)]
    per_room: usize,
    /// Messages per small room.
    #[arg(long, default_value_t = 20)]
    per_room_messages: usize,
    /// Messages for the latency figure, one every `--latency-pace-ms`.
    #[arg(long, default_value_t = 100)]
    latency_messages: usize,
    /// Milliseconds between the latency figure's messages.
    #[arg(long, default_value_t = 50)]
    latency_pace_ms: u64,
    /// Idle sockets for the memory figure (each costs a descriptor here and in the server).
    #[arg(long, default_value_t = 15_000)]
    idle: usize,
    /// A PostgreSQL server (its admin URL) for the two-node run; a fresh database is made.
    #[arg(long, env = "LIANMENG_BENCH_DATABASE_URL")]
    database_url: Option<String>,
    /// Redis for the two-node run.
    #[arg(long, env = "LIANMENG_BENCH_REDIS_URL")]
    redis_url: Option<String>,
    /// Run only these parts (comma-separated: memory, one-room, many-rooms, latency, two-nodes);
    /// all of them when absent.
    #[arg(long, value_delimiter = ',')]
    only: Vec<Part>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    Memory,
    OneRoom,
    ManyRooms,
    Latency,
    TwoNodes,
}

impl Args {
    fn runs(&self, part: Part) -> bool {
        self.only.is_empty() || self.only.contains(&part)
    }
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    rt.block_on(bench(args))
}

async fn bench(args: Args) -> anyhow::Result<()> {
    println!(
        "chat fan-out: Lianmeng (SQLite, in-process bus) vs a bare tokio-tungstenite broadcast loop"
    );
    let rooms = args.rooms.to_string();
    let ours = Server::start(&["--mode", "ours", "--rooms", &rooms])?;
    let bare = Server::start(&["--mode", "bare"])?;
    let mut table = Vec::new();
    for (name, server) in [("bare", &bare), ("lianmeng", &ours)] {
        // Memory first, on a fresh process: freed buffers of earlier runs would hide the cost.
        let mem = if args.runs(Part::Memory) {
            idle_memory(server, args.idle).await?
        } else {
            f64::NAN
        };
        let big = if args.runs(Part::OneRoom) {
            fan_out(server, &[server], args.subscribers, 1, args.burst, None).await?
        } else {
            Run::SKIPPED
        };
        let small = if args.runs(Part::ManyRooms) {
            let subs = args.rooms * args.per_room;
            let messages = args.per_room_messages;
            fan_out(server, &[server], subs, args.rooms, messages, None).await?
        } else {
            Run::SKIPPED
        };
        let lat = if args.runs(Part::Latency) {
            let pace = Some(Duration::from_millis(args.latency_pace_ms));
            let messages = args.latency_messages;
            fan_out(server, &[server], args.subscribers, 1, messages, pace).await?
        } else {
            Run::SKIPPED
        };
        println!(
            "{name:>9}: 1×{} {:>10.0} deliveries/s | {}×{} {:>10.0} deliveries/s | latency p50 {:>6.1} ms p99 {:>6.1} ms | {:.1} KiB per idle socket",
            args.subscribers,
            big.rate,
            args.rooms,
            args.per_room,
            small.rate,
            lat.p50,
            lat.p99,
            mem
        );
        table.push((big, small, lat, mem));
    }
    let (b, o) = (&table[0], &table[1]);
    println!(
        "ratios (lianmeng / bare): one room {:.2}×, many rooms {:.2}×, p99 latency {:.2}×",
        o.0.rate / b.0.rate,
        o.1.rate / b.1.rate,
        o.2.p99 / b.2.p99
    );
    drop(ours);
    drop(bare);
    if args.runs(Part::TwoNodes) {
        two_nodes(&args).await?;
    }
    Ok(())
}

/// What one fan-out run measured.
struct Run {
    rate: f64,
    p50: f64,
    p99: f64,
}

impl Run {
    const SKIPPED: Run = Run {
        rate: f64::NAN,
        p50: f64::NAN,
        p99: f64::NAN,
    };
}

/// `subs` sockets spread round-robin over `nodes` and over `rooms` rooms; `messages` per room
/// published on `publish_on` (as fast as possible, or one per `pace`).
async fn fan_out(
    publish_on: &Server,
    nodes: &[&Server],
    subs: usize,
    rooms: usize,
    messages: usize,
    pace: Option<Duration>,
) -> anyhow::Result<Run> {
    let mut sockets = Vec::new();
    let per_node = subs.div_ceil(nodes.len());
    for (n, node) in nodes.iter().enumerate() {
        let count = per_node.min(subs - n * per_node);
        let offset = n * per_node;
        sockets.extend(
            clients::open_many(&node.target, count, |k| node.room((offset + k) % rooms)).await?,
        );
    }
    let total = rooms * messages;
    let stats = Stats::new(total);
    let readers = clients::spawn_readers(sockets, &stats);
    let mut publishers = Vec::new();
    for _ in 0..4 {
        publishers.push(Publisher::open(&publish_on.target).await?);
    }
    let n_pub = publishers.len();
    // One message per room before the clock starts, on both servers alike: each socket's
    // buffers are made and touched, and each room's first message is behind us.
    for r in 0..rooms {
        publishers[r % n_pub]
            .publish(&publish_on.room(r), WARM_UP, r)
            .await?;
    }
    let warm_deadline = Instant::now() + Duration::from_secs(60);
    while stats.warmed.load(Ordering::Relaxed) < subs as u64 && Instant::now() < warm_deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let batches_before = WriterBatches::read(publish_on).await;
    let (server_before, load_before) = (servers_cpu(nodes), Cpu::own());
    let start = Instant::now();
    for i in 0..total {
        let room = publish_on.room(i % rooms);
        publishers[i % n_pub]
            .publish(&room, &stats.marker(i), i)
            .await?;
        if let Some(pace) = pace {
            tokio::time::sleep(pace).await;
        }
    }
    let expected = (subs / rooms * total) as u64;
    let deadline = Instant::now() + Duration::from_secs(120);
    while stats.delivered.load(Ordering::Relaxed) < expected && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let elapsed = start.elapsed().as_secs_f64();
    let delivered = stats.delivered.load(Ordering::Relaxed);
    let (server_cpu, load_cpu) = (
        servers_cpu(nodes).since(server_before),
        Cpu::own().since(load_before),
    );
    if delivered < expected {
        println!("  (only {delivered} of {expected} deliveries arrived)");
    }
    let ended = stats.ended.lock().expect("stats lock").clone();
    if !ended.is_empty() {
        let codes: Vec<String> = ended.iter().map(|(c, n)| format!("{n}× {c}")).collect();
        println!(
            "  (sockets ended during the run, by close code, 0 for none: {})",
            codes.join(", ")
        );
    }
    if let (Some(before), Some(after)) = (batches_before, WriterBatches::read(publish_on).await) {
        println!("  ({})", after.since(&before));
    }
    if pace.is_none() {
        let embedded = nodes.iter().all(|n| n.embedded);
        print_cpu(server_cpu, load_cpu, delivered, embedded);
    }
    for r in readers {
        r.abort();
    }
    drop(publishers);
    let mut lat: Vec<f64> = stats
        .last_latency
        .iter()
        .map(|l| l.load(Ordering::Relaxed) as f64 / 1000.0)
        .collect();
    lat.sort_by(f64::total_cmp);
    let pct = |p: f64| {
        lat.get(((lat.len() as f64 * p) as usize).min(lat.len() - 1))
            .copied()
            .unwrap_or(0.0)
    };
    // Let the server notice the closed sockets before the next run.
    tokio::time::sleep(Duration::from_secs(2)).await;
    Ok(Run {
        rate: delivered as f64 / elapsed,
        p50: pct(0.50),
        p99: pct(0.99),
    })
}

/// The CPU time of a run's server processes, together.
fn servers_cpu(nodes: &[&Server]) -> Cpu {
    nodes
        .iter()
        .map(|node| Cpu::of(node.pid()))
        .fold(Cpu::default(), |sum, c| sum + c)
}

/// What one delivery cost in CPU: the server's (and within it, what committing messages took)
/// and the load side's. When both share the machine's cores, the sum bounds the rate: on two
/// cores, at most 2 s of CPU per second are there to spend.
fn print_cpu(server: Cpu, load: Cpu, delivered: u64, embedded: bool) {
    let writer = if !embedded {
        ", not counting PostgreSQL's and Redis's own processes".to_owned()
    } else if server.writer.is_zero() {
        String::new()
    } else {
        format!(
            ", of which {:.2} µs committing messages",
            per_delivery(server.writer, delivered)
        )
    };
    println!(
        "  (CPU per delivery: server {:.2} µs{writer}; load side {:.2} µs)",
        per_delivery(server.total, delivered),
        per_delivery(load.total, delivered)
    );
}

/// KiB of server memory per idle (authenticated, for Lianmeng) socket.
async fn idle_memory(server: &Server, n: usize) -> anyhow::Result<f64> {
    tokio::time::sleep(Duration::from_secs(1)).await;
    let before = server.rss_kib();
    let sockets = clients::open_many(&server.target, n, |_| String::new()).await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = server.rss_kib();
    drop(sockets);
    tokio::time::sleep(Duration::from_secs(2)).await;
    Ok(after.saturating_sub(before) as f64 / n as f64)
}

/// One node against two nodes sharing PostgreSQL and Redis, the same subscribers split over both.
async fn two_nodes(args: &Args) -> anyhow::Result<()> {
    let (Some(pg), Some(redis)) = (&args.database_url, &args.redis_url) else {
        println!("two nodes through Redis: skipped (set --database-url and --redis-url)");
        return Ok(());
    };
    let db = fresh_database(pg).await?;
    let prefix = format!("lmbench-{}", std::process::id());
    let common = [
        "--database-url",
        &db.1,
        "--redis-url",
        redis,
        "--redis-prefix",
        &prefix,
    ];
    let mut first = common.to_vec();
    first.extend(["--mode", "ours", "--rooms", "1"]);
    let a = Server::start(&first)?;
    let mut second = common.to_vec();
    second.extend(["--mode", "ours"]);
    let mut b = Server::start(&second)?;
    b.first_room = a.first_room;
    let one = fan_out(&a, &[&a], args.subscribers, 1, args.burst, None).await?;
    let two = fan_out(&a, &[&a, &b], args.subscribers, 1, args.burst, None).await?;
    println!(
        "two nodes through Redis (PostgreSQL): one node {:.0} deliveries/s, two nodes {:.0} deliveries/s: {:.2}×",
        one.rate,
        two.rate,
        two.rate / one.rate
    );
    drop(a);
    drop(b);
    drop_database(pg, &db.0).await
}

async fn fresh_database(admin: &str) -> anyhow::Result<(String, String)> {
    use sqlx::{Connection, Executor};
    let name = format!("lm_bench_{}", std::process::id());
    let mut conn = sqlx::PgConnection::connect(admin).await?;
    conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .await?;
    let base = admin.rsplit_once('/').map_or(admin, |(b, _)| b);
    Ok((name.clone(), format!("{base}/{name}")))
}

async fn drop_database(admin: &str, name: &str) -> anyhow::Result<()> {
    use sqlx::{Connection, Executor};
    let mut conn = sqlx::PgConnection::connect(admin).await?;
    conn.execute(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
    )))
    .await?;
    Ok(())
}
