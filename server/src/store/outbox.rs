//! The outbox: one row per searchable or notifiable change, written in the changing transaction.

use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::Row;
use tokio::sync::Notify;

use super::{Tx, now_ms};
use crate::outbox::{Entity, Op};

/// Rows appended by this process, and a wake-up for whoever waits on them (this node's
/// indexer). A row becomes visible when its transaction commits, a moment after the append, so
/// a waiter woken here looks again briefly until it sees the row (see `jobs::indexer`). Other
/// nodes of a cluster find the row by polling.
static APPENDS: AtomicU64 = AtomicU64::new(0);
static APPENDED: Notify = Notify::const_new();

/// How many rows this process has appended so far.
pub fn appends() -> u64 {
    APPENDS.load(Ordering::Acquire)
}

/// Completes at the next append of this process.
pub async fn appended() {
    APPENDED.notified().await;
}

/// Appends an outbox row. The id comes from the `outbox` counter row, updated in this
/// transaction: the row lock orders concurrent writers, so ids become visible in id order and a
/// reader that has seen id N never later finds a smaller one.
#[tracing::instrument(skip(tx))]
pub async fn append(tx: &mut Tx, entity: Entity, entity_id: i64, op: Op) -> sqlx::Result<i64> {
    let id: i64 =
        sqlx::query("UPDATE counters SET value = value + 1 WHERE name = 'outbox' RETURNING value")
            .fetch_one(&mut **tx)
            .await?
            .try_get(0)?;
    sqlx::query(
        "INSERT INTO outbox (id, kind, entity_id, op, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(entity.code())
    .bind(entity_id)
    .bind(op.code())
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    APPENDS.fetch_add(1, Ordering::AcqRel);
    APPENDED.notify_waiters();
    Ok(id)
}

/// One outbox row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    pub id: i64,
    pub kind: String,
    pub entity_id: i64,
    pub op: String,
}

/// Rows after `after_id`, oldest first.
pub async fn after(
    pool: &sqlx::AnyPool,
    after_id: i64,
    limit: i64,
) -> sqlx::Result<Vec<OutboxEntry>> {
    let rows = sqlx::query(
        "SELECT id, kind, entity_id, op FROM outbox WHERE id > $1 ORDER BY id LIMIT $2",
    )
    .bind(after_id)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(OutboxEntry {
                id: r.try_get(0)?,
                kind: r.try_get(1)?,
                entity_id: r.try_get(2)?,
                op: r.try_get(3)?,
            })
        })
        .collect()
}

/// Every entity the outbox has ever named, and the newest outbox id: what a rebuild indexes.
pub async fn entities(pool: &sqlx::AnyPool) -> sqlx::Result<(Vec<(String, i64)>, i64)> {
    let rows = sqlx::query("SELECT DISTINCT kind, entity_id FROM outbox ORDER BY kind, entity_id")
        .fetch_all(pool)
        .await?;
    let entities = rows
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect::<sqlx::Result<Vec<_>>>()?;
    let last: i64 = sqlx::query("SELECT COALESCE(MAX(id), 0) FROM outbox")
        .fetch_one(pool)
        .await?
        .try_get(0)?;
    Ok((entities, last))
}
