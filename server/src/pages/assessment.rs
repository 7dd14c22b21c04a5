//! Assessment pages (考核): the rounds and what waits for the reader, a round's board, and a
//! studio's assessment with its figures, trail and the forms of the steps the reader may take.

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
use crate::service::assessment::{
    self as svc, AssessmentDetail, RoundBoard, RoundInput, StepInput,
};
use crate::state::AppState;
use crate::store::assessment::{Assessment, Round};
use crate::store::orgs::StaffRole;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/assessment", get(index).post(open_round))
        .route("/assessment/rounds/{id}", get(board))
        .route("/assessment/{id}", get(assessment))
        .route("/assessment/{id}/{step}", post(step))
}

#[derive(Template)]
#[template(path = "assessment/index.html")]
struct Index {
    t: Tr,
    nav: Nav,
    rounds: Vec<Round>,
    queue: Vec<Assessment>,
    /// Orgs where the reader is union staff: where they may open a round.
    staff_orgs: Vec<StaffRole>,
    f: RoundForm,
    errors: FormErrors,
}

#[derive(Debug, Default, Deserialize)]
struct RoundForm {
    #[serde(default)]
    org_id: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    due_on: String,
    #[serde(default)]
    title: String,
}

impl RoundForm {
    fn input(&self) -> Result<RoundInput, AppError> {
        Ok(RoundInput {
            org_id: number("org_id", &self.org_id)?.unwrap_or_default(),
            kind: self.kind.clone(),
            year: number("year", &self.year)?.unwrap_or_default(),
            title: self.title.clone(),
            due_on: self.due_on.clone(),
        })
    }
}

async fn index(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    index_with(
        &state,
        &ctx,
        RoundForm::default(),
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn index_with(
    state: &AppState,
    ctx: &Ctx,
    f: RoundForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let page = Index {
        t: ctx.t,
        nav: ctx.nav(),
        rounds: svc::rounds(&state.db, None).await?,
        queue: svc::queue(&state.db, actor).await?,
        staff_orgs: crate::auth::policy::staff_orgs(actor),
        f,
        errors,
    };
    Ok(render(status, &page))
}

async fn open_round(
    State(state): State<AppState>,
    ctx: Ctx,
    PageForm(f): PageForm<RoundForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let result = match f.input() {
        Ok(i) => svc::open_round(&state.db, actor, i).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(r) => Ok(see_other(&format!("/assessment/rounds/{}?done=open", r.id))),
        Err(e) => {
            let e = refused(e, Shown::Refusals)?;
            index_with(&state, &ctx, f, FormErrors(problem_fields(&e)), e.status()).await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
struct BoardQuery {
    done: Option<String>,
    under: Option<String>,
}

#[derive(Template)]
#[template(path = "assessment/round.html")]
struct BoardPage {
    t: Tr,
    nav: Nav,
    b: RoundBoard,
    done: Option<String>,
}

async fn board(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    Query(q): Query<BoardQuery>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let under = number("under", q.under.as_deref().unwrap_or_default())?;
    let b = svc::board(&state.db, actor, id, under).await?;
    let page = BoardPage {
        t: ctx.t,
        nav: ctx.nav(),
        b,
        done: q.done,
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "assessment/assessment.html")]
struct AssessmentPage {
    t: Tr,
    nav: Nav,
    d: AssessmentDetail,
    done: Option<String>,
    errors: FormErrors,
    /// The text the self-evaluation form shows: what was sent back, or the draft.
    self_text: String,
}

async fn assessment(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    Query(q): Query<Done>,
) -> Result<Response, PageError> {
    page_with(
        &state,
        &ctx,
        id,
        q.done,
        StepForm::default(),
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn page_with(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    done: Option<String>,
    f: StepForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let d = svc::detail(&state.db, actor, id).await?;
    let self_text = if f.opinion.is_empty() {
        d.draft.clone()
    } else {
        f.opinion
    };
    let page = AssessmentPage {
        t: ctx.t,
        nav: ctx.nav(),
        d,
        done,
        errors,
        self_text,
    };
    Ok(render(status, &page))
}

/// A step's form, as the page sends it.
#[derive(Debug, Default, Deserialize)]
struct StepForm {
    #[serde(default)]
    opinion: String,
    #[serde(default)]
    score: String,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    grade: String,
    #[serde(default)]
    deadline: String,
    #[serde(default)]
    requirements: String,
    #[serde(default)]
    passed: String,
}

impl StepForm {
    fn input(&self) -> Result<StepInput, AppError> {
        Ok(StepInput {
            opinion: self.opinion.clone(),
            score: number("score", &self.score)?,
            comment: self.comment.clone(),
            grade: Some(self.grade.clone()).filter(|g| !g.is_empty()),
            deadline: self.deadline.clone(),
            requirements: self.requirements.clone(),
            passed: match self.passed.as_str() {
                "yes" => Some(true),
                "no" => Some(false),
                _ => None,
            },
        })
    }
}

async fn step(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath((id, code)): PagePath<(i64, String)>,
    PageForm(f): PageForm<StepForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let result = match f.input() {
        Ok(input) => svc::step(&state.db, actor, id, &code, input)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/assessment/{id}?done={code}"))),
        Err(e) => {
            let e = refused(e, Shown::Refusals)?;
            let errors = FormErrors(problem_fields(&e));
            // Only the self-evaluation's text is worth giving back.
            let keep = if code == "self" {
                f
            } else {
                StepForm::default()
            };
            page_with(&state, &ctx, id, None, keep, errors, e.status()).await
        }
    }
}
