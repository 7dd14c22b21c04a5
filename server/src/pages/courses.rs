//! Course pages (在线学习 / 大讲堂): the catalogue, publishing, a course with its lessons and
//! the reader's progress and study time, and the learner's printable record.

use super::Done;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};

use super::i18n::Tr;
use super::{
    Ctx, FormErrors, Nav, PageError, PageForm, PagePath, Shown, markdown, next_page, number,
    problem_fields, refused, render, see_other,
};
use crate::domain::course::is_link;
use crate::error::AppError;
use crate::state::AppState;

use crate::service::courses::{
    self as svc, CourseDetail, CourseInput, CourseQuery, CourseRecord, LessonInput,
};
use crate::store::courses::{Course, Lesson};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/courses", get(index).post(create))
        .route("/courses/new", get(new_page))
        .route("/courses/{id}", get(show))
        .route("/courses/{id}/enrol", post(enrol))
        .route("/courses/{id}/lessons/{n}/complete", post(complete))
        .route("/courses/{id}/record", get(record))
}

#[derive(Template)]
#[template(path = "courses/index.html")]
struct Index {
    t: Tr,
    nav: Nav,
    courses: Vec<Course>,
    next_href: Option<String>,
}

async fn index(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<CourseQuery>,
) -> Result<Response, PageError> {
    let page = svc::list(&state.db, &q).await?;
    let host = [
        ("studio_id", q.studio_id.map(|s| s.to_string())),
        ("alliance_id", q.alliance_id.map(|a| a.to_string())),
        ("org_id", q.org_id.map(|o| o.to_string())),
    ];
    let page = Index {
        t: ctx.t,
        nav: ctx.nav(),
        next_href: next_page("/courses", &host, page.next_cursor.as_ref()),
        courses: page.items,
    };
    Ok(render(StatusCode::OK, &page))
}

/// The course form as entered: lessons are repeated `lesson_title` / `lesson_body` /
/// `lesson_minutes` fields; rows left empty are skipped.
#[derive(Debug, Default)]
struct CourseForm {
    studio_id: String,
    alliance_id: String,
    org_id: String,
    title: String,
    description: String,
    lessons: Vec<(String, String, String)>,
}

/// Blank lesson rows shown on the form.
const LESSON_ROWS: usize = 5;

impl CourseForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut f = CourseForm::default();
        let (mut titles, mut bodies, mut minutes) = (Vec::new(), Vec::new(), Vec::new());
        for (k, v) in pairs {
            match k.as_str() {
                "studio_id" => f.studio_id = v,
                "alliance_id" => f.alliance_id = v,
                "org_id" => f.org_id = v,
                "title" => f.title = v,
                "description" => f.description = v,
                "lesson_title" => titles.push(v),
                "lesson_body" => bodies.push(v),
                "lesson_minutes" => minutes.push(v),
                _ => {}
            }
        }
        for (i, title) in titles.into_iter().enumerate() {
            let body = bodies.get(i).cloned().unwrap_or_default();
            let mins = minutes.get(i).cloned().unwrap_or_default();
            if !(title.trim().is_empty() && body.trim().is_empty()) {
                f.lessons.push((title, body, mins));
            }
        }
        f
    }

    /// The lesson rows to show: those entered, then blanks up to the form's size.
    fn rows(&self) -> Vec<(String, String, String)> {
        let mut rows = self.lessons.clone();
        while rows.len() < LESSON_ROWS {
            rows.push(Default::default());
        }
        rows
    }

    fn input(&self) -> Result<CourseInput, AppError> {
        let mut lessons = Vec::new();
        for (i, (title, body, mins)) in self.lessons.iter().enumerate() {
            let field = format!("lessons[{}].minutes", i + 1);
            lessons.push(LessonInput {
                title: title.clone(),
                body_or_url: body.clone(),
                minutes: number(&field, mins)?.unwrap_or_default(),
            });
        }
        Ok(CourseInput {
            studio_id: number("studio_id", &self.studio_id)?,
            alliance_id: number("alliance_id", &self.alliance_id)?,
            org_id: number("org_id", &self.org_id)?,
            title: self.title.clone(),
            description: self.description.clone(),
            lessons,
        })
    }
}

#[derive(Template)]
#[template(path = "courses/form.html")]
struct FormPage {
    t: Tr,
    nav: Nav,
    f: CourseForm,
    errors: FormErrors,
}

async fn new_page(ctx: Ctx, Query(q): Query<CourseQuery>) -> Result<Response, PageError> {
    ctx.require()?;
    let f = CourseForm {
        studio_id: q.studio_id.map(|s| s.to_string()).unwrap_or_default(),
        alliance_id: q.alliance_id.map(|s| s.to_string()).unwrap_or_default(),
        org_id: q.org_id.map(|s| s.to_string()).unwrap_or_default(),
        ..CourseForm::default()
    };
    let page = FormPage {
        t: ctx.t,
        nav: ctx.nav(),
        f,
        errors: FormErrors::default(),
    };
    Ok(render(StatusCode::OK, &page))
}

async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let f = CourseForm::from_pairs(pairs);
    let result = async { svc::create(&state.db, actor, f.input()?).await }.await;
    match result {
        Ok(c) => Ok(see_other(&format!("/courses/{}?done=created", c.id))),
        Err(e) => {
            let e = refused(e, Shown::NotForbidden)?;
            let page = FormPage {
                t: ctx.t,
                nav: ctx.nav(),
                errors: FormErrors(problem_fields(&e)),
                f,
            };
            Ok(render(e.status(), &page))
        }
    }
}

#[derive(Template)]
#[template(path = "courses/show.html")]
struct Show {
    t: Tr,
    nav: Nav,
    c: CourseDetail,
    signed_in: bool,
    /// What the last form did (a flash).
    flash: Option<String>,
}

/// The messages the course page knows after a form; any other `done` is ignored.
const DONE: [&str; 3] = ["created", "enrolled", "lesson"];

impl Show {
    fn is_link(&self, l: &Lesson) -> bool {
        is_link(&l.body_or_url)
    }

    fn body_html(&self, l: &Lesson) -> String {
        markdown::render(&l.body_or_url)
    }

    fn done(&self, l: &Lesson) -> bool {
        self.c.completed.contains(&l.n)
    }

    fn hours(&self, minutes: &i64) -> String {
        study_time(self.t, *minutes)
    }
}

/// Study time as people say it: "1 小时 15 分钟", "45 分钟".
fn study_time(t: Tr, minutes: i64) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    let (hour, minute) = (t.s("co.hour_unit"), t.s("co.minutes_unit"));
    match (h, m) {
        (0, m) => format!("{m} {minute}"),
        (h, 0) => format!("{h} {hour}"),
        (h, m) => format!("{h} {hour} {m} {minute}"),
    }
}

#[derive(Template)]
#[template(path = "courses/record.html")]
struct Record {
    t: Tr,
    nav: Nav,
    r: CourseRecord,
}

impl Record {
    fn hours(&self, minutes: &i64) -> String {
        study_time(self.t, *minutes)
    }
}

/// The learner's record, laid out to print (or to save as PDF).
async fn record(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let r = svc::record(&state.db, ctx.require()?, id).await?;
    let page = Record {
        t: ctx.t,
        nav: ctx.nav(),
        r,
    };
    Ok(render(StatusCode::OK, &page))
}

async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    Query(q): Query<Done>,
) -> Result<Response, PageError> {
    let c = svc::detail(&state.db, ctx.actor.as_ref(), id).await?;
    let page = Show {
        t: ctx.t,
        nav: ctx.nav(),
        c,
        signed_in: ctx.actor.is_some(),
        flash: q.known(&DONE),
    };
    Ok(render(StatusCode::OK, &page))
}

async fn enrol(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    match svc::enrol(&state.db, actor, id).await {
        Ok(_) => Ok(see_other(&format!("/courses/{id}?done=enrolled"))),
        // Enrolling twice (a double tap) lands on the course all the same.
        Err(e) if e.status() == StatusCode::CONFLICT => {
            Ok(see_other(&format!("/courses/{id}?done=enrolled")))
        }
        Err(e) => Err(e.into()),
    }
}

async fn complete(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath((id, n)): PagePath<(i64, i64)>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    svc::complete_lesson(&state.db, actor, id, n).await?;
    Ok(see_other(&format!("/courses/{id}?done=lesson#lesson-{n}")))
}
