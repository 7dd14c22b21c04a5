//! The expert pool of a union and the panel of an application, with its scores.

use sqlx::{AnyPool, Row};

use crate::store::{Tx, is_unique_violation, now_ms};

/// An expert on an application's panel and their score, once given.
#[derive(Debug, Clone)]
pub struct PanelSeat {
    pub expert_id: i64,
    pub expert_name: String,
    pub score: Option<i64>,
    pub comment: String,
}

/// Seats an expert; false when already on the panel.
pub async fn seat_expert(
    tx: &mut Tx,
    application_id: i64,
    expert_id: i64,
    assigned_by: i64,
) -> sqlx::Result<bool> {
    let res = sqlx::query(
        "INSERT INTO naming_experts (application_id, expert_id, assigned_by) VALUES ($1, $2, $3)",
    )
    .bind(application_id)
    .bind(expert_id)
    .bind(assigned_by)
    .execute(&mut **tx)
    .await;
    match res {
        Ok(_) => Ok(true),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Records a seated expert's score; false when they are not on the panel.
pub async fn record_score(
    tx: &mut Tx,
    application_id: i64,
    expert_id: i64,
    score: i64,
    comment: &str,
) -> sqlx::Result<bool> {
    let res = sqlx::query(
        "UPDATE naming_experts SET score = $1, comment = $2, scored_at = $3 \
         WHERE application_id = $4 AND expert_id = $5",
    )
    .bind(score)
    .bind(comment)
    .bind(now_ms())
    .bind(application_id)
    .bind(expert_id)
    .execute(&mut **tx)
    .await?;
    Ok(res.rows_affected() == 1)
}

pub async fn panel(pool: &AnyPool, application_id: i64) -> sqlx::Result<Vec<PanelSeat>> {
    let rows = sqlx::query(
        "SELECT e.expert_id, u.display_name, e.score, e.comment FROM naming_experts e \
         JOIN users u ON u.id = e.expert_id WHERE e.application_id = $1 ORDER BY e.expert_id",
    )
    .bind(application_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(PanelSeat {
                expert_id: r.try_get(0)?,
                expert_name: r.try_get(1)?,
                score: r.try_get(2)?,
                comment: r.try_get(3)?,
            })
        })
        .collect()
}

/// The panel's seats, and how many of them have no score yet.
pub async fn seats_unscored(tx: &mut Tx, application_id: i64) -> sqlx::Result<(i64, i64)> {
    let row = sqlx::query(
        "SELECT COUNT(*), COUNT(*) - COUNT(score) FROM naming_experts WHERE application_id = $1",
    )
    .bind(application_id)
    .fetch_one(&mut **tx)
    .await?;
    Ok((row.try_get(0)?, row.try_get(1)?))
}

/// Experts of an org's pool: (user, name, field).
pub async fn experts_of(pool: &AnyPool, org_id: i64) -> sqlx::Result<Vec<(i64, String, String)>> {
    let rows = sqlx::query(
        "SELECT r.user_id, u.display_name, r.field FROM staff_roles r \
         JOIN users u ON u.id = r.user_id WHERE r.org_id = $1 AND r.role = 'expert' \
         ORDER BY u.display_name",
    )
    .bind(org_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
        .collect()
}

/// The enterprises (host orgs) of the studios a user belongs to: an expert's own units.
pub async fn units_of(tx: &mut Tx, user_id: i64) -> sqlx::Result<Vec<i64>> {
    let rows = sqlx::query(
        "SELECT DISTINCT s.org_id FROM studio_members m JOIN studios s ON s.id = m.studio_id \
         WHERE m.user_id = $1",
    )
    .bind(user_id)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter().map(|r| r.try_get(0)).collect()
}

/// The applications where this expert sits on the panel and has not scored yet.
pub async fn unscored_seats(pool: &AnyPool, expert_id: i64) -> sqlx::Result<Vec<i64>> {
    let rows = sqlx::query(
        "SELECT application_id FROM naming_experts WHERE expert_id = $1 AND score IS NULL",
    )
    .bind(expert_id)
    .fetch_all(pool)
    .await?;
    rows.iter().map(|r| r.try_get(0)).collect()
}
