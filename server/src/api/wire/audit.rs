//! The audit log on the wire.

use crate::store::audit as rows;

wire! {
    /// One action: who (none for the system), what, on which entity, when, from where.
    pub struct AuditLine from rows::AuditLine {
        id: i64,
        actor_id: Option<i64>,
        actor_name: Option<String>,
        action: String,
        entity_kind: String,
        entity_id: i64,
        detail: String,
        /// The client's address (empty for the command line and background jobs).
        address: String,
        created_at: String,
    }
}
