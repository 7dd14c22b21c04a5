//! Trails: every step of a naming application or of an assessment, who took it and why. Both
//! keep the same shape in their own table.

use sqlx::{AnyPool, Row};

use crate::domain::naming::ApplicationStatus;
use crate::store::{Tx, now_ms, rfc3339};

/// One line of a trail.
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

/// Whose trail: the table and the column naming what it follows (fixed identifiers).
#[derive(Debug, Clone, Copy)]
pub enum Trail {
    Naming,
    Assessment,
}

impl Trail {
    fn table(self) -> (&'static str, &'static str) {
        match self {
            Trail::Naming => ("naming_steps", "application_id"),
            Trail::Assessment => ("assessment_steps", "assessment_id"),
        }
    }
}

/// Adds a step to the trail of `of`, with the codes of the statuses it moved between.
pub async fn add_to(
    tx: &mut Tx,
    trail: Trail,
    of: i64,
    actor_id: i64,
    action: &str,
    (from, to): (&str, &str),
    opinion: &str,
) -> sqlx::Result<()> {
    let (table, column) = trail.table();
    let sql = format!(
        "INSERT INTO {table} ({column}, actor_id, action, from_status, to_status, opinion, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(of)
        .bind(actor_id)
        .bind(action)
        .bind(from)
        .bind(to)
        .bind(opinion)
        .bind(now_ms())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The trail of `of`, oldest first.
pub async fn read(pool: &AnyPool, trail: Trail, of: i64) -> sqlx::Result<Vec<Step>> {
    let (table, column) = trail.table();
    let sql = format!(
        "SELECT t.id, t.actor_id, u.display_name, t.action, t.from_status, t.to_status, \
         t.opinion, t.created_at FROM {table} t JOIN users u ON u.id = t.actor_id \
         WHERE t.{column} = $1 ORDER BY t.id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(of)
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

pub async fn add_step(
    tx: &mut Tx,
    application_id: i64,
    actor_id: i64,
    action: &str,
    from: ApplicationStatus,
    to: ApplicationStatus,
    opinion: &str,
) -> sqlx::Result<()> {
    let moved = (from.code(), to.code());
    add_to(
        tx,
        Trail::Naming,
        application_id,
        actor_id,
        action,
        moved,
        opinion,
    )
    .await
}

pub async fn trail(pool: &AnyPool, application_id: i64) -> sqlx::Result<Vec<Step>> {
    read(pool, Trail::Naming, application_id).await
}
