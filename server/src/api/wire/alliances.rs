//! Alliances on the wire: the alliance, its member studios and join requests.

use crate::domain::alliance::{AllianceStatus, RequestStatus};
use crate::service::alliances::{self as svc, AllianceViewer};
use crate::store::{alliance_requests, alliances};

use super::all;

wire! {
    /// An alliance (工作室联盟).
    pub struct Alliance from alliances::Alliance {
        id: i64,
        name: String,
        description: String,
        /// cross_region, cross_industry, cross_enterprise or within_enterprise.
        scope: String,
        /// The union org the alliance sits under.
        org_id: i64,
        org_name: String,
        lead_studio_id: i64,
        lead_studio_name: String,
        status: AllianceStatus,
        member_count: i64,
        created_at: String,
    }
    hidden { org_path }
}

wire! {
    /// A member studio as the alliance page shows it.
    pub struct MemberStudio from alliances::MemberStudio {
        studio_id: i64,
        name: String,
        org_name: String,
        industry: String,
        region: String,
        joined_at: String,
    }
}

wire! {
    /// A join request (the studio asks) or invitation (the alliance asks).
    pub struct JoinRequest from alliance_requests::JoinRequest {
        id: i64,
        alliance_id: i64,
        studio_id: i64,
        studio_name: String,
        /// request or invite.
        kind: String,
        status: RequestStatus,
        message: String,
        author_id: i64,
        created_at: String,
    }
}

wire! {
    /// An alliance with its members; pending requests for those who may act on them.
    pub struct AllianceDetail from svc::AllianceDetail {
        #[serde(flatten)]
        alliance: Alliance => Alliance::from,
        members: Vec<MemberStudio> => all,
        requests: Vec<JoinRequest> => all,
        viewer: AllianceViewer,
    }
}
