//! Funds (经费): a union grants money to a studio or an alliance; the holder studio's leader
//! files expenses with receipts; the granting union approves or returns them; the ledger shows
//! each line with its running balance and goes out to xlsx for audit (Jieyang art. 12–13).

pub mod expenses;
pub mod grants;
pub mod ledger;
pub mod receipts;

pub use expenses::{DecisionInput, ExpenseInput};
pub use grants::{GrantDetail, GrantInput, LedgerRow};
