//! Use cases shared by the JSON API and the web pages: validate, ask the policy, write the
//! change with its outbox and audit rows in one transaction.

pub mod accounts;
pub mod alliance_membership;
pub mod alliances;
pub mod challenges;
pub mod chat;
pub mod chat_send;
pub mod claims;
pub mod courses;
pub mod directory;
pub mod event_attendance;
pub mod events;
pub mod hosts;
pub mod mentorships;
pub mod network;
pub mod notifications;
pub mod orgs;
pub mod outcomes;
pub mod search;
pub mod studios;
pub mod work;

/// The answer to a creation: the new thing's id.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Created {
    pub id: i64,
}

/// A page of a list, with the cursor of the next one.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// List paging input: `limit` (default 20, max 100) and an opaque cursor.
#[derive(Debug, Default, Clone, serde::Deserialize, utoipa::IntoParams)]
pub struct Paging {
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

impl Paging {
    /// The limit to use and the id to start after; 422 for a bad cursor or limit.
    pub fn resolve(&self) -> Result<(i64, Option<i64>), crate::error::AppError> {
        let limit = self.limit.unwrap_or(20);
        if !(1..=100).contains(&limit) {
            return Err(crate::error::AppError::invalid_field(
                "limit",
                "limit 应在 1–100 之间 / must be 1–100",
            ));
        }
        let after = match self.cursor.as_deref().filter(|c| !c.is_empty()) {
            None => None,
            Some(c) => Some(crate::store::decode_cursor(c).ok_or_else(|| {
                crate::error::AppError::invalid_field("cursor", "无效的游标 / invalid cursor")
            })?),
        };
        Ok((limit, after))
    }
}

/// Builds a page from `limit + 1` fetched rows.
pub fn page<T>(mut rows: Vec<T>, limit: i64, id: impl Fn(&T) -> i64) -> Page<T> {
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| crate::store::encode_cursor(id(r)))
    } else {
        None
    };
    Page {
        items: rows,
        next_cursor,
    }
}
