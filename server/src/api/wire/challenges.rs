//! Challenges on the wire (揭榜攻关): the challenge, its claims and teams, its timeline.

use crate::domain::challenge::{ChallengeStatus, ClaimStatus};
use crate::service::challenges::{self as svc, ChallengeViewer};
use crate::store::{challenges, claims};

use super::all;

wire! {
    /// A challenge as the board and its page show it.
    pub struct Challenge from challenges::Challenge {
        id: i64,
        /// The posting studio.
        studio_id: i64,
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
    hidden { last_activity_ms }
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
    /// A challenge with its claims and timeline.
    pub struct ChallengeDetail from svc::ChallengeDetail {
        #[serde(flatten)]
        challenge: Challenge => Challenge::from,
        claims: Vec<Claim> => all,
        timeline: Vec<TimelineEntry> => all,
        viewer: ChallengeViewer,
    }
}
