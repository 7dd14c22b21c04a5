//! Applications: a studio's leader applies in an open batch; what the reader of an
//! application sees and may do; what waits for whom.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Actor, policy};
use crate::domain::alliance::AllianceStatus;
use crate::domain::naming::{ApplicationStatus, NamingAction, Stage, official_name};
use crate::domain::naming_evidence::{Facts, evidence};
use crate::domain::text::Checks;
use crate::error::{AppError, AppResult};
use crate::service::Created;
use crate::store::naming::{self as store, Application, Batch, Objection, PanelSeat, Step};
use crate::store::{Db, audit, studios};

use super::batches::{in_window, outside_window};

/// Who applies: a studio (`studio_id`), or an alliance (`alliance_id`) through its lead studio.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ApplicationInput {
    pub batch_id: i64,
    pub studio_id: Option<i64>,
    pub alliance_id: Option<i64>,
}

/// The fewest online member studios an alliance applies with.
const ALLIANCE_MIN_ONLINE: i64 = 2;

/// A studio's leader (for an alliance: its lead studio's) starts an application (a draft) in
/// an open batch.
pub async fn apply(db: &Db, actor: &Actor, input: ApplicationInput) -> AppResult<Created> {
    let pool = db.reader();
    let batch = store::find_batch(pool, input.batch_id)
        .await?
        .ok_or_else(|| AppError::invalid_field("batch_id", "批次不存在 / no such batch"))?;
    let mut c = Checks::new();
    let alliance = match (input.studio_id, input.alliance_id) {
        (Some(_), None) => None,
        (None, Some(id)) => Some(crate::store::alliances::find(pool, id).await?.ok_or_else(
            || AppError::invalid_field("alliance_id", "联盟不存在 / no such alliance"),
        )?),
        _ => {
            return Err(AppError::invalid_field(
                "studio_id",
                "请选择申报的工作室或联盟（二选一）/ give a studio_id or an alliance_id",
            ));
        }
    };
    let studio_id = match &alliance {
        Some(a) => a.lead_studio_id,
        None => input.studio_id.unwrap_or_default(),
    };
    let studio = studios::find(pool, studio_id)
        .await?
        .ok_or_else(|| AppError::invalid_field("studio_id", "工作室不存在 / no such studio"))?;
    match &alliance {
        Some(a) => {
            policy::lead_alliance(actor, a)?;
            if a.status != AllianceStatus::Active {
                c.fail(
                    "alliance_id",
                    "只有运行中的联盟可以申报命名 / only an active alliance applies",
                );
            }
            if store::online_members(pool, a.id).await? < ALLIANCE_MIN_ONLINE {
                c.fail(
                    "alliance_id",
                    format!(
                        "联盟至少需有 {ALLIANCE_MIN_ONLINE} 个已上线的成员工作室 / an alliance applies with at least {ALLIANCE_MIN_ONLINE} online member studios"
                    ),
                );
            }
        }
        None => policy::apply_for_naming(actor, &studio)?,
    }
    if !studio.online {
        c.fail(
            "studio_id",
            "工作室上线后才能申报 / the studio must be online first",
        );
    }
    if !crate::domain::org::in_subtree(&studio.org_path, &batch.org_path) {
        c.fail(
            "studio_id",
            "工作室不在该工会的范围内 / the studio is outside this union's tree",
        );
    }
    c.finish()?;
    if !in_window(&batch) {
        return Err(outside_window(&batch));
    }
    let mut tx = db.begin().await?;
    let name = match &alliance {
        Some(a) => a.name.clone(),
        None => official_name(&studio.leader_name, batch.category),
    };
    let alliance_id = alliance.as_ref().map(|a| a.id);
    let id = store::insert_application(
        &mut tx,
        batch.id,
        studio.id,
        alliance_id,
        actor.id(),
        &name,
    )
    .await?
    .ok_or_else(|| {
        AppError::conflict(
            "already_applied",
            "该工作室在本批次已有申报 / the studio already has an open application in this batch",
        )
    })?;
    audit::record(
        &mut tx,
        Some(actor.id()),
        "apply",
        "naming_application",
        id,
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(Created { id })
}

/// What the profile, the leader and the platform's evidence said when the application was sent.
#[derive(Debug, Serialize, Deserialize, ToSchema, Default, Clone)]
pub struct Snapshot {
    pub studio_name: String,
    pub unit: String,
    /// 单位类型 (`enterprise`, `public_institution`, `other`).
    #[serde(default)]
    pub unit_type: String,
    /// 推荐单位: the union above the unit, which recommends it.
    #[serde(default)]
    pub recommending_org: String,
    /// 填报日期: the day it was sent (China).
    #[serde(default)]
    pub filed_on: String,
    #[serde(default)]
    pub premises_m2: Option<i64>,
    #[serde(default)]
    pub premises_address: String,
    #[serde(default)]
    pub equipment: String,
    pub kind: String,
    pub field: String,
    pub industry: String,
    pub founded_on: String,
    pub goals: String,
    pub intro: String,
    pub outcomes_summary: String,
    pub honours: String,
    pub member_count: i64,
    pub leader_name: String,
    pub leader_gender: String,
    pub leader_birth_month: String,
    pub leader_education: String,
    pub leader_political_status: String,
    pub leader_trade: String,
    pub leader_title: String,
    pub leader_honours: String,
    /// For an alliance's application: the alliance and its member studios (the studio above is
    /// its lead studio).
    #[serde(default)]
    pub alliance_name: String,
    #[serde(default)]
    pub alliance_members: Vec<String>,
    /// What the platform's data said about each condition when it was sent ("" where nothing).
    #[serde(default)]
    pub conditions_evidence: Vec<String>,
    /// The batch's conditions, each confirmed by the applicant when sending it.
    pub conditions_confirmed: Vec<String>,
    /// The year the figures below are of.
    pub year: i32,
    pub outcomes: i64,
    pub patents: i64,
    pub benefit_yuan: i64,
    pub challenges_solved: i64,
    pub mentorships_completed: i64,
    pub mentoring_hours: f64,
}

impl Snapshot {
    /// What the data said about the `i`-th condition ("" where nothing, or before this was kept).
    pub fn evidence_of(&self, i: &usize) -> &str {
        self.conditions_evidence
            .get(*i)
            .map(String::as_str)
            .unwrap_or_default()
    }
}

pub(super) async fn snapshot(db: &Db, app: &Application, batch: &Batch) -> AppResult<String> {
    let pool = db.reader();
    let s = studios::find(pool, app.studio_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let leader = crate::service::accounts::person(db, s.leader_id).await?;
    let figures = crate::service::metrics::of_studio(db, None, s.id, None).await?;
    let unit = crate::store::orgs::find(pool, s.org_id).await?;
    let recommending_org = match unit.and_then(|u| u.parent_id) {
        Some(p) => crate::store::orgs::find(pool, p)
            .await?
            .map(|o| o.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    let (alliance_name, alliance_members) = match app.alliance_id {
        Some(a) => (
            app.studio_name.clone(),
            crate::store::alliances::members(pool, a)
                .await?
                .into_iter()
                .map(|m| m.name)
                .collect(),
        ),
        None => (String::new(), Vec::new()),
    };
    let snap = Snapshot {
        alliance_name,
        alliance_members,
        studio_name: s.name,
        unit: s.org_name,
        unit_type: s.unit_type,
        recommending_org,
        filed_on: crate::service::orgs::china_today().to_string(),
        premises_m2: s.premises_m2,
        premises_address: s.premises_address,
        equipment: s.equipment,
        kind: s.kind,
        field: s.field,
        industry: s.industry,
        founded_on: s.founded_on,
        goals: s.goals,
        intro: s.intro,
        outcomes_summary: s.outcomes_summary,
        honours: s.honours,
        member_count: s.member_count,
        leader_name: leader.display_name,
        leader_gender: leader.gender,
        leader_birth_month: leader.birth_month,
        leader_education: leader.education,
        leader_political_status: leader.political_status,
        leader_trade: leader.trade,
        leader_title: leader.title,
        leader_honours: leader.honours,
        conditions_evidence: checklist(db, app, batch)
            .await?
            .into_iter()
            .map(|c| c.evidence.unwrap_or_default())
            .collect(),
        conditions_confirmed: batch.conditions.clone(),
        year: figures.year,
        outcomes: figures.outcomes,
        patents: figures.patents,
        benefit_yuan: figures.benefit_yuan,
        challenges_solved: figures.challenges_solved,
        mentorships_completed: figures.mentorships_completed,
        mentoring_hours: figures.mentoring_hours,
    };
    Ok(serde_json::to_string(&snap).map_err(anyhow::Error::from)?)
}

/// One condition of the batch with what the platform's data say about it (Jieyang art. 5): the
/// applicant confirms each; those the data meet come ticked.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChecklistItem {
    pub condition: String,
    /// The data behind it, in words; none where the platform has nothing on it.
    pub evidence: Option<String>,
    /// The data meet it.
    pub met: bool,
}

/// The batch's checklist read against the studio's profile and this year's figures.
pub async fn checklist(db: &Db, app: &Application, batch: &Batch) -> AppResult<Vec<ChecklistItem>> {
    use chrono::Datelike;
    let pool = db.reader();
    let s = studios::find(pool, app.studio_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let m = crate::service::metrics::of_studio(db, None, s.id, None).await?;
    let today = crate::service::orgs::china_today();
    let years_running = crate::domain::text::parse_date(&s.founded_on).map(|d| {
        let mut y = i64::from(today.year() - d.year());
        if (today.month(), today.day()) < (d.month(), d.day()) {
            y -= 1;
        }
        y
    });
    let facts = Facts {
        years_running,
        premises_m2: s.premises_m2,
        equipment_items: s.equipment.lines().filter(|l| !l.trim().is_empty()).count(),
        mentorships_active: m.mentorships_active,
        mentorships_completed: m.mentorships_completed,
        courses: m.courses,
        outcomes: m.outcomes,
        patents: m.patents,
        events_hosted: m.events_hosted,
        challenges_solved: m.challenges_solved,
    };
    Ok(batch
        .conditions
        .iter()
        .map(|c| {
            let e = evidence(c, &facts);
            ChecklistItem {
                condition: c.clone(),
                met: e.as_ref().is_some_and(|e| e.met),
                evidence: e.map(|e| e.text),
            }
        })
        .collect())
}

/// An application the reader may see (404 otherwise).
pub async fn get(db: &Db, actor: Option<&Actor>, id: i64) -> AppResult<Application> {
    let app = store::find_application(db.reader(), id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if policy::view_naming_application(actor, &app) {
        return Ok(app);
    }
    if let Some(a) = actor {
        let seated = store::panel(db.reader(), id).await?;
        if seated.iter().any(|s| s.expert_id == a.id()) {
            return Ok(app);
        }
    }
    Err(AppError::not_found())
}

/// An application with its trail, panel, objections and what the reader may do.
#[derive(Debug)]
pub struct ApplicationDetail {
    pub application: Application,
    pub snapshot: Option<Snapshot>,
    pub trail: Vec<Step>,
    /// Scores are empty for readers who may not see them yet.
    pub panel: Vec<PanelSeat>,
    pub objections: Vec<Objection>,
    /// While the studio may still send it: the batch's conditions with the data behind each.
    pub checklist: Vec<ChecklistItem>,
    pub viewer: NamingViewer,
}

/// What the reader may do with an application.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct NamingViewer {
    /// The steps (`submit`, `recommend`, …, `return`, `reject`, `withdraw`) the reader may take now.
    pub may: Vec<String>,
    /// The reader sits on the panel and has not scored yet.
    pub may_score: bool,
    /// The reader may file an objection (public notice, signed in).
    pub may_object: bool,
    /// The reader may answer objections.
    pub may_answer: bool,
}

pub async fn detail(db: &Db, actor: Option<&Actor>, id: i64) -> AppResult<ApplicationDetail> {
    let app = get(db, actor, id).await?;
    let pool = db.reader();
    let mut panel = store::panel(pool, id).await?;
    if !policy::see_naming_scores(actor, &app) {
        for seat in &mut panel {
            if actor.is_none_or(|a| a.id() != seat.expert_id) {
                seat.score = None;
                seat.comment.clear();
            }
        }
    }
    let viewer = match actor {
        Some(a) => viewer(a, &app, &panel),
        None => NamingViewer::default(),
    };
    let checklist = if viewer.may.iter().any(|m| m == "submit") {
        let batch = super::batches::batch(db, app.batch_id).await?;
        checklist(db, &app, &batch).await?
    } else {
        Vec::new()
    };
    Ok(ApplicationDetail {
        checklist,
        snapshot: serde_json::from_str(&app.snapshot).ok(),
        trail: store::trail(pool, id).await?,
        objections: store::objections(pool, id).await?,
        panel,
        application: app,
        viewer,
    })
}

const STEPS: [&str; 11] = [
    "submit",
    "recommend",
    "review",
    "approve",
    "assign-experts",
    "decide",
    "publish",
    "name",
    "return",
    "reject",
    "withdraw",
];

fn viewer(actor: &Actor, app: &Application, panel: &[PanelSeat]) -> NamingViewer {
    let may = STEPS
        .iter()
        .filter(|code| {
            NamingAction::parse(code, true).is_some_and(|action| {
                app.status.transition(action).is_some()
                    && action
                        .stage(app.status)
                        .is_some_and(|stage| policy::naming_step(actor, stage, app).is_ok())
            })
        })
        .map(|c| (*c).to_owned())
        .collect();
    let seated = panel.iter().find(|s| s.expert_id == actor.id());
    NamingViewer {
        may,
        may_score: app.status == ApplicationStatus::ExpertReview
            && seated.is_some_and(|s| s.score.is_none()),
        may_object: app.status == ApplicationStatus::Notice,
        may_answer: app.status == ApplicationStatus::Notice
            && policy::answer_objection(actor, app).is_ok(),
    }
}

/// What waits for the reader: open applications at a stage they take, the panels they sit on
/// without a score, and their own studios' applications.
pub async fn queue(db: &Db, actor: &Actor) -> AppResult<Vec<Application>> {
    let pool = db.reader();
    let seats = store::unscored_seats(pool, actor.id()).await?;
    let mut out = Vec::new();
    for app in store::open_applications(pool).await? {
        let mine = app
            .status
            .owner()
            .is_some_and(|s| s != Stage::Applicant && policy::naming_step(actor, s, &app).is_ok());
        let seated = app.status == ApplicationStatus::ExpertReview && seats.contains(&app.id);
        if mine || seated {
            out.push(app);
        }
    }
    for app in store::of_member(pool, actor.id()).await? {
        if out.iter().all(|a| a.id != app.id) {
            out.push(app);
        }
    }
    Ok(out)
}
