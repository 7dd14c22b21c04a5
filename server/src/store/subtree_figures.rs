//! The counts behind the supervision page: what the studios of each org of a subtree did in a
//! year, in one query of tagged rows.

use sqlx::{AnyPool, Row};

use crate::domain::metrics::Period;
use crate::domain::subtree_figures::Figure;

/// `(figure, org id, value)` for every org under `path` that has a non-zero figure in the year.
/// Each studio's figures go to the org that hosts it (its unit union); grants go to the org
/// whose account holds them. Reports are not counted here (they depend on schedules).
pub async fn own_figures(
    pool: &AnyPool,
    path: &str,
    p: &Period,
) -> sqlx::Result<Vec<(Figure, i64, i64)>> {
    // $1 the subtree's path pattern, $2–$3 the year's instants, $4 the year, $5–$6 its first
    // and last day. `st` is the subtree's studios with their unit.
    let rows = sqlx::query(
        "WITH st AS (SELECT s.id, s.org_id FROM studios s JOIN orgs o ON o.id = s.org_id \
                     WHERE o.path LIKE $1) \
         SELECT 'challenges_posted' AS f, st.org_id, COUNT(*) AS n \
           FROM challenges c JOIN st ON st.id = c.studio_id \
          WHERE c.published_at >= $2 AND c.published_at < $3 GROUP BY st.org_id \
         UNION ALL \
         SELECT 'challenges_solved', st.org_id, COUNT(*) \
           FROM challenges c JOIN st ON st.id = c.studio_id \
          WHERE c.status IN ('accepted', 'closed') AND EXISTS (SELECT 1 FROM challenge_events e \
                WHERE e.challenge_id = c.id AND e.kind = 'accept' \
                  AND e.created_at >= $2 AND e.created_at < $3) \
          GROUP BY st.org_id \
         UNION ALL \
         SELECT 'outcomes', st.org_id, COUNT(*) \
           FROM outcomes x JOIN st ON st.id = x.studio_id WHERE x.year = $4 GROUP BY st.org_id \
         UNION ALL \
         SELECT 'adoptions', st.org_id, COUNT(*) \
           FROM adoptions a JOIN outcomes x ON x.id = a.outcome_id JOIN st ON st.id = x.studio_id \
          WHERE a.status = 'confirmed' AND a.created_at >= $2 AND a.created_at < $3 \
          GROUP BY st.org_id \
         UNION ALL \
         SELECT 'mentorships', st.org_id, COUNT(*) \
           FROM mentorships m JOIN st ON st.id = m.studio_id \
          WHERE m.starts_on <= $6 AND m.ends_on >= $5 \
          GROUP BY st.org_id \
         UNION ALL \
         SELECT 'mentoring_minutes', st.org_id, CAST(COALESCE(SUM(l.minutes), 0) AS BIGINT) \
           FROM mentorship_logs l JOIN mentorships m ON m.id = l.mentorship_id \
           JOIN st ON st.id = m.studio_id \
          WHERE l.on_date >= $5 AND l.on_date <= $6 GROUP BY st.org_id \
         UNION ALL \
         SELECT 'events', st.org_id, COUNT(*) \
           FROM events e JOIN st ON st.id = e.studio_id \
          WHERE e.starts_at >= $2 AND e.starts_at < $3 GROUP BY st.org_id \
         UNION ALL \
         SELECT 'granted_fen', g.account_org_id, CAST(SUM(g.amount_fen) AS BIGINT) \
           FROM grants g JOIN orgs o ON o.id = g.account_org_id \
          WHERE o.path LIKE $1 AND g.year = $4 GROUP BY g.account_org_id \
         UNION ALL \
         SELECT 'spent_fen', g.account_org_id, CAST(SUM(x.amount_fen) AS BIGINT) \
           FROM expenses x JOIN grants g ON g.id = x.grant_id \
           JOIN orgs o ON o.id = g.account_org_id \
          WHERE o.path LIKE $1 AND g.year = $4 AND x.status = 'approved' \
          GROUP BY g.account_org_id",
    )
    .bind(format!("{path}%"))
    .bind(p.from_ms)
    .bind(p.until_ms)
    .bind(i64::from(p.year))
    .bind(p.first_day.to_string())
    .bind(p.last_day.to_string())
    .fetch_all(pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let code: String = r.try_get(0)?;
        if let Some(f) = Figure::parse(&code) {
            out.push((f, r.try_get(1)?, r.try_get(2)?));
        }
    }
    Ok(out)
}
