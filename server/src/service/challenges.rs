//! Challenges (揭榜攻关): posting, publishing, the board, a challenge's page, cancelling.

use crate::store::challenge_backers::Backer;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Actor, policy};
use crate::domain::challenge::{
    ChallengeAction, ChallengeDraft, ChallengeStatus, ClaimMode, ClaimStatus, check_challenge,
};
use crate::domain::text::Checks;
use crate::error::{AppError, AppResult};
use crate::outbox::{Entity, Op};
use crate::service::orgs::china_today;
use crate::service::studios::StudioBrief;
use crate::service::{Page, Paging, page};
use crate::store::Db;
use crate::store::challenges::{self, Challenge, Event, NewChallenge};
use crate::store::claims::{self, Claim};
use crate::store::{Tx, alliances, audit, notifications, outbox};

/// A new challenge (榜).
#[derive(Debug, Deserialize, ToSchema)]
pub struct ChallengeInput {
    /// The posting studio (its leader or a member posts).
    #[serde(default)]
    pub studio_id: Option<i64>,
    /// Instead of `studio_id`: the posting union (发榜单位; its staff or the staff above post).
    #[serde(default)]
    pub org_id: Option<i64>,
    pub title: String,
    /// Markdown; rendered safely on the page.
    pub description: String,
    #[serde(default)]
    pub industry: String,
    #[serde(default)]
    pub tags: Vec<String>,
    /// `YYYY-MM-DD`, after today.
    pub deadline: Option<String>,
    pub reward_yuan: Option<i64>,
    /// public (default) or alliance.
    pub visibility: Option<String>,
    pub alliance_id: Option<i64>,
    /// exclusive (default) or parallel (赛马).
    pub claim_mode: Option<String>,
}

/// The poster a new challenge names: exactly one studio the actor posts for, or one union
/// whose staff (or the staff above) the actor is.
async fn poster(db: &Db, actor: &Actor, input: &ChallengeInput) -> AppResult<()> {
    match (input.studio_id, input.org_id) {
        (Some(studio), None) => Ok(policy::post_challenge(actor, studio)?),
        (None, Some(org)) => {
            let org = crate::store::orgs::find(db.reader(), org)
                .await?
                .ok_or_else(|| {
                    AppError::invalid_field("org_id", "没有这个工会组织 / no such union")
                })?;
            Ok(policy::post_challenge_for_org(actor, &org)?)
        }
        _ => Err(AppError::invalid_field(
            "studio_id",
            "须由一个工作室或一个工会组织发榜 / give either studio_id or org_id",
        )),
    }
}

pub async fn create(db: &Db, actor: &Actor, input: ChallengeInput) -> AppResult<Challenge> {
    poster(db, actor, &input).await?;
    let title = input.title.trim();
    let description = input.description.trim();
    let tags: Vec<String> = input.tags.iter().map(|t| t.trim().to_owned()).collect();
    let deadline = input
        .deadline
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty());
    let visibility = input.visibility.as_deref().unwrap_or("public");
    let claim_mode = input.claim_mode.as_deref().unwrap_or("exclusive");
    let mut c = Checks::new();
    check_challenge(
        &ChallengeDraft {
            title,
            description,
            industry: input.industry.trim(),
            tags: &tags,
            deadline,
            reward_yuan: input.reward_yuan,
            visibility,
            claim_mode,
        },
        china_today(),
        &mut c,
    );
    let alliance_id = match (visibility, input.alliance_id) {
        ("alliance", Some(a)) => {
            let member = match input.studio_id {
                Some(studio) => alliances::is_member(db.reader(), a, studio).await?,
                None => false,
            };
            if !member {
                c.fail(
                    "alliance_id",
                    "发榜工作室须是该联盟成员 / the posting studio must belong to this alliance",
                );
            }
            Some(a)
        }
        ("alliance", None) => {
            c.fail(
                "alliance_id",
                "仅联盟可见的榜单须指定联盟 / name the alliance",
            );
            None
        }
        _ => None,
    };
    c.finish()?;
    let mut tx = db.begin().await?;
    let id = challenges::insert(
        &mut tx,
        &NewChallenge {
            studio_id: input.studio_id,
            org_id: input.org_id,
            author_id: actor.id(),
            title,
            description,
            industry: input.industry.trim(),
            tags: &tags,
            deadline,
            reward_yuan: input.reward_yuan,
            visibility,
            alliance_id,
            claim_mode,
        },
    )
    .await?;
    outbox::append(&mut tx, Entity::Challenge, id, Op::Create).await?;
    audit::record(&mut tx, Some(actor.id()), "create", "challenge", id, title).await?;
    let ch = challenges::find_in(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(ch)
}

/// A challenge with its claims and timeline.
#[derive(Debug)]
pub struct ChallengeDetail {
    pub challenge: Challenge,
    pub claims: Vec<Claim>,
    pub timeline: Vec<Event>,
    pub viewer: ChallengeViewer,
    /// Unions and enterprises backing it (挂帅), each adding to the reward.
    pub backers: Vec<Backer>,
}

impl ChallengeDetail {
    /// The reward with what the backers added, in yuan (`None` when there is neither).
    pub fn total_reward_yuan(&self) -> Option<i64> {
        let added: i64 = self.backers.iter().map(|b| b.amount_yuan).sum();
        match (self.challenge.reward_yuan, added) {
            (None, 0) => None,
            (reward, added) => Some(reward.unwrap_or(0) + added),
        }
    }
}

/// What the reader may do with a challenge: the page shows these answers, the API returns them.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct ChallengeViewer {
    /// The poster's side: publishes, awards, accepts, sends back, closes.
    pub poster: bool,
    /// On an awarded team: reports progress and delivers.
    pub may_work: bool,
    /// May read and write the discussion between poster and claimants.
    pub may_discuss: bool,
    /// The challenge's chat room is open to the reader.
    pub may_chat: bool,
    /// Ids of the claims the reader may withdraw.
    pub may_withdraw: Vec<i64>,
    /// Studios the reader leads that may still claim it.
    pub may_claim_as: Vec<StudioBrief>,
    /// Awarded studios the reader may record the accepted result for as an outcome (成果转化).
    pub may_record_outcome_for: Vec<StudioBrief>,
}

/// Loads a challenge the actor may read (404 otherwise).
pub async fn get(db: &Db, actor: Option<&Actor>, id: i64) -> AppResult<Challenge> {
    let ch = challenges::find(db.reader(), id)
        .await?
        .ok_or_else(AppError::not_found)?;
    policy::view_challenge(actor, &ch)?;
    Ok(ch)
}

pub async fn detail(db: &Db, actor: Option<&Actor>, id: i64) -> AppResult<ChallengeDetail> {
    let challenge = get(db, actor, id).await?;
    let pool = db.reader();
    let claims = claims::of_challenge(pool, id).await?;
    let viewer = match actor {
        Some(a) => viewer(db, a, &challenge, &claims).await?,
        None => ChallengeViewer::default(),
    };
    Ok(ChallengeDetail {
        backers: crate::store::challenge_backers::of_challenge(pool, id).await?,
        timeline: challenges::events(pool, id).await?,
        challenge,
        claims,
        viewer,
    })
}

async fn viewer(
    db: &Db,
    actor: &Actor,
    ch: &Challenge,
    claims: &[Claim],
) -> AppResult<ChallengeViewer> {
    let may_claim_as = crate::service::studios::led(db, actor)
        .await?
        .into_iter()
        .filter(|s| claims.iter().all(|k| k.studio_id != s.id))
        .filter(|s| policy::claim_challenge(actor, ch, s.id).is_ok())
        .collect();
    let mut may_record_outcome_for: Vec<StudioBrief> = Vec::new();
    if policy::outcomes::record_from_challenge(actor, ch, claims).is_ok() {
        let awarded = claims.iter().filter(|k| k.status == ClaimStatus::Awarded);
        for m in awarded.flat_map(|k| &k.team) {
            if may_record_outcome_for.iter().all(|s| s.id != m.studio_id) {
                may_record_outcome_for.push(StudioBrief {
                    id: m.studio_id,
                    name: m.studio_name.clone(),
                });
            }
        }
    }
    Ok(ChallengeViewer {
        poster: policy::manage_challenge(actor, ch).is_ok(),
        may_work: policy::work_on_challenge(actor, claims).is_ok(),
        may_discuss: policy::discuss_challenge(actor, ch, claims).is_ok(),
        may_chat: policy::use_room(actor, &policy::RoomTarget::Challenge(Some((ch, claims))))
            .is_ok(),
        may_withdraw: claims
            .iter()
            .filter(|k| policy::withdraw_claim(actor, k).is_ok())
            .map(|k| k.id)
            .collect(),
        may_claim_as,
        may_record_outcome_for,
    })
}

/// The status the action leads to from the challenge's current one, or the 409.
pub fn next_status(ch: &Challenge, action: ChallengeAction) -> AppResult<ChallengeStatus> {
    let mode = ClaimMode::parse(&ch.claim_mode).unwrap_or(ClaimMode::Exclusive);
    ch.status
        .transition(action, mode)
        .ok_or_else(|| AppError::wrong_state(ch.status.code(), action.verb()))
}

/// Applies a lifecycle step inside `tx`, atomically against concurrent steps.
pub async fn step(
    tx: &mut Tx,
    ch: &Challenge,
    action: ChallengeAction,
) -> AppResult<ChallengeStatus> {
    let to = next_status(ch, action)?;
    if !challenges::set_status(tx, ch.id, &[ch.status], to).await? {
        let now = challenges::find_in(tx, ch.id)
            .await?
            .ok_or_else(AppError::not_found)?;
        return Err(AppError::wrong_state(now.status.code(), action.verb()));
    }
    outbox::append(tx, Entity::Challenge, ch.id, Op::Status).await?;
    super::challenge_backers::tell_backers(tx, ch.id, &ch.title).await?;
    Ok(to)
}

/// The answer to a lifecycle step.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatusAnswer {
    pub id: i64,
    pub status: String,
}

pub async fn publish(db: &Db, actor: &Actor, id: i64) -> AppResult<StatusAnswer> {
    let ch = get(db, Some(actor), id).await?;
    policy::manage_challenge(actor, &ch)?;
    let mut tx = db.begin().await?;
    let to = step(&mut tx, &ch, ChallengeAction::Publish).await?;
    challenges::add_event(&mut tx, id, actor.id(), "publish", "", None).await?;
    audit::record(&mut tx, Some(actor.id()), "publish", "challenge", id, "").await?;
    tx.commit().await?;
    Ok(StatusAnswer {
        id,
        status: to.code().to_owned(),
    })
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Reason {
    #[serde(default)]
    pub reason: String,
}

/// Cancels before delivery, with a reason; every claimant is told.
pub async fn cancel(db: &Db, actor: &Actor, id: i64, input: Reason) -> AppResult<StatusAnswer> {
    let ch = get(db, Some(actor), id).await?;
    policy::manage_challenge(actor, &ch)?;
    let reason = input.reason.trim();
    let mut c = Checks::new();
    c.required("reason", reason, 2000);
    c.finish()?;
    let claims = claims::of_challenge(db.reader(), id).await?;
    let mut tx = db.begin().await?;
    let to = step(&mut tx, &ch, ChallengeAction::Cancel).await?;
    challenges::set_cancel_reason(&mut tx, id, reason).await?;
    claims::decline_pending(&mut tx, id).await?;
    challenges::add_event(&mut tx, id, actor.id(), "cancel", reason, None).await?;
    for claim in &claims {
        let subject = format!("榜单“{}”已撤榜：{reason}", ch.title);
        notify_claim(&mut tx, claim, "challenge_cancelled", &subject, id).await?;
    }
    audit::record(&mut tx, Some(actor.id()), "cancel", "challenge", id, reason).await?;
    tx.commit().await?;
    Ok(StatusAnswer {
        id,
        status: to.code().to_owned(),
    })
}

/// Tells a claim's author and its team.
pub async fn notify_claim(
    tx: &mut Tx,
    claim: &Claim,
    kind: &str,
    subject: &str,
    challenge_id: i64,
) -> AppResult<()> {
    let link = format!("/challenges/{challenge_id}");
    let mut told = vec![claim.author_id];
    notifications::push(tx, claim.author_id, kind, subject, &link).await?;
    for m in &claim.team {
        if !told.contains(&m.user_id) {
            told.push(m.user_id);
            notifications::push(tx, m.user_id, kind, subject, &link).await?;
        }
    }
    Ok(())
}

/// Tells the poster's side: the author, and the posting studio's leader.
pub async fn notify_poster(
    tx: &mut Tx,
    ch: &Challenge,
    leader_id: i64,
    kind: &str,
    subject: &str,
) -> AppResult<()> {
    let link = format!("/challenges/{}", ch.id);
    notifications::push(tx, ch.author_id, kind, subject, &link).await?;
    if leader_id != ch.author_id {
        notifications::push(tx, leader_id, kind, subject, &link).await?;
    }
    Ok(())
}

/// Board query.
#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
pub struct BoardQuery {
    pub status: Option<String>,
    pub industry: Option<String>,
    pub studio_id: Option<i64>,
    /// Only challenges offering at least this reward (yuan).
    pub min_reward: Option<i64>,
    /// Only challenges due on or before this date (`YYYY-MM-DD`).
    pub deadline_before: Option<String>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

pub async fn list(db: &Db, actor: Option<&Actor>, q: &BoardQuery) -> AppResult<Page<Challenge>> {
    let (limit, before) = Paging {
        limit: q.limit,
        cursor: q.cursor.clone(),
    }
    .resolve()?;
    let nonempty = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let mut c = Checks::new();
    let status = nonempty(&q.status);
    if let Some(s) = &status
        && ChallengeStatus::parse(s).is_none()
    {
        c.fail("status", "未知的状态 / unknown status");
    }
    let deadline_before = nonempty(&q.deadline_before);
    c.date("deadline_before", deadline_before.as_deref().unwrap_or(""));
    c.max_len("industry", q.industry.as_deref().unwrap_or(""), 40);
    if q.min_reward.is_some_and(|r| r < 0) {
        c.fail("min_reward", "不能为负 / must not be negative");
    }
    c.finish()?;
    let filter = challenges::Filter {
        status,
        industry: nonempty(&q.industry),
        studio_id: q.studio_id,
        min_reward: q.min_reward,
        deadline_before,
        draft_studios: policy::own_studio_ids(actor),
    };
    let rows = challenges::list(db.reader(), &filter, before, limit + 1).await?;
    Ok(page(rows, limit, |c| c.id))
}
