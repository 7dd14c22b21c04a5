//! Mentoring (师带徒 / 匠带兵): recording a pair, logging sessions, completing with an
//! evaluation, and the talent-cultivation record of a studio or alliance.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Actor, policy};
use crate::domain::mentorship::{
    MentorshipAction, MentorshipDraft, MentorshipStatus, check_completion, check_log,
    check_mentorship,
};
use crate::domain::text::Checks;
use crate::error::{AppError, AppResult};
use crate::service::orgs::china_today;
use crate::service::studios::StudioBrief;
use crate::service::{Page, Paging, page};
use crate::store::Db;
use crate::store::mentorships::{self, ApprenticeWork, LogEntry, Mentorship, NewMentorship};
use crate::store::{alliances, audit, notifications, studio_members, studios};

#[derive(Debug, Deserialize, ToSchema)]
pub struct MentorshipInput {
    pub studio_id: i64,
    pub mentor_id: i64,
    pub apprentice_id: i64,
    pub skill: String,
    #[serde(default)]
    pub goals: String,
    #[serde(default)]
    pub plan: String,
    /// YYYY-MM-DD.
    pub starts_on: String,
    /// YYYY-MM-DD.
    pub ends_on: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MentorshipAnswer {
    pub id: i64,
    pub status: String,
}

pub async fn create(db: &Db, actor: &Actor, input: MentorshipInput) -> AppResult<MentorshipAnswer> {
    let pool = db.reader();
    let studio = studios::find(pool, input.studio_id)
        .await?
        .ok_or_else(|| AppError::invalid_field("studio_id", "没有这个工作室 / no such studio"))?;
    policy::record_mentorship(actor, studio.id, input.mentor_id)?;
    let draft = MentorshipDraft {
        mentor_id: input.mentor_id,
        apprentice_id: input.apprentice_id,
        skill: input.skill.trim(),
        goals: input.goals.trim(),
        plan: input.plan.trim(),
        starts_on: input.starts_on.trim(),
        ends_on: input.ends_on.trim(),
    };
    let mut c = Checks::new();
    check_mentorship(&draft, &mut c);
    if !studio_ids(db, input.mentor_id).await?.contains(&studio.id) {
        c.fail(
            "mentor_id",
            "师傅须是本工作室成员 / the mentor must belong to the studio",
        );
    }
    // The apprentice comes from this studio or from a studio of one of its alliances.
    let apprentice_studios = studio_ids(db, input.apprentice_id).await?;
    let mut eligible = apprentice_studios.contains(&studio.id);
    for other in &apprentice_studios {
        if eligible {
            break;
        }
        eligible = alliances::share_alliance(pool, studio.id, *other).await?;
    }
    if !eligible && input.apprentice_id != input.mentor_id {
        c.fail(
            "apprentice_id",
            "徒弟须是本工作室或同一联盟工作室的成员 / the apprentice must belong to this studio or a fellow alliance studio",
        );
    }
    c.finish()?;
    let mut tx = db.begin().await?;
    let id = mentorships::insert(
        &mut tx,
        &NewMentorship {
            studio_id: studio.id,
            mentor_id: draft.mentor_id,
            apprentice_id: draft.apprentice_id,
            skill: draft.skill,
            goals: draft.goals,
            plan: draft.plan,
            starts_on: draft.starts_on,
            ends_on: draft.ends_on,
            created_by: actor.id(),
        },
    )
    .await?;
    let link = format!("/mentorships/{id}");
    for user in [draft.mentor_id, draft.apprentice_id] {
        if user != actor.id() {
            let subject = format!("{}：师带徒“{}”已建立", studio.name, draft.skill);
            notifications::push(&mut tx, user, "mentorship", &subject, &link).await?;
        }
    }
    audit::record(
        &mut tx,
        Some(actor.id()),
        "create",
        "mentorship",
        id,
        draft.skill,
    )
    .await?;
    tx.commit().await?;
    Ok(MentorshipAnswer {
        id,
        status: MentorshipStatus::Active.code().to_owned(),
    })
}

async fn studio_ids(db: &Db, user_id: i64) -> AppResult<Vec<i64>> {
    let memberships = studio_members::memberships(db.reader(), user_id).await?;
    Ok(memberships.into_iter().map(|(id, _, _)| id).collect())
}

pub async fn get(db: &Db, id: i64) -> AppResult<Mentorship> {
    mentorships::find(db.reader(), id)
        .await?
        .ok_or_else(AppError::not_found)
}

fn step(m: &Mentorship, action: MentorshipAction) -> AppResult<MentorshipStatus> {
    m.status
        .transition(action)
        .ok_or_else(|| AppError::wrong_state(m.status.code(), action.verb()))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LogInput {
    /// YYYY-MM-DD.
    pub on: String,
    /// Hours, at most 24 (one decimal is kept to the minute).
    pub hours: f64,
    pub content: String,
}

pub use super::Created;

pub async fn log(db: &Db, actor: &Actor, id: i64, input: LogInput) -> AppResult<Created> {
    let m = get(db, id).await?;
    policy::log_mentorship(actor, &m)?;
    step(&m, MentorshipAction::Log)?;
    let mut c = Checks::new();
    let content = input.content.trim();
    let minutes = check_log(
        input.on.trim(),
        input.hours,
        content,
        &m.starts_on,
        china_today(),
        &mut c,
    );
    c.finish()?;
    let mut tx = db.begin().await?;
    let log_id = mentorships::add_log(&mut tx, id, actor.id(), input.on.trim(), minutes, content)
        .await?
        .ok_or_else(|| AppError::wrong_state("completed", MentorshipAction::Log.verb()))?;
    audit::record(&mut tx, Some(actor.id()), "log", "mentorship", id, content).await?;
    tx.commit().await?;
    Ok(Created { id: log_id })
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CompleteInput {
    pub evaluation: String,
    /// excellent, good, pass or fail.
    pub grade: String,
}

pub async fn complete(
    db: &Db,
    actor: &Actor,
    id: i64,
    input: CompleteInput,
) -> AppResult<MentorshipAnswer> {
    let m = get(db, id).await?;
    policy::complete_mentorship(actor, &m)?;
    let to = step(&m, MentorshipAction::Complete)?;
    let (evaluation, grade) = (input.evaluation.trim(), input.grade.trim());
    let mut c = Checks::new();
    check_completion(evaluation, grade, &mut c);
    c.finish()?;
    let mut tx = db.begin().await?;
    if !mentorships::finish(&mut tx, id, to, evaluation, grade).await? {
        return Err(AppError::wrong_state(
            "completed",
            MentorshipAction::Complete.verb(),
        ));
    }
    let subject = format!("师带徒“{}”已出师", m.skill);
    notifications::push(
        &mut tx,
        m.apprentice_id,
        "mentorship_completed",
        &subject,
        &format!("/mentorships/{id}"),
    )
    .await?;
    audit::record(
        &mut tx,
        Some(actor.id()),
        "complete",
        "mentorship",
        id,
        grade,
    )
    .await?;
    tx.commit().await?;
    Ok(MentorshipAnswer {
        id,
        status: to.code().to_owned(),
    })
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct EndInput {
    /// Why it ends before its time (1–500 characters).
    pub reason: String,
}

/// Ends an active pairing before its time, with a reason (either of the pair or the studio's
/// leader). The reason is kept as the pair's evaluation, with no grade, and read as one is; the
/// others of the pair are told.
pub async fn end(db: &Db, actor: &Actor, id: i64, input: EndInput) -> AppResult<MentorshipAnswer> {
    let m = get(db, id).await?;
    policy::end_mentorship(actor, &m)?;
    let to = step(&m, MentorshipAction::End)?;
    let reason = input.reason.trim();
    let mut c = Checks::new();
    c.required("reason", reason, 500);
    c.finish()?;
    let mut tx = db.begin().await?;
    if !mentorships::finish(&mut tx, id, to, reason, "").await? {
        return Err(AppError::wrong_state("ended", MentorshipAction::End.verb()));
    }
    let subject = format!("师带徒“{}”已提前结束", m.skill);
    for person in [m.mentor_id, m.apprentice_id] {
        if person != actor.id() {
            notifications::push(
                &mut tx,
                person,
                "mentorship_ended",
                &subject,
                &format!("/mentorships/{id}"),
            )
            .await?;
        }
    }
    audit::record(&mut tx, Some(actor.id()), "end", "mentorship", id, reason).await?;
    tx.commit().await?;
    Ok(MentorshipAnswer {
        id,
        status: to.code().to_owned(),
    })
}

/// A mentorship with its log and the challenge work of the apprentice.
#[derive(Debug)]
pub struct MentorshipDetail {
    pub mentorship: Mentorship,
    pub logs: Vec<LogEntry>,
    pub challenge_work: Vec<ApprenticeWork>,
    pub viewer: MentorshipViewer,
}

/// What the reader may do with a mentorship (nothing once it has ended).
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct MentorshipViewer {
    /// May log a session: the mentor or the apprentice.
    pub may_log: bool,
    /// May complete it with an evaluation: the mentor or the studio's leader.
    pub may_complete: bool,
    /// May end it early with a reason: either of the pair or the studio's leader.
    pub may_end: bool,
}

pub async fn detail(db: &Db, actor: Option<&Actor>, id: i64) -> AppResult<MentorshipDetail> {
    let mut mentorship = get(db, id).await?;
    // A draft studio's pairs are as hidden as the studio; a pair's evaluation and grade are for
    // the pair, their studio's people and the unions above it.
    let studio = crate::service::studios::get(db, actor, mentorship.studio_id).await?;
    if !actor.is_some_and(|a| policy::read_mentorship_verdict(a, &mentorship, &studio.org_path)) {
        mentorship.evaluation.clear();
        mentorship.grade.clear();
    }
    let active = mentorship.status == MentorshipStatus::Active;
    let viewer = match actor {
        Some(a) if active => MentorshipViewer {
            may_log: policy::log_mentorship(a, &mentorship).is_ok(),
            may_complete: policy::complete_mentorship(a, &mentorship).is_ok(),
            may_end: policy::end_mentorship(a, &mentorship).is_ok(),
        },
        _ => MentorshipViewer::default(),
    };
    let pool = db.reader();
    // Work since the first day of the mentorship, China time.
    let since = crate::domain::text::parse_date(&mentorship.starts_on)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc().timestamp_millis() - 8 * 3_600_000)
        .unwrap_or(0);
    Ok(MentorshipDetail {
        logs: mentorships::logs(pool, id).await?,
        challenge_work: mentorships::apprentice_work(pool, mentorship.apprentice_id, since).await?,
        mentorship,
        viewer,
    })
}

/// Who may be picked on a studio's mentorship form.
pub struct Candidates {
    pub studio_name: String,
    /// The studio's leader and members: (user, name). The apprentice is found with the people
    /// picker (any person of this studio or of a studio it shares a live alliance with).
    pub mentors: Vec<(i64, String)>,
}

pub async fn candidates(db: &Db, studio_id: i64) -> AppResult<Candidates> {
    let pool = db.reader();
    let studio = studios::find(pool, studio_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let members = studio_members::members(db, studio_id).await?;
    Ok(Candidates {
        mentors: members
            .into_iter()
            .filter(|m| m.role != "apprentice")
            .map(|m| (m.user_id, m.display_name))
            .collect(),
        studio_name: studio.name,
    })
}

/// Mentorships of a studio or an alliance, newest first.
pub async fn list(
    db: &Db,
    studio_id: Option<i64>,
    alliance_id: Option<i64>,
    paging: &Paging,
) -> AppResult<Page<Mentorship>> {
    let (limit, before) = paging.resolve()?;
    let mut rows =
        mentorships::list(db.reader(), studio_id, alliance_id, before, limit + 1).await?;
    // Lists are public: a pair's evaluation and grade are read on its own page, by those who may.
    for m in &mut rows {
        m.evaluation.clear();
        m.grade.clear();
    }
    Ok(page(rows, limit, |m| m.id))
}

/// The pairs of the studios the reader belongs to, newest first, by studio (at most 50 each).
pub async fn of_reader(db: &Db, actor: &Actor) -> AppResult<Vec<(StudioBrief, Vec<Mentorship>)>> {
    let mut out = Vec::new();
    for studio in crate::service::studios::mine(db, actor).await? {
        let paging = Paging {
            limit: Some(50),
            cursor: None,
        };
        let pairs = list(db, Some(studio.id), None, &paging).await?.items;
        out.push((studio, pairs));
    }
    Ok(out)
}

/// The talent-cultivation record (人才培养数据库) of a studio or an alliance.
pub async fn record(
    db: &Db,
    actor: Option<&Actor>,
    studio_id: Option<i64>,
    alliance_id: Option<i64>,
) -> AppResult<mentorships::TalentRecord> {
    if let Some(studio) = studio_id {
        crate::service::studios::get(db, actor, studio).await?;
    }
    Ok(mentorships::record(db.reader(), studio_id, alliance_id).await?)
}
