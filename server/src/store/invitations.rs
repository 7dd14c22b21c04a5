//! Invitations to join a studio.

use sqlx::{AnyPool, Row};

use super::{Tx, is_unique_violation, lifecycle, now_ms};
use crate::domain::invitation::InvitationStatus;

/// An invitation with the names a reader needs.
#[derive(Debug, Clone)]
pub struct Invitation {
    pub id: i64,
    pub studio_id: i64,
    pub studio_name: String,
    pub user_id: i64,
    pub display_name: String,
    pub role: String,
    pub invited_by_name: String,
    pub status: InvitationStatus,
    pub created_at: i64,
}

const SELECT: &str = "SELECT i.id, i.studio_id, s.name, i.user_id, u.display_name, i.role, \
    b.display_name, i.status, i.created_at FROM member_invitations i \
    JOIN studios s ON s.id = i.studio_id JOIN users u ON u.id = i.user_id \
    JOIN users b ON b.id = i.invited_by";

fn from_row(r: &sqlx::any::AnyRow) -> sqlx::Result<Invitation> {
    Ok(Invitation {
        id: r.try_get(0)?,
        studio_id: r.try_get(1)?,
        studio_name: r.try_get(2)?,
        user_id: r.try_get(3)?,
        display_name: r.try_get(4)?,
        role: r.try_get(5)?,
        invited_by_name: r.try_get(6)?,
        status: lifecycle(r.try_get(7)?, InvitationStatus::parse)?,
        created_at: r.try_get(8)?,
    })
}

/// Records a waiting invitation; `None` when one to this studio already waits for the person.
pub async fn insert(
    tx: &mut Tx,
    studio_id: i64,
    user_id: i64,
    role: &str,
    invited_by: i64,
) -> sqlx::Result<Option<i64>> {
    let res = sqlx::query_scalar(
        "INSERT INTO member_invitations (studio_id, user_id, role, invited_by, status, created_at) \
         VALUES ($1, $2, $3, $4, 'pending', $5) RETURNING id",
    )
    .bind(studio_id)
    .bind(user_id)
    .bind(role)
    .bind(invited_by)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await;
    match res {
        Ok(id) => Ok(Some(id)),
        Err(e) if is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

pub async fn find(pool: &AnyPool, id: i64) -> sqlx::Result<Option<Invitation>> {
    let sql = format!("{SELECT} WHERE i.id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// The invitations waiting for `user_id`, newest first.
pub async fn waiting_for(pool: &AnyPool, user_id: i64) -> sqlx::Result<Vec<Invitation>> {
    let sql = format!("{SELECT} WHERE i.user_id = $1 AND i.status = 'pending' ORDER BY i.id DESC");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(user_id)
        .fetch_all(pool)
        .await?;
    rows.iter().map(from_row).collect()
}

/// The invitations of `studio_id` still waiting for an answer, oldest first.
pub async fn waiting_at(pool: &AnyPool, studio_id: i64) -> sqlx::Result<Vec<Invitation>> {
    let sql = format!("{SELECT} WHERE i.studio_id = $1 AND i.status = 'pending' ORDER BY i.id");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(studio_id)
        .fetch_all(pool)
        .await?;
    rows.iter().map(from_row).collect()
}

/// Records the answer if the invitation still waits; false when it was answered already.
pub async fn answer(tx: &mut Tx, id: i64, answer: InvitationStatus) -> sqlx::Result<bool> {
    let res = sqlx::query(
        "UPDATE member_invitations SET status = $1, answered_at = $2 \
         WHERE id = $3 AND status = 'pending'",
    )
    .bind(answer.code())
    .bind(now_ms())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(res.rows_affected() == 1)
}
