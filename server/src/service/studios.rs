//! Studios: registering, the application-form profile, members, and going online (上线进网).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Actor, policy};
use crate::domain::org::OrgLevel;
use crate::domain::studio::{self, MemberRole, Profile, ProfileInput, StudioAction, check_profile};
use crate::domain::text::Checks;
use crate::error::{AppError, AppResult};
use crate::outbox::{Entity, Op};
use crate::store::Db;
use crate::store::studio_members::Member;
use crate::store::studios::{NewStudio, Studio, Value};
use crate::store::{audit, now_ms, orgs, outbox, rfc3339, studio_members, studios};

/// Profile fields of the application form. On create `name`, `org_id` and `kind` are required;
/// on update every field is optional and only those present change.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct StudioInput {
    pub name: Option<String>,
    /// Host unit: an enterprise org.
    pub org_id: Option<i64>,
    /// Refused when given: the union that names a studio is set by the naming flow only
    /// (`/api/v1/naming`).
    pub naming_org_id: Option<i64>,
    /// tech_development, tech_tackling, skill_teaching, tech_collaboration, training_service,
    /// research, management, marketing, service or other.
    pub kind: Option<String>,
    /// 专业领域.
    pub field: Option<String>,
    /// An industry code, e.g. machinery, power, rail.
    pub industry: Option<String>,
    pub region: Option<String>,
    /// Founding date, `YYYY-MM-DD`.
    pub founded_on: Option<String>,
    pub goals: Option<String>,
    pub intro: Option<String>,
    pub outcomes_summary: Option<String>,
    pub honours: Option<String>,
    /// 单位类型: `enterprise` (the default), `public_institution` (事业单位) or `other`.
    pub unit_type: Option<String>,
    /// The premises' area in m².
    pub premises_m2: Option<i64>,
    pub premises_address: Option<String>,
    /// The main equipment, one item a line.
    pub equipment: Option<String>,
    /// A demonstration studio (示范工作室).
    pub demonstration: Option<bool>,
}

impl StudioInput {
    fn trim(&mut self) {
        for v in [
            &mut self.name,
            &mut self.kind,
            &mut self.field,
            &mut self.industry,
            &mut self.region,
            &mut self.founded_on,
            &mut self.goals,
            &mut self.intro,
            &mut self.outcomes_summary,
            &mut self.honours,
            &mut self.unit_type,
            &mut self.premises_address,
            &mut self.equipment,
        ]
        .into_iter()
        .flatten()
        {
            *v = v.trim().to_owned();
        }
    }

    async fn check(&self, db: &Db, c: &mut Checks) -> AppResult<()> {
        check_profile(
            &ProfileInput {
                name: self.name.as_deref(),
                kind: self.kind.as_deref(),
                field: self.field.as_deref(),
                industry: self.industry.as_deref(),
                region: self.region.as_deref(),
                founded_on: self.founded_on.as_deref(),
                goals: self.goals.as_deref(),
                intro: self.intro.as_deref(),
                outcomes_summary: self.outcomes_summary.as_deref(),
                honours: self.honours.as_deref(),
                unit_type: self.unit_type.as_deref(),
                premises_m2: self.premises_m2,
                premises_address: self.premises_address.as_deref(),
                equipment: self.equipment.as_deref(),
            },
            c,
        );
        let pool = db.reader();
        if let Some(id) = self.org_id {
            let host = orgs::find(pool, id).await?;
            if host.is_none_or(|o| o.level != OrgLevel::Enterprise.code()) {
                c.fail(
                    "org_id",
                    "依托单位须为企事业单位的基层工会 / host unit must be the union of an enterprise or institution",
                );
            }
        }
        if self.naming_org_id.is_some() {
            c.fail(
                "naming_org_id",
                "命名单位只能经命名流程确定 / the naming union is set by the naming flow only",
            );
        }
        Ok(())
    }

    /// The columns this input sets, for the store.
    fn columns(&self) -> Vec<(&'static str, Value)> {
        let mut out = Vec::new();
        let texts = [
            ("name", &self.name),
            ("kind", &self.kind),
            ("field", &self.field),
            ("industry", &self.industry),
            ("region", &self.region),
            ("founded_on", &self.founded_on),
            ("goals", &self.goals),
            ("intro", &self.intro),
            ("outcomes_summary", &self.outcomes_summary),
            ("honours", &self.honours),
            ("unit_type", &self.unit_type),
            ("premises_address", &self.premises_address),
            ("equipment", &self.equipment),
        ];
        for (col, v) in texts {
            if let Some(v) = v {
                out.push((col, Value::Text(v.clone())));
            }
        }
        if let Some(id) = self.org_id {
            out.push(("org_id", Value::Int(Some(id))));
        }
        if let Some(m) = self.premises_m2 {
            out.push(("premises_m2", Value::Int(Some(m))));
        }
        if let Some(d) = self.demonstration {
            out.push(("demonstration", Value::Int(Some(i64::from(d)))));
        }
        out
    }
}

/// Registers a studio in `draft`; the caller becomes its leader.
pub async fn create(db: &Db, actor: &Actor, mut input: StudioInput) -> AppResult<Studio> {
    policy::create_studio(actor, input.demonstration == Some(true))?;
    input.trim();
    let mut c = Checks::new();
    if input.name.as_deref().unwrap_or("").is_empty() {
        c.fail("name", "不能为空 / must not be empty");
    }
    if input.org_id.is_none() {
        c.fail("org_id", "请选择依托单位 / choose the host unit");
    }
    if input.kind.as_deref().unwrap_or("").is_empty() {
        c.fail("kind", "请选择工作室类型 / choose a kind");
    }
    input.check(db, &mut c).await?;
    c.finish()?;
    let mut tx = db.begin().await?;
    let id = studios::insert(
        &mut tx,
        &NewStudio {
            name: input.name.as_deref().unwrap_or_default(),
            org_id: input.org_id.unwrap_or_default(),
            kind: input.kind.as_deref().unwrap_or_default(),
            leader_id: actor.id(),
        },
    )
    .await?;
    let rest: Vec<_> = input
        .columns()
        .into_iter()
        .filter(|(col, _)| !["name", "org_id", "kind"].contains(col))
        .collect();
    if !rest.is_empty() {
        studios::update(&mut tx, id, &rest).await?;
    }
    outbox::append(&mut tx, Entity::Studio, id, Op::Create).await?;
    audit::record(&mut tx, Some(actor.id()), "create", "studio", id, "").await?;
    let studio = studios::find_in(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(studio)
}

/// Loads a studio the actor may see (404 otherwise).
pub async fn get(db: &Db, actor: Option<&Actor>, id: i64) -> AppResult<Studio> {
    let studio = studios::by_id(db, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    policy::view_studio(actor, &studio)?;
    Ok(studio)
}

/// A studio the actor may see with its people, for its page (404 otherwise).
pub async fn get_with_members(
    db: &Db,
    actor: Option<&Actor>,
    id: i64,
) -> AppResult<(Studio, Vec<Member>)> {
    let (studio, members) = studios::with_members(db, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    policy::view_studio(actor, &studio)?;
    Ok((studio, members))
}

/// A studio the actor may edit (its leader), for the edit form; 403 for anyone else.
pub async fn get_to_edit(db: &Db, actor: &Actor, id: i64) -> AppResult<Studio> {
    let studio = get(db, Some(actor), id).await?;
    policy::edit_studio(actor, &studio)?;
    Ok(studio)
}

/// What the reader may do with a studio: the page shows these answers, the API returns them.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct StudioViewer {
    /// The reader is one of its people (leader, member or apprentice).
    pub member: bool,
    /// May change the profile and the members (the leader).
    pub may_edit: bool,
    /// The studio's chat room is open to the reader.
    pub may_chat: bool,
    /// May see the contact details: its people and the union staff above it.
    pub may_see_contact: bool,
    /// May host events and courses and record mentorships for it.
    pub may_host: bool,
    /// May delist it (摘牌): the staff of the union that named it, while it is named.
    pub may_delist: bool,
    /// Sees its own projects (课题): its people and the union staff above it.
    pub may_see_projects: bool,
    /// The private conversation with its leader (`dm:A:B`), for anyone signed in but the
    /// leader.
    pub leader_room: Option<String>,
}

pub fn viewer(actor: Option<&Actor>, s: &Studio) -> StudioViewer {
    let Some(a) = actor else {
        return StudioViewer::default();
    };
    let member = a.role_in(s.id).is_some();
    let may_edit = policy::edit_studio(a, s).is_ok();
    StudioViewer {
        member,
        may_edit,
        may_chat: policy::use_room(a, &policy::RoomTarget::Studio(Some(s))).is_ok(),
        may_see_contact: may_edit || member || policy::view_onboarding_of_studio(a, s),
        may_host: policy::host_for_studio(a, s.id).is_ok(),
        may_delist: policy::delist_studio(a, s).is_ok()
            && s.status.transition(StudioAction::Delist).is_some(),
        may_see_projects: policy::projects::insider(a, s.id, &s.org_path),
        leader_room: crate::domain::chat::Room::dm(a.id(), s.leader_id).map(|r| r.to_string()),
    }
}

/// Changes profile fields (leader only).
pub async fn update(db: &Db, actor: &Actor, id: i64, mut input: StudioInput) -> AppResult<Studio> {
    let studio = get(db, Some(actor), id).await?;
    if input.demonstration.is_some() {
        policy::designate_studio(actor, &studio)?;
        let only_designation = input.columns().len() == 1;
        if !only_designation {
            policy::edit_studio(actor, &studio)?;
        }
    } else {
        policy::edit_studio(actor, &studio)?;
    }
    input.trim();
    let mut c = Checks::new();
    input.check(db, &mut c).await?;
    if studio.online {
        // An online studio's public page must stay complete.
        for (field, value) in [
            ("name", &input.name),
            ("kind", &input.kind),
            ("field", &input.field),
            ("industry", &input.industry),
            ("region", &input.region),
            ("goals", &input.goals),
            ("intro", &input.intro),
        ] {
            if value.as_deref().is_some_and(str::is_empty) {
                c.fail(
                    field,
                    "已上线的工作室不能清空此项 / an online studio must keep this field",
                );
            }
        }
    }
    c.finish()?;
    let columns = input.columns();
    let mut tx = db.begin().await?;
    if !columns.is_empty() {
        studios::update(&mut tx, id, &columns).await?;
        outbox::append(&mut tx, Entity::Studio, id, Op::Update).await?;
        let names: Vec<&str> = columns.iter().map(|(c, _)| *c).collect();
        audit::record(
            &mut tx,
            Some(actor.id()),
            "update",
            "studio",
            id,
            &names.join(","),
        )
        .await?;
    }
    let studio = studios::find_in(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(studio)
}

/// The answer to going online.
#[derive(Debug, Serialize, ToSchema)]
pub struct Onboarded {
    pub online: bool,
    pub onboarded_at: String,
}

/// Takes the studio online once its profile is complete; 422 names what is missing.
pub async fn onboard(db: &Db, actor: &Actor, id: i64) -> AppResult<Onboarded> {
    let studio = get(db, Some(actor), id).await?;
    policy::onboard_studio(actor, &studio)?;
    let missing = studio::missing_for_onboarding(&profile_of(&studio));
    if !missing.is_empty() {
        let mut c = Checks::new();
        for field in missing {
            c.fail(field, "上线前须填写 / required before going online");
        }
        c.finish()?;
    }
    let mut tx = db.begin().await?;
    let at = match studios::set_online(&mut tx, id).await? {
        Some(at) => {
            outbox::append(&mut tx, Entity::Studio, id, Op::Online).await?;
            audit::record(&mut tx, Some(actor.id()), "onboard", "studio", id, "").await?;
            at
        }
        None => {
            let s = studios::find_in(&mut tx, id)
                .await?
                .ok_or_else(AppError::not_found)?;
            s.onboarded_at
                .as_deref()
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                .map(|t| t.timestamp_millis())
                .unwrap_or_else(now_ms)
        }
    };
    tx.commit().await?;
    Ok(Onboarded {
        online: true,
        onboarded_at: rfc3339(at),
    })
}

fn profile_of(s: &Studio) -> Profile {
    Profile {
        name: s.name.clone(),
        org_id: Some(s.org_id),
        kind: s.kind.clone(),
        field: s.field.clone(),
        industry: s.industry.clone(),
        region: s.region.clone(),
        goals: s.goals.clone(),
        intro: s.intro.clone(),
    }
}

/// What the onboarding checklist on the studio page shows.
pub fn missing_fields(s: &Studio) -> Vec<&'static str> {
    studio::missing_for_onboarding(&profile_of(s))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewMember {
    /// The user to add, by id or username.
    pub user_id: Option<i64>,
    pub username: Option<String>,
    /// member or apprentice.
    pub role: String,
}

pub async fn members(db: &Db, id: i64) -> AppResult<Vec<Member>> {
    Ok(studio_members::members(db, id).await?)
}

/// The studios the actor belongs to: (studio id, role code, studio name).
pub async fn memberships(db: &Db, actor: &Actor) -> AppResult<Vec<(i64, String, String)>> {
    Ok(studio_members::memberships(db.reader(), actor.id()).await?)
}

/// A studio named in an answer: its id and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct StudioBrief {
    pub id: i64,
    pub name: String,
}

/// The actor's studios that `may` accepts for it, by the studio's id.
async fn mine_where(
    db: &Db,
    actor: &Actor,
    may: impl Fn(i64) -> bool,
) -> AppResult<Vec<StudioBrief>> {
    Ok(memberships(db, actor)
        .await?
        .into_iter()
        .filter(|(id, _, _)| may(*id))
        .map(|(id, _, name)| StudioBrief { id, name })
        .collect())
}

/// The studios the actor leads: those it may act for towards an alliance (found one, ask to
/// join, leave).
pub async fn led(db: &Db, actor: &Actor) -> AppResult<Vec<StudioBrief>> {
    mine_where(db, actor, |id| {
        actor.role_in(id) == Some(MemberRole::Leader)
    })
    .await
}

/// The studios the actor belongs to.
pub async fn mine(db: &Db, actor: &Actor) -> AppResult<Vec<StudioBrief>> {
    mine_where(db, actor, |_| true).await
}

/// The studios the actor may post challenges for.
pub async fn posting(db: &Db, actor: &Actor) -> AppResult<Vec<StudioBrief>> {
    mine_where(db, actor, |id| policy::post_challenge(actor, id).is_ok()).await
}

/// How many studios are registered, and how many of them are online.
pub async fn totals(db: &Db) -> AppResult<(i64, i64)> {
    Ok(studios::totals(db.reader()).await?)
}

/// The regions studios have given, for the directory's filter.
pub async fn regions(db: &Db) -> AppResult<Vec<String>> {
    Ok(studios::regions(db.reader()).await?)
}

fn frozen_team(studio: &Studio) -> AppError {
    AppError::conflict(
        "change_needs_approval",
        format!(
            "已命名或正在申报命名的工作室，团队变动须逐级报批（揭阳市办法第七条）/ \
             a studio that is named or applying for a name changes its team through an approved \
             change (status {})",
            studio.status.code()
        ),
    )
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct HandOver {
    /// The member who leads from now on.
    pub user_id: i64,
}

/// The leader hands the studio over to one of its people (a leader who retires or changes
/// jobs); the old leader stays as a member.
pub async fn hand_over(db: &Db, actor: &Actor, id: i64, input: HandOver) -> AppResult<Studio> {
    let studio = get(db, Some(actor), id).await?;
    policy::manage_members(actor, &studio)?;
    if input.user_id == studio.leader_id {
        return Err(AppError::invalid_field(
            "user_id",
            "已是领衔人 / already the leader",
        ));
    }
    let members = studio_members::members(db, id).await?;
    if !members.iter().any(|m| m.user_id == input.user_id) {
        return Err(AppError::invalid_field(
            "user_id",
            "只能移交给本工作室成员 / hand over to one of the studio's people",
        ));
    }
    if !studio::team_changes_freely(studio.status) {
        return Err(frozen_team(&studio));
    }
    let mut tx = db.begin().await?;
    if !studio_members::hand_over(&mut tx, id, studio.leader_id, input.user_id).await? {
        return Err(AppError::conflict(
            "leader_changed",
            "领衔人已变更，请刷新后重试 / the leader changed meanwhile",
        ));
    }
    outbox::append(&mut tx, Entity::Studio, id, Op::Members).await?;
    audit::record(
        &mut tx,
        Some(actor.id()),
        "hand_over",
        "studio",
        id,
        &input.user_id.to_string(),
    )
    .await?;
    tx.commit().await?;
    get(db, Some(actor), id).await
}

/// The leader takes a member or apprentice off the studio.
pub async fn remove_member(db: &Db, actor: &Actor, id: i64, user_id: i64) -> AppResult<()> {
    let studio = get(db, Some(actor), id).await?;
    policy::remove_member(actor, &studio, user_id)?;
    if user_id == studio.leader_id {
        return Err(AppError::conflict(
            "leader_stays",
            "领衔人不能移出，请先移交领衔人 / hand the studio over before the leader leaves",
        ));
    }
    if !studio::team_changes_freely(studio.status) {
        return Err(frozen_team(&studio));
    }
    let mut tx = db.begin().await?;
    if !studio_members::remove_member(&mut tx, id, user_id).await? {
        return Err(AppError::not_found());
    }
    outbox::append(&mut tx, Entity::Studio, id, Op::Members).await?;
    audit::record(
        &mut tx,
        Some(actor.id()),
        "remove_member",
        "studio",
        id,
        &user_id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
