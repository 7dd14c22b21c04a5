//! In-app notifications, written in the transaction of the change that causes them.

use sqlx::{AnyPool, Row};

use super::{Tx, now_ms, rfc3339};

/// One notification.
#[derive(Debug, Clone)]
pub struct Notification {
    pub id: i64,
    pub kind: String,
    pub subject: String,
    /// A page of this site to open.
    pub link: String,
    pub read: bool,
    pub created_at: String,
}

#[tracing::instrument(skip(tx, subject))]
pub async fn push(
    tx: &mut Tx,
    user_id: i64,
    kind: &str,
    subject: &str,
    link: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO notifications (user_id, kind, subject, link, is_read, created_at) \
         VALUES ($1, $2, $3, $4, 0, $5)",
    )
    .bind(user_id)
    .bind(kind)
    .bind(subject)
    .bind(link)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// How many notifications the user has not read (the tab bar's badge).
pub async fn unread(pool: &AnyPool, user_id: i64) -> sqlx::Result<i64> {
    sqlx::query("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND is_read = 0")
        .bind(user_id)
        .fetch_one(pool)
        .await?
        .try_get(0)
}

/// The newest notifications of a user and the number unread.
pub async fn of_user(
    pool: &AnyPool,
    user_id: i64,
    limit: i64,
) -> sqlx::Result<(i64, Vec<Notification>)> {
    let unread = unread(pool, user_id).await?;
    let rows = sqlx::query(
        "SELECT id, kind, subject, link, is_read, created_at FROM notifications \
         WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(user_id)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    let items = rows
        .iter()
        .map(|r| {
            Ok(Notification {
                id: r.try_get(0)?,
                kind: r.try_get(1)?,
                subject: r.try_get(2)?,
                link: r.try_get(3)?,
                read: r.try_get::<i64, _>(4)? != 0,
                created_at: rfc3339(r.try_get(5)?),
            })
        })
        .collect::<sqlx::Result<_>>()?;
    Ok((unread, items))
}

/// Marks the given notifications of this user read; others' ids are ignored.
pub async fn mark_read(tx: &mut Tx, user_id: i64, ids: &[i64]) -> sqlx::Result<u64> {
    let mut n = 0;
    for id in ids {
        n += sqlx::query("UPDATE notifications SET is_read = 1 WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .execute(&mut **tx)
            .await?
            .rows_affected();
    }
    Ok(n)
}

/// Marks every notification of this user read.
pub async fn mark_all_read(tx: &mut Tx, user_id: i64) -> sqlx::Result<u64> {
    Ok(
        sqlx::query("UPDATE notifications SET is_read = 1 WHERE user_id = $1 AND is_read = 0")
            .bind(user_id)
            .execute(&mut **tx)
            .await?
            .rows_affected(),
    )
}
