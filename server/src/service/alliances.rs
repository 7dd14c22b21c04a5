//! Alliances (工作室联盟): founding, joining by request or invitation, leaving, handing over
//! the lead, naming and dissolving; the alliance page's contents.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::app::AppState;
use crate::auth::{Actor, policy};
use crate::domain::alliance::{
    AllianceAction, AllianceStatus, RequestAction, RequestKind, RequestStatus, check_alliance,
};
use crate::domain::text::Checks;
use crate::error::{AppError, AppResult};
use crate::events::{Entity, Op};
use crate::service::{Page, Paging, page};
use crate::store::alliances::{self, Alliance, JoinRequest, MemberStudio, NewAlliance};
use crate::store::challenges::{self, Challenge};
use crate::store::outcomes::{self, Outcome};
use crate::store::{Tx, audit, notifications, outbox, studios};

#[derive(Debug, Deserialize, ToSchema)]
pub struct AllianceInput {
    pub name: String,
    pub lead_studio_id: i64,
    #[serde(default)]
    pub description: String,
    /// cross_region, cross_industry, cross_enterprise or within_enterprise.
    pub scope: String,
    /// The union org it sits under; the lead studio's host unit when absent.
    pub org_id: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AllianceAnswer {
    pub id: i64,
    pub status: String,
}

async fn studio(state: &AppState, id: i64, field: &str) -> AppResult<studios::Studio> {
    studios::find(state.db.reader(), id)
        .await?
        .ok_or_else(|| AppError::invalid_field(field, "没有这个工作室 / no such studio"))
}

pub async fn create(
    state: &AppState,
    actor: &Actor,
    input: AllianceInput,
) -> AppResult<AllianceAnswer> {
    let lead = studio(state, input.lead_studio_id, "lead_studio_id").await?;
    policy::found_alliance(actor, &lead)?;
    let (name, description) = (input.name.trim(), input.description.trim());
    let mut c = Checks::new();
    check_alliance(name, description, input.scope.trim(), &mut c);
    if !lead.online {
        c.fail(
            "lead_studio_id",
            "牵头工作室须先上线 / the lead studio must be online first",
        );
    }
    let org_id = input.org_id.unwrap_or(lead.org_id);
    if crate::store::orgs::find(state.db.reader(), org_id)
        .await?
        .is_none()
    {
        c.fail("org_id", "没有这个组织 / no such org");
    }
    c.finish()?;
    let mut tx = state.db.begin().await?;
    let id = alliances::insert(
        &mut tx,
        &NewAlliance {
            name,
            description,
            scope: input.scope.trim(),
            org_id,
            lead_studio_id: lead.id,
            founded_by: actor.id(),
        },
    )
    .await?
    .ok_or_else(|| {
        AppError::conflict(
            "name_taken",
            "已有同名联盟 / an alliance of this name exists",
        )
    })?;
    outbox::append(&mut tx, Entity::Alliance, id, Op::Create).await?;
    audit::record(&mut tx, Some(actor.id()), "create", "alliance", id, name).await?;
    tx.commit().await?;
    Ok(AllianceAnswer {
        id,
        status: AllianceStatus::Forming.code().to_owned(),
    })
}

pub async fn get(state: &AppState, id: i64) -> AppResult<Alliance> {
    alliances::find(state.db.reader(), id)
        .await?
        .ok_or_else(AppError::not_found)
}

/// The directory query.
#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
pub struct AllianceQuery {
    /// Only alliances this studio belongs to.
    pub studio_id: Option<i64>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

pub async fn list(state: &AppState, q: &AllianceQuery) -> AppResult<Page<Alliance>> {
    let paging = Paging {
        limit: q.limit,
        cursor: q.cursor.clone(),
    };
    let (limit, before) = paging.resolve()?;
    let rows = alliances::list(state.db.reader(), q.studio_id, before, limit + 1).await?;
    Ok(page(rows, limit, |a| a.id))
}

/// Applies a membership change to the locked alliance and records it.
async fn change(
    tx: &mut Tx,
    alliance_id: i64,
    action: impl FnOnce(usize) -> AllianceAction,
) -> AppResult<AllianceStatus> {
    let (status, _) = alliances::lock(tx, alliance_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let members = alliances::member_ids(tx, alliance_id).await?.len();
    let action = action(members);
    let current = AllianceStatus::parse(&status)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("unknown alliance status {status}")))?;
    let to = current
        .transition(action)
        .ok_or_else(|| AppError::wrong_state(&status, action.verb()))?;
    if to != current {
        alliances::set_status(tx, alliance_id, &status, to.code()).await?;
    }
    outbox::append(tx, Entity::Alliance, alliance_id, Op::Members).await?;
    Ok(to)
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
    state: &AppState,
    actor: &Actor,
    alliance_id: i64,
    kind: RequestKind,
    input: JoinInput,
) -> AppResult<AllianceAnswer> {
    let alliance = get(state, alliance_id).await?;
    let joining = studio(state, input.studio_id, "studio_id").await?;
    match kind {
        RequestKind::Request => policy::act_for_studio(actor, &joining)?,
        RequestKind::Invite => policy::lead_alliance(actor, &alliance)?,
    }
    if alliance.status == AllianceStatus::Dissolved.code() {
        return Err(AppError::wrong_state(&alliance.status, "join"));
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
    let mut tx = state.db.begin().await?;
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
    let id = alliances::insert_request(
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
            let lead = studio(state, alliance.lead_studio_id, "lead_studio_id").await?;
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
    state: &AppState,
    actor: &Actor,
    alliance_id: i64,
    request_id: i64,
    action: RequestAction,
) -> AppResult<AllianceAnswer> {
    let alliance = get(state, alliance_id).await?;
    let req: JoinRequest = alliances::find_request(state.db.reader(), request_id)
        .await?
        .filter(|r| r.alliance_id == alliance_id)
        .ok_or_else(AppError::not_found)?;
    match action {
        RequestAction::Withdraw => policy::withdraw_join(actor, &alliance, &req)?,
        _ => policy::decide_join(actor, &alliance, &req)?,
    }
    let current = RequestStatus::parse(&req.status).unwrap_or(RequestStatus::Withdrawn);
    let to = current
        .transition(action)
        .ok_or_else(|| AppError::wrong_state(&req.status, action.verb()))?;
    let mut tx = state.db.begin().await?;
    if !alliances::decide_request(&mut tx, request_id, to.code(), actor.id()).await? {
        return Err(AppError::wrong_state("decided", action.verb()));
    }
    let mut status = AllianceStatus::parse(&alliance.status).unwrap_or(AllianceStatus::Forming);
    if to == RequestStatus::Approved {
        alliances::add_member(&mut tx, alliance_id, req.studio_id).await?;
        status = change(&mut tx, alliance_id, |n| AllianceAction::Join {
            members_after: n,
        })
        .await?;
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
    Ok(AllianceAnswer {
        id: alliance_id,
        status: status.code().to_owned(),
    })
}

/// A member studio leaves (by its leader). The lead studio hands the lead over first.
pub async fn leave(
    state: &AppState,
    actor: &Actor,
    alliance_id: i64,
    studio_id: i64,
) -> AppResult<AllianceAnswer> {
    let alliance = get(state, alliance_id).await?;
    let leaving = studio(state, studio_id, "studio_id").await?;
    policy::act_for_studio(actor, &leaving)?;
    if alliance.lead_studio_id == studio_id {
        return Err(AppError::conflict(
            "lead_cannot_leave",
            "牵头工作室须先移交牵头职责 / the lead studio must hand over the lead first",
        ));
    }
    let mut tx = state.db.begin().await?;
    if !alliances::remove_member(&mut tx, alliance_id, studio_id).await? {
        return Err(AppError::invalid_field(
            "studio_id",
            "该工作室不是联盟成员 / not a member",
        ));
    }
    let status = change(&mut tx, alliance_id, |n| AllianceAction::Leave {
        members_after: n,
    })
    .await?;
    audit::record(
        &mut tx,
        Some(actor.id()),
        "leave",
        "alliance",
        alliance_id,
        &leaving.name,
    )
    .await?;
    tx.commit().await?;
    Ok(AllianceAnswer {
        id: alliance_id,
        status: status.code().to_owned(),
    })
}

/// The lead hands the lead role to another member studio.
pub async fn hand_over(
    state: &AppState,
    actor: &Actor,
    alliance_id: i64,
    studio_id: i64,
) -> AppResult<AllianceAnswer> {
    let alliance = get(state, alliance_id).await?;
    policy::lead_alliance(actor, &alliance)?;
    let mut tx = state.db.begin().await?;
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
    let status = change(&mut tx, alliance_id, |_| AllianceAction::HandOver).await?;
    alliances::set_lead(&mut tx, alliance_id, studio_id).await?;
    audit::record(
        &mut tx,
        Some(actor.id()),
        "hand_over",
        "alliance",
        alliance_id,
        &studio_id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(AllianceAnswer {
        id: alliance_id,
        status: status.code().to_owned(),
    })
}

/// Naming by union staff (命名), or dissolution by the lead.
pub async fn settle(
    state: &AppState,
    actor: &Actor,
    alliance_id: i64,
    action: AllianceAction,
) -> AppResult<AllianceAnswer> {
    let alliance = get(state, alliance_id).await?;
    match action {
        AllianceAction::Name => policy::name_alliance(actor, &alliance)?,
        _ => policy::lead_alliance(actor, &alliance)?,
    }
    let mut tx = state.db.begin().await?;
    let status = change(&mut tx, alliance_id, |_| action).await?;
    audit::record(
        &mut tx,
        Some(actor.id()),
        action.verb(),
        "alliance",
        alliance_id,
        &alliance.name,
    )
    .await?;
    tx.commit().await?;
    Ok(AllianceAnswer {
        id: alliance_id,
        status: status.code().to_owned(),
    })
}

/// An alliance with its members; pending requests for those who may act on them.
#[derive(Debug, Serialize, ToSchema)]
pub struct AllianceDetail {
    #[serde(flatten)]
    pub alliance: Alliance,
    pub members: Vec<MemberStudio>,
    pub requests: Vec<JoinRequest>,
}

pub async fn detail(state: &AppState, actor: Option<&Actor>, id: i64) -> AppResult<AllianceDetail> {
    let alliance = get(state, id).await?;
    let pool = state.db.reader();
    let members = alliances::members(pool, id).await?;
    let requests = match actor {
        Some(a) => alliances::pending_requests(pool, id)
            .await?
            .into_iter()
            .filter(|r| {
                policy::decide_join(a, &alliance, r).is_ok()
                    || policy::withdraw_join(a, &alliance, r).is_ok()
            })
            .collect(),
        None => Vec::new(),
    };
    Ok(AllianceDetail {
        alliance,
        members,
        requests,
    })
}

/// The alliance's board: its alliance-only challenges (for its members) and its members'
/// public ones.
pub async fn board(state: &AppState, actor: Option<&Actor>, id: i64) -> AppResult<Vec<Challenge>> {
    get(state, id).await?;
    let rows = challenges::of_alliance(state.db.reader(), id, 50).await?;
    Ok(rows
        .into_iter()
        .filter(|c| policy::view_challenge(actor, c).is_ok())
        .collect())
}

pub async fn outcomes(state: &AppState, id: i64) -> AppResult<Vec<Outcome>> {
    Ok(outcomes::of_alliance(state.db.reader(), id, 20).await?)
}
