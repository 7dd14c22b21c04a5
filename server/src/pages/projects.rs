//! Project pages (课题): a studio's projects with the form to register one, and a project with
//! its team, timeline and the forms of its steps (progress, delivery, opening as a challenge,
//! recording the outcome). Only the studio and the unions above it reach them.

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
use crate::domain::project::ProjectStatus;
use crate::error::AppError;
use crate::service::outcomes::{self, OutcomeInput};
use crate::service::projects::{
    self as svc, DeliveryInput, OpenInput, ProgressInput, ProjectDetail, ProjectInput,
};
use crate::state::AppState;
use crate::store::projects::Project;
use crate::store::studio_members::Member;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/studios/{id}/projects", get(index).post(create))
        .route("/projects/{id}", get(show))
        .route("/projects/{id}/{step}", post(step))
}

/// The registration form as typed; the team is the ticked `member` boxes (a repeated field).
#[derive(Debug, Default)]
struct ProjectForm {
    title: String,
    description: String,
    industry: String,
    plan: String,
    member: Vec<String>,
}

impl ProjectForm {
    fn read(pairs: Vec<(String, String)>) -> ProjectForm {
        let mut f = ProjectForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "title" => f.title = v,
                "description" => f.description = v,
                "industry" => f.industry = v,
                "plan" => f.plan = v,
                "member" => f.member.push(v),
                _ => {}
            }
        }
        f
    }

    fn ticked(&self, user_id: &i64) -> bool {
        self.member.iter().any(|m| m == &user_id.to_string())
    }
}

#[derive(Template)]
#[template(path = "projects/index.html")]
struct Index {
    t: Tr,
    nav: Nav,
    studio_id: i64,
    studio_name: String,
    projects: Vec<Project>,
    /// The studio's people, for the team (when the reader may register).
    people: Vec<Member>,
    f: ProjectForm,
    errors: FormErrors,
}

async fn index_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    f: ProjectForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let projects = svc::of_studio(&state.db, actor, id).await?;
    let studio = crate::service::studios::get(&state.db, Some(actor), id).await?;
    let people = if crate::auth::policy::projects::register(actor, id).is_ok() {
        crate::service::studios::members(&state.db, id).await?
    } else {
        Vec::new()
    };
    Ok(render(
        status,
        &Index {
            t: ctx.t,
            nav: ctx.nav(),
            studio_id: id,
            studio_name: studio.name,
            projects,
            people,
            f,
            errors,
        },
    ))
}

async fn index(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    index_page(
        &state,
        &ctx,
        id,
        ProjectForm::default(),
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let f = ProjectForm::read(pairs);
    let result = async {
        let member_ids = f
            .member
            .iter()
            .map(|m| number("member_ids", m).map(Option::unwrap_or_default))
            .collect::<Result<Vec<i64>, AppError>>()?;
        let input = ProjectInput {
            title: f.title.clone(),
            description: f.description.clone(),
            industry: f.industry.clone(),
            plan: f.plan.clone(),
            member_ids,
        };
        svc::create(&state.db, actor, id, input).await
    }
    .await;
    match result {
        Ok(p) => Ok(see_other(&format!("/projects/{}?done=registered", p.id))),
        Err(e) => {
            let e = refused(e, Shown::AnyClient)?;
            let status = e.status();
            index_page(&state, &ctx, id, f, FormErrors(problem_fields(&e)), status).await
        }
    }
}

#[derive(Template)]
#[template(path = "projects/show.html")]
struct Show {
    t: Tr,
    nav: Nav,
    d: ProjectDetail,
    done: Option<String>,
    errors: FormErrors,
}

impl Show {
    fn active(&self) -> bool {
        self.d.project.status == ProjectStatus::Active
    }

    fn delivered(&self) -> bool {
        self.d.project.status == ProjectStatus::Delivered
    }

    /// The kind the outcome form offers first: most projects end in a technical innovation.
    fn default_kind(&self, code: &str) -> bool {
        code == "technical_innovation"
    }
}

/// The messages the project page knows; any other `done` is ignored.
const DONE: [&str; 4] = ["registered", "progress", "deliver", "opened"];

async fn show_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    done: Option<String>,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let d = svc::detail(&state.db, ctx.require()?, id).await?;
    Ok(render(
        status,
        &Show {
            t: ctx.t,
            nav: ctx.nav(),
            d,
            done,
            errors,
        },
    ))
}

async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    Query(q): Query<Done>,
) -> Result<Response, PageError> {
    let done = q.known(&DONE);
    show_page(
        &state,
        &ctx,
        id,
        done,
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// Every form of a project page, as one bag of optional fields.
#[derive(Debug, Default, Deserialize)]
struct StepForm {
    #[serde(default)]
    note: String,
    #[serde(default)]
    percent: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    deadline: String,
    #[serde(default)]
    reward_yuan: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    patent_no: String,
}

/// Where a step leads: back to the project with a message, or on to what it made.
enum Next {
    Done(&'static str),
    To(String),
}

async fn step(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath((id, step)): PagePath<(i64, String)>,
    PageForm(f): PageForm<StepForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let db = &state.db;
    let result = async {
        match step.as_str() {
            "progress" => {
                let percent = number("percent", &f.percent)?.unwrap_or_default();
                let input = ProgressInput {
                    note: f.note.clone(),
                    percent,
                };
                svc::progress(db, actor, id, input).await?;
                Ok(Next::Done("progress"))
            }
            "deliver" => {
                let input = DeliveryInput {
                    summary: f.summary.clone(),
                };
                svc::deliver(db, actor, id, input).await?;
                Ok(Next::Done("deliver"))
            }
            "open" => {
                let input = OpenInput {
                    deadline: Some(f.deadline.clone()).filter(|d| !d.trim().is_empty()),
                    reward_yuan: number("reward_yuan", &f.reward_yuan)?,
                    ..OpenInput::default()
                };
                let opened = svc::open(db, actor, id, input).await?;
                Ok(Next::To(format!("/challenges/{}", opened.challenge_id)))
            }
            "outcome" => {
                let p = svc::get(db, actor, id).await?;
                let input = OutcomeInput {
                    studio_id: p.studio_id,
                    title: Some(f.title.clone())
                        .filter(|t| !t.trim().is_empty())
                        .unwrap_or(p.title.clone()),
                    summary: p.summary.clone(),
                    body: p.description.clone(),
                    kind: f.kind.clone(),
                    industry: p.industry.clone(),
                    challenge_id: None,
                    project_id: Some(id),
                    patent_no: f.patent_no.clone(),
                    benefit_yuan: None,
                    transferable: false,
                };
                let created = outcomes::create(db, actor, input).await?;
                Ok(Next::To(format!("/outcomes/{}?done=created", created.id)))
            }
            _ => Err(AppError::not_found()),
        }
    }
    .await;
    match result {
        Ok(Next::Done(done)) => Ok(see_other(&format!("/projects/{id}?done={done}"))),
        Ok(Next::To(href)) => Ok(see_other(&href)),
        Err(e) => {
            let e = refused(e, Shown::NotMissing)?;
            let status = e.status();
            show_page(
                &state,
                &ctx,
                id,
                None,
                FormErrors(problem_fields(&e)),
                status,
            )
            .await
        }
    }
}
