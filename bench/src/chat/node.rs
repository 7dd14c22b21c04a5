//! A server under test, run as a child process so that its sockets have their own file-descriptor
//! limit and its memory can be read from /proc: either a Lianmeng node, or the bare baseline (a
//! tokio-tungstenite broadcast loop with the same read buffer as Lianmeng's, each frame encoded
//! once).

use std::collections::HashMap;
use std::io::BufRead;
use std::sync::{Arc, Mutex};

use futures_util::{SinkExt, StreamExt};
use lianmeng_server::app::Running;
use lianmeng_server::config::Config;
use lianmeng_server::state::AppState;
use tokio::net::TcpListener;
use tokio::sync::broadcast;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::Utf8Bytes;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

#[derive(clap::Args, Debug)]
pub struct NodeArgs {
    /// `ours` or `bare`.
    #[arg(long)]
    mode: String,
    #[arg(long)]
    database_url: Option<String>,
    #[arg(long)]
    redis_url: Option<String>,
    #[arg(long, default_value = "lmbench")]
    redis_prefix: String,
    /// Load the demo data and make this many public challenges (one room each).
    #[arg(long, default_value_t = 0)]
    rooms: i64,
}

/// Runs until its stdin closes. Prints `ready ADDR TOKEN FIRST_ROOM` once serving.
pub fn run(args: NodeArgs) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    rt.block_on(async {
        let line = match args.mode.as_str() {
            "bare" => {
                let listener = TcpListener::bind("127.0.0.1:0").await?;
                let addr = listener.local_addr()?;
                tokio::spawn(bare(listener));
                format!("ready {addr} - 1")
            }
            _ => ours(&args).await?,
        };
        println!("{line}");
        // Serve until the parent closes our stdin.
        tokio::task::spawn_blocking(|| {
            let mut s = String::new();
            while std::io::stdin()
                .lock()
                .read_line(&mut s)
                .is_ok_and(|n| n > 0)
            {}
        })
        .await?;
        anyhow::Ok(())
    })?;
    rt.shutdown_background();
    Ok(())
}

async fn ours(args: &NodeArgs) -> anyhow::Result<String> {
    let dir = tempfile::tempdir()?;
    let mut config = Config::for_data_dir(dir.path().join("data"), args.database_url.clone());
    config.redis_url = args.redis_url.clone();
    config.redis_prefix = args.redis_prefix.clone();
    config.sweep_every = None;
    config.chat.rate_per_sec = 1_000_000;
    let state = AppState::connect(config).await?;
    let first_room = if args.rooms > 0 {
        lianmeng_server::demo::load(&state).await?;
        make_rooms(&state, args.rooms).await?
    } else {
        1
    };
    let token = lianmeng_server::service::accounts::login(
        &state.db,
        &state.limiter,
        state.config.session_ttl,
        "wangjianguo",
        "lianmeng2026".to_owned(),
        "bench",
    )
    .await
    .map_err(|e| anyhow::anyhow!("login: {e}"))?
    .token;
    let running = Running::start(state, "127.0.0.1:0").await?;
    let addr = running.addr;
    std::mem::forget(running);
    std::mem::forget(dir);
    Ok(format!("ready {addr} {token} {first_room}"))
}

/// `n` published public challenges (everyone signed in may use their rooms); the first id.
async fn make_rooms(state: &AppState, n: i64) -> anyhow::Result<i64> {
    use sqlx::Row;
    let pool = state.db.reader();
    let studio: (i64, i64) = {
        let r = sqlx::query("SELECT id, leader_id FROM studios ORDER BY id LIMIT 1")
            .fetch_one(pool)
            .await?;
        (r.try_get(0)?, r.try_get(1)?)
    };
    let now = lianmeng_server::store::now_ms();
    let mut tx = state.db.begin().await?;
    let mut first = 0;
    for i in 0..n {
        let id: i64 = sqlx::query(
            "INSERT INTO challenges (studio_id, author_id, title, description, industry, tags, \
             visibility, claim_mode, status, last_activity_at, created_at, updated_at, published_at) \
             VALUES ($1, $2, $3, '压测用', 'machinery', '', 'public', 'exclusive', 'open', $4, $4, $4, $4) \
             RETURNING id",
        )
        .bind(studio.0)
        .bind(studio.1)
        .bind(format!("压测交流室 {i}"))
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        if i == 0 {
            first = id;
        }
    }
    tx.commit().await?;
    Ok(first)
}

type Rooms = Arc<Mutex<HashMap<String, broadcast::Sender<Utf8Bytes>>>>;

/// The baseline: the first text frame names the room; later ones (`room\nbody`) are broadcast
/// as received (one buffer, cloned per receiver) to that room's sockets.
async fn bare(listener: TcpListener) {
    let rooms: Rooms = Arc::default();
    let mut config = WebSocketConfig::default();
    config.read_buffer_size = lianmeng_server::api::chat_ws::READ_BUFFER;
    config.write_buffer_size = 0;
    config.max_message_size = Some(64 * 1024);
    config.max_frame_size = Some(64 * 1024);
    while let Ok((stream, _)) = listener.accept().await {
        let rooms = rooms.clone();
        tokio::spawn(async move {
            let Ok(mut ws) =
                tokio_tungstenite::accept_async_with_config(stream, Some(config)).await
            else {
                return;
            };
            let Some(Ok(Message::Text(room))) = ws.next().await else {
                return;
            };
            let mut rx = {
                let mut rooms = rooms.lock().expect("rooms");
                rooms
                    .entry(room.to_string())
                    .or_insert_with(|| broadcast::channel(1024).0)
                    .subscribe()
            };
            loop {
                tokio::select! {
                    incoming = ws.next() => match incoming {
                        Some(Ok(Message::Text(t))) => {
                            let target = t.as_str().split_once('\n').map(|(r, _)| r.to_owned());
                            if let Some(target) = target {
                                let tx = rooms.lock().expect("rooms").get(&target).cloned();
                                if let Some(tx) = tx {
                                    let _ = tx.send(t);
                                }
                            }
                        }
                        Some(Ok(_)) => {}
                        _ => return,
                    },
                    out = rx.recv() => match out {
                        Ok(frame) => {
                            if ws.send(Message::Text(frame)).await.is_err() {
                                return;
                            }
                        }
                        Err(broadcast::error::RecvError::Lagged(_)) => {}
                        Err(_) => return,
                    },
                }
            }
        });
    }
}
