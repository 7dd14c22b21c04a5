//! Membership of an alliance: joining by request or invitation, leaving, handing over the
//! lead, and the alliance's own steps (naming, dissolving). Every change locks the alliance row,
//! moves its lifecycle and writes the outbox and the audit log.

use serde::Deserialize;
use utoipa::ToSchema;

use super::alliances::{AllianceAnswer, get, studio};
use crate::auth::{Actor, policy};
use crate::domain::alliance::{
    AllianceAction, AllianceStatus, RequestAction, RequestKind, RequestStatus,
};
use crate::domain::text::Checks;
use crate::error::{AppError, AppResult};
use crate::outbox::{Entity, Op};
use crate::store::Db;
use crate::store::alliance_requests::{self as requests, JoinRequest};
use crate::store::alliances;
use crate::store::{Tx, audit, notifications, outbox};

/// Applies a change to the locked alliance and records it (outbox and audit log); answers
/// the alliance's status after it.
async fn change(
    tx: &mut Tx,
    actor: &Actor,
    alliance_id: i64,
    action: impl FnOnce(usize) -> AllianceAction,
    detail: &str,
) -> AppResult<AllianceAnswer> {
    let (current, _) = alliances::lock(tx, alliance_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let members = alliances::member_ids(tx, alliance_id).await?.len();
    let action = action(members);
    let to = current
        .transition(action)
        .ok_or_else(|| AppError::wrong_state(current.code(), action.verb()))?;
    if to != current {
        alliances::set_status(tx, alliance_id, current, to).await?;
    }
    outbox::append(tx, Entity::Alliance, alliance_id, Op::Members).await?;
    let verb = action.verb();
    audit::record(tx, Some(actor.id()), verb, "alliance", alliance_id, detail).await?;
    Ok(AllianceAnswer {
        id: alliance_id,
        status: to.code().to_owned(),
    })
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct JoinInput {
    pub studio_id: i64,
    #[serde(default)]
    pub message: String,
}

/// A studio asks to join (`RequestKind::Request`, by its leader) or the lead invites it
/// (`RequestKind::Invite`).
pub async fn ask(
    db: &Db,
    actor: &Actor,
    alliance_id: i64,
    kind: RequestKind,
    input: JoinInput,
) -> AppResult<AllianceAnswer> {
    let alliance = get(db, alliance_id).await?;
    let joining = studio(db, input.studio_id, "studio_id").await?;
    match kind {
        RequestKind::Request => policy::act_for_studio(actor, &joining)?,
        RequestKind::Invite => policy::lead_alliance(actor, &alliance)?,
    }
    if alliance.status == AllianceStatus::Dissolved {
        return Err(AppError::wrong_state(alliance.status.code(), "join"));
    }
    let message = input.message.trim();
    let mut c = Checks::new();
    c.max_len("message", message, 500);
    if !joining.online {
        c.fail(
            "studio_id",
            "工作室须先上线 / the studio must be online first",
        );
    }
    let mut tx = db.begin().await?;
    if alliances::member_ids(&mut tx, alliance_id)
        .await?
        .contains(&joining.id)
    {
        c.fail(
            "studio_id",
            "该工作室已是联盟成员 / the studio is already a member",
        );
    }
    c.finish()?;
    let id = requests::insert_request(
        &mut tx,
        alliance_id,
        joining.id,
        kind.code(),
        message,
        actor.id(),
    )
    .await?
    .ok_or_else(|| {
        AppError::conflict(
            "request_pending",
            "已有待处理的申请或邀请 / a request is already pending",
        )
    })?;
    let link = format!("/alliances/{alliance_id}#requests");
    let (to, subject) = match kind {
        RequestKind::Request => {
            let lead = studio(db, alliance.lead_studio_id, "lead_studio_id").await?;
            (
                lead.leader_id,
                format!("{}申请加入{}", joining.name, alliance.name),
            )
        }
        RequestKind::Invite => (
            joining.leader_id,
            format!("{}邀请{}加入", alliance.name, joining.name),
        ),
    };
    notifications::push(&mut tx, to, "alliance_request", &subject, &link).await?;
    audit::record(
        &mut tx,
        Some(actor.id()),
        kind.code(),
        "alliance",
        alliance_id,
        &joining.name,
    )
    .await?;
    tx.commit().await?;
    Ok(AllianceAnswer {
        id,
        status: RequestStatus::Pending.code().to_owned(),
    })
}

/// Approves, declines or withdraws a pending request or invitation. Approval adds the studio;
/// with two or more members the alliance becomes active.
pub async fn decide(
    db: &Db,
    actor: &Actor,
    alliance_id: i64,
    request_id: i64,
    action: RequestAction,
) -> AppResult<AllianceAnswer> {
    let alliance = get(db, alliance_id).await?;
    let req: JoinRequest = requests::find_request(db.reader(), request_id)
        .await?
        .filter(|r| r.alliance_id == alliance_id)
        .ok_or_else(AppError::not_found)?;
    match action {
        RequestAction::Withdraw => policy::withdraw_join(actor, &alliance, &req)?,
        _ => policy::decide_join(actor, &alliance, &req)?,
    }
    let to = req
        .status
        .transition(action)
        .ok_or_else(|| AppError::wrong_state(req.status.code(), action.verb()))?;
    let mut tx = db.begin().await?;
    if !requests::decide_request(&mut tx, request_id, to, actor.id()).await? {
        return Err(AppError::wrong_state("decided", action.verb()));
    }
    let mut answer = AllianceAnswer {
        id: alliance_id,
        status: alliance.status.code().to_owned(),
    };
    if to == RequestStatus::Approved {
        alliances::add_member(&mut tx, alliance_id, req.studio_id).await?;
        let join = |n| AllianceAction::Join { members_after: n };
        answer = change(&mut tx, actor, alliance_id, join, &req.studio_name).await?;
        let subject = format!("{}已加入{}", req.studio_name, alliance.name);
        for leader in alliances::member_leaders(&mut tx, alliance_id).await? {
            if leader != actor.id() {
                notifications::push(
                    &mut tx,
                    leader,
                    "alliance_joined",
                    &subject,
                    &format!("/alliances/{alliance_id}"),
                )
                .await?;
            }
        }
    }
    audit::record(
        &mut tx,
        Some(actor.id()),
        action.verb(),
        "alliance_request",
        request_id,
        &req.studio_name,
    )
    .await?;
    tx.commit().await?;
    Ok(answer)
}

/// A member studio leaves (by its leader). The lead studio hands the lead over first.
pub async fn leave(
    db: &Db,
    actor: &Actor,
    alliance_id: i64,
    studio_id: i64,
) -> AppResult<AllianceAnswer> {
    let alliance = get(db, alliance_id).await?;
    let leaving = studio(db, studio_id, "studio_id").await?;
    policy::act_for_studio(actor, &leaving)?;
    if alliance.lead_studio_id == studio_id {
        return Err(AppError::conflict(
            "lead_cannot_leave",
            "牵头工作室须先移交牵头职责 / the lead studio must hand over the lead first",
        ));
    }
    let mut tx = db.begin().await?;
    if !alliances::remove_member(&mut tx, alliance_id, studio_id).await? {
        return Err(AppError::invalid_field(
            "studio_id",
            "该工作室不是联盟成员 / not a member",
        ));
    }
    let leave = |n| AllianceAction::Leave { members_after: n };
    let answer = change(&mut tx, actor, alliance_id, leave, &leaving.name).await?;
    tx.commit().await?;
    Ok(answer)
}

/// The lead hands the lead role to another member studio.
pub async fn hand_over(
    db: &Db,
    actor: &Actor,
    alliance_id: i64,
    studio_id: i64,
) -> AppResult<AllianceAnswer> {
    let alliance = get(db, alliance_id).await?;
    policy::lead_alliance(actor, &alliance)?;
    let mut tx = db.begin().await?;
    if studio_id == alliance.lead_studio_id
        || !alliances::member_ids(&mut tx, alliance_id)
            .await?
            .contains(&studio_id)
    {
        return Err(AppError::invalid_field(
            "studio_id",
            "须移交给另一成员工作室 / must be another member studio",
        ));
    }
    let to = studio_id.to_string();
    let answer = change(
        &mut tx,
        actor,
        alliance_id,
        |_| AllianceAction::HandOver,
        &to,
    )
    .await?;
    alliances::set_lead(&mut tx, alliance_id, studio_id).await?;
    tx.commit().await?;
    Ok(answer)
}

/// Dissolution by the lead. (An alliance is named only through the naming flow: its lead
/// studio applies in a union's batch.)
pub async fn settle(
    db: &Db,
    actor: &Actor,
    alliance_id: i64,
    action: AllianceAction,
) -> AppResult<AllianceAnswer> {
    let alliance = get(db, alliance_id).await?;
    if action == AllianceAction::Name {
        return Err(AppError::not_found());
    }
    policy::lead_alliance(actor, &alliance)?;
    let mut tx = db.begin().await?;
    let answer = change(&mut tx, actor, alliance_id, |_| action, &alliance.name).await?;
    tx.commit().await?;
    Ok(answer)
}
