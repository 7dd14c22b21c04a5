//! Progress reports on the wire.

use crate::domain::reports::Period;
use crate::store::reports as rows;

wire! {
    /// A union's reporting schedule: its subtree reports each period by `due_day` of the month
    /// after it.
    pub struct Schedule from rows::Schedule {
        org_id: i64,
        org_name: String,
        period: Period,
        due_day: i64,
        /// The day it was set: periods due before it are not chased.
        set_on: String,
    }
    hidden { org_path }
}

wire! {
    /// A report (工作进展、存在问题、意见建议), for a period or urgent.
    pub struct Report from rows::Report {
        id: i64,
        /// The reporting studio (an alliance's lead studio).
        studio_id: i64,
        studio_name: String,
        alliance_id: Option<i64>,
        alliance_name: Option<String>,
        unit_name: String,
        /// `2026-11`, `2026-Q4` or `2026`; empty for an urgent report.
        period_key: String,
        period_label: String,
        urgent: bool,
        progress: String,
        problems: String,
        suggestions: String,
        filed_by: i64,
        filed_by_name: String,
        created_at: String,
    }
    hidden { unit_path }
}
