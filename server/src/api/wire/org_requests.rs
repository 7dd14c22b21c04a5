//! Requests to add a host enterprise on the wire.

use crate::domain::request::RequestStatus;
use crate::store::org_requests;

fn code(s: RequestStatus) -> String {
    s.code().to_owned()
}

wire! {
    /// A request to add a host enterprise to the union tree.
    pub struct OrgRequest from org_requests::OrgRequest {
        id: i64,
        /// The union it belongs under.
        parent_id: i64,
        parent_name: String,
        /// The enterprise's name.
        name: String,
        note: String,
        requested_by: i64,
        requester_name: String,
        /// `pending`, `approved` or `declined`.
        status: String => code,
        /// Why it was declined.
        reason: String,
        /// The enterprise in the tree, once approved.
        org_id: Option<i64>,
        /// RFC 3339.
        created_at: String,
    }
    hidden { parent_path }
}
