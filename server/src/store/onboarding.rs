//! Onboarding supervision (上线进网督导): the deadline settings along a subtree, and the reminders
//! sent to leaders of studios still offline, each once per studio, kind and deadline.

use sqlx::{AnyPool, Row};

use crate::domain::onboarding::{DeadlineNode, Reminder};
use crate::store::{Tx, is_unique_violation, lifecycle, now_ms, rfc3339};

/// The deadline settings of the orgs in the subtree at `path` and of its ancestors.
pub async fn deadline_nodes(pool: &AnyPool, path: &str) -> sqlx::Result<Vec<DeadlineNode>> {
    let rows = sqlx::query(
        "SELECT path, deadline_demo, deadline_all, remind_days FROM orgs \
         WHERE path LIKE $1 || '%' OR $1 LIKE path || '%'",
    )
    .bind(path)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(DeadlineNode {
                path: r.try_get("path")?,
                deadline_demo: r.try_get("deadline_demo")?,
                deadline_all: r.try_get("deadline_all")?,
                remind_days: r.try_get("remind_days")?,
            })
        })
        .collect()
}

/// A reminder that was sent.
#[derive(Debug, Clone)]
pub struct Sent {
    pub studio_id: i64,
    pub kind: Reminder,
    /// The deadline it was about.
    pub deadline: String,
    pub sent_at: String,
}

/// The reminders sent about these studios, oldest first.
pub async fn sent(pool: &AnyPool, studio_ids: &[i64]) -> sqlx::Result<Vec<Sent>> {
    if studio_ids.is_empty() {
        return Ok(Vec::new());
    }
    // Ids are integers: safe to inline.
    let ids: Vec<String> = studio_ids.iter().map(i64::to_string).collect();
    let sql = format!(
        "SELECT studio_id, kind, deadline, sent_at FROM onboarding_reminders \
         WHERE studio_id IN ({}) ORDER BY id",
        ids.join(", ")
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Sent {
                studio_id: r.try_get("studio_id")?,
                kind: lifecycle(r.try_get("kind")?, Reminder::parse)?,
                deadline: r.try_get("deadline")?,
                sent_at: rfc3339(r.try_get("sent_at")?),
            })
        })
        .collect()
}

/// Records a reminder; false when this one was already sent (by this node or another).
pub async fn record(
    tx: &mut Tx,
    studio_id: i64,
    kind: Reminder,
    deadline: &str,
    leader_id: i64,
) -> sqlx::Result<bool> {
    let res = sqlx::query(
        "INSERT INTO onboarding_reminders (studio_id, kind, deadline, leader_id, sent_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(studio_id)
    .bind(kind.code())
    .bind(deadline)
    .bind(leader_id)
    .bind(now_ms())
    .execute(&mut **tx)
    .await;
    match res {
        Ok(_) => Ok(true),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}
