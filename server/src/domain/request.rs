//! Requests decided once by the other side: an alliance's join requests and invitations, a
//! studio's request to add its host enterprise to the union tree.

/// A request's life: pending → approved | declined | withdrawn. Alliance join requests and
/// invitations, and requests to add a host enterprise to the union tree, live by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    Pending,
    Approved,
    Declined,
    Withdrawn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestAction {
    Approve,
    Decline,
    Withdraw,
}

impl RequestStatus {
    pub const ALL: [RequestStatus; 4] = [
        RequestStatus::Pending,
        RequestStatus::Approved,
        RequestStatus::Declined,
        RequestStatus::Withdrawn,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RequestStatus::Pending => "pending",
            RequestStatus::Approved => "approved",
            RequestStatus::Declined => "declined",
            RequestStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(code: &str) -> Option<RequestStatus> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Only a pending request can be decided or withdrawn.
    pub fn transition(self, action: RequestAction) -> Option<RequestStatus> {
        match (self, action) {
            (RequestStatus::Pending, RequestAction::Approve) => Some(RequestStatus::Approved),
            (RequestStatus::Pending, RequestAction::Decline) => Some(RequestStatus::Declined),
            (RequestStatus::Pending, RequestAction::Withdraw) => Some(RequestStatus::Withdrawn),
            _ => None,
        }
    }
}

impl RequestAction {
    /// The action named in a URL: `approve`, `decline` or `withdraw`.
    pub fn parse(code: &str) -> Option<RequestAction> {
        match code {
            "approve" => Some(RequestAction::Approve),
            "decline" => Some(RequestAction::Decline),
            "withdraw" => Some(RequestAction::Withdraw),
            _ => None,
        }
    }

    pub fn verb(self) -> &'static str {
        match self {
            RequestAction::Approve => "approve",
            RequestAction::Decline => "decline",
            RequestAction::Withdraw => "withdraw",
        }
    }
}
