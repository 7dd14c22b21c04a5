//! The baseline: a bare axum server answering the same two reads with rusqlite and the same
//! SQL text, no middleware, no policy, no templates.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use lianmeng_server::store::studio_members::MEMBERS;
use lianmeng_server::store::studios::SELECT;
use rusqlite::{Connection, OpenFlags, Row};
use serde_json::{Value, json};

#[derive(Clone)]
struct Pool(Arc<Vec<Mutex<Connection>>>);

impl Pool {
    fn open(db: &PathBuf, n: usize) -> anyhow::Result<Pool> {
        let mut conns = Vec::new();
        for _ in 0..n {
            let c = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
            c.busy_timeout(std::time::Duration::from_secs(5))?;
            conns.push(Mutex::new(c));
        }
        Ok(Pool(Arc::new(conns)))
    }

    fn with<T>(&self, f: impl FnOnce(&Connection) -> T) -> T {
        for c in self.0.iter() {
            if let Ok(guard) = c.try_lock() {
                return f(&guard);
            }
        }
        let guard = self.0[0].lock().expect("connection lock");
        f(&guard)
    }
}

fn studio(r: &Row<'_>) -> rusqlite::Result<Value> {
    Ok(json!({
        "id": r.get::<_, i64>("id")?,
        "name": r.get::<_, String>("name")?,
        "org_id": r.get::<_, i64>("org_id")?,
        "org_name": r.get::<_, String>("org_name")?,
        "naming_org_id": r.get::<_, Option<i64>>("naming_org_id")?,
        "kind": r.get::<_, String>("kind")?,
        "field": r.get::<_, String>("field")?,
        "industry": r.get::<_, String>("industry")?,
        "region": r.get::<_, String>("region")?,
        "founded_on": r.get::<_, String>("founded_on")?,
        "goals": r.get::<_, String>("goals")?,
        "intro": r.get::<_, String>("intro")?,
        "outcomes_summary": r.get::<_, String>("outcomes_summary")?,
        "honours": r.get::<_, String>("honours")?,
        "demonstration": r.get::<_, i64>("demonstration")? != 0,
        "status": r.get::<_, String>("status")?,
        "online": r.get::<_, i64>("online")? != 0,
        "onboarded_at": r.get::<_, Option<i64>>("onboarded_at")?,
        "leader_id": r.get::<_, i64>("leader_id")?,
        "leader_name": r.get::<_, String>("leader_name")?,
        "member_count": r.get::<_, i64>("member_count")?,
    }))
}

async fn list(State(pool): State<Pool>) -> Json<Value> {
    let sql = format!("{SELECT} WHERE s.id > $1 AND s.online = 1 ORDER BY s.id LIMIT $2");
    let items = tokio::task::spawn_blocking(move || {
        pool.with(|c| {
            let mut stmt = c.prepare_cached(&sql).expect("prepare");
            stmt.query_map(rusqlite::params![0i64, 21i64], studio)
                .expect("query")
                .collect::<Result<Vec<_>, _>>()
                .expect("rows")
        })
    })
    .await
    .expect("blocking");
    Json(json!({ "items": items, "next_cursor": null }))
}

async fn show(State(pool): State<Pool>, Path(id): Path<i64>) -> Json<Value> {
    let sql = format!("{SELECT} WHERE s.id = $1");
    let body = tokio::task::spawn_blocking(move || {
        pool.with(|c| {
            let mut stmt = c.prepare_cached(&sql).expect("prepare");
            let mut s = stmt.query_row([id], studio).expect("studio");
            let mut stmt = c.prepare_cached(MEMBERS).expect("prepare");
            let members: Vec<Value> = stmt
                .query_map([id], |r| {
                    Ok(json!({
                        "user_id": r.get::<_, i64>(0)?,
                        "display_name": r.get::<_, String>(1)?,
                        "role": r.get::<_, String>(2)?,
                        "trade": r.get::<_, String>(3)?,
                        "title": r.get::<_, String>(4)?,
                    }))
                })
                .expect("query")
                .collect::<Result<_, _>>()
                .expect("rows");
            s["members"] = Value::Array(members);
            s
        })
    })
    .await
    .expect("blocking");
    Json(body)
}

/// Serves the baseline on `listener` from the SQLite file `db`.
pub async fn serve(listener: tokio::net::TcpListener, db: PathBuf) -> anyhow::Result<()> {
    let pool = Pool::open(&db, 8)?;
    let app = Router::new()
        .route("/studios", get(list))
        .route("/studios/{id}", get(show))
        .with_state(pool);
    axum::serve(listener, app).await?;
    Ok(())
}
