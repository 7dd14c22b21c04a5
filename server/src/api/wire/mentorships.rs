//! Mentoring on the wire (师带徒): the pair, its log, the apprentice's work, the talent record.

use crate::domain::challenge::ClaimStatus;
use crate::domain::mentorship::MentorshipStatus;
use crate::service::mentorships::{self as svc, MentorshipViewer};
use crate::store::mentorships;

use super::all;

wire! {
    /// A mentor and apprentice pair of a studio.
    pub struct Mentorship from mentorships::Mentorship {
        id: i64,
        studio_id: i64,
        studio_name: String,
        mentor_id: i64,
        mentor_name: String,
        apprentice_id: i64,
        apprentice_name: String,
        skill: String,
        goals: String,
        plan: String,
        starts_on: String,
        ends_on: String,
        status: MentorshipStatus,
        evaluation: String,
        /// excellent, good, pass or fail once completed.
        grade: String,
        /// Hours logged so far.
        hours: f64,
        created_at: String,
    }
}

wire! {
    /// A logged session.
    pub struct LogEntry from mentorships::LogEntry {
        id: i64,
        author_id: i64,
        author_name: String,
        on: String,
        hours: f64,
        content: String,
    }
}

wire! {
    /// The talent-cultivation record of a studio or an alliance.
    pub struct TalentRecord from mentorships::TalentRecord {
        pairs: i64,
        active: i64,
        completed: i64,
        hours: f64,
        excellent: i64,
        good: i64,
        pass: i64,
        fail: i64,
    }
}

wire! {
    /// A challenge the apprentice worked on as a team member since the mentorship began.
    pub struct ApprenticeWork from mentorships::ApprenticeWork {
        challenge_id: i64,
        title: String,
        claim_status: ClaimStatus,
        share_percent: i64,
    }
}

wire! {
    /// A mentorship with its log and the challenge work of the apprentice.
    pub struct MentorshipDetail from svc::MentorshipDetail {
        #[serde(flatten)]
        mentorship: Mentorship => Mentorship::from,
        logs: Vec<LogEntry> => all,
        challenge_work: Vec<ApprenticeWork> => all,
        viewer: MentorshipViewer,
    }
}
