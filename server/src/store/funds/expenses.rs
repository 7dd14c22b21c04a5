//! Expenses filed against a grant, each moved from pending to approved or returned only from
//! the status read, so that two staff deciding at once cannot both win.

use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use super::Scope;
use super::grants::FROM;
use crate::domain::funds::{Category, ExpenseStatus};
use crate::store::{Tx, lifecycle, now_ms, rfc3339};

#[derive(Debug, Clone)]
pub struct Expense {
    pub id: i64,
    pub grant_id: i64,
    pub category: Category,
    pub amount_fen: i64,
    /// `YYYY-MM-DD`.
    pub spent_on: String,
    pub note: String,
    pub status: ExpenseStatus,
    pub filed_by: i64,
    pub filed_by_name: String,
    pub decided_by: Option<i64>,
    pub decided_by_name: Option<String>,
    /// The opinion given when it was decided (required to return it).
    pub opinion: String,
    pub receipt_count: i64,
    pub created_at: String,
    pub updated_at: String,
}

pub struct NewExpense<'a> {
    pub grant_id: i64,
    pub category: Category,
    pub amount_fen: i64,
    pub spent_on: &'a str,
    pub note: &'a str,
    pub filed_by: i64,
}

const COLUMNS: &str = "SELECT e.id, e.grant_id, e.category, e.amount_fen, e.spent_on, e.note, \
    e.status, e.filed_by, fb.display_name AS filed_by_name, e.decided_by, \
    db.display_name AS decided_by_name, e.opinion, \
    (SELECT COUNT(*) FROM expense_receipts r WHERE r.expense_id = e.id) AS receipt_count, \
    e.created_at, e.updated_at";

const JOINS: &str = "FROM expenses e JOIN users fb ON fb.id = e.filed_by LEFT JOIN users db ON db.id = e.decided_by";

fn expense(r: &AnyRow) -> sqlx::Result<Expense> {
    Ok(Expense {
        id: r.try_get("id")?,
        grant_id: r.try_get("grant_id")?,
        category: lifecycle(r.try_get("category")?, Category::parse)?,
        amount_fen: r.try_get("amount_fen")?,
        spent_on: r.try_get("spent_on")?,
        note: r.try_get("note")?,
        status: lifecycle(r.try_get("status")?, ExpenseStatus::parse)?,
        filed_by: r.try_get("filed_by")?,
        filed_by_name: r.try_get("filed_by_name")?,
        decided_by: r.try_get("decided_by")?,
        decided_by_name: r.try_get("decided_by_name")?,
        opinion: r.try_get("opinion")?,
        receipt_count: r.try_get("receipt_count")?,
        created_at: rfc3339(r.try_get("created_at")?),
        updated_at: rfc3339(r.try_get("updated_at")?),
    })
}

pub async fn insert(tx: &mut Tx, e: &NewExpense<'_>) -> sqlx::Result<i64> {
    let now = now_ms();
    let row = sqlx::query(
        "INSERT INTO expenses (grant_id, category, amount_fen, spent_on, note, status, filed_by, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $7) RETURNING id",
    )
    .bind(e.grant_id)
    .bind(e.category.code())
    .bind(e.amount_fen)
    .bind(e.spent_on)
    .bind(e.note)
    .bind(e.filed_by)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    row.try_get(0)
}

pub async fn find(pool: &AnyPool, id: i64) -> sqlx::Result<Option<Expense>> {
    let sql = format!("{COLUMNS} {JOINS} WHERE e.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(pool)
        .await?
        .map(|r| expense(&r))
        .transpose()
}

pub async fn find_in(tx: &mut Tx, id: i64) -> sqlx::Result<Option<Expense>> {
    let sql = format!("{COLUMNS} {JOINS} WHERE e.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| expense(&r))
        .transpose()
}

/// A grant's expenses in the ledger's order: by the day spent, then as filed.
pub async fn of_grant(pool: &AnyPool, grant_id: i64) -> sqlx::Result<Vec<Expense>> {
    let sql = format!("{COLUMNS} {JOINS} WHERE e.grant_id = $1 ORDER BY e.spent_on, e.id");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(grant_id)
        .fetch_all(pool)
        .await?;
    rows.iter().map(expense).collect()
}

/// Pending expenses of the grants made by an org at one of `paths` (the approvers' queue),
/// oldest first, with their grant's recipient.
pub async fn pending_under(
    pool: &AnyPool,
    paths: &[String],
) -> sqlx::Result<Vec<(Expense, String)>> {
    if paths.is_empty() {
        return Ok(Vec::new());
    }
    let cond: Vec<String> = (1..=paths.len())
        .map(|n| format!("o.path LIKE ${n} || '%'"))
        .collect();
    let sql = format!(
        "{COLUMNS}, COALESCE(rs.name, ra.name) AS recipient_name {JOINS} \
         JOIN grants g ON g.id = e.grant_id JOIN orgs o ON o.id = g.org_id \
         LEFT JOIN studios rs ON rs.id = g.studio_id \
         LEFT JOIN alliances ra ON ra.id = g.alliance_id \
         WHERE e.status = 'pending' AND ({}) ORDER BY e.id LIMIT 200",
        cond.join(" OR ")
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for p in paths {
        q = q.bind(p);
    }
    let rows = q.fetch_all(pool).await?;
    rows.iter()
        .map(|r| Ok((expense(r)?, r.try_get("recipient_name")?)))
        .collect()
}

/// Moves a pending expense to `to` with the decider's opinion; false when it was no longer
/// pending.
pub async fn decide(
    tx: &mut Tx,
    id: i64,
    to: ExpenseStatus,
    by: i64,
    opinion: &str,
) -> sqlx::Result<bool> {
    let res = sqlx::query(
        "UPDATE expenses SET status = $1, decided_by = $2, opinion = $3, updated_at = $4 \
         WHERE id = $5 AND status = 'pending'",
    )
    .bind(to.code())
    .bind(by)
    .bind(opinion)
    .bind(now_ms())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(res.rows_affected() == 1)
}

/// One line of the funds ledger export: the grant's columns beside the expense's.
#[derive(Debug, Clone)]
pub struct LedgerLine {
    pub grant_id: i64,
    pub org_name: String,
    pub recipient_name: String,
    pub account_org_name: String,
    pub year: i64,
    pub purpose: String,
    pub grant_fen: i64,
    /// `None` for a grant without expenses (it still has its line).
    pub expense: Option<Expense>,
}

/// Every grant in scope with its expenses, in ledger order (grant, day spent, filing), for the
/// audit export.
pub async fn ledger(
    pool: &AnyPool,
    scope: &Scope,
    grant_id: Option<i64>,
    year: Option<i64>,
) -> sqlx::Result<Vec<LedgerLine>> {
    let mut binds: Vec<i64> = Vec::new();
    let mut and = String::new();
    for (column, value) in [("g.id", grant_id), ("g.year", year)] {
        if let Some(v) = value {
            binds.push(v);
            and.push_str(&format!(" AND {column} = ${}", binds.len()));
        }
    }
    let (cond, paths) = scope.condition(binds.len() + 1);
    let sql = format!(
        "SELECT g.id AS g_id, o.name AS org_name, COALESCE(rs.name, ra.name) AS recipient_name, \
         ao.name AS account_org_name, g.year, g.purpose, g.amount_fen AS grant_fen, e.id, \
         e.grant_id, e.category, e.amount_fen, e.spent_on, e.note, e.status, e.filed_by, \
         fb.display_name AS filed_by_name, e.decided_by, db.display_name AS decided_by_name, \
         e.opinion, (SELECT COUNT(*) FROM expense_receipts r WHERE r.expense_id = e.id) \
         AS receipt_count, e.created_at, e.updated_at \
         {FROM} LEFT JOIN expenses e ON e.grant_id = g.id LEFT JOIN users fb ON fb.id = e.filed_by \
         LEFT JOIN users db ON db.id = e.decided_by \
         WHERE {cond}{and} ORDER BY g.year DESC, g.id DESC, e.spent_on, e.id LIMIT 100000"
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for b in binds {
        q = q.bind(b);
    }
    for p in paths {
        q = q.bind(p);
    }
    let rows = q.fetch_all(pool).await?;
    rows.iter()
        .map(|r| {
            let id: Option<i64> = r.try_get("id")?;
            Ok(LedgerLine {
                grant_id: r.try_get("g_id")?,
                org_name: r.try_get("org_name")?,
                recipient_name: r.try_get("recipient_name")?,
                account_org_name: r.try_get("account_org_name")?,
                year: r.try_get("year")?,
                purpose: r.try_get("purpose")?,
                grant_fen: r.try_get("grant_fen")?,
                expense: id.map(|_| expense(r)).transpose()?,
            })
        })
        .collect()
}
