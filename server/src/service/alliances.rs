//! Alliances (工作室联盟): founding, the directory, and the alliance page's contents. Joining,
//! leaving, the lead and the alliance's lifecycle are in `alliance_membership`.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Actor, policy};
use crate::domain::alliance::{AllianceStatus, check_alliance};
use crate::domain::text::Checks;
use crate::error::{AppError, AppResult};
use crate::outbox::{Entity, Op};
use crate::service::studios::StudioBrief;
use crate::service::{Page, Paging, page};
use crate::store::Db;
use crate::store::alliance_requests::{self as requests, JoinRequest};
use crate::store::alliances::{self, Alliance, MemberStudio, NewAlliance};
use crate::store::challenges::{self, Challenge};
use crate::store::outcomes::{self, Outcome};
use crate::store::{audit, outbox, studios};

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

pub(super) async fn studio(db: &Db, id: i64, field: &str) -> AppResult<studios::Studio> {
    studios::find(db.reader(), id)
        .await?
        .ok_or_else(|| AppError::invalid_field(field, "没有这个工作室 / no such studio"))
}

pub async fn create(db: &Db, actor: &Actor, input: AllianceInput) -> AppResult<AllianceAnswer> {
    let lead = studio(db, input.lead_studio_id, "lead_studio_id").await?;
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
    if crate::store::orgs::find(db.reader(), org_id)
        .await?
        .is_none()
    {
        c.fail("org_id", "没有这个组织 / no such org");
    }
    c.finish()?;
    let mut tx = db.begin().await?;
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

pub async fn get(db: &Db, id: i64) -> AppResult<Alliance> {
    alliances::find(db.reader(), id)
        .await?
        .ok_or_else(AppError::not_found)
}

/// The alliances the actor's studios belong to.
pub async fn of_actor(db: &Db, actor: &Actor) -> AppResult<Vec<Alliance>> {
    let mut out = Vec::with_capacity(actor.alliances.len());
    for id in &actor.alliances {
        if let Some(a) = alliances::find(db.reader(), *id).await? {
            out.push(a);
        }
    }
    Ok(out)
}

/// The active alliances the actor leads (through the lead studio): those that may apply for
/// naming.
pub async fn led(db: &Db, actor: &Actor) -> AppResult<Vec<Alliance>> {
    Ok(of_actor(db, actor)
        .await?
        .into_iter()
        .filter(|a| {
            a.status == crate::domain::alliance::AllianceStatus::Active
                && policy::lead_alliance(actor, a).is_ok()
        })
        .collect())
}

/// The directory query.
#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
pub struct AllianceQuery {
    /// Only alliances this studio belongs to.
    pub studio_id: Option<i64>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

pub async fn list(db: &Db, q: &AllianceQuery) -> AppResult<Page<Alliance>> {
    let paging = Paging {
        limit: q.limit,
        cursor: q.cursor.clone(),
    };
    let (limit, before) = paging.resolve()?;
    let rows = alliances::list(db.reader(), q.studio_id, before, limit + 1).await?;
    Ok(page(rows, limit, |a| a.id))
}

/// An alliance with its members; pending requests for those who may act on them.
#[derive(Debug)]
pub struct AllianceDetail {
    pub alliance: Alliance,
    pub members: Vec<MemberStudio>,
    pub requests: Vec<JoinRequest>,
    pub viewer: AllianceViewer,
}

/// What the reader may do with an alliance: the page shows these answers, the API returns them.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct AllianceViewer {
    /// The reader leads it: decides requests, invites, hosts events and courses for it.
    pub lead: bool,
    /// The reader belongs to one of its member studios.
    pub member: bool,
    /// Studios the reader leads that may ask to join.
    pub may_join: Vec<StudioBrief>,
    /// Member studios the reader leads that may leave (the lead studio cannot).
    pub may_leave: Vec<StudioBrief>,
}

pub async fn detail(db: &Db, actor: Option<&Actor>, id: i64) -> AppResult<AllianceDetail> {
    let alliance = get(db, id).await?;
    let pool = db.reader();
    let members = alliances::members(pool, id).await?;
    let (requests, viewer) = match actor {
        Some(a) => (
            requests::pending_requests(pool, id)
                .await?
                .into_iter()
                .filter(|r| {
                    policy::decide_join(a, &alliance, r).is_ok()
                        || policy::withdraw_join(a, &alliance, r).is_ok()
                })
                .collect(),
            viewer(db, a, &alliance, &members).await?,
        ),
        None => (Vec::new(), AllianceViewer::default()),
    };
    Ok(AllianceDetail {
        alliance,
        members,
        requests,
        viewer,
    })
}

async fn viewer(
    db: &Db,
    actor: &Actor,
    alliance: &Alliance,
    members: &[MemberStudio],
) -> AppResult<AllianceViewer> {
    let is_member = |s: &StudioBrief| members.iter().any(|m| m.studio_id == s.id);
    let (may_leave, may_join): (Vec<_>, Vec<_>) = crate::service::studios::led(db, actor)
        .await?
        .into_iter()
        .partition(is_member);
    Ok(AllianceViewer {
        lead: policy::lead_alliance(actor, alliance).is_ok(),
        member: actor.in_alliance(alliance.id),
        may_join,
        may_leave: may_leave
            .into_iter()
            .filter(|s| s.id != alliance.lead_studio_id)
            .collect(),
    })
}

/// Online studios that are not members yet, for the lead to invite (none for anyone else).
pub async fn invitable(db: &Db, detail: &AllianceDetail) -> AppResult<Vec<StudioBrief>> {
    if !detail.viewer.lead {
        return Ok(Vec::new());
    }
    let filter = studios::Filter {
        online: Some(true),
        ..Default::default()
    };
    Ok(studios::list(db, &filter, None, 200)
        .await?
        .into_iter()
        .filter(|s| detail.members.iter().all(|m| m.studio_id != s.id))
        .map(|s| StudioBrief {
            id: s.id,
            name: s.name,
        })
        .collect())
}

/// The alliance's board: its alliance-only challenges (for its members) and its members'
/// public ones.
pub async fn board(
    db: &Db,
    actor: Option<&Actor>,
    id: i64,
    paging: &Paging,
) -> AppResult<Page<Challenge>> {
    get(db, id).await?;
    let (limit, before) = paging.resolve()?;
    let rows = challenges::of_alliance(db.reader(), id, before, limit + 1).await?;
    Ok(page(rows, limit, |c| c.id).retain(|c| policy::view_challenge(actor, c).is_ok()))
}

pub async fn outcomes(db: &Db, id: i64) -> AppResult<Vec<Outcome>> {
    Ok(outcomes::of_alliance(db.reader(), id, 20).await?)
}
