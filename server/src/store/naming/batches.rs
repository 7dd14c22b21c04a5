//! Naming batches: a union's yearly call, its kind, quota, window and conditions.

use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use crate::domain::naming::Category;
use crate::store::{Tx, lifecycle, now_ms, rfc3339};

#[derive(Debug, Clone)]
pub struct Batch {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub org_path: String,
    pub year: i64,
    pub title: String,
    pub category: Category,
    pub quota: i64,
    pub opens_on: String,
    pub closes_on: String,
    pub notice_days: i64,
    pub conditions: Vec<String>,
    pub created_at: String,
}

pub struct NewBatch<'a> {
    pub org_id: i64,
    pub year: i64,
    pub title: &'a str,
    pub category: Category,
    pub quota: i64,
    pub opens_on: &'a str,
    pub closes_on: &'a str,
    pub notice_days: i64,
    pub conditions: &'a [String],
    pub created_by: i64,
}

const SELECT_BATCH: &str = "SELECT b.id, b.org_id, o.name AS org_name, o.path AS org_path, \
    b.year, b.title, b.category, b.quota, b.opens_on, b.closes_on, b.notice_days, b.conditions, b.created_at \
    FROM naming_batches b JOIN orgs o ON o.id = b.org_id";

fn batch(r: &AnyRow) -> sqlx::Result<Batch> {
    let conditions: String = r.try_get("conditions")?;
    Ok(Batch {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        org_name: r.try_get("org_name")?,
        org_path: r.try_get("org_path")?,
        year: r.try_get("year")?,
        title: r.try_get("title")?,
        category: lifecycle(r.try_get("category")?, Category::parse)?,
        quota: r.try_get("quota")?,
        opens_on: r.try_get("opens_on")?,
        closes_on: r.try_get("closes_on")?,
        notice_days: r.try_get("notice_days")?,
        conditions: conditions
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        created_at: rfc3339(r.try_get("created_at")?),
    })
}

pub async fn insert_batch(tx: &mut Tx, b: &NewBatch<'_>) -> sqlx::Result<i64> {
    let row = sqlx::query(
        "INSERT INTO naming_batches (org_id, year, title, quota, opens_on, closes_on, \
         notice_days, conditions, created_by, created_at, category) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(b.org_id)
    .bind(b.year)
    .bind(b.title)
    .bind(b.quota)
    .bind(b.opens_on)
    .bind(b.closes_on)
    .bind(b.notice_days)
    .bind(b.conditions.join("\n"))
    .bind(b.created_by)
    .bind(now_ms())
    .bind(b.category.code())
    .fetch_one(&mut **tx)
    .await?;
    row.try_get(0)
}

pub async fn find_batch(pool: &AnyPool, id: i64) -> sqlx::Result<Option<Batch>> {
    let sql = format!("{SELECT_BATCH} WHERE b.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(pool)
        .await?
        .map(|r| batch(&r))
        .transpose()
}

/// Batches, newest first; of one org when given.
pub async fn batches(pool: &AnyPool, org_id: Option<i64>) -> sqlx::Result<Vec<Batch>> {
    let sql = match org_id {
        // Integers cannot carry SQL.
        Some(o) => format!("{SELECT_BATCH} WHERE b.org_id = {o} ORDER BY b.id DESC LIMIT 100"),
        None => format!("{SELECT_BATCH} ORDER BY b.id DESC LIMIT 100"),
    };
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(pool)
        .await?;
    rows.iter().map(batch).collect()
}
