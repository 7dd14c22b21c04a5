//! Challenges on the wire (揭榜攻关): the challenge, its claims and teams, its timeline and
//! backers.

use crate::domain::challenge::{ChallengeStatus, ClaimStatus};
use crate::service::challenges::{self as svc, ChallengeViewer};
use crate::store::{challenge_backers, challenges, claims};

use super::all;

wire! {
    /// A challenge as the board and its page show it.
    pub struct Challenge from challenges::Challenge {
        id: i64,
        /// The posting studio; `null` when a union posted it.
        studio_id: Option<i64>,
        /// The posting union (发榜单位), when a union posted it.
        org_id: Option<i64>,
        /// The poster's name: the studio's or the union's.
        studio_name: String,
        author_id: i64,
        title: String,
        /// Markdown.
        description: String,
        industry: String,
        tags: Vec<String>,
        /// `YYYY-MM-DD`.
        deadline: Option<String>,
        reward_yuan: Option<i64>,
        /// public or alliance.
        visibility: String,
        alliance_id: Option<i64>,
        /// exclusive or parallel.
        claim_mode: String,
        status: ChallengeStatus,
        /// How often a delivery was sent back.
        send_backs: i64,
        /// The delivered summary.
        summary: String,
        rating: Option<i64>,
        review: String,
        cancel_reason: String,
        outcome_id: Option<i64>,
        published_at: Option<String>,
        claim_count: i64,
        created_at: String,
    }
    hidden { last_activity_ms, org_path }
}

wire! {
    /// One line of a challenge's timeline: a step, a progress report or a comment.
    pub struct TimelineEntry from challenges::Event {
        id: i64,
        author_id: i64,
        author_name: String,
        kind: String,
        body: String,
        percent: Option<i64>,
        created_at: String,
    }
}

wire! {
    /// A team member with their declared share of the work.
    pub struct TeamMember from claims::TeamMember {
        user_id: i64,
        display_name: String,
        studio_id: i64,
        studio_name: String,
        share_percent: i64,
    }
}

wire! {
    /// A claim as the challenge page lists it.
    pub struct Claim from claims::Claim {
        id: i64,
        challenge_id: i64,
        studio_id: i64,
        studio_name: String,
        author_id: i64,
        proposal: String,
        /// The plan with its milestones.
        plan: String,
        status: ClaimStatus,
        created_at: String,
        team: Vec<TeamMember> => all,
    }
}

wire! {
    /// A union or an enterprise backing the challenge (挂帅), with what it added to the reward.
    pub struct Backer from challenge_backers::Backer {
        org_id: i64,
        org_name: String,
        amount_yuan: i64,
        backed_by: i64,
        backer_name: String,
        created_at: String,
    }
}

/// A challenge with its claims, timeline and backers.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ChallengeDetail {
    #[serde(flatten)]
    pub challenge: Challenge,
    pub claims: Vec<Claim>,
    pub timeline: Vec<TimelineEntry>,
    pub viewer: ChallengeViewer,
    pub backers: Vec<Backer>,
    /// The reward with what the backers added, in yuan.
    pub total_reward_yuan: Option<i64>,
}

impl From<svc::ChallengeDetail> for ChallengeDetail {
    fn from(d: svc::ChallengeDetail) -> Self {
        let total_reward_yuan = d.total_reward_yuan();
        ChallengeDetail {
            challenge: d.challenge.into(),
            claims: all(d.claims),
            timeline: all(d.timeline),
            viewer: d.viewer,
            backers: all(d.backers),
            total_reward_yuan,
        }
    }
}
