//! The steps of an assessment, each by its own people (Jieyang art. 9–11, Changchun 5), and
//! what each step tells the studio and the next union, in the step's transaction.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Actor;
use crate::domain::assessment::{
    AssessmentStatus, AssessmentStep, Grade, RoundKind, TEXT_MAX, check_deadline,
    third_failing_year,
};
use crate::domain::naming::{SCORE, Stage};
use crate::domain::studio::StudioAction;
use crate::domain::text::Checks;
use crate::error::{AppError, AppResult};
use crate::outbox::{Entity, Op};
use crate::service::orgs::china_today;
use crate::store::assessment::{self as store, Assessment};
use crate::store::naming::{staff_between, staff_of_org, units_of};
use crate::store::{Db, Tx, audit, notifications, outbox, studios};

use super::assessments::{get, may_take};
use super::figures;

/// The longest self-evaluation.
const SELF_MAX: usize = 5000;

/// A step's body: an opinion for most; a score, a grade, a rectification or a recheck's result
/// for some.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct StepInput {
    /// `self`: the self-evaluation; `unit`, `review`, `decide`, `recheck`: the opinion.
    #[serde(default)]
    pub opinion: String,
    /// `score`: 0–100.
    pub score: Option<i64>,
    #[serde(default)]
    pub comment: String,
    /// `decide`: `excellent`, `pass` or `fail`.
    pub grade: Option<String>,
    /// `rectify`: `YYYY-MM-DD`, after today.
    #[serde(default)]
    pub deadline: String,
    /// `rectify`: what must be put right.
    #[serde(default)]
    pub requirements: String,
    /// `recheck`: whether the rectification passed.
    pub passed: Option<bool>,
}

/// The answer to a step.
#[derive(Debug, Serialize, ToSchema)]
pub struct StepAnswer {
    pub id: i64,
    pub status: AssessmentStatus,
    pub grade: Option<Grade>,
}

pub async fn step(
    db: &Db,
    actor: &Actor,
    id: i64,
    code: &str,
    input: StepInput,
) -> AppResult<StepAnswer> {
    let grade = input.grade.as_deref().map(str::trim).map(Grade::parse);
    let step = AssessmentStep::parse(code, grade.flatten(), input.passed.unwrap_or(false))
        .ok_or_else(AppError::not_found)?;
    let a = get(db, actor, id).await?;
    let to = a
        .status
        .transition(step)
        .filter(|_| step != AssessmentStep::Score || a.round_kind == RoundKind::Cycle)
        .ok_or_else(|| AppError::wrong_state(a.status.code(), code))?;
    if !may_take(actor, &a, step) {
        return Err(AppError::forbidden());
    }
    let opinion = input.opinion.trim();
    let mut c = Checks::new();
    match step {
        AssessmentStep::SelfEvaluate => c.required("opinion", opinion, SELF_MAX),
        AssessmentStep::Score => {
            if !input.score.is_some_and(|s| SCORE.contains(&s)) {
                c.fail("score", "评分应在 0–100 之间 / score must be 0–100");
            }
            c.max_len("comment", input.comment.trim(), TEXT_MAX);
        }
        AssessmentStep::Decide(_) => {
            if !matches!(grade, Some(Some(_))) {
                c.fail(
                    "grade",
                    "考核等次应为优秀、合格或不合格 / grade must be excellent, pass or fail",
                );
            }
            c.required("opinion", opinion, TEXT_MAX);
        }
        AssessmentStep::Rectify => {
            check_deadline(&mut c, input.deadline.trim(), china_today());
            c.required("requirements", input.requirements.trim(), TEXT_MAX);
        }
        AssessmentStep::Recheck { .. } => {
            if input.passed.is_none() {
                c.fail("passed", "请给出复查结论 / say whether it passed");
            }
            c.required("opinion", opinion, TEXT_MAX);
        }
        AssessmentStep::Unit | AssessmentStep::Review => c.required("opinion", opinion, TEXT_MAX),
    }
    c.finish()?;
    let frozen = match step {
        AssessmentStep::SelfEvaluate => {
            let f = figures::of(db, &a).await?;
            serde_json::to_string(&f).map_err(anyhow::Error::from)?
        }
        _ => String::new(),
    };

    let mut tx = db.begin().await?;
    if step == AssessmentStep::Score && units_of(&mut tx, actor.id()).await?.contains(&a.unit_id) {
        return Err(AppError::conflict(
            "conflict_of_interest",
            "不能评审本单位的工作室 / you cannot score a studio of your own unit",
        ));
    }
    if matches!(step, AssessmentStep::Decide(_))
        && a.round_kind == RoundKind::Cycle
        && store::count_scores(&mut tx, id).await? == 0
    {
        return Err(AppError::conflict(
            "scores_missing",
            "周期考核须先经专家评审打分 / a cycle's assessment is scored before it is decided",
        ));
    }
    if !store::set_status(&mut tx, id, a.status, to).await? {
        let now = store::find_in(&mut tx, id)
            .await?
            .ok_or_else(AppError::not_found)?;
        return Err(AppError::wrong_state(now.status.code(), code));
    }
    let mut grade_now = a.grade;
    let mut note = opinion.to_owned();
    match step {
        AssessmentStep::SelfEvaluate => {
            store::set_self_evaluation(&mut tx, id, opinion, &frozen).await?;
            // The trail keeps that it was sent; the text stays on the assessment.
            note = String::new();
        }
        AssessmentStep::Score => {
            let s = input.score.unwrap_or_default();
            store::record_score(&mut tx, id, actor.id(), s, input.comment.trim()).await?;
            note = format!("{s} 分");
        }
        AssessmentStep::Decide(g) => {
            store::set_grade(&mut tx, id, g).await?;
            grade_now = Some(g);
            // An excellent grade recommends the studio for the next level's naming (art. 11):
            // its page reads that from its latest grade.
            if g == Grade::Fail {
                flag_third_failing_year(&mut tx, &a, actor.id()).await?;
            }
        }
        AssessmentStep::Rectify => {
            let (deadline, req) = (input.deadline.trim(), input.requirements.trim());
            store::set_rectification(&mut tx, id, deadline, req).await?;
            if a.alliance_id.is_none() {
                studio_follows(&mut tx, a.studio_id, StudioAction::OrderRectification).await?;
            }
            note = format!("整改期限 {deadline}：{req}");
        }
        AssessmentStep::Recheck { passed: true } if a.alliance_id.is_none() => {
            studio_follows(&mut tx, a.studio_id, StudioAction::Rectified).await?;
        }
        AssessmentStep::Recheck { .. } | AssessmentStep::Unit | AssessmentStep::Review => {}
    }
    store::add_step(&mut tx, id, actor.id(), step.code(), a.status, to, &note).await?;
    audit::record(
        &mut tx,
        Some(actor.id()),
        step.code(),
        "assessment",
        id,
        &note,
    )
    .await?;
    if step != AssessmentStep::Score {
        notify(&mut tx, &a, to, actor.id()).await?;
    }
    tx.commit().await?;
    Ok(StepAnswer {
        id,
        status: to,
        grade: grade_now,
    })
}

/// The studio's own status follows a rectification (named ⇄ rectification).
async fn studio_follows(tx: &mut Tx, studio_id: i64, action: StudioAction) -> AppResult<()> {
    let studio = studios::find_in(tx, studio_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if let Some(to) = studio.status.transition(action) {
        studios::set_status(tx, studio_id, studio.status, to).await?;
        outbox::append(tx, Entity::Studio, studio_id, Op::Status).await?;
    }
    Ok(())
}

/// Changchun 5 (连续三年不合格的取消命名): a third failing year in a row flags the naming for
/// withdrawal, and the staff of the union that named the studio are told.
async fn flag_third_failing_year(tx: &mut Tx, a: &Assessment, by: i64) -> AppResult<()> {
    let years = store::failed_years(tx, a).await?;
    let year = i32::try_from(a.round_year).unwrap_or_default();
    if !third_failing_year(year, &years) {
        return Ok(());
    }
    store::flag_withdrawal(tx, a.id).await?;
    let detail = format!("{}–{} 年连续三年考核不合格", year - 2, year);
    audit::record(tx, Some(by), "flag_withdrawal", "assessment", a.id, &detail).await?;
    let subject = format!("{}：{}，应取消命名", a.studio_name, detail);
    let link = format!("/assessment/{}", a.id);
    for user in staff_of_org(tx, a.org_id).await? {
        notifications::push(tx, user, "assessment", &subject, &link).await?;
    }
    Ok(())
}

/// Tells the studio's leader what happened, and the people of the next stage that it waits
/// for them (for a failed recheck: the union that may delist).
async fn notify(tx: &mut Tx, a: &Assessment, to: AssessmentStatus, by: i64) -> AppResult<()> {
    let link = format!("/assessment/{}", a.id);
    let subject = format!("{}：{}", a.studio_name, to.label_zh());
    let mut people = vec![a.leader_id];
    match to.owner() {
        Some(Stage::Unit) => people.extend(staff_of_org(tx, a.unit_id).await?),
        Some(Stage::Review) => {
            let between = staff_between(tx, &a.org_path, &a.unit_path).await?;
            if between.is_empty() {
                people.extend(staff_of_org(tx, a.org_id).await?);
            } else {
                people.extend(between);
            }
        }
        Some(Stage::NamingOrg) => people.extend(staff_of_org(tx, a.org_id).await?),
        _ if to == AssessmentStatus::DelistProposed => {
            people.extend(staff_of_org(tx, a.org_id).await?)
        }
        _ => {}
    }
    people.sort_unstable();
    people.dedup();
    for user in people.into_iter().filter(|u| *u != by) {
        notifications::push(tx, user, "assessment", &subject, &link).await?;
    }
    Ok(())
}
