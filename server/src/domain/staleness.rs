//! Stale work (催办) and overdue challenges: for one challenge at one instant, whether its
//! deadline has passed with no award (it expires) or which escalations are due. Pure: the sweep
//! gathers the facts and does the writing.
//!
//! Each escalation carries a `stage`, the identity of the quiet spell it is about, so that the
//! sweep tells people once per spell: the same spell seen again gives the same stage, and only
//! new activity followed by a new quiet spell gives a new one.

use chrono::NaiveDate;

use super::challenge::{ChallengeAction, ChallengeStatus, ClaimMode};

pub const DAY_MS: i64 = 24 * 3600 * 1000;

/// What kind of work has gone quiet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StaleKind {
    /// A published challenge nobody has claimed.
    Open,
    /// A pending claim the poster has not answered.
    Claim,
    /// An awarded challenge with no progress.
    Progress,
}

impl StaleKind {
    pub const ALL: [StaleKind; 3] = [StaleKind::Open, StaleKind::Claim, StaleKind::Progress];

    pub fn code(self) -> &'static str {
        match self {
            StaleKind::Open => "stale_open",
            StaleKind::Claim => "stale_claim",
            StaleKind::Progress => "stale_progress",
        }
    }

    pub fn parse(code: &str) -> Option<StaleKind> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// How many quiet days make each kind stale; 0 turns that kind off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    pub open_days: i64,
    pub claim_days: i64,
    pub progress_days: i64,
}

impl Thresholds {
    fn days(&self, kind: StaleKind) -> i64 {
        match kind {
            StaleKind::Open => self.open_days,
            StaleKind::Claim => self.claim_days,
            StaleKind::Progress => self.progress_days,
        }
    }

    /// The latest instant a quiet spell of `kind` may have begun and be stale at `now`; `None`
    /// when the kind is off. The store uses it to pre-select candidates.
    pub fn cutoff(&self, kind: StaleKind, now: i64) -> Option<i64> {
        let days = self.days(kind);
        (days > 0).then(|| now.saturating_sub(days.saturating_mul(DAY_MS)))
    }

    fn stale(&self, kind: StaleKind, since: i64, now: i64) -> bool {
        self.cutoff(kind, now).is_some_and(|cutoff| since <= cutoff)
    }
}

/// What the sweep knows of one challenge. Instants are Unix milliseconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub status: ChallengeStatus,
    pub deadline: Option<NaiveDate>,
    pub published_at: Option<i64>,
    /// The last status change (publication, award, progress…).
    pub last_activity_at: i64,
    /// The latest claim made, withdrawn or decided, if any.
    pub last_claim_change: Option<i64>,
    /// The oldest pending claim: (id, created_at).
    pub oldest_pending: Option<(i64, i64)>,
}

/// An escalation that is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Escalation {
    pub kind: StaleKind,
    /// The quiet spell: when it began (open, progress) or the pending claim's id (claim).
    pub stage: i64,
    /// When the quiet spell began.
    pub since: i64,
}

impl Escalation {
    /// Whole days of quiet at `now`, for the message.
    pub fn idle_days(&self, now: i64) -> i64 {
        (now - self.since).max(0) / DAY_MS
    }
}

/// The verdict on one challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Due {
    /// The deadline passed with no award: the challenge expires (and nothing is escalated).
    Expire,
    /// These escalations, possibly none.
    Escalate(Vec<Escalation>),
}

/// The calendar date in China (UTC+8) at `now_ms`: deadlines fall on Chinese days.
pub fn china_date(now_ms: i64) -> NaiveDate {
    chrono::DateTime::from_timestamp_millis(now_ms.saturating_add(8 * 3600 * 1000))
        .unwrap_or_default()
        .date_naive()
}

/// A deadline has passed once its whole day is over in China.
pub fn deadline_passed(deadline: Option<NaiveDate>, today: NaiveDate) -> bool {
    deadline.is_some_and(|d| d < today)
}

/// Decides for one challenge at `now`.
pub fn assess(f: &Facts, now: i64, t: &Thresholds) -> Due {
    use ChallengeStatus as S;
    // Only what the lifecycle lets expire does (an open challenge: nothing awarded yet); the
    // claim mode plays no part in expiry.
    let expirable = f
        .status
        .transition(ChallengeAction::Expire, ClaimMode::Exclusive)
        .is_some();
    if expirable && deadline_passed(f.deadline, china_date(now)) {
        return Due::Expire;
    }
    let mut due = Vec::new();
    if f.status == S::Open && f.oldest_pending.is_none() {
        // Quiet since publication, or since the last claim came and went.
        let published = f.published_at.unwrap_or(f.last_activity_at);
        let since = f.last_claim_change.map_or(published, |c| c.max(published));
        if t.stale(StaleKind::Open, since, now) {
            due.push(Escalation {
                kind: StaleKind::Open,
                stage: since,
                since,
            });
        }
    }
    // A pending claim can still be answered while a parallel challenge is being worked on.
    if matches!(f.status, S::Open | S::Awarded | S::InProgress)
        && let Some((claim_id, created_at)) = f.oldest_pending
        && t.stale(StaleKind::Claim, created_at, now)
    {
        due.push(Escalation {
            kind: StaleKind::Claim,
            stage: claim_id,
            since: created_at,
        });
    }
    if matches!(f.status, S::Awarded | S::InProgress)
        && t.stale(StaleKind::Progress, f.last_activity_at, now)
    {
        due.push(Escalation {
            kind: StaleKind::Progress,
            stage: f.last_activity_at,
            since: f.last_activity_at,
        });
    }
    Due::Escalate(due)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ChallengeStatus as S;

    const T: Thresholds = Thresholds {
        open_days: 14,
        claim_days: 7,
        progress_days: 14,
    };
    /// 2026-11-21 12:00 in China.
    const NOON: i64 = 1_795_233_600_000;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn facts(status: ChallengeStatus) -> Facts {
        Facts {
            status,
            deadline: None,
            published_at: Some(NOON),
            last_activity_at: NOON,
            last_claim_change: None,
            oldest_pending: None,
        }
    }

    fn kinds(due: &Due) -> Vec<StaleKind> {
        match due {
            Due::Expire => panic!("expected escalations, got expiry"),
            Due::Escalate(e) => e.iter().map(|e| e.kind).collect(),
        }
    }

    fn after(days: i64) -> i64 {
        NOON + days * DAY_MS
    }

    #[test]
    fn china_days_begin_at_sixteen_hundred_utc() {
        assert_eq!(china_date(NOON), day("2026-11-21"));
        // Midnight in China is 16:00 UTC the day before.
        let china_midnight = NOON + 12 * 3600 * 1000;
        assert_eq!(
            chrono::DateTime::from_timestamp_millis(china_midnight)
                .unwrap()
                .to_rfc3339(),
            "2026-11-21T16:00:00+00:00"
        );
        assert_eq!(china_date(china_midnight - 1), day("2026-11-21"));
        assert_eq!(china_date(china_midnight), day("2026-11-22"));
        assert!(!deadline_passed(Some(day("2026-11-21")), day("2026-11-21")));
        assert!(deadline_passed(Some(day("2026-11-21")), day("2026-11-22")));
        assert!(!deadline_passed(None, day("2099-01-01")));
    }

    #[test]
    fn an_open_challenge_expires_the_day_after_its_deadline() {
        let mut f = facts(S::Open);
        f.deadline = Some(day("2026-11-21"));
        assert_eq!(assess(&f, NOON, &T), Due::Escalate(vec![]));
        // 23:59 in China on the deadline: still open.
        assert_eq!(
            assess(&f, NOON + 12 * 3600 * 1000 - 1, &T),
            Due::Escalate(vec![])
        );
        assert_eq!(assess(&f, NOON + 12 * 3600 * 1000, &T), Due::Expire);
        // Expiry wins over every escalation that would also be due.
        f.oldest_pending = Some((5, NOON - 30 * DAY_MS));
        assert_eq!(assess(&f, after(30), &T), Due::Expire);
    }

    #[test]
    fn only_an_open_challenge_expires() {
        for s in S::ALL {
            let mut f = facts(s);
            f.deadline = Some(day("2026-11-01"));
            let expired = assess(&f, NOON, &T) == Due::Expire;
            assert_eq!(expired, s == S::Open, "{s:?}");
        }
    }

    #[test]
    fn an_unclaimed_challenge_is_stale_after_the_open_threshold() {
        let f = facts(S::Open);
        assert!(kinds(&assess(&f, after(13), &T)).is_empty());
        let due = assess(&f, after(14), &T);
        assert_eq!(
            due,
            Due::Escalate(vec![Escalation {
                kind: StaleKind::Open,
                stage: NOON,
                since: NOON,
            }])
        );
        // The same quiet spell seen later is the same stage.
        assert_eq!(assess(&f, after(40), &T), due);
    }

    #[test]
    fn a_claim_that_came_and_went_restarts_the_open_clock() {
        let mut f = facts(S::Open);
        f.last_claim_change = Some(after(10));
        assert!(kinds(&assess(&f, after(20), &T)).is_empty());
        let Due::Escalate(e) = assess(&f, after(24), &T) else {
            panic!("no expiry here")
        };
        assert_eq!((e[0].kind, e[0].stage), (StaleKind::Open, after(10)));
        assert_eq!(e[0].idle_days(after(24)), 14);
    }

    #[test]
    fn a_pending_claim_is_stale_after_the_claim_threshold() {
        let mut f = facts(S::Open);
        f.oldest_pending = Some((42, after(1)));
        f.last_claim_change = Some(after(1));
        assert!(kinds(&assess(&f, after(7), &T)).is_empty());
        let Due::Escalate(e) = assess(&f, after(8), &T) else {
            panic!("no expiry here")
        };
        // A pending claim means the challenge is not unclaimed: no stale_open alongside.
        assert_eq!(e.len(), 1);
        assert_eq!((e[0].kind, e[0].stage), (StaleKind::Claim, 42));
        assert!(kinds(&assess(&f, after(60), &T)) == [StaleKind::Claim]);
    }

    #[test]
    fn awarded_work_without_progress_is_stale_after_the_progress_threshold() {
        for s in [S::Awarded, S::InProgress] {
            let f = facts(s);
            assert!(kinds(&assess(&f, after(13), &T)).is_empty(), "{s:?}");
            let Due::Escalate(e) = assess(&f, after(14), &T) else {
                panic!("no expiry here")
            };
            assert_eq!(e.len(), 1);
            assert_eq!((e[0].kind, e[0].stage), (StaleKind::Progress, NOON));
            // New progress starts a new spell: a later stall is a new stage.
            let mut g = f.clone();
            g.last_activity_at = after(20);
            assert!(kinds(&assess(&g, after(30), &T)).is_empty());
            let Due::Escalate(e) = assess(&g, after(34), &T) else {
                panic!("no expiry here")
            };
            assert_eq!(e[0].stage, after(20));
        }
    }

    #[test]
    fn a_parallel_challenge_at_work_can_have_a_stale_claim_and_stale_progress() {
        let mut f = facts(S::InProgress);
        f.oldest_pending = Some((7, NOON));
        assert_eq!(
            kinds(&assess(&f, after(14), &T)),
            [StaleKind::Claim, StaleKind::Progress]
        );
        // Past its deadline, awarded work does not expire: it was awarded.
        f.deadline = Some(day("2026-11-22"));
        assert_eq!(kinds(&assess(&f, after(14), &T)).len(), 2);
    }

    #[test]
    fn finished_drafted_and_delivered_challenges_are_never_escalated() {
        for s in [
            S::Draft,
            S::Delivered,
            S::Accepted,
            S::Closed,
            S::Cancelled,
            S::Expired,
        ] {
            let mut f = facts(s);
            f.oldest_pending = Some((1, NOON));
            assert!(kinds(&assess(&f, after(365), &T)).is_empty(), "{s:?}");
        }
    }

    #[test]
    fn a_zero_threshold_turns_that_kind_off() {
        let off = Thresholds {
            open_days: 0,
            claim_days: 0,
            progress_days: 0,
        };
        for kind in StaleKind::ALL {
            assert_eq!(off.cutoff(kind, NOON), None);
        }
        let mut open = facts(S::Open);
        assert!(kinds(&assess(&open, after(365), &off)).is_empty());
        open.oldest_pending = Some((1, NOON));
        assert!(kinds(&assess(&open, after(365), &off)).is_empty());
        assert!(kinds(&assess(&facts(S::InProgress), after(365), &off)).is_empty());
        // Expiry is not a threshold: it still happens.
        open.deadline = Some(day("2026-11-01"));
        assert_eq!(assess(&open, NOON, &off), Due::Expire);
    }

    #[test]
    fn a_clock_behind_the_facts_sees_nothing_stale() {
        let mut f = facts(S::InProgress);
        f.oldest_pending = Some((1, NOON));
        assert!(kinds(&assess(&f, NOON - DAY_MS, &T)).is_empty());
    }

    #[test]
    fn kind_codes_round_trip() {
        for k in StaleKind::ALL {
            assert_eq!(StaleKind::parse(k.code()), Some(k));
        }
        assert_eq!(StaleKind::parse("stale"), None);
    }
}
