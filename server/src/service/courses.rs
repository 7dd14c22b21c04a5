//! Courses (在线学习 / 大讲堂): publishing lessons, enrolling, and progress lesson by lesson.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Actor;
use crate::domain::course::{LessonDraft, check_course, progress_percent};
use crate::domain::text::Checks;
use crate::error::{AppError, AppResult};
use crate::outbox::{Entity, Op};
use crate::service::{Page, Paging, page};
use crate::store::Db;
use crate::store::courses::{self, Course, Lesson};
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
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub lessons: Vec<LessonInput>,
}

pub use super::Created;

pub async fn create(db: &Db, actor: &Actor, input: CourseInput) -> AppResult<Created> {
    let mut c = Checks::new();
    super::hosts::check(db, actor, input.studio_id, input.alliance_id, &mut c).await?;
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
    let id = courses::insert(
        &mut tx,
        input.studio_id,
        input.alliance_id,
        actor.id(),
        title,
        description,
    )
    .await?;
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
    Ok(CourseDetail {
        progress_percent: progress_percent(completed.len(), lessons.len()),
        course,
        lessons,
        reader_enrolled,
        completed,
    })
}

#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
pub struct CourseQuery {
    pub studio_id: Option<i64>,
    pub alliance_id: Option<i64>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

pub async fn list(db: &Db, q: &CourseQuery) -> AppResult<Page<Course>> {
    let paging = Paging {
        limit: q.limit,
        cursor: q.cursor.clone(),
    };
    let (limit, before) = paging.resolve()?;
    let rows = courses::list(db.reader(), q.studio_id, q.alliance_id, before, limit + 1).await?;
    Ok(page(rows, limit, |c| c.id))
}
