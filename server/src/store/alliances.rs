//! Alliances (工作室联盟) and their member studios. Join requests are in `alliance_requests`.

use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use super::{Tx, is_unique_violation, lifecycle, now_ms, rfc3339};
use crate::domain::alliance::AllianceStatus;

#[derive(Debug, Clone)]
pub struct Alliance {
    pub id: i64,
    pub name: String,
    pub description: String,
    /// cross_region, cross_industry, cross_enterprise or within_enterprise.
    pub scope: String,
    /// The union org the alliance sits under.
    pub org_id: i64,
    pub org_name: String,
    pub lead_studio_id: i64,
    pub lead_studio_name: String,
    pub status: AllianceStatus,
    pub member_count: i64,
    pub created_at: String,
    pub org_path: String,
}

const SELECT: &str = "SELECT a.id, a.name, a.description, a.scope, a.org_id, o.name AS org_name, \
    o.path AS org_path, a.lead_studio_id, s.name AS lead_studio_name, a.status, a.created_at, \
    (SELECT COUNT(*) FROM alliance_members m WHERE m.alliance_id = a.id) AS member_count \
    FROM alliances a JOIN orgs o ON o.id = a.org_id JOIN studios s ON s.id = a.lead_studio_id";

fn alliance(r: &AnyRow) -> sqlx::Result<Alliance> {
    Ok(Alliance {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        description: r.try_get("description")?,
        scope: r.try_get("scope")?,
        org_id: r.try_get("org_id")?,
        org_name: r.try_get("org_name")?,
        org_path: r.try_get("org_path")?,
        lead_studio_id: r.try_get("lead_studio_id")?,
        lead_studio_name: r.try_get("lead_studio_name")?,
        status: lifecycle(r.try_get("status")?, AllianceStatus::parse)?,
        member_count: r.try_get("member_count")?,
        created_at: rfc3339(r.try_get("created_at")?),
    })
}

/// A new alliance.
#[derive(Debug)]
pub struct NewAlliance<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub scope: &'a str,
    pub org_id: i64,
    pub lead_studio_id: i64,
    pub founded_by: i64,
}

/// Inserts the alliance with its lead studio as first member; `Ok(None)` when the name is taken.
#[tracing::instrument(skip(tx))]
pub async fn insert(tx: &mut Tx, a: &NewAlliance<'_>) -> sqlx::Result<Option<i64>> {
    let now = now_ms();
    let res = sqlx::query(
        "INSERT INTO alliances (name, description, scope, org_id, lead_studio_id, status, \
         founded_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'forming', $6, $7, $7) \
         RETURNING id",
    )
    .bind(a.name)
    .bind(a.description)
    .bind(a.scope)
    .bind(a.org_id)
    .bind(a.lead_studio_id)
    .bind(a.founded_by)
    .bind(now)
    .fetch_one(&mut **tx)
    .await;
    let id: i64 = match res {
        Ok(r) => r.try_get(0)?,
        Err(e) if is_unique_violation(&e) => return Ok(None),
        Err(e) => return Err(e),
    };
    add_member(tx, id, a.lead_studio_id).await?;
    Ok(Some(id))
}

pub async fn find(pool: &AnyPool, id: i64) -> sqlx::Result<Option<Alliance>> {
    let sql = format!("{SELECT} WHERE a.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(pool)
        .await?
        .as_ref()
        .map(alliance)
        .transpose()
}

/// The directory: alliances other than dissolved ones, newest first, ids below `before_id`.
pub async fn list(
    pool: &AnyPool,
    studio_id: Option<i64>,
    before_id: Option<i64>,
    limit: i64,
) -> sqlx::Result<Vec<Alliance>> {
    let mut sql = format!("{SELECT} WHERE a.id < $1 AND a.status <> 'dissolved'");
    if let Some(s) = studio_id {
        // An integer cannot carry SQL.
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM alliance_members m WHERE m.alliance_id = a.id AND m.studio_id = {s})"
        ));
    }
    sql.push_str(" ORDER BY a.id DESC LIMIT $2");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(before_id.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(pool)
        .await?;
    rows.iter().map(alliance).collect()
}

/// A member studio as the alliance page shows it.
#[derive(Debug, Clone)]
pub struct MemberStudio {
    pub studio_id: i64,
    pub name: String,
    pub org_name: String,
    pub industry: String,
    pub region: String,
    pub joined_at: String,
}

pub async fn members(pool: &AnyPool, alliance_id: i64) -> sqlx::Result<Vec<MemberStudio>> {
    let rows = sqlx::query(
        "SELECT m.studio_id, s.name, o.name, s.industry, s.region, m.joined_at \
         FROM alliance_members m JOIN studios s ON s.id = m.studio_id JOIN orgs o ON o.id = s.org_id \
         WHERE m.alliance_id = $1 ORDER BY m.joined_at, m.studio_id",
    )
    .bind(alliance_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(MemberStudio {
                studio_id: r.try_get(0)?,
                name: r.try_get(1)?,
                org_name: r.try_get(2)?,
                industry: r.try_get(3)?,
                region: r.try_get(4)?,
                joined_at: rfc3339(r.try_get(5)?),
            })
        })
        .collect()
}

/// Member studio ids, inside a write transaction.
pub async fn member_ids(tx: &mut Tx, alliance_id: i64) -> sqlx::Result<Vec<i64>> {
    let rows = sqlx::query("SELECT studio_id FROM alliance_members WHERE alliance_id = $1")
        .bind(alliance_id)
        .fetch_all(&mut **tx)
        .await?;
    rows.iter().map(|r| r.try_get(0)).collect()
}

/// Adds a member studio; `Ok(false)` when it already belongs.
pub async fn add_member(tx: &mut Tx, alliance_id: i64, studio_id: i64) -> sqlx::Result<bool> {
    let res = sqlx::query(
        "INSERT INTO alliance_members (alliance_id, studio_id, joined_at) VALUES ($1, $2, $3)",
    )
    .bind(alliance_id)
    .bind(studio_id)
    .bind(now_ms())
    .execute(&mut **tx)
    .await;
    match res {
        Ok(_) => Ok(true),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

pub async fn remove_member(tx: &mut Tx, alliance_id: i64, studio_id: i64) -> sqlx::Result<bool> {
    let res = sqlx::query("DELETE FROM alliance_members WHERE alliance_id = $1 AND studio_id = $2")
        .bind(alliance_id)
        .bind(studio_id)
        .execute(&mut **tx)
        .await?;
    Ok(res.rows_affected() == 1)
}

/// Moves the alliance from `from` to `to`; `false` when someone else changed it first.
pub async fn set_status(
    tx: &mut Tx,
    id: i64,
    from: AllianceStatus,
    to: AllianceStatus,
) -> sqlx::Result<bool> {
    let res = sqlx::query(
        "UPDATE alliances SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4",
    )
    .bind(to.code())
    .bind(now_ms())
    .bind(id)
    .bind(from.code())
    .execute(&mut **tx)
    .await?;
    Ok(res.rows_affected() == 1)
}

pub async fn set_lead(tx: &mut Tx, id: i64, studio_id: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE alliances SET lead_studio_id = $1, updated_at = $2 WHERE id = $3")
        .bind(studio_id)
        .bind(now_ms())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The live alliances a user belongs to through any of their studios.
pub async fn of_user(pool: &AnyPool, user_id: i64) -> sqlx::Result<Vec<i64>> {
    let rows = sqlx::query(
        "SELECT DISTINCT am.alliance_id FROM alliance_members am \
         JOIN studio_members sm ON sm.studio_id = am.studio_id \
         JOIN alliances a ON a.id = am.alliance_id \
         WHERE sm.user_id = $1 AND a.status <> 'dissolved' ORDER BY am.alliance_id",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    rows.iter().map(|r| r.try_get(0)).collect()
}

/// Whether two studios share a live alliance (an apprentice may come from a fellow member).
pub async fn share_alliance(pool: &AnyPool, a: i64, b: i64) -> sqlx::Result<bool> {
    let row = sqlx::query(
        "SELECT 1 FROM alliance_members x JOIN alliance_members y ON y.alliance_id = x.alliance_id \
         JOIN alliances al ON al.id = x.alliance_id \
         WHERE x.studio_id = $1 AND y.studio_id = $2 AND al.status <> 'dissolved' LIMIT 1",
    )
    .bind(a)
    .bind(b)
    .fetch_optional(pool)
    .await?;
    Ok(row.is_some())
}

/// Locks the alliance row for this transaction (so membership changes serialise) and returns
/// its status and lead studio.
pub async fn lock(tx: &mut Tx, id: i64) -> sqlx::Result<Option<(AllianceStatus, i64)>> {
    sqlx::query(
        "UPDATE alliances SET updated_at = $1 WHERE id = $2 RETURNING status, lead_studio_id",
    )
    .bind(now_ms())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .map(|r| {
        Ok((
            lifecycle(r.try_get(0)?, AllianceStatus::parse)?,
            r.try_get(1)?,
        ))
    })
    .transpose()
}

/// Leaders of an alliance's member studios (for notifications).
pub async fn member_leaders(tx: &mut Tx, alliance_id: i64) -> sqlx::Result<Vec<i64>> {
    let rows = sqlx::query(
        "SELECT s.leader_id FROM alliance_members m JOIN studios s ON s.id = m.studio_id \
         WHERE m.alliance_id = $1",
    )
    .bind(alliance_id)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter().map(|r| r.try_get(0)).collect()
}

/// Whether a studio belongs to a live alliance.
pub async fn is_member(pool: &AnyPool, alliance_id: i64, studio_id: i64) -> sqlx::Result<bool> {
    let row = sqlx::query(
        "SELECT 1 FROM alliance_members m JOIN alliances a ON a.id = m.alliance_id \
         WHERE m.alliance_id = $1 AND m.studio_id = $2 AND a.status <> 'dissolved'",
    )
    .bind(alliance_id)
    .bind(studio_id)
    .fetch_optional(pool)
    .await?;
    Ok(row.is_some())
}
