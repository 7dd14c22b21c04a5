//! Use cases shared by the JSON API and the web pages: validate, ask the policy, write the
//! change with its outbox and audit rows in one transaction.

pub mod accounts;
pub mod adoptions;
pub mod alliance_membership;
pub mod alliances;
pub mod assessment;
pub mod attachments;
pub mod audit;
pub mod bulletins;
pub mod challenge_backers;
pub mod challenge_drafts;
pub mod challenges;
pub mod chat;
pub mod chat_send;
pub mod claims;
pub mod courses;
pub mod delisting;
pub mod directory;
pub mod event_attendance;
pub mod events;
pub mod funds;
pub mod honours;
pub mod hosts;
pub mod invitations;
pub mod mentorships;
pub mod metrics;
pub mod naming;
pub mod network;
pub mod notifications;
pub mod org_requests;
pub mod orgs;
pub mod outcomes;
pub mod outcomes_export;
pub mod people;
pub mod personal_data;
pub mod pictures;
pub mod projects;
pub mod reports;
pub mod search;
pub mod spreadsheet;
pub mod studio_changes;
pub mod studio_export;
pub mod studio_sheet;
pub mod studios;
pub mod subtree_figures;
pub mod supervision;
pub mod talent_export;
pub mod transfer_enquiries;
pub mod work;
pub mod workbench;

/// A field of a change that may be given as `null` (`Some(None)`, clear it) besides left out
/// (`None`, keep it). Use with `#[serde(default, deserialize_with = "super::given")]`.
pub(crate) fn given<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(d).map(Some)
}

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
        self.resolve_with(crate::store::decode_cursor)
    }

    /// The limit to use and the (key, id) to start after, for lists ordered by a key before
    /// the id; 422 for a bad cursor or limit.
    pub fn resolve_key(&self) -> Result<(i64, Option<(i64, i64)>), crate::error::AppError> {
        self.resolve_with(crate::store::decode_key_cursor)
    }

    fn resolve_with<K>(
        &self,
        decode: impl Fn(&str) -> Option<K>,
    ) -> Result<(i64, Option<K>), crate::error::AppError> {
        let limit = self.limit.unwrap_or(20);
        if !(1..=100).contains(&limit) {
            return Err(crate::error::AppError::invalid_field(
                "limit",
                "limit 应在 1–100 之间 / must be 1–100",
            ));
        }
        let after = match self.cursor.as_deref().filter(|c| !c.is_empty()) {
            None => None,
            Some(c) => Some(decode(c).ok_or_else(|| {
                crate::error::AppError::invalid_field("cursor", "无效的游标 / invalid cursor")
            })?),
        };
        Ok((limit, after))
    }
}

/// Builds a page from `limit + 1` fetched rows, newest first by id.
pub fn page<T>(rows: Vec<T>, limit: i64, id: impl Fn(&T) -> i64) -> Page<T> {
    page_with(rows, limit, |r| crate::store::encode_cursor(id(r)))
}

/// Builds a page from `limit + 1` fetched rows; `cursor` names the position after a row.
pub fn page_with<T>(mut rows: Vec<T>, limit: i64, cursor: impl Fn(&T) -> String) -> Page<T> {
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(cursor)
    } else {
        None
    };
    Page {
        items: rows,
        next_cursor,
    }
}

impl<T> Page<T> {
    /// Keeps the items `keep` accepts; the cursor still points past every fetched row, so a
    /// page may hold fewer items than its limit without ending the list.
    pub fn retain(mut self, keep: impl FnMut(&T) -> bool) -> Self {
        self.items.retain(keep);
        self
    }
}
