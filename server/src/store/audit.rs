//! The audit log: who did what to which entity, when, and from which address; each line keeps
//! the path of the org its entity belongs to, which decides which union staff read it.

use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use super::{Tx, now_ms, rfc3339};

tokio::task_local! {
    /// The client address of the request being served, for the lines it writes.
    static ADDRESS: String;
}

/// `f` (a request), run with its client's address, which every audit line it records carries.
pub fn scope_address<F: std::future::Future>(
    address: String,
    f: F,
) -> tokio::task::futures::TaskLocalFuture<String, F> {
    ADDRESS.scope(address, f)
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
    let org_path = entity_path(tx, entity_kind, entity_id).await?;
    sqlx::query(
        "INSERT INTO audit_log (actor_id, action, entity_kind, entity_id, detail, address, \
         org_path, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(actor_id)
    .bind(action)
    .bind(entity_kind)
    .bind(entity_id)
    .bind(detail)
    .bind(address)
    .bind(org_path)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The path of the org an entity belongs to: a studio's host unit (an alliance's: its lead
/// studio's), a grant's account, a batch's or a bulletin's union. Empty for what belongs to no
/// org (a person's profile, the platform): only platform admins read those lines.
async fn entity_path(tx: &mut Tx, kind: &str, id: i64) -> sqlx::Result<String> {
    const UNIT: &str = "JOIN orgs o ON o.id = s.org_id";
    let sql = match kind {
        "studio" => format!("SELECT o.path FROM studios s {UNIT} WHERE s.id = $1"),
        "studio_change" | "outcome" | "mentorship" | "naming_application" | "alliance_request"
        | "project" => {
            let table = match kind {
                "studio_change" => "studio_changes",
                "outcome" => "outcomes",
                "project" => "projects",
                "mentorship" => "mentorships",
                "naming_application" => "naming_applications",
                _ => "alliance_requests",
            };
            format!(
                "SELECT o.path FROM {table} x JOIN studios s ON s.id = x.studio_id {UNIT} \
                 WHERE x.id = $1"
            )
        }
        "challenge" | "assessment" | "event" | "course" => {
            let table = match kind {
                "challenge" => "challenges",
                "assessment" => "assessments",
                "event" => "events",
                _ => "courses",
            };
            // A union's own event or course belongs to the union.
            let org = if kind == "event" || kind == "course" {
                "COALESCE(x.org_id, s.org_id)"
            } else {
                "s.org_id"
            };
            format!(
                "SELECT o.path FROM {table} x LEFT JOIN alliances a ON a.id = x.alliance_id \
                 LEFT JOIN studios s ON s.id = COALESCE(x.studio_id, a.lead_studio_id) \
                 JOIN orgs o ON o.id = {org} WHERE x.id = $1"
            )
        }
        "adoption" => format!(
            "SELECT o.path FROM adoptions d JOIN outcomes x ON x.id = d.outcome_id \
             JOIN studios s ON s.id = x.studio_id {UNIT} WHERE d.id = $1"
        ),
        "alliance" => format!(
            "SELECT o.path FROM alliances a JOIN studios s ON s.id = a.lead_studio_id {UNIT} \
             WHERE a.id = $1"
        ),
        "grant" => "SELECT o.path FROM grants g JOIN orgs o ON o.id = g.account_org_id \
                    WHERE g.id = $1"
            .to_owned(),
        "expense" => "SELECT o.path FROM expenses e JOIN grants g ON g.id = e.grant_id \
                      JOIN orgs o ON o.id = g.account_org_id WHERE e.id = $1"
            .to_owned(),
        "org" => "SELECT path FROM orgs WHERE id = $1".to_owned(),
        "naming_batch" | "assessment_round" | "bulletin" | "honour" => {
            let table = match kind {
                "naming_batch" => "naming_batches",
                "assessment_round" => "assessment_rounds",
                "honour" => "honours",
                _ => "bulletins",
            };
            format!("SELECT o.path FROM {table} x JOIN orgs o ON o.id = x.org_id WHERE x.id = $1")
        }
        _ => return Ok(String::new()),
    };
    // The kinds and tables are fixed names above, never input.
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(match row {
        Some(r) => r.try_get(0)?,
        None => String::new(),
    })
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
/// `None` for every line (platform admins), otherwise the lines about entities of the orgs under
/// one of `paths`, whoever acted.
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
            under.push(format!("a.org_path LIKE ${} || '%'", next()));
        }
        // A line about nothing in the tree (empty path) is for platform admins only.
        cond.push_str(" AND a.org_path <> ''");
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
