//! The talent database (人才库) of a union's subtree: the people of its studios, and how many
//! apprentices each has taught and been.

use sqlx::{AnyPool, Row};

/// A person as one of a studio's people; someone in two studios is two rows.
#[derive(Debug, Clone)]
pub struct Talent {
    pub user_id: i64,
    pub name: String,
    pub phone: String,
    pub trade: String,
    pub title: String,
    pub gender: String,
    pub education: String,
    pub studio_name: String,
    pub unit_name: String,
    /// `leader`, `member` or `apprentice`.
    pub role: String,
}

/// The people of the studios hosted under `path`, by unit, studio and role (leaders first),
/// at most `limit`.
pub async fn under(pool: &AnyPool, path: &str, limit: i64) -> sqlx::Result<Vec<Talent>> {
    let rows = sqlx::query(
        "SELECT u.id, u.display_name, u.phone, u.trade, u.title, u.gender, u.education, \
         s.name AS studio_name, o.name AS unit_name, m.role \
         FROM studio_members m JOIN users u ON u.id = m.user_id \
         JOIN studios s ON s.id = m.studio_id JOIN orgs o ON o.id = s.org_id \
         WHERE o.path LIKE $1 || '%' \
         ORDER BY o.path, s.name, CASE m.role WHEN 'leader' THEN 0 WHEN 'member' THEN 1 ELSE 2 END, \
         m.joined_at LIMIT $2",
    )
    .bind(path)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Talent {
                user_id: r.try_get(0)?,
                name: r.try_get(1)?,
                phone: r.try_get(2)?,
                trade: r.try_get(3)?,
                title: r.try_get(4)?,
                gender: r.try_get(5)?,
                education: r.try_get(6)?,
                studio_name: r.try_get(7)?,
                unit_name: r.try_get(8)?,
                role: r.try_get(9)?,
            })
        })
        .collect()
}

/// For the people of the studios under `path`: `(user id, pairs as mentor, pairs as
/// apprentice)`, counting the pairs of those studios.
pub async fn mentoring(pool: &AnyPool, path: &str) -> sqlx::Result<Vec<(i64, i64, i64)>> {
    let rows = sqlx::query(
        "SELECT person, CAST(SUM(as_mentor) AS BIGINT), CAST(SUM(as_apprentice) AS BIGINT) FROM ( \
           SELECT m.mentor_id AS person, 1 AS as_mentor, 0 AS as_apprentice \
             FROM mentorships m JOIN studios s ON s.id = m.studio_id \
             JOIN orgs o ON o.id = s.org_id WHERE o.path LIKE $1 || '%' \
           UNION ALL \
           SELECT m.apprentice_id, 0, 1 \
             FROM mentorships m JOIN studios s ON s.id = m.studio_id \
             JOIN orgs o ON o.id = s.org_id WHERE o.path LIKE $1 || '%' \
         ) t GROUP BY person",
    )
    .bind(path)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
        .collect()
}
