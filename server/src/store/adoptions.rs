//! Adoptions (成果推广): a unit applied an outcome. Recorded by the unit, answered by the
//! outcome's studio.

use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use super::{Tx, now_ms, rfc3339};
use crate::domain::outcome::AdoptionStatus;

/// Where another unit applied the outcome.
#[derive(Debug, Clone)]
pub struct Adoption {
    pub id: i64,
    pub outcome_id: i64,
    /// The adopting unit in the org tree (`None` for adoptions recorded before units were).
    pub org_id: Option<i64>,
    /// The unit's name as recorded.
    pub unit: String,
    pub place: String,
    pub effect: String,
    pub status: AdoptionStatus,
    pub recorded_by: i64,
    pub recorded_by_name: String,
    pub created_at: String,
    pub decided_at: Option<String>,
}

const SELECT: &str = "SELECT a.id, a.outcome_id, a.org_id, a.unit, a.place, a.effect, \
    a.status, a.recorded_by, u.display_name AS recorder, a.created_at, a.decided_at \
    FROM adoptions a JOIN users u ON u.id = a.recorded_by";

fn adoption(r: &AnyRow) -> sqlx::Result<Adoption> {
    let status: String = r.try_get("status")?;
    Ok(Adoption {
        id: r.try_get("id")?,
        outcome_id: r.try_get("outcome_id")?,
        org_id: r.try_get("org_id")?,
        unit: r.try_get("unit")?,
        place: r.try_get("place")?,
        effect: r.try_get("effect")?,
        status: AdoptionStatus::parse(&status).unwrap_or(AdoptionStatus::Pending),
        recorded_by: r.try_get("recorded_by")?,
        recorded_by_name: r.try_get("recorder")?,
        created_at: rfc3339(r.try_get("created_at")?),
        decided_at: r.try_get::<Option<i64>, _>("decided_at")?.map(rfc3339),
    })
}

/// A new adoption, waiting for the studio's answer.
pub struct NewAdoption<'a> {
    pub outcome_id: i64,
    pub org_id: i64,
    pub unit: &'a str,
    pub place: &'a str,
    pub effect: &'a str,
    pub recorded_by: i64,
}

pub async fn insert(tx: &mut Tx, a: &NewAdoption<'_>) -> sqlx::Result<i64> {
    sqlx::query(
        "INSERT INTO adoptions (outcome_id, org_id, unit, place, effect, status, recorded_by, \
         created_at) VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7) RETURNING id",
    )
    .bind(a.outcome_id)
    .bind(a.org_id)
    .bind(a.unit)
    .bind(a.place)
    .bind(a.effect)
    .bind(a.recorded_by)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)
}

/// Whether the unit already has an adoption of the outcome waiting for an answer.
pub async fn pending_of_unit(tx: &mut Tx, outcome_id: i64, org_id: i64) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query(
        "SELECT COUNT(*) FROM adoptions WHERE outcome_id = $1 AND org_id = $2 \
         AND status = 'pending'",
    )
    .bind(outcome_id)
    .bind(org_id)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    Ok(n > 0)
}

/// The adoptions of an outcome, oldest first.
pub async fn of_outcome(pool: &AnyPool, outcome_id: i64) -> sqlx::Result<Vec<Adoption>> {
    let sql = format!("{SELECT} WHERE a.outcome_id = $1 ORDER BY a.id");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(outcome_id)
        .fetch_all(pool)
        .await?;
    rows.iter().map(adoption).collect()
}

pub async fn find(pool: &AnyPool, outcome_id: i64, id: i64) -> sqlx::Result<Option<Adoption>> {
    let sql = format!("{SELECT} WHERE a.outcome_id = $1 AND a.id = $2");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(outcome_id)
        .bind(id)
        .fetch_optional(pool)
        .await?
        .map(|r| adoption(&r))
        .transpose()
}

/// Answers a waiting adoption; `false` when it was answered meanwhile.
pub async fn answer(tx: &mut Tx, id: i64, status: AdoptionStatus, by: i64) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE adoptions SET status = $1, decided_by = $2, decided_at = $3 \
         WHERE id = $4 AND status = 'pending'",
    )
    .bind(status.code())
    .bind(by)
    .bind(now_ms())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}
