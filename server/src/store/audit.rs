//! The audit log: who did what to which entity, when, and from which address.

use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use super::{Tx, now_ms, rfc3339};

tokio::task_local! {
    /// The client address of the request being served, for the lines it writes.
    static ADDRESS: String;
}

/// Runs `f` (a request) with its client's address, which every audit line it records carries.
pub async fn with_address<F: std::future::Future>(address: String, f: F) -> F::Output {
    ADDRESS.scope(address, f).await
}

/// Records one action inside the transaction that performs it.
#[tracing::instrument(skip(tx, detail))]
pub async fn record(
    tx: &mut Tx,
    actor_id: Option<i64>,
    action: &str,
    entity_kind: &str,
    entity_id: i64,
    detail: &str,
) -> sqlx::Result<()> {
    // Outside a request (the CLI, the sweeper, the demo) there is no address.
    let address = ADDRESS.try_with(Clone::clone).unwrap_or_default();
    sqlx::query(
        "INSERT INTO audit_log (actor_id, action, entity_kind, entity_id, detail, address, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(actor_id)
    .bind(action)
    .bind(entity_kind)
    .bind(entity_id)
    .bind(detail)
    .bind(address)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A line of the audit log with its actor's name.
#[derive(Debug, Clone)]
pub struct AuditLine {
    pub id: i64,
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    pub action: String,
    pub entity_kind: String,
    pub entity_id: i64,
    pub detail: String,
    pub address: String,
    pub created_at: String,
}

/// What the log is narrowed to; times are Unix milliseconds, `to_ms` exclusive.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub actor_id: Option<i64>,
    pub entity_kind: Option<String>,
    pub entity_id: Option<i64>,
    pub action: Option<String>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
}

fn line(r: &AnyRow) -> sqlx::Result<AuditLine> {
    Ok(AuditLine {
        id: r.try_get("id")?,
        actor_id: r.try_get("actor_id")?,
        actor_name: r.try_get("actor_name")?,
        action: r.try_get("action")?,
        entity_kind: r.try_get("entity_kind")?,
        entity_id: r.try_get("entity_id")?,
        detail: r.try_get("detail")?,
        address: r.try_get("address")?,
        created_at: rfc3339(r.try_get("created_at")?),
    })
}

/// Lines newest first, before `before_id`, at most `limit`. `paths` is the reader's scope:
/// `None` for every line (platform admins), otherwise the lines of people who are staff of an
/// org, or people of a studio hosted by an org, under one of `paths`.
pub async fn list(
    pool: &AnyPool,
    paths: Option<&[String]>,
    f: &Filter,
    before_id: Option<i64>,
    limit: i64,
) -> sqlx::Result<Vec<AuditLine>> {
    let mut ints: Vec<i64> = Vec::new();
    let mut texts: Vec<String> = Vec::new();
    let mut cond = String::new();
    let mut n = 0;
    let mut next = || {
        n += 1;
        n
    };
    for (test, value) in [
        ("a.actor_id =", f.actor_id),
        ("a.entity_id =", f.entity_id),
        ("a.id <", before_id),
        ("a.created_at >=", f.from_ms),
        ("a.created_at <", f.to_ms),
    ] {
        if let Some(v) = value {
            ints.push(v);
            cond.push_str(&format!(" AND {test} ${}", next()));
        }
    }
    for (column, value) in [("a.entity_kind", &f.entity_kind), ("a.action", &f.action)] {
        if let Some(v) = value {
            texts.push(v.clone());
            cond.push_str(&format!(" AND {column} = ${}", next()));
        }
    }
    if let Some(paths) = paths {
        if paths.is_empty() {
            return Ok(Vec::new());
        }
        let mut under = Vec::new();
        for p in paths {
            texts.push(p.clone());
            let k = next();
            under.push(format!(
                "a.actor_id IN (SELECT r.user_id FROM staff_roles r JOIN orgs ro ON ro.id = r.org_id \
                 WHERE ro.path LIKE ${k} || '%') OR a.actor_id IN (SELECT m.user_id FROM \
                 studio_members m JOIN studios s ON s.id = m.studio_id JOIN orgs so ON so.id = s.org_id \
                 WHERE so.path LIKE ${k} || '%')"
            ));
        }
        cond.push_str(&format!(" AND ({})", under.join(" OR ")));
    }
    let k = next();
    let sql = format!(
        "SELECT a.id, a.actor_id, u.display_name AS actor_name, a.action, a.entity_kind, \
         a.entity_id, a.detail, a.address, a.created_at FROM audit_log a \
         LEFT JOIN users u ON u.id = a.actor_id WHERE TRUE{cond} ORDER BY a.id DESC LIMIT ${k}"
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for v in ints {
        q = q.bind(v);
    }
    for v in texts {
        q = q.bind(v);
    }
    let rows = q.bind(limit).fetch_all(pool).await?;
    rows.iter().map(line).collect()
}
