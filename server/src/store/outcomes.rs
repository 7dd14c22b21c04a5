//! Outcomes (成果) and their contributing studios; adoptions are in `adoptions`.

use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use super::{Tx, now_ms, rfc3339};

#[derive(Debug, Clone)]
pub struct Outcome {
    pub id: i64,
    pub studio_id: i64,
    pub studio_name: String,
    pub author_id: i64,
    pub title: String,
    pub summary: String,
    pub body: String,
    /// patent, operating_method, technical_innovation, signature_skill, management_innovation, software, other.
    pub kind: String,
    pub industry: String,
    pub challenge_id: Option<i64>,
    pub patent_no: String,
    pub benefit_yuan: Option<i64>,
    /// Offered for transfer (技术成果转让).
    pub transferable: bool,
    pub year: i64,
    /// Confirmed adoptions only.
    pub adoption_count: i64,
    pub created_at: String,
    pub updated_at: Option<String>,
    /// The showcase picture, made from the first photo attached (a picture's name).
    pub picture: Option<String>,
}

macro_rules! select_outcomes {
    ($rest:literal) => {
        concat!(
            "SELECT o.id, o.studio_id, s.name AS studio_name, o.author_id, o.title, o.summary, \
             o.body, o.kind, o.industry, o.challenge_id, o.patent_no, o.benefit_yuan, \
             o.transferable, o.year, o.created_at, o.updated_at, o.picture, \
             (SELECT COUNT(*) FROM adoptions a WHERE a.outcome_id = o.id AND a.status = 'confirmed') \
             AS adoption_count \
             FROM outcomes o JOIN studios s ON s.id = o.studio_id ",
            $rest
        )
    };
}

fn outcome(r: &AnyRow) -> sqlx::Result<Outcome> {
    Ok(Outcome {
        id: r.try_get("id")?,
        studio_id: r.try_get("studio_id")?,
        studio_name: r.try_get("studio_name")?,
        author_id: r.try_get("author_id")?,
        title: r.try_get("title")?,
        summary: r.try_get("summary")?,
        body: r.try_get("body")?,
        kind: r.try_get("kind")?,
        industry: r.try_get("industry")?,
        challenge_id: r.try_get("challenge_id")?,
        patent_no: r.try_get("patent_no")?,
        benefit_yuan: r.try_get("benefit_yuan")?,
        transferable: r.try_get::<i64, _>("transferable")? != 0,
        year: r.try_get("year")?,
        adoption_count: r.try_get("adoption_count")?,
        created_at: rfc3339(r.try_get("created_at")?),
        updated_at: r.try_get::<Option<i64>, _>("updated_at")?.map(rfc3339),
        picture: r.try_get("picture")?,
    })
}

/// Gives the outcome its showcase picture if it has none yet; false when it already had one.
pub async fn set_picture_if_none(tx: &mut Tx, id: i64, picture: &str) -> sqlx::Result<bool> {
    let res = sqlx::query("UPDATE outcomes SET picture = $1 WHERE id = $2 AND picture IS NULL")
        .bind(picture)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(res.rows_affected() == 1)
}

/// A new outcome.
#[derive(Debug)]
pub struct NewOutcome<'a> {
    pub studio_id: i64,
    pub author_id: i64,
    pub title: &'a str,
    pub summary: &'a str,
    pub body: &'a str,
    pub kind: &'a str,
    pub industry: &'a str,
    pub challenge_id: Option<i64>,
    pub patent_no: &'a str,
    pub benefit_yuan: Option<i64>,
    pub transferable: bool,
    pub year: i64,
}

#[tracing::instrument(skip(tx, o))]
pub async fn insert(tx: &mut Tx, o: &NewOutcome<'_>) -> sqlx::Result<i64> {
    sqlx::query(
        "INSERT INTO outcomes (studio_id, author_id, title, summary, body, kind, industry, \
         challenge_id, patent_no, benefit_yuan, transferable, year, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(o.studio_id)
    .bind(o.author_id)
    .bind(o.title)
    .bind(o.summary)
    .bind(o.body)
    .bind(o.kind)
    .bind(o.industry)
    .bind(o.challenge_id)
    .bind(o.patent_no)
    .bind(o.benefit_yuan)
    .bind(i64::from(o.transferable))
    .bind(o.year)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)
}

pub async fn add_contributor(
    tx: &mut Tx,
    outcome_id: i64,
    studio_id: i64,
    share: i64,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO outcome_contributors (outcome_id, studio_id, share_percent) VALUES ($1, $2, $3)")
        .bind(outcome_id)
        .bind(studio_id)
        .bind(share)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The fields the studio's people change afterwards.
#[derive(Debug)]
pub struct OutcomeFields<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub body: &'a str,
    pub kind: &'a str,
    pub industry: &'a str,
    pub patent_no: &'a str,
    pub benefit_yuan: Option<i64>,
    pub transferable: bool,
}

pub async fn update(tx: &mut Tx, id: i64, f: &OutcomeFields<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE outcomes SET title = $1, summary = $2, body = $3, kind = $4, industry = $5, \
         patent_no = $6, benefit_yuan = $7, transferable = $8, updated_at = $9 WHERE id = $10",
    )
    .bind(f.title)
    .bind(f.summary)
    .bind(f.body)
    .bind(f.kind)
    .bind(f.industry)
    .bind(f.patent_no)
    .bind(f.benefit_yuan)
    .bind(i64::from(f.transferable))
    .bind(now_ms())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Whether an honour names the outcome (such an outcome is kept).
pub async fn honoured(pool: &AnyPool, id: i64) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query("SELECT COUNT(*) FROM honours WHERE outcome_id = $1")
        .bind(id)
        .fetch_one(pool)
        .await?
        .try_get(0)?;
    Ok(n > 0)
}

/// Removes an outcome with its contributors, adoptions and file rows (the files themselves
/// are removed after the commit).
pub async fn remove(tx: &mut Tx, id: i64) -> sqlx::Result<()> {
    for sql in [
        "DELETE FROM outcome_contributors WHERE outcome_id = $1",
        "DELETE FROM adoptions WHERE outcome_id = $1",
        "DELETE FROM attachments WHERE owner_kind = 'outcome' AND owner_id = $1",
        "DELETE FROM outcomes WHERE id = $1",
    ] {
        sqlx::query(sql).bind(id).execute(&mut **tx).await?;
    }
    Ok(())
}

/// Links the challenge to its outcome.
pub async fn link_challenge(tx: &mut Tx, challenge_id: i64, outcome_id: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE challenges SET outcome_id = $1 WHERE id = $2")
        .bind(outcome_id)
        .bind(challenge_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn find(pool: &AnyPool, id: i64) -> sqlx::Result<Option<Outcome>> {
    sqlx::query(select_outcomes!("WHERE o.id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await?
        .map(|r| outcome(&r))
        .transpose()
}

/// Showcase filters; `None` means any.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub kind: Option<String>,
    pub industry: Option<String>,
    pub studio_id: Option<i64>,
    pub transferable: Option<bool>,
    pub year: Option<i64>,
}

/// One showcase page, newest first, below `before_id`.
pub async fn list(
    pool: &AnyPool,
    f: &Filter,
    before_id: Option<i64>,
    limit: i64,
) -> sqlx::Result<Vec<Outcome>> {
    let mut sql = String::from(select_outcomes!("WHERE o.id < $1"));
    let mut texts: Vec<String> = Vec::new();
    for (col, v) in [("o.kind", &f.kind), ("o.industry", &f.industry)] {
        if let Some(v) = v {
            texts.push(v.clone());
            sql.push_str(&format!(" AND {col} = ${}", texts.len() + 1));
        }
    }
    // Integers and booleans are inlined: they cannot carry SQL.
    if let Some(s) = f.studio_id {
        sql.push_str(&format!(
            " AND (o.studio_id = {s} OR o.id IN (SELECT outcome_id FROM outcome_contributors WHERE studio_id = {s}))"
        ));
    }
    if let Some(t) = f.transferable {
        sql.push_str(&format!(" AND o.transferable = {}", i64::from(t)));
    }
    if let Some(y) = f.year {
        sql.push_str(&format!(" AND o.year = {y}"));
    }
    sql.push_str(&format!(" ORDER BY o.id DESC LIMIT ${}", texts.len() + 2));
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(before_id.unwrap_or(i64::MAX));
    for t in texts {
        q = q.bind(t);
    }
    let rows = q.bind(limit).fetch_all(pool).await?;
    rows.iter().map(outcome).collect()
}

/// A contributing studio and its share.
#[derive(Debug, Clone)]
pub struct Contributor {
    pub studio_id: i64,
    pub studio_name: String,
    pub share_percent: i64,
}

pub async fn contributors(pool: &AnyPool, outcome_id: i64) -> sqlx::Result<Vec<Contributor>> {
    let rows = sqlx::query(
        "SELECT c.studio_id, s.name, c.share_percent FROM outcome_contributors c \
         JOIN studios s ON s.id = c.studio_id WHERE c.outcome_id = $1 ORDER BY c.share_percent DESC",
    )
    .bind(outcome_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Contributor {
                studio_id: r.try_get(0)?,
                studio_name: r.try_get(1)?,
                share_percent: r.try_get(2)?,
            })
        })
        .collect()
}

/// Outcomes of an alliance's member studios, newest first.
pub async fn of_alliance(
    pool: &AnyPool,
    alliance_id: i64,
    limit: i64,
) -> sqlx::Result<Vec<Outcome>> {
    let rows = sqlx::query(select_outcomes!(
        "WHERE o.studio_id IN (SELECT studio_id FROM alliance_members WHERE alliance_id = $1) \
         ORDER BY o.id DESC LIMIT $2"
    ))
    .bind(alliance_id)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.iter().map(outcome).collect()
}

/// The outcomes of the studios hosted in the subtree at `path` (with their unit's name), newest
/// first, at most `limit`.
pub async fn under(pool: &AnyPool, path: &str, limit: i64) -> sqlx::Result<Vec<(Outcome, String)>> {
    let sql = select_outcomes!(
        "JOIN orgs u ON u.id = s.org_id WHERE u.path LIKE $1 || '%' ORDER BY o.id DESC LIMIT $2"
    )
    .replacen(
        " FROM outcomes o",
        ", u.name AS unit_name FROM outcomes o",
        1,
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(path)
        .bind(limit)
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|r| Ok((outcome(r)?, r.try_get("unit_name")?)))
        .collect()
}
