//! Naming pages (命名): the batches and what waits for the reader, a batch with its public
//! notice, and an application with its trail and the forms of the steps the reader may take.

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
use crate::service::naming::{
    self as svc, ApplicationDetail, ApplicationInput, BatchDetail, BatchInput, Expert, StepInput,
    TextInput,
};
use crate::service::studios::StudioBrief;
use crate::state::AppState;
use crate::store::naming::{Application, Batch};
use crate::store::orgs::StaffRole;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/naming", get(index).post(open_batch))
        .route("/naming/batches/{id}", get(batch))
        .route("/naming/applications", post(apply))
        .route("/naming/applications/{id}", get(application))
        .route("/naming/applications/{id}/print", get(print))
        .route("/naming/applications/{id}/objections", post(object))
        .route(
            "/naming/applications/{id}/objections/{oid}/answer",
            post(answer),
        )
        .route("/naming/applications/{id}/{action}", post(step))
}

#[derive(Template)]
#[template(path = "naming/index.html")]
struct Index {
    t: Tr,
    nav: Nav,
    batches: Vec<Batch>,
    queue: Vec<Application>,
    /// Orgs where the reader is union staff: where they may open a batch.
    staff_orgs: Vec<StaffRole>,
    f: BatchForm,
    errors: FormErrors,
}

#[derive(Debug, Default, Deserialize)]
struct BatchForm {
    #[serde(default)]
    org_id: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    quota: String,
    #[serde(default)]
    opens_on: String,
    #[serde(default)]
    closes_on: String,
    #[serde(default)]
    notice_days: String,
}

impl BatchForm {
    fn input(&self) -> Result<BatchInput, AppError> {
        Ok(BatchInput {
            org_id: number("org_id", &self.org_id)?.unwrap_or_default(),
            year: number("year", &self.year)?.unwrap_or_default(),
            title: self.title.clone(),
            category: Some(self.category.clone()),
            quota: number("quota", &self.quota)?.unwrap_or_default(),
            opens_on: self.opens_on.clone(),
            closes_on: self.closes_on.clone(),
            notice_days: number("notice_days", &self.notice_days)?.unwrap_or_default(),
            conditions: None,
        })
    }
}

async fn index(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    index_with(
        &state,
        &ctx,
        BatchForm::default(),
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn index_with(
    state: &AppState,
    ctx: &Ctx,
    f: BatchForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let (queue, staff_orgs) = match &ctx.actor {
        Some(a) => (
            svc::queue(&state.db, a).await?,
            crate::auth::policy::staff_orgs(a),
        ),
        None => (Vec::new(), Vec::new()),
    };
    let page = Index {
        t: ctx.t,
        nav: ctx.nav(),
        batches: svc::batches(&state.db, None).await?,
        queue,
        staff_orgs,
        f,
        errors,
    };
    Ok(render(status, &page))
}

async fn open_batch(
    State(state): State<AppState>,
    ctx: Ctx,
    PageForm(f): PageForm<BatchForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    match f.input() {
        Ok(i) => match svc::open_batch(&state.db, actor, i).await {
            Ok(b) => Ok(see_other(&format!("/naming/batches/{}?done=open", b.id))),
            Err(e) => {
                let e = refused(e, Shown::Invalid)?;
                index_with(&state, &ctx, f, FormErrors(problem_fields(&e)), e.status()).await
            }
        },
        Err(e) => index_with(&state, &ctx, f, FormErrors(problem_fields(&e)), e.status()).await,
    }
}

#[derive(Template)]
#[template(path = "naming/batch.html")]
struct BatchPage {
    t: Tr,
    nav: Nav,
    d: BatchDetail,
    /// Studios the reader leads, to apply with.
    led: Vec<StudioBrief>,
    /// Active alliances whose lead studio the reader leads.
    led_alliances: Vec<crate::store::alliances::Alliance>,
    done: Option<String>,
    errors: FormErrors,
}

async fn batch(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    Query(q): Query<Done>,
) -> Result<Response, PageError> {
    batch_with(
        &state,
        &ctx,
        id,
        q.done,
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn batch_with(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    done: Option<String>,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let d = svc::batch_detail(&state.db, ctx.actor.as_ref(), id).await?;
    let (led, led_alliances) = match &ctx.actor {
        Some(a) => (
            crate::service::studios::led(&state.db, a).await?,
            crate::service::alliances::led(&state.db, a).await?,
        ),
        None => (Vec::new(), Vec::new()),
    };
    let page = BatchPage {
        t: ctx.t,
        nav: ctx.nav(),
        d,
        led,
        led_alliances,
        done,
        errors,
    };
    Ok(render(status, &page))
}

#[derive(Debug, Default, Deserialize)]
struct ApplyForm {
    #[serde(default)]
    batch_id: String,
    /// `studio-{id}` or `alliance-{id}`.
    #[serde(default)]
    applicant: String,
}

async fn apply(
    State(state): State<AppState>,
    ctx: Ctx,
    PageForm(f): PageForm<ApplyForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let batch_id = number("batch_id", &f.batch_id)?.unwrap_or_default();
    let (studio_id, alliance_id) = match f.applicant.split_once('-') {
        Some(("alliance", id)) => (None, number("alliance_id", id)?),
        Some((_, id)) => (number("studio_id", id)?, None),
        None => (None, None),
    };
    let input = ApplicationInput {
        batch_id,
        studio_id,
        alliance_id,
    };
    match svc::apply(&state.db, actor, input).await {
        Ok(created) => Ok(see_other(&format!(
            "/naming/applications/{}?done=apply",
            created.id
        ))),
        Err(e) => {
            let e = refused(e, Shown::Refusals)?;
            let errors = FormErrors(problem_fields(&e));
            batch_with(&state, &ctx, batch_id, None, errors, e.status()).await
        }
    }
}

#[derive(Template)]
#[template(path = "naming/application.html")]
struct ApplicationPage {
    t: Tr,
    nav: Nav,
    d: ApplicationDetail,
    /// The naming union's expert pool, for the panel form.
    pool: Vec<Expert>,
    done: Option<String>,
    errors: FormErrors,
}

async fn application(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    Query(q): Query<Done>,
) -> Result<Response, PageError> {
    application_with(
        &state,
        &ctx,
        id,
        q.done,
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn application_with(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    done: Option<String>,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let d = svc::detail(&state.db, ctx.actor.as_ref(), id).await?;
    let pool = if d.viewer.may.iter().any(|m| m == "assign-experts") {
        svc::experts(&state.db, d.application.org_id).await?
    } else {
        Vec::new()
    };
    let page = ApplicationPage {
        t: ctx.t,
        nav: ctx.nav(),
        d,
        pool,
        done,
        errors,
    };
    Ok(render(status, &page))
}

/// A step's form: an opinion, and for some steps experts, a score or the decision. Checkboxes
/// of experts come as repeated `expert_ids` fields.
#[derive(Debug, Default)]
struct StepForm {
    opinion: String,
    comment: String,
    score: String,
    approved: String,
    expert_ids: Vec<String>,
    confirmed: Vec<String>,
}

impl StepForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut f = StepForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "opinion" => f.opinion = v,
                "comment" => f.comment = v,
                "score" => f.score = v,
                "approved" => f.approved = v,
                "expert_ids" => f.expert_ids.push(v),
                "confirmed" => f.confirmed.push(v),
                _ => {}
            }
        }
        f
    }

    fn input(&self) -> Result<StepInput, AppError> {
        let mut experts = Vec::new();
        for e in &self.expert_ids {
            experts.extend(number("expert_ids", e)?);
        }
        let mut confirmed = Vec::new();
        for c in &self.confirmed {
            let n = number("confirmed", c)?.unwrap_or(-1);
            confirmed.push(usize::try_from(n).map_err(|_| {
                AppError::invalid_field("confirmed", "无效的条件 / no such condition")
            })?);
        }
        Ok(StepInput {
            opinion: self.opinion.clone(),
            expert_ids: Some(experts),
            score: number("score", &self.score)?,
            comment: self.comment.clone(),
            approved: match self.approved.as_str() {
                "yes" => Some(true),
                "no" => Some(false),
                _ => None,
            },
            confirmed: Some(confirmed),
        })
    }
}

async fn step(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath((id, action)): PagePath<(i64, String)>,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let f = StepForm::from_pairs(pairs);
    let result = match f.input() {
        Ok(input) => svc::step(&state.db, actor, id, &action, input)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    after(&state, &ctx, id, &action, result).await
}

async fn object(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<TextInput>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let result = svc::object(&state.db, actor, id, f).await.map(|_| ());
    after(&state, &ctx, id, "object", result).await
}

async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath((id, oid)): PagePath<(i64, i64)>,
    PageForm(f): PageForm<TextInput>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let result = svc::answer(&state.db, actor, id, oid, f).await;
    after(&state, &ctx, id, "answer", result).await
}

/// After a form on the application: back to it with a message, or the page again with what
/// was refused.
async fn after(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    action: &str,
    result: Result<(), AppError>,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(see_other(&format!(
            "/naming/applications/{id}?done={action}"
        ))),
        Err(e) => {
            let e = refused(e, Shown::Refusals)?;
            let errors = FormErrors(problem_fields(&e));
            application_with(state, ctx, id, None, errors, e.status()).await
        }
    }
}

#[derive(Template)]
#[template(path = "naming/print.html")]
struct PrintPage {
    t: Tr,
    nav: Nav,
    d: ApplicationDetail,
    naming_org: String,
}

/// The application as the printed form (the Changchun application form's fields, with the
/// opinions of every step), for the archive: the browser prints it or saves it as PDF.
async fn print(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let d = svc::detail(&state.db, ctx.actor.as_ref(), id).await?;
    let naming_org = svc::batch(&state.db, d.application.batch_id)
        .await?
        .org_name;
    let page = PrintPage {
        t: ctx.t,
        nav: ctx.nav(),
        d,
        naming_org,
    };
    Ok(render(StatusCode::OK, &page))
}
