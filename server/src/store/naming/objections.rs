//! Objections (异议) filed during the public notice, and their answers.

use sqlx::{AnyPool, Row};

use crate::store::{Tx, now_ms, rfc3339};

#[derive(Debug, Clone)]
pub struct Objection {
    pub id: i64,
    pub author_id: i64,
    pub text: String,
    pub answer: String,
    pub answered: bool,
    pub created_at: String,
}

pub async fn add_objection(
    tx: &mut Tx,
    application_id: i64,
    author_id: i64,
    text: &str,
) -> sqlx::Result<i64> {
    let row = sqlx::query(
        "INSERT INTO naming_objections (application_id, author_id, text, created_at) \
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(application_id)
    .bind(author_id)
    .bind(text)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await?;
    row.try_get(0)
}

/// Answers an objection once; false when it does not exist or was answered already.
pub async fn answer_objection(
    tx: &mut Tx,
    application_id: i64,
    objection_id: i64,
    answered_by: i64,
    answer: &str,
) -> sqlx::Result<bool> {
    let res = sqlx::query(
        "UPDATE naming_objections SET answer = $1, answered_by = $2, answered_at = $3 \
         WHERE id = $4 AND application_id = $5 AND answered_at IS NULL",
    )
    .bind(answer)
    .bind(answered_by)
    .bind(now_ms())
    .bind(objection_id)
    .bind(application_id)
    .execute(&mut **tx)
    .await?;
    Ok(res.rows_affected() == 1)
}

pub async fn objections(pool: &AnyPool, application_id: i64) -> sqlx::Result<Vec<Objection>> {
    let rows = sqlx::query(
        "SELECT id, author_id, text, answer, answered_at, created_at FROM naming_objections \
         WHERE application_id = $1 ORDER BY id",
    )
    .bind(application_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Objection {
                id: r.try_get(0)?,
                author_id: r.try_get(1)?,
                text: r.try_get(2)?,
                answer: r.try_get(3)?,
                answered: r.try_get::<Option<i64>, _>(4)?.is_some(),
                created_at: rfc3339(r.try_get(5)?),
            })
        })
        .collect()
}

pub async fn unanswered_objections(tx: &mut Tx, application_id: i64) -> sqlx::Result<i64> {
    let row = sqlx::query(
        "SELECT COUNT(*) FROM naming_objections WHERE application_id = $1 AND answered_at IS NULL",
    )
    .bind(application_id)
    .fetch_one(&mut **tx)
    .await?;
    row.try_get(0)
}
