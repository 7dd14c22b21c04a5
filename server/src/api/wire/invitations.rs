//! Invitations to join a studio on the wire.

use crate::domain::invitation::InvitationStatus;
use crate::store::invitations;

fn code(s: InvitationStatus) -> String {
    s.code().to_owned()
}

wire! {
    /// An invitation to join a studio: the person becomes one of its people only by accepting.
    pub struct Invitation from invitations::Invitation {
        id: i64,
        studio_id: i64,
        studio_name: String,
        /// The person invited.
        user_id: i64,
        display_name: String,
        /// `member` or `apprentice`.
        role: String,
        /// Who invited them.
        invited_by_name: String,
        /// `pending`, `accepted` or `declined`.
        status: String => code,
        /// RFC 3339.
        created_at: String => crate::store::rfc3339,
    }
}
