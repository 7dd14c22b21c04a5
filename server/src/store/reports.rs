//! Progress reports (信息报送): schedules, reports (one per studio, alliance and period; urgent
//! ones any time) and the reminders sent for missing ones.

use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use crate::domain::reports::Period;
use crate::store::{Tx, is_unique_violation, lifecycle, now_ms, rfc3339};

/// A union's reporting schedule.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub org_id: i64,
    pub org_name: String,
    pub org_path: String,
    pub period: Period,
    pub due_day: i64,
    /// The day it was set (`YYYY-MM-DD`): periods due before it are not chased.
    pub set_on: String,
}

fn schedule(r: &AnyRow) -> sqlx::Result<Schedule> {
    Ok(Schedule {
        org_id: r.try_get("org_id")?,
        org_name: r.try_get("org_name")?,
        org_path: r.try_get("org_path")?,
        period: lifecycle(r.try_get("period")?, Period::parse)?,
        due_day: r.try_get("due_day")?,
        set_on: r.try_get("set_on")?,
    })
}

const SCHEDULE: &str = "SELECT c.org_id, o.name AS org_name, o.path AS org_path, c.period, \
    c.due_day, c.set_on FROM report_schedules c JOIN orgs o ON o.id = c.org_id";

/// Sets (or replaces) an org's schedule, in one statement (two staff setting it at once do
/// not collide).
pub async fn set_schedule(
    tx: &mut Tx,
    org_id: i64,
    period: Period,
    due_day: i64,
    by: i64,
    today: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO report_schedules (org_id, period, due_day, set_by, set_on, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (org_id) DO UPDATE SET \
         period = excluded.period, due_day = excluded.due_day, set_by = excluded.set_by, \
         set_on = excluded.set_on, updated_at = excluded.updated_at",
    )
    .bind(org_id)
    .bind(period.code())
    .bind(due_day)
    .bind(by)
    .bind(today)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The schedules of the orgs in the subtree at `path` and of its ancestors.
pub async fn schedules_around(pool: &AnyPool, path: &str) -> sqlx::Result<Vec<Schedule>> {
    let sql = format!("{SCHEDULE} WHERE o.path LIKE $1 || '%' OR $1 LIKE o.path || '%'");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(path)
        .fetch_all(pool)
        .await?;
    rows.iter().map(schedule).collect()
}

/// The schedule that applies at `unit_path`: the nearest org above it (or itself) that set one.
pub fn nearest<'a>(schedules: &'a [Schedule], unit_path: &str) -> Option<&'a Schedule> {
    schedules
        .iter()
        .filter(|s| unit_path.starts_with(s.org_path.as_str()))
        .max_by_key(|s| s.org_path.len())
}

/// A filed report with the names the lists show.
#[derive(Debug, Clone)]
pub struct Report {
    pub id: i64,
    pub studio_id: i64,
    pub studio_name: String,
    pub alliance_id: Option<i64>,
    pub alliance_name: Option<String>,
    pub unit_name: String,
    pub unit_path: String,
    /// Empty for an urgent report.
    pub period_key: String,
    pub period_label: String,
    pub urgent: bool,
    pub progress: String,
    pub problems: String,
    pub suggestions: String,
    pub filed_by: i64,
    pub filed_by_name: String,
    pub created_at: String,
}

pub struct NewReport<'a> {
    pub studio_id: i64,
    pub alliance_id: Option<i64>,
    pub period_key: &'a str,
    pub period_label: &'a str,
    pub urgent: bool,
    pub progress: &'a str,
    pub problems: &'a str,
    pub suggestions: &'a str,
    pub filed_by: i64,
}

const SELECT: &str = "SELECT r.id, r.studio_id, s.name AS studio_name, r.alliance_id, \
    a.name AS alliance_name, o.name AS unit_name, o.path AS unit_path, r.period_key, \
    r.period_label, r.urgent, r.progress, r.problems, r.suggestions, r.filed_by, \
    u.display_name AS filed_by_name, r.created_at FROM reports r \
    JOIN studios s ON s.id = r.studio_id JOIN orgs o ON o.id = s.org_id \
    LEFT JOIN alliances a ON a.id = r.alliance_id JOIN users u ON u.id = r.filed_by";

fn report(r: &AnyRow) -> sqlx::Result<Report> {
    let urgent: i64 = r.try_get("urgent")?;
    Ok(Report {
        id: r.try_get("id")?,
        studio_id: r.try_get("studio_id")?,
        studio_name: r.try_get("studio_name")?,
        alliance_id: r.try_get("alliance_id")?,
        alliance_name: r.try_get("alliance_name")?,
        unit_name: r.try_get("unit_name")?,
        unit_path: r.try_get("unit_path")?,
        period_key: r.try_get("period_key")?,
        period_label: r.try_get("period_label")?,
        urgent: urgent == 1,
        progress: r.try_get("progress")?,
        problems: r.try_get("problems")?,
        suggestions: r.try_get("suggestions")?,
        filed_by: r.try_get("filed_by")?,
        filed_by_name: r.try_get("filed_by_name")?,
        created_at: rfc3339(r.try_get("created_at")?),
    })
}

/// Files a report; `Ok(None)` when this studio (or alliance) already reported the period.
pub async fn insert(tx: &mut Tx, n: &NewReport<'_>) -> sqlx::Result<Option<i64>> {
    let res = sqlx::query(
        "INSERT INTO reports (studio_id, alliance_id, period_key, period_label, urgent, progress, \
         problems, suggestions, filed_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(n.studio_id)
    .bind(n.alliance_id)
    .bind(n.period_key)
    .bind(n.period_label)
    .bind(i64::from(n.urgent))
    .bind(n.progress)
    .bind(n.problems)
    .bind(n.suggestions)
    .bind(n.filed_by)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await;
    match res {
        Ok(row) => Ok(Some(row.try_get(0)?)),
        Err(e) if is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

pub async fn find(pool: &AnyPool, id: i64) -> sqlx::Result<Option<Report>> {
    let sql = format!("{SELECT} WHERE r.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(pool)
        .await?
        .map(|r| report(&r))
        .transpose()
}

pub async fn find_in(tx: &mut Tx, id: i64) -> sqlx::Result<Option<Report>> {
    let sql = format!("{SELECT} WHERE r.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| report(&r))
        .transpose()
}

/// The periods a studio (for itself, or for an alliance it leads) has reported.
pub async fn reported(
    pool: &AnyPool,
    studio_id: i64,
    alliance_id: Option<i64>,
) -> sqlx::Result<Vec<String>> {
    let rows = sqlx::query(
        "SELECT period_key FROM reports WHERE studio_id = $1 AND COALESCE(alliance_id, 0) = $2 \
         AND urgent = 0",
    )
    .bind(studio_id)
    .bind(alliance_id.unwrap_or(0))
    .fetch_all(pool)
    .await?;
    rows.iter().map(|r| r.try_get(0)).collect()
}

/// Which of these studios reported for themselves in `period_key`.
pub async fn reported_in(
    pool: &AnyPool,
    studio_ids: &[i64],
    period_key: &str,
) -> sqlx::Result<Vec<i64>> {
    if studio_ids.is_empty() {
        return Ok(Vec::new());
    }
    // Ids are integers: safe to inline.
    let ids: Vec<String> = studio_ids.iter().map(i64::to_string).collect();
    let sql = format!(
        "SELECT studio_id FROM reports WHERE studio_id IN ({}) AND alliance_id IS NULL \
         AND urgent = 0 AND period_key = $1",
        ids.join(", ")
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(period_key)
        .fetch_all(pool)
        .await?;
    rows.iter().map(|r| r.try_get(0)).collect()
}

/// What a list of reports is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Reports of studios hosted under this org.
    pub org_path: Option<String>,
    pub studio_id: Option<i64>,
    pub urgent: Option<bool>,
}

/// Reports newest first (at most 200): of studios hosted under one of `paths` or of `studios`
/// (the reader's scope; `all` for platform admins).
pub async fn list(
    pool: &AnyPool,
    all: bool,
    paths: &[String],
    studios: &[i64],
    f: &Filter,
) -> sqlx::Result<Vec<Report>> {
    let mut texts: Vec<String> = Vec::new();
    let mut scope: Vec<String> = Vec::new();
    for p in paths {
        texts.push(p.clone());
        scope.push(format!("o.path LIKE ${} || '%'", texts.len()));
    }
    if !studios.is_empty() {
        let ids: Vec<String> = studios.iter().map(i64::to_string).collect();
        scope.push(format!("r.studio_id IN ({})", ids.join(", ")));
    }
    let scope = if all {
        "TRUE".to_owned()
    } else if scope.is_empty() {
        return Ok(Vec::new());
    } else {
        format!("({})", scope.join(" OR "))
    };
    let mut and = String::new();
    if let Some(p) = &f.org_path {
        texts.push(p.clone());
        and.push_str(&format!(" AND o.path LIKE ${} || '%'", texts.len()));
    }
    if let Some(s) = f.studio_id {
        and.push_str(&format!(" AND r.studio_id = {s}"));
    }
    if let Some(u) = f.urgent {
        and.push_str(&format!(" AND r.urgent = {}", i64::from(u)));
    }
    let sql = format!("{SELECT} WHERE {scope}{and} ORDER BY r.id DESC LIMIT 200");
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for t in texts {
        q = q.bind(t);
    }
    let rows = q.fetch_all(pool).await?;
    rows.iter().map(report).collect()
}

/// Records the reminder for a missing report; false when it was already sent.
pub async fn remind_once(tx: &mut Tx, studio_id: i64, period_key: &str) -> sqlx::Result<bool> {
    let res = sqlx::query(
        "INSERT INTO report_reminders (studio_id, period_key, sent_at) VALUES ($1, $2, $3)",
    )
    .bind(studio_id)
    .bind(period_key)
    .bind(now_ms())
    .execute(&mut **tx)
    .await;
    match res {
        Ok(_) => Ok(true),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The studios reminded of `period_key` among these.
pub async fn reminded(
    pool: &AnyPool,
    studio_ids: &[i64],
    period_key: &str,
) -> sqlx::Result<Vec<i64>> {
    if studio_ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = studio_ids.iter().map(i64::to_string).collect();
    let sql = format!(
        "SELECT studio_id FROM report_reminders WHERE studio_id IN ({}) AND period_key = $1",
        ids.join(", ")
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(period_key)
        .fetch_all(pool)
        .await?;
    rows.iter().map(|r| r.try_get(0)).collect()
}
