//! Courses (在线学习), their lessons, enrolments and per-lesson progress.

use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use super::hosts::HostIds;
use super::{Tx, is_unique_violation, now_ms, rfc3339};

#[derive(Debug, Clone)]
pub struct Course {
    pub id: i64,
    pub studio_id: Option<i64>,
    pub alliance_id: Option<i64>,
    /// The hosting union, if a union hosts it.
    pub org_id: Option<i64>,
    pub host_name: String,
    pub author_id: i64,
    pub title: String,
    pub description: String,
    pub lesson_count: i64,
    pub enrolled: i64,
    pub created_at: String,
}

const SELECT: &str = "SELECT c.id, c.studio_id, c.alliance_id, c.org_id, \
    COALESCE(s.name, a.name, o.name, '') AS host_name, c.author_id, c.title, c.description, c.created_at, \
    (SELECT COUNT(*) FROM lessons l WHERE l.course_id = c.id) AS lesson_count, \
    (SELECT COUNT(*) FROM enrolments e WHERE e.course_id = c.id) AS enrolled \
    FROM courses c LEFT JOIN studios s ON s.id = c.studio_id LEFT JOIN alliances a ON a.id = c.alliance_id \
    LEFT JOIN orgs o ON o.id = c.org_id";

fn course(r: &AnyRow) -> sqlx::Result<Course> {
    Ok(Course {
        id: r.try_get("id")?,
        studio_id: r.try_get("studio_id")?,
        alliance_id: r.try_get("alliance_id")?,
        org_id: r.try_get("org_id")?,
        host_name: r.try_get("host_name")?,
        author_id: r.try_get("author_id")?,
        title: r.try_get("title")?,
        description: r.try_get("description")?,
        lesson_count: r.try_get("lesson_count")?,
        enrolled: r.try_get("enrolled")?,
        created_at: rfc3339(r.try_get("created_at")?),
    })
}

#[derive(Debug, Clone)]
pub struct Lesson {
    pub n: i64,
    pub title: String,
    pub body_or_url: String,
    pub minutes: i64,
}

pub async fn insert(
    tx: &mut Tx,
    host: HostIds,
    author_id: i64,
    title: &str,
    description: &str,
) -> sqlx::Result<i64> {
    sqlx::query(
        "INSERT INTO courses (studio_id, alliance_id, org_id, author_id, title, description, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(host.studio_id)
    .bind(host.alliance_id)
    .bind(host.org_id)
    .bind(author_id)
    .bind(title)
    .bind(description)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)
}

pub async fn add_lesson(tx: &mut Tx, course_id: i64, l: &Lesson) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO lessons (course_id, n, title, body_or_url, minutes) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(course_id)
    .bind(l.n)
    .bind(&l.title)
    .bind(&l.body_or_url)
    .bind(l.minutes)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn find(pool: &AnyPool, id: i64) -> sqlx::Result<Option<Course>> {
    let sql = format!("{SELECT} WHERE c.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(pool)
        .await?
        .as_ref()
        .map(course)
        .transpose()
}

/// Courses of a host (or all), newest first.
pub async fn list(
    pool: &AnyPool,
    host: HostIds,
    before_id: Option<i64>,
    limit: i64,
) -> sqlx::Result<Vec<Course>> {
    let mut sql = format!("{SELECT} WHERE c.id < $1");
    sql.push_str(&host.filter("c"));
    sql.push_str(" ORDER BY c.id DESC LIMIT $2");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(before_id.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(pool)
        .await?;
    rows.iter().map(course).collect()
}

pub async fn lessons(pool: &AnyPool, course_id: i64) -> sqlx::Result<Vec<Lesson>> {
    let rows = sqlx::query(
        "SELECT n, title, body_or_url, minutes FROM lessons WHERE course_id = $1 ORDER BY n",
    )
    .bind(course_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Lesson {
                n: r.try_get(0)?,
                title: r.try_get(1)?,
                body_or_url: r.try_get(2)?,
                minutes: r.try_get(3)?,
            })
        })
        .collect()
}

/// Enrols; `false` when already enrolled.
pub async fn enrol(tx: &mut Tx, course_id: i64, user_id: i64) -> sqlx::Result<bool> {
    let res =
        sqlx::query("INSERT INTO enrolments (course_id, user_id, enrolled_at) VALUES ($1, $2, $3)")
            .bind(course_id)
            .bind(user_id)
            .bind(now_ms())
            .execute(&mut **tx)
            .await;
    match res {
        Ok(_) => Ok(true),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

pub async fn is_enrolled(pool: &AnyPool, course_id: i64, user_id: i64) -> sqlx::Result<bool> {
    Ok(
        sqlx::query("SELECT 1 FROM enrolments WHERE course_id = $1 AND user_id = $2")
            .bind(course_id)
            .bind(user_id)
            .fetch_optional(pool)
            .await?
            .is_some(),
    )
}

/// Marks lesson `n` done (again is harmless) and returns how many lessons are done.
pub async fn complete_lesson(
    tx: &mut Tx,
    course_id: i64,
    user_id: i64,
    n: i64,
) -> sqlx::Result<i64> {
    sqlx::query(
        "INSERT INTO lesson_completions (course_id, user_id, n, completed_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (course_id, user_id, n) DO NOTHING",
    )
    .bind(course_id)
    .bind(user_id)
    .bind(n)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    sqlx::query("SELECT COUNT(*) FROM lesson_completions WHERE course_id = $1 AND user_id = $2")
        .bind(course_id)
        .bind(user_id)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)
}

/// The lessons a user has completed: (number, when, in ms), by number.
pub async fn completions(
    pool: &AnyPool,
    course_id: i64,
    user_id: i64,
) -> sqlx::Result<Vec<(i64, i64)>> {
    let rows = sqlx::query(
        "SELECT n, completed_at FROM lesson_completions WHERE course_id = $1 AND user_id = $2 \
         ORDER BY n",
    )
    .bind(course_id)
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}

/// The lesson numbers a user has completed.
pub async fn completed(pool: &AnyPool, course_id: i64, user_id: i64) -> sqlx::Result<Vec<i64>> {
    let rows = sqlx::query(
        "SELECT n FROM lesson_completions WHERE course_id = $1 AND user_id = $2 ORDER BY n",
    )
    .bind(course_id)
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    rows.iter().map(|r| r.try_get(0)).collect()
}
