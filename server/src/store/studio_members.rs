//! A studio's people (studio_members): who belongs, in which role, joining, leaving and
//! handing over the lead.

use sqlx::{AnyPool, Row};

use super::read::{Arg, Read};
use super::{Db, Tx, is_unique_violation, now_ms};

/// A member of a studio as listed on its page.
#[derive(Debug, Clone)]
pub struct Member {
    pub user_id: i64,
    pub display_name: String,
    pub role: String,
    pub trade: String,
    pub title: String,
    /// Their portrait (a picture's name).
    pub portrait: Option<String>,
}

/// A studio's members, leader first; the benchmark baseline runs it too.
pub const MEMBERS: &str = "SELECT m.user_id, u.display_name, m.role, u.trade, u.title, u.portrait \
    FROM studio_members m JOIN users u ON u.id = m.user_id WHERE m.studio_id = $1 \
    ORDER BY CASE m.role WHEN 'leader' THEN 0 WHEN 'member' THEN 1 ELSE 2 END, m.joined_at";

/// A studio's members for its page: a hot read, on SQLite through the direct readers.
pub async fn members(db: &Db, studio_id: i64) -> sqlx::Result<Vec<Member>> {
    db.fetch_all(members_read(studio_id)).await
}

pub(super) fn members_read(studio_id: i64) -> Read<Member> {
    Read {
        sql: MEMBERS.to_owned(),
        args: vec![Arg::Int(studio_id)],
        map: |r| {
            Ok(Member {
                user_id: r.int("user_id")?,
                display_name: r.text("display_name")?,
                role: r.text("role")?,
                trade: r.text("trade")?,
                title: r.text("title")?,
                portrait: r.opt_text("portrait")?,
            })
        },
    }
}

/// Adds a member; `Ok(false)` when they already belong to the studio.
#[tracing::instrument(skip(tx))]
pub async fn add_member(
    tx: &mut Tx,
    studio_id: i64,
    user_id: i64,
    role: &str,
) -> sqlx::Result<bool> {
    let res = sqlx::query(
        "INSERT INTO studio_members (studio_id, user_id, role, joined_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(studio_id)
    .bind(user_id)
    .bind(role)
    .bind(now_ms())
    .execute(&mut **tx)
    .await;
    match res {
        Ok(_) => Ok(true),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The role `user_id` holds in `studio_id`, if any.
pub async fn role_of(pool: &AnyPool, studio_id: i64, user_id: i64) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT role FROM studio_members WHERE studio_id = $1 AND user_id = $2")
        .bind(studio_id)
        .bind(user_id)
        .fetch_optional(pool)
        .await
}

/// The studios a user belongs to: (studio id, role, studio name).
pub async fn memberships(pool: &AnyPool, user_id: i64) -> sqlx::Result<Vec<(i64, String, String)>> {
    let rows = sqlx::query(
        "SELECT m.studio_id, m.role, s.name FROM studio_members m JOIN studios s ON s.id = m.studio_id \
         WHERE m.user_id = $1 ORDER BY m.studio_id",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
        .collect()
}

/// Takes a person off the studio; false when they were not on it. The leader is never removed
/// here.
pub async fn remove_member(tx: &mut Tx, studio_id: i64, user_id: i64) -> sqlx::Result<bool> {
    let res = sqlx::query(
        "DELETE FROM studio_members WHERE studio_id = $1 AND user_id = $2 AND role <> 'leader'",
    )
    .bind(studio_id)
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    Ok(res.rows_affected() == 1)
}

/// Makes a member the leader and the leader a member; false when `from` no longer leads or
/// `to` is not one of its people.
pub async fn hand_over(tx: &mut Tx, studio_id: i64, from: i64, to: i64) -> sqlx::Result<bool> {
    let promoted = sqlx::query(
        "UPDATE studio_members SET role = 'leader' WHERE studio_id = $1 AND user_id = $2 \
         AND role <> 'leader'",
    )
    .bind(studio_id)
    .bind(to)
    .execute(&mut **tx)
    .await?;
    if promoted.rows_affected() != 1 {
        return Ok(false);
    }
    let moved = sqlx::query(
        "UPDATE studios SET leader_id = $1, updated_at = $2 WHERE id = $3 AND leader_id = $4",
    )
    .bind(to)
    .bind(now_ms())
    .bind(studio_id)
    .bind(from)
    .execute(&mut **tx)
    .await?;
    if moved.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("UPDATE studio_members SET role = 'member' WHERE studio_id = $1 AND user_id = $2")
        .bind(studio_id)
        .bind(from)
        .execute(&mut **tx)
        .await?;
    Ok(true)
}
