//! Honour recommendations (荣誉推荐) and their results.

use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use super::{Tx, is_unique_violation, now_ms, rfc3339};
use crate::domain::honours::HonourStatus;

/// A recommendation with the names the lists show. Exactly one of the subjects is set.
#[derive(Debug, Clone)]
pub struct HonourRecord {
    pub id: i64,
    /// The recommending union.
    pub org_id: i64,
    pub org_name: String,
    pub org_path: String,
    pub honour: String,
    pub level: String,
    pub year: i64,
    pub user_id: Option<i64>,
    pub user_name: Option<String>,
    pub studio_id: Option<i64>,
    pub studio_name: Option<String>,
    pub outcome_id: Option<i64>,
    pub outcome_title: Option<String>,
    pub reason: String,
    pub status: HonourStatus,
    pub note: String,
    pub recorded_by: i64,
    pub recorded_by_name: String,
    pub created_at: String,
}

impl HonourRecord {
    /// The subject's name, whichever kind it is.
    pub fn subject_name(&self) -> &str {
        self.user_name
            .as_deref()
            .or(self.studio_name.as_deref())
            .or(self.outcome_title.as_deref())
            .unwrap_or_default()
    }
}

pub struct NewHonour<'a> {
    pub org_id: i64,
    pub honour: &'a str,
    pub level: &'a str,
    pub year: i64,
    pub user_id: Option<i64>,
    pub studio_id: Option<i64>,
    pub outcome_id: Option<i64>,
    pub reason: &'a str,
    pub recorded_by: i64,
}

const SELECT: &str = "SELECT h.id, h.org_id, o.name AS org_name, o.path AS org_path, h.honour, \
    h.level, h.year, h.user_id, u.display_name AS user_name, h.studio_id, s.name AS studio_name, \
    h.outcome_id, x.title AS outcome_title, h.reason, h.status, h.note, h.recorded_by, \
    r.display_name AS recorded_by_name, h.created_at FROM honours h \
    JOIN orgs o ON o.id = h.org_id JOIN users r ON r.id = h.recorded_by \
    LEFT JOIN users u ON u.id = h.user_id LEFT JOIN studios s ON s.id = h.studio_id \
    LEFT JOIN outcomes x ON x.id = h.outcome_id";

fn record(r: &AnyRow) -> sqlx::Result<HonourRecord> {
    let status: String = r.try_get("status")?;
    Ok(HonourRecord {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        org_name: r.try_get("org_name")?,
        org_path: r.try_get("org_path")?,
        honour: r.try_get("honour")?,
        level: r.try_get("level")?,
        year: r.try_get("year")?,
        user_id: r.try_get("user_id")?,
        user_name: r.try_get("user_name")?,
        studio_id: r.try_get("studio_id")?,
        studio_name: r.try_get("studio_name")?,
        outcome_id: r.try_get("outcome_id")?,
        outcome_title: r.try_get("outcome_title")?,
        reason: r.try_get("reason")?,
        status: HonourStatus::parse(&status).unwrap_or(HonourStatus::Recommended),
        note: r.try_get("note")?,
        recorded_by: r.try_get("recorded_by")?,
        recorded_by_name: r.try_get("recorded_by_name")?,
        created_at: rfc3339(r.try_get("created_at")?),
    })
}

/// Records a recommendation; `Ok(None)` when the subject is already recommended for the same
/// honour at the same level that year.
pub async fn insert(tx: &mut Tx, n: &NewHonour<'_>) -> sqlx::Result<Option<i64>> {
    let now = now_ms();
    let res = sqlx::query(
        "INSERT INTO honours (org_id, honour, level, year, user_id, studio_id, outcome_id, \
         reason, recorded_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(n.org_id)
    .bind(n.honour)
    .bind(n.level)
    .bind(n.year)
    .bind(n.user_id)
    .bind(n.studio_id)
    .bind(n.outcome_id)
    .bind(n.reason)
    .bind(n.recorded_by)
    .bind(now)
    .fetch_one(&mut **tx)
    .await;
    match res {
        Ok(row) => Ok(Some(row.try_get(0)?)),
        Err(e) if is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

pub async fn find(pool: &AnyPool, id: i64) -> sqlx::Result<Option<HonourRecord>> {
    let sql = format!("{SELECT} WHERE h.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(pool)
        .await?
        .map(|r| record(&r))
        .transpose()
}

pub async fn find_in(tx: &mut Tx, id: i64) -> sqlx::Result<Option<HonourRecord>> {
    let sql = format!("{SELECT} WHERE h.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| record(&r))
        .transpose()
}

/// Records the result of a recommendation still open; false when it was already decided.
pub async fn decide(
    tx: &mut Tx,
    id: i64,
    status: HonourStatus,
    note: &str,
    by: i64,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE honours SET status = $1, note = $2, decided_by = $3, updated_at = $4 \
         WHERE id = $5 AND status = 'recommended'",
    )
    .bind(status.code())
    .bind(note)
    .bind(by)
    .bind(now_ms())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether the user is a member of a studio hosted under `path`.
pub async fn is_member_under(pool: &AnyPool, user_id: i64, path: &str) -> sqlx::Result<bool> {
    let row = sqlx::query(
        "SELECT COUNT(*) FROM studio_members m JOIN studios s ON s.id = m.studio_id \
         JOIN orgs o ON o.id = s.org_id WHERE m.user_id = $1 AND o.path LIKE $2 || '%'",
    )
    .bind(user_id)
    .bind(path)
    .fetch_one(pool)
    .await?;
    Ok(row.try_get::<i64, _>(0)? > 0)
}

/// What a list of honours is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Recommended by this org or one below it.
    pub org_path: Option<String>,
    pub year: Option<i64>,
    pub status: Option<HonourStatus>,
    /// For this person.
    pub user_id: Option<i64>,
    /// For this studio or one of its outcomes.
    pub studio_id: Option<i64>,
}

/// The reader's scope: recommendations made under one of `paths` (their unions), or for them
/// or for one of `studios` (their own) and its outcomes; everything for platform admins.
pub struct Scope<'a> {
    pub all: bool,
    pub paths: &'a [String],
    pub user_id: i64,
    pub studios: &'a [i64],
}

/// Recommendations newest first, at most `limit`.
pub async fn list(
    pool: &AnyPool,
    scope: &Scope<'_>,
    f: &Filter,
    limit: i64,
) -> sqlx::Result<Vec<HonourRecord>> {
    let mut texts: Vec<String> = Vec::new();
    let mut any: Vec<String> = vec![format!("h.user_id = {}", scope.user_id)];
    for p in scope.paths {
        texts.push(p.clone());
        any.push(format!("o.path LIKE ${} || '%'", texts.len()));
    }
    if !scope.studios.is_empty() {
        // Ids are integers: safe to inline.
        let ids: Vec<String> = scope.studios.iter().map(i64::to_string).collect();
        let ids = ids.join(", ");
        any.push(format!("h.studio_id IN ({ids}) OR x.studio_id IN ({ids})"));
    }
    let scope_sql = if scope.all {
        "TRUE".to_owned()
    } else {
        format!("({})", any.join(" OR "))
    };
    let mut and = String::new();
    if let Some(p) = &f.org_path {
        texts.push(p.clone());
        and.push_str(&format!(" AND o.path LIKE ${} || '%'", texts.len()));
    }
    if let Some(y) = f.year {
        and.push_str(&format!(" AND h.year = {y}"));
    }
    if let Some(s) = f.status {
        and.push_str(&format!(" AND h.status = '{}'", s.code()));
    }
    if let Some(u) = f.user_id {
        and.push_str(&format!(" AND h.user_id = {u}"));
    }
    if let Some(s) = f.studio_id {
        and.push_str(&format!(" AND (h.studio_id = {s} OR x.studio_id = {s})"));
    }
    let sql = format!("{SELECT} WHERE {scope_sql}{and} ORDER BY h.id DESC LIMIT {limit}");
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for t in texts {
        q = q.bind(t);
    }
    let rows = q.fetch_all(pool).await?;
    rows.iter().map(record).collect()
}

/// The honours of each of these people (awarded and recommended), for the talent list:
/// `(user id, honour code, level, year, status)`.
pub async fn of_people(
    pool: &AnyPool,
    user_ids: &[i64],
) -> sqlx::Result<Vec<(i64, String, String, i64, String)>> {
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = user_ids.iter().map(i64::to_string).collect();
    let sql = format!(
        "SELECT user_id, honour, level, year, status FROM honours \
         WHERE user_id IN ({}) AND status <> 'not_awarded' ORDER BY year DESC, id DESC",
        ids.join(", ")
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get(0)?,
                r.try_get(1)?,
                r.try_get(2)?,
                r.try_get(3)?,
                r.try_get(4)?,
            ))
        })
        .collect()
}
