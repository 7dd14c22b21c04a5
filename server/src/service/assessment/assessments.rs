//! One studio's assessment: who may read it, what it shows (the figures, prefilled while it
//! waits for the self-evaluation, frozen after), what the reader may do, and what waits for whom.

use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::{Actor, policy};
use crate::domain::assessment::{AssessmentStatus, AssessmentStep, Grade, RoundKind};
use crate::error::{AppError, AppResult};
use crate::service::orgs::china_today;
use crate::store::Db;
use crate::store::assessment::{self as store, Assessment, ScoreLine};
use crate::store::naming::Step;

use super::figures::{self, Figures, draft_self_evaluation};
use super::rounds::is_late;

/// An assessment the reader may see (404 otherwise).
pub async fn get(db: &Db, actor: &Actor, id: i64) -> AppResult<Assessment> {
    let mut a = store::find(db.reader(), id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if !policy::view_assessment(actor, &a) {
        return Err(AppError::not_found());
    }
    a.late = is_late(&a, china_today());
    if !policy::see_assessment_scores(actor, &a) {
        a.score_avg = None;
    }
    Ok(a)
}

/// What the reader may do with an assessment.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct AssessmentViewer {
    /// The steps (`self`, `unit`, `review`, `score`, `decide`, `rectify`, `recheck`) the
    /// reader may take now.
    pub may: Vec<String>,
}

/// An assessment with its figures, the self-evaluation's draft, its trail and scores.
#[derive(Debug)]
pub struct AssessmentDetail {
    pub assessment: Assessment,
    /// Frozen with the self-evaluation; counted now while it is pending.
    pub figures: Figures,
    /// While pending: the self-evaluation as the figures tell it, for the leader to complete.
    pub draft: String,
    pub trail: Vec<Step>,
    /// Empty for readers who may not see them yet.
    pub scores: Vec<ScoreLine>,
    pub viewer: AssessmentViewer,
}

pub async fn detail(db: &Db, actor: &Actor, id: i64) -> AppResult<AssessmentDetail> {
    let a = get(db, actor, id).await?;
    let pool = db.reader();
    let figures = match serde_json::from_str(&a.metrics) {
        Ok(f) => f,
        Err(_) => figures::of(db, &a).await?,
    };
    let draft = if a.status == AssessmentStatus::Pending {
        draft_self_evaluation(&figures)
    } else {
        String::new()
    };
    let scores = if policy::see_assessment_scores(actor, &a) {
        store::scores(pool, id).await?
    } else {
        Vec::new()
    };
    Ok(AssessmentDetail {
        figures,
        draft,
        trail: store::trail(pool, id).await?,
        scores,
        viewer: viewer(actor, &a),
        assessment: a,
    })
}

const STEPS: [&str; 7] = [
    "self", "unit", "review", "score", "decide", "rectify", "recheck",
];

fn viewer(actor: &Actor, a: &Assessment) -> AssessmentViewer {
    let may = STEPS
        .iter()
        .filter(|code| {
            AssessmentStep::parse(code, Some(Grade::Pass), true)
                .is_some_and(|step| may_take(actor, a, step))
        })
        .map(|c| (*c).to_owned())
        .collect();
    AssessmentViewer { may }
}

/// The reader may take this step now (scores aside, a cycle's panel or the round's staff).
pub(super) fn may_take(actor: &Actor, a: &Assessment, step: AssessmentStep) -> bool {
    if a.status.transition(step).is_none() {
        return false;
    }
    match step {
        AssessmentStep::Score => {
            a.round_kind == RoundKind::Cycle && policy::score_assessment(actor, a).is_ok()
        }
        _ => a
            .status
            .owner()
            .is_some_and(|stage| policy::assessment_step(actor, stage, a).is_ok()),
    }
}

/// What waits for the reader: assessments at a step they take (the self-evaluation of their
/// own studios included), and a cycle's assessments their union's panel may score.
pub async fn queue(db: &Db, actor: &Actor) -> AppResult<Vec<Assessment>> {
    let today = china_today();
    let mut out = Vec::new();
    for mut a in store::open_assessments(db.reader()).await? {
        let mine = a
            .status
            .owner()
            .is_some_and(|s| policy::assessment_step(actor, s, &a).is_ok());
        if mine || may_take(actor, &a, AssessmentStep::Score) {
            a.late = is_late(&a, today);
            if !policy::see_assessment_scores(actor, &a) {
                a.score_avg = None;
            }
            out.push(a);
        }
    }
    Ok(out)
}

/// A studio's latest graded assessment (its grade is public once given; scores are not).
pub async fn latest_graded(db: &Db, studio_id: i64) -> AppResult<Option<Assessment>> {
    let mut latest = store::of_studio(db.reader(), studio_id)
        .await?
        .into_iter()
        .find(|a| a.grade.is_some());
    if let Some(a) = &mut latest {
        a.score_avg = None;
    }
    Ok(latest)
}
