//! Progress reports (信息报送, Zhengzhou 001 三（三）): a union sets the schedule of its subtree;
//! studios (and alliances, through their lead studio) report each period once; an urgent report
//! goes up at any time, straight to the staff of every union above; missing reports stand out
//! on the staff's page and bring the leader one reminder.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Actor, policy};
use crate::domain::reports::{DUE_DAY_MAX, PART_MAX, Period, Span, last_due, open_periods};
use crate::domain::studio::MemberRole;
use crate::domain::text::Checks;
use crate::error::{AppError, AppResult};
use crate::service::orgs::china_today;
use crate::store::reports::{self as store, Filter, NewReport, Report, Schedule, nearest};
use crate::store::{Db, alliances, audit, notifications, orgs, studios};

#[derive(Debug, Deserialize, ToSchema)]
pub struct ScheduleInput {
    /// `monthly`, `quarterly` or `yearly`.
    pub period: String,
    /// The day of the month after each period by which its report is due (1–28).
    pub due_day: i64,
}

/// Sets the schedule of an org's subtree (its staff or staff above it).
pub async fn set_schedule(
    db: &Db,
    actor: &Actor,
    org_id: i64,
    input: ScheduleInput,
) -> AppResult<Schedule> {
    let org = orgs::find(db.reader(), org_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    policy::manage_org(actor, &org)?;
    let period = Period::parse(input.period.trim());
    let mut c = Checks::new();
    if period.is_none() {
        c.fail(
            "period",
            "报送周期应为 monthly、quarterly 或 yearly / monthly, quarterly or yearly",
        );
    }
    if !(1..=DUE_DAY_MAX).contains(&input.due_day) {
        c.fail("due_day", "截止日应为 1 到 28 日 / a day from 1 to 28");
    }
    c.finish()?;
    let period = period.expect("checked above");
    let today = china_today().to_string();
    let mut tx = db.begin().await?;
    store::set_schedule(&mut tx, org_id, period, input.due_day, actor.id(), &today).await?;
    let detail = format!("{} {}", period.code(), input.due_day);
    audit::record(
        &mut tx,
        Some(actor.id()),
        "set_schedule",
        "org",
        org_id,
        &detail,
    )
    .await?;
    tx.commit().await?;
    schedule_of(db, org_id)
        .await?
        .ok_or_else(AppError::not_found)
}

/// The org's own schedule, if it set one.
pub async fn schedule_of(db: &Db, org_id: i64) -> AppResult<Option<Schedule>> {
    let org = orgs::find(db.reader(), org_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let all = store::schedules_around(db.reader(), &org.path).await?;
    Ok(all.into_iter().find(|s| s.org_id == org_id))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReportInput {
    /// The reporting studio; or `alliance_id` for an alliance (its lead studio reports).
    pub studio_id: Option<i64>,
    pub alliance_id: Option<i64>,
    /// 工作进展.
    pub progress: String,
    /// 存在问题.
    #[serde(default)]
    pub problems: String,
    /// 意见建议.
    #[serde(default)]
    pub suggestions: String,
    /// An urgent report (重要进展、重点成果、突出问题) goes up at once, outside the schedule.
    #[serde(default)]
    pub urgent: bool,
}

/// Files a report: a studio's leader or members, an alliance's lead studio's leader. A regular
/// report is filed under the earliest open period the studio has not reported (409
/// `no_schedule` when no union above set one, `already_reported` when both are done).
pub async fn file(db: &Db, actor: &Actor, input: ReportInput) -> AppResult<Report> {
    let progress = input.progress.trim();
    let problems = input.problems.trim();
    let suggestions = input.suggestions.trim();
    let mut c = Checks::new();
    c.required("progress", progress, PART_MAX);
    c.max_len("problems", problems, PART_MAX);
    c.max_len("suggestions", suggestions, PART_MAX);
    let (studio_id, alliance_id) = match (input.studio_id, input.alliance_id) {
        (Some(s), None) => (s, None),
        (None, Some(a)) => {
            let alliance = alliances::find(db.reader(), a)
                .await?
                .ok_or_else(AppError::not_found)?;
            policy::lead_alliance(actor, &alliance)?;
            (alliance.lead_studio_id, Some(a))
        }
        _ => {
            c.fail(
                "studio_id",
                "请选择报送的工作室或联盟 / choose one studio or one alliance",
            );
            (0, None)
        }
    };
    c.finish()?;
    let studio = crate::service::studios::get(db, Some(actor), studio_id).await?;
    if alliance_id.is_none()
        && !matches!(
            actor.role_in(studio_id),
            Some(MemberRole::Leader | MemberRole::Member)
        )
    {
        return Err(AppError::forbidden());
    }
    let (key, label) = if input.urgent {
        (String::new(), String::new())
    } else {
        let schedules = store::schedules_around(db.reader(), &studio.org_path).await?;
        let Some(s) = nearest(&schedules, &studio.org_path) else {
            return Err(AppError::conflict(
                "no_schedule",
                "上级工会尚未设置报送周期；重要情况请选择“随时上报” / no union above set a schedule; file an urgent report instead",
            ));
        };
        let done = store::reported(db.reader(), studio_id, alliance_id).await?;
        let Some(span) = fileable(s, china_today())
            .into_iter()
            .find(|p| !done.contains(&p.key()))
        else {
            return Err(AppError::conflict(
                "already_reported",
                "本期已报送；重要情况请选择“随时上报” / this period is reported; file an urgent report instead",
            ));
        };
        (span.key(), span.label_zh())
    };
    let mut tx = db.begin().await?;
    let id = store::insert(
        &mut tx,
        &NewReport {
            studio_id,
            alliance_id,
            period_key: &key,
            period_label: &label,
            urgent: input.urgent,
            progress,
            problems,
            suggestions,
            filed_by: actor.id(),
        },
    )
    .await?
    .ok_or_else(|| {
        AppError::conflict("already_reported", "本期已报送 / this period is reported")
    })?;
    audit::record(
        &mut tx,
        Some(actor.id()),
        "report",
        "studio",
        studio_id,
        &label,
    )
    .await?;
    let report = store::find_in(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if input.urgent {
        let name = report
            .alliance_name
            .as_deref()
            .unwrap_or(&report.studio_name);
        let subject = format!("随时上报：{name}");
        let link = format!("/reports#r{id}");
        for user in orgs::staff_above(db.reader(), &studio.org_path, "staff").await? {
            if user != actor.id() {
                notifications::push(&mut tx, user, "report", &subject, &link).await?;
            }
        }
    }
    tx.commit().await?;
    Ok(report)
}

/// The next report a studio owes: its period and due day, late or not.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NextDue {
    pub period_label: String,
    /// `YYYY-MM-DD`.
    pub due_on: String,
    pub late: bool,
}

/// The report the studio (hosted at `unit_path`) owes next, if a union above set a schedule
/// and a period is still open to it.
pub async fn next_due(db: &Db, studio_id: i64, unit_path: &str) -> AppResult<Option<NextDue>> {
    let schedules = store::schedules_around(db.reader(), unit_path).await?;
    let Some(s) = nearest(&schedules, unit_path) else {
        return Ok(None);
    };
    let done = store::reported(db.reader(), studio_id, None).await?;
    let today = china_today();
    Ok(fileable(s, today)
        .into_iter()
        .find(|p| !done.contains(&p.key()))
        .map(|p| {
            let due = p.due(s.due_day);
            NextDue {
                period_label: p.label_zh(),
                due_on: due.to_string(),
                late: due < today,
            }
        }))
}

/// The periods a report filed on `today` may be for, earliest first: the last due period while
/// it is chased (a late report), then the open ones.
fn fileable(s: &Schedule, today: chrono::NaiveDate) -> Vec<Span> {
    let mut spans: Vec<Span> = chased(s, today).into_iter().collect();
    for span in open_periods(s.period, s.due_day, today) {
        if !spans.contains(&span) {
            spans.push(span);
        }
    }
    spans
}

/// The last due period, if the schedule chases it (it was set on or before its due date).
fn chased(s: &Schedule, today: chrono::NaiveDate) -> Option<Span> {
    let span = last_due(s.period, s.due_day, today);
    (span.due(s.due_day).to_string() >= s.set_on).then_some(span)
}

/// The reports the reader may read: of studios under the unions where they are staff, and of
/// their own studios; newest first.
pub async fn list(db: &Db, actor: &Actor, filter: &Filter) -> AppResult<Vec<Report>> {
    let paths: Vec<String> = policy::staff_orgs(actor)
        .into_iter()
        .map(|r| r.org_path)
        .collect();
    let studios: Vec<i64> = actor.studios.iter().map(|(id, _)| *id).collect();
    Ok(store::list(db.reader(), actor.user.is_admin, &paths, &studios, filter).await?)
}

/// A report the reader may read (404 otherwise): staff above its studio and its people.
pub async fn get(db: &Db, actor: &Actor, id: i64) -> AppResult<Report> {
    let r = store::find(db.reader(), id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if !policy::view_report(actor, &r.unit_path, r.studio_id) {
        return Err(AppError::not_found());
    }
    Ok(r)
}

/// A studio whose report for the last due period is missing.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Overdue {
    pub studio_id: i64,
    pub studio_name: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub leader_id: i64,
    pub leader_name: String,
    pub period_key: String,
    pub period_label: String,
    /// `YYYY-MM-DD`.
    pub due_on: String,
    /// Its leader was reminded.
    pub reminded: bool,
}

/// The online studios under an org whose report for the last due period is missing (staff of
/// the org or above it).
pub async fn overdue(db: &Db, actor: &Actor, org_id: i64) -> AppResult<Vec<Overdue>> {
    let org = orgs::find(db.reader(), org_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    policy::view_onboarding(actor, &org)?;
    overdue_under(db, &org.path).await
}

/// The missing reports of the online studios under `path`, as of today.
pub async fn overdue_under(db: &Db, path: &str) -> AppResult<Vec<Overdue>> {
    let pool = db.reader();
    let schedules = store::schedules_around(pool, path).await?;
    if schedules.is_empty() {
        return Ok(Vec::new());
    }
    let today = china_today();
    let list = studios::online_under(pool, path, i64::MAX).await?;
    // Group the studios by the period they owe, so each period is one query.
    let mut owing: Vec<(String, String, String, Vec<&crate::store::studios::Studio>)> = Vec::new();
    for s in &list {
        let Some(sch) = nearest(&schedules, &s.org_path) else {
            continue;
        };
        // A period due before the schedule was set is not chased.
        let Some(span) = chased(sch, today) else {
            continue;
        };
        let due = span.due(sch.due_day).to_string();
        match owing
            .iter_mut()
            .find(|(k, _, d, _)| *k == span.key() && *d == due)
        {
            Some((_, _, _, studios)) => studios.push(s),
            None => owing.push((span.key(), span.label_zh(), due, vec![s])),
        }
    }
    let mut out = Vec::new();
    for (key, label, due, group) in owing {
        let ids: Vec<i64> = group.iter().map(|s| s.id).collect();
        let done = store::reported_in(pool, &ids, &key).await?;
        let reminded = store::reminded(pool, &ids, &key).await?;
        for s in group.into_iter().filter(|s| !done.contains(&s.id)) {
            out.push(Overdue {
                studio_id: s.id,
                studio_name: s.name.clone(),
                unit_id: s.org_id,
                unit_name: s.org_name.clone(),
                leader_id: s.leader_id,
                leader_name: s.leader_name.clone(),
                period_key: key.clone(),
                period_label: label.clone(),
                due_on: due.clone(),
                reminded: reminded.contains(&s.id),
            });
        }
    }
    out.sort_by(|a, b| (&a.due_on, &a.studio_name).cmp(&(&b.due_on, &b.studio_name)));
    Ok(out)
}
