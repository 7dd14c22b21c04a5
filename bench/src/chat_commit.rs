//! The chat commit alone: what committing a batch of messages costs per message, through the
//! server's own path (`chat_send::commit_batch`: sqlx's SQLite worker thread, one statement a
//! round trip) and, as the floor, the same work done with rusqlite on the calling thread with
//! cached prepared statements (look up the client id, take the room's next numbers, insert),
//! in one transaction per batch, on the same database file with the same pragmas (WAL,
//! `synchronous = NORMAL`). Wall time and this process's CPU time per message are printed for
//! each batch size, for one busy room and for messages spread over many rooms.

use std::time::Instant;

use lianmeng_server::config::Config;
use lianmeng_server::service::chat_send::{Outgoing, commit_batch};
use lianmeng_server::state::AppState;
use lianmeng_server::store::users;
use rusqlite::{Connection, params};

#[derive(clap::Args)]
pub struct Args {
    /// Messages committed per measurement.
    #[arg(long, default_value_t = 4_000)]
    messages: usize,
}

/// CPU time this process has used, in seconds (user + system, from /proc).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name (which may hold spaces) start after its ')'.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15; after ')' the state is field 3, at index 0.
    (ticks(11) + ticks(12)) / 100.0
}

struct Figure {
    wall_us: f64,
    cpu_us: f64,
}

fn per_message(n: usize, started: Instant, cpu0: f64) -> Figure {
    Figure {
        wall_us: started.elapsed().as_secs_f64() * 1e6 / n as f64,
        cpu_us: (cpu_seconds() - cpu0) * 1e6 / n as f64,
    }
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let (author, rooms) = rt.block_on(async {
        let mut config = Config::for_data_dir(dir.path().to_path_buf(), None);
        config.sweep_every = None;
        let state = AppState::connect(config).await?;
        lianmeng_server::demo::load(&state).await?;
        let user = users::find_by_username(state.db.reader(), "wangjianguo")
            .await?
            .ok_or_else(|| anyhow::anyhow!("the demo's first leader"))?;
        let rooms: Vec<String> = (1..=35).map(|id| format!("studio:{id}")).collect();
        anyhow::Ok(((user.id, user.display_name), rooms))
    })?;
    println!(
        "Chat commit alone: {} messages a measurement, SQLite in WAL with synchronous = NORMAL, a tokio runtime of 2 workers",
        args.messages
    );
    println!(
        "  {:<10} {:>6} {:>16} {:>16} {:>18} {:>18}",
        "rooms", "batch", "server µs/msg", "server CPU µs", "rusqlite µs/msg", "rusqlite CPU µs"
    );
    let mut run_no = 0usize;
    for spread in [1usize, rooms.len()] {
        for batch in [1usize, 8, 32, 128] {
            run_no += 1;
            let body = "主轴热变形补偿参数已更新，请在 3 号机床试切。";
            let make = |i: usize| Outgoing {
                room: rooms[i % spread].clone(),
                author_id: author.0,
                author_name: author.1.clone(),
                body: body.to_owned(),
                client_id: format!("bench-{run_no}-{i}"),
                mentioned: Vec::new(),
            };
            // The server's path, on the server's own pool.
            let ours = rt.block_on(async {
                let mut config = Config::for_data_dir(dir.path().to_path_buf(), None);
                config.sweep_every = None;
                let state = AppState::connect(config).await?;
                let messages: Vec<Outgoing> = (0..args.messages).map(make).collect();
                let started = Instant::now();
                let cpu0 = cpu_seconds();
                for chunk in messages.chunks(batch) {
                    let refs: Vec<&Outgoing> = chunk.iter().collect();
                    for r in commit_batch(&state.db, &refs).await {
                        r.map_err(|e| anyhow::anyhow!("commit: {e}"))?;
                    }
                }
                let f = per_message(args.messages, started, cpu0);
                state.db.reader().close().await;
                anyhow::Ok(f)
            })?;
            // The floor: the same rows with rusqlite on this thread.
            let floor = floor(
                &dir.path().join("lianmeng.db"),
                &(0..args.messages)
                    .map(|i| (rooms[i % spread].clone(), format!("floor-{run_no}-{i}")))
                    .collect::<Vec<_>>(),
                author.0,
                body,
                batch,
            )?;
            println!(
                "  {:<10} {:>6} {:>16.1} {:>16.1} {:>18.1} {:>18.1}",
                spread, batch, ours.wall_us, ours.cpu_us, floor.wall_us, floor.cpu_us
            );
        }
    }
    println!(
        "  (CPU is the whole process's, per message: the server's row includes the runtime and sqlx's worker thread.)"
    );
    Ok(())
}

/// The floor: per batch one transaction; per message a client-id lookup and an insert; per
/// room of the batch one counter update; every statement prepared once and cached.
fn floor(
    path: &std::path::Path,
    messages: &[(String, String)],
    author: i64,
    body: &str,
    batch: usize,
) -> anyhow::Result<Figure> {
    let mut conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    let started = Instant::now();
    let cpu0 = cpu_seconds();
    for chunk in messages.chunks(batch) {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        {
            let mut seen = tx.prepare_cached(
                "SELECT seq FROM chat_messages WHERE room = ?1 AND author_id = ?2 AND client_id = ?3",
            )?;
            let mut take = tx.prepare_cached(
                "INSERT INTO chat_rooms (name, last_seq, created_at) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (name) DO UPDATE SET last_seq = chat_rooms.last_seq + excluded.last_seq \
                 RETURNING last_seq",
            )?;
            let mut insert = tx.prepare_cached(
                "INSERT INTO chat_messages (room, seq, author_id, body, client_id, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as i64);
            let mut counts: std::collections::BTreeMap<&str, i64> = Default::default();
            for (room, client_id) in chunk {
                let before: Option<i64> = seen
                    .query_row(params![room, author, client_id], |r| r.get(0))
                    .ok();
                if before.is_none() {
                    *counts.entry(room.as_str()).or_default() += 1;
                }
            }
            let mut next: std::collections::BTreeMap<&str, i64> = Default::default();
            for (room, n) in &counts {
                let last: i64 = take.query_row(params![room, n, now], |r| r.get(0))?;
                next.insert(room, last - n + 1);
            }
            for (room, client_id) in chunk {
                let seq = next.get_mut(room.as_str()).expect("counted above");
                insert.execute(params![room, *seq, author, body, client_id, now])?;
                *seq += 1;
            }
        }
        tx.commit()?;
    }
    Ok(per_message(messages.len(), started, cpu0))
}
