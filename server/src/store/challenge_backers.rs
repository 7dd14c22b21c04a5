//! Backers of a challenge (挂帅): unions and enterprises adding to its reward and following it.

use sqlx::{AnyPool, Row};

use super::{Tx, now_ms, rfc3339};

#[derive(Debug, Clone)]
pub struct Backer {
    pub org_id: i64,
    pub org_name: String,
    pub amount_yuan: i64,
    /// The staff member who backed it for the org (told of the challenge's steps).
    pub backed_by: i64,
    pub backer_name: String,
    pub created_at: String,
}

/// Adds a backing; `false` when the org backs the challenge already.
pub async fn insert(
    tx: &mut Tx,
    challenge_id: i64,
    org_id: i64,
    amount_yuan: i64,
    by: i64,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO challenge_backers (challenge_id, org_id, amount_yuan, backed_by, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (challenge_id, org_id) DO NOTHING",
    )
    .bind(challenge_id)
    .bind(org_id)
    .bind(amount_yuan)
    .bind(by)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The backers of a challenge, in the order they came.
pub async fn of_challenge(pool: &AnyPool, challenge_id: i64) -> sqlx::Result<Vec<Backer>> {
    let rows = sqlx::query(
        "SELECT b.org_id, o.name, b.amount_yuan, b.backed_by, u.display_name, b.created_at \
         FROM challenge_backers b JOIN orgs o ON o.id = b.org_id JOIN users u ON u.id = b.backed_by \
         WHERE b.challenge_id = $1 ORDER BY b.id",
    )
    .bind(challenge_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Backer {
                org_id: r.try_get(0)?,
                org_name: r.try_get(1)?,
                amount_yuan: r.try_get(2)?,
                backed_by: r.try_get(3)?,
                backer_name: r.try_get(4)?,
                created_at: rfc3339(r.try_get(5)?),
            })
        })
        .collect()
}

/// The people following a challenge as its backers.
pub async fn followers(tx: &mut Tx, challenge_id: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar("SELECT DISTINCT backed_by FROM challenge_backers WHERE challenge_id = $1")
        .bind(challenge_id)
        .fetch_all(&mut **tx)
        .await
}
