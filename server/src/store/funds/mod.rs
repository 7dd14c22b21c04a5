//! Grants, their expenses and the expenses' receipts (Jieyang art. 12–13).

pub mod expenses;
pub mod grants;
pub mod receipts;

pub use expenses::Expense;
pub use grants::Grant;
pub use receipts::Receipt;

/// Which grants a reader may see, as the service worked it out from the union tree: all of
/// them (platform admins), or those granted by or held under an org at one of `paths`, and
/// those held by one of `studios`.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub all: bool,
    pub paths: Vec<String>,
    pub studios: Vec<i64>,
}

impl Scope {
    /// The SQL condition on `g` (grants), `o` (the granting org) and `ao` (the account's org),
    /// with the paths bound from `$first`; answers the condition and the values to bind.
    pub(crate) fn condition(&self, first: usize) -> (String, Vec<String>) {
        if self.all {
            return ("TRUE".to_owned(), Vec::new());
        }
        let mut parts = Vec::new();
        for (i, _) in self.paths.iter().enumerate() {
            let n = first + i;
            parts.push(format!(
                "o.path LIKE ${n} || '%' OR ao.path LIKE ${n} || '%'"
            ));
        }
        if !self.studios.is_empty() {
            let ids: Vec<String> = self.studios.iter().map(i64::to_string).collect();
            parts.push(format!("g.holder_studio_id IN ({})", ids.join(", ")));
        }
        if parts.is_empty() {
            return ("FALSE".to_owned(), Vec::new());
        }
        (format!("({})", parts.join(" OR ")), self.paths.clone())
    }
}
