//! Offline events (线下活动): lectures, salons, site visits, study tours, skills competitions
//! and trainings. The registration lifecycle, the input rules and the door check-in code.

use super::text::Checks;

/// Kinds of event (素质提升大讲堂, 行业沙龙, 现场观摩, 考察学习, 技能竞赛, 培训); the pages
/// label them.
pub const KINDS: [&str; 6] = [
    "lecture",
    "salon",
    "site_visit",
    "study_tour",
    "competition",
    "training",
];

/// Who may register: any signed-in user, or the host's members only.
pub const AUDIENCES: [&str; 2] = ["public", "members"];

pub const MAX_CAPACITY: i64 = 100_000;
/// The longest event: a study tour of a month.
pub const MAX_DAYS: i64 = 31;
/// How long a code shown at the door stays valid.
pub const CHECKIN_TTL_MS: i64 = 10 * 60 * 1000;
/// The door opens this long before the start and closes this long after the end.
pub const DOOR_MARGIN_MS: i64 = 2 * 60 * 60 * 1000;
/// Wrong codes one attendee may enter before check-in is refused.
pub const MAX_FAILED_CHECKINS: i64 = 10;

/// A registration: registered → checked_in, or cancelled (and registered again).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationStatus {
    Registered,
    CheckedIn,
    Cancelled,
    /// On the host's waiting list (候补): moves up, in order, when a place frees.
    Waitlisted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistrationAction {
    Register,
    CheckIn,
    Cancel,
    /// A place freed: the first on the waiting list takes it.
    MoveUp,
}

impl RegistrationStatus {
    pub const ALL: [RegistrationStatus; 4] = [
        RegistrationStatus::Registered,
        RegistrationStatus::CheckedIn,
        RegistrationStatus::Cancelled,
        RegistrationStatus::Waitlisted,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RegistrationStatus::Registered => "registered",
            RegistrationStatus::CheckedIn => "checked_in",
            RegistrationStatus::Cancelled => "cancelled",
            RegistrationStatus::Waitlisted => "waitlisted",
        }
    }

    pub fn parse(code: &str) -> Option<RegistrationStatus> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The one transition function; `None` (no registration yet) may only register. Whether a
    /// registration takes a place or waits for one is the capacity's answer, not the status's:
    /// see [`place_or_wait`].
    pub fn transition(
        from: Option<RegistrationStatus>,
        action: RegistrationAction,
    ) -> Option<RegistrationStatus> {
        use RegistrationAction as A;
        use RegistrationStatus as S;
        match (from, action) {
            (None | Some(S::Cancelled), A::Register) => Some(S::Registered),
            (Some(S::Registered), A::CheckIn) => Some(S::CheckedIn),
            (Some(S::Registered | S::Waitlisted), A::Cancel) => Some(S::Cancelled),
            (Some(S::Waitlisted), A::MoveUp) => Some(S::Registered),
            _ => None,
        }
    }

    /// Whether the registration holds one of the event's places.
    pub fn holds_place(self) -> bool {
        matches!(
            self,
            RegistrationStatus::Registered | RegistrationStatus::CheckedIn
        )
    }
}

/// A registration when no place is left: on the waiting list if the host keeps one, else
/// refused (`None`: 409 `full`).
pub fn place_or_wait(place_taken: bool, waitlist: bool) -> Option<RegistrationStatus> {
    match (place_taken, waitlist) {
        (true, _) => Some(RegistrationStatus::Registered),
        (false, true) => Some(RegistrationStatus::Waitlisted),
        (false, false) => None,
    }
}

impl RegistrationAction {
    pub fn verb(self) -> &'static str {
        match self {
            RegistrationAction::Register => "register",
            RegistrationAction::CheckIn => "check in",
            RegistrationAction::Cancel => "cancel the registration",
            RegistrationAction::MoveUp => "move up from the waiting list",
        }
    }
}

/// A new event's fields; times are Unix milliseconds (`None` when they did not parse).
#[derive(Debug)]
pub struct EventDraft<'a> {
    pub kind: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub location: &'a str,
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
    pub capacity: i64,
    pub audience: &'a str,
}

pub fn check_event(d: &EventDraft<'_>, now_ms: i64, c: &mut Checks) {
    if !KINDS.contains(&d.kind) {
        c.fail(
            "kind",
            "应为 lecture、salon、site_visit、study_tour、competition 或 training / unknown kind",
        );
    }
    c.required("title", d.title, 100);
    c.max_len("description", d.description, 5_000);
    c.required("location", d.location, 200);
    match d.starts_at {
        None => c.fail(
            "starts_at",
            "时间格式应为 RFC 3339 / expected an RFC 3339 time",
        ),
        Some(s) if s < now_ms - DOOR_MARGIN_MS => {
            c.fail("starts_at", "开始时间已过 / starts in the past")
        }
        Some(_) => {}
    }
    match (d.starts_at, d.ends_at) {
        (_, None) => c.fail(
            "ends_at",
            "时间格式应为 RFC 3339 / expected an RFC 3339 time",
        ),
        (Some(s), Some(e)) if e <= s => c.fail(
            "ends_at",
            "结束时间须晚于开始时间 / must end after it starts",
        ),
        (Some(s), Some(e)) if e - s > MAX_DAYS * 86_400_000 => {
            c.fail("ends_at", "活动最长 31 天 / at most 31 days")
        }
        _ => {}
    }
    if !(1..=MAX_CAPACITY).contains(&d.capacity) {
        c.fail(
            "capacity",
            format!("名额应在 1 到 {MAX_CAPACITY} 之间 / capacity must be 1 to {MAX_CAPACITY}"),
        );
    }
    if !AUDIENCES.contains(&d.audience) {
        c.fail("audience", "应为 public 或 members / unknown audience");
    }
}

/// An instant from a form or an API: RFC 3339, or `YYYY-MM-DDTHH:MM` in China time (what a
/// `datetime-local` field sends). Unix milliseconds.
/// An instant as a `datetime-local` field shows it: `YYYY-MM-DDTHH:MM`, China time.
pub fn china_local(ms: i64) -> String {
    let china = chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8 is valid");
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .with_timezone(&china)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

pub fn parse_time(value: &str) -> Option<i64> {
    let value = value.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(value) {
        return Some(t.timestamp_millis());
    }
    chrono::NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M")
        .ok()
        .map(|t| t.and_utc().timestamp_millis() - 8 * 3_600_000)
}

/// Whether the door is open at `now`: from two hours before the start to two hours after the end.
pub fn door_open(starts_at: i64, ends_at: i64, now_ms: i64) -> bool {
    (starts_at - DOOR_MARGIN_MS..=ends_at + DOOR_MARGIN_MS).contains(&now_ms)
}

/// Whether `given` is the live code: equal and not yet expired. Spaces typed around it count
/// for nothing; the comparison does not stop at the first differing digit.
pub fn code_matches(given: &str, code: &str, expires_at: i64, now_ms: i64) -> bool {
    let given = given.trim().as_bytes();
    let code = code.as_bytes();
    if code.is_empty() || now_ms > expires_at || given.len() != code.len() {
        return false;
    }
    given
        .iter()
        .zip(code)
        .fold(0u8, |acc, (a, b)| acc | (a ^ b))
        == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use RegistrationAction as A;
    use RegistrationStatus as S;

    #[test]
    fn every_registration_transition() {
        let froms = [
            None,
            Some(S::Registered),
            Some(S::CheckedIn),
            Some(S::Cancelled),
            Some(S::Waitlisted),
        ];
        for from in froms {
            for a in [A::Register, A::CheckIn, A::Cancel, A::MoveUp] {
                let expected = match (from, a) {
                    (None | Some(S::Cancelled), A::Register) => Some(S::Registered),
                    (Some(S::Registered), A::CheckIn) => Some(S::CheckedIn),
                    (Some(S::Registered | S::Waitlisted), A::Cancel) => Some(S::Cancelled),
                    (Some(S::Waitlisted), A::MoveUp) => Some(S::Registered),
                    _ => None,
                };
                assert_eq!(S::transition(from, a), expected, "{from:?} {a:?}");
            }
        }
        for s in S::ALL {
            assert_eq!(S::parse(s.code()), Some(s));
        }
    }

    #[test]
    fn a_full_event_waits_only_with_a_waiting_list() {
        assert_eq!(place_or_wait(true, false), Some(S::Registered));
        assert_eq!(place_or_wait(false, true), Some(S::Waitlisted));
        assert_eq!(place_or_wait(false, false), None);
        assert!(!S::Waitlisted.holds_place() && S::CheckedIn.holds_place());
    }

    const HOUR: i64 = 3_600_000;

    fn draft(starts: Option<i64>, ends: Option<i64>, capacity: i64) -> EventDraft<'static> {
        EventDraft {
            kind: "lecture",
            title: "素质提升大讲堂：数控机床精度诊断",
            description: "",
            location: "西安市总工会职工服务中心三楼",
            starts_at: starts,
            ends_at: ends,
            capacity,
            audience: "public",
        }
    }

    fn fields(c: Checks) -> Vec<String> {
        c.into_errors().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn an_event_ends_after_it_starts_and_holds_someone() {
        let now = 1_800_000_000_000;
        let mut c = Checks::new();
        check_event(
            &draft(Some(now + HOUR), Some(now + 3 * HOUR), 80),
            now,
            &mut c,
        );
        assert!(c.is_empty());
        let mut c = Checks::new();
        check_event(
            &draft(Some(now + 3 * HOUR), Some(now + HOUR), 0),
            now,
            &mut c,
        );
        assert_eq!(fields(c), ["ends_at", "capacity"]);
        let mut c = Checks::new();
        check_event(&draft(Some(now + HOUR), Some(now + HOUR), -5), now, &mut c);
        assert_eq!(fields(c), ["ends_at", "capacity"]);
        let mut c = Checks::new();
        check_event(&draft(None, None, 10), now, &mut c);
        assert_eq!(fields(c), ["starts_at", "ends_at"]);
        let mut c = Checks::new();
        check_event(&draft(Some(now - 30 * HOUR), Some(now), 10), now, &mut c);
        assert_eq!(fields(c), ["starts_at"]);
    }

    #[test]
    fn the_code_is_exact_and_short_lived() {
        let now = 1_000_000;
        assert!(code_matches(" 482913 ", "482913", now + 1, now));
        assert!(!code_matches("482914", "482913", now + 1, now));
        assert!(!code_matches("48291", "482913", now + 1, now));
        assert!(!code_matches("482913", "482913", now - 1, now));
        assert!(!code_matches("", "", now + 1, now));
    }

    #[test]
    fn times_from_forms_are_china_time() {
        let a = parse_time("2026-12-01T09:30").unwrap();
        let b = parse_time("2026-12-01T09:30:00+08:00").unwrap();
        assert_eq!(a, b);
        assert_eq!(parse_time("明天上午"), None);
    }

    #[test]
    fn the_door_opens_two_hours_around_the_event() {
        assert!(door_open(10 * HOUR, 12 * HOUR, 8 * HOUR));
        assert!(door_open(10 * HOUR, 12 * HOUR, 14 * HOUR));
        assert!(!door_open(10 * HOUR, 12 * HOUR, 8 * HOUR - 1));
        assert!(!door_open(10 * HOUR, 12 * HOUR, 14 * HOUR + 1));
    }
}
