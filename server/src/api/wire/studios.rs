//! Studios on the wire: the profile and its people.

use crate::domain::studio::StudioStatus;
use crate::store::{metrics, studio_members, studios};

wire! {
    /// A studio with its application-form profile.
    pub struct Studio from studios::Studio {
        id: i64,
        name: String,
        /// Host unit: the union of an enterprise or a public institution (基层单位工会).
        org_id: i64,
        org_name: String,
        /// The org that named the studio, if any, its name and its level (`city`, …).
        naming_org_id: Option<i64>,
        naming_org_name: Option<String>,
        naming_level: Option<String>,
        kind: String,
        field: String,
        industry: String,
        region: String,
        founded_on: String,
        goals: String,
        intro: String,
        outcomes_summary: String,
        honours: String,
        /// 单位类型: `enterprise`, `public_institution` or `other`.
        unit_type: String,
        /// The premises: area in m² and address.
        premises_m2: Option<i64>,
        premises_address: String,
        /// Main equipment, one item a line.
        equipment: String,
        /// A demonstration studio (示范工作室): it has the earlier onboarding deadline.
        demonstration: bool,
        status: StudioStatus,
        online: bool,
        /// When the studio went online, RFC 3339.
        onboarded_at: Option<String>,
        leader_id: i64,
        leader_name: String,
        member_count: i64,
        /// The studio's photo or logo: `/pictures/{picture}.jpg` (page) or `-s.jpg` (lists).
        picture: Option<String>,
    }
    hidden { org_path }
}

wire! {
    /// A member of a studio as listed on its page.
    pub struct Member from studio_members::Member {
        user_id: i64,
        display_name: String,
        role: String,
        trade: String,
        title: String,
        /// The portrait's name, if any.
        portrait: Option<String>,
    }
}

wire! {
    /// A studio's figures for a year (`GET /api/v1/studios/{id}/metrics?year=`): what happened
    /// in the year, China time; `members` is its size today.
    pub struct StudioMetrics from metrics::StudioMetrics {
        year: i32,
        /// Outcomes of the year, all kinds.
        outcomes: i64,
        patents: i64,
        /// Declared economic benefit of the year's outcomes, in yuan.
        benefit_yuan: i64,
        challenges_posted: i64,
        challenges_claimed: i64,
        /// Challenges accepted with this studio's claim awarded.
        challenges_solved: i64,
        mentorships_active: i64,
        mentorships_completed: i64,
        mentoring_hours: f64,
        events_hosted: i64,
        /// Check-ins of its people at events of the year.
        events_attended: i64,
        courses: i64,
        /// Enrolments in its courses.
        enrolments: i64,
        members: i64,
    }
}
