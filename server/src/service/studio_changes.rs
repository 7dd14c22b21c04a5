//! Changes to a named studio (Jieyang art. 7: 由其原申报单位工会逐级上报，县级总工会审核后报市总工会
//! 审批): the unit's union requests a new leader, a new name or the title's cancellation; the
//! union between reviews it, the naming union approves it, and only then does the studio change.
//! The studio's history keeps every request and its outcome.

use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::{Actor, policy};
use crate::domain::naming::{OPINION_MAX, Stage};
use crate::domain::studio::{StudioAction, StudioStatus};
use crate::domain::studio_change::{ChangeKind, ChangeStatus, NAME_MAX};
use crate::domain::text::Checks;
use crate::error::{AppError, AppResult};
use crate::outbox::{Entity, Op};
use crate::store::naming::{staff_between, staff_of_org};
use crate::store::studio_changes::{self as store, NewChange, StudioChange};
use crate::store::{Db, Tx, audit, notifications, outbox, studio_members, studios};

#[derive(Debug, Deserialize, ToSchema)]
pub struct ChangeInput {
    /// `leader_change`, `rename` or `cancel`.
    pub kind: String,
    /// `leader_change`: one of the studio's people.
    pub new_leader_id: Option<i64>,
    /// `rename`: the new name; `leader_change`: the new name if it differs from the old one
    /// with the new leader's name in front (the default).
    #[serde(default)]
    pub new_name: String,
    pub reason: String,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct DecisionInput {
    /// Required when rejecting.
    #[serde(default)]
    pub opinion: String,
}

/// The unit's union (or a union above it) files a change of a named studio.
pub async fn request(
    db: &Db,
    actor: &Actor,
    studio_id: i64,
    input: ChangeInput,
) -> AppResult<StudioChange> {
    let studio = crate::service::studios::get(db, Some(actor), studio_id).await?;
    policy::request_studio_change(actor, &studio)?;
    if !matches!(
        studio.status,
        StudioStatus::Named | StudioStatus::Rectification
    ) || studio.naming_org_id.is_none()
    {
        return Err(AppError::conflict(
            "not_named",
            "只有已命名的工作室需要报批变更；未命名的由领衔人直接移交 / only a named studio's changes go up for approval",
        ));
    }
    let kind = ChangeKind::parse(input.kind.trim());
    let reason = input.reason.trim();
    let mut new_name = input.new_name.trim().to_owned();
    let mut c = Checks::new();
    match kind {
        None => c.fail(
            "kind",
            "变更类型应为 leader_change、rename 或 cancel / unknown kind",
        ),
        Some(ChangeKind::LeaderChange) => {
            let members = studio_members::members(db, studio_id).await?;
            let next = input
                .new_leader_id
                .and_then(|id| members.iter().find(|m| m.user_id == id));
            match next {
                Some(m) if m.user_id != studio.leader_id => {
                    if new_name.is_empty()
                        && let Some(rest) = studio.name.strip_prefix(studio.leader_name.as_str())
                    {
                        new_name = format!("{}{rest}", m.display_name);
                    }
                }
                _ => c.fail(
                    "new_leader_id",
                    "新领衔人应为本工作室的其他成员 / the new leader must be another of the studio's people",
                ),
            }
        }
        Some(ChangeKind::Rename) => c.required("new_name", &new_name, NAME_MAX),
        Some(ChangeKind::Cancel) => new_name.clear(),
    }
    c.max_len("new_name", &new_name, NAME_MAX);
    c.required("reason", reason, OPINION_MAX);
    c.finish()?;
    let kind = kind.expect("checked above");
    let new_leader_id = (kind == ChangeKind::LeaderChange)
        .then_some(input.new_leader_id)
        .flatten();
    let mut tx = db.begin().await?;
    let id = store::insert(
        &mut tx,
        &NewChange {
            studio_id,
            kind,
            new_leader_id,
            new_name: &new_name,
            reason,
            requested_by: actor.id(),
        },
    )
    .await?
    .ok_or_else(|| {
        AppError::conflict(
            "change_open",
            "该工作室已有待审批的变更 / the studio already has a change waiting for approval",
        )
    })?;
    audit::record(
        &mut tx,
        Some(actor.id()),
        kind.code(),
        "studio_change",
        id,
        reason,
    )
    .await?;
    let change = store::find_in(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    notify(&mut tx, &change, actor.id()).await?;
    tx.commit().await?;
    Ok(change)
}

pub async fn get(db: &Db, id: i64) -> AppResult<StudioChange> {
    store::find(db.reader(), id)
        .await?
        .ok_or_else(AppError::not_found)
}

/// A studio's change requests, newest first.
pub async fn of_studio(db: &Db, studio_id: i64) -> AppResult<Vec<StudioChange>> {
    Ok(store::of_studio(db.reader(), studio_id).await?)
}

/// The reader may request a change of this studio (a union over its unit; the studio named).
pub fn may_request(actor: &Actor, studio: &crate::store::studios::Studio) -> bool {
    studio.naming_org_id.is_some()
        && matches!(
            studio.status,
            StudioStatus::Named | StudioStatus::Rectification
        )
        && policy::request_studio_change(actor, studio).is_ok()
}

/// The requests waiting for the reader's decision.
pub async fn waiting_for(db: &Db, actor: &Actor) -> AppResult<Vec<StudioChange>> {
    Ok(store::open_changes(db.reader())
        .await?
        .into_iter()
        .filter(|c| may_decide(actor, c))
        .collect())
}

/// Who decides the request now: the union between (审核), then the naming union (审批).
fn stage(c: &StudioChange) -> Option<Stage> {
    match c.status {
        ChangeStatus::Pending => Some(Stage::Review),
        ChangeStatus::Reviewed => Some(Stage::NamingOrg),
        ChangeStatus::Approved | ChangeStatus::Rejected => None,
    }
}

/// The reader may approve or reject the request now.
pub fn may_decide(actor: &Actor, c: &StudioChange) -> bool {
    stage(c).is_some_and(|s| policy::decide_studio_change(actor, s, c).is_ok())
}

/// `approve` or `reject`; a wrong step is 409 naming the status, a wrong person 403.
pub async fn decide(
    db: &Db,
    actor: &Actor,
    id: i64,
    action: &str,
    input: DecisionInput,
) -> AppResult<StudioChange> {
    let change = get(db, id).await?;
    let approve = match action {
        "approve" => true,
        "reject" => false,
        _ => return Err(AppError::not_found()),
    };
    let between = union_between(&change);
    let to = if approve {
        change.status.approve(between)
    } else {
        change.status.reject()
    }
    .ok_or_else(|| AppError::wrong_state(change.status.code(), action))?;
    if !may_decide(actor, &change) {
        return Err(AppError::forbidden());
    }
    let opinion = input.opinion.trim();
    let mut c = Checks::new();
    if approve {
        c.max_len("opinion", opinion, OPINION_MAX);
    } else {
        c.required("opinion", opinion, OPINION_MAX);
    }
    c.finish()?;
    let mut tx = db.begin().await?;
    if !store::set_status(&mut tx, id, change.status, to, actor.id(), opinion).await? {
        let now = store::find_in(&mut tx, id)
            .await?
            .ok_or_else(AppError::not_found)?;
        return Err(AppError::wrong_state(now.status.code(), action));
    }
    if to == ChangeStatus::Approved {
        apply(&mut tx, &change, actor.id()).await?;
    }
    let code = if approve { "approve" } else { "reject" };
    audit::record(
        &mut tx,
        Some(actor.id()),
        code,
        "studio_change",
        id,
        opinion,
    )
    .await?;
    let now = StudioChange {
        status: to,
        ..change
    };
    notify(&mut tx, &now, actor.id()).await?;
    tx.commit().await?;
    get(db, id).await
}

/// Whether a union lies strictly between the studio's unit and its naming union.
fn union_between(c: &StudioChange) -> bool {
    let depth = |p: &str| p.matches('/').count();
    depth(&c.unit_path) > depth(&c.naming_org_path) + 1
}

/// The approved change takes effect on the studio.
async fn apply(tx: &mut Tx, c: &StudioChange, by: i64) -> AppResult<()> {
    let studio = studios::find_in(tx, c.studio_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    match c.kind {
        ChangeKind::LeaderChange => {
            let to = c.new_leader_id.ok_or_else(AppError::not_found)?;
            if !studio_members::hand_over(tx, c.studio_id, studio.leader_id, to).await? {
                return Err(AppError::conflict(
                    "leader_changed",
                    "新领衔人已不是本工作室成员 / the new leader is no longer one of the studio's people",
                ));
            }
            outbox::append(tx, Entity::Studio, c.studio_id, Op::Members).await?;
        }
        ChangeKind::Rename | ChangeKind::Cancel => {}
    }
    if !c.new_name.is_empty() {
        store::rename_studio(tx, c.studio_id, &c.new_name).await?;
        outbox::append(tx, Entity::Studio, c.studio_id, Op::Update).await?;
    }
    if c.kind == ChangeKind::Cancel {
        let to = studio
            .status
            .transition(StudioAction::Delist)
            .ok_or_else(|| AppError::wrong_state(studio.status.code(), "cancel"))?;
        studios::set_status(tx, c.studio_id, studio.status, to).await?;
        let detail = format!("unit_request：{}", c.reason);
        audit::record(tx, Some(by), "delist", "studio", c.studio_id, &detail).await?;
        outbox::append(tx, Entity::Studio, c.studio_id, Op::Status).await?;
    }
    Ok(())
}

/// Tells the requester and the studio's leader, and the people who decide next.
async fn notify(tx: &mut Tx, c: &StudioChange, by: i64) -> AppResult<()> {
    let leader = studios::find_in(tx, c.studio_id)
        .await?
        .map(|s| s.leader_id);
    let mut people: Vec<i64> = leader.into_iter().chain([c.requested_by]).collect();
    let naming = c.naming_org_id.unwrap_or_default();
    match stage(c) {
        Some(Stage::Review) if union_between(c) => {
            people.extend(staff_between(tx, &c.naming_org_path, &c.unit_path).await?)
        }
        Some(Stage::Review | Stage::NamingOrg) => people.extend(staff_of_org(tx, naming).await?),
        _ => {}
    }
    people.sort_unstable();
    people.dedup();
    let subject = format!(
        "{}：{}{}",
        c.studio_name,
        c.kind.label_zh(),
        c.status.label_zh()
    );
    let link = format!("/studios/{}#changes", c.studio_id);
    for user in people.into_iter().filter(|u| *u != by) {
        notifications::push(tx, user, "studio_change", &subject, &link).await?;
    }
    Ok(())
}
