//! A studio whose host enterprise is not yet in the union tree asks for it to be added: the
//! person names the enterprise and the union above it (its district, city or industry union).
//! That union's staff, or the staff above it, approve it, which makes the enterprise in the
//! same transaction so the studio can be registered under it at once, or decline it with a
//! reason. Both sides are told.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Actor, policy};
use crate::domain::org::OrgLevel;
use crate::domain::org_request::{self as rules, REASON};
use crate::domain::request::{RequestAction, RequestStatus};
use crate::domain::text::Checks;
use crate::error::{AppError, AppResult};
use crate::store::org_requests::{self as store, OrgRequest};
use crate::store::orgs::{self, Org};
use crate::store::{Db, Tx, audit, notifications};

/// The most requests a list shows.
const LIST_MAX: i64 = 200;

/// A request to add a host enterprise.
#[derive(Debug, Deserialize, ToSchema)]
pub struct OrgRequestInput {
    /// The union the enterprise belongs under (a district, city or industry union).
    pub parent_id: i64,
    /// The enterprise's name as it should appear in the tree.
    pub name: String,
    /// Anything the deciding staff should know (who to call, the studio to be registered).
    #[serde(default)]
    pub note: String,
}

/// A decision; a decline needs its reason.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct OrgRequestDecision {
    #[serde(default)]
    pub reason: String,
}

/// Where a request stands after a decision.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrgRequestAnswer {
    pub id: i64,
    /// `approved` or `declined`.
    pub status: String,
    /// The enterprise now in the tree (on approval).
    pub org_id: Option<i64>,
}

/// The requests a person follows: their own, and those waiting for their decision.
#[derive(Debug, Default)]
pub struct OrgRequestLists {
    pub mine: Vec<OrgRequest>,
    pub to_decide: Vec<OrgRequest>,
}

/// Anyone signed in asks; the staff of the parent union are told.
pub async fn create(db: &Db, actor: &Actor, input: OrgRequestInput) -> AppResult<OrgRequest> {
    let name = input.name.trim();
    let note = input.note.trim();
    let parent = orgs::find(db.reader(), input.parent_id)
        .await?
        .ok_or_else(|| AppError::invalid_field("parent_id", "没有这个工会组织 / no such union"))?;
    let level = OrgLevel::parse(&parent.level).unwrap_or(OrgLevel::Enterprise);
    let mut c = Checks::new();
    rules::check(name, note, level, &mut c);
    c.finish()?;
    let mut tx = db.begin().await?;
    if orgs::child_named(&mut tx, parent.id, name).await?.is_some() {
        return Err(AppError::conflict(
            "exists",
            "这个单位已在组织树中，登记工作室时直接选它即可 / it is already in the tree",
        ));
    }
    let id = store::insert(&mut tx, parent.id, name, note, actor.id())
        .await?
        .ok_or_else(|| {
            AppError::conflict(
                "already_requested",
                "已有人申请添加这个单位，正在等待工会审核 / already asked for, waiting for the union",
            )
        })?;
    let subject = format!(
        "{}申请在{}下添加“{name}”",
        actor.user.display_name, parent.name
    );
    for user in deciders(&mut tx, &parent).await? {
        notifications::push(&mut tx, user, "org_request", &subject, "/org-requests").await?;
    }
    audit::record(
        &mut tx,
        Some(actor.id()),
        "request",
        "org_request",
        id,
        name,
    )
    .await?;
    tx.commit().await?;
    store::find(db.reader(), id)
        .await?
        .ok_or_else(AppError::not_found)
}

/// The staff told of a new request: those of the parent union, or the nearest above it.
async fn deciders(tx: &mut Tx, parent: &Org) -> AppResult<Vec<i64>> {
    let own = orgs::staff_ids_of(tx, parent.id).await?;
    if !own.is_empty() {
        return Ok(own);
    }
    Ok(orgs::nearest_staff_above(tx, &parent.path).await?)
}

/// The staff of the parent union or above approve (the enterprise is made now) or decline
/// (with a reason). A request already answered is 409 `answered`.
pub async fn decide(
    db: &Db,
    actor: &Actor,
    id: i64,
    action: RequestAction,
    input: OrgRequestDecision,
) -> AppResult<OrgRequestAnswer> {
    // Others than the asker and the staff above get 404: the request's id says nothing.
    let r = get(db, actor, id).await?;
    let parent = orgs::find(db.reader(), r.parent_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    policy::create_org(actor, Some(&parent))?;
    let to = r
        .status
        .transition(action)
        .filter(|s| *s != RequestStatus::Withdrawn)
        .ok_or_else(answered)?;
    let reason = input.reason.trim();
    let mut c = Checks::new();
    if to == RequestStatus::Declined {
        c.required("reason", reason, REASON);
    } else {
        c.max_len("reason", reason, REASON);
    }
    c.finish()?;
    let mut tx = db.begin().await?;
    let org_id = match to {
        RequestStatus::Approved => Some(
            match orgs::child_named(&mut tx, parent.id, &r.name).await? {
                // Added by hand meanwhile: the request points to it.
                Some(existing) => existing,
                None => {
                    let org =
                        orgs::insert(&mut tx, &r.name, OrgLevel::Enterprise.code(), Some(&parent))
                            .await?;
                    audit::record(&mut tx, Some(actor.id()), "create", "org", org.id, &r.name)
                        .await?;
                    org.id
                }
            },
        ),
        _ => None,
    };
    if !store::decide(&mut tx, id, to, actor.id(), reason, org_id).await? {
        return Err(answered());
    }
    let (subject, link) = match org_id {
        Some(org) => (
            format!(
                "“{}”已加入组织树，可以登记工作室了 / the enterprise was added",
                r.name
            ),
            format!("/studios/new?org_id={org}"),
        ),
        None => (
            format!(
                "添加“{}”的申请未通过：{reason} / the request was declined",
                r.name
            ),
            "/org-requests".to_owned(),
        ),
    };
    notifications::push(&mut tx, r.requested_by, "org_request", &subject, &link).await?;
    audit::record(
        &mut tx,
        Some(actor.id()),
        action.verb(),
        "org_request",
        id,
        &r.name,
    )
    .await?;
    tx.commit().await?;
    Ok(OrgRequestAnswer {
        id,
        status: to.code().to_owned(),
        org_id,
    })
}

fn answered() -> AppError {
    AppError::conflict(
        "answered",
        "这份申请已处理过 / the request was already answered",
    )
}

/// The reader's own requests and, for union staff, the pending ones under their unions.
pub async fn lists(db: &Db, actor: &Actor) -> AppResult<OrgRequestLists> {
    Ok(OrgRequestLists {
        mine: store::of_requester(db.reader(), actor.id(), LIST_MAX).await?,
        to_decide: to_decide(db, actor).await?,
    })
}

/// The pending requests under the unions where the reader is staff, oldest first.
pub async fn to_decide(db: &Db, actor: &Actor) -> AppResult<Vec<OrgRequest>> {
    let pool = db.reader();
    let mut to_decide: Vec<OrgRequest> = Vec::new();
    let paths: Vec<String> = if actor.user.is_admin {
        vec!["/".to_owned()]
    } else {
        policy::staff_orgs(actor)
            .into_iter()
            .map(|r| r.org_path)
            .collect()
    };
    for path in paths {
        for r in store::pending_under(pool, &path, LIST_MAX).await? {
            if !to_decide.iter().any(|x| x.id == r.id) {
                to_decide.push(r);
            }
        }
    }
    to_decide.sort_by_key(|r| r.id);
    Ok(to_decide)
}

/// One request: its asker, and the staff who may decide it (404 for anyone else).
pub async fn get(db: &Db, actor: &Actor, id: i64) -> AppResult<OrgRequest> {
    let r = store::find(db.reader(), id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let parent = orgs::find(db.reader(), r.parent_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if r.requested_by == actor.id() || policy::create_org(actor, Some(&parent)).is_ok() {
        Ok(r)
    } else {
        Err(AppError::not_found())
    }
}

/// The unions a request may name as the parent: every org but enterprises, by place in the
/// tree (at most `limit`).
pub async fn parents(db: &Db, limit: i64) -> AppResult<Vec<Org>> {
    Ok(orgs::unions(db.reader(), limit).await?)
}
