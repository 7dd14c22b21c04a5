//! Assessment rounds: a union opens its annual or two-year round for the studios it named, and
//! its staff (and those below, for their subtree) follow it on the round's board: who has
//! submitted, who is late, the grades, who is in rectification.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Actor, policy};
use crate::domain::assessment::{AssessmentStatus, Grade, RoundDraft, RoundKind, check_round};
use crate::domain::org::in_subtree;
use crate::error::{AppError, AppResult};
use crate::service::orgs::china_today;
use crate::store::assessment::{self as store, Assessment, NewRound, Round};
use crate::store::{Db, audit, notifications, orgs};

#[derive(Debug, Deserialize, ToSchema)]
pub struct RoundInput {
    /// The union whose named studios are assessed.
    pub org_id: i64,
    /// `annual` (年度考核, Jieyang art. 9) or `cycle` (周期考核, art. 10).
    pub kind: String,
    pub year: i64,
    /// Defaults to "{year} 年度{org}创新工作室考核" (周期考核 for a cycle).
    #[serde(default)]
    pub title: String,
    /// `YYYY-MM-DD`: self-evaluations are due by this day; the year's end by default (art. 9:
    /// 考核情况年底前报市总工会).
    #[serde(default)]
    pub due_on: String,
}

pub async fn open_round(db: &Db, actor: &Actor, input: RoundInput) -> AppResult<Round> {
    let org = orgs::find(db.reader(), input.org_id)
        .await?
        .ok_or_else(|| AppError::invalid_field("org_id", "工会不存在 / no such org"))?;
    policy::open_assessment_round(actor, &org)?;
    let kind = RoundKind::parse(input.kind.trim()).ok_or_else(|| {
        AppError::invalid_field(
            "kind",
            "考核类型应为 annual（年度）或 cycle（周期）/ kind must be annual or cycle",
        )
    })?;
    let title = match input.title.trim() {
        "" => match kind {
            RoundKind::Annual => format!("{} 年度{}创新工作室考核", input.year, org.name),
            RoundKind::Cycle => format!("{} 年{}创新工作室周期考核", input.year, org.name),
        },
        t => t.to_owned(),
    };
    let due_on = match input.due_on.trim() {
        "" => format!("{}-12-31", input.year),
        d => d.to_owned(),
    };
    check_round(&RoundDraft {
        year: input.year,
        due_on: &due_on,
        title: &title,
    })
    .finish()?;
    let mut tx = db.begin().await?;
    let id = store::insert_round(
        &mut tx,
        &NewRound {
            org_id: org.id,
            kind,
            year: input.year,
            title: &title,
            due_on: &due_on,
            created_by: actor.id(),
        },
    )
    .await?
    .ok_or_else(|| {
        AppError::conflict(
            "round_exists",
            format!(
                "{}已有 {} 年度的{} / this union already has this round",
                org.name,
                input.year,
                kind.title()
            ),
        )
    })?;
    if store::enrol_named(&mut tx, id, org.id).await? == 0 {
        return Err(AppError::conflict(
            "nothing_to_assess",
            "本会尚无已命名的工作室可考核 / this union has named no studio yet",
        ));
    }
    for (assessment, leader) in store::leaders_of_round(&mut tx, id).await? {
        let subject = format!("{title}：请于 {due_on} 前提交自评");
        let link = format!("/assessment/{assessment}");
        notifications::push(&mut tx, leader, "assessment", &subject, &link).await?;
    }
    audit::record(
        &mut tx,
        Some(actor.id()),
        "open",
        "assessment_round",
        id,
        &title,
    )
    .await?;
    tx.commit().await?;
    round(db, id).await
}

pub async fn round(db: &Db, id: i64) -> AppResult<Round> {
    store::find_round(db.reader(), id)
        .await?
        .ok_or_else(AppError::not_found)
}

pub async fn rounds(db: &Db, org_id: Option<i64>) -> AppResult<Vec<Round>> {
    Ok(store::rounds(db.reader(), org_id).await?)
}

/// How a round stands, over the studios the reader sees.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct RoundCounts {
    pub studios: usize,
    /// Self-evaluation in.
    pub submitted: usize,
    /// Without a self-evaluation after the due day.
    pub late: usize,
    pub excellent: usize,
    pub pass: usize,
    pub fail: usize,
    /// In rectification now.
    pub rectifying: usize,
    /// Proposed for delisting after a failed recheck.
    pub delist_proposed: usize,
    /// Their third failing year in a row (Changchun 5).
    pub withdrawal_flagged: usize,
}

/// The round's board: every studio the reader may see, in the subtree asked for.
#[derive(Debug)]
pub struct RoundBoard {
    pub round: Round,
    pub counts: RoundCounts,
    pub items: Vec<Assessment>,
    /// The reader may open rounds at the round's union (and so act for it).
    pub may_manage: bool,
}

pub async fn board(db: &Db, actor: &Actor, id: i64, under: Option<i64>) -> AppResult<RoundBoard> {
    let round = round(db, id).await?;
    let pool = db.reader();
    let org = orgs::find(pool, round.org_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let may_manage = policy::open_assessment_round(actor, &org).is_ok();
    let subtree = match under {
        Some(o) => Some(
            orgs::find(pool, o)
                .await?
                .ok_or_else(|| AppError::invalid_field("under", "工会不存在 / no such org"))?
                .path,
        ),
        None => None,
    };
    let today = china_today();
    let mut items = Vec::new();
    for mut a in store::of_round(pool, id).await? {
        if !(may_manage || policy::view_assessment(actor, &a)) {
            continue;
        }
        if subtree
            .as_deref()
            .is_some_and(|p| !in_subtree(&a.unit_path, p))
        {
            continue;
        }
        a.late = is_late(&a, today);
        if !policy::see_assessment_scores(actor, &a) {
            a.score_avg = None;
        }
        items.push(a);
    }
    let counts = count(&items);
    Ok(RoundBoard {
        round,
        counts,
        items,
        may_manage,
    })
}

pub(super) fn is_late(a: &Assessment, today: chrono::NaiveDate) -> bool {
    crate::domain::assessment::is_late(a.status, &a.due_on, today)
}

fn count(items: &[Assessment]) -> RoundCounts {
    let mut c = RoundCounts {
        studios: items.len(),
        ..RoundCounts::default()
    };
    for a in items {
        c.submitted += usize::from(a.status.submitted());
        c.late += usize::from(a.late);
        match a.grade {
            Some(Grade::Excellent) => c.excellent += 1,
            Some(Grade::Pass) => c.pass += 1,
            Some(Grade::Fail) => c.fail += 1,
            None => {}
        }
        c.rectifying += usize::from(a.status == AssessmentStatus::Rectifying);
        c.delist_proposed += usize::from(a.status == AssessmentStatus::DelistProposed);
        c.withdrawal_flagged += usize::from(a.withdrawal_flagged);
    }
    c
}
