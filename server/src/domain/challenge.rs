//! Open challenges (揭榜攻关): the challenge and claim lifecycles and the rules of their input.
//!
//! The closed loop 问题收集 → 课题立项 → 项目跟进 → 集中攻关 → 成果转化 → 总结推广 maps to
//! draft → open → awarded → in_progress → delivered → accepted → closed.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use super::challenge_rules::*;

/// Where a challenge is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChallengeStatus {
    Draft,
    Open,
    Awarded,
    InProgress,
    Delivered,
    Accepted,
    Closed,
    Cancelled,
    Expired,
}

/// A step of the challenge lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChallengeAction {
    Publish,
    Award,
    Progress,
    Deliver,
    Accept,
    SendBack,
    Close,
    Cancel,
    Expire,
}

/// Exclusive: one claim is awarded. Parallel (赛马): several claims work side by side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClaimMode {
    Exclusive,
    Parallel,
}

impl ChallengeStatus {
    pub const ALL: [ChallengeStatus; 9] = [
        ChallengeStatus::Draft,
        ChallengeStatus::Open,
        ChallengeStatus::Awarded,
        ChallengeStatus::InProgress,
        ChallengeStatus::Delivered,
        ChallengeStatus::Accepted,
        ChallengeStatus::Closed,
        ChallengeStatus::Cancelled,
        ChallengeStatus::Expired,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ChallengeStatus::Draft => "draft",
            ChallengeStatus::Open => "open",
            ChallengeStatus::Awarded => "awarded",
            ChallengeStatus::InProgress => "in_progress",
            ChallengeStatus::Delivered => "delivered",
            ChallengeStatus::Accepted => "accepted",
            ChallengeStatus::Closed => "closed",
            ChallengeStatus::Cancelled => "cancelled",
            ChallengeStatus::Expired => "expired",
        }
    }

    pub fn parse(code: &str) -> Option<ChallengeStatus> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The one transition function of the challenge lifecycle. A parallel challenge may award
    /// further claims while it is awarded; an exclusive one awards exactly once.
    pub fn transition(self, action: ChallengeAction, mode: ClaimMode) -> Option<ChallengeStatus> {
        use ChallengeAction as A;
        use ChallengeStatus as S;
        match (self, action) {
            (S::Draft, A::Publish) => Some(S::Open),
            (S::Open, A::Award) => Some(S::Awarded),
            (S::Awarded, A::Award) if mode == ClaimMode::Parallel => Some(S::Awarded),
            (S::Awarded | S::InProgress, A::Progress) => Some(S::InProgress),
            (S::Awarded | S::InProgress, A::Deliver) => Some(S::Delivered),
            (S::Delivered, A::Accept) => Some(S::Accepted),
            (S::Delivered, A::SendBack) => Some(S::InProgress),
            (S::Accepted, A::Close) => Some(S::Closed),
            (S::Draft | S::Open | S::Awarded | S::InProgress, A::Cancel) => Some(S::Cancelled),
            (S::Open, A::Expire) => Some(S::Expired),
            _ => None,
        }
    }
}

impl ChallengeAction {
    pub const ALL: [ChallengeAction; 9] = [
        ChallengeAction::Publish,
        ChallengeAction::Award,
        ChallengeAction::Progress,
        ChallengeAction::Deliver,
        ChallengeAction::Accept,
        ChallengeAction::SendBack,
        ChallengeAction::Close,
        ChallengeAction::Cancel,
        ChallengeAction::Expire,
    ];

    pub fn verb(self) -> &'static str {
        match self {
            ChallengeAction::Publish => "publish",
            ChallengeAction::Award => "award",
            ChallengeAction::Progress => "post progress",
            ChallengeAction::Deliver => "deliver",
            ChallengeAction::Accept => "accept",
            ChallengeAction::SendBack => "send back",
            ChallengeAction::Close => "close",
            ChallengeAction::Cancel => "cancel",
            ChallengeAction::Expire => "expire",
        }
    }
}

impl ClaimMode {
    pub fn code(self) -> &'static str {
        match self {
            ClaimMode::Exclusive => "exclusive",
            ClaimMode::Parallel => "parallel",
        }
    }

    pub fn parse(code: &str) -> Option<ClaimMode> {
        match code {
            "exclusive" => Some(ClaimMode::Exclusive),
            "parallel" => Some(ClaimMode::Parallel),
            _ => None,
        }
    }
}

/// Where a claim (揭榜) is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClaimStatus {
    Pending,
    Awarded,
    Declined,
    Withdrawn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimAction {
    Award,
    Decline,
    Withdraw,
}

impl ClaimStatus {
    pub const ALL: [ClaimStatus; 4] = [
        ClaimStatus::Pending,
        ClaimStatus::Awarded,
        ClaimStatus::Declined,
        ClaimStatus::Withdrawn,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ClaimStatus::Pending => "pending",
            ClaimStatus::Awarded => "awarded",
            ClaimStatus::Declined => "declined",
            ClaimStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(code: &str) -> Option<ClaimStatus> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The one transition function of the claim lifecycle: only a pending claim moves.
    pub fn transition(self, action: ClaimAction) -> Option<ClaimStatus> {
        match (self, action) {
            (ClaimStatus::Pending, ClaimAction::Award) => Some(ClaimStatus::Awarded),
            (ClaimStatus::Pending, ClaimAction::Decline) => Some(ClaimStatus::Declined),
            (ClaimStatus::Pending, ClaimAction::Withdraw) => Some(ClaimStatus::Withdrawn),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ChallengeAction as A;
    use ChallengeStatus as S;

    /// Every (status, action, mode): the allowed moves move, everything else is rejected.
    #[test]
    fn every_challenge_status_and_action_pair_is_decided() {
        let allowed: &[(S, A, Option<ClaimMode>, S)] = &[
            (S::Draft, A::Publish, None, S::Open),
            (S::Open, A::Award, None, S::Awarded),
            (S::Awarded, A::Award, Some(ClaimMode::Parallel), S::Awarded),
            (S::Awarded, A::Progress, None, S::InProgress),
            (S::InProgress, A::Progress, None, S::InProgress),
            (S::Awarded, A::Deliver, None, S::Delivered),
            (S::InProgress, A::Deliver, None, S::Delivered),
            (S::Delivered, A::Accept, None, S::Accepted),
            (S::Delivered, A::SendBack, None, S::InProgress),
            (S::Accepted, A::Close, None, S::Closed),
            (S::Draft, A::Cancel, None, S::Cancelled),
            (S::Open, A::Cancel, None, S::Cancelled),
            (S::Awarded, A::Cancel, None, S::Cancelled),
            (S::InProgress, A::Cancel, None, S::Cancelled),
            (S::Open, A::Expire, None, S::Expired),
        ];
        for mode in [ClaimMode::Exclusive, ClaimMode::Parallel] {
            for s in S::ALL {
                for a in A::ALL {
                    let expected = allowed
                        .iter()
                        .find(|(from, act, m, _)| {
                            *from == s && *act == a && m.is_none_or(|m| m == mode)
                        })
                        .map(|(_, _, _, to)| *to);
                    assert_eq!(s.transition(a, mode), expected, "{s:?} + {a:?} ({mode:?})");
                }
            }
        }
    }

    #[test]
    fn every_claim_status_and_action_pair_is_decided() {
        use ClaimAction as CA;
        use ClaimStatus as CS;
        for s in CS::ALL {
            for a in [CA::Award, CA::Decline, CA::Withdraw] {
                let expected = match (s, a) {
                    (CS::Pending, CA::Award) => Some(CS::Awarded),
                    (CS::Pending, CA::Decline) => Some(CS::Declined),
                    (CS::Pending, CA::Withdraw) => Some(CS::Withdrawn),
                    _ => None,
                };
                assert_eq!(s.transition(a), expected, "{s:?} + {a:?}");
            }
        }
    }

    #[test]
    fn codes_round_trip() {
        for s in S::ALL {
            assert_eq!(S::parse(s.code()), Some(s));
        }
        for s in ClaimStatus::ALL {
            assert_eq!(ClaimStatus::parse(s.code()), Some(s));
        }
        assert_eq!(ClaimMode::parse("parallel"), Some(ClaimMode::Parallel));
        assert_eq!(ClaimMode::parse("horse_race"), None);
    }
}
