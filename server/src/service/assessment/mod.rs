//! Assessment (考核): union staff open a round for the studios their union named; each studio
//! evaluates itself on its figures, and its assessment goes up the tree (Jieyang art. 9–10) to a
//! grade (art. 11); a failing studio rectifies and is rechecked, or is proposed for delisting;
//! three failing years in a row withdraw the naming (Changchun 5).

mod assessments;
mod figures;
mod rounds;
mod steps;

pub use assessments::{AssessmentDetail, AssessmentViewer, detail, get, latest_graded, queue};
pub use figures::{Figures, draft_self_evaluation};
pub use rounds::{RoundBoard, RoundCounts, RoundInput, board, open_round, rounds};
pub use steps::{StepAnswer, StepInput, step};
