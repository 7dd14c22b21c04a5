//! Assessment (考核) of named studios: the annual assessment (Jieyang art. 9: system, funding,
//! training, outcome transformation, demonstration role, by the unions that recommended them)
//! and the two-year cycle (art. 10: self-evaluation → the recommending unit's evaluation →
//! the district's initial review → outcome showcase and expert review → collective decision).
//! Grades are art. 11's: excellent, pass, fail; a failing studio rectifies within a deadline and
//! is rechecked, and one still failing is proposed for delisting. Three failing years in a row
//! withdraw the naming (Changchun 5: 连续三年不合格的取消命名).

use super::metrics::YEARS;
use super::naming::Stage;
use super::text::{Checks, parse_date};

/// The two kinds of round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RoundKind {
    /// 年度考核 (Jieyang art. 9), on the year's figures.
    Annual,
    /// 周期考核 (art. 10), every two years, on the two years' figures, with expert scores.
    Cycle,
}

impl RoundKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Annual => "annual",
            Self::Cycle => "cycle",
        }
    }

    pub fn parse(code: &str) -> Option<RoundKind> {
        match code {
            "annual" => Some(Self::Annual),
            "cycle" => Some(Self::Cycle),
            _ => None,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::Annual => "年度考核",
            Self::Cycle => "周期考核",
        }
    }

    /// The years whose figures the round weighs: its own, and for a cycle the year before.
    pub fn years(self, year: i32) -> std::ops::RangeInclusive<i32> {
        match self {
            Self::Annual => year..=year,
            Self::Cycle => year - 1..=year,
        }
    }
}

/// The grades of art. 11.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// 优秀: recommended for the next level's naming.
    Excellent,
    /// 合格: keeps its title.
    Pass,
    /// 不合格: rectifies within a deadline.
    Fail,
}

impl Grade {
    pub const ALL: [Grade; 3] = [Self::Excellent, Self::Pass, Self::Fail];

    pub fn code(self) -> &'static str {
        match self {
            Self::Excellent => "excellent",
            Self::Pass => "pass",
            Self::Fail => "fail",
        }
    }

    pub fn parse(code: &str) -> Option<Grade> {
        Self::ALL.into_iter().find(|g| g.code() == code)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Excellent => "优秀",
            Self::Pass => "合格",
            Self::Fail => "不合格",
        }
    }
}

/// Where a studio's assessment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AssessmentStatus {
    /// Waiting for the studio's self-evaluation (自评).
    Pending,
    /// Self-evaluated: the unit's union evaluates it (推荐单位评价).
    SelfEvaluated,
    /// Evaluated by the unit: the district or industry union reviews it (初审).
    UnitEvaluated,
    /// Reviewed: scored (in a cycle) and decided by the round's union.
    Reviewed,
    /// Excellent or pass: done.
    Graded,
    /// Failed: the round's union sets the rectification (整改).
    Failed,
    /// Rectifying until its deadline, then rechecked (复查).
    Rectifying,
    /// Passed the recheck: keeps its title.
    Rectified,
    /// Failed the recheck: proposed for delisting (art. 11: 整改不力者予以摘牌).
    DelistProposed,
}

/// A step of an assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssessmentStep {
    SelfEvaluate,
    Unit,
    Review,
    Score,
    Decide(Grade),
    Rectify,
    Recheck { passed: bool },
}

impl AssessmentStatus {
    pub const ALL: [AssessmentStatus; 9] = [
        Self::Pending,
        Self::SelfEvaluated,
        Self::UnitEvaluated,
        Self::Reviewed,
        Self::Graded,
        Self::Failed,
        Self::Rectifying,
        Self::Rectified,
        Self::DelistProposed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::SelfEvaluated => "self_evaluated",
            Self::UnitEvaluated => "unit_evaluated",
            Self::Reviewed => "reviewed",
            Self::Graded => "graded",
            Self::Failed => "failed",
            Self::Rectifying => "rectifying",
            Self::Rectified => "rectified",
            Self::DelistProposed => "delist_proposed",
        }
    }

    pub fn parse(code: &str) -> Option<AssessmentStatus> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Pending => "待自评",
            Self::SelfEvaluated => "已自评，待所在单位工会评价",
            Self::UnitEvaluated => "单位已评价，待初审",
            Self::Reviewed => "已初审，待评审决定",
            Self::Graded => "已定等次",
            Self::Failed => "不合格，待下达整改",
            Self::Rectifying => "整改中",
            Self::Rectified => "整改合格",
            Self::DelistProposed => "整改不合格，建议摘牌",
        }
    }

    /// Who takes the next step (scoring aside: the round's union or its experts).
    pub fn owner(self) -> Option<Stage> {
        match self {
            Self::Pending => Some(Stage::Applicant),
            Self::SelfEvaluated => Some(Stage::Unit),
            Self::UnitEvaluated => Some(Stage::Review),
            Self::Reviewed | Self::Failed | Self::Rectifying => Some(Stage::NamingOrg),
            Self::Graded | Self::Rectified | Self::DelistProposed => None,
        }
    }

    /// The self-evaluation is in: the studio is no longer late.
    pub fn submitted(self) -> bool {
        self != Self::Pending
    }

    /// The grade is given (scores may be shown to the studio).
    pub fn decided(self) -> bool {
        matches!(
            self,
            Self::Graded | Self::Failed | Self::Rectifying | Self::Rectified | Self::DelistProposed
        )
    }

    /// The one transition function of an assessment.
    pub fn transition(self, step: AssessmentStep) -> Option<AssessmentStatus> {
        use AssessmentStatus as S;
        use AssessmentStep as A;
        match (self, step) {
            (S::Pending, A::SelfEvaluate) => Some(S::SelfEvaluated),
            (S::SelfEvaluated, A::Unit) => Some(S::UnitEvaluated),
            (S::UnitEvaluated, A::Review) => Some(S::Reviewed),
            (S::Reviewed, A::Score) => Some(S::Reviewed),
            (S::Reviewed, A::Decide(Grade::Fail)) => Some(S::Failed),
            (S::Reviewed, A::Decide(_)) => Some(S::Graded),
            (S::Failed, A::Rectify) => Some(S::Rectifying),
            (S::Rectifying, A::Recheck { passed: true }) => Some(S::Rectified),
            (S::Rectifying, A::Recheck { passed: false }) => Some(S::DelistProposed),
            _ => None,
        }
    }
}

impl AssessmentStep {
    /// The step of a path segment; `decide` and `recheck` need their body's answer (a missing
    /// one is refused by the service before the step is taken).
    pub fn parse(code: &str, grade: Option<Grade>, passed: bool) -> Option<AssessmentStep> {
        Some(match code {
            "self" => Self::SelfEvaluate,
            "unit" => Self::Unit,
            "review" => Self::Review,
            "score" => Self::Score,
            "decide" => Self::Decide(grade.unwrap_or(Grade::Pass)),
            "rectify" => Self::Rectify,
            "recheck" => Self::Recheck { passed },
            _ => return None,
        })
    }

    /// The stored name of the step, in the trail.
    pub fn code(self) -> &'static str {
        match self {
            Self::SelfEvaluate => "self",
            Self::Unit => "unit",
            Self::Review => "review",
            Self::Score => "score",
            Self::Decide(_) => "decide",
            Self::Rectify => "rectify",
            Self::Recheck { .. } => "recheck",
        }
    }
}

/// Bounds of a round's and a step's fields.
pub const TEXT_MAX: usize = 2000;
/// The longest a rectification may run.
pub const RECTIFY_MAX_DAYS: i64 = 366;

/// A round as asked for, checked before anything is written.
pub struct RoundDraft<'a> {
    pub year: i64,
    pub due_on: &'a str,
    pub title: &'a str,
}

pub fn check_round(r: &RoundDraft<'_>) -> Checks {
    let mut c = Checks::new();
    if !i32::try_from(r.year).is_ok_and(|y| YEARS.contains(&y)) {
        c.fail(
            "year",
            format!(
                "年度应在 {}–{} 之间 / year out of range",
                YEARS.start(),
                YEARS.end()
            ),
        );
    }
    c.date("due_on", r.due_on);
    c.required("title", r.title, 100);
    c
}

/// The deadline of a rectification: a day after `today`, within [`RECTIFY_MAX_DAYS`].
pub fn check_deadline(c: &mut Checks, deadline: &str, today: chrono::NaiveDate) {
    match parse_date(deadline) {
        None => c.fail(
            "deadline",
            "请填写整改期限（YYYY-MM-DD）/ deadline must be a date",
        ),
        Some(d) if d <= today => c.fail(
            "deadline",
            "整改期限应晚于今天 / deadline must be after today",
        ),
        Some(d) if (d - today).num_days() > RECTIFY_MAX_DAYS => c.fail(
            "deadline",
            format!("整改期限不超过 {RECTIFY_MAX_DAYS} 天 / at most {RECTIFY_MAX_DAYS} days"),
        ),
        Some(_) => {}
    }
}

/// A studio is late once the round's due day has passed without its self-evaluation.
pub fn is_late(status: AssessmentStatus, due_on: &str, today: chrono::NaiveDate) -> bool {
    status == AssessmentStatus::Pending && parse_date(due_on).is_some_and(|d| today > d)
}

/// Changchun 5: a studio failing in `year` and in each of the two years before it has its
/// naming withdrawn. `failed_years` are the years of its other failing grades.
pub fn third_failing_year(year: i32, failed_years: &[i32]) -> bool {
    failed_years.contains(&(year - 1)) && failed_years.contains(&(year - 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cycle_of_jieyang_art_10_runs_in_order() {
        use AssessmentStatus as S;
        use AssessmentStep as A;
        let mut s = S::Pending;
        for (step, to) in [
            (A::SelfEvaluate, S::SelfEvaluated),
            (A::Unit, S::UnitEvaluated),
            (A::Review, S::Reviewed),
            (A::Score, S::Reviewed),
            (A::Decide(Grade::Fail), S::Failed),
            (A::Rectify, S::Rectifying),
            (A::Recheck { passed: false }, S::DelistProposed),
        ] {
            s = s
                .transition(step)
                .unwrap_or_else(|| panic!("{step:?} from {s:?}"));
            assert_eq!(s, to);
        }
        assert_eq!(s.owner(), None, "a delisting proposal ends the assessment");
        assert_eq!(S::Pending.transition(A::Decide(Grade::Pass)), None);
        assert_eq!(
            S::Reviewed.transition(A::Decide(Grade::Excellent)),
            Some(S::Graded)
        );
    }

    #[test]
    fn codes_round_trip() {
        for s in AssessmentStatus::ALL {
            assert_eq!(AssessmentStatus::parse(s.code()), Some(s));
        }
        for g in Grade::ALL {
            assert_eq!(Grade::parse(g.code()), Some(g));
        }
        assert_eq!(RoundKind::parse("cycle"), Some(RoundKind::Cycle));
        assert_eq!(RoundKind::Cycle.years(2026), 2025..=2026);
    }

    #[test]
    fn changchun_withdraws_the_naming_after_three_failing_years_in_a_row() {
        assert!(third_failing_year(2026, &[2024, 2025]));
        assert!(!third_failing_year(2026, &[2023, 2025]), "not in a row");
        assert!(!third_failing_year(2026, &[2025]));
    }

    #[test]
    fn a_deadline_lies_ahead_and_within_a_year() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        for (d, ok) in [
            ("2027-03-01", true),
            ("2026-12-04", false),
            ("2028-03-01", false),
            ("三月底", false),
        ] {
            let mut c = Checks::new();
            check_deadline(&mut c, d, today);
            assert_eq!(c.is_empty(), ok, "{d}");
        }
    }
}
