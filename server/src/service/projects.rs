//! A studio's own projects (课题立项 → 项目跟进 → 集中攻关 → 成果转化, the defence-post-telecom
//! union's opinion, art. 十二): registered with the studio's people as the team, followed with
//! progress, delivered and recorded as an outcome (see `outcomes::create` with `project_id`),
//! or opened to other studios as a published challenge without retyping. Only the studio and
//! the unions above it see a project; it is never indexed, so search, its facets and the
//! similar check never show it.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Actor, policy};
use crate::domain::challenge_rules::check_percent;
use crate::domain::project::{ProjectAction, ProjectStatus, check_project, limits};
use crate::domain::text::Checks;
use crate::error::{AppError, AppResult};
use crate::service::challenges::{self as challenge_svc, ChallengeInput};
use crate::store::challenges::Event;
use crate::store::projects::{self, Project, ProjectFields, StepChange};
use crate::store::{Db, audit, studio_members, studios};

#[derive(Debug, Deserialize, ToSchema)]
pub struct ProjectInput {
    pub title: String,
    /// The problem, as the studio found it (问题收集).
    pub description: String,
    #[serde(default)]
    pub industry: String,
    /// The plan with its milestones.
    #[serde(default)]
    pub plan: String,
    /// The team: people of the studio (the author is always on it).
    #[serde(default)]
    pub member_ids: Vec<i64>,
}

/// Checks the studio and the reader: 404 for those outside it and the unions above it.
async fn studio_for(db: &Db, actor: &Actor, studio_id: i64) -> AppResult<studios::Studio> {
    let studio = studios::find(db.reader(), studio_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    policy::projects::view(actor, studio.id, &studio.org_path)?;
    Ok(studio)
}

/// The team as given, with the author, each a person of the studio (422 on `member_ids`).
async fn team_of(db: &Db, studio_id: i64, author: i64, ids: &[i64]) -> AppResult<Vec<i64>> {
    let mut team = vec![author];
    team.extend(ids.iter().copied());
    team.sort_unstable();
    team.dedup();
    for user in &team {
        if studio_members::role_of(db.reader(), studio_id, *user)
            .await?
            .is_none()
        {
            return Err(AppError::invalid_field(
                "member_ids",
                "课题组成员须是本工作室的人员 / the team is made of the studio's people",
            ));
        }
    }
    Ok(team)
}

pub async fn create(
    db: &Db,
    actor: &Actor,
    studio_id: i64,
    input: ProjectInput,
) -> AppResult<Project> {
    let studio = studio_for(db, actor, studio_id).await?;
    policy::projects::register(actor, studio.id)?;
    let (title, description, plan) = (
        input.title.trim(),
        input.description.trim(),
        input.plan.trim(),
    );
    let industry = input.industry.trim();
    let mut c = Checks::new();
    check_project(title, description, plan, input.member_ids.len(), &mut c);
    if !industry.is_empty() && !crate::domain::studio::is_industry(industry) {
        c.fail("industry", "未知的行业 / unknown industry");
    }
    c.finish()?;
    let team = team_of(db, studio.id, actor.id(), &input.member_ids).await?;
    let fields = ProjectFields {
        title,
        description,
        industry,
        plan,
    };
    let mut tx = db.begin().await?;
    let id = projects::insert(&mut tx, studio.id, actor.id(), &fields).await?;
    projects::set_team(&mut tx, id, &team).await?;
    projects::add_event(&mut tx, id, actor.id(), "register", "", None).await?;
    audit::record(&mut tx, Some(actor.id()), "create", "project", id, title).await?;
    tx.commit().await?;
    get(db, actor, id).await
}

/// A project the reader may see (404 otherwise).
pub async fn get(db: &Db, actor: &Actor, id: i64) -> AppResult<Project> {
    let p = projects::find(db.reader(), id)
        .await?
        .ok_or_else(AppError::not_found)?;
    policy::projects::view(actor, p.studio_id, &p.studio_org_path)?;
    Ok(p)
}

pub async fn of_studio(db: &Db, actor: &Actor, studio_id: i64) -> AppResult<Vec<Project>> {
    let studio = studio_for(db, actor, studio_id).await?;
    Ok(projects::of_studio(db.reader(), studio.id).await?)
}

/// A project with its team and timeline, and what the reader may do with it.
#[derive(Debug)]
pub struct ProjectDetail {
    pub project: Project,
    pub team: Vec<(i64, String)>,
    pub timeline: Vec<Event>,
    pub may_manage: bool,
    pub may_report: bool,
}

pub async fn detail(db: &Db, actor: &Actor, id: i64) -> AppResult<ProjectDetail> {
    let project = get(db, actor, id).await?;
    let pool = db.reader();
    let team = projects::team(pool, id).await?;
    let ids: Vec<i64> = team.iter().map(|(u, _)| *u).collect();
    Ok(ProjectDetail {
        may_manage: policy::projects::manage(actor, &project).is_ok(),
        may_report: policy::projects::report(actor, &project, &ids).is_ok(),
        timeline: projects::events(pool, id).await?,
        team,
        project,
    })
}

/// What the studio changes while the project is under way; what is left out stays.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ProjectChanges {
    pub title: Option<String>,
    pub description: Option<String>,
    pub industry: Option<String>,
    pub plan: Option<String>,
    pub member_ids: Option<Vec<i64>>,
}

pub async fn update(
    db: &Db,
    actor: &Actor,
    id: i64,
    changes: ProjectChanges,
) -> AppResult<Project> {
    let p = get(db, actor, id).await?;
    policy::projects::manage(actor, &p)?;
    if p.status != ProjectStatus::Active {
        return Err(AppError::wrong_state(p.status.code(), "change"));
    }
    let pick = |new: &Option<String>, old: &str| {
        new.as_deref()
            .map_or(old.to_owned(), |v| v.trim().to_owned())
    };
    let (title, description) = (
        pick(&changes.title, &p.title),
        pick(&changes.description, &p.description),
    );
    let (industry, plan) = (
        pick(&changes.industry, &p.industry),
        pick(&changes.plan, &p.plan),
    );
    let team_size = changes.member_ids.as_ref().map_or(0, Vec::len);
    let mut c = Checks::new();
    check_project(&title, &description, &plan, team_size, &mut c);
    if !industry.is_empty() && !crate::domain::studio::is_industry(&industry) {
        c.fail("industry", "未知的行业 / unknown industry");
    }
    c.finish()?;
    let team = match &changes.member_ids {
        Some(ids) => Some(team_of(db, p.studio_id, p.author_id, ids).await?),
        None => None,
    };
    let mut tx = db.begin().await?;
    let fields = ProjectFields {
        title: &title,
        description: &description,
        industry: &industry,
        plan: &plan,
    };
    projects::update(&mut tx, id, &fields).await?;
    if let Some(team) = team {
        projects::set_team(&mut tx, id, &team).await?;
    }
    audit::record(&mut tx, Some(actor.id()), "update", "project", id, &title).await?;
    tx.commit().await?;
    get(db, actor, id).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ProgressInput {
    pub note: String,
    /// 0–100.
    pub percent: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DeliveryInput {
    /// What was achieved.
    pub summary: String,
}

/// One step of a project, checked against its status (409 naming the current one).
async fn step(
    db: &Db,
    actor: &Actor,
    p: &Project,
    action: ProjectAction,
    change: StepChange<'_>,
    event: (&str, &str),
) -> AppResult<()> {
    let Some(to) = p.status.next(action) else {
        return Err(AppError::wrong_state(p.status.code(), action.verb()));
    };
    let mut tx = db.begin().await?;
    let percent = change.percent;
    if !projects::step(&mut tx, p.id, p.status, to, &change).await? {
        return Err(AppError::conflict(
            "changed_meanwhile",
            "课题刚有变动，请刷新后再试 / the project changed meanwhile: reload and try again",
        ));
    }
    projects::add_event(&mut tx, p.id, actor.id(), event.0, event.1, percent).await?;
    audit::record(&mut tx, Some(actor.id()), event.0, "project", p.id, "").await?;
    tx.commit().await?;
    Ok(())
}

/// The team reports progress (项目跟进): a note and how far it is.
pub async fn progress(db: &Db, actor: &Actor, id: i64, input: ProgressInput) -> AppResult<Project> {
    let p = get(db, actor, id).await?;
    let team: Vec<i64> = projects::team(db.reader(), id)
        .await?
        .into_iter()
        .map(|(u, _)| u)
        .collect();
    policy::projects::report(actor, &p, &team)?;
    let note = input.note.trim();
    let mut c = Checks::new();
    c.required("note", note, limits::NOTE);
    check_percent(input.percent, &mut c);
    c.finish()?;
    let change = StepChange {
        percent: Some(input.percent),
        ..StepChange::default()
    };
    step(
        db,
        actor,
        &p,
        ProjectAction::Progress,
        change,
        ("progress", note),
    )
    .await?;
    get(db, actor, id).await
}

/// The work is done (集中攻关 ends): its summary; the result is then recorded as an outcome.
pub async fn deliver(db: &Db, actor: &Actor, id: i64, input: DeliveryInput) -> AppResult<Project> {
    let p = get(db, actor, id).await?;
    policy::projects::manage(actor, &p)?;
    let summary = input.summary.trim();
    let mut c = Checks::new();
    c.required("summary", summary, limits::NOTE);
    c.finish()?;
    let change = StepChange {
        percent: Some(100),
        summary: Some(summary),
        ..StepChange::default()
    };
    step(
        db,
        actor,
        &p,
        ProjectAction::Deliver,
        change,
        ("deliver", summary),
    )
    .await?;
    get(db, actor, id).await
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct OpenInput {
    /// `YYYY-MM-DD`, after today.
    pub deadline: Option<String>,
    pub reward_yuan: Option<i64>,
    /// exclusive (default) or parallel (赛马).
    pub claim_mode: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
}

/// Where an opened project went on.
#[derive(Debug, Serialize, ToSchema)]
pub struct Opened {
    pub challenge_id: i64,
}

/// Opens the project to other studios as a published challenge (揭榜) with its title, problem
/// and industry; the project then points to the challenge, which carries the work on.
pub async fn open(db: &Db, actor: &Actor, id: i64, input: OpenInput) -> AppResult<Opened> {
    let p = get(db, actor, id).await?;
    policy::projects::manage(actor, &p)?;
    if p.status.next(ProjectAction::Open).is_none() {
        return Err(AppError::wrong_state(
            p.status.code(),
            ProjectAction::Open.verb(),
        ));
    }
    let challenge = challenge_svc::create(
        db,
        actor,
        ChallengeInput {
            studio_id: Some(p.studio_id),
            org_id: None,
            title: p.title.clone(),
            description: p.description.clone(),
            industry: p.industry.clone(),
            tags: input.tags,
            deadline: input.deadline,
            reward_yuan: input.reward_yuan,
            visibility: None,
            alliance_id: None,
            claim_mode: input.claim_mode,
        },
    )
    .await?;
    let change = StepChange {
        challenge_id: Some(challenge.id),
        ..StepChange::default()
    };
    let note = format!("/challenges/{}", challenge.id);
    step(db, actor, &p, ProjectAction::Open, change, ("open", &note)).await?;
    challenge_svc::publish(db, actor, challenge.id).await?;
    Ok(Opened {
        challenge_id: challenge.id,
    })
}
