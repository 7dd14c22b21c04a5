//! The sweep: expires open challenges whose deadline passed with no award, and escalates stale
//! work (催办) to the poster and the union staff above the posting studio. The rules are in
//! `domain::staleness`; this module gathers the facts and writes each change in its own
//! transaction, so one failing challenge never holds up the rest.
//!
//! Several nodes may sweep at once: an expiry goes through the lifecycle's conditional status
//! update (one node moves the challenge, the others find it moved), and an escalation is sent only
//! by the transaction that inserts its row in `escalations` (the unique key lets one win).

use std::fmt;
use std::time::Duration;

use crate::config::Config;
use crate::domain::challenge::ChallengeAction;
use crate::domain::staleness::{Due, Escalation, Facts, StaleKind, Thresholds, assess, china_date};
use crate::domain::text::parse_date;
use crate::error::{AppError, AppResult};
use crate::service::challenges::{notify_claim, notify_poster, step};
use crate::store::challenges::{self, Challenge};
use crate::store::escalations::{self, Bounds, Candidate};
use crate::store::{Db, audit, claims, notifications, orgs, studios};

/// Candidates are read a page at a time, so a large board never sits in memory at once.
const PAGE: i64 = 200;

/// The staff role that follows up on stale work: union cadres (experts advise, they do not
/// chase).
const FOLLOW_UP_ROLE: &str = "staff";

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    /// Challenges moved to expired.
    pub expired: usize,
    /// Escalations sent (one per challenge, kind and quiet spell).
    pub escalated: usize,
    /// Onboarding reminders sent to leaders of studios still offline.
    pub reminded: usize,
}

impl Report {
    pub fn is_empty(&self) -> bool {
        self.expired == 0 && self.escalated == 0 && self.reminded == 0
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} expired, {} escalated, {} reminded",
            self.expired, self.escalated, self.reminded
        )
    }
}

/// The thresholds the settings put in force.
pub fn thresholds(config: &Config) -> Thresholds {
    Thresholds {
        open_days: config.stale_open_days,
        claim_days: config.stale_claim_days,
        progress_days: config.stale_progress_days,
    }
}

/// One pass at `now` (Unix ms). Fails only when the candidates cannot be read; a challenge
/// that fails on its own is logged and left for the next pass.
pub async fn sweep(db: &Db, t: Thresholds, now: i64) -> AppResult<Report> {
    let bounds = Bounds {
        today: china_date(now).format("%Y-%m-%d").to_string(),
        open: t.cutoff(StaleKind::Open, now),
        claim: t.cutoff(StaleKind::Claim, now),
        progress: t.cutoff(StaleKind::Progress, now),
    };
    let mut report = Report::default();
    let mut after = 0;
    loop {
        let page = escalations::candidates(db.reader(), &bounds, after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        let ids: Vec<i64> = page.iter().map(|c| c.id).collect();
        let sent = escalations::sent(db.reader(), &ids).await?;
        for cand in &page {
            match assess(&facts_of(cand), now, &t) {
                Due::Expire => match expire(db, cand.id).await {
                    Ok(true) => report.expired += 1,
                    Ok(false) => {}
                    Err(e) => tracing::warn!(challenge = cand.id, error = %e, "expiring failed"),
                },
                Due::Escalate(due) => {
                    for esc in due {
                        let done = sent.iter().any(|(id, kind, stage)| {
                            *id == cand.id && kind == esc.kind.code() && *stage == esc.stage
                        });
                        if done {
                            continue;
                        }
                        match escalate(db, cand.id, &esc, now).await {
                            Ok(true) => report.escalated += 1,
                            Ok(false) => {}
                            Err(e) => tracing::warn!(
                                challenge = cand.id, kind = esc.kind.code(), error = %e,
                                "escalating failed"
                            ),
                        }
                    }
                }
            }
        }
        if (page.len() as i64) < PAGE {
            break;
        }
    }
    report.reminded = super::reminders::remind_offline(db, china_date(now)).await?
        + super::reminders::remind_reports(db).await?;
    Ok(report)
}

fn facts_of(c: &Candidate) -> Facts {
    Facts {
        status: c.status,
        deadline: c.deadline.as_deref().and_then(parse_date),
        published_at: c.published_at,
        last_activity_at: c.last_activity_at,
        last_claim_change: c.last_claim_change,
        oldest_pending: c.oldest_pending,
    }
}

/// The posting studio's leader and the path of its host org; for a union's challenge, the
/// staff member who posted it and the union's path.
async fn poster_side(db: &Db, ch: &Challenge) -> AppResult<(i64, String)> {
    if let (None, Some(path)) = (ch.studio_id, &ch.org_path) {
        return Ok((ch.author_id, path.clone()));
    }
    let studio = studios::find(db.reader(), ch.studio_id.unwrap_or_default())
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok((studio.leader_id, studio.org_path))
}

/// Expires one challenge: declines its pending claims and tells the poster and those claimants.
/// `false` when another request or node changed it first.
async fn expire(db: &Db, id: i64) -> AppResult<bool> {
    let Some(ch) = challenges::find(db.reader(), id).await? else {
        return Ok(false);
    };
    let (leader, _) = poster_side(db, &ch).await?;
    let all = claims::of_challenge(db.reader(), id).await?;
    let mut tx = db.begin().await?;
    match step(&mut tx, &ch, ChallengeAction::Expire).await {
        Ok(_) => {}
        // Awarded, cancelled or expired meanwhile: nothing left to do here.
        Err(AppError::Client(_)) => return Ok(false),
        Err(e) => return Err(e),
    }
    let declined = claims::decline_pending(&mut tx, id).await?;
    let deadline = ch.deadline.clone().unwrap_or_default();
    // The timeline names a person for every line; the poster's own challenge ran out.
    challenges::add_event(
        &mut tx,
        id,
        ch.author_id,
        "expire",
        &format!("截止日期 {deadline} 已过，无人挂帅 / deadline passed with no award"),
        None,
    )
    .await?;
    notify_poster(
        &mut tx,
        &ch,
        leader,
        "challenge_expired",
        &format!(
            "榜单“{}”已过截止日期 {deadline}，无人挂帅，已自动结束",
            ch.title
        ),
    )
    .await?;
    // Only the claims this expiry closed: withdrawn and declined ones were told already.
    let subject = format!("榜单“{}”已过截止日期，你们的揭榜申请已关闭", ch.title);
    for (claim_id, author_id) in &declined {
        match all.iter().find(|c| c.id == *claim_id) {
            Some(claim) => notify_claim(&mut tx, claim, "challenge_expired", &subject, id).await?,
            // Claimed after we read the claims: its author is told, at least.
            None => {
                let link = format!("/challenges/{id}");
                notifications::push(&mut tx, *author_id, "challenge_expired", &subject, &link)
                    .await?
            }
        }
    }
    audit::record(&mut tx, None, "expire", "challenge", id, &deadline).await?;
    tx.commit().await?;
    Ok(true)
}

/// Sends one escalation to the poster side and the union staff above the posting studio;
/// `false` when it was sent already (by an earlier pass or another node).
async fn escalate(db: &Db, id: i64, esc: &Escalation, now: i64) -> AppResult<bool> {
    let Some(ch) = challenges::find(db.reader(), id).await? else {
        return Ok(false);
    };
    let (leader, org_path) = poster_side(db, &ch).await?;
    let staff = orgs::staff_above(db.reader(), &org_path, FOLLOW_UP_ROLE).await?;
    let mut people: Vec<i64> = Vec::new();
    for user in [ch.author_id, leader].into_iter().chain(staff) {
        if !people.contains(&user) {
            people.push(user);
        }
    }
    let kind = esc.kind.code();
    let mut tx = db.begin().await?;
    if !escalations::record(&mut tx, id, kind, esc.stage, people.len() as i64, now).await? {
        return Ok(false);
    }
    let subject = subject(&ch, esc, now);
    notify_poster(&mut tx, &ch, leader, kind, &subject).await?;
    let link = format!("/challenges/{id}");
    for user in people
        .iter()
        .filter(|u| **u != ch.author_id && **u != leader)
    {
        notifications::push(&mut tx, *user, kind, &subject, &link).await?;
    }
    audit::record(&mut tx, None, "escalate", "challenge", id, kind).await?;
    tx.commit().await?;
    Ok(true)
}

fn subject(ch: &Challenge, esc: &Escalation, now: i64) -> String {
    let days = esc.idle_days(now);
    let title = &ch.title;
    match esc.kind {
        StaleKind::Open => format!("催办：榜单“{title}”发布已 {days} 天，仍无人揭榜"),
        StaleKind::Claim => format!("催办：“{title}”有揭榜申请 {days} 天未答复"),
        StaleKind::Progress => format!("催办：“{title}”已 {days} 天没有进展"),
    }
}

/// Runs a pass every `every` until `stop` turns true (or its sender is dropped). The first pass
/// waits one interval, so a starting node serves before it sweeps. Errors are logged; the next
/// pass tries again.
pub async fn run(
    db: Db,
    t: Thresholds,
    every: Duration,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let mut ticker = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = stop.wait_for(|s| *s) => return,
            _ = ticker.tick() => {}
        }
        // Shutdown may cut a pass short: each change is its own transaction, so an unfinished
        // one rolls back and the next pass (on any node) picks it up.
        tokio::select! {
            _ = stop.wait_for(|s| *s) => return,
            result = sweep(&db, t, crate::store::now_ms()) => match result {
                Ok(report) if !report.is_empty() => tracing::info!(%report, "sweep"),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "sweep failed"),
            },
        }
    }
}
