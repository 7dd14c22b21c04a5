//! The workbench (工作台): what waits for the signed-in person, gathered from every area where
//! something waits (their studios' challenges, naming, assessment, changes of named studios),
//! each item linking to the place where it is done.

use crate::auth::{Actor, policy};
use crate::domain::challenge::ChallengeStatus;
use crate::domain::org::OrgLevel;
use crate::error::AppResult;
use crate::service::challenges::{self, BoardQuery};
use crate::service::studios::{self, StudioBrief};
use crate::service::{assessment, naming, notifications, studio_changes};
use crate::store::Db;
use crate::store::orgs::StaffRole;

/// One thing waiting for the reader.
#[derive(Debug, Clone)]
pub struct WorkItem {
    /// What kind of work: `claims`, `accept`, `draft`, `naming`, `assessment`, `change`,
    /// `expense`, `report`, `late`.
    pub kind: &'static str,
    pub title: String,
    /// What the title does not say: the studio it concerns, or the figures behind it.
    pub context: Option<String>,
    /// Where it stands: a translation prefix and a status code (`nm.status`, `submitted`).
    pub status: Option<(&'static str, &'static str)>,
    pub href: String,
}

#[derive(Debug, Default)]
pub struct Workbench {
    pub items: Vec<WorkItem>,
    /// The studios the reader belongs to.
    pub studios: Vec<StudioBrief>,
    /// The unions where the reader is staff (their pages show the subtree's progress).
    pub staff_orgs: Vec<StaffRole>,
    pub unread: i64,
}

/// How many of a led studio's challenges in one status the workbench looks at.
const PER_STATUS: i64 = 20;
/// How many late units of one union the workbench lists.
const LATE_UNITS: usize = 30;

pub async fn of(db: &Db, actor: &Actor) -> AppResult<Workbench> {
    let mut items = Vec::new();
    for studio in studios::led(db, actor).await? {
        let unit = studios::get(db, Some(actor), studio.id).await?.org_path;
        if let Some(due) = crate::service::reports::next_due(db, studio.id, &unit).await?
            && due.late
        {
            items.push(WorkItem {
                kind: "report",
                title: studio.name.clone(),
                context: Some(format!("{} · {}", due.period_label, due.due_on)),
                status: None,
                href: "/reports#file".to_owned(),
            });
        }
        for status in [
            ChallengeStatus::Open,
            ChallengeStatus::Delivered,
            ChallengeStatus::Draft,
        ] {
            let q = BoardQuery {
                status: Some(status.code().to_owned()),
                studio_id: Some(studio.id),
                limit: Some(PER_STATUS),
                ..BoardQuery::default()
            };
            for c in challenges::list(db, Some(actor), &q).await?.items {
                let kind = match status {
                    ChallengeStatus::Open if c.claim_count > 0 => "claims",
                    ChallengeStatus::Delivered => "accept",
                    ChallengeStatus::Draft => "draft",
                    _ => continue,
                };
                items.push(WorkItem {
                    kind,
                    title: c.title,
                    context: Some(studio.name.clone()),
                    status: None,
                    href: format!("/challenges/{}", c.id),
                });
            }
        }
    }
    for a in naming::queue(db, actor).await? {
        items.push(WorkItem {
            kind: "naming",
            context: None,
            status: Some(("nm.status", a.status.code())),
            href: format!("/naming/applications/{}", a.id),
            title: a.studio_name,
        });
    }
    for a in assessment::queue(db, actor).await? {
        items.push(WorkItem {
            kind: "assessment",
            context: None,
            status: Some(("as.status", a.status.code())),
            href: format!("/assessment/{}", a.id),
            title: a.studio_name,
        });
    }
    for c in studio_changes::waiting_for(db, actor).await? {
        items.push(WorkItem {
            kind: "change",
            context: None,
            status: Some(("chg.kind", c.kind.code())),
            href: format!("/studios/{}#changes", c.studio_id),
            title: c.studio_name,
        });
    }
    for (e, recipient) in crate::service::funds::expenses::waiting_for(db, actor).await? {
        items.push(WorkItem {
            kind: "expense",
            context: Some(format!("¥{}", crate::domain::funds::yuan(e.amount_fen))),
            status: None,
            href: format!("/funds/{}#e{}", e.grant_id, e.id),
            title: recipient,
        });
    }
    for r in crate::service::org_requests::to_decide(db, actor).await? {
        items.push(WorkItem {
            kind: "org_request",
            context: Some(r.parent_name),
            status: None,
            href: "/org-requests#to-decide".to_owned(),
            title: r.name,
        });
    }
    // Union staff: the units below them still offline after a deadline, each one to call.
    let staff_orgs = policy::staff_orgs(actor);
    for role in &staff_orgs {
        let rows = crate::service::orgs::onboarding(db, actor, role.org_id).await?;
        for row in rows
            .into_iter()
            .filter(|r| r.late && r.level == OrgLevel::Enterprise.code())
            .take(LATE_UNITS)
        {
            items.push(WorkItem {
                kind: "late",
                title: row.name,
                context: Some(format!("{} / {}", row.online, row.registered)),
                status: None,
                href: format!("/orgs/{}", row.org_id),
            });
        }
    }
    Ok(Workbench {
        items,
        studios: studios::mine(db, actor).await?,
        staff_orgs,
        unread: notifications::unread(db, actor).await?,
    })
}
