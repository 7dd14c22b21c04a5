//! Applications and their status, conditional on the status read so that two staff deciding
//! at once cannot both win; the studio taking its name.

use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use crate::domain::naming::ApplicationStatus;
use crate::store::{Tx, is_unique_violation, lifecycle, now_ms, rfc3339};

/// An application with what its steps need to know of the studio and the batch.
#[derive(Debug, Clone)]
pub struct Application {
    pub id: i64,
    pub batch_id: i64,
    pub batch_title: String,
    /// The naming union.
    pub org_id: i64,
    pub org_path: String,
    pub studio_id: i64,
    /// The applicant's name: the studio's, or the alliance's when an alliance applies.
    pub studio_name: String,
    /// The alliance applying through its lead studio (`studio_id`), if any.
    pub alliance_id: Option<i64>,
    /// The studio's unit (its host org) and its path.
    pub unit_id: i64,
    pub unit_path: String,
    pub leader_id: i64,
    pub leader_name: String,
    pub applicant_id: i64,
    pub status: ApplicationStatus,
    /// The profile and evidence frozen when it was submitted (JSON), empty before.
    pub snapshot: String,
    pub proposed_name: String,
    pub notice_ends_at: Option<String>,
    pub notice_ends_ms: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
}

const SELECT_APPLICATION: &str = "SELECT a.id, a.batch_id, b.title AS batch_title, \
    b.org_id, bo.path AS org_path, a.studio_id, COALESCE(al.name, s.name) AS studio_name, a.alliance_id, s.org_id AS unit_id, \
    so.path AS unit_path, s.leader_id, u.display_name AS leader_name, a.applicant_id, a.status, \
    a.snapshot, a.proposed_name, a.notice_ends_at, a.created_at, a.updated_at \
    FROM naming_applications a \
    JOIN naming_batches b ON b.id = a.batch_id JOIN orgs bo ON bo.id = b.org_id \
    JOIN studios s ON s.id = a.studio_id JOIN orgs so ON so.id = s.org_id \
    JOIN users u ON u.id = s.leader_id LEFT JOIN alliances al ON al.id = a.alliance_id";

fn application(r: &AnyRow) -> sqlx::Result<Application> {
    let notice: Option<i64> = r.try_get("notice_ends_at")?;
    Ok(Application {
        id: r.try_get("id")?,
        batch_id: r.try_get("batch_id")?,
        batch_title: r.try_get("batch_title")?,
        org_id: r.try_get("org_id")?,
        org_path: r.try_get("org_path")?,
        studio_id: r.try_get("studio_id")?,
        studio_name: r.try_get("studio_name")?,
        alliance_id: r.try_get("alliance_id")?,
        unit_id: r.try_get("unit_id")?,
        unit_path: r.try_get("unit_path")?,
        leader_id: r.try_get("leader_id")?,
        leader_name: r.try_get("leader_name")?,
        applicant_id: r.try_get("applicant_id")?,
        status: lifecycle(r.try_get("status")?, ApplicationStatus::parse)?,
        snapshot: r.try_get("snapshot")?,
        proposed_name: r.try_get("proposed_name")?,
        notice_ends_at: notice.map(rfc3339),
        notice_ends_ms: notice,
        created_at: rfc3339(r.try_get("created_at")?),
        updated_at: rfc3339(r.try_get("updated_at")?),
    })
}

/// A new draft; `Ok(None)` when the studio already has an open application in the batch.
pub async fn insert_application(
    tx: &mut Tx,
    batch_id: i64,
    studio_id: i64,
    alliance_id: Option<i64>,
    applicant_id: i64,
    proposed_name: &str,
) -> sqlx::Result<Option<i64>> {
    let now = now_ms();
    let res = sqlx::query(
        "INSERT INTO naming_applications (batch_id, studio_id, alliance_id, applicant_id, status, \
         proposed_name, created_at, updated_at) VALUES ($1, $2, $6, $3, 'draft', $4, $5, $5) \
         RETURNING id",
    )
    .bind(batch_id)
    .bind(studio_id)
    .bind(applicant_id)
    .bind(proposed_name)
    .bind(now)
    .bind(alliance_id)
    .fetch_one(&mut **tx)
    .await;
    match res {
        Ok(row) => Ok(Some(row.try_get(0)?)),
        Err(e) if is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

pub async fn find_application(pool: &AnyPool, id: i64) -> sqlx::Result<Option<Application>> {
    let sql = format!("{SELECT_APPLICATION} WHERE a.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(pool)
        .await?
        .map(|r| application(&r))
        .transpose()
}

pub async fn find_application_in(tx: &mut Tx, id: i64) -> sqlx::Result<Option<Application>> {
    let sql = format!("{SELECT_APPLICATION} WHERE a.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| application(&r))
        .transpose()
}

/// Applications of a batch, oldest first; only those in the given statuses when any are given.
pub async fn of_batch(
    pool: &AnyPool,
    batch_id: i64,
    statuses: &[ApplicationStatus],
) -> sqlx::Result<Vec<Application>> {
    let mut sql = format!("{SELECT_APPLICATION} WHERE a.batch_id = $1");
    if !statuses.is_empty() {
        // Status codes are fixed identifiers, not input.
        let codes: Vec<String> = statuses.iter().map(|s| format!("'{}'", s.code())).collect();
        sql.push_str(&format!(" AND a.status IN ({})", codes.join(", ")));
    }
    sql.push_str(" ORDER BY a.id");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(batch_id)
        .fetch_all(pool)
        .await?;
    rows.iter().map(application).collect()
}

/// Applications not yet final, newest first (at most 200): the work that may wait for someone.
pub async fn open_applications(pool: &AnyPool) -> sqlx::Result<Vec<Application>> {
    let sql = format!(
        "{SELECT_APPLICATION} WHERE a.status NOT IN ('named', 'rejected', 'withdrawn') \
         ORDER BY a.id DESC LIMIT 200"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(pool)
        .await?;
    rows.iter().map(application).collect()
}

/// Applications of the studios a user belongs to, newest first.
pub async fn of_member(pool: &AnyPool, user_id: i64) -> sqlx::Result<Vec<Application>> {
    let sql = format!(
        "{SELECT_APPLICATION} WHERE a.studio_id IN \
         (SELECT studio_id FROM studio_members WHERE user_id = $1) ORDER BY a.id DESC LIMIT 100"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(user_id)
        .fetch_all(pool)
        .await?;
    rows.iter().map(application).collect()
}

/// How many applications of the batch are decided, in notice or named: the quota they use.
pub async fn quota_used(tx: &mut Tx, batch_id: i64) -> sqlx::Result<i64> {
    let row = sqlx::query(
        "SELECT COUNT(*) FROM naming_applications WHERE batch_id = $1 \
         AND status IN ('decided', 'notice', 'named')",
    )
    .bind(batch_id)
    .fetch_one(&mut **tx)
    .await?;
    row.try_get(0)
}

/// Moves the application from `from` to `to`; false when its status was no longer `from`.
pub async fn set_status(
    tx: &mut Tx,
    id: i64,
    from: ApplicationStatus,
    to: ApplicationStatus,
) -> sqlx::Result<bool> {
    let res = sqlx::query(
        "UPDATE naming_applications SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4",
    )
    .bind(to.code())
    .bind(now_ms())
    .bind(id)
    .bind(from.code())
    .execute(&mut **tx)
    .await?;
    Ok(res.rows_affected() == 1)
}

pub async fn set_snapshot(tx: &mut Tx, id: i64, snapshot: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE naming_applications SET snapshot = $1 WHERE id = $2")
        .bind(snapshot)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn set_notice_end(tx: &mut Tx, id: i64, ends_ms: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE naming_applications SET notice_ends_at = $1 WHERE id = $2")
        .bind(ends_ms)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The studio takes its name: the naming union, the official name, the date.
pub async fn name_studio(
    tx: &mut Tx,
    studio_id: i64,
    naming_org_id: i64,
    name: &str,
) -> sqlx::Result<()> {
    let now = now_ms();
    sqlx::query(
        "UPDATE studios SET naming_org_id = $1, name = $2, named_at = $3, updated_at = $3 \
         WHERE id = $4",
    )
    .bind(naming_org_id)
    .bind(name)
    .bind(now)
    .bind(studio_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The alliance takes its name: the naming union and the date (its name stays its own).
pub async fn name_alliance(tx: &mut Tx, alliance_id: i64, naming_org_id: i64) -> sqlx::Result<()> {
    let now = now_ms();
    sqlx::query(
        "UPDATE alliances SET naming_org_id = $1, named_at = $2, updated_at = $2 WHERE id = $3",
    )
    .bind(naming_org_id)
    .bind(now)
    .bind(alliance_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// How many of an alliance's member studios are online.
pub async fn online_members(pool: &AnyPool, alliance_id: i64) -> sqlx::Result<i64> {
    let row = sqlx::query(
        "SELECT COUNT(*) FROM alliance_members m JOIN studios s ON s.id = m.studio_id \
         WHERE m.alliance_id = $1 AND s.online = 1",
    )
    .bind(alliance_id)
    .fetch_one(pool)
    .await?;
    row.try_get(0)
}
