//! Funds on the wire: grants with their balance, expenses, receipts and the ledger.

use crate::domain::funds::{Category, ExpenseStatus};
use crate::service::funds as svc;
use crate::store::funds as rows;

use super::all;

/// A grant of funds to a studio or an alliance. Amounts are in fen (分).
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Grant {
    pub id: i64,
    /// The granting union.
    pub org_id: i64,
    pub org_name: String,
    pub studio_id: Option<i64>,
    pub alliance_id: Option<i64>,
    pub recipient_name: String,
    /// The studio whose leader files expenses (an alliance's lead studio).
    pub holder_studio_id: i64,
    /// The union whose account holds the funds: the holder studio's unit.
    pub account_org_id: i64,
    pub account_org_name: String,
    pub amount_fen: i64,
    /// Approved expenses.
    pub spent_fen: i64,
    /// Filed, waiting for a decision.
    pub pending_fen: i64,
    /// What is left to file against: the amount less approved and pending expenses.
    pub balance_fen: i64,
    pub year: i64,
    pub purpose: String,
    pub granted_by: i64,
    pub granted_by_name: String,
    pub created_at: String,
}

impl From<rows::Grant> for Grant {
    fn from(g: rows::Grant) -> Self {
        Grant {
            balance_fen: g.balance_fen(),
            pending_fen: g.pending_fen(),
            id: g.id,
            org_id: g.org_id,
            org_name: g.org_name,
            studio_id: g.studio_id,
            alliance_id: g.alliance_id,
            recipient_name: g.recipient_name,
            holder_studio_id: g.holder_studio_id,
            account_org_id: g.account_org_id,
            account_org_name: g.account_org_name,
            amount_fen: g.amount_fen,
            spent_fen: g.spent_fen,
            year: g.year,
            purpose: g.purpose,
            granted_by: g.granted_by,
            granted_by_name: g.granted_by_name,
            created_at: g.created_at,
        }
    }
}

wire! {
    /// An expense filed against a grant.
    pub struct Expense from rows::Expense {
        id: i64,
        grant_id: i64,
        category: Category,
        amount_fen: i64,
        spent_on: String,
        note: String,
        status: ExpenseStatus,
        filed_by: i64,
        filed_by_name: String,
        decided_by: Option<i64>,
        decided_by_name: Option<String>,
        /// The approver's opinion (a returned expense always has one).
        opinion: String,
        receipt_count: i64,
        created_at: String,
        updated_at: String,
    }
}

/// A receipt file of an expense; `url` downloads it (for readers of the grant).
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Receipt {
    pub id: i64,
    pub expense_id: i64,
    pub name: String,
    pub mime: String,
    pub size_bytes: i64,
    pub url: String,
    pub created_at: String,
}

impl From<rows::Receipt> for Receipt {
    fn from(r: rows::Receipt) -> Self {
        Receipt {
            url: format!("/api/v1/expenses/{}/receipts/{}", r.expense_id, r.file_name),
            id: r.id,
            expense_id: r.expense_id,
            name: r.original_name,
            mime: r.mime,
            size_bytes: r.size_bytes,
            created_at: r.created_at,
        }
    }
}

/// A line of the ledger: the expense and the balance after it (approved expenses move it).
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct LedgerLine {
    pub expense: Expense,
    pub balance_after_fen: i64,
    pub receipts: Vec<Receipt>,
}

/// A grant with its ledger, in the order of the days spent.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct GrantDetail {
    #[serde(flatten)]
    pub grant: Grant,
    pub ledger: Vec<LedgerLine>,
}

impl From<svc::GrantDetail> for GrantDetail {
    fn from(d: svc::GrantDetail) -> Self {
        GrantDetail {
            grant: d.grant.into(),
            ledger: d
                .rows
                .into_iter()
                .map(|r| LedgerLine {
                    expense: r.expense.into(),
                    balance_after_fen: r.balance_fen,
                    receipts: all(r.receipts),
                })
                .collect(),
        }
    }
}
