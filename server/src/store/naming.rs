//! Naming batches and applications, with the trail of steps, the experts' scores and the
//! objections of the public notice. Status changes are conditional on the status read, so two
//! staff deciding at once cannot both win.

use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use super::{Tx, is_unique_violation, lifecycle, now_ms, rfc3339};
use crate::domain::naming::{ApplicationStatus, Category};

#[derive(Debug, Clone)]
pub struct Batch {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub org_path: String,
    pub year: i64,
    pub title: String,
    pub category: Category,
    pub quota: i64,
    pub opens_on: String,
    pub closes_on: String,
    pub notice_days: i64,
    pub conditions: Vec<String>,
    pub created_at: String,
}

pub struct NewBatch<'a> {
    pub org_id: i64,
    pub year: i64,
    pub title: &'a str,
    pub category: Category,
    pub quota: i64,
    pub opens_on: &'a str,
    pub closes_on: &'a str,
    pub notice_days: i64,
    pub conditions: &'a [String],
    pub created_by: i64,
}

const SELECT_BATCH: &str = "SELECT b.id, b.org_id, o.name AS org_name, o.path AS org_path, \
    b.year, b.title, b.category, b.quota, b.opens_on, b.closes_on, b.notice_days, b.conditions, b.created_at \
    FROM naming_batches b JOIN orgs o ON o.id = b.org_id";

fn batch(r: &AnyRow) -> sqlx::Result<Batch> {
    let conditions: String = r.try_get("conditions")?;
    Ok(Batch {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        org_name: r.try_get("org_name")?,
        org_path: r.try_get("org_path")?,
        year: r.try_get("year")?,
        title: r.try_get("title")?,
        category: lifecycle(r.try_get("category")?, Category::parse)?,
        quota: r.try_get("quota")?,
        opens_on: r.try_get("opens_on")?,
        closes_on: r.try_get("closes_on")?,
        notice_days: r.try_get("notice_days")?,
        conditions: conditions
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        created_at: rfc3339(r.try_get("created_at")?),
    })
}

pub async fn insert_batch(tx: &mut Tx, b: &NewBatch<'_>) -> sqlx::Result<i64> {
    let row = sqlx::query(
        "INSERT INTO naming_batches (org_id, year, title, quota, opens_on, closes_on, \
         notice_days, conditions, created_by, created_at, category) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(b.org_id)
    .bind(b.year)
    .bind(b.title)
    .bind(b.quota)
    .bind(b.opens_on)
    .bind(b.closes_on)
    .bind(b.notice_days)
    .bind(b.conditions.join("\n"))
    .bind(b.created_by)
    .bind(now_ms())
    .bind(b.category.code())
    .fetch_one(&mut **tx)
    .await?;
    row.try_get(0)
}

pub async fn find_batch(pool: &AnyPool, id: i64) -> sqlx::Result<Option<Batch>> {
    let sql = format!("{SELECT_BATCH} WHERE b.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(pool)
        .await?
        .map(|r| batch(&r))
        .transpose()
}

/// Batches, newest first; of one org when given.
pub async fn batches(pool: &AnyPool, org_id: Option<i64>) -> sqlx::Result<Vec<Batch>> {
    let sql = match org_id {
        // Integers cannot carry SQL.
        Some(o) => format!("{SELECT_BATCH} WHERE b.org_id = {o} ORDER BY b.id DESC LIMIT 100"),
        None => format!("{SELECT_BATCH} ORDER BY b.id DESC LIMIT 100"),
    };
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(pool)
        .await?;
    rows.iter().map(batch).collect()
}

/// An application with what its steps need to know of the studio and the batch.
#[derive(Debug, Clone)]
pub struct Application {
    pub id: i64,
    pub batch_id: i64,
    pub batch_title: String,
    /// The naming union.
    pub org_id: i64,
    pub org_path: String,
    pub studio_id: i64,
    pub studio_name: String,
    /// The studio's unit (its host org) and its path.
    pub unit_id: i64,
    pub unit_path: String,
    pub leader_id: i64,
    pub leader_name: String,
    pub applicant_id: i64,
    pub status: ApplicationStatus,
    /// The profile and evidence frozen when it was submitted (JSON), empty before.
    pub snapshot: String,
    pub proposed_name: String,
    pub notice_ends_at: Option<String>,
    pub notice_ends_ms: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
}

const SELECT_APPLICATION: &str = "SELECT a.id, a.batch_id, b.title AS batch_title, \
    b.org_id, bo.path AS org_path, a.studio_id, s.name AS studio_name, s.org_id AS unit_id, \
    so.path AS unit_path, s.leader_id, u.display_name AS leader_name, a.applicant_id, a.status, \
    a.snapshot, a.proposed_name, a.notice_ends_at, a.created_at, a.updated_at \
    FROM naming_applications a \
    JOIN naming_batches b ON b.id = a.batch_id JOIN orgs bo ON bo.id = b.org_id \
    JOIN studios s ON s.id = a.studio_id JOIN orgs so ON so.id = s.org_id \
    JOIN users u ON u.id = s.leader_id";

fn application(r: &AnyRow) -> sqlx::Result<Application> {
    let notice: Option<i64> = r.try_get("notice_ends_at")?;
    Ok(Application {
        id: r.try_get("id")?,
        batch_id: r.try_get("batch_id")?,
        batch_title: r.try_get("batch_title")?,
        org_id: r.try_get("org_id")?,
        org_path: r.try_get("org_path")?,
        studio_id: r.try_get("studio_id")?,
        studio_name: r.try_get("studio_name")?,
        unit_id: r.try_get("unit_id")?,
        unit_path: r.try_get("unit_path")?,
        leader_id: r.try_get("leader_id")?,
        leader_name: r.try_get("leader_name")?,
        applicant_id: r.try_get("applicant_id")?,
        status: lifecycle(r.try_get("status")?, ApplicationStatus::parse)?,
        snapshot: r.try_get("snapshot")?,
        proposed_name: r.try_get("proposed_name")?,
        notice_ends_at: notice.map(rfc3339),
        notice_ends_ms: notice,
        created_at: rfc3339(r.try_get("created_at")?),
        updated_at: rfc3339(r.try_get("updated_at")?),
    })
}

/// A new draft; `Ok(None)` when the studio already has an open application in the batch.
pub async fn insert_application(
    tx: &mut Tx,
    batch_id: i64,
    studio_id: i64,
    applicant_id: i64,
    proposed_name: &str,
) -> sqlx::Result<Option<i64>> {
    let now = now_ms();
    let res = sqlx::query(
        "INSERT INTO naming_applications (batch_id, studio_id, applicant_id, status, \
         proposed_name, created_at, updated_at) VALUES ($1, $2, $3, 'draft', $4, $5, $5) \
         RETURNING id",
    )
    .bind(batch_id)
    .bind(studio_id)
    .bind(applicant_id)
    .bind(proposed_name)
    .bind(now)
    .fetch_one(&mut **tx)
    .await;
    match res {
        Ok(row) => Ok(Some(row.try_get(0)?)),
        Err(e) if is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

pub async fn find_application(pool: &AnyPool, id: i64) -> sqlx::Result<Option<Application>> {
    let sql = format!("{SELECT_APPLICATION} WHERE a.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(pool)
        .await?
        .map(|r| application(&r))
        .transpose()
}

pub async fn find_application_in(tx: &mut Tx, id: i64) -> sqlx::Result<Option<Application>> {
    let sql = format!("{SELECT_APPLICATION} WHERE a.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| application(&r))
        .transpose()
}

/// Applications of a batch, oldest first; only those in the given statuses when any are given.
pub async fn of_batch(
    pool: &AnyPool,
    batch_id: i64,
    statuses: &[ApplicationStatus],
) -> sqlx::Result<Vec<Application>> {
    let mut sql = format!("{SELECT_APPLICATION} WHERE a.batch_id = $1");
    if !statuses.is_empty() {
        // Status codes are fixed identifiers, not input.
        let codes: Vec<String> = statuses.iter().map(|s| format!("'{}'", s.code())).collect();
        sql.push_str(&format!(" AND a.status IN ({})", codes.join(", ")));
    }
    sql.push_str(" ORDER BY a.id");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(batch_id)
        .fetch_all(pool)
        .await?;
    rows.iter().map(application).collect()
}

/// Applications not yet final, newest first (at most 200): the work that may wait for someone.
pub async fn open_applications(pool: &AnyPool) -> sqlx::Result<Vec<Application>> {
    let sql = format!(
        "{SELECT_APPLICATION} WHERE a.status NOT IN ('named', 'rejected', 'withdrawn') \
         ORDER BY a.id DESC LIMIT 200"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(pool)
        .await?;
    rows.iter().map(application).collect()
}

/// Applications of the studios a user belongs to, newest first.
pub async fn of_member(pool: &AnyPool, user_id: i64) -> sqlx::Result<Vec<Application>> {
    let sql = format!(
        "{SELECT_APPLICATION} WHERE a.studio_id IN \
         (SELECT studio_id FROM studio_members WHERE user_id = $1) ORDER BY a.id DESC LIMIT 100"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(user_id)
        .fetch_all(pool)
        .await?;
    rows.iter().map(application).collect()
}

/// How many applications of the batch are decided, in notice or named: the quota they use.
pub async fn quota_used(tx: &mut Tx, batch_id: i64) -> sqlx::Result<i64> {
    let row = sqlx::query(
        "SELECT COUNT(*) FROM naming_applications WHERE batch_id = $1 \
         AND status IN ('decided', 'notice', 'named')",
    )
    .bind(batch_id)
    .fetch_one(&mut **tx)
    .await?;
    row.try_get(0)
}

/// Moves the application from `from` to `to`; false when its status was no longer `from`.
pub async fn set_status(
    tx: &mut Tx,
    id: i64,
    from: ApplicationStatus,
    to: ApplicationStatus,
) -> sqlx::Result<bool> {
    let res = sqlx::query(
        "UPDATE naming_applications SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4",
    )
    .bind(to.code())
    .bind(now_ms())
    .bind(id)
    .bind(from.code())
    .execute(&mut **tx)
    .await?;
    Ok(res.rows_affected() == 1)
}

pub async fn set_snapshot(tx: &mut Tx, id: i64, snapshot: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE naming_applications SET snapshot = $1 WHERE id = $2")
        .bind(snapshot)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn set_notice_end(tx: &mut Tx, id: i64, ends_ms: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE naming_applications SET notice_ends_at = $1 WHERE id = $2")
        .bind(ends_ms)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// One line of an application's trail.
#[derive(Debug, Clone)]
pub struct Step {
    pub id: i64,
    pub actor_id: i64,
    pub actor_name: String,
    pub action: String,
    pub from_status: String,
    pub to_status: String,
    pub opinion: String,
    pub created_at: String,
}

pub async fn add_step(
    tx: &mut Tx,
    application_id: i64,
    actor_id: i64,
    action: &str,
    from: ApplicationStatus,
    to: ApplicationStatus,
    opinion: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO naming_steps (application_id, actor_id, action, from_status, to_status, \
         opinion, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(application_id)
    .bind(actor_id)
    .bind(action)
    .bind(from.code())
    .bind(to.code())
    .bind(opinion)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn trail(pool: &AnyPool, application_id: i64) -> sqlx::Result<Vec<Step>> {
    let rows = sqlx::query(
        "SELECT t.id, t.actor_id, u.display_name, t.action, t.from_status, t.to_status, \
         t.opinion, t.created_at FROM naming_steps t JOIN users u ON u.id = t.actor_id \
         WHERE t.application_id = $1 ORDER BY t.id",
    )
    .bind(application_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Step {
                id: r.try_get(0)?,
                actor_id: r.try_get(1)?,
                actor_name: r.try_get(2)?,
                action: r.try_get(3)?,
                from_status: r.try_get(4)?,
                to_status: r.try_get(5)?,
                opinion: r.try_get(6)?,
                created_at: rfc3339(r.try_get(7)?),
            })
        })
        .collect()
}

/// An expert on an application's panel and their score, once given.
#[derive(Debug, Clone)]
pub struct PanelSeat {
    pub expert_id: i64,
    pub expert_name: String,
    pub score: Option<i64>,
    pub comment: String,
}

/// Seats an expert; false when already on the panel.
pub async fn seat_expert(
    tx: &mut Tx,
    application_id: i64,
    expert_id: i64,
    assigned_by: i64,
) -> sqlx::Result<bool> {
    let res = sqlx::query(
        "INSERT INTO naming_experts (application_id, expert_id, assigned_by) VALUES ($1, $2, $3)",
    )
    .bind(application_id)
    .bind(expert_id)
    .bind(assigned_by)
    .execute(&mut **tx)
    .await;
    match res {
        Ok(_) => Ok(true),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Records a seated expert's score; false when they are not on the panel.
pub async fn record_score(
    tx: &mut Tx,
    application_id: i64,
    expert_id: i64,
    score: i64,
    comment: &str,
) -> sqlx::Result<bool> {
    let res = sqlx::query(
        "UPDATE naming_experts SET score = $1, comment = $2, scored_at = $3 \
         WHERE application_id = $4 AND expert_id = $5",
    )
    .bind(score)
    .bind(comment)
    .bind(now_ms())
    .bind(application_id)
    .bind(expert_id)
    .execute(&mut **tx)
    .await?;
    Ok(res.rows_affected() == 1)
}

pub async fn panel(pool: &AnyPool, application_id: i64) -> sqlx::Result<Vec<PanelSeat>> {
    let rows = sqlx::query(
        "SELECT e.expert_id, u.display_name, e.score, e.comment FROM naming_experts e \
         JOIN users u ON u.id = e.expert_id WHERE e.application_id = $1 ORDER BY e.expert_id",
    )
    .bind(application_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(PanelSeat {
                expert_id: r.try_get(0)?,
                expert_name: r.try_get(1)?,
                score: r.try_get(2)?,
                comment: r.try_get(3)?,
            })
        })
        .collect()
}

/// Seats without a score yet.
pub async fn unscored(tx: &mut Tx, application_id: i64) -> sqlx::Result<i64> {
    let row = sqlx::query(
        "SELECT COUNT(*) FROM naming_experts WHERE application_id = $1 AND score IS NULL",
    )
    .bind(application_id)
    .fetch_one(&mut **tx)
    .await?;
    row.try_get(0)
}

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

/// The studio takes its name: the naming union, the official name, the date.
pub async fn name_studio(
    tx: &mut Tx,
    studio_id: i64,
    naming_org_id: i64,
    name: &str,
) -> sqlx::Result<()> {
    let now = now_ms();
    sqlx::query(
        "UPDATE studios SET naming_org_id = $1, name = $2, named_at = $3, updated_at = $3 \
         WHERE id = $4",
    )
    .bind(naming_org_id)
    .bind(name)
    .bind(now)
    .bind(studio_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Experts of an org's pool: (user, name, field).
pub async fn experts_of(pool: &AnyPool, org_id: i64) -> sqlx::Result<Vec<(i64, String, String)>> {
    let rows = sqlx::query(
        "SELECT r.user_id, u.display_name, r.field FROM staff_roles r \
         JOIN users u ON u.id = r.user_id WHERE r.org_id = $1 AND r.role = 'expert' \
         ORDER BY u.display_name",
    )
    .bind(org_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
        .collect()
}

/// The enterprises (host orgs) of the studios a user belongs to: an expert's own units.
pub async fn units_of(tx: &mut Tx, user_id: i64) -> sqlx::Result<Vec<i64>> {
    let rows = sqlx::query(
        "SELECT DISTINCT s.org_id FROM studio_members m JOIN studios s ON s.id = m.studio_id \
         WHERE m.user_id = $1",
    )
    .bind(user_id)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter().map(|r| r.try_get(0)).collect()
}

/// Union staff who take a stage of an application: those of one org, or (for the initial
/// review) of every org strictly between the unit and the naming union.
pub async fn staff_of_org(tx: &mut Tx, org_id: i64) -> sqlx::Result<Vec<i64>> {
    let rows = sqlx::query("SELECT user_id FROM staff_roles WHERE org_id = $1 AND role = 'staff'")
        .bind(org_id)
        .fetch_all(&mut **tx)
        .await?;
    rows.iter().map(|r| r.try_get(0)).collect()
}

pub async fn staff_between(tx: &mut Tx, org_path: &str, unit_path: &str) -> sqlx::Result<Vec<i64>> {
    let rows = sqlx::query(
        "SELECT DISTINCT r.user_id FROM staff_roles r JOIN orgs o ON o.id = r.org_id \
         WHERE r.role = 'staff' AND o.path <> $1 AND o.path <> $2 \
         AND substr($2, 1, length(o.path)) = o.path AND substr(o.path, 1, length($1)) = $1",
    )
    .bind(org_path)
    .bind(unit_path)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter().map(|r| r.try_get(0)).collect()
}

/// The applications where this expert sits on the panel and has not scored yet.
pub async fn unscored_seats(pool: &AnyPool, expert_id: i64) -> sqlx::Result<Vec<i64>> {
    let rows = sqlx::query(
        "SELECT application_id FROM naming_experts WHERE expert_id = $1 AND score IS NULL",
    )
    .bind(expert_id)
    .fetch_all(pool)
    .await?;
    rows.iter().map(|r| r.try_get(0)).collect()
}
