//! Claims (揭榜) on a challenge, with their cross-studio teams.

use sqlx::{AnyPool, Row};

use super::{Tx, is_unique_violation, lifecycle, now_ms, rfc3339};
use crate::domain::challenge::{ChallengeStatus, ClaimStatus};

/// A team member with their declared share of the work.
#[derive(Debug, Clone)]
pub struct TeamMember {
    pub user_id: i64,
    pub display_name: String,
    pub studio_id: i64,
    pub studio_name: String,
    pub share_percent: i64,
}

/// A claim as the challenge page lists it.
#[derive(Debug, Clone)]
pub struct Claim {
    pub id: i64,
    pub challenge_id: i64,
    pub studio_id: i64,
    pub studio_name: String,
    pub author_id: i64,
    pub proposal: String,
    /// The plan with its milestones.
    pub plan: String,
    pub status: ClaimStatus,
    pub created_at: String,
    pub team: Vec<TeamMember>,
}

/// Inserts a pending claim; `Ok(None)` when this studio already claimed the challenge.
#[tracing::instrument(skip(tx, proposal, plan))]
pub async fn insert(
    tx: &mut Tx,
    challenge_id: i64,
    studio_id: i64,
    author_id: i64,
    proposal: &str,
    plan: &str,
) -> sqlx::Result<Option<i64>> {
    let res = sqlx::query(
        "INSERT INTO claims (challenge_id, studio_id, author_id, proposal, plan, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, 'pending', $6) RETURNING id",
    )
    .bind(challenge_id)
    .bind(studio_id)
    .bind(author_id)
    .bind(proposal)
    .bind(plan)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await;
    match res {
        Ok(row) => Ok(Some(row.try_get(0)?)),
        Err(e) if is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

pub async fn add_member(
    tx: &mut Tx,
    claim_id: i64,
    user_id: i64,
    studio_id: i64,
    share: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO claim_members (claim_id, user_id, studio_id, share_percent) VALUES ($1, $2, $3, $4)",
    )
    .bind(claim_id)
    .bind(user_id)
    .bind(studio_id)
    .bind(share)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Moves a claim from `from` to `to` atomically; `false` if it was not in `from`.
#[tracing::instrument(skip(tx))]
pub async fn set_status(
    tx: &mut Tx,
    id: i64,
    from: ClaimStatus,
    to: ClaimStatus,
) -> sqlx::Result<bool> {
    let res =
        sqlx::query("UPDATE claims SET status = $1, decided_at = $2 WHERE id = $3 AND status = $4")
            .bind(to.code())
            .bind(now_ms())
            .bind(id)
            .bind(from.code())
            .execute(&mut **tx)
            .await?;
    Ok(res.rows_affected() == 1)
}

/// Declines every pending claim of a challenge; returns (claim id, author id) of each.
pub async fn decline_pending(tx: &mut Tx, challenge_id: i64) -> sqlx::Result<Vec<(i64, i64)>> {
    let rows = sqlx::query(
        "UPDATE claims SET status = 'declined', decided_at = $1 \
         WHERE challenge_id = $2 AND status = 'pending' RETURNING id, author_id",
    )
    .bind(now_ms())
    .bind(challenge_id)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}

/// A challenge's claims with their team members (one row per member), oldest claim first; the
/// benchmark baseline runs it too.
pub const OF_CHALLENGE: &str = "SELECT k.id, k.challenge_id, k.studio_id, s.name, k.author_id, \
    k.proposal, k.plan, k.status, k.created_at, m.user_id, u.display_name, m.studio_id, ms.name, \
    m.share_percent FROM claims k JOIN studios s ON s.id = k.studio_id \
    LEFT JOIN claim_members m ON m.claim_id = k.id LEFT JOIN users u ON u.id = m.user_id \
    LEFT JOIN studios ms ON ms.id = m.studio_id \
    WHERE k.challenge_id = $1 ORDER BY k.id, m.share_percent DESC, m.user_id";

/// The claims of a challenge with their teams, in one query.
pub async fn of_challenge(pool: &AnyPool, challenge_id: i64) -> sqlx::Result<Vec<Claim>> {
    let rows = sqlx::query(OF_CHALLENGE)
        .bind(challenge_id)
        .fetch_all(pool)
        .await?;
    let mut claims: Vec<Claim> = Vec::new();
    for r in &rows {
        let id: i64 = r.try_get(0)?;
        if claims.last().is_none_or(|c| c.id != id) {
            claims.push(Claim {
                id,
                challenge_id: r.try_get(1)?,
                studio_id: r.try_get(2)?,
                studio_name: r.try_get(3)?,
                author_id: r.try_get(4)?,
                proposal: r.try_get(5)?,
                plan: r.try_get(6)?,
                status: lifecycle(r.try_get(7)?, ClaimStatus::parse)?,
                created_at: rfc3339(r.try_get(8)?),
                team: Vec::new(),
            });
        }
        let user_id: Option<i64> = r.try_get(9)?;
        if let (Some(user_id), Some(claim)) = (user_id, claims.last_mut()) {
            claim.team.push(TeamMember {
                user_id,
                display_name: r.try_get(10)?,
                studio_id: r.try_get(11)?,
                studio_name: r.try_get(12)?,
                share_percent: r.try_get(13)?,
            });
        }
    }
    Ok(claims)
}

/// A studio's claim as its work list shows it.
#[derive(Debug, Clone)]
pub struct StudioClaim {
    pub claim_id: i64,
    pub claim_status: ClaimStatus,
    pub challenge_id: i64,
    pub challenge_title: String,
    pub challenge_status: ChallengeStatus,
    pub poster_name: String,
}

/// Every claim a studio made or takes part in (through a team member), newest first.
pub async fn of_studio(pool: &AnyPool, studio_id: i64) -> sqlx::Result<Vec<StudioClaim>> {
    let rows = sqlx::query(
        "SELECT k.id, k.status, c.id, c.title, c.status, COALESCE(s.name, po.name) FROM claims k \
         JOIN challenges c ON c.id = k.challenge_id LEFT JOIN studios s ON s.id = c.studio_id \
         LEFT JOIN orgs po ON po.id = c.org_id \
         WHERE k.studio_id = $1 OR k.id IN (SELECT claim_id FROM claim_members WHERE studio_id = $1) \
         ORDER BY k.id DESC LIMIT 200",
    )
    .bind(studio_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(StudioClaim {
                claim_id: r.try_get(0)?,
                claim_status: lifecycle(r.try_get(1)?, ClaimStatus::parse)?,
                challenge_id: r.try_get(2)?,
                challenge_title: r.try_get(3)?,
                challenge_status: lifecycle(r.try_get(4)?, ChallengeStatus::parse)?,
                poster_name: r.try_get(5)?,
            })
        })
        .collect()
}
