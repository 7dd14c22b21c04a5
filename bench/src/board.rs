//! The challenge board and a challenge page with 20 claims, at 100,000 challenges and 300,000
//! claims, against a bare axum + rusqlite handler running the same SQL.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Path as UrlPath, State};
use axum::routing::get;
use axum::{Json, Router};
use lianmeng_server::app::Running;
use lianmeng_server::config::Config;
use lianmeng_server::state::AppState;
use lianmeng_server::store::challenges::{EVENTS, SELECT};
use lianmeng_server::store::claims::OF_CHALLENGE;
use rusqlite::{Connection, OpenFlags, Row, params};
use serde_json::{Value, json};

use crate::load::{Case, compare, uris};

#[derive(clap::Args)]
pub struct Args {
    #[arg(long, default_value_t = 5)]
    seconds: u64,
    #[arg(long, default_value_t = 32)]
    connections: usize,
    #[arg(long, default_value_t = 2000)]
    rate: u32,
    #[arg(long, default_value_t = 100_000)]
    challenges: i64,
    /// Challenges carrying 20 claims each; every other challenge gets one.
    #[arg(long, default_value_t = 10_000)]
    busy: i64,
}

/// The board as an anonymous visitor asks for it: open challenges in an industry, newest first.
const BOARD_WHERE: &str = "WHERE c.id < $1 AND c.visibility = 'public' AND c.status = $2 \
    AND c.industry = $3 AND c.status <> 'draft' ORDER BY c.id DESC LIMIT $4";

pub fn run(args: Args) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let servers = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let db = dir.path().join("lianmeng.db");
    let (ours, bare, busy_ids) = servers.block_on(async {
        let mut config = Config::for_data_dir(dir.path().to_path_buf(), None);
        config.sweep_every = None;
        let state = AppState::connect(config).await?;
        lianmeng_server::demo::load(&state).await?;
        let started = std::time::Instant::now();
        let busy_ids = generate(&db, args.challenges, args.busy)?;
        println!(
            "generated {} challenges and {} claims in {:.1} s",
            args.challenges,
            rusqlite::Connection::open(&db)?
                .query_row("SELECT COUNT(*) FROM claims", [], |r| r.get::<_, i64>(0))?,
            started.elapsed().as_secs_f64()
        );
        let running = Running::start(state, "127.0.0.1:0").await?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let bare = listener.local_addr()?;
        tokio::spawn(serve(listener, db.clone()));
        let ours = running.addr;
        std::mem::forget(running);
        anyhow::Ok((ours, bare, busy_ids))
    })?;
    let pages: Vec<String> = busy_ids.iter().map(|id| format!("/{id}")).collect();
    let cases = vec![
        Case {
            name: "challenge board (open, one industry, 20 per page)",
            ours: uris(
                format!("http://{ours}/api/v1/challenges"),
                &["?status=open&industry=machinery&limit=20".to_owned()],
            ),
            bare: uris(format!("http://{bare}/challenges"), &[String::new()]),
        },
        Case {
            name: "challenge page with 20 claims",
            ours: uris(format!("http://{ours}/api/v1/challenges"), &pages),
            bare: uris(format!("http://{bare}/challenges"), &pages),
        },
    ];
    compare(
        cases,
        args.connections,
        args.rate,
        Duration::from_secs(args.seconds),
    )
}

/// Fills the board straight through SQLite (a data generator, not the code under test):
/// `n` open challenges by the demo studios, `busy` of them with 20 claims, the rest with one.
fn generate(db: &Path, n: i64, busy: i64) -> anyhow::Result<Vec<i64>> {
    let mut conn = Connection::open(db)?;
    conn.busy_timeout(Duration::from_secs(10))?;
    let tx = conn.transaction()?;
    let studios: Vec<(i64, i64)> = tx
        .prepare("SELECT id, leader_id FROM studios ORDER BY id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let industries = [
        "machinery",
        "power",
        "rail",
        "chemicals",
        "textiles",
        "post_telecom",
    ];
    let now = 1_790_000_000_000i64;
    let mut busy_ids = Vec::new();
    {
        let mut ch = tx.prepare(
            "INSERT INTO challenges (studio_id, author_id, title, description, industry, tags, deadline, reward_yuan, \
             visibility, claim_mode, status, last_activity_at, created_at, updated_at, published_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, '焊缝\n探伤', '2099-12-31', ?6, 'public', 'exclusive', 'open', ?7, ?7, ?7, ?7)",
        )?;
        let mut claim = tx.prepare(
            "INSERT INTO claims (challenge_id, studio_id, author_id, proposal, plan, status, created_at) \
             VALUES (?1, ?2, ?3, ?4, '三个月完成', 'pending', ?5)",
        )?;
        let mut member = tx.prepare("INSERT INTO claim_members (claim_id, user_id, studio_id, share_percent) VALUES (?1, ?2, ?3, 100)")?;
        for i in 0..n {
            let (sid, leader) = studios[i as usize % studios.len()];
            ch.execute(params![
                sid,
                leader,
                format!("第{i}号难题：大型铸件焊缝超声波探伤漏检率高"),
                "近半年焊缝返修率上升，需要一套可靠的探伤工艺。现有设备为常规 A 型脉冲反射式探伤仪。",
                industries[i as usize % industries.len()],
                10_000 + i % 90_000,
                now + i
            ])?;
            let cid = tx.last_insert_rowid();
            // Busy ones carry 20; of the rest every ninth has two, for 300,000 claims at the defaults.
            let claims = if i < busy {
                20
            } else {
                1 + i64::from(i % 9 == 0)
            };
            if i < busy {
                busy_ids.push(cid);
            }
            let mut k = 0;
            let mut j = 1;
            while k < claims {
                let (csid, cleader) = studios[(i as usize + j) % studios.len()];
                j += 1;
                if csid == sid {
                    continue;
                }
                claim.execute(params![
                    cid,
                    csid,
                    cleader,
                    "采用相控阵超声检测替代常规探伤，三个月内完成工艺验证。",
                    now + i
                ])?;
                member.execute(params![tx.last_insert_rowid(), cleader, csid])?;
                k += 1;
            }
        }
    }
    tx.commit()?;
    busy_ids.truncate(1000);
    Ok(busy_ids)
}

#[derive(Clone)]
struct Pool(Arc<Vec<Mutex<Connection>>>);

impl Pool {
    fn with<T>(&self, f: impl FnOnce(&Connection) -> T) -> T {
        for c in self.0.iter() {
            if let Ok(guard) = c.try_lock() {
                return f(&guard);
            }
        }
        f(&self.0[0].lock().expect("connection lock"))
    }
}

fn challenge(r: &Row<'_>) -> rusqlite::Result<Value> {
    let tags: String = r.get("tags")?;
    Ok(json!({
        "id": r.get::<_, i64>("id")?, "studio_id": r.get::<_, i64>("studio_id")?,
        "studio_name": r.get::<_, String>("studio_name")?, "author_id": r.get::<_, i64>("author_id")?,
        "title": r.get::<_, String>("title")?, "description": r.get::<_, String>("description")?,
        "industry": r.get::<_, String>("industry")?, "tags": tags.lines().collect::<Vec<_>>(),
        "deadline": r.get::<_, Option<String>>("deadline")?, "reward_yuan": r.get::<_, Option<i64>>("reward_yuan")?,
        "visibility": r.get::<_, String>("visibility")?, "alliance_id": r.get::<_, Option<i64>>("alliance_id")?,
        "claim_mode": r.get::<_, String>("claim_mode")?, "status": r.get::<_, String>("status")?,
        "send_backs": r.get::<_, i64>("send_backs")?, "summary": r.get::<_, String>("summary")?,
        "rating": r.get::<_, Option<i64>>("rating")?, "review": r.get::<_, String>("review")?,
        "cancel_reason": r.get::<_, String>("cancel_reason")?, "outcome_id": r.get::<_, Option<i64>>("outcome_id")?,
        "published_at": r.get::<_, Option<i64>>("published_at")?, "claim_count": r.get::<_, i64>("claim_count")?,
        "created_at": r.get::<_, i64>("created_at")?,
    }))
}

async fn board(State(pool): State<Pool>) -> Json<Value> {
    let sql = format!("{SELECT}{BOARD_WHERE}");
    let items = tokio::task::spawn_blocking(move || {
        pool.with(|c| {
            let mut stmt = c.prepare_cached(&sql).expect("prepare");
            stmt.query_map(params![i64::MAX, "open", "machinery", 21i64], challenge)
                .expect("query")
                .collect::<Result<Vec<_>, _>>()
                .expect("rows")
        })
    })
    .await
    .expect("blocking");
    Json(json!({ "items": items, "next_cursor": null }))
}

async fn page(State(pool): State<Pool>, UrlPath(id): UrlPath<i64>) -> Json<Value> {
    let sql = format!("{SELECT}WHERE c.id = $1");
    let body = tokio::task::spawn_blocking(move || {
        pool.with(|c| {
            let mut ch = c.prepare_cached(&sql).expect("prepare").query_row([id], challenge).expect("challenge");
            let mut claims: Vec<Value> = Vec::new();
            let mut stmt = c.prepare_cached(OF_CHALLENGE).expect("prepare");
            let mut rows = stmt.query([id]).expect("query");
            while let Some(r) = rows.next().expect("row") {
                let claim_id: i64 = r.get(0).expect("id");
                if claims.last().is_none_or(|k| k["id"] != claim_id) {
                    claims.push(json!({"id": claim_id, "challenge_id": r.get::<_, i64>(1).expect("c"), "studio_id": r.get::<_, i64>(2).expect("s"),
                        "studio_name": r.get::<_, String>(3).expect("n"), "author_id": r.get::<_, i64>(4).expect("a"), "proposal": r.get::<_, String>(5).expect("p"),
                        "plan": r.get::<_, String>(6).expect("p"), "status": r.get::<_, String>(7).expect("s"), "created_at": r.get::<_, i64>(8).expect("t"), "team": []}));
                }
                if let Some(user_id) = r.get::<_, Option<i64>>(9).expect("u") {
                    let m = json!({"user_id": user_id, "display_name": r.get::<_, String>(10).expect("d"),
                        "studio_id": r.get::<_, i64>(11).expect("s"), "studio_name": r.get::<_, String>(12).expect("n"), "share_percent": r.get::<_, i64>(13).expect("p")});
                    if let Some(k) = claims.last_mut() {
                        k["team"].as_array_mut().expect("team").push(m);
                    }
                }
            }
            drop(rows);
            drop(stmt);
            let events: Vec<Value> = c
                .prepare_cached(EVENTS)
                .expect("prepare")
                .query_map([id], |r| Ok(json!({"id": r.get::<_, i64>(0)?, "kind": r.get::<_, String>(3)?})))
                .expect("query")
                .collect::<Result<_, _>>()
                .expect("rows");
            ch["claims"] = Value::Array(claims);
            ch["timeline"] = Value::Array(events);
            ch
        })
    })
    .await
    .expect("blocking");
    Json(body)
}

async fn serve(listener: tokio::net::TcpListener, db: PathBuf) -> anyhow::Result<()> {
    let mut conns = Vec::new();
    for _ in 0..8 {
        conns.push(Mutex::new(Connection::open_with_flags(
            &db,
            OpenFlags::SQLITE_OPEN_READ_ONLY,
        )?));
    }
    let app = Router::new()
        .route("/challenges", get(board))
        .route("/challenges/{id}", get(page))
        .with_state(Pool(Arc::new(conns)));
    axum::serve(listener, app).await?;
    Ok(())
}
