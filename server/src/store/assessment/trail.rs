//! The trail of an assessment: every step, who took it and what they said.

use sqlx::{AnyPool, Row};

use crate::domain::assessment::AssessmentStatus;
use crate::store::naming::Step;
use crate::store::{Tx, now_ms, rfc3339};

pub async fn add_step(
    tx: &mut Tx,
    assessment_id: i64,
    actor_id: i64,
    action: &str,
    from: AssessmentStatus,
    to: AssessmentStatus,
    opinion: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO assessment_steps (assessment_id, actor_id, action, from_status, to_status, \
         opinion, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(assessment_id)
    .bind(actor_id)
    .bind(action)
    .bind(from.code())
    .bind(to.code())
    .bind(opinion)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The steps of an assessment, oldest first, in the shape of a naming trail.
pub async fn trail(pool: &AnyPool, assessment_id: i64) -> sqlx::Result<Vec<Step>> {
    let rows = sqlx::query(
        "SELECT t.id, t.actor_id, u.display_name, t.action, t.from_status, t.to_status, \
         t.opinion, t.created_at FROM assessment_steps t JOIN users u ON u.id = t.actor_id \
         WHERE t.assessment_id = $1 ORDER BY t.id",
    )
    .bind(assessment_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Step {
                id: r.try_get(0)?,
                actor_id: r.try_get(1)?,
                actor_name: r.try_get(2)?,
                action: r.try_get(3)?,
                from_status: r.try_get(4)?,
                to_status: r.try_get(5)?,
                opinion: r.try_get(6)?,
                created_at: rfc3339(r.try_get(7)?),
            })
        })
        .collect()
}
