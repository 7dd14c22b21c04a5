//! Claims (揭榜) and the work after the award (挂帅): progress, delivery, acceptance (验收).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::challenges::{StatusAnswer, get, notify_claim, notify_poster, step};
use crate::auth::{Actor, policy};
use crate::domain::challenge::{
    ChallengeAction, ChallengeStatus, ClaimAction, ClaimStatus, Share, check_shares, limits,
};
use crate::domain::text::Checks;
use crate::error::{AppError, AppResult};
use crate::store::Db;
use crate::store::challenges::{self, Challenge};
use crate::store::claims::{self, Claim};
use crate::store::{Tx, alliances, audit, studio_members, studios};

/// A team member and their declared share of the work, in percent.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct MemberShare {
    pub user_id: i64,
    pub share_percent: i64,
}

/// A claim: the proposal, the plan with milestones, and the (possibly cross-studio) team.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ClaimInput {
    pub studio_id: i64,
    pub proposal: String,
    #[serde(default)]
    pub plan: String,
    /// Team members with equal shares (the simple form).
    #[serde(default)]
    pub member_ids: Vec<i64>,
    /// Team members with declared shares; wins over `member_ids`.
    #[serde(default)]
    pub members: Vec<MemberShare>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClaimAnswer {
    pub id: i64,
    pub status: String,
}

/// The team as declared: shares given, or split evenly; the claimant alone if empty.
fn team_of(actor: &Actor, input: &ClaimInput) -> Vec<Share> {
    if !input.members.is_empty() {
        return input
            .members
            .iter()
            .map(|m| Share {
                user_id: m.user_id,
                percent: m.share_percent,
            })
            .collect();
    }
    let ids = if input.member_ids.is_empty() {
        vec![actor.id()]
    } else {
        input.member_ids.clone()
    };
    let n = ids.len().max(1) as i64;
    ids.iter()
        .enumerate()
        .map(|(i, id)| Share {
            user_id: *id,
            percent: 100 / n + i64::from((i as i64) < 100 % n),
        })
        .collect()
}

pub async fn claim(db: &Db, actor: &Actor, id: i64, input: ClaimInput) -> AppResult<ClaimAnswer> {
    let ch = get(db, Some(actor), id).await?;
    policy::claim_challenge(actor, &ch, input.studio_id)?;
    if ch.status != ChallengeStatus::Open {
        return Err(AppError::wrong_state(ch.status.code(), "claim"));
    }
    let proposal = input.proposal.trim();
    let mut c = Checks::new();
    if let Some(alliance) = ch.alliance_id.filter(|_| ch.visibility == "alliance")
        && !alliances::is_member(db.reader(), alliance, input.studio_id).await?
    {
        c.fail(
            "studio_id",
            "仅联盟成员工作室可揭此榜 / only the alliance's studios may claim",
        );
    }
    c.required("proposal", proposal, limits::PROPOSAL);
    c.max_len("plan", &input.plan, limits::PROPOSAL);
    let team = team_of(actor, &input);
    check_shares(&team, &mut c);
    // Each member works for a studio: the claiming one if they belong to it, else their first.
    let mut placed = Vec::new();
    for s in &team {
        let memberships = studio_members::memberships(db.reader(), s.user_id).await?;
        match memberships
            .iter()
            .find(|(sid, _, _)| *sid == input.studio_id)
            .or(memberships.first())
        {
            Some((studio_id, _, _)) => placed.push((s.user_id, *studio_id, s.percent)),
            None => c.fail(
                "members",
                format!(
                    "用户 {} 不属于任何工作室 / user {} belongs to no studio",
                    s.user_id, s.user_id
                ),
            ),
        }
    }
    c.finish()?;
    let leader = poster_contact(db, &ch).await?;
    let mut tx = db.begin().await?;
    let now = challenges::find_in(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if now.status != ChallengeStatus::Open {
        return Err(AppError::wrong_state(now.status.code(), "claim"));
    }
    let claim_id = claims::insert(
        &mut tx,
        id,
        input.studio_id,
        actor.id(),
        proposal,
        input.plan.trim(),
    )
    .await?
    .ok_or_else(|| {
        AppError::conflict(
            "already_claimed",
            "该工作室已揭过此榜 / this studio already claimed the challenge",
        )
    })?;
    for (user_id, studio_id, percent) in placed {
        claims::add_member(&mut tx, claim_id, user_id, studio_id, percent).await?;
    }
    challenges::add_event(&mut tx, id, actor.id(), "claim", proposal, None).await?;
    crate::store::outbox::append(
        &mut tx,
        crate::outbox::Entity::Challenge,
        id,
        crate::outbox::Op::Status,
    )
    .await?;
    notify_poster(
        &mut tx,
        &ch,
        leader,
        "new_claim",
        &format!("“{}”收到新的揭榜申请", ch.title),
    )
    .await?;
    audit::record(
        &mut tx,
        Some(actor.id()),
        "claim",
        "challenge",
        id,
        &claim_id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(ClaimAnswer {
        id: claim_id,
        status: ClaimStatus::Pending.code().to_owned(),
    })
}

/// Who hears of a challenge for its poster: the posting studio's leader, or for a union's
/// challenge the staff member who posted it.
pub(super) async fn poster_contact(db: &Db, ch: &Challenge) -> AppResult<i64> {
    match ch.studio_id {
        Some(studio) => studio_leader(db, studio).await,
        None => Ok(ch.author_id),
    }
}

async fn studio_leader(db: &Db, studio_id: i64) -> AppResult<i64> {
    Ok(studios::find(db.reader(), studio_id)
        .await?
        .ok_or_else(AppError::not_found)?
        .leader_id)
}

async fn find_claim(db: &Db, challenge_id: i64, claim_id: i64) -> AppResult<(Vec<Claim>, Claim)> {
    let all = claims::of_challenge(db.reader(), challenge_id).await?;
    let claim = all
        .iter()
        .find(|c| c.id == claim_id)
        .cloned()
        .ok_or_else(AppError::not_found)?;
    Ok((all, claim))
}

/// Moves a claim, or answers 409 naming its current status.
async fn claim_step(tx: &mut Tx, claim: &Claim, action: ClaimAction, verb: &str) -> AppResult<()> {
    let current = claim.status;
    let to = current
        .transition(action)
        .ok_or_else(|| AppError::wrong_state(current.code(), verb))?;
    if !claims::set_status(tx, claim.id, current, to).await? {
        return Err(AppError::wrong_state("changed", verb));
    }
    Ok(())
}

pub async fn withdraw(db: &Db, actor: &Actor, id: i64, claim_id: i64) -> AppResult<ClaimAnswer> {
    get(db, Some(actor), id).await?;
    let (_, claim) = find_claim(db, id, claim_id).await?;
    policy::withdraw_claim(actor, &claim)?;
    let mut tx = db.begin().await?;
    claim_step(&mut tx, &claim, ClaimAction::Withdraw, "withdraw").await?;
    challenges::add_event(
        &mut tx,
        id,
        actor.id(),
        "withdraw",
        &claim.studio_name,
        None,
    )
    .await?;
    audit::record(
        &mut tx,
        Some(actor.id()),
        "withdraw_claim",
        "challenge",
        id,
        &claim_id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(ClaimAnswer {
        id: claim_id,
        status: ClaimStatus::Withdrawn.code().to_owned(),
    })
}

/// Awards a claim (挂帅). Exclusive: the challenge moves once, and the other claims are
/// declined; of two concurrent awards exactly one wins. Parallel: several claims may be awarded.
pub async fn award(db: &Db, actor: &Actor, id: i64, claim_id: i64) -> AppResult<StatusAnswer> {
    let ch = get(db, Some(actor), id).await?;
    policy::manage_challenge(actor, &ch)?;
    let (all, claim) = find_claim(db, id, claim_id).await?;
    let mut tx = db.begin().await?;
    let to = step(&mut tx, &ch, ChallengeAction::Award).await?;
    claim_step(&mut tx, &claim, ClaimAction::Award, "award").await?;
    notify_claim(
        &mut tx,
        &claim,
        "claim_awarded",
        &format!("恭喜！你们的揭榜方案已获“{}”挂帅", ch.title),
        id,
    )
    .await?;
    if ch.claim_mode == "exclusive" {
        let declined = claims::decline_pending(&mut tx, id).await?;
        for other in all
            .iter()
            .filter(|c| declined.iter().any(|(cid, _)| *cid == c.id))
        {
            notify_claim(
                &mut tx,
                other,
                "claim_declined",
                &format!("“{}”已选定其他揭榜方", ch.title),
                id,
            )
            .await?;
        }
    }
    challenges::add_event(&mut tx, id, actor.id(), "award", &claim.studio_name, None).await?;
    audit::record(
        &mut tx,
        Some(actor.id()),
        "award",
        "challenge",
        id,
        &claim_id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusAnswer {
        id,
        status: to.code().to_owned(),
    })
}

pub async fn decline(db: &Db, actor: &Actor, id: i64, claim_id: i64) -> AppResult<ClaimAnswer> {
    let ch = get(db, Some(actor), id).await?;
    policy::manage_challenge(actor, &ch)?;
    let (_, claim) = find_claim(db, id, claim_id).await?;
    let mut tx = db.begin().await?;
    claim_step(&mut tx, &claim, ClaimAction::Decline, "decline").await?;
    notify_claim(
        &mut tx,
        &claim,
        "claim_declined",
        &format!("“{}”未采纳你们的揭榜方案", ch.title),
        id,
    )
    .await?;
    challenges::add_event(&mut tx, id, actor.id(), "decline", &claim.studio_name, None).await?;
    audit::record(
        &mut tx,
        Some(actor.id()),
        "decline_claim",
        "challenge",
        id,
        &claim_id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(ClaimAnswer {
        id: claim_id,
        status: ClaimStatus::Declined.code().to_owned(),
    })
}

/// Every claim a studio made or takes part in, newest first.
pub async fn of_studio(
    db: &Db,
    studio_id: i64,
) -> AppResult<Vec<crate::store::claims::StudioClaim>> {
    Ok(crate::store::claims::of_studio(db.reader(), studio_id).await?)
}
