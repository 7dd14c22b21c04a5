//! Challenges (揭榜攻关): the board, a challenge, and its status changes.

use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use super::{Tx, lifecycle, now_ms, rfc3339};
use crate::domain::challenge::ChallengeStatus;

/// A challenge as the board and its page show it.
#[derive(Debug, Clone)]
pub struct Challenge {
    pub id: i64,
    /// The posting studio; `None` when a union posted it.
    pub studio_id: Option<i64>,
    /// The posting union (发榜单位), when a union posted it.
    pub org_id: Option<i64>,
    /// The posting union's place in the tree (its staff and those above act as the poster).
    pub org_path: Option<String>,
    /// The poster's name: the studio's or the union's.
    pub studio_name: String,
    pub author_id: i64,
    pub title: String,
    /// Markdown.
    pub description: String,
    pub industry: String,
    pub tags: Vec<String>,
    /// `YYYY-MM-DD`.
    pub deadline: Option<String>,
    pub reward_yuan: Option<i64>,
    /// public or alliance.
    pub visibility: String,
    pub alliance_id: Option<i64>,
    /// exclusive or parallel.
    pub claim_mode: String,
    pub status: ChallengeStatus,
    /// How often a delivery was sent back.
    pub send_backs: i64,
    /// The delivered summary.
    pub summary: String,
    pub rating: Option<i64>,
    pub review: String,
    pub cancel_reason: String,
    pub outcome_id: Option<i64>,
    pub published_at: Option<String>,
    pub claim_count: i64,
    pub created_at: String,
    pub last_activity_ms: i64,
}

/// Every column of [`Challenge`], from `challenges c JOIN studios s`.
macro_rules! select_challenges {
    ($rest:literal) => {
        concat!(
            "SELECT c.id, c.studio_id, c.org_id, po.path AS org_path, \
             COALESCE(s.name, po.name) AS studio_name, c.author_id, c.title, c.description, \
             c.industry, c.tags, c.deadline, c.reward_yuan, c.visibility, c.alliance_id, \
             c.claim_mode, c.status, c.send_backs, c.summary, c.rating, c.review, c.cancel_reason, \
             c.outcome_id, c.published_at, c.last_activity_at, c.created_at, \
             (SELECT COUNT(*) FROM claims k WHERE k.challenge_id = c.id) AS claim_count \
             FROM challenges c LEFT JOIN studios s ON s.id = c.studio_id \
             LEFT JOIN orgs po ON po.id = c.org_id ",
            $rest
        )
    };
}

/// The challenge read query without its WHERE clause; the benchmark baseline runs it too.
pub const SELECT: &str = select_challenges!("");

/// A challenge's timeline; the benchmark baseline runs it too.
pub const EVENTS: &str = "SELECT e.id, e.author_id, u.display_name, e.kind, e.body, e.percent, \
    e.created_at FROM challenge_events e JOIN users u ON u.id = e.author_id \
    WHERE e.challenge_id = $1 ORDER BY e.id";

fn challenge(r: &AnyRow) -> sqlx::Result<Challenge> {
    let tags: String = r.try_get("tags")?;
    let published_at: Option<i64> = r.try_get("published_at")?;
    Ok(Challenge {
        id: r.try_get("id")?,
        studio_id: r.try_get("studio_id")?,
        org_id: r.try_get("org_id")?,
        org_path: r.try_get("org_path")?,
        studio_name: r.try_get("studio_name")?,
        author_id: r.try_get("author_id")?,
        title: r.try_get("title")?,
        description: r.try_get("description")?,
        industry: r.try_get("industry")?,
        tags: split_tags(&tags),
        deadline: r.try_get("deadline")?,
        reward_yuan: r.try_get("reward_yuan")?,
        visibility: r.try_get("visibility")?,
        alliance_id: r.try_get("alliance_id")?,
        claim_mode: r.try_get("claim_mode")?,
        status: lifecycle(r.try_get("status")?, ChallengeStatus::parse)?,
        send_backs: r.try_get("send_backs")?,
        summary: r.try_get("summary")?,
        rating: r.try_get("rating")?,
        review: r.try_get("review")?,
        cancel_reason: r.try_get("cancel_reason")?,
        outcome_id: r.try_get("outcome_id")?,
        published_at: published_at.map(rfc3339),
        claim_count: r.try_get("claim_count")?,
        created_at: rfc3339(r.try_get("created_at")?),
        last_activity_ms: r.try_get("last_activity_at")?,
    })
}

/// Tags are stored one per line (a tag never holds a newline: input checks forbid it).
pub fn join_tags(tags: &[String]) -> String {
    tags.join("\n")
}

fn split_tags(s: &str) -> Vec<String> {
    s.lines()
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A new challenge, in draft.
#[derive(Debug)]
pub struct NewChallenge<'a> {
    /// The poster: a studio or a union.
    pub studio_id: Option<i64>,
    pub org_id: Option<i64>,
    pub author_id: i64,
    pub title: &'a str,
    pub description: &'a str,
    pub industry: &'a str,
    pub tags: &'a [String],
    pub deadline: Option<&'a str>,
    pub reward_yuan: Option<i64>,
    pub visibility: &'a str,
    pub alliance_id: Option<i64>,
    pub claim_mode: &'a str,
}

#[tracing::instrument(skip(tx, c))]
pub async fn insert(tx: &mut Tx, c: &NewChallenge<'_>) -> sqlx::Result<i64> {
    let now = now_ms();
    sqlx::query(
        "INSERT INTO challenges (studio_id, author_id, title, description, industry, tags, deadline, \
         reward_yuan, visibility, alliance_id, claim_mode, status, last_activity_at, created_at, \
         updated_at, org_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'draft', $12, $12, $12, $13) \
         RETURNING id",
    )
    .bind(c.studio_id)
    .bind(c.author_id)
    .bind(c.title)
    .bind(c.description)
    .bind(c.industry)
    .bind(join_tags(c.tags))
    .bind(c.deadline)
    .bind(c.reward_yuan)
    .bind(c.visibility)
    .bind(c.alliance_id)
    .bind(c.claim_mode)
    .bind(now)
    .bind(c.org_id)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)
}

/// What the poster may still change on a draft.
#[derive(Debug)]
pub struct DraftFields<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub industry: &'a str,
    pub tags: &'a [String],
    pub deadline: Option<&'a str>,
    pub reward_yuan: Option<i64>,
    pub claim_mode: &'a str,
}

/// Rewrites a draft; false when the challenge is no longer a draft.
pub async fn update_draft(tx: &mut Tx, id: i64, d: &DraftFields<'_>) -> sqlx::Result<bool> {
    let res = sqlx::query(
        "UPDATE challenges SET title = $1, description = $2, industry = $3, tags = $4, \
         deadline = $5, reward_yuan = $6, claim_mode = $7, updated_at = $8 \
         WHERE id = $9 AND status = 'draft'",
    )
    .bind(d.title)
    .bind(d.description)
    .bind(d.industry)
    .bind(join_tags(d.tags))
    .bind(d.deadline)
    .bind(d.reward_yuan)
    .bind(d.claim_mode)
    .bind(now_ms())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(res.rows_affected() == 1)
}

pub async fn find(pool: &AnyPool, id: i64) -> sqlx::Result<Option<Challenge>> {
    sqlx::query(select_challenges!("WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await?
        .map(|r| challenge(&r))
        .transpose()
}

/// Read inside a write transaction.
pub async fn find_in(tx: &mut Tx, id: i64) -> sqlx::Result<Option<Challenge>> {
    sqlx::query(select_challenges!("WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| challenge(&r))
        .transpose()
}

/// Moves a challenge from one of `from` to `to`, atomically: `false` when another request
/// changed its status first (the caller answers 409). This is what lets exactly one of two
/// concurrent awards of an exclusive challenge win.
#[tracing::instrument(skip(tx))]
pub async fn set_status(
    tx: &mut Tx,
    id: i64,
    from: &[ChallengeStatus],
    to: ChallengeStatus,
) -> sqlx::Result<bool> {
    let now = now_ms();
    let placeholders: Vec<String> = (0..from.len()).map(|i| format!("${}", i + 4)).collect();
    let sql = format!(
        "UPDATE challenges SET status = $1, updated_at = $2, last_activity_at = $2, \
         published_at = CASE WHEN $1 = 'open' THEN $2 ELSE published_at END \
         WHERE id = $3 AND status IN ({})",
        placeholders.join(", ")
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(to.code())
        .bind(now)
        .bind(id);
    for f in from {
        q = q.bind(f.code());
    }
    Ok(q.execute(&mut **tx).await?.rows_affected() == 1)
}

/// Stores the delivered summary.
pub async fn set_summary(tx: &mut Tx, id: i64, summary: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE challenges SET summary = $1 WHERE id = $2")
        .bind(summary)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Stores the acceptance verdict.
pub async fn set_review(tx: &mut Tx, id: i64, rating: i64, review: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE challenges SET rating = $1, review = $2 WHERE id = $3")
        .bind(rating)
        .bind(review)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn count_send_back(tx: &mut Tx, id: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE challenges SET send_backs = send_backs + 1 WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn set_cancel_reason(tx: &mut Tx, id: i64, reason: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE challenges SET cancel_reason = $1 WHERE id = $2")
        .bind(reason)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// An alliance's board: its alliance-only challenges and its member studios' public ones,
/// published, newest first.
pub async fn of_alliance(
    pool: &AnyPool,
    alliance_id: i64,
    before_id: Option<i64>,
    limit: i64,
) -> sqlx::Result<Vec<Challenge>> {
    let rows = sqlx::query(select_challenges!(
        "WHERE c.status <> 'draft' AND c.id < $2 \
         AND ((c.visibility = 'alliance' AND c.alliance_id = $1) \
         OR (c.visibility = 'public' AND c.studio_id IN \
         (SELECT studio_id FROM alliance_members WHERE alliance_id = $1))) \
         ORDER BY c.id DESC LIMIT $3"
    ))
    .bind(alliance_id)
    .bind(before_id.unwrap_or(i64::MAX))
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.iter().map(challenge).collect()
}

/// Board filters; `None` means any.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub status: Option<String>,
    pub industry: Option<String>,
    pub studio_id: Option<i64>,
    pub min_reward: Option<i64>,
    /// Only challenges whose deadline is on or before this date.
    pub deadline_before: Option<String>,
    /// Drafts are listed only for these studios (the viewer's own).
    pub draft_studios: Vec<i64>,
}

/// One board page after `after_id` (newest first: ids below it), `limit` rows.
#[tracing::instrument(skip(pool))]
pub async fn list(
    pool: &AnyPool,
    f: &Filter,
    before_id: Option<i64>,
    limit: i64,
) -> sqlx::Result<Vec<Challenge>> {
    let mut sql = String::from(select_challenges!(
        "WHERE c.id < $1 AND c.visibility = 'public'"
    ));
    let mut texts: Vec<String> = Vec::new();
    for (col, value) in [("c.status", &f.status), ("c.industry", &f.industry)] {
        if let Some(v) = value {
            texts.push(v.clone());
            sql.push_str(&format!(" AND {col} = ${}", texts.len() + 1));
        }
    }
    if let Some(d) = &f.deadline_before {
        texts.push(d.clone());
        sql.push_str(&format!(
            " AND c.deadline IS NOT NULL AND c.deadline <= ${}",
            texts.len() + 1
        ));
    }
    // Integers are inlined: they cannot carry SQL.
    if let Some(studio) = f.studio_id {
        sql.push_str(&format!(" AND c.studio_id = {studio}"));
    }
    if let Some(min) = f.min_reward {
        sql.push_str(&format!(" AND c.reward_yuan >= {min}"));
    }
    let own: Vec<String> = f.draft_studios.iter().map(i64::to_string).collect();
    if own.is_empty() {
        sql.push_str(" AND c.status <> 'draft'");
    } else {
        sql.push_str(&format!(
            " AND (c.status <> 'draft' OR c.studio_id IN ({}))",
            own.join(",")
        ));
    }
    sql.push_str(&format!(" ORDER BY c.id DESC LIMIT ${}", texts.len() + 2));
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(before_id.unwrap_or(i64::MAX));
    for t in texts {
        q = q.bind(t);
    }
    let rows = q.bind(limit).fetch_all(pool).await?;
    rows.iter().map(challenge).collect()
}

/// A line of a challenge's timeline: publication, claims, awards, progress, comments,
/// delivery, send-backs, acceptance, cancellation.
#[derive(Debug, Clone)]
pub struct Event {
    pub id: i64,
    pub author_id: i64,
    pub author_name: String,
    pub kind: String,
    pub body: String,
    pub percent: Option<i64>,
    pub created_at: String,
}

pub async fn add_event(
    tx: &mut Tx,
    challenge_id: i64,
    author_id: i64,
    kind: &str,
    body: &str,
    percent: Option<i64>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO challenge_events (challenge_id, author_id, kind, body, percent, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(challenge_id)
    .bind(author_id)
    .bind(kind)
    .bind(body)
    .bind(percent)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn events(pool: &AnyPool, challenge_id: i64) -> sqlx::Result<Vec<Event>> {
    let rows = sqlx::query(EVENTS)
        .bind(challenge_id)
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Event {
                id: r.try_get(0)?,
                author_id: r.try_get(1)?,
                author_name: r.try_get(2)?,
                kind: r.try_get(3)?,
                body: r.try_get(4)?,
                percent: r.try_get(5)?,
                created_at: rfc3339(r.try_get(6)?),
            })
        })
        .collect()
}
