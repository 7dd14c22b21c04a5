//! The sweep's queries: challenges that may be overdue or stale, and the record of escalations
//! already sent (催办), whose unique key makes sending once a database fact.

use sqlx::{AnyPool, Row};

use super::{Tx, lifecycle};
use crate::domain::challenge::ChallengeStatus;

/// What the sweep needs to judge one challenge. Instants are Unix milliseconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: i64,
    pub status: ChallengeStatus,
    /// `YYYY-MM-DD`.
    pub deadline: Option<String>,
    pub published_at: Option<i64>,
    pub last_activity_at: i64,
    /// The latest claim made, withdrawn or decided.
    pub last_claim_change: Option<i64>,
    /// The oldest pending claim: (id, created_at).
    pub oldest_pending: Option<(i64, i64)>,
}

/// Pre-selection bounds: a challenge qualifies if any could apply. `None` turns a kind off.
#[derive(Debug, Clone)]
pub struct Bounds {
    /// Today in China, `YYYY-MM-DD`: open challenges with an earlier deadline are overdue.
    pub today: String,
    /// Open challenges published at or before this instant.
    pub open: Option<i64>,
    /// Challenges with a pending claim made at or before this instant.
    pub claim: Option<i64>,
    /// Awarded or in-progress challenges last active at or before this instant.
    pub progress: Option<i64>,
}

/// A page of live challenges (open, awarded, in progress) that may be overdue or stale, by id
/// after `after_id`. A superset: the domain rule makes the decision.
#[tracing::instrument(skip(pool))]
pub async fn candidates(
    pool: &AnyPool,
    b: &Bounds,
    after_id: i64,
    limit: i64,
) -> sqlx::Result<Vec<Candidate>> {
    // A kind that is off gets a bound no instant reaches.
    let never = i64::MIN;
    let rows = sqlx::query(
        "SELECT c.id, c.status, c.deadline, c.published_at, c.last_activity_at, \
           (SELECT MAX(COALESCE(k.decided_at, k.created_at)) FROM claims k \
             WHERE k.challenge_id = c.id) AS last_claim_change, \
           (SELECT k.id FROM claims k WHERE k.challenge_id = c.id AND k.status = 'pending' \
             ORDER BY k.created_at, k.id LIMIT 1) AS pending_id, \
           (SELECT MIN(k.created_at) FROM claims k \
             WHERE k.challenge_id = c.id AND k.status = 'pending') AS pending_at \
         FROM challenges c \
         WHERE c.id > $1 AND c.status IN ('open', 'awarded', 'in_progress') AND ( \
           (c.status = 'open' AND c.deadline < $2) \
           OR (c.status = 'open' AND COALESCE(c.published_at, c.last_activity_at) <= $3) \
           OR (c.status <> 'open' AND c.last_activity_at <= $4) \
           OR EXISTS (SELECT 1 FROM claims k WHERE k.challenge_id = c.id \
                      AND k.status = 'pending' AND k.created_at <= $5)) \
         ORDER BY c.id LIMIT $6",
    )
    .bind(after_id)
    .bind(&b.today)
    .bind(b.open.unwrap_or(never))
    .bind(b.progress.unwrap_or(never))
    .bind(b.claim.unwrap_or(never))
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            let pending_id: Option<i64> = r.try_get("pending_id")?;
            let pending_at: Option<i64> = r.try_get("pending_at")?;
            Ok(Candidate {
                id: r.try_get("id")?,
                status: lifecycle(r.try_get("status")?, ChallengeStatus::parse)?,
                deadline: r.try_get("deadline")?,
                published_at: r.try_get("published_at")?,
                last_activity_at: r.try_get("last_activity_at")?,
                last_claim_change: r.try_get("last_claim_change")?,
                oldest_pending: pending_id.zip(pending_at),
            })
        })
        .collect()
}

/// The escalations already sent for these challenges, as (challenge id, kind, stage).
pub async fn sent(pool: &AnyPool, challenge_ids: &[i64]) -> sqlx::Result<Vec<(i64, String, i64)>> {
    if challenge_ids.is_empty() {
        return Ok(Vec::new());
    }
    // Ids are integers: safe to inline, and one query serves a whole page of candidates.
    let ids: Vec<String> = challenge_ids.iter().map(i64::to_string).collect();
    let sql = format!(
        "SELECT challenge_id, kind, stage FROM escalations WHERE challenge_id IN ({})",
        ids.join(",")
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
        .collect()
}

/// Claims the right to send one escalation (to `recipients` people): `false` when it was already sent, by this node or
/// another (the unique key decides; a concurrent sender waits for the first to commit and then
/// finds the row). Call it first in the transaction that notifies.
#[tracing::instrument(skip(tx))]
pub async fn record(
    tx: &mut Tx,
    challenge_id: i64,
    kind: &str,
    stage: i64,
    recipients: i64,
    now: i64,
) -> sqlx::Result<bool> {
    let res = sqlx::query(
        "INSERT INTO escalations (challenge_id, kind, stage, recipients, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (challenge_id, kind, stage) DO NOTHING",
    )
    .bind(challenge_id)
    .bind(kind)
    .bind(stage)
    .bind(recipients)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(res.rows_affected() > 0)
}
