//! A studio's assessment in a round: its status (moved only from the status read, so that two
//! staff deciding at once cannot both win), its self-evaluation with the figures frozen then,
//! its grade and rectification.

use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use crate::domain::assessment::{AssessmentStatus, Grade, RoundKind};
use crate::store::{Tx, lifecycle, now_ms, rfc3339};

/// An assessment with what its steps need to know of the round and the studio.
#[derive(Debug, Clone)]
pub struct Assessment {
    pub id: i64,
    pub round_id: i64,
    pub round_title: String,
    pub round_kind: RoundKind,
    pub round_year: i64,
    pub due_on: String,
    /// The round's union (the one that named the studio).
    pub org_id: i64,
    pub org_path: String,
    /// The studio assessed, or an alliance's lead studio.
    pub studio_id: i64,
    /// The name of what is assessed: the studio's, or the alliance's.
    pub studio_name: String,
    /// The alliance assessed through its lead studio, if any.
    pub alliance_id: Option<i64>,
    /// The studio's unit (its host org).
    pub unit_id: i64,
    pub unit_name: String,
    pub unit_path: String,
    pub leader_id: i64,
    pub leader_name: String,
    pub status: AssessmentStatus,
    pub grade: Option<Grade>,
    pub self_evaluation: String,
    /// The figures frozen with the self-evaluation (JSON), empty before.
    pub metrics: String,
    /// The rectification's deadline and requirements, once set.
    pub rectify_by: String,
    pub requirements: String,
    /// The third failing year in a row: the naming is to be withdrawn (Changchun 5).
    pub withdrawal_flagged: bool,
    /// How many scores were given, and their mean.
    pub scores: i64,
    pub score_avg: Option<f64>,
    /// Still without a self-evaluation after the round's due day: set by the service against
    /// today's date, false as read.
    pub late: bool,
    pub created_at: String,
    pub updated_at: String,
}

const SELECT_ASSESSMENT: &str = "SELECT a.id, a.round_id, r.title AS round_title, \
    r.kind AS round_kind, r.year AS round_year, r.due_on, r.org_id, ro.path AS org_path, \
    a.studio_id, COALESCE(al.name, s.name) AS studio_name, a.alliance_id, s.org_id AS unit_id, so.name AS unit_name, \
    so.path AS unit_path, s.leader_id, u.display_name AS leader_name, a.status, a.grade, \
    a.self_evaluation, a.metrics, a.rectify_by, a.requirements, a.withdrawal_flagged, \
    (SELECT COUNT(*) FROM assessment_scores x WHERE x.assessment_id = a.id) AS scores, \
    (SELECT CAST(COALESCE(SUM(x.score), 0) AS BIGINT) FROM assessment_scores x \
     WHERE x.assessment_id = a.id) AS score_sum, a.created_at, a.updated_at \
    FROM assessments a \
    JOIN assessment_rounds r ON r.id = a.round_id JOIN orgs ro ON ro.id = r.org_id \
    JOIN studios s ON s.id = a.studio_id JOIN orgs so ON so.id = s.org_id \
    JOIN users u ON u.id = s.leader_id LEFT JOIN alliances al ON al.id = a.alliance_id";

fn assessment(r: &AnyRow) -> sqlx::Result<Assessment> {
    let grade: String = r.try_get("grade")?;
    let flagged: i64 = r.try_get("withdrawal_flagged")?;
    let scores: i64 = r.try_get("scores")?;
    let score_sum: i64 = r.try_get("score_sum")?;
    Ok(Assessment {
        id: r.try_get("id")?,
        round_id: r.try_get("round_id")?,
        round_title: r.try_get("round_title")?,
        round_kind: lifecycle(r.try_get("round_kind")?, RoundKind::parse)?,
        round_year: r.try_get("round_year")?,
        due_on: r.try_get("due_on")?,
        org_id: r.try_get("org_id")?,
        org_path: r.try_get("org_path")?,
        studio_id: r.try_get("studio_id")?,
        studio_name: r.try_get("studio_name")?,
        alliance_id: r.try_get("alliance_id")?,
        unit_id: r.try_get("unit_id")?,
        unit_name: r.try_get("unit_name")?,
        unit_path: r.try_get("unit_path")?,
        leader_id: r.try_get("leader_id")?,
        leader_name: r.try_get("leader_name")?,
        status: lifecycle(r.try_get("status")?, AssessmentStatus::parse)?,
        grade: match grade.as_str() {
            "" => None,
            g => Some(lifecycle(g.to_owned(), Grade::parse)?),
        },
        self_evaluation: r.try_get("self_evaluation")?,
        metrics: r.try_get("metrics")?,
        rectify_by: r.try_get("rectify_by")?,
        requirements: r.try_get("requirements")?,
        withdrawal_flagged: flagged != 0,
        scores,
        score_avg: (scores > 0).then(|| score_sum as f64 / scores as f64),
        late: false,
        created_at: rfc3339(r.try_get("created_at")?),
        updated_at: rfc3339(r.try_get("updated_at")?),
    })
}

/// Puts every studio the org named (named or in rectification), and every alliance it named
/// (through its lead studio), into the round; how many.
pub async fn enrol_named(tx: &mut Tx, round_id: i64, org_id: i64) -> sqlx::Result<u64> {
    let now = now_ms();
    let studios = sqlx::query(
        "INSERT INTO assessments (round_id, studio_id, status, created_at, updated_at) \
         SELECT $1, s.id, 'pending', $2, $2 FROM studios s \
         WHERE s.naming_org_id = $3 AND s.status IN ('named', 'rectification') ORDER BY s.id",
    )
    .bind(round_id)
    .bind(now)
    .bind(org_id)
    .execute(&mut **tx)
    .await?;
    let alliances = sqlx::query(
        "INSERT INTO assessments (round_id, studio_id, alliance_id, status, created_at, updated_at) \
         SELECT $1, a.lead_studio_id, a.id, 'pending', $2, $2 FROM alliances a \
         WHERE a.naming_org_id = $3 AND a.status = 'named' ORDER BY a.id",
    )
    .bind(round_id)
    .bind(now)
    .bind(org_id)
    .execute(&mut **tx)
    .await?;
    Ok(studios.rows_affected() + alliances.rows_affected())
}

pub async fn find(pool: &AnyPool, id: i64) -> sqlx::Result<Option<Assessment>> {
    let sql = format!("{SELECT_ASSESSMENT} WHERE a.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(pool)
        .await?
        .map(|r| assessment(&r))
        .transpose()
}

pub async fn find_in(tx: &mut Tx, id: i64) -> sqlx::Result<Option<Assessment>> {
    let sql = format!("{SELECT_ASSESSMENT} WHERE a.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| assessment(&r))
        .transpose()
}

/// The studios of a round, by unit and studio.
pub async fn of_round(pool: &AnyPool, round_id: i64) -> sqlx::Result<Vec<Assessment>> {
    let sql = format!("{SELECT_ASSESSMENT} WHERE a.round_id = $1 ORDER BY so.path, s.id");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(round_id)
        .fetch_all(pool)
        .await?;
    rows.iter().map(assessment).collect()
}

/// A studio's assessments, newest round first.
pub async fn of_studio(pool: &AnyPool, studio_id: i64) -> sqlx::Result<Vec<Assessment>> {
    let sql = format!(
        "{SELECT_ASSESSMENT} WHERE a.studio_id = $1 ORDER BY r.year DESC, a.id DESC LIMIT 20"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(studio_id)
        .fetch_all(pool)
        .await?;
    rows.iter().map(assessment).collect()
}

/// Assessments still moving, newest first (at most 300): the work that may wait for someone.
pub async fn open_assessments(pool: &AnyPool) -> sqlx::Result<Vec<Assessment>> {
    let sql = format!(
        "{SELECT_ASSESSMENT} WHERE a.status NOT IN ('graded', 'rectified', 'delist_proposed') \
         ORDER BY a.id DESC LIMIT 300"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(pool)
        .await?;
    rows.iter().map(assessment).collect()
}

/// Moves the assessment from `from` to `to`; false when its status was no longer `from`.
pub async fn set_status(
    tx: &mut Tx,
    id: i64,
    from: AssessmentStatus,
    to: AssessmentStatus,
) -> sqlx::Result<bool> {
    let res = sqlx::query(
        "UPDATE assessments SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4",
    )
    .bind(to.code())
    .bind(now_ms())
    .bind(id)
    .bind(from.code())
    .execute(&mut **tx)
    .await?;
    Ok(res.rows_affected() == 1)
}

pub async fn set_self_evaluation(
    tx: &mut Tx,
    id: i64,
    text: &str,
    metrics: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE assessments SET self_evaluation = $1, metrics = $2 WHERE id = $3")
        .bind(text)
        .bind(metrics)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn set_grade(tx: &mut Tx, id: i64, grade: Grade) -> sqlx::Result<()> {
    sqlx::query("UPDATE assessments SET grade = $1 WHERE id = $2")
        .bind(grade.code())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn set_rectification(
    tx: &mut Tx,
    id: i64,
    deadline: &str,
    requirements: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE assessments SET rectify_by = $1, requirements = $2 WHERE id = $3")
        .bind(deadline)
        .bind(requirements)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn flag_withdrawal(tx: &mut Tx, id: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE assessments SET withdrawal_flagged = 1 WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The years of the other failing grades of what `a` assesses (the studio, or the alliance),
/// whatever the round's kind.
pub async fn failed_years(tx: &mut Tx, a: &Assessment) -> sqlx::Result<Vec<i32>> {
    let rows = sqlx::query(
        "SELECT DISTINCT r.year FROM assessments a JOIN assessment_rounds r ON r.id = a.round_id \
         WHERE a.studio_id = $1 AND COALESCE(a.alliance_id, 0) = $3 AND a.id <> $2 \
         AND a.grade = 'fail'",
    )
    .bind(a.studio_id)
    .bind(a.id)
    .bind(a.alliance_id.unwrap_or(0))
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|r| r.try_get::<i64, _>(0).map(|y| y as i32))
        .collect()
}

/// The leaders of a round's studios, with their assessment: who is asked to self-evaluate.
pub async fn leaders_of_round(tx: &mut Tx, round_id: i64) -> sqlx::Result<Vec<(i64, i64)>> {
    let rows = sqlx::query(
        "SELECT a.id, s.leader_id FROM assessments a JOIN studios s ON s.id = a.studio_id \
         WHERE a.round_id = $1 ORDER BY a.id",
    )
    .bind(round_id)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}
