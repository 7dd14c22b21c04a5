//! Assessment on the wire (考核): rounds with their board, a studio's assessment with its
//! figures, trail and scores.

use crate::domain::assessment::{AssessmentStatus, Grade, RoundKind};
use crate::service::assessment::{self as svc, AssessmentViewer, Figures, RoundCounts};
use crate::store::assessment as rows;

use super::all;
use super::naming::TrailStep;

wire! {
    /// An assessment round of a union.
    pub struct Round from rows::Round {
        id: i64,
        /// The union whose named studios are assessed.
        org_id: i64,
        org_name: String,
        kind: RoundKind,
        year: i64,
        title: String,
        /// Self-evaluations are due by this day.
        due_on: String,
        created_at: String,
    }
    hidden { org_path }
}

wire! {
    /// A studio's assessment in a round.
    pub struct Assessment from rows::Assessment {
        id: i64,
        round_id: i64,
        round_title: String,
        round_kind: RoundKind,
        round_year: i64,
        due_on: String,
        /// The round's union.
        org_id: i64,
        /// The studio assessed, or an alliance's lead studio.
        studio_id: i64,
        /// The name of what is assessed: the studio's, or the alliance's.
        studio_name: String,
        /// The alliance assessed through its lead studio, if any.
        alliance_id: Option<i64>,
        /// The studio's unit (its host org).
        unit_id: i64,
        unit_name: String,
        leader_id: i64,
        leader_name: String,
        status: AssessmentStatus,
        grade: Option<Grade>,
        self_evaluation: String,
        rectify_by: String,
        requirements: String,
        /// The third failing year in a row: the naming is to be withdrawn (Changchun 5).
        withdrawal_flagged: bool,
        /// How many scores were given.
        scores: i64,
        /// Their mean, for readers who may see scores.
        score_avg: Option<f64>,
        /// Still without a self-evaluation after the due day.
        late: bool,
        created_at: String,
        updated_at: String,
    }
    hidden { org_path, unit_path, metrics }
}

wire! {
    /// One score of an assessment.
    pub struct ScoreLine from rows::ScoreLine {
        scorer_id: i64,
        scorer_name: String,
        score: i64,
        comment: String,
        scored_at: String,
    }
}

wire! {
    /// A round with how it stands and each studio the reader may see.
    pub struct RoundBoard from svc::RoundBoard {
        #[serde(flatten)]
        round: Round => Round::from,
        counts: RoundCounts,
        items: Vec<Assessment> => all,
        may_manage: bool,
    }
}

wire! {
    /// An assessment with its figures, the self-evaluation's draft, its trail, scores and what
    /// the reader may do.
    pub struct AssessmentDetail from svc::AssessmentDetail {
        #[serde(flatten)]
        assessment: Assessment => Assessment::from,
        figures: Figures,
        draft: String,
        trail: Vec<TrailStep> => all,
        scores: Vec<ScoreLine> => all,
        viewer: AssessmentViewer,
    }
}
