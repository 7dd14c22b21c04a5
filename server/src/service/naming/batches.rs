//! Naming batches: a union opens one a year, with its kind, quota, window, notice days and
//! conditions (Jieyang art. 5–6).

use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::{Actor, policy};
use crate::domain::naming::{self as rules, ApplicationStatus, BatchDraft, Category, check_batch};
use crate::domain::text::parse_date;
use crate::error::{AppError, AppResult};
use crate::service::orgs::china_today;
use crate::store::naming::{self as store, Application, Batch, NewBatch};
use crate::store::{Db, audit, orgs};

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

/// Today (China) within the batch's window for applications.
pub(super) fn in_window(batch: &Batch) -> bool {
    let today = china_today();
    match (parse_date(&batch.opens_on), parse_date(&batch.closes_on)) {
        (Some(o), Some(c)) => o <= today && today <= c,
        _ => false,
    }
}

pub(super) fn outside_window(batch: &Batch) -> AppError {
    AppError::invalid_field(
        "batch_id",
        format!(
            "不在申报时间内（{} 至 {}）/ applications are taken from {} to {}",
            batch.opens_on, batch.closes_on, batch.opens_on, batch.closes_on
        ),
    )
}
