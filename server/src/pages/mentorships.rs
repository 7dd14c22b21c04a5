//! Mentorship pages (师带徒): recording a pair, the page with its log and completion.

use super::Done;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use super::i18n::Tr;
use super::{
    Ctx, FormErrors, Nav, PageError, PageForm, PagePath, Shown, number, problem_fields, refused,
    render, see_other,
};
use crate::error::AppError;
use crate::state::AppState;

use crate::service::mentorships::{
    self as svc, CompleteInput, LogInput, MentorshipDetail, MentorshipInput,
};
use crate::service::orgs::china_today;
use crate::service::people;

#[derive(Template)]
#[template(path = "mentorships/mine.html")]
struct MinePage {
    t: Tr,
    nav: Nav,
    studios: Vec<(
        crate::service::studios::StudioBrief,
        Vec<crate::store::mentorships::Mentorship>,
    )>,
}

/// The pairs of the reader's studios (我的师带徒).
async fn mine(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let page = MinePage {
        t: ctx.t,
        nav: ctx.nav(),
        studios: svc::of_reader(&state.db, actor).await?,
    };
    Ok(super::render(StatusCode::OK, &page))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/mentorships", get(mine).post(create))
        .route("/mentorships/new", get(new_page))
        .route("/mentorships/{id}", get(show))
        .route("/mentorships/{id}/logs", post(log))
        .route("/mentorships/{id}/complete", post(complete))
        .route("/mentorships/{id}/end", post(end))
}

#[derive(Debug, Default, Deserialize)]
struct MentorshipForm {
    #[serde(default)]
    studio_id: String,
    #[serde(default)]
    mentor_id: String,
    /// The apprentice's name, username or phone (the people picker).
    #[serde(default)]
    apprentice: String,
    #[serde(default)]
    skill: String,
    #[serde(default)]
    goals: String,
    #[serde(default)]
    plan: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
}

#[derive(Template)]
#[template(path = "mentorships/form.html")]
struct FormPage {
    t: Tr,
    nav: Nav,
    f: MentorshipForm,
    studio_name: String,
    /// (user id, name) of the studio's leader and members.
    mentors: Vec<(i64, String)>,
    errors: FormErrors,
}

#[derive(Deserialize)]
struct NewQuery {
    studio_id: i64,
}

async fn form_page(
    state: &AppState,
    ctx: &Ctx,
    f: MentorshipForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    ctx.require()?;
    let studio_id = number("studio_id", &f.studio_id)?.unwrap_or_default();
    let c = svc::candidates(&state.db, studio_id).await?;
    let page = FormPage {
        t: ctx.t,
        nav: ctx.nav(),
        mentors: c.mentors,
        studio_name: c.studio_name,
        f,
        errors,
    };
    Ok(render(status, &page))
}

async fn new_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<NewQuery>,
) -> Result<Response, PageError> {
    let today = china_today();
    let f = MentorshipForm {
        studio_id: q.studio_id.to_string(),
        starts_on: today.to_string(),
        ends_on: (today + chrono::Duration::days(365)).to_string(),
        ..MentorshipForm::default()
    };
    form_page(&state, &ctx, f, FormErrors::default(), StatusCode::OK).await
}

async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    PageForm(f): PageForm<MentorshipForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let result = async {
        let input = MentorshipInput {
            studio_id: number("studio_id", &f.studio_id)?.unwrap_or_default(),
            mentor_id: number("mentor_id", &f.mentor_id)?.unwrap_or_default(),
            apprentice_id: people::resolve(&state.db, actor, "apprentice_id", &f.apprentice)
                .await?
                .id,
            skill: f.skill.clone(),
            goals: f.goals.clone(),
            plan: f.plan.clone(),
            starts_on: f.starts_on.clone(),
            ends_on: f.ends_on.clone(),
        };
        svc::create(&state.db, actor, input).await
    }
    .await;
    match result {
        Ok(m) => Ok(see_other(&format!("/mentorships/{}?done=created", m.id))),
        Err(e) => {
            let e = refused(e, Shown::NotForbidden)?;
            let errors = FormErrors(problem_fields(&e));
            form_page(&state, &ctx, f, errors, e.status()).await
        }
    }
}

#[derive(Template)]
#[template(path = "mentorships/show.html")]
struct Show {
    t: Tr,
    nav: Nav,
    m: MentorshipDetail,
    today: String,
    errors: FormErrors,
    /// What the last form did (a flash).
    done: Option<String>,
}

/// The messages the pair's page knows after a form; any other `done` is ignored.
const DONE: [&str; 4] = ["created", "log", "ended", "completed"];

impl Show {
    fn grade(&self) -> String {
        self.t
            .s(&format!("ms.grade.{}", self.m.mentorship.grade))
            .to_owned()
    }
}

async fn show_with(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    page(state, ctx, id, errors, None, status).await
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    errors: FormErrors,
    done: Option<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let m = svc::detail(&state.db, ctx.actor.as_ref(), id).await?;
    let page = Show {
        t: ctx.t,
        nav: ctx.nav(),
        m,
        today: china_today().to_string(),
        errors,
        done,
    };
    Ok(render(status, &page))
}

async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    Query(q): Query<Done>,
) -> Result<Response, PageError> {
    let done = q.known(&DONE);
    page(
        &state,
        &ctx,
        id,
        FormErrors::default(),
        done,
        StatusCode::OK,
    )
    .await
}

/// Re-renders the page with field errors, or fails the page for other problems.
async fn after(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    result: Result<(), AppError>,
    (done, anchor): (&str, &str),
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(see_other(&format!(
            "/mentorships/{id}?done={done}#{anchor}"
        ))),
        Err(e) => {
            let e = refused(e, Shown::Invalid)?;
            let errors = FormErrors(e.field_errors().to_vec());
            show_with(state, ctx, id, errors, e.status()).await
        }
    }
}

#[derive(Deserialize)]
struct LogForm {
    #[serde(default)]
    on: String,
    #[serde(default)]
    hours: String,
    #[serde(default)]
    content: String,
}

async fn log(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<LogForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let result = async {
        let hours: f64 = f.hours.trim().parse().map_err(|_| {
            AppError::invalid_field("hours", "学时应为数字 / hours must be a number")
        })?;
        let input = LogInput {
            on: f.on.clone(),
            hours,
            content: f.content.clone(),
        };
        svc::log(&state.db, actor, id, input).await.map(|_| ())
    }
    .await;
    after(&state, &ctx, id, result, ("log", "log")).await
}

#[derive(Deserialize)]
struct EndForm {
    #[serde(default)]
    reason: String,
}

async fn end(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<EndForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let input = svc::EndInput { reason: f.reason };
    let result = svc::end(&state.db, actor, id, input).await.map(|_| ());
    after(&state, &ctx, id, result, ("ended", "evaluation")).await
}

#[derive(Deserialize)]
struct CompleteForm {
    #[serde(default)]
    evaluation: String,
    #[serde(default)]
    grade: String,
}

async fn complete(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<CompleteForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let input = CompleteInput {
        evaluation: f.evaluation,
        grade: f.grade,
    };
    let result = svc::complete(&state.db, actor, id, input).await.map(|_| ());
    after(&state, &ctx, id, result, ("completed", "evaluation")).await
}
