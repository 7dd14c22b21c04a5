//! Onboarding supervision (上线进网督导): for an org's subtree, the studios registered but not
//! online, each with what it still lacks, its leader's contact and the deadline that applies,
//! the nearest first; and the reminders their leaders were sent.

use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::{Actor, policy};
use crate::domain::onboarding::{Reminder, studio_deadline};
use crate::error::{AppError, AppResult};
use crate::service::orgs::china_today;
use crate::service::studios::missing_fields;
use crate::store::{Db, onboarding, orgs, studios, users};

/// The most offline studios a page lists (the reminders reach every one).
const LIST_MAX: i64 = 2_000;

/// A reminder sent to a studio's leader.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SentReminder {
    pub kind: Reminder,
    /// The deadline it was about, `YYYY-MM-DD`.
    pub deadline: String,
    pub sent_at: String,
}

/// A studio still offline, as staff follow it up.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OfflineStudio {
    pub studio_id: i64,
    pub name: String,
    /// Its host unit.
    pub unit_name: String,
    pub demonstration: bool,
    /// The fields of the application form still empty (codes, as the API's field errors).
    pub missing: Vec<&'static str>,
    pub leader_id: i64,
    pub leader_name: String,
    /// For the staff who call (they are above the studio's unit).
    pub leader_phone: String,
    /// The deadline that applies, `YYYY-MM-DD`, if a union above set one.
    pub deadline: Option<String>,
    /// Days until the deadline; negative once it has passed.
    pub days_left: Option<i64>,
    pub late: bool,
    pub reminders: Vec<SentReminder>,
}

/// The studios of the org's subtree still offline, the nearest deadline first (those without
/// one last). Staff of the org or above it.
pub async fn offline(db: &Db, actor: &Actor, org_id: i64) -> AppResult<Vec<OfflineStudio>> {
    let org = orgs::find(db.reader(), org_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    policy::view_onboarding(actor, &org)?;
    let pool = db.reader();
    let nodes = onboarding::deadline_nodes(pool, &org.path).await?;
    let list = studios::offline_under(pool, &org.path, LIST_MAX).await?;
    let leaders: Vec<i64> = list.iter().map(|s| s.leader_id).collect();
    let phones = users::phones(pool, &leaders).await?;
    let ids: Vec<i64> = list.iter().map(|s| s.id).collect();
    let sent = onboarding::sent(pool, &ids).await?;
    let today = china_today();
    let mut rows: Vec<OfflineStudio> = list
        .iter()
        .map(|s| {
            let (deadline, _) = studio_deadline(&nodes, &s.org_path, s.demonstration);
            let days_left = deadline.map(|d| (d - today).num_days());
            OfflineStudio {
                studio_id: s.id,
                name: s.name.clone(),
                unit_name: s.org_name.clone(),
                demonstration: s.demonstration,
                missing: missing_fields(s),
                leader_id: s.leader_id,
                leader_name: s.leader_name.clone(),
                leader_phone: phones
                    .iter()
                    .find(|(id, _)| *id == s.leader_id)
                    .map(|(_, p)| p.clone())
                    .unwrap_or_default(),
                deadline: deadline.map(|d| d.to_string()),
                late: days_left.is_some_and(|d| d < 0),
                days_left,
                reminders: sent
                    .iter()
                    .filter(|r| r.studio_id == s.id)
                    .map(|r| SentReminder {
                        kind: r.kind,
                        deadline: r.deadline.clone(),
                        sent_at: r.sent_at.clone(),
                    })
                    .collect(),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        (a.deadline.is_none(), &a.deadline, &a.name).cmp(&(
            b.deadline.is_none(),
            &b.deadline,
            &b.name,
        ))
    });
    Ok(rows)
}
