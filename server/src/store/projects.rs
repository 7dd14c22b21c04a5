//! A studio's own projects (课题), their teams and their timelines.

use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use super::challenges::Event;
use super::{Tx, lifecycle, now_ms, rfc3339};
use crate::domain::project::ProjectStatus;

#[derive(Debug, Clone)]
pub struct Project {
    pub id: i64,
    pub studio_id: i64,
    pub studio_name: String,
    /// The studio's host unit's place in the tree (the unions above it see the project).
    pub studio_org_path: String,
    pub author_id: i64,
    pub title: String,
    pub description: String,
    pub industry: String,
    pub plan: String,
    pub status: ProjectStatus,
    pub percent: i64,
    pub summary: String,
    /// The challenge it was opened as, if it was.
    pub challenge_id: Option<i64>,
    /// The outcome it became, if it did.
    pub outcome_id: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
}

const SELECT: &str = "SELECT p.id, p.studio_id, s.name AS studio_name, o.path AS org_path, \
    p.author_id, p.title, p.description, p.industry, p.plan, p.status, p.percent, p.summary, \
    p.challenge_id, p.outcome_id, p.created_at, p.updated_at \
    FROM projects p JOIN studios s ON s.id = p.studio_id JOIN orgs o ON o.id = s.org_id";

fn project(r: &AnyRow) -> sqlx::Result<Project> {
    Ok(Project {
        id: r.try_get("id")?,
        studio_id: r.try_get("studio_id")?,
        studio_name: r.try_get("studio_name")?,
        studio_org_path: r.try_get("org_path")?,
        author_id: r.try_get("author_id")?,
        title: r.try_get("title")?,
        description: r.try_get("description")?,
        industry: r.try_get("industry")?,
        plan: r.try_get("plan")?,
        status: lifecycle(r.try_get("status")?, ProjectStatus::parse)?,
        percent: r.try_get("percent")?,
        summary: r.try_get("summary")?,
        challenge_id: r.try_get("challenge_id")?,
        outcome_id: r.try_get("outcome_id")?,
        created_at: rfc3339(r.try_get("created_at")?),
        updated_at: rfc3339(r.try_get("updated_at")?),
    })
}

/// A project's fields as the studio writes them.
#[derive(Debug)]
pub struct ProjectFields<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub industry: &'a str,
    pub plan: &'a str,
}

pub async fn insert(
    tx: &mut Tx,
    studio_id: i64,
    author_id: i64,
    f: &ProjectFields<'_>,
) -> sqlx::Result<i64> {
    let now = now_ms();
    sqlx::query(
        "INSERT INTO projects (studio_id, author_id, title, description, industry, plan, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(studio_id)
    .bind(author_id)
    .bind(f.title)
    .bind(f.description)
    .bind(f.industry)
    .bind(f.plan)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)
}

pub async fn update(tx: &mut Tx, id: i64, f: &ProjectFields<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE projects SET title = $1, description = $2, industry = $3, plan = $4, \
         updated_at = $5 WHERE id = $6",
    )
    .bind(f.title)
    .bind(f.description)
    .bind(f.industry)
    .bind(f.plan)
    .bind(now_ms())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Sets the team to exactly these people.
pub async fn set_team(tx: &mut Tx, id: i64, user_ids: &[i64]) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM project_members WHERE project_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for user in user_ids {
        sqlx::query("INSERT INTO project_members (project_id, user_id) VALUES ($1, $2)")
            .bind(id)
            .bind(user)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The team: (user id, display name), by name.
pub async fn team(pool: &AnyPool, id: i64) -> sqlx::Result<Vec<(i64, String)>> {
    let rows = sqlx::query(
        "SELECT u.id, u.display_name FROM project_members m JOIN users u ON u.id = m.user_id \
         WHERE m.project_id = $1 ORDER BY u.display_name, u.id",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}

pub async fn find(pool: &AnyPool, id: i64) -> sqlx::Result<Option<Project>> {
    let sql = format!("{SELECT} WHERE p.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(pool)
        .await?
        .map(|r| project(&r))
        .transpose()
}

/// A studio's projects, newest first.
pub async fn of_studio(pool: &AnyPool, studio_id: i64) -> sqlx::Result<Vec<Project>> {
    let sql = format!("{SELECT} WHERE p.studio_id = $1 ORDER BY p.id DESC");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(studio_id)
        .fetch_all(pool)
        .await?;
    rows.iter().map(project).collect()
}

/// Moves a project from `from` to `to`, with its progress, summary or links where given;
/// `false` when it was no longer in `from`.
pub async fn step(
    tx: &mut Tx,
    id: i64,
    from: ProjectStatus,
    to: ProjectStatus,
    change: &StepChange<'_>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE projects SET status = $1, percent = COALESCE($2, percent), \
         summary = COALESCE($3, summary), challenge_id = COALESCE($4, challenge_id), \
         outcome_id = COALESCE($5, outcome_id), updated_at = $6 \
         WHERE id = $7 AND status = $8",
    )
    .bind(to.code())
    .bind(change.percent)
    .bind(change.summary)
    .bind(change.challenge_id)
    .bind(change.outcome_id)
    .bind(now_ms())
    .bind(id)
    .bind(from.code())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// What a step changes besides the status.
#[derive(Debug, Default)]
pub struct StepChange<'a> {
    pub percent: Option<i64>,
    pub summary: Option<&'a str>,
    pub challenge_id: Option<i64>,
    pub outcome_id: Option<i64>,
}

pub async fn add_event(
    tx: &mut Tx,
    id: i64,
    author_id: i64,
    kind: &str,
    body: &str,
    percent: Option<i64>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO project_events (project_id, author_id, kind, body, percent, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(author_id)
    .bind(kind)
    .bind(body)
    .bind(percent)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The timeline, oldest first.
pub async fn events(pool: &AnyPool, id: i64) -> sqlx::Result<Vec<Event>> {
    let rows = sqlx::query(
        "SELECT e.id, e.author_id, u.display_name, e.kind, e.body, e.percent, e.created_at \
         FROM project_events e JOIN users u ON u.id = e.author_id WHERE e.project_id = $1 \
         ORDER BY e.id",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Event {
                id: r.try_get(0)?,
                author_id: r.try_get(1)?,
                author_name: r.try_get(2)?,
                kind: r.try_get(3)?,
                body: r.try_get(4)?,
                percent: r.try_get(5)?,
                created_at: rfc3339(r.try_get(6)?),
            })
        })
        .collect()
}
