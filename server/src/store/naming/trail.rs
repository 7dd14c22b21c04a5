//! The trail of an application: every step, who took it and why.

use sqlx::{AnyPool, Row};

use crate::domain::naming::ApplicationStatus;
use crate::store::{Tx, now_ms, rfc3339};

/// One line of an application's trail.
#[derive(Debug, Clone)]
pub struct Step {
    pub id: i64,
    pub actor_id: i64,
    pub actor_name: String,
    pub action: String,
    pub from_status: String,
    pub to_status: String,
    pub opinion: String,
    pub created_at: String,
}

pub async fn add_step(
    tx: &mut Tx,
    application_id: i64,
    actor_id: i64,
    action: &str,
    from: ApplicationStatus,
    to: ApplicationStatus,
    opinion: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO naming_steps (application_id, actor_id, action, from_status, to_status, \
         opinion, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(application_id)
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

pub async fn trail(pool: &AnyPool, application_id: i64) -> sqlx::Result<Vec<Step>> {
    let rows = sqlx::query(
        "SELECT t.id, t.actor_id, u.display_name, t.action, t.from_status, t.to_status, \
         t.opinion, t.created_at FROM naming_steps t JOIN users u ON u.id = t.actor_id \
         WHERE t.application_id = $1 ORDER BY t.id",
    )
    .bind(application_id)
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
