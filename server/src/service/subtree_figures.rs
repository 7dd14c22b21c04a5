//! The supervision figures (督导) of a union for a year: the union itself and each of its child
//! orgs, every row the total of that org's subtree, for staff of the union or above it.

use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::{Actor, policy};
use crate::domain::metrics::{Period, YEARS};
use crate::domain::onboarding;
use crate::domain::subtree_figures::{Figure, Figures, OwnFigures, subtree_total};
use crate::error::{AppError, AppResult};
use crate::service::orgs::china_today;
use crate::service::reports;
use crate::store::{Db, orgs, subtree_figures};

/// One org's row: its subtree's onboarding as of today and its figures of the year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SupervisionRow {
    pub org_id: i64,
    pub name: String,
    pub level: String,
    /// Studios registered in the subtree, and online.
    pub registered: i64,
    pub online: i64,
    /// Percent of registered studios online (0 when none are registered).
    pub percent_online: u32,
    /// The deadline for all studios that applies (own or inherited), `YYYY-MM-DD`.
    pub deadline_all: Option<String>,
    /// A deadline has passed with studios still offline.
    pub late: bool,
    #[serde(flatten)]
    pub figures: Figures,
}

/// The supervision figures of an org: `rows[0]` is the org itself (the totals), then each child
/// org in path order.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Supervision {
    pub org_id: i64,
    pub org_name: String,
    pub year: i32,
    pub rows: Vec<SupervisionRow>,
}

/// The figures of the org's subtree for `year` (this year in China by default). Staff of the
/// org or above it; 422 for a year outside the range.
pub async fn of_org(
    db: &Db,
    actor: &Actor,
    org_id: i64,
    year: Option<i32>,
) -> AppResult<Supervision> {
    use chrono::Datelike;
    let pool = db.reader();
    let org = orgs::find(pool, org_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    policy::view_onboarding(actor, &org)?;
    let today = china_today();
    let year = year.unwrap_or_else(|| today.year());
    let period = Period::of_year(year).ok_or_else(|| {
        AppError::invalid_field(
            "year",
            format!(
                "年份应在 {}–{} 之间 / year must be {}–{}",
                YEARS.start(),
                YEARS.end(),
                YEARS.start(),
                YEARS.end()
            ),
        )
    })?;

    let nodes = orgs::tree_with_counts(pool, &org).await?;
    let path_of = |id: i64| nodes.iter().find(|n| n.id == id).map(|n| n.path.clone());
    let mut own: Vec<OwnFigures> = Vec::new();
    let mut add = |org_id: i64, f: Figure, n: i64| {
        // Every org counted is in the subtree, so its path is known.
        if let Some(path) = path_of(org_id) {
            let mut figures = Figures::default();
            figures.add(f, n);
            own.push(OwnFigures {
                org_id,
                path,
                figures,
            });
        }
    };
    for (f, org_id, n) in subtree_figures::own_figures(pool, &org.path, &period).await? {
        add(org_id, f, n);
    }
    for o in reports::overdue_under(db, &org.path).await? {
        add(o.unit_id, Figure::ReportsOverdue, 1);
    }

    let progress = onboarding::progress(&nodes, org.id, today);
    let rows = progress
        .into_iter()
        .filter(|p| p.depth <= 1)
        .map(|p| SupervisionRow {
            figures: path_of(p.org_id)
                .map(|path| subtree_total(&path, &own))
                .unwrap_or_default(),
            org_id: p.org_id,
            name: p.name,
            level: p.level,
            registered: p.registered,
            online: p.online,
            percent_online: p.percent_online,
            deadline_all: p.deadline_all,
            late: p.late,
        })
        .collect();
    Ok(Supervision {
        org_id: org.id,
        org_name: org.name,
        year,
        rows,
    })
}
