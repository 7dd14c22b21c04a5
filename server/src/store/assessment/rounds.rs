//! Assessment rounds: a union's annual or two-year assessment of the studios it named.

use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use crate::domain::assessment::RoundKind;
use crate::store::{Tx, is_unique_violation, lifecycle, now_ms, rfc3339};

#[derive(Debug, Clone)]
pub struct Round {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub org_path: String,
    pub kind: RoundKind,
    pub year: i64,
    pub title: String,
    /// The self-evaluations are due by this day.
    pub due_on: String,
    pub created_at: String,
}

pub struct NewRound<'a> {
    pub org_id: i64,
    pub kind: RoundKind,
    pub year: i64,
    pub title: &'a str,
    pub due_on: &'a str,
    pub created_by: i64,
}

const SELECT_ROUND: &str = "SELECT r.id, r.org_id, o.name AS org_name, o.path AS org_path, \
    r.kind, r.year, r.title, r.due_on, r.created_at \
    FROM assessment_rounds r JOIN orgs o ON o.id = r.org_id";

fn round(r: &AnyRow) -> sqlx::Result<Round> {
    Ok(Round {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        org_name: r.try_get("org_name")?,
        org_path: r.try_get("org_path")?,
        kind: lifecycle(r.try_get("kind")?, RoundKind::parse)?,
        year: r.try_get("year")?,
        title: r.try_get("title")?,
        due_on: r.try_get("due_on")?,
        created_at: rfc3339(r.try_get("created_at")?),
    })
}

/// A new round; `Ok(None)` when the org already has a round of this kind for the year.
pub async fn insert_round(tx: &mut Tx, r: &NewRound<'_>) -> sqlx::Result<Option<i64>> {
    let res = sqlx::query(
        "INSERT INTO assessment_rounds (org_id, kind, year, title, due_on, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(r.org_id)
    .bind(r.kind.code())
    .bind(r.year)
    .bind(r.title)
    .bind(r.due_on)
    .bind(r.created_by)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await;
    match res {
        Ok(row) => Ok(Some(row.try_get(0)?)),
        Err(e) if is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

pub async fn find_round(pool: &AnyPool, id: i64) -> sqlx::Result<Option<Round>> {
    let sql = format!("{SELECT_ROUND} WHERE r.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(pool)
        .await?
        .map(|r| round(&r))
        .transpose()
}

/// Rounds, newest first; of one org when given.
pub async fn rounds(pool: &AnyPool, org_id: Option<i64>) -> sqlx::Result<Vec<Round>> {
    let sql = match org_id {
        // Integers cannot carry SQL.
        Some(o) => format!("{SELECT_ROUND} WHERE r.org_id = {o} ORDER BY r.id DESC LIMIT 100"),
        None => format!("{SELECT_ROUND} ORDER BY r.id DESC LIMIT 100"),
    };
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(pool)
        .await?;
    rows.iter().map(round).collect()
}
