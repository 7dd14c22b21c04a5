//! Honour recommendations on the wire.

use crate::domain::honours::HonourStatus;
use crate::store::honours as rows;

wire! {
    /// A recommendation for an honour (荣誉推荐) and its result. Exactly one subject is set.
    pub struct HonourRecord from rows::HonourRecord {
        id: i64,
        /// The recommending union.
        org_id: i64,
        org_name: String,
        /// `model_worker`, `may_day_medal`, `craftsman`, `women_pacesetter`, `pioneer_team`,
        /// `may_day_award`, `model_studio` or `innovation_outcome`.
        honour: String,
        /// `national`, `province`, `city` or `district`.
        level: String,
        year: i64,
        user_id: Option<i64>,
        user_name: Option<String>,
        studio_id: Option<i64>,
        studio_name: Option<String>,
        outcome_id: Option<i64>,
        outcome_title: Option<String>,
        reason: String,
        status: HonourStatus,
        /// The document or meeting that decided it.
        note: String,
        recorded_by: i64,
        recorded_by_name: String,
        created_at: String,
    }
    hidden { org_path }
}
