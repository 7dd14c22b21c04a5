//! The work after the award (挂帅): progress against the milestones, delivery, acceptance
//! (验收) or sending back, and the discussion on the challenge page.

use serde::Deserialize;
use utoipa::ToSchema;

use super::challenges::{Reason, StatusAnswer, get, notify_claim, notify_poster, step};
use super::claims::poster_contact;
use crate::auth::{Actor, policy};
use crate::domain::challenge::{ChallengeAction, ClaimStatus, check_percent, check_rating, limits};
use crate::domain::text::Checks;
use crate::error::{AppError, AppResult};
use crate::store::Db;
use crate::store::audit;
use crate::store::challenges::{self, Challenge};
use crate::store::claims::{self, Claim};

#[derive(Debug, Deserialize, ToSchema)]
pub struct ProgressInput {
    pub note: String,
    pub percent: i64,
}

/// Progress against the milestones (awarded team only); the challenge becomes in_progress.
pub async fn progress(
    db: &Db,
    actor: &Actor,
    id: i64,
    input: ProgressInput,
) -> AppResult<StatusAnswer> {
    let (ch, _) = for_team(db, actor, id).await?;
    let note = input.note.trim();
    let mut c = Checks::new();
    c.required("note", note, limits::NOTE);
    check_percent(input.percent, &mut c);
    c.finish()?;
    let leader = poster_contact(db, &ch).await?;
    let mut tx = db.begin().await?;
    let to = step(&mut tx, &ch, ChallengeAction::Progress).await?;
    challenges::add_event(
        &mut tx,
        id,
        actor.id(),
        "progress",
        note,
        Some(input.percent),
    )
    .await?;
    notify_poster(
        &mut tx,
        &ch,
        leader,
        "progress",
        &format!("“{}”进展 {}%", ch.title, input.percent),
    )
    .await?;
    audit::record(&mut tx, Some(actor.id()), "progress", "challenge", id, "").await?;
    tx.commit().await?;
    Ok(StatusAnswer {
        id,
        status: to.code().to_owned(),
    })
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DeliveryInput {
    pub summary: String,
}

pub async fn deliver(
    db: &Db,
    actor: &Actor,
    id: i64,
    input: DeliveryInput,
) -> AppResult<StatusAnswer> {
    let (ch, _) = for_team(db, actor, id).await?;
    let summary = input.summary.trim();
    let mut c = Checks::new();
    c.required("summary", summary, limits::DESCRIPTION);
    c.finish()?;
    let leader = poster_contact(db, &ch).await?;
    let mut tx = db.begin().await?;
    let to = step(&mut tx, &ch, ChallengeAction::Deliver).await?;
    challenges::set_summary(&mut tx, id, summary).await?;
    challenges::add_event(&mut tx, id, actor.id(), "deliver", summary, None).await?;
    notify_poster(
        &mut tx,
        &ch,
        leader,
        "delivered",
        &format!("“{}”已提交成果，待验收", ch.title),
    )
    .await?;
    audit::record(&mut tx, Some(actor.id()), "deliver", "challenge", id, "").await?;
    tx.commit().await?;
    Ok(StatusAnswer {
        id,
        status: to.code().to_owned(),
    })
}

async fn for_team(db: &Db, actor: &Actor, id: i64) -> AppResult<(Challenge, Vec<Claim>)> {
    let ch = get(db, Some(actor), id).await?;
    let all = claims::of_challenge(db.reader(), id).await?;
    policy::work_on_challenge(actor, &all)?;
    Ok((ch, all))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Acceptance {
    /// 1–5.
    pub rating: i64,
    #[serde(default)]
    pub comment: String,
}

/// Accepts the delivery (验收) with a rating (poster only).
pub async fn accept(db: &Db, actor: &Actor, id: i64, input: Acceptance) -> AppResult<StatusAnswer> {
    let ch = get(db, Some(actor), id).await?;
    policy::manage_challenge(actor, &ch)?;
    let comment = input.comment.trim();
    let mut c = Checks::new();
    check_rating(input.rating, &mut c);
    c.max_len("comment", comment, limits::NOTE);
    c.finish()?;
    let all = claims::of_challenge(db.reader(), id).await?;
    let mut tx = db.begin().await?;
    let to = step(&mut tx, &ch, ChallengeAction::Accept).await?;
    challenges::set_review(&mut tx, id, input.rating, comment).await?;
    challenges::add_event(
        &mut tx,
        id,
        actor.id(),
        "accept",
        comment,
        Some(input.rating),
    )
    .await?;
    for claim in all.iter().filter(|c| c.status == ClaimStatus::Awarded) {
        notify_claim(
            &mut tx,
            claim,
            "accepted",
            &format!("“{}”已通过验收（{} 星）", ch.title, input.rating),
            id,
        )
        .await?;
    }
    audit::record(
        &mut tx,
        Some(actor.id()),
        "accept",
        "challenge",
        id,
        &input.rating.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusAnswer {
        id,
        status: to.code().to_owned(),
    })
}

/// Sends a delivery back with reasons (delivered → in_progress), at most the configured times.
pub async fn send_back(
    db: &Db,
    max_send_backs: i64,
    actor: &Actor,
    id: i64,
    input: Reason,
) -> AppResult<StatusAnswer> {
    let ch = get(db, Some(actor), id).await?;
    policy::manage_challenge(actor, &ch)?;
    let reason = input.reason.trim();
    let mut c = Checks::new();
    c.required("reason", reason, limits::NOTE);
    c.finish()?;
    if ch.send_backs >= max_send_backs {
        return Err(AppError::conflict(
            "send_back_limit",
            format!(
                "最多退回 {} 次 / at most {} send-backs",
                max_send_backs, max_send_backs
            ),
        ));
    }
    let all = claims::of_challenge(db.reader(), id).await?;
    let mut tx = db.begin().await?;
    let to = step(&mut tx, &ch, ChallengeAction::SendBack).await?;
    challenges::count_send_back(&mut tx, id).await?;
    challenges::add_event(&mut tx, id, actor.id(), "send_back", reason, None).await?;
    for claim in all.iter().filter(|c| c.status == ClaimStatus::Awarded) {
        notify_claim(
            &mut tx,
            claim,
            "sent_back",
            &format!("“{}”验收未通过，已退回：{reason}", ch.title),
            id,
        )
        .await?;
    }
    audit::record(
        &mut tx,
        Some(actor.id()),
        "send_back",
        "challenge",
        id,
        reason,
    )
    .await?;
    tx.commit().await?;
    Ok(StatusAnswer {
        id,
        status: to.code().to_owned(),
    })
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CommentInput {
    pub body: String,
}

/// A message in the challenge's discussion (poster side and claimants).
pub async fn comment(db: &Db, actor: &Actor, id: i64, input: CommentInput) -> AppResult<()> {
    let ch = get(db, Some(actor), id).await?;
    let all = claims::of_challenge(db.reader(), id).await?;
    policy::discuss_challenge(actor, &ch, &all)?;
    let body = input.body.trim();
    let mut c = Checks::new();
    c.required("body", body, limits::NOTE);
    c.finish()?;
    let mut tx = db.begin().await?;
    challenges::add_event(&mut tx, id, actor.id(), "comment", body, None).await?;
    audit::record(&mut tx, Some(actor.id()), "comment", "challenge", id, "").await?;
    tx.commit().await?;
    Ok(())
}
