//! Requests to add a host enterprise to the union tree (org_requests): asked by a person whose
//! unit is missing, decided once by the staff of the union named as its parent or above.

use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use super::{Tx, is_unique_violation, lifecycle, now_ms, rfc3339};
use crate::domain::request::RequestStatus;

/// A request with the names a list shows.
#[derive(Debug, Clone)]
pub struct OrgRequest {
    pub id: i64,
    pub parent_id: i64,
    pub parent_name: String,
    /// The parent's place in the tree (the staff above it decide).
    pub parent_path: String,
    pub name: String,
    pub note: String,
    pub requested_by: i64,
    pub requester_name: String,
    pub status: RequestStatus,
    pub reason: String,
    /// The enterprise made on approval.
    pub org_id: Option<i64>,
    pub created_at: String,
}

const SELECT: &str = "SELECT r.id, r.parent_id, p.name AS parent_name, p.path AS parent_path, \
    r.name, r.note, r.requested_by, u.display_name AS requester_name, r.status, r.reason, \
    r.org_id, r.created_at \
    FROM org_requests r JOIN orgs p ON p.id = r.parent_id JOIN users u ON u.id = r.requested_by";

fn request(r: &AnyRow) -> sqlx::Result<OrgRequest> {
    Ok(OrgRequest {
        id: r.try_get("id")?,
        parent_id: r.try_get("parent_id")?,
        parent_name: r.try_get("parent_name")?,
        parent_path: r.try_get("parent_path")?,
        name: r.try_get("name")?,
        note: r.try_get("note")?,
        requested_by: r.try_get("requested_by")?,
        requester_name: r.try_get("requester_name")?,
        status: lifecycle(r.try_get("status")?, RequestStatus::parse)?,
        reason: r.try_get("reason")?,
        org_id: r.try_get("org_id")?,
        created_at: rfc3339(r.try_get("created_at")?),
    })
}

/// Records a pending request; `Ok(None)` when the same name is already pending there.
pub async fn insert(
    tx: &mut Tx,
    parent_id: i64,
    name: &str,
    note: &str,
    requested_by: i64,
) -> sqlx::Result<Option<i64>> {
    let res = sqlx::query(
        "INSERT INTO org_requests (parent_id, name, note, requested_by, status, created_at) \
         VALUES ($1, $2, $3, $4, 'pending', $5) RETURNING id",
    )
    .bind(parent_id)
    .bind(name)
    .bind(note)
    .bind(requested_by)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await;
    match res {
        Ok(r) => Ok(Some(r.try_get(0)?)),
        Err(e) if is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

pub async fn find(pool: &AnyPool, id: i64) -> sqlx::Result<Option<OrgRequest>> {
    let sql = format!("{SELECT} WHERE r.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(pool)
        .await?
        .as_ref()
        .map(request)
        .transpose()
}

/// Pending requests under the org at `path` (its own and its subtree's), oldest first.
pub async fn pending_under(
    pool: &AnyPool,
    path: &str,
    limit: i64,
) -> sqlx::Result<Vec<OrgRequest>> {
    let sql = format!(
        "{SELECT} WHERE p.path LIKE $1 || '%' AND r.status = 'pending' ORDER BY r.id LIMIT $2"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(path)
        .bind(limit)
        .fetch_all(pool)
        .await?;
    rows.iter().map(request).collect()
}

/// A person's own requests, newest first.
pub async fn of_requester(
    pool: &AnyPool,
    user_id: i64,
    limit: i64,
) -> sqlx::Result<Vec<OrgRequest>> {
    let sql = format!("{SELECT} WHERE r.requested_by = $1 ORDER BY r.id DESC LIMIT $2");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(user_id)
        .bind(limit)
        .fetch_all(pool)
        .await?;
    rows.iter().map(request).collect()
}

/// Decides a pending request (with the enterprise made on approval); `false` when it was no
/// longer pending.
pub async fn decide(
    tx: &mut Tx,
    id: i64,
    to: RequestStatus,
    by: i64,
    reason: &str,
    org_id: Option<i64>,
) -> sqlx::Result<bool> {
    let res = sqlx::query(
        "UPDATE org_requests SET status = $1, decided_by = $2, decided_at = $3, reason = $4, \
         org_id = $5 WHERE id = $6 AND status = 'pending'",
    )
    .bind(to.code())
    .bind(by)
    .bind(now_ms())
    .bind(reason)
    .bind(org_id)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(res.rows_affected() == 1)
}
