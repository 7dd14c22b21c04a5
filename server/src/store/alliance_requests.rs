//! Join requests (a studio asks) and invitations (the alliance asks) of alliances: one pending
//! per studio and alliance, decided once.

use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use super::{Tx, is_unique_violation, lifecycle, now_ms, rfc3339};
use crate::domain::alliance::RequestStatus;

/// A join request (the studio asks) or invitation (the alliance asks).
#[derive(Debug, Clone)]
pub struct JoinRequest {
    pub id: i64,
    pub alliance_id: i64,
    pub studio_id: i64,
    pub studio_name: String,
    /// request or invite.
    pub kind: String,
    pub status: RequestStatus,
    pub message: String,
    pub author_id: i64,
    pub created_at: String,
}

const SELECT_REQUESTS: &str = "SELECT r.id, r.alliance_id, r.studio_id, s.name AS studio_name, \
    r.kind, r.status, r.message, r.author_id, r.created_at \
    FROM alliance_requests r JOIN studios s ON s.id = r.studio_id";

fn request(r: &AnyRow) -> sqlx::Result<JoinRequest> {
    Ok(JoinRequest {
        id: r.try_get("id")?,
        alliance_id: r.try_get("alliance_id")?,
        studio_id: r.try_get("studio_id")?,
        studio_name: r.try_get("studio_name")?,
        kind: r.try_get("kind")?,
        status: lifecycle(r.try_get("status")?, RequestStatus::parse)?,
        message: r.try_get("message")?,
        author_id: r.try_get("author_id")?,
        created_at: rfc3339(r.try_get("created_at")?),
    })
}

/// Records a pending request; `Ok(None)` when one is already pending for this studio.
pub async fn insert_request(
    tx: &mut Tx,
    alliance_id: i64,
    studio_id: i64,
    kind: &str,
    message: &str,
    author_id: i64,
) -> sqlx::Result<Option<i64>> {
    let res = sqlx::query(
        "INSERT INTO alliance_requests (alliance_id, studio_id, kind, status, message, author_id, \
         created_at) VALUES ($1, $2, $3, 'pending', $4, $5, $6) RETURNING id",
    )
    .bind(alliance_id)
    .bind(studio_id)
    .bind(kind)
    .bind(message)
    .bind(author_id)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await;
    match res {
        Ok(r) => Ok(Some(r.try_get(0)?)),
        Err(e) if is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

pub async fn find_request(pool: &AnyPool, id: i64) -> sqlx::Result<Option<JoinRequest>> {
    let sql = format!("{SELECT_REQUESTS} WHERE r.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(pool)
        .await?
        .as_ref()
        .map(request)
        .transpose()
}

/// Pending requests and invitations of an alliance, oldest first.
pub async fn pending_requests(pool: &AnyPool, alliance_id: i64) -> sqlx::Result<Vec<JoinRequest>> {
    let sql = format!(
        "{SELECT_REQUESTS} WHERE r.alliance_id = $1 AND r.status = 'pending' ORDER BY r.id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(alliance_id)
        .fetch_all(pool)
        .await?;
    rows.iter().map(request).collect()
}

/// Decides a pending request; `false` when it was no longer pending.
pub async fn decide_request(
    tx: &mut Tx,
    id: i64,
    to: RequestStatus,
    by: i64,
) -> sqlx::Result<bool> {
    let res = sqlx::query(
        "UPDATE alliance_requests SET status = $1, decided_by = $2, decided_at = $3 \
         WHERE id = $4 AND status = 'pending'",
    )
    .bind(to.code())
    .bind(by)
    .bind(now_ms())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(res.rows_affected() == 1)
}
