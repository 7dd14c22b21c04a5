//! Reminders to leaders. Of studios still offline (上线进网督导): some days before the
//! deadline that applies to the studio (each union chooses how many; 7 unless one above it did)
//! and once it has passed. Each is sent once per studio, kind and deadline: the row that records
//! it is unique, so nodes sweeping at once send it once, and a new deadline starts afresh. Of
//! studios whose progress report is missing (信息报送): once per studio and period.

use chrono::NaiveDate;

use crate::domain::onboarding::{Reminder, studio_deadline};
use crate::error::AppResult;
use crate::store::{Db, notifications, onboarding, studios};

/// Sends the reminders due on `today`; answers how many were sent.
pub async fn remind_offline(db: &Db, today: NaiveDate) -> AppResult<usize> {
    let pool = db.reader();
    let nodes = onboarding::deadline_nodes(pool, "/").await?;
    // The whole platform's offline studios at once: a few thousand rows of a few hundred bytes.
    let list = studios::offline_under(pool, "/", i64::MAX).await?;
    let ids: Vec<i64> = list.iter().map(|s| s.id).collect();
    let sent = onboarding::sent(pool, &ids).await?;
    let mut count = 0;
    for s in &list {
        let (Some(deadline), days) = studio_deadline(&nodes, &s.org_path, s.demonstration) else {
            continue;
        };
        let Some(kind) = Reminder::due(deadline, today, days) else {
            continue;
        };
        let day = deadline.to_string();
        if sent
            .iter()
            .any(|r| r.studio_id == s.id && r.kind == kind && r.deadline == day)
        {
            continue;
        }
        let subject = match kind {
            Reminder::Before => format!("上线提醒：{}须在 {day} 前完善资料、上线进网", s.name),
            Reminder::After => format!(
                "上线逾期：{}已超过 {day} 的上线期限，请尽快完善资料并上线",
                s.name
            ),
        };
        let mut tx = db.begin().await?;
        if onboarding::record(&mut tx, s.id, kind, &day, s.leader_id).await? {
            let link = format!("/studios/{}", s.id);
            notifications::push(&mut tx, s.leader_id, "onboarding", &subject, &link).await?;
            count += 1;
        }
        tx.commit().await?;
    }
    Ok(count)
}

/// Reminds the leader of each online studio whose report for the last due period is missing,
/// once per studio and period (信息报送); answers how many were sent.
pub async fn remind_reports(db: &Db) -> AppResult<usize> {
    let mut count = 0;
    for o in crate::service::reports::overdue_under(db, "/").await? {
        if o.reminded {
            continue;
        }
        let mut tx = db.begin().await?;
        if crate::store::reports::remind_once(&mut tx, o.studio_id, &o.period_key).await? {
            let subject = format!(
                "信息报送提醒：{}的{}工作进展应于 {} 前报送，尚未收到",
                o.studio_name, o.period_label, o.due_on
            );
            notifications::push(&mut tx, o.leader_id, "report", &subject, "/reports").await?;
            count += 1;
        }
        tx.commit().await?;
    }
    Ok(count)
}
