//! Change requests of named studios on the wire (Jieyang art. 7).

use crate::domain::studio_change::{ChangeKind, ChangeStatus};
use crate::store::studio_changes as rows;

wire! {
    /// A request to change a named studio: a new leader, a new name or the title's
    /// cancellation, and where it stands.
    pub struct StudioChange from rows::StudioChange {
        id: i64,
        studio_id: i64,
        studio_name: String,
        kind: ChangeKind,
        new_leader_id: Option<i64>,
        new_leader_name: Option<String>,
        /// The name the studio takes when approved (empty: unchanged).
        new_name: String,
        reason: String,
        status: ChangeStatus,
        requested_by: i64,
        requested_by_name: String,
        /// The last decision's opinion.
        opinion: String,
        created_at: String,
        updated_at: String,
    }
    hidden { unit_id, unit_path, naming_org_id, naming_org_path }
}
