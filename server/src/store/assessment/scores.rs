//! Scores of an assessment (周期考核 art. 10: outcome showcase and expert review): one per
//! scorer, the last one given standing.

use sqlx::{AnyPool, Row};

use crate::store::{Tx, now_ms, rfc3339};

#[derive(Debug, Clone)]
pub struct ScoreLine {
    pub scorer_id: i64,
    pub scorer_name: String,
    pub score: i64,
    pub comment: String,
    pub scored_at: String,
}

pub async fn record_score(
    tx: &mut Tx,
    assessment_id: i64,
    scorer_id: i64,
    score: i64,
    comment: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO assessment_scores (assessment_id, scorer_id, score, comment, scored_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (assessment_id, scorer_id) \
         DO UPDATE SET score = excluded.score, comment = excluded.comment, \
         scored_at = excluded.scored_at",
    )
    .bind(assessment_id)
    .bind(scorer_id)
    .bind(score)
    .bind(comment)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn scores(pool: &AnyPool, assessment_id: i64) -> sqlx::Result<Vec<ScoreLine>> {
    let rows = sqlx::query(
        "SELECT s.scorer_id, u.display_name, s.score, s.comment, s.scored_at \
         FROM assessment_scores s JOIN users u ON u.id = s.scorer_id \
         WHERE s.assessment_id = $1 ORDER BY s.scored_at, s.scorer_id",
    )
    .bind(assessment_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ScoreLine {
                scorer_id: r.try_get(0)?,
                scorer_name: r.try_get(1)?,
                score: r.try_get(2)?,
                comment: r.try_get(3)?,
                scored_at: rfc3339(r.try_get(4)?),
            })
        })
        .collect()
}

pub async fn count_scores(tx: &mut Tx, assessment_id: i64) -> sqlx::Result<i64> {
    let row = sqlx::query("SELECT COUNT(*) FROM assessment_scores WHERE assessment_id = $1")
        .bind(assessment_id)
        .fetch_one(&mut **tx)
        .await?;
    row.try_get(0)
}
