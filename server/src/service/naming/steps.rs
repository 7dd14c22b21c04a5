//! The steps of an application up the tree, each by its own people (Jieyang art. 6), the
//! experts' scores, and what each step tells the studio and the next union.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Actor, policy};
use crate::domain::alliance::AllianceAction;
use crate::domain::naming::{ApplicationStatus, NamingAction, OPINION_MAX, SCORE, Stage};
use crate::domain::studio::StudioAction;
use crate::domain::text::Checks;
use crate::error::{AppError, AppResult};
use crate::outbox::{Entity, Op};
use crate::store::naming::{self as store, Application};
use crate::store::{Db, Tx, audit, notifications, now_ms, outbox, studios};

use super::applications::{get, snapshot};
use super::batches::{batch, in_window, outside_window};

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
            let (seats, unscored) = store::seats_unscored(&mut tx, id).await?;
            if seats == 0 || unscored > 0 {
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
        NamingAction::Name => match app.alliance_id {
            Some(alliance) => name_alliance(&mut tx, alliance, app.org_id).await?,
            None => {
                store::name_studio(&mut tx, app.studio_id, app.org_id, &app.proposed_name).await?
            }
        },
        _ => {}
    }
    if app.alliance_id.is_none() {
        mirror_on_studio(&mut tx, app.studio_id, action).await?;
    }
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

/// The alliance takes its name: its lifecycle's `Name` step, the naming union and the date.
async fn name_alliance(tx: &mut Tx, alliance_id: i64, naming_org: i64) -> AppResult<()> {
    let (status, _) = crate::store::alliances::lock(tx, alliance_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let to = status
        .transition(AllianceAction::Name)
        .ok_or_else(|| AppError::wrong_state(status.code(), "name"))?;
    crate::store::alliances::set_status(tx, alliance_id, status, to).await?;
    store::name_alliance(tx, alliance_id, naming_org).await?;
    outbox::append(tx, Entity::Alliance, alliance_id, Op::Status).await?;
    Ok(())
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
