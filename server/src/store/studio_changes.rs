//! Change requests of named studios (Jieyang art. 7), at most one open per studio, moved only
//! from the status read so that two staff deciding at once cannot both win.

use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use crate::domain::studio_change::{ChangeKind, ChangeStatus};
use crate::store::{Tx, is_unique_violation, lifecycle, now_ms, rfc3339};

/// A change request with what its steps need to know of the studio.
#[derive(Debug, Clone)]
pub struct StudioChange {
    pub id: i64,
    pub studio_id: i64,
    pub studio_name: String,
    /// The studio's unit and its path; the naming union and its path.
    pub unit_id: i64,
    pub unit_path: String,
    pub naming_org_id: Option<i64>,
    pub naming_org_path: String,
    pub kind: ChangeKind,
    pub new_leader_id: Option<i64>,
    pub new_leader_name: Option<String>,
    pub new_name: String,
    pub reason: String,
    pub status: ChangeStatus,
    pub requested_by: i64,
    pub requested_by_name: String,
    pub opinion: String,
    pub created_at: String,
    pub updated_at: String,
}

pub struct NewChange<'a> {
    pub studio_id: i64,
    pub kind: ChangeKind,
    pub new_leader_id: Option<i64>,
    pub new_name: &'a str,
    pub reason: &'a str,
    pub requested_by: i64,
}

const SELECT_CHANGE: &str = "SELECT c.id, c.studio_id, s.name AS studio_name, s.org_id AS unit_id, \
    so.path AS unit_path, s.naming_org_id, COALESCE(nmo.path, '') AS naming_org_path, c.kind, \
    c.new_leader_id, nl.display_name AS new_leader_name, c.new_name, c.reason, c.status, \
    c.requested_by, rb.display_name AS requested_by_name, c.opinion, c.created_at, c.updated_at \
    FROM studio_changes c JOIN studios s ON s.id = c.studio_id JOIN orgs so ON so.id = s.org_id \
    LEFT JOIN orgs nmo ON nmo.id = s.naming_org_id LEFT JOIN users nl ON nl.id = c.new_leader_id \
    JOIN users rb ON rb.id = c.requested_by";

fn change(r: &AnyRow) -> sqlx::Result<StudioChange> {
    Ok(StudioChange {
        id: r.try_get("id")?,
        studio_id: r.try_get("studio_id")?,
        studio_name: r.try_get("studio_name")?,
        unit_id: r.try_get("unit_id")?,
        unit_path: r.try_get("unit_path")?,
        naming_org_id: r.try_get("naming_org_id")?,
        naming_org_path: r.try_get("naming_org_path")?,
        kind: lifecycle(r.try_get("kind")?, ChangeKind::parse)?,
        new_leader_id: r.try_get("new_leader_id")?,
        new_leader_name: r.try_get("new_leader_name")?,
        new_name: r.try_get("new_name")?,
        reason: r.try_get("reason")?,
        status: lifecycle(r.try_get("status")?, ChangeStatus::parse)?,
        requested_by: r.try_get("requested_by")?,
        requested_by_name: r.try_get("requested_by_name")?,
        opinion: r.try_get("opinion")?,
        created_at: rfc3339(r.try_get("created_at")?),
        updated_at: rfc3339(r.try_get("updated_at")?),
    })
}

/// A new request; `Ok(None)` when the studio already has an open one.
pub async fn insert(tx: &mut Tx, c: &NewChange<'_>) -> sqlx::Result<Option<i64>> {
    let now = now_ms();
    let res = sqlx::query(
        "INSERT INTO studio_changes (studio_id, kind, new_leader_id, new_name, reason, status, \
         requested_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $7) \
         RETURNING id",
    )
    .bind(c.studio_id)
    .bind(c.kind.code())
    .bind(c.new_leader_id)
    .bind(c.new_name)
    .bind(c.reason)
    .bind(c.requested_by)
    .bind(now)
    .fetch_one(&mut **tx)
    .await;
    match res {
        Ok(row) => Ok(Some(row.try_get(0)?)),
        Err(e) if is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

pub async fn find(pool: &AnyPool, id: i64) -> sqlx::Result<Option<StudioChange>> {
    let sql = format!("{SELECT_CHANGE} WHERE c.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(pool)
        .await?
        .map(|r| change(&r))
        .transpose()
}

pub async fn find_in(tx: &mut Tx, id: i64) -> sqlx::Result<Option<StudioChange>> {
    let sql = format!("{SELECT_CHANGE} WHERE c.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| change(&r))
        .transpose()
}

/// Requests still waiting for a decision, oldest first (at most 200).
pub async fn open_changes(pool: &AnyPool) -> sqlx::Result<Vec<StudioChange>> {
    let sql = format!(
        "{SELECT_CHANGE} WHERE c.status IN ('pending', 'reviewed') ORDER BY c.id LIMIT 200"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(pool)
        .await?;
    rows.iter().map(change).collect()
}

/// A studio's change requests, newest first: its history of changes.
pub async fn of_studio(pool: &AnyPool, studio_id: i64) -> sqlx::Result<Vec<StudioChange>> {
    let sql = format!("{SELECT_CHANGE} WHERE c.studio_id = $1 ORDER BY c.id DESC LIMIT 50");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(studio_id)
        .fetch_all(pool)
        .await?;
    rows.iter().map(change).collect()
}

/// Moves the request from `from` to `to` with the decider's opinion; false when its status
/// was no longer `from`.
pub async fn set_status(
    tx: &mut Tx,
    id: i64,
    from: ChangeStatus,
    to: ChangeStatus,
    by: i64,
    opinion: &str,
) -> sqlx::Result<bool> {
    let column = match to {
        ChangeStatus::Reviewed => "reviewed_by",
        _ => "decided_by",
    };
    let sql = format!(
        "UPDATE studio_changes SET status = $1, {column} = $2, opinion = $3, updated_at = $4 \
         WHERE id = $5 AND status = $6"
    );
    let res = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(to.code())
        .bind(by)
        .bind(opinion)
        .bind(now_ms())
        .bind(id)
        .bind(from.code())
        .execute(&mut **tx)
        .await?;
    Ok(res.rows_affected() == 1)
}

/// The studio takes its new name.
pub async fn rename_studio(tx: &mut Tx, studio_id: i64, name: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE studios SET name = $1, updated_at = $2 WHERE id = $3")
        .bind(name)
        .bind(now_ms())
        .bind(studio_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
