//! A studio's own projects on the wire (课题).

use crate::domain::project::ProjectStatus;
use crate::service::projects as svc;
use crate::store::projects;

use super::all;
use super::challenges::TimelineEntry;

wire! {
    /// A studio's own project: registered, followed, delivered, turned into an outcome or
    /// opened as a challenge.
    pub struct Project from projects::Project {
        id: i64,
        studio_id: i64,
        studio_name: String,
        author_id: i64,
        title: String,
        description: String,
        industry: String,
        /// The plan with its milestones.
        plan: String,
        /// active, delivered, closed (an outcome) or opened (a challenge).
        status: ProjectStatus,
        /// How far it is, 0–100.
        percent: i64,
        summary: String,
        challenge_id: Option<i64>,
        outcome_id: Option<i64>,
        created_at: String,
        updated_at: String,
    }
    hidden { studio_org_path }
}

/// A member of the project's team.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct TeamMember {
    pub user_id: i64,
    pub display_name: String,
}

fn team_members(people: Vec<(i64, String)>) -> Vec<TeamMember> {
    people
        .into_iter()
        .map(|(user_id, display_name)| TeamMember {
            user_id,
            display_name,
        })
        .collect()
}

wire! {
    /// A project with its team and timeline, and what the reader may do.
    pub struct ProjectDetail from svc::ProjectDetail {
        #[serde(flatten)]
        project: Project => Project::from,
        team: Vec<TeamMember> => team_members,
        timeline: Vec<TimelineEntry> => all,
        /// Changes, delivers, opens as a challenge, records the outcome.
        may_manage: bool,
        /// Reports progress.
        may_report: bool,
    }
}

/// A studio's projects.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Projects {
    pub items: Vec<Project>,
}
