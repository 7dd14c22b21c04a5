//! Files attached to bulletins and reports: one row a file, stored on disk under a random name;
//! the row keeps the name the person gave it.

use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use crate::domain::attachment::Owner;
use crate::store::{Tx, now_ms, rfc3339};

#[derive(Debug, Clone)]
pub struct Attachment {
    pub id: i64,
    pub owner_id: i64,
    /// The stored name (random; see `files`).
    pub file_name: String,
    /// The name on the person's device, without any path.
    pub original_name: String,
    pub mime: String,
    pub size_bytes: i64,
    pub created_at: String,
}

fn attachment(r: &AnyRow) -> sqlx::Result<Attachment> {
    Ok(Attachment {
        id: r.try_get("id")?,
        owner_id: r.try_get("owner_id")?,
        file_name: r.try_get("file_name")?,
        original_name: r.try_get("original_name")?,
        mime: r.try_get("mime")?,
        size_bytes: r.try_get("size_bytes")?,
        created_at: rfc3339(r.try_get("created_at")?),
    })
}

pub struct NewAttachment<'a> {
    pub owner: Owner,
    pub owner_id: i64,
    pub file_name: &'a str,
    pub original_name: &'a str,
    pub mime: &'a str,
    pub size_bytes: i64,
    pub uploaded_by: i64,
}

pub async fn insert(tx: &mut Tx, a: &NewAttachment<'_>) -> sqlx::Result<i64> {
    let row = sqlx::query(
        "INSERT INTO attachments (owner_kind, owner_id, file_name, original_name, mime, \
         size_bytes, uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(a.owner.code())
    .bind(a.owner_id)
    .bind(a.file_name)
    .bind(a.original_name)
    .bind(a.mime)
    .bind(a.size_bytes)
    .bind(a.uploaded_by)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await?;
    row.try_get(0)
}

pub async fn count(tx: &mut Tx, owner: Owner, owner_id: i64) -> sqlx::Result<i64> {
    sqlx::query("SELECT COUNT(*) FROM attachments WHERE owner_kind = $1 AND owner_id = $2")
        .bind(owner.code())
        .bind(owner_id)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)
}

const SELECT: &str = "SELECT id, owner_id, file_name, original_name, mime, size_bytes, \
    created_at FROM attachments";

/// The files of these records, in upload order.
pub async fn of(pool: &AnyPool, owner: Owner, owner_ids: &[i64]) -> sqlx::Result<Vec<Attachment>> {
    if owner_ids.is_empty() {
        return Ok(Vec::new());
    }
    // Ids are integers: safe to inline.
    let ids: Vec<String> = owner_ids.iter().map(i64::to_string).collect();
    let sql = format!(
        "{SELECT} WHERE owner_kind = $1 AND owner_id IN ({}) ORDER BY id",
        ids.join(", ")
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(owner.code())
        .fetch_all(pool)
        .await?;
    rows.iter().map(attachment).collect()
}

/// One file of a record by its stored name.
pub async fn find(
    pool: &AnyPool,
    owner: Owner,
    owner_id: i64,
    file_name: &str,
) -> sqlx::Result<Option<Attachment>> {
    let sql = format!("{SELECT} WHERE owner_kind = $1 AND owner_id = $2 AND file_name = $3");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(owner.code())
        .bind(owner_id)
        .bind(file_name)
        .fetch_optional(pool)
        .await?
        .map(|r| attachment(&r))
        .transpose()
}
