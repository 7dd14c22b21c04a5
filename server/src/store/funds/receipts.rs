//! Receipt files of expenses (images or PDF), stored on disk under a random name; the row keeps
//! the name the person gave the file, for the ledger.

use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use crate::store::{Tx, now_ms, rfc3339};

#[derive(Debug, Clone)]
pub struct Receipt {
    pub id: i64,
    pub expense_id: i64,
    /// The stored name (random; see `files`).
    pub file_name: String,
    /// The name on the person's device, without any path.
    pub original_name: String,
    pub mime: String,
    pub size_bytes: i64,
    pub created_at: String,
}

fn receipt(r: &AnyRow) -> sqlx::Result<Receipt> {
    Ok(Receipt {
        id: r.try_get("id")?,
        expense_id: r.try_get("expense_id")?,
        file_name: r.try_get("file_name")?,
        original_name: r.try_get("original_name")?,
        mime: r.try_get("mime")?,
        size_bytes: r.try_get("size_bytes")?,
        created_at: rfc3339(r.try_get("created_at")?),
    })
}

pub struct NewReceipt<'a> {
    pub expense_id: i64,
    pub file_name: &'a str,
    pub original_name: &'a str,
    pub mime: &'a str,
    pub size_bytes: i64,
    pub uploaded_by: i64,
}

pub async fn insert(tx: &mut Tx, r: &NewReceipt<'_>) -> sqlx::Result<i64> {
    let row = sqlx::query(
        "INSERT INTO expense_receipts (expense_id, file_name, original_name, mime, size_bytes, \
         uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(r.expense_id)
    .bind(r.file_name)
    .bind(r.original_name)
    .bind(r.mime)
    .bind(r.size_bytes)
    .bind(r.uploaded_by)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await?;
    row.try_get(0)
}

pub async fn count(tx: &mut Tx, expense_id: i64) -> sqlx::Result<i64> {
    sqlx::query("SELECT COUNT(*) FROM expense_receipts WHERE expense_id = $1")
        .bind(expense_id)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)
}

const SELECT: &str = "SELECT r.id, r.expense_id, r.file_name, r.original_name, r.mime, \
    r.size_bytes, r.created_at FROM expense_receipts r";

/// The receipts of a grant's expenses, in upload order.
pub async fn of_grant(pool: &AnyPool, grant_id: i64) -> sqlx::Result<Vec<Receipt>> {
    let sql = format!(
        "{SELECT} JOIN expenses e ON e.id = r.expense_id WHERE e.grant_id = $1 ORDER BY r.id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(grant_id)
        .fetch_all(pool)
        .await?;
    rows.iter().map(receipt).collect()
}

/// A receipt of an expense by its stored name.
pub async fn find(pool: &AnyPool, expense_id: i64, name: &str) -> sqlx::Result<Option<Receipt>> {
    let sql = format!("{SELECT} WHERE r.expense_id = $1 AND r.file_name = $2");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(expense_id)
        .bind(name)
        .fetch_optional(pool)
        .await?
        .map(|r| receipt(&r))
        .transpose()
}
