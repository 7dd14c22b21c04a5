//! A studio's figures for a year, counted from what it did on the platform, in one query.

use sqlx::{AnyPool, Row};

use crate::domain::metrics::Period;

/// What a studio did in a year. Counts are of things that happened in the year (China time);
/// `members` is the studio's size today.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StudioMetrics {
    pub year: i32,
    /// Outcomes of the year (by their own year), all kinds.
    pub outcomes: i64,
    pub patents: i64,
    /// Declared economic benefit of the year's outcomes.
    pub benefit_yuan: i64,
    /// Challenges it published.
    pub challenges_posted: i64,
    /// Claims it made on others' challenges.
    pub challenges_claimed: i64,
    /// Challenges accepted with this studio's claim awarded.
    pub challenges_solved: i64,
    /// Active pairs whose period overlaps the year.
    pub mentorships_active: i64,
    pub mentorships_completed: i64,
    /// Hours of logged sessions dated in the year.
    pub mentoring_hours: f64,
    pub events_hosted: i64,
    /// Check-ins of its people at events of the year.
    pub events_attended: i64,
    pub courses: i64,
    /// Enrolments in its courses.
    pub enrolments: i64,
    pub members: i64,
}

pub async fn of_studio(pool: &AnyPool, studio_id: i64, p: &Period) -> sqlx::Result<StudioMetrics> {
    // $1 studio, $2–$3 the year's instants, $4 the year, $5–$6 its first and last day.
    let row = sqlx::query(
        "SELECT \
         (SELECT COUNT(*) FROM outcomes WHERE studio_id = $1 AND year = $4), \
         (SELECT COUNT(*) FROM outcomes WHERE studio_id = $1 AND year = $4 AND kind = 'patent'), \
         (SELECT CAST(COALESCE(SUM(benefit_yuan), 0) AS BIGINT) FROM outcomes \
          WHERE studio_id = $1 AND year = $4), \
         (SELECT COUNT(*) FROM challenges WHERE studio_id = $1 \
          AND published_at >= $2 AND published_at < $3), \
         (SELECT COUNT(*) FROM claims WHERE studio_id = $1 \
          AND created_at >= $2 AND created_at < $3), \
         (SELECT COUNT(*) FROM challenges c WHERE c.status IN ('accepted', 'closed') \
          AND EXISTS (SELECT 1 FROM claims k WHERE k.challenge_id = c.id \
                      AND k.studio_id = $1 AND k.status = 'awarded') \
          AND EXISTS (SELECT 1 FROM challenge_events e WHERE e.challenge_id = c.id \
                      AND e.kind = 'accept' AND e.created_at >= $2 AND e.created_at < $3)), \
         (SELECT COUNT(*) FROM mentorships WHERE studio_id = $1 AND status = 'active' \
          AND starts_on <= $6 AND ends_on >= $5), \
         (SELECT COUNT(*) FROM mentorships WHERE studio_id = $1 AND status = 'completed' \
          AND completed_at >= $2 AND completed_at < $3), \
         (SELECT CAST(COALESCE(SUM(l.minutes), 0) AS BIGINT) FROM mentorship_logs l \
          JOIN mentorships m ON m.id = l.mentorship_id \
          WHERE m.studio_id = $1 AND l.on_date >= $5 AND l.on_date <= $6), \
         (SELECT COUNT(*) FROM events WHERE studio_id = $1 \
          AND starts_at >= $2 AND starts_at < $3), \
         (SELECT COUNT(*) FROM event_registrations r JOIN events e ON e.id = r.event_id \
          WHERE r.status = 'checked_in' AND e.starts_at >= $2 AND e.starts_at < $3 \
          AND r.user_id IN (SELECT user_id FROM studio_members WHERE studio_id = $1)), \
         (SELECT COUNT(*) FROM courses WHERE studio_id = $1 \
          AND created_at >= $2 AND created_at < $3), \
         (SELECT COUNT(*) FROM enrolments n JOIN courses c ON c.id = n.course_id \
          WHERE c.studio_id = $1 AND n.enrolled_at >= $2 AND n.enrolled_at < $3), \
         (SELECT COUNT(*) FROM studio_members WHERE studio_id = $1)",
    )
    .bind(studio_id)
    .bind(p.from_ms)
    .bind(p.until_ms)
    .bind(i64::from(p.year))
    .bind(p.first_day.to_string())
    .bind(p.last_day.to_string())
    .fetch_one(pool)
    .await?;
    let minutes: i64 = row.try_get(8)?;
    Ok(StudioMetrics {
        year: p.year,
        outcomes: row.try_get(0)?,
        patents: row.try_get(1)?,
        benefit_yuan: row.try_get(2)?,
        challenges_posted: row.try_get(3)?,
        challenges_claimed: row.try_get(4)?,
        challenges_solved: row.try_get(5)?,
        mentorships_active: row.try_get(6)?,
        mentorships_completed: row.try_get(7)?,
        mentoring_hours: minutes as f64 / 60.0,
        events_hosted: row.try_get(9)?,
        events_attended: row.try_get(10)?,
        courses: row.try_get(11)?,
        enrolments: row.try_get(12)?,
        members: row.try_get(13)?,
    })
}
