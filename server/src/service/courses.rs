//! Courses (在线学习 / 大讲堂): publishing lessons, enrolling, progress lesson by lesson, and each
//! learner's study time (学时) with a record they can print (学习记录 / 结业证明).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Actor;
use crate::domain::course::{LessonDraft, check_course, progress_percent, study_minutes};
use crate::domain::text::Checks;
use crate::error::{AppError, AppResult};
use crate::outbox::{Entity, Op};
use crate::service::{Page, Paging, page};
use crate::store::Db;
use crate::store::courses::{self, Course, Lesson};
use crate::store::hosts::HostIds;
use crate::store::{audit, outbox};

#[derive(Debug, Deserialize, ToSchema)]
pub struct LessonInput {
    pub title: String,
    /// Text of the lesson, or a link (https://…) to a video or an attachment.
    pub body_or_url: String,
    #[serde(default)]
    pub minutes: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CourseInput {
    pub studio_id: Option<i64>,
    pub alliance_id: Option<i64>,
    /// A union hosting it (素质提升大讲堂): its staff or the staff above.
    pub org_id: Option<i64>,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub lessons: Vec<LessonInput>,
}

pub use super::Created;

pub async fn create(db: &Db, actor: &Actor, input: CourseInput) -> AppResult<Created> {
    let mut c = Checks::new();
    let host = HostIds {
        studio_id: input.studio_id,
        alliance_id: input.alliance_id,
        org_id: input.org_id,
    };
    super::hosts::check(db, actor, host, &mut c).await?;
    let (title, description) = (input.title.trim(), input.description.trim());
    let drafts: Vec<LessonDraft<'_>> = input
        .lessons
        .iter()
        .map(|l| LessonDraft {
            title: l.title.trim(),
            body_or_url: l.body_or_url.trim(),
            minutes: l.minutes,
        })
        .collect();
    check_course(title, description, &drafts, &mut c);
    c.finish()?;
    let mut tx = db.begin().await?;
    let id = courses::insert(&mut tx, host, actor.id(), title, description).await?;
    for (i, l) in drafts.iter().enumerate() {
        let lesson = Lesson {
            n: i as i64 + 1,
            title: l.title.to_owned(),
            body_or_url: l.body_or_url.to_owned(),
            minutes: l.minutes,
        };
        courses::add_lesson(&mut tx, id, &lesson).await?;
    }
    outbox::append(&mut tx, Entity::Course, id, Op::Create).await?;
    audit::record(&mut tx, Some(actor.id()), "create", "course", id, title).await?;
    tx.commit().await?;
    Ok(Created { id })
}

pub async fn get(db: &Db, id: i64) -> AppResult<Course> {
    courses::find(db.reader(), id)
        .await?
        .ok_or_else(AppError::not_found)
}

/// Enrols the actor: 409 when already enrolled.
pub async fn enrol(db: &Db, actor: &Actor, id: i64) -> AppResult<Created> {
    get(db, id).await?;
    let mut tx = db.begin().await?;
    if !courses::enrol(&mut tx, id, actor.id()).await? {
        return Err(AppError::conflict(
            "already_enrolled",
            "已报名本课程 / already enrolled",
        ));
    }
    audit::record(&mut tx, Some(actor.id()), "enrol", "course", id, "").await?;
    tx.commit().await?;
    Ok(Created { id })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Progress {
    pub progress_percent: i64,
}

/// Marks lesson `n` done for the actor (enrolled first, or 409 `not_enrolled`).
pub async fn complete_lesson(db: &Db, actor: &Actor, id: i64, n: i64) -> AppResult<Progress> {
    let course = get(db, id).await?;
    if n < 1 || n > course.lesson_count {
        return Err(AppError::not_found());
    }
    if !courses::is_enrolled(db.reader(), id, actor.id()).await? {
        return Err(AppError::conflict(
            "not_enrolled",
            "请先报名本课程 / enrol first",
        ));
    }
    let mut tx = db.begin().await?;
    let done = courses::complete_lesson(&mut tx, id, actor.id(), n).await?;
    tx.commit().await?;
    Ok(Progress {
        progress_percent: progress_percent(done as usize, course.lesson_count as usize),
    })
}

/// A course with its lessons and the reader's progress.
#[derive(Debug)]
pub struct CourseDetail {
    pub course: Course,
    pub lessons: Vec<Lesson>,
    /// Whether the reader is enrolled (the course's `enrolled` counts its learners).
    pub reader_enrolled: bool,
    /// Lesson numbers the reader has completed.
    pub completed: Vec<i64>,
    pub progress_percent: i64,
    /// The reader's study time so far and the course's, in minutes (学时).
    pub minutes_done: i64,
    pub minutes_total: i64,
}

fn minutes(lessons: &[Lesson], done: &[i64]) -> (i64, i64) {
    let lessons: Vec<(i64, i64)> = lessons.iter().map(|l| (l.n, l.minutes)).collect();
    study_minutes(&lessons, done)
}

pub async fn detail(db: &Db, actor: Option<&Actor>, id: i64) -> AppResult<CourseDetail> {
    let course = get(db, id).await?;
    // A draft studio's course is as hidden as the studio.
    if let Some(studio) = course.studio_id {
        crate::service::studios::get(db, actor, studio).await?;
    }
    let pool = db.reader();
    let lessons = courses::lessons(pool, id).await?;
    let (reader_enrolled, completed) = match actor {
        Some(a) => (
            courses::is_enrolled(pool, id, a.id()).await?,
            courses::completed(pool, id, a.id()).await?,
        ),
        None => (false, Vec::new()),
    };
    let (minutes_done, minutes_total) = minutes(&lessons, &completed);
    Ok(CourseDetail {
        progress_percent: progress_percent(completed.len(), lessons.len()),
        minutes_done,
        minutes_total,
        course,
        lessons,
        reader_enrolled,
        completed,
    })
}

/// One lesson of a learner's record.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordLine {
    pub n: i64,
    pub title: String,
    pub minutes: i64,
    /// The day (China time) it was done; `null` while not.
    pub completed_on: Option<String>,
}

/// A learner's record of a course (学习记录): each lesson with the day it was done, the study
/// time, and the day the course was finished (then it is a completion record, 结业证明).
#[derive(Debug, Serialize, ToSchema)]
pub struct CourseRecord {
    pub course_id: i64,
    pub course_title: String,
    pub host_name: String,
    pub learner_name: String,
    pub lessons: Vec<RecordLine>,
    pub minutes_done: i64,
    pub minutes_total: i64,
    /// The day the last lesson was done, once every lesson is.
    pub completed_on: Option<String>,
}

/// The actor's record of a course they are enrolled in (409 `not_enrolled` otherwise).
pub async fn record(db: &Db, actor: &Actor, id: i64) -> AppResult<CourseRecord> {
    let course = get(db, id).await?;
    let pool = db.reader();
    if !courses::is_enrolled(pool, id, actor.id()).await? {
        return Err(AppError::conflict(
            "not_enrolled",
            "请先报名本课程 / enrol first",
        ));
    }
    let lessons = courses::lessons(pool, id).await?;
    let done = courses::completions(pool, id, actor.id()).await?;
    let day = |ms: i64| crate::domain::event::china_local(ms)[..10].to_owned();
    let numbers: Vec<i64> = done.iter().map(|(n, _)| *n).collect();
    let (minutes_done, minutes_total) = minutes(&lessons, &numbers);
    let finished = !lessons.is_empty() && lessons.iter().all(|l| numbers.contains(&l.n));
    let completed_on = finished
        .then(|| done.iter().map(|(_, at)| *at).max())
        .flatten()
        .map(day);
    let learner_name = actor.user.display_name.clone();
    Ok(CourseRecord {
        course_id: id,
        course_title: course.title,
        host_name: course.host_name,
        learner_name,
        lessons: lessons
            .into_iter()
            .map(|l| RecordLine {
                completed_on: done.iter().find(|(n, _)| *n == l.n).map(|(_, at)| day(*at)),
                n: l.n,
                title: l.title,
                minutes: l.minutes,
            })
            .collect(),
        minutes_done,
        minutes_total,
        completed_on,
    })
}

#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
pub struct CourseQuery {
    pub studio_id: Option<i64>,
    pub alliance_id: Option<i64>,
    pub org_id: Option<i64>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

pub async fn list(db: &Db, q: &CourseQuery) -> AppResult<Page<Course>> {
    let paging = Paging {
        limit: q.limit,
        cursor: q.cursor.clone(),
    };
    let (limit, before) = paging.resolve()?;
    let host = HostIds {
        studio_id: q.studio_id,
        alliance_id: q.alliance_id,
        org_id: q.org_id,
    };
    let rows = courses::list(db.reader(), host, before, limit + 1).await?;
    Ok(page(rows, limit, |c| c.id))
}
