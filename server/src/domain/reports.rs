//! Progress reports (信息报送, Zhengzhou 001 三（三）: 各单位及时上报工作进展、存在问题以及意见建议，
//! 重要进展、重点成果、突出问题等可随时上报): a union sets a schedule for its subtree, monthly,
//! quarterly or yearly, due on a day of the month after each period ends; studios report each
//! period once; an urgent report goes up at any time.

use chrono::{Datelike, NaiveDate};

/// How often a subtree reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Monthly,
    Quarterly,
    Yearly,
}

/// The latest day of the month a report may be due (every month has it).
pub const DUE_DAY_MAX: i64 = 28;
/// Longest text of each part of a report, in characters.
pub const PART_MAX: usize = 3000;

impl Period {
    pub const ALL: [Period; 3] = [Self::Monthly, Self::Quarterly, Self::Yearly];

    pub fn code(self) -> &'static str {
        match self {
            Self::Monthly => "monthly",
            Self::Quarterly => "quarterly",
            Self::Yearly => "yearly",
        }
    }

    pub fn parse(code: &str) -> Option<Period> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    fn months(self) -> u32 {
        match self {
            Self::Monthly => 1,
            Self::Quarterly => 3,
            Self::Yearly => 12,
        }
    }

    /// The period holding `day`.
    pub fn holding(self, day: NaiveDate) -> Span {
        let m = self.months();
        let first_month = (day.month0() / m) * m + 1;
        Span {
            period: self,
            start: NaiveDate::from_ymd_opt(day.year(), first_month, 1).expect("a first day"),
        }
    }
}

/// One period of a schedule, known by its first day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub period: Period,
    pub start: NaiveDate,
}

impl Span {
    /// The first day after the period.
    pub fn end(self) -> NaiveDate {
        self.start
            .checked_add_months(chrono::Months::new(self.period.months()))
            .expect("a date in range")
    }

    /// The period before.
    pub fn previous(self) -> Span {
        Span {
            period: self.period,
            start: self
                .start
                .checked_sub_months(chrono::Months::new(self.period.months()))
                .expect("a date in range"),
        }
    }

    /// Reports are due on `due_day` of the month after the period ends.
    pub fn due(self, due_day: i64) -> NaiveDate {
        let end = self.end();
        NaiveDate::from_ymd_opt(
            end.year(),
            end.month(),
            due_day.clamp(1, DUE_DAY_MAX) as u32,
        )
        .expect("a day every month has")
    }

    /// The key reports of this period are filed under: `2026-11`, `2026-Q4` or `2026`.
    pub fn key(self) -> String {
        match self.period {
            Period::Monthly => self.start.format("%Y-%m").to_string(),
            Period::Quarterly => format!("{}-Q{}", self.start.year(), self.start.month0() / 3 + 1),
            Period::Yearly => self.start.year().to_string(),
        }
    }

    /// The period in a person's words: `2026年11月`, `2026年第四季度`, `2026年度`.
    pub fn label_zh(self) -> String {
        match self.period {
            Period::Monthly => format!("{}年{}月", self.start.year(), self.start.month()),
            Period::Quarterly => {
                let q = ["一", "二", "三", "四"][(self.start.month0() / 3) as usize];
                format!("{}年第{q}季度", self.start.year())
            }
            Period::Yearly => format!("{}年度", self.start.year()),
        }
    }
}

/// The periods a report filed on `day` may be for, earliest first: the period before while its
/// due date has not passed, then the period holding `day`. The service files it under the
/// first one the studio has not reported yet.
pub fn open_periods(period: Period, due_day: i64, day: NaiveDate) -> Vec<Span> {
    let now = period.holding(day);
    let before = now.previous();
    if day <= before.due(due_day) {
        vec![before, now]
    } else {
        vec![now]
    }
}

/// The latest period whose due date has passed by `today`: the one a missing report is late
/// for.
pub fn last_due(period: Period, due_day: i64, today: NaiveDate) -> Span {
    let mut span = period.holding(today).previous();
    while span.due(due_day) >= today {
        span = span.previous();
    }
    span
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn periods_have_keys_labels_and_due_dates() {
        let nov = Period::Monthly.holding(d("2026-11-17"));
        assert_eq!(
            (nov.key(), nov.label_zh()),
            ("2026-11".into(), "2026年11月".into())
        );
        assert_eq!(nov.due(10), d("2026-12-10"));
        let q4 = Period::Quarterly.holding(d("2026-11-17"));
        assert_eq!(
            (q4.key(), q4.label_zh()),
            ("2026-Q4".into(), "2026年第四季度".into())
        );
        assert_eq!(q4.due(15), d("2027-01-15"));
        let y = Period::Yearly.holding(d("2026-11-17"));
        assert_eq!((y.key(), y.due(31)), ("2026".into(), d("2027-01-28")));
    }

    #[test]
    fn a_report_early_in_the_month_is_for_the_month_before_until_it_is_due() {
        let open = open_periods(Period::Monthly, 10, d("2026-12-05"));
        let keys: Vec<String> = open.iter().map(|s| s.key()).collect();
        assert_eq!(keys, ["2026-11", "2026-12"]);
        let open = open_periods(Period::Monthly, 10, d("2026-12-11"));
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].key(), "2026-12");
    }

    #[test]
    fn the_last_due_period_is_the_one_a_missing_report_is_late_for() {
        assert_eq!(
            last_due(Period::Monthly, 10, d("2026-12-11")).key(),
            "2026-11"
        );
        assert_eq!(
            last_due(Period::Monthly, 10, d("2026-12-10")).key(),
            "2026-10"
        );
        assert_eq!(
            last_due(Period::Quarterly, 15, d("2027-01-16")).key(),
            "2026-Q4"
        );
        assert_eq!(last_due(Period::Yearly, 20, d("2027-01-21")).key(), "2026");
    }
}
