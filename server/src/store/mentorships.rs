//! Mentorships (师带徒), their session log, and the talent-cultivation record (人才培养数据库).

use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use super::{Tx, lifecycle, now_ms, rfc3339};
use crate::domain::challenge::ClaimStatus;
use crate::domain::mentorship::MentorshipStatus;

#[derive(Debug, Clone)]
pub struct Mentorship {
    pub id: i64,
    pub studio_id: i64,
    pub studio_name: String,
    pub mentor_id: i64,
    pub mentor_name: String,
    pub apprentice_id: i64,
    pub apprentice_name: String,
    pub skill: String,
    pub goals: String,
    pub plan: String,
    pub starts_on: String,
    pub ends_on: String,
    pub status: MentorshipStatus,
    pub evaluation: String,
    /// excellent, good, pass or fail once completed.
    pub grade: String,
    /// Hours logged so far.
    pub hours: f64,
    pub created_at: String,
}

const SELECT: &str = "SELECT m.id, m.studio_id, s.name AS studio_name, m.mentor_id, \
    mu.display_name AS mentor_name, m.apprentice_id, au.display_name AS apprentice_name, m.skill, \
    m.goals, m.plan, m.starts_on, m.ends_on, m.status, m.evaluation, m.grade, m.created_at, \
    (SELECT CAST(COALESCE(SUM(l.minutes), 0) AS BIGINT) FROM mentorship_logs l WHERE l.mentorship_id = m.id) AS minutes \
    FROM mentorships m JOIN studios s ON s.id = m.studio_id \
    JOIN users mu ON mu.id = m.mentor_id JOIN users au ON au.id = m.apprentice_id";

fn mentorship(r: &AnyRow) -> sqlx::Result<Mentorship> {
    let minutes: i64 = r.try_get("minutes")?;
    Ok(Mentorship {
        id: r.try_get("id")?,
        studio_id: r.try_get("studio_id")?,
        studio_name: r.try_get("studio_name")?,
        mentor_id: r.try_get("mentor_id")?,
        mentor_name: r.try_get("mentor_name")?,
        apprentice_id: r.try_get("apprentice_id")?,
        apprentice_name: r.try_get("apprentice_name")?,
        skill: r.try_get("skill")?,
        goals: r.try_get("goals")?,
        plan: r.try_get("plan")?,
        starts_on: r.try_get("starts_on")?,
        ends_on: r.try_get("ends_on")?,
        status: lifecycle(r.try_get("status")?, MentorshipStatus::parse)?,
        evaluation: r.try_get("evaluation")?,
        grade: r.try_get("grade")?,
        hours: minutes as f64 / 60.0,
        created_at: rfc3339(r.try_get("created_at")?),
    })
}

#[derive(Debug)]
pub struct NewMentorship<'a> {
    pub studio_id: i64,
    pub mentor_id: i64,
    pub apprentice_id: i64,
    pub skill: &'a str,
    pub goals: &'a str,
    pub plan: &'a str,
    pub starts_on: &'a str,
    pub ends_on: &'a str,
    pub created_by: i64,
}

#[tracing::instrument(skip(tx, m))]
pub async fn insert(tx: &mut Tx, m: &NewMentorship<'_>) -> sqlx::Result<i64> {
    sqlx::query(
        "INSERT INTO mentorships (studio_id, mentor_id, apprentice_id, skill, goals, plan, \
         starts_on, ends_on, status, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'active', $9, $10) RETURNING id",
    )
    .bind(m.studio_id)
    .bind(m.mentor_id)
    .bind(m.apprentice_id)
    .bind(m.skill)
    .bind(m.goals)
    .bind(m.plan)
    .bind(m.starts_on)
    .bind(m.ends_on)
    .bind(m.created_by)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)
}

pub async fn find(pool: &AnyPool, id: i64) -> sqlx::Result<Option<Mentorship>> {
    let sql = format!("{SELECT} WHERE m.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(pool)
        .await?
        .as_ref()
        .map(mentorship)
        .transpose()
}

/// Mentorships of a studio, or of every member studio of an alliance; newest first.
pub async fn list(
    pool: &AnyPool,
    studio_id: Option<i64>,
    alliance_id: Option<i64>,
    before_id: Option<i64>,
    limit: i64,
) -> sqlx::Result<Vec<Mentorship>> {
    let (condition, id) = scope(studio_id, alliance_id);
    let sql = format!("{SELECT} WHERE {condition} AND m.id < $2 ORDER BY m.id DESC LIMIT $3");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .bind(before_id.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(pool)
        .await?;
    rows.iter().map(mentorship).collect()
}

/// The mentorships of a studio, or of every member studio of an alliance: a condition on `m`
/// with `$1`, and the id to bind to it.
fn scope(studio_id: Option<i64>, alliance_id: Option<i64>) -> (&'static str, i64) {
    match (studio_id, alliance_id) {
        (None, Some(a)) => (
            "m.studio_id IN (SELECT studio_id FROM alliance_members WHERE alliance_id = $1)",
            a,
        ),
        // No studio matches id 0.
        (s, _) => ("m.studio_id = $1", s.unwrap_or(0)),
    }
}

#[derive(Debug, Clone)]
pub struct LogEntry {
    pub id: i64,
    pub author_id: i64,
    pub author_name: String,
    pub on: String,
    pub hours: f64,
    pub content: String,
}

pub async fn logs(pool: &AnyPool, mentorship_id: i64) -> sqlx::Result<Vec<LogEntry>> {
    let rows = sqlx::query(
        "SELECT l.id, l.author_id, u.display_name, l.on_date, l.minutes, l.content \
         FROM mentorship_logs l JOIN users u ON u.id = l.author_id \
         WHERE l.mentorship_id = $1 ORDER BY l.on_date DESC, l.id DESC",
    )
    .bind(mentorship_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(LogEntry {
                id: r.try_get(0)?,
                author_id: r.try_get(1)?,
                author_name: r.try_get(2)?,
                on: r.try_get(3)?,
                hours: r.try_get::<i64, _>(4)? as f64 / 60.0,
                content: r.try_get(5)?,
            })
        })
        .collect()
}

/// Logs a session, only while the mentorship is active; `Ok(None)` when it no longer is.
pub async fn add_log(
    tx: &mut Tx,
    mentorship_id: i64,
    author_id: i64,
    on: &str,
    minutes: i64,
    content: &str,
) -> sqlx::Result<Option<i64>> {
    let active = sqlx::query("SELECT 1 FROM mentorships WHERE id = $1 AND status = 'active'")
        .bind(mentorship_id)
        .fetch_optional(&mut **tx)
        .await?;
    if active.is_none() {
        return Ok(None);
    }
    let id = sqlx::query(
        "INSERT INTO mentorship_logs (mentorship_id, author_id, on_date, minutes, content, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(mentorship_id)
    .bind(author_id)
    .bind(on)
    .bind(minutes)
    .bind(content)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    Ok(Some(id))
}

/// Completes (or ends) an active mentorship; `false` when it was no longer active.
pub async fn finish(
    tx: &mut Tx,
    id: i64,
    status: MentorshipStatus,
    evaluation: &str,
    grade: &str,
) -> sqlx::Result<bool> {
    let res = sqlx::query(
        "UPDATE mentorships SET status = $1, evaluation = $2, grade = $3, completed_at = $4 \
         WHERE id = $5 AND status = 'active'",
    )
    .bind(status.code())
    .bind(evaluation)
    .bind(grade)
    .bind(now_ms())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(res.rows_affected() == 1)
}

/// The talent-cultivation record of a studio or an alliance.
#[derive(Debug, Clone, Default)]
pub struct TalentRecord {
    pub pairs: i64,
    pub active: i64,
    pub completed: i64,
    pub hours: f64,
    pub excellent: i64,
    pub good: i64,
    pub pass: i64,
    pub fail: i64,
}

pub async fn record(
    pool: &AnyPool,
    studio_id: Option<i64>,
    alliance_id: Option<i64>,
) -> sqlx::Result<TalentRecord> {
    let (condition, id) = scope(studio_id, alliance_id);
    let sql = format!(
        "SELECT COUNT(*), \
         COUNT(CASE WHEN m.status = 'active' THEN 1 END), \
         COUNT(CASE WHEN m.status = 'completed' THEN 1 END), \
         COUNT(CASE WHEN m.grade = 'excellent' THEN 1 END), \
         COUNT(CASE WHEN m.grade = 'good' THEN 1 END), \
         COUNT(CASE WHEN m.grade = 'pass' THEN 1 END), \
         COUNT(CASE WHEN m.grade = 'fail' THEN 1 END) \
         FROM mentorships m WHERE {}",
        condition
    );
    let r = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_one(pool)
        .await?;
    let minutes_sql = format!(
        "SELECT CAST(COALESCE(SUM(l.minutes), 0) AS BIGINT) FROM mentorship_logs l \
         JOIN mentorships m ON m.id = l.mentorship_id WHERE {}",
        condition
    );
    let minutes: i64 = sqlx::query(sqlx::AssertSqlSafe(minutes_sql))
        .bind(id)
        .fetch_one(pool)
        .await?
        .try_get(0)?;
    Ok(TalentRecord {
        pairs: r.try_get(0)?,
        active: r.try_get(1)?,
        completed: r.try_get(2)?,
        hours: minutes as f64 / 60.0,
        excellent: r.try_get(3)?,
        good: r.try_get(4)?,
        pass: r.try_get(5)?,
        fail: r.try_get(6)?,
    })
}

/// A challenge the apprentice worked on as a team member since the mentorship began.
#[derive(Debug, Clone)]
pub struct ApprenticeWork {
    pub challenge_id: i64,
    pub title: String,
    pub claim_status: ClaimStatus,
    pub share_percent: i64,
}

pub async fn apprentice_work(
    pool: &AnyPool,
    apprentice_id: i64,
    since_ms: i64,
) -> sqlx::Result<Vec<ApprenticeWork>> {
    let rows = sqlx::query(
        "SELECT c.id, c.title, cl.status, cm.share_percent FROM claim_members cm \
         JOIN claims cl ON cl.id = cm.claim_id JOIN challenges c ON c.id = cl.challenge_id \
         WHERE cm.user_id = $1 AND cl.created_at >= $2 ORDER BY cl.id DESC LIMIT 50",
    )
    .bind(apprentice_id)
    .bind(since_ms)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ApprenticeWork {
                challenge_id: r.try_get(0)?,
                title: r.try_get(1)?,
                claim_status: lifecycle(r.try_get(2)?, ClaimStatus::parse)?,
                share_percent: r.try_get(3)?,
            })
        })
        .collect()
}
