//! Mentoring (师带徒 / 匠带兵): the mentorship lifecycle, its log and its evaluation.

use chrono::NaiveDate;

use super::text::{Checks, parse_date};

/// A mentorship is recorded `active`, then `completed` with an evaluation and a grade, or
/// `ended` early.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MentorshipStatus {
    Active,
    Completed,
    Ended,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentorshipAction {
    Log,
    Complete,
    End,
}

impl MentorshipStatus {
    pub const ALL: [MentorshipStatus; 3] = [
        MentorshipStatus::Active,
        MentorshipStatus::Completed,
        MentorshipStatus::Ended,
    ];

    pub fn code(self) -> &'static str {
        match self {
            MentorshipStatus::Active => "active",
            MentorshipStatus::Completed => "completed",
            MentorshipStatus::Ended => "ended",
        }
    }

    pub fn parse(code: &str) -> Option<MentorshipStatus> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The one transition function: sessions are logged and the pair finishes only while active.
    pub fn transition(self, action: MentorshipAction) -> Option<MentorshipStatus> {
        match (self, action) {
            (MentorshipStatus::Active, MentorshipAction::Log) => Some(MentorshipStatus::Active),
            (MentorshipStatus::Active, MentorshipAction::Complete) => {
                Some(MentorshipStatus::Completed)
            }
            (MentorshipStatus::Active, MentorshipAction::End) => Some(MentorshipStatus::Ended),
            _ => None,
        }
    }
}

impl MentorshipAction {
    pub fn verb(self) -> &'static str {
        match self {
            MentorshipAction::Log => "log a session",
            MentorshipAction::Complete => "complete",
            MentorshipAction::End => "end",
        }
    }
}

/// Grades of the final evaluation (优秀 / 良好 / 合格 / 不合格).
pub const GRADES: [&str; 4] = ["excellent", "good", "pass", "fail"];

/// A new mentorship's fields.
#[derive(Debug)]
pub struct MentorshipDraft<'a> {
    pub mentor_id: i64,
    pub apprentice_id: i64,
    pub skill: &'a str,
    pub goals: &'a str,
    pub plan: &'a str,
    pub starts_on: &'a str,
    pub ends_on: &'a str,
}

pub fn check_mentorship(d: &MentorshipDraft<'_>, c: &mut Checks) {
    if d.mentor_id == d.apprentice_id {
        c.fail(
            "apprentice_id",
            "徒弟不能是师傅本人 / the apprentice cannot be their own mentor",
        );
    }
    c.required("skill", d.skill, 100);
    c.max_len("goals", d.goals, 2_000);
    c.max_len("plan", d.plan, 5_000);
    let start = required_date("starts_on", d.starts_on, c);
    let end = required_date("ends_on", d.ends_on, c);
    if let (Some(s), Some(e)) = (start, end) {
        if e < s {
            c.fail("ends_on", "结束日期早于开始日期 / ends before it starts");
        } else if (e - s).num_days() > 366 * 5 {
            c.fail("ends_on", "带徒期最长五年 / at most five years");
        }
    }
}

fn required_date(field: &str, value: &str, c: &mut Checks) -> Option<NaiveDate> {
    let d = parse_date(value);
    if d.is_none() {
        c.fail(field, "日期格式应为 YYYY-MM-DD / expected YYYY-MM-DD");
    }
    d
}

/// The most hours one log entry may hold: one day.
pub const MAX_HOURS: f64 = 24.0;

/// A log entry: a date within the mentorship and not in the future, 0 < hours ≤ 24, content.
/// Returns the minutes to store.
pub fn check_log(
    on: &str,
    hours: f64,
    content: &str,
    starts_on: &str,
    today: NaiveDate,
    c: &mut Checks,
) -> i64 {
    if let Some(d) = required_date("on", on, c) {
        if d > today {
            c.fail("on", "不能记录未来的日期 / cannot be in the future");
        } else if parse_date(starts_on).is_some_and(|s| d < s) {
            c.fail("on", "早于带徒开始日期 / before the mentorship started");
        }
    }
    if !hours.is_finite() || hours <= 0.0 || hours > MAX_HOURS {
        c.fail(
            "hours",
            "学时应在 0 到 24 小时之间 / hours must be over 0 and at most 24",
        );
    }
    c.required("content", content, 2_000);
    if hours.is_finite() {
        (hours.clamp(0.0, MAX_HOURS) * 60.0).round() as i64
    } else {
        0
    }
}

pub fn check_completion(evaluation: &str, grade: &str, c: &mut Checks) {
    c.required("evaluation", evaluation, 2_000);
    if !GRADES.contains(&grade) {
        c.fail(
            "grade",
            "应为 excellent、good、pass 或 fail / unknown grade",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use MentorshipAction as A;
    use MentorshipStatus as S;

    #[test]
    fn every_transition() {
        for from in S::ALL {
            for a in [A::Log, A::Complete, A::End] {
                let expected = match (from, a) {
                    (S::Active, A::Log) => Some(S::Active),
                    (S::Active, A::Complete) => Some(S::Completed),
                    (S::Active, A::End) => Some(S::Ended),
                    _ => None,
                };
                assert_eq!(from.transition(a), expected, "{from:?} {a:?}");
            }
            assert_eq!(S::parse(from.code()), Some(from));
        }
    }

    fn draft<'a>(mentor: i64, apprentice: i64, s: &'a str, e: &'a str) -> MentorshipDraft<'a> {
        MentorshipDraft {
            mentor_id: mentor,
            apprentice_id: apprentice,
            skill: "高压电缆终端制作",
            goals: "",
            plan: "",
            starts_on: s,
            ends_on: e,
        }
    }

    fn fields(c: Checks) -> Vec<String> {
        c.into_errors().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn an_apprentice_is_not_their_own_mentor_and_dates_are_in_order() {
        let mut c = Checks::new();
        check_mentorship(&draft(1, 2, "2026-03-01", "2026-12-31"), &mut c);
        assert!(c.is_empty());
        let mut c = Checks::new();
        check_mentorship(&draft(7, 7, "2026-03-01", "2026-02-01"), &mut c);
        assert_eq!(fields(c), ["apprentice_id", "ends_on"]);
        let mut c = Checks::new();
        check_mentorship(&draft(1, 2, "3月1日", ""), &mut c);
        assert_eq!(fields(c), ["starts_on", "ends_on"]);
    }

    #[test]
    fn a_log_entry_holds_at_most_one_day() {
        let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let mut c = Checks::new();
        let m = check_log(
            "2026-05-30",
            2.5,
            "讲解剥线工艺",
            "2026-03-01",
            today,
            &mut c,
        );
        assert!(c.is_empty());
        assert_eq!(m, 150);
        for bad in [0.0, -1.0, 24.5, f64::NAN, f64::INFINITY] {
            let mut c = Checks::new();
            check_log("2026-05-30", bad, "内容", "2026-03-01", today, &mut c);
            assert_eq!(fields(c), ["hours"], "{bad}");
        }
        let mut c = Checks::new();
        check_log("2026-06-02", 1.0, "", "2026-03-01", today, &mut c);
        assert_eq!(fields(c), ["on", "content"]);
        let mut c = Checks::new();
        check_log("2026-02-02", 1.0, "内容", "2026-03-01", today, &mut c);
        assert_eq!(fields(c), ["on"]);
    }

    #[test]
    fn completion_needs_a_known_grade() {
        let mut c = Checks::new();
        check_completion("掌握了终端制作全流程", "excellent", &mut c);
        assert!(c.is_empty());
        let mut c = Checks::new();
        check_completion("", "A+", &mut c);
        assert_eq!(fields(c), ["evaluation", "grade"]);
    }
}
