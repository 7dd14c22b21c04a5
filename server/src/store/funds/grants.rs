//! Grants: an amount from a union to a studio or an alliance, held in the account of the
//! recipient's unit union. `committed_fen` counts approved and pending expenses, so the balance
//! left to file against is `amount_fen - committed_fen`, kept by one conditional update.

use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use super::Scope;
use crate::store::{Tx, now_ms, rfc3339};

#[derive(Debug, Clone)]
pub struct Grant {
    pub id: i64,
    /// The granting union.
    pub org_id: i64,
    pub org_name: String,
    pub org_path: String,
    pub studio_id: Option<i64>,
    pub alliance_id: Option<i64>,
    /// The studio's or the alliance's name.
    pub recipient_name: String,
    /// The studio whose leader files the expenses: the recipient, or the alliance's lead.
    pub holder_studio_id: i64,
    /// The union whose account holds the funds (the holder studio's unit).
    pub account_org_id: i64,
    pub account_org_name: String,
    pub account_org_path: String,
    pub amount_fen: i64,
    /// Approved and pending expenses.
    pub committed_fen: i64,
    /// Approved expenses.
    pub spent_fen: i64,
    pub year: i64,
    pub purpose: String,
    pub granted_by: i64,
    pub granted_by_name: String,
    pub created_at: String,
}

impl Grant {
    /// What is left to file expenses against.
    pub fn balance_fen(&self) -> i64 {
        self.amount_fen - self.committed_fen
    }

    /// Filed and not yet decided.
    pub fn pending_fen(&self) -> i64 {
        self.committed_fen - self.spent_fen
    }
}

pub struct NewGrant<'a> {
    pub org_id: i64,
    pub studio_id: Option<i64>,
    pub alliance_id: Option<i64>,
    pub holder_studio_id: i64,
    pub account_org_id: i64,
    pub amount_fen: i64,
    pub year: i64,
    pub purpose: &'a str,
    pub granted_by: i64,
}

/// What a list of grants is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Granted by this org.
    pub org_id: Option<i64>,
    pub year: Option<i64>,
    /// Received by this studio (directly or as an alliance's lead).
    pub studio_id: Option<i64>,
    pub alliance_id: Option<i64>,
}

pub(crate) const FROM: &str = "FROM grants g JOIN orgs o ON o.id = g.org_id \
    JOIN orgs ao ON ao.id = g.account_org_id LEFT JOIN studios rs ON rs.id = g.studio_id \
    LEFT JOIN alliances ra ON ra.id = g.alliance_id JOIN users gb ON gb.id = g.granted_by";

const SELECT: &str = "SELECT g.id, g.org_id, o.name AS org_name, o.path AS org_path, g.studio_id, \
    g.alliance_id, COALESCE(rs.name, ra.name) AS recipient_name, g.holder_studio_id, \
    g.account_org_id, ao.name AS account_org_name, ao.path AS account_org_path, g.amount_fen, \
    g.committed_fen, CAST((SELECT COALESCE(SUM(e.amount_fen), 0) FROM expenses e \
    WHERE e.grant_id = g.id AND e.status = 'approved') AS BIGINT) AS spent_fen, g.year, g.purpose, \
    g.granted_by, gb.display_name AS granted_by_name, g.created_at";

fn grant(r: &AnyRow) -> sqlx::Result<Grant> {
    Ok(Grant {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        org_name: r.try_get("org_name")?,
        org_path: r.try_get("org_path")?,
        studio_id: r.try_get("studio_id")?,
        alliance_id: r.try_get("alliance_id")?,
        recipient_name: r.try_get("recipient_name")?,
        holder_studio_id: r.try_get("holder_studio_id")?,
        account_org_id: r.try_get("account_org_id")?,
        account_org_name: r.try_get("account_org_name")?,
        account_org_path: r.try_get("account_org_path")?,
        amount_fen: r.try_get("amount_fen")?,
        committed_fen: r.try_get("committed_fen")?,
        spent_fen: r.try_get("spent_fen")?,
        year: r.try_get("year")?,
        purpose: r.try_get("purpose")?,
        granted_by: r.try_get("granted_by")?,
        granted_by_name: r.try_get("granted_by_name")?,
        created_at: rfc3339(r.try_get("created_at")?),
    })
}

pub async fn insert(tx: &mut Tx, g: &NewGrant<'_>) -> sqlx::Result<i64> {
    let row = sqlx::query(
        "INSERT INTO grants (org_id, studio_id, alliance_id, holder_studio_id, account_org_id, \
         amount_fen, committed_fen, year, purpose, granted_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, $9, $10) RETURNING id",
    )
    .bind(g.org_id)
    .bind(g.studio_id)
    .bind(g.alliance_id)
    .bind(g.holder_studio_id)
    .bind(g.account_org_id)
    .bind(g.amount_fen)
    .bind(g.year)
    .bind(g.purpose)
    .bind(g.granted_by)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await?;
    row.try_get(0)
}

pub async fn find(pool: &AnyPool, id: i64) -> sqlx::Result<Option<Grant>> {
    let sql = format!("{SELECT} {FROM} WHERE g.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(pool)
        .await?
        .map(|r| grant(&r))
        .transpose()
}

pub async fn find_in(tx: &mut Tx, id: i64) -> sqlx::Result<Option<Grant>> {
    let sql = format!("{SELECT} {FROM} WHERE g.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| grant(&r))
        .transpose()
}

/// The grants in the reader's scope, newest first (at most 500).
pub async fn list(pool: &AnyPool, scope: &Scope, f: &Filter) -> sqlx::Result<Vec<Grant>> {
    let mut binds: Vec<i64> = Vec::new();
    let mut and = String::new();
    for (column, value) in [
        ("g.org_id", f.org_id),
        ("g.year", f.year),
        ("g.alliance_id", f.alliance_id),
    ] {
        if let Some(v) = value {
            binds.push(v);
            and.push_str(&format!(" AND {column} = ${}", binds.len()));
        }
    }
    if let Some(s) = f.studio_id {
        binds.push(s);
        let n = binds.len();
        and.push_str(&format!(
            " AND (g.studio_id = ${n} OR g.holder_studio_id = ${n})"
        ));
    }
    let (cond, paths) = scope.condition(binds.len() + 1);
    let sql =
        format!("{SELECT} {FROM} WHERE {cond}{and} ORDER BY g.year DESC, g.id DESC LIMIT 500");
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for b in binds {
        q = q.bind(b);
    }
    for p in paths {
        q = q.bind(p);
    }
    let rows = q.fetch_all(pool).await?;
    rows.iter().map(grant).collect()
}

/// Takes `fen` of the grant's balance for an expense; false when the balance is smaller. One
/// statement, so that two expenses filed at once cannot both spend the same balance.
pub async fn commit_funds(tx: &mut Tx, id: i64, fen: i64) -> sqlx::Result<bool> {
    let res = sqlx::query(
        "UPDATE grants SET committed_fen = committed_fen + $1 \
         WHERE id = $2 AND committed_fen + $1 <= amount_fen",
    )
    .bind(fen)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(res.rows_affected() == 1)
}

/// Gives a returned expense's amount back to the balance.
pub async fn release_funds(tx: &mut Tx, id: i64, fen: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE grants SET committed_fen = committed_fen - $1 WHERE id = $2")
        .bind(fen)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Who may receive a grant from the org at `path`: the studios under it (named ones first) and
/// the alliances whose lead studio is under it; neither delisted nor dissolved.
#[derive(Debug, Clone)]
pub struct Recipient {
    pub studio_id: Option<i64>,
    pub alliance_id: Option<i64>,
    pub name: String,
    pub named: bool,
}

pub async fn recipients_under(pool: &AnyPool, path: &str) -> sqlx::Result<Vec<Recipient>> {
    let rows = sqlx::query(
        "SELECT s.id AS studio_id, NULL AS alliance_id, s.name, \
         CAST(CASE WHEN s.status IN ('named', 'rectification') THEN 1 ELSE 0 END AS BIGINT) AS named \
         FROM studios s JOIN orgs o ON o.id = s.org_id \
         WHERE o.path LIKE $1 || '%' AND s.status <> 'delisted' \
         UNION ALL \
         SELECT NULL, a.id, a.name, CAST(CASE WHEN a.status = 'named' THEN 1 ELSE 0 END AS BIGINT) \
         FROM alliances a JOIN studios ls ON ls.id = a.lead_studio_id \
         JOIN orgs o ON o.id = ls.org_id \
         WHERE o.path LIKE $1 || '%' AND a.status <> 'dissolved' \
         ORDER BY 4 DESC, 3 LIMIT 1000",
    )
    .bind(path)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            let named: i64 = r.try_get("named")?;
            Ok(Recipient {
                studio_id: r.try_get("studio_id")?,
                alliance_id: r.try_get("alliance_id")?,
                name: r.try_get("name")?,
                named: named == 1,
            })
        })
        .collect()
}
