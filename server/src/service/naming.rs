//! Naming (命名): union staff open a yearly batch; a studio's leader applies; the application
//! goes up the tree one step at a time, each by the right people (Jieyang art. 6), through an
//! expert panel, a collective decision and the public notice, to the studio's new name.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Actor, policy};
use crate::domain::naming::{
    self as rules, ApplicationStatus, BatchDraft, Category, NamingAction, OPINION_MAX, SCORE,
    Stage, check_batch, official_name,
};
use crate::domain::studio::StudioAction;
use crate::domain::text::{Checks, parse_date};
use crate::error::{AppError, AppResult};
use crate::service::Created;
use crate::service::orgs::china_today;
use crate::store::naming::{
    self as store, Application, Batch, NewBatch, Objection, PanelSeat, Step,
};
use crate::store::{Db, Tx, audit, notifications, now_ms, orgs, studios};

#[derive(Debug, Deserialize, ToSchema)]
pub struct BatchInput {
    /// The naming union.
    pub org_id: i64,
    pub year: i64,
    /// Defaults to "{year} 年度{org}{category's title}命名".
    #[serde(default)]
    pub title: String,
    /// The kind of studio named: `model_worker` (劳模和工匠人才创新工作室, the default),
    /// `high_skill` (高技能人才工作室), `worker` (职工创新工作室) or `women` (女职工创新工作室).
    pub category: Option<String>,
    pub quota: i64,
    /// `YYYY-MM-DD`: applications may be submitted from this day…
    pub opens_on: String,
    /// …to this day, inclusive.
    pub closes_on: String,
    /// Days of public notice (社会公示) before naming.
    pub notice_days: i64,
    /// The checklist of conditions; Jieyang art. 5's when left out.
    pub conditions: Option<Vec<String>>,
}

pub async fn open_batch(db: &Db, actor: &Actor, input: BatchInput) -> AppResult<Batch> {
    let org = orgs::find(db.reader(), input.org_id)
        .await?
        .ok_or_else(|| AppError::invalid_field("org_id", "工会不存在 / no such org"))?;
    policy::open_naming_batch(actor, &org)?;
    let conditions = input.conditions.unwrap_or_else(|| {
        rules::DEFAULT_CONDITIONS
            .iter()
            .map(|c| (*c).to_owned())
            .collect()
    });
    let conditions: Vec<String> = conditions
        .into_iter()
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty())
        .collect();
    let category = match input.category.as_deref().map(str::trim) {
        None | Some("") => Category::ModelWorker,
        Some(code) => Category::parse(code).ok_or_else(|| {
            AppError::invalid_field(
                "category",
                "工作室类别应为 model_worker、high_skill、worker 或 women / unknown category",
            )
        })?,
    };
    let title = match input.title.trim() {
        "" => format!("{} 年度{}{}命名", input.year, org.name, category.title()),
        t => t.to_owned(),
    };
    let draft = BatchDraft {
        year: input.year,
        title: &title,
        quota: input.quota,
        opens_on: input.opens_on.trim(),
        closes_on: input.closes_on.trim(),
        notice_days: input.notice_days,
        conditions: &conditions,
    };
    check_batch(&draft).finish()?;
    let mut tx = db.begin().await?;
    let id = store::insert_batch(
        &mut tx,
        &NewBatch {
            org_id: org.id,
            year: draft.year,
            title: draft.title,
            category,
            quota: draft.quota,
            opens_on: draft.opens_on,
            closes_on: draft.closes_on,
            notice_days: draft.notice_days,
            conditions: draft.conditions,
            created_by: actor.id(),
        },
    )
    .await?;
    audit::record(
        &mut tx,
        Some(actor.id()),
        "open",
        "naming_batch",
        id,
        &title,
    )
    .await?;
    tx.commit().await?;
    batch(db, id).await
}

pub async fn batch(db: &Db, id: i64) -> AppResult<Batch> {
    store::find_batch(db.reader(), id)
        .await?
        .ok_or_else(AppError::not_found)
}

pub async fn batches(db: &Db, org_id: Option<i64>) -> AppResult<Vec<Batch>> {
    Ok(store::batches(db.reader(), org_id).await?)
}

/// A batch with its candidates in public notice and those named; for its staff, every
/// application in it.
#[derive(Debug)]
pub struct BatchDetail {
    pub batch: Batch,
    pub candidates: Vec<Application>,
    pub applications: Vec<Application>,
    pub may_manage: bool,
}

pub async fn batch_detail(db: &Db, actor: Option<&Actor>, id: i64) -> AppResult<BatchDetail> {
    let batch = batch(db, id).await?;
    let pool = db.reader();
    let org = orgs::find(pool, batch.org_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let may_manage = actor.is_some_and(|a| policy::open_naming_batch(a, &org).is_ok());
    let shown = [ApplicationStatus::Notice, ApplicationStatus::Named];
    let candidates = store::of_batch(pool, id, &shown).await?;
    let applications = if may_manage {
        store::of_batch(pool, id, &[]).await?
    } else {
        Vec::new()
    };
    Ok(BatchDetail {
        batch,
        candidates,
        applications,
        may_manage,
    })
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ApplicationInput {
    pub batch_id: i64,
    pub studio_id: i64,
}

/// Today (China) within the batch's window for applications.
fn in_window(batch: &Batch) -> bool {
    let today = china_today();
    match (parse_date(&batch.opens_on), parse_date(&batch.closes_on)) {
        (Some(o), Some(c)) => o <= today && today <= c,
        _ => false,
    }
}

fn outside_window(batch: &Batch) -> AppError {
    AppError::invalid_field(
        "batch_id",
        format!(
            "不在申报时间内（{} 至 {}）/ applications are taken from {} to {}",
            batch.opens_on, batch.closes_on, batch.opens_on, batch.closes_on
        ),
    )
}

/// A studio's leader starts an application (a draft) in an open batch.
pub async fn apply(db: &Db, actor: &Actor, input: ApplicationInput) -> AppResult<Created> {
    let pool = db.reader();
    let batch = store::find_batch(pool, input.batch_id)
        .await?
        .ok_or_else(|| AppError::invalid_field("batch_id", "批次不存在 / no such batch"))?;
    let studio = studios::find(pool, input.studio_id)
        .await?
        .ok_or_else(|| AppError::invalid_field("studio_id", "工作室不存在 / no such studio"))?;
    policy::apply_for_naming(actor, &studio)?;
    let mut c = Checks::new();
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
    let name = official_name(&studio.leader_name, batch.category);
    let id = store::insert_application(&mut tx, batch.id, studio.id, actor.id(), &name)
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

async fn snapshot(db: &Db, app: &Application, batch: &Batch) -> AppResult<String> {
    let pool = db.reader();
    let s = studios::find(pool, app.studio_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let leader = crate::service::accounts::person(db, s.leader_id).await?;
    let figures = crate::service::metrics::of_studio(db, None, s.id, None).await?;
    let snap = Snapshot {
        studio_name: s.name,
        unit: s.org_name,
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
    Ok(ApplicationDetail {
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

/// A step's body: an opinion for most; the panel, a score or a decision for some.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct StepInput {
    #[serde(default)]
    pub opinion: String,
    /// `assign-experts`: the experts of the naming union's pool.
    pub expert_ids: Option<Vec<i64>>,
    /// `score`: 0–100.
    pub score: Option<i64>,
    #[serde(default)]
    pub comment: String,
    /// `decide`: the collective decision.
    pub approved: Option<bool>,
    /// `submit`: the batch's conditions the applicant confirms the studio meets, by their
    /// position (0-based); every condition must be confirmed.
    pub confirmed: Option<Vec<usize>>,
}

/// The answer to a step.
#[derive(Debug, Serialize, ToSchema)]
pub struct StepAnswer {
    pub id: i64,
    pub status: ApplicationStatus,
}

pub async fn step(
    db: &Db,
    actor: &Actor,
    id: i64,
    code: &str,
    input: StepInput,
) -> AppResult<StepAnswer> {
    let action = NamingAction::parse(code, input.approved.unwrap_or(false))
        .ok_or_else(AppError::not_found)?;
    let app = get(db, Some(actor), id).await?;
    if action == NamingAction::Score {
        return score(db, actor, &app, input).await;
    }
    let stage = action
        .stage(app.status)
        .ok_or_else(|| AppError::wrong_state(app.status.code(), code))?;
    policy::naming_step(actor, stage, &app)?;
    let to = app
        .status
        .transition(action)
        .ok_or_else(|| AppError::wrong_state(app.status.code(), code))?;
    let opinion = input.opinion.trim();
    let mut c = Checks::new();
    c.max_len("opinion", opinion, OPINION_MAX);
    if action.needs_reason() && opinion.is_empty() {
        c.fail("opinion", "请写明理由 / give the reasons");
    }
    if matches!(action, NamingAction::Decide { .. }) && input.approved.is_none() {
        c.fail("approved", "请给出研究结论 / say whether it is approved");
    }
    let experts = match action {
        NamingAction::AssignExperts => {
            let ids = input.expert_ids.clone().unwrap_or_default();
            let pool: Vec<i64> = store::experts_of(db.reader(), app.org_id)
                .await?
                .into_iter()
                .map(|(id, _, _)| id)
                .collect();
            if ids.is_empty() || ids.len() > 15 {
                c.fail("expert_ids", "请选择 1–15 位专家 / pick 1–15 experts");
            } else if ids.iter().any(|e| !pool.contains(e)) {
                c.fail(
                    "expert_ids",
                    "专家不在本工会专家库中 / not in this union's expert pool",
                );
            }
            ids
        }
        _ => Vec::new(),
    };
    c.finish()?;
    let batch = batch(db, app.batch_id).await?;
    if action == NamingAction::Submit {
        if !in_window(&batch) {
            return Err(outside_window(&batch));
        }
        let confirmed = input.confirmed.as_deref().unwrap_or_default();
        if let Some(missing) = (0..batch.conditions.len()).find(|i| !confirmed.contains(i)) {
            return Err(AppError::invalid_field(
                "confirmed",
                format!(
                    "请逐项确认基本条件，尚未确认：{} / confirm every condition",
                    batch.conditions[missing]
                ),
            ));
        }
    }
    let frozen = match action {
        NamingAction::Submit => Some(snapshot(db, &app, &batch).await?),
        _ => None,
    };

    let mut tx = db.begin().await?;
    match action {
        NamingAction::AssignExperts => {
            for e in &experts {
                if store::units_of(&mut tx, *e).await?.contains(&app.unit_id) {
                    return Err(AppError::conflict(
                        "conflict_of_interest",
                        "专家不能评审本单位的工作室 / an expert cannot score a studio of their own unit",
                    ));
                }
                store::seat_expert(&mut tx, id, *e, actor.id()).await?;
            }
        }
        NamingAction::Decide { approved } => {
            if store::panel(db.reader(), id).await?.is_empty()
                || store::unscored(&mut tx, id).await? > 0
            {
                return Err(AppError::conflict(
                    "scores_missing",
                    "专家评分尚未完成 / the panel has not finished scoring",
                ));
            }
            if approved && store::quota_used(&mut tx, batch.id).await? >= batch.quota {
                return Err(AppError::conflict(
                    "quota_full",
                    format!(
                        "本批次名额 {} 个已满 / the batch's quota of {} is used",
                        batch.quota, batch.quota
                    ),
                ));
            }
        }
        NamingAction::Name => {
            if app.notice_ends_ms.is_some_and(|end| now_ms() < end) {
                return Err(AppError::conflict(
                    "notice_running",
                    "公示期尚未结束 / the public notice has not ended",
                ));
            }
            if store::unanswered_objections(&mut tx, id).await? > 0 {
                return Err(AppError::conflict(
                    "objections_open",
                    "尚有异议未答复 / answer every objection first",
                ));
            }
        }
        _ => {}
    }
    if !store::set_status(&mut tx, id, app.status, to).await? {
        let now = store::find_application_in(&mut tx, id)
            .await?
            .ok_or_else(AppError::not_found)?;
        return Err(AppError::wrong_state(now.status.code(), code));
    }
    match action {
        NamingAction::Submit => {
            store::set_snapshot(&mut tx, id, frozen.as_deref().unwrap_or_default()).await?;
        }
        NamingAction::Publish => {
            let ends = now_ms() + batch.notice_days * 86_400_000;
            store::set_notice_end(&mut tx, id, ends).await?;
        }
        NamingAction::Name => {
            store::name_studio(&mut tx, app.studio_id, app.org_id, &app.proposed_name).await?;
        }
        _ => {}
    }
    mirror_on_studio(&mut tx, app.studio_id, action).await?;
    store::add_step(
        &mut tx,
        id,
        actor.id(),
        action.code(),
        app.status,
        to,
        opinion,
    )
    .await?;
    audit::record(
        &mut tx,
        Some(actor.id()),
        action.code(),
        "naming_application",
        id,
        opinion,
    )
    .await?;
    notify(&mut tx, &app, to, actor.id()).await?;
    tx.commit().await?;
    Ok(StepAnswer { id, status: to })
}

/// The studio's own naming status follows its application where the studio's lifecycle has the
/// step (a named studio applying for the next level keeps its status).
async fn mirror_on_studio(tx: &mut Tx, studio_id: i64, action: NamingAction) -> AppResult<()> {
    let studio_action = match action {
        NamingAction::Submit => StudioAction::Submit,
        NamingAction::Recommend
        | NamingAction::Review
        | NamingAction::Approve
        | NamingAction::AssignExperts => StudioAction::StartReview,
        NamingAction::Publish => StudioAction::Publicise,
        NamingAction::Name => StudioAction::Name,
        NamingAction::Return
        | NamingAction::Reject
        | NamingAction::Withdraw
        | NamingAction::Decide { approved: false } => StudioAction::Reject,
        NamingAction::Decide { approved: true } | NamingAction::Score => return Ok(()),
    };
    let studio = studios::find_in(tx, studio_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if let Some(to) = studio.status.transition(studio_action) {
        studios::set_status(tx, studio_id, studio.status, to).await?;
    }
    Ok(())
}

/// Tells the applicant what happened, and the people of the next stage that it waits for them.
async fn notify(tx: &mut Tx, app: &Application, to: ApplicationStatus, by: i64) -> AppResult<()> {
    let link = format!("/naming/applications/{}", app.id);
    let subject = format!("{}：{}", app.studio_name, status_label(to));
    let mut people = vec![app.leader_id];
    match to.owner() {
        Some(Stage::Unit) => people.extend(store::staff_of_org(tx, app.unit_id).await?),
        Some(Stage::Review) => {
            people.extend(store::staff_between(tx, &app.org_path, &app.unit_path).await?)
        }
        Some(Stage::NamingOrg) => people.extend(store::staff_of_org(tx, app.org_id).await?),
        _ => {}
    }
    people.sort_unstable();
    people.dedup();
    for user in people.into_iter().filter(|u| *u != by) {
        notifications::push(tx, user, "naming", &subject, &link).await?;
    }
    Ok(())
}

/// The status in words, for notifications.
pub fn status_label(s: ApplicationStatus) -> &'static str {
    use ApplicationStatus as S;
    match s {
        S::Draft => "命名申报草稿",
        S::Submitted => "命名申报已提交，待所在单位工会推荐",
        S::Recommended => "已推荐，待初审",
        S::Reviewed => "已通过初审，待命名工会审核",
        S::Approved => "已通过审核，待专家评审",
        S::ExpertReview => "专家评审中",
        S::Decided => "集体研究通过，待公示",
        S::Notice => "社会公示中",
        S::Named => "已命名",
        S::Returned => "命名申报被退回",
        S::Rejected => "命名申报未通过",
        S::Withdrawn => "命名申报已撤回",
    }
}

async fn score(
    db: &Db,
    actor: &Actor,
    app: &Application,
    input: StepInput,
) -> AppResult<StepAnswer> {
    let seats = store::panel(db.reader(), app.id).await?;
    if !seats.iter().any(|s| s.expert_id == actor.id()) {
        return Err(AppError::forbidden());
    }
    if app.status != ApplicationStatus::ExpertReview {
        return Err(AppError::wrong_state(app.status.code(), "score"));
    }
    let comment = input.comment.trim();
    let mut c = Checks::new();
    match input.score {
        Some(s) if SCORE.contains(&s) => {}
        _ => c.fail("score", "评分应在 0–100 之间 / score must be 0–100"),
    }
    c.max_len("comment", comment, OPINION_MAX);
    c.finish()?;
    let mut tx = db.begin().await?;
    let s = input.score.unwrap_or_default();
    store::record_score(&mut tx, app.id, actor.id(), s, comment).await?;
    let status = app.status;
    store::add_step(&mut tx, app.id, actor.id(), "score", status, status, "").await?;
    audit::record(
        &mut tx,
        Some(actor.id()),
        "score",
        "naming_application",
        app.id,
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(StepAnswer { id: app.id, status })
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TextInput {
    pub text: String,
}

/// Anyone signed in objects (异议) to a candidate during its public notice.
pub async fn object(db: &Db, actor: &Actor, id: i64, input: TextInput) -> AppResult<Created> {
    let app = get(db, Some(actor), id).await?;
    let text = input.text.trim();
    let mut c = Checks::new();
    c.required("text", text, OPINION_MAX);
    c.finish()?;
    if app.status != ApplicationStatus::Notice {
        return Err(AppError::wrong_state(app.status.code(), "object"));
    }
    let mut tx = db.begin().await?;
    let oid = store::add_objection(&mut tx, id, actor.id(), text).await?;
    audit::record(
        &mut tx,
        Some(actor.id()),
        "object",
        "naming_application",
        id,
        "",
    )
    .await?;
    for user in store::staff_of_org(&mut tx, app.org_id).await? {
        let subject = format!("{}：公示期收到异议", app.studio_name);
        let link = format!("/naming/applications/{id}");
        notifications::push(&mut tx, user, "naming", &subject, &link).await?;
    }
    tx.commit().await?;
    Ok(Created { id: oid })
}

/// The naming union's staff answer an objection, once.
pub async fn answer(
    db: &Db,
    actor: &Actor,
    id: i64,
    objection_id: i64,
    input: TextInput,
) -> AppResult<()> {
    let app = get(db, Some(actor), id).await?;
    policy::answer_objection(actor, &app)?;
    let text = input.text.trim();
    let mut c = Checks::new();
    c.required("text", text, OPINION_MAX);
    c.finish()?;
    let mut tx = db.begin().await?;
    if !store::answer_objection(&mut tx, id, objection_id, actor.id(), text).await? {
        return Err(AppError::conflict(
            "already_answered",
            "异议不存在或已答复 / no such objection, or it was answered",
        ));
    }
    audit::record(
        &mut tx,
        Some(actor.id()),
        "answer_objection",
        "naming_application",
        id,
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// An expert of an org's pool.
#[derive(Debug, Serialize, ToSchema)]
pub struct Expert {
    pub user_id: i64,
    pub display_name: String,
    pub field: String,
}

pub async fn experts(db: &Db, org_id: i64) -> AppResult<Vec<Expert>> {
    orgs::find(db.reader(), org_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok(store::experts_of(db.reader(), org_id)
        .await?
        .into_iter()
        .map(|(user_id, display_name, field)| Expert {
            user_id,
            display_name,
            field,
        })
        .collect())
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
