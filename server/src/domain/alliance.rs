//! Alliances (工作室联盟): two or more studios joining voluntarily around related work, led by
//! a lead studio (牵头工作室). The alliance and join-request lifecycles and the input rules.

use super::text::Checks;

/// Where an alliance is in its life: `forming` until a second studio joins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AllianceStatus {
    Forming,
    Active,
    /// Named by union staff (命名).
    Named,
    Dissolved,
}

/// A change to an alliance. Joins and departures carry the member count after the change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AllianceAction {
    Join { members_after: usize },
    Leave { members_after: usize },
    HandOver,
    Name,
    Dissolve,
}

impl AllianceStatus {
    pub const ALL: [AllianceStatus; 4] = [
        AllianceStatus::Forming,
        AllianceStatus::Active,
        AllianceStatus::Named,
        AllianceStatus::Dissolved,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AllianceStatus::Forming => "forming",
            AllianceStatus::Active => "active",
            AllianceStatus::Named => "named",
            AllianceStatus::Dissolved => "dissolved",
        }
    }

    pub fn parse(code: &str) -> Option<AllianceStatus> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The one transition function of the alliance lifecycle.
    pub fn transition(self, action: AllianceAction) -> Option<AllianceStatus> {
        use AllianceAction as A;
        use AllianceStatus as S;
        match (self, action) {
            (S::Dissolved, _) => None,
            (S::Forming, A::Join { members_after }) if members_after >= 2 => Some(S::Active),
            (S::Forming, A::Join { .. }) => Some(S::Forming),
            (S::Active | S::Named, A::Join { .. }) => Some(self),
            (_, A::Leave { members_after }) if members_after < 2 => Some(S::Forming),
            (S::Forming, A::Leave { .. }) => Some(S::Forming),
            (S::Active | S::Named, A::Leave { .. }) => Some(self),
            (_, A::HandOver) => Some(self),
            (S::Active, A::Name) => Some(S::Named),
            (_, A::Name) => None,
            (_, A::Dissolve) => Some(S::Dissolved),
        }
    }
}

impl AllianceAction {
    pub fn verb(self) -> &'static str {
        match self {
            AllianceAction::Join { .. } => "join",
            AllianceAction::Leave { .. } => "leave",
            AllianceAction::HandOver => "hand over the lead",
            AllianceAction::Name => "name",
            AllianceAction::Dissolve => "dissolve",
        }
    }
}

/// Who started a join request: the studio asking, or the alliance inviting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestKind {
    Request,
    Invite,
}

impl RequestKind {
    pub fn code(self) -> &'static str {
        match self {
            RequestKind::Request => "request",
            RequestKind::Invite => "invite",
        }
    }

    pub fn parse(code: &str) -> Option<RequestKind> {
        match code {
            "request" => Some(RequestKind::Request),
            "invite" => Some(RequestKind::Invite),
            _ => None,
        }
    }
}

pub use super::request::{RequestAction, RequestStatus};

/// Where an alliance reaches (跨区域 / 跨行业 / 跨企业 / 企业内部).
pub const SCOPES: [&str; 4] = [
    "cross_region",
    "cross_industry",
    "cross_enterprise",
    "within_enterprise",
];

pub const NAME_MAX: usize = 60;
pub const DESCRIPTION_MAX: usize = 5_000;

/// The founding form.
pub fn check_alliance(name: &str, description: &str, scope: &str, c: &mut Checks) {
    c.required("name", name, NAME_MAX);
    c.max_len("description", description, DESCRIPTION_MAX);
    if !SCOPES.contains(&scope) {
        c.fail(
            "scope",
            "应为 cross_region、cross_industry、cross_enterprise 或 within_enterprise / unknown scope",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AllianceStatus as S;

    fn actions() -> Vec<AllianceAction> {
        let mut all = vec![
            AllianceAction::HandOver,
            AllianceAction::Name,
            AllianceAction::Dissolve,
        ];
        for n in 0..4 {
            all.push(AllianceAction::Join { members_after: n });
            all.push(AllianceAction::Leave { members_after: n });
        }
        all
    }

    #[test]
    fn every_alliance_transition() {
        for from in S::ALL {
            for a in actions() {
                let expected = match (from, a) {
                    (S::Dissolved, _) => None,
                    (_, AllianceAction::Dissolve) => Some(S::Dissolved),
                    (_, AllianceAction::HandOver) => Some(from),
                    (S::Active, AllianceAction::Name) => Some(S::Named),
                    (_, AllianceAction::Name) => None,
                    (S::Forming, AllianceAction::Join { members_after }) => {
                        Some(if members_after >= 2 {
                            S::Active
                        } else {
                            S::Forming
                        })
                    }
                    (_, AllianceAction::Join { .. }) => Some(from),
                    (_, AllianceAction::Leave { members_after }) if members_after < 2 => {
                        Some(S::Forming)
                    }
                    (_, AllianceAction::Leave { .. }) => Some(from),
                };
                assert_eq!(from.transition(a), expected, "{from:?} {a:?}");
            }
        }
    }

    #[test]
    fn a_second_studio_makes_it_active_and_a_departure_back_to_forming() {
        let s = S::Forming.transition(AllianceAction::Join { members_after: 2 });
        assert_eq!(s, Some(S::Active));
        let s = S::Active.transition(AllianceAction::Leave { members_after: 1 });
        assert_eq!(s, Some(S::Forming));
    }

    #[test]
    fn every_request_transition() {
        for from in RequestStatus::ALL {
            for a in [
                RequestAction::Approve,
                RequestAction::Decline,
                RequestAction::Withdraw,
            ] {
                let got = from.transition(a);
                if from == RequestStatus::Pending {
                    assert!(got.is_some());
                } else {
                    assert_eq!(got, None, "{from:?} {a:?}");
                }
            }
        }
        assert_eq!(
            RequestStatus::Pending.transition(RequestAction::Approve),
            Some(RequestStatus::Approved)
        );
    }

    #[test]
    fn codes_round_trip() {
        for s in S::ALL {
            assert_eq!(S::parse(s.code()), Some(s));
        }
        for s in RequestStatus::ALL {
            assert_eq!(RequestStatus::parse(s.code()), Some(s));
        }
        assert_eq!(RequestKind::parse("invite"), Some(RequestKind::Invite));
        assert_eq!(
            RequestAction::parse("approve"),
            Some(RequestAction::Approve)
        );
        assert_eq!(RequestAction::parse("delete"), None);
    }

    #[test]
    fn founding_rules_count_characters() {
        let mut c = Checks::new();
        check_alliance(&"联".repeat(NAME_MAX), "", "cross_region", &mut c);
        assert!(c.is_empty());
        let mut c = Checks::new();
        check_alliance(&"联".repeat(NAME_MAX + 1), "", "everywhere", &mut c);
        let fields: Vec<String> = c.into_errors().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "scope"]);
    }
}
