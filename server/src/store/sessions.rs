//! Sessions: random tokens, stored only as their SHA-256 hash.

use sqlx::{AnyPool, Row};

use super::users::{User, user};
use super::{Tx, now_ms};

#[tracing::instrument(skip(tx, token_hash))]
pub async fn insert(
    tx: &mut Tx,
    token_hash: &str,
    user_id: i64,
    expires_at: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(now_ms())
    .bind(expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A live session's id and user, where `$1` is the session's `key` and `$2` now.
macro_rules! live_session {
    ($key:literal) => {
        concat!(
            "SELECT s.id AS session_id, u.id, u.username, u.display_name, u.is_admin ",
            "FROM sessions s JOIN users u ON u.id = s.user_id ",
            "WHERE s.",
            $key,
            " = $1 AND s.expires_at > $2"
        )
    };
}

/// The user of a session, if it has not ended (an open socket asks again now and then).
#[tracing::instrument(skip(pool))]
pub async fn live_user(pool: &AnyPool, session_id: i64) -> sqlx::Result<Option<User>> {
    let row = sqlx::query(live_session!("id"))
        .bind(session_id)
        .bind(now_ms())
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(user).transpose()
}

/// The session's id and user, if the token is known and not expired.
#[tracing::instrument(skip(pool, token_hash))]
pub async fn find_live(pool: &AnyPool, token_hash: &str) -> sqlx::Result<Option<(i64, User)>> {
    let row = sqlx::query(live_session!("token_hash"))
        .bind(token_hash)
        .bind(now_ms())
        .fetch_optional(pool)
        .await?;
    row.map(|r| Ok((r.try_get("session_id")?, user(&r)?)))
        .transpose()
}

pub async fn delete(tx: &mut Tx, session_id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE id = $1")
        .bind(session_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Drops sessions that have expired.
pub async fn delete_expired(tx: &mut Tx) -> sqlx::Result<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now_ms())
        .execute(&mut **tx)
        .await?
        .rows_affected())
}
