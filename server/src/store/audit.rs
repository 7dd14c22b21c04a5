//! The audit log: who did what to which entity, and when.

use super::{Tx, now_ms};

/// Records one action inside the transaction that performs it.
#[tracing::instrument(skip(tx, detail))]
pub async fn record(
    tx: &mut Tx,
    actor_id: Option<i64>,
    action: &str,
    entity_kind: &str,
    entity_id: i64,
    detail: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (actor_id, action, entity_kind, entity_id, detail, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(actor_id)
    .bind(action)
    .bind(entity_kind)
    .bind(entity_id)
    .bind(detail)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
