//! Bulletins (简报) sent down a union's subtree, and who read each one.

use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use crate::store::{Tx, now_ms, rfc3339};

#[derive(Debug, Clone)]
pub struct Bulletin {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub org_path: String,
    pub title: String,
    /// Markdown.
    pub body: String,
    pub sent_by: i64,
    pub sent_by_name: String,
    pub read_count: i64,
    pub created_at: String,
}

const SELECT: &str = "SELECT b.id, b.org_id, o.name AS org_name, o.path AS org_path, b.title, \
    b.body, b.sent_by, u.display_name AS sent_by_name, \
    (SELECT COUNT(*) FROM bulletin_reads r WHERE r.bulletin_id = b.id) AS read_count, \
    b.created_at FROM bulletins b JOIN orgs o ON o.id = b.org_id JOIN users u ON u.id = b.sent_by";

fn bulletin(r: &AnyRow) -> sqlx::Result<Bulletin> {
    Ok(Bulletin {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        org_name: r.try_get("org_name")?,
        org_path: r.try_get("org_path")?,
        title: r.try_get("title")?,
        body: r.try_get("body")?,
        sent_by: r.try_get("sent_by")?,
        sent_by_name: r.try_get("sent_by_name")?,
        read_count: r.try_get("read_count")?,
        created_at: rfc3339(r.try_get("created_at")?),
    })
}

pub async fn insert(
    tx: &mut Tx,
    org_id: i64,
    title: &str,
    body: &str,
    by: i64,
) -> sqlx::Result<i64> {
    let row = sqlx::query(
        "INSERT INTO bulletins (org_id, title, body, sent_by, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(org_id)
    .bind(title)
    .bind(body)
    .bind(by)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await?;
    row.try_get(0)
}

pub async fn find(pool: &AnyPool, id: i64) -> sqlx::Result<Option<Bulletin>> {
    let sql = format!("{SELECT} WHERE b.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(pool)
        .await?
        .map(|r| bulletin(&r))
        .transpose()
}

/// The bulletins sent by a union above or at one of `within` (the reader's units and unions),
/// or by a union under one of `under` (where the reader is staff); newest first, at most 100.
pub async fn visible(
    pool: &AnyPool,
    within: &[String],
    under: &[String],
    all: bool,
) -> sqlx::Result<Vec<Bulletin>> {
    let mut binds = Vec::new();
    let mut parts = Vec::new();
    for p in within {
        binds.push(p.clone());
        parts.push(format!("${} LIKE o.path || '%'", binds.len()));
    }
    for p in under {
        binds.push(p.clone());
        parts.push(format!("o.path LIKE ${} || '%'", binds.len()));
    }
    let cond = if all {
        "TRUE".to_owned()
    } else if parts.is_empty() {
        return Ok(Vec::new());
    } else {
        parts.join(" OR ")
    };
    let sql = format!("{SELECT} WHERE {cond} ORDER BY b.id DESC LIMIT 100");
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for b in binds {
        q = q.bind(b);
    }
    let rows = q.fetch_all(pool).await?;
    rows.iter().map(bulletin).collect()
}

/// Everyone a bulletin of the union at `path` reaches: the people of the studios hosted under
/// it and the union staff under it.
pub async fn recipients(tx: &mut Tx, path: &str) -> sqlx::Result<Vec<i64>> {
    let rows = sqlx::query(
        "SELECT m.user_id FROM studio_members m JOIN studios s ON s.id = m.studio_id \
         JOIN orgs o ON o.id = s.org_id WHERE o.path LIKE $1 || '%' AND s.status <> 'delisted' \
         UNION SELECT r.user_id FROM staff_roles r JOIN orgs o ON o.id = r.org_id \
         WHERE o.path LIKE $1 || '%' AND r.role = 'staff'",
    )
    .bind(path)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter().map(|r| r.try_get(0)).collect()
}

/// Records that `user` read the bulletin (once; a second read changes nothing).
pub async fn mark_read(pool_tx: &mut Tx, bulletin_id: i64, user_id: i64) -> sqlx::Result<()> {
    let res = sqlx::query(
        "INSERT INTO bulletin_reads (bulletin_id, user_id, read_at) VALUES ($1, $2, $3)",
    )
    .bind(bulletin_id)
    .bind(user_id)
    .bind(now_ms())
    .execute(&mut **pool_tx)
    .await;
    match res {
        Ok(_) => Ok(()),
        Err(e) if crate::store::is_unique_violation(&e) => Ok(()),
        Err(e) => Err(e),
    }
}

/// Whether `user` has read the bulletin.
pub async fn has_read(pool: &AnyPool, bulletin_id: i64, user_id: i64) -> sqlx::Result<bool> {
    let n: i64 =
        sqlx::query("SELECT COUNT(*) FROM bulletin_reads WHERE bulletin_id = $1 AND user_id = $2")
            .bind(bulletin_id)
            .bind(user_id)
            .fetch_one(pool)
            .await?
            .try_get(0)?;
    Ok(n > 0)
}

/// A reader of a bulletin.
#[derive(Debug, Clone)]
pub struct Reader {
    pub user_id: i64,
    pub name: String,
    pub read_at: String,
}

/// Who read the bulletin, first readers first.
pub async fn readers(pool: &AnyPool, bulletin_id: i64) -> sqlx::Result<Vec<Reader>> {
    let rows = sqlx::query(
        "SELECT r.user_id, u.display_name, r.read_at FROM bulletin_reads r \
         JOIN users u ON u.id = r.user_id WHERE r.bulletin_id = $1 ORDER BY r.read_at, r.user_id",
    )
    .bind(bulletin_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Reader {
                user_id: r.try_get(0)?,
                name: r.try_get(1)?,
                read_at: rfc3339(r.try_get(2)?),
            })
        })
        .collect()
}

/// The studios under the bulletin's union and whether any of their people read it.
pub async fn studios_read(
    pool: &AnyPool,
    bulletin_id: i64,
    path: &str,
) -> sqlx::Result<Vec<(i64, String, bool)>> {
    let rows = sqlx::query(
        "SELECT s.id, s.name, CAST((SELECT COUNT(*) FROM bulletin_reads r JOIN studio_members m \
         ON m.user_id = r.user_id WHERE r.bulletin_id = $1 AND m.studio_id = s.id) AS BIGINT) AS n \
         FROM studios s JOIN orgs o ON o.id = s.org_id \
         WHERE o.path LIKE $2 || '%' AND s.status <> 'delisted' ORDER BY s.name LIMIT 2000",
    )
    .bind(bulletin_id)
    .bind(path)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            let n: i64 = r.try_get("n")?;
            Ok((r.try_get("id")?, r.try_get("name")?, n > 0))
        })
        .collect()
}
