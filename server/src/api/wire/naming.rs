//! Naming on the wire (命名): batches, applications with their trail, panel and objections.

use crate::domain::naming::{ApplicationStatus, Category};
use crate::service::naming::{self as svc, ChecklistItem, NamingViewer, Snapshot};
use crate::store::naming as rows;

use super::all;

wire! {
    /// A naming batch of a union: its year, quota, window and conditions.
    pub struct Batch from rows::Batch {
        id: i64,
        /// The naming union.
        org_id: i64,
        org_name: String,
        year: i64,
        title: String,
        /// The kind of studio named; it ends the official name.
        category: Category,
        quota: i64,
        /// Applications are taken from this day…
        opens_on: String,
        /// …to this day, inclusive.
        closes_on: String,
        /// Days of public notice before naming.
        notice_days: i64,
        /// The conditions to meet (a checklist).
        conditions: Vec<String>,
        created_at: String,
    }
    hidden { org_path }
}

wire! {
    /// A studio's application for naming.
    pub struct Application from rows::Application {
        id: i64,
        batch_id: i64,
        batch_title: String,
        /// The naming union.
        org_id: i64,
        /// The studio applying, or an alliance's lead studio.
        studio_id: i64,
        /// The applicant's name: the studio's, or the alliance's.
        studio_name: String,
        /// The alliance applying through its lead studio, if any.
        alliance_id: Option<i64>,
        /// The studio's unit (its host org).
        unit_id: i64,
        leader_id: i64,
        leader_name: String,
        applicant_id: i64,
        status: ApplicationStatus,
        /// The official name it will take: 领衔人姓名 + 劳模和工匠人才创新工作室.
        proposed_name: String,
        /// When the public notice ends.
        notice_ends_at: Option<String>,
        created_at: String,
        updated_at: String,
    }
    hidden { org_path, unit_path, snapshot, notice_ends_ms }
}

wire! {
    /// One step of an application's trail: who, when, from which status to which, and why.
    pub struct TrailStep from rows::Step {
        id: i64,
        actor_id: i64,
        actor_name: String,
        action: String,
        from_status: String,
        to_status: String,
        opinion: String,
        created_at: String,
    }
}

wire! {
    /// An expert on the panel, with their score once given (and once the reader may see it).
    pub struct PanelSeat from rows::PanelSeat {
        expert_id: i64,
        expert_name: String,
        score: Option<i64>,
        comment: String,
    }
}

wire! {
    /// An objection (异议) filed during the public notice, and its answer.
    pub struct Objection from rows::Objection {
        id: i64,
        author_id: i64,
        text: String,
        answer: String,
        answered: bool,
        created_at: String,
    }
}

wire! {
    /// A batch with its candidates (in public notice and named) and, for its staff, every
    /// application.
    pub struct BatchDetail from svc::BatchDetail {
        #[serde(flatten)]
        batch: Batch => Batch::from,
        candidates: Vec<Application> => all,
        applications: Vec<Application> => all,
        may_manage: bool,
    }
}

wire! {
    /// An application with what was frozen when it was sent, its trail, panel and objections,
    /// and what the reader may do.
    pub struct ApplicationDetail from svc::ApplicationDetail {
        #[serde(flatten)]
        application: Application => Application::from,
        snapshot: Option<Snapshot>,
        trail: Vec<TrailStep> => all,
        panel: Vec<PanelSeat> => all,
        objections: Vec<Objection> => all,
        /// While the studio may still send it: each condition with the data behind it.
        checklist: Vec<ChecklistItem>,
        viewer: NamingViewer,
    }
}
