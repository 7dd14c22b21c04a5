//! A studio's yearly figures (the facts behind an assessment, Jieyang art. 9: training, outcome
//! transformation, demonstration role): which year may be asked for and where it begins and
//! ends.

use chrono::{NaiveDate, TimeZone};

/// Years the platform answers figures for.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// A calendar year in China time (UTC+8), as the stored instants and dates compare with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub year: i32,
    /// The first instant of the year, in ms since the epoch.
    pub from_ms: i64,
    /// The first instant of the next year.
    pub until_ms: i64,
    /// `YYYY-01-01`, for dates stored as text.
    pub first_day: NaiveDate,
    /// `YYYY-12-31`.
    pub last_day: NaiveDate,
}

impl Period {
    /// The year, or `None` outside [`YEARS`].
    pub fn of_year(year: i32) -> Option<Period> {
        if !YEARS.contains(&year) {
            return None;
        }
        let china = chrono::FixedOffset::east_opt(8 * 3600)?;
        let start = |y: i32| {
            china
                .with_ymd_and_hms(y, 1, 1, 0, 0, 0)
                .single()
                .map(|t| t.timestamp_millis())
        };
        Some(Period {
            year,
            from_ms: start(year)?,
            until_ms: start(year + 1)?,
            first_day: NaiveDate::from_ymd_opt(year, 1, 1)?,
            last_day: NaiveDate::from_ymd_opt(year, 12, 31)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Period;

    #[test]
    fn a_year_begins_at_midnight_china_time() {
        let p = Period::of_year(2026).unwrap();
        // 2026-01-01 00:00 in Beijing is 2025-12-31 16:00 UTC.
        assert_eq!(p.from_ms, 1_767_196_800_000);
        assert_eq!(p.until_ms - p.from_ms, 365 * 86_400_000);
        assert_eq!(p.last_day.to_string(), "2026-12-31");
    }

    #[test]
    fn years_outside_the_range_are_refused() {
        assert!(Period::of_year(1999).is_none());
        assert!(Period::of_year(2101).is_none());
    }
}
