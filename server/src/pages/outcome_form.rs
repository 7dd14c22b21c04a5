//! Entering an outcome by hand (专利、先进操作法、绝招绝技、QC 成果) and changing it later: one
//! form with its files (certificate scans, photos, a PDF of the method), and its removal.

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};

use super::i18n::Tr;
use super::{
    Ctx, FormErrors, Nav, PageError, PagePath, Shown, number, problem_fields, refused, render,
    see_other,
};
use crate::auth::{Actor, policy};
use crate::domain::attachment::Owner;
use crate::error::{AppError, AppResult};
use crate::http::upload::{Upload, UploadForm};
use crate::service::attachments;
use crate::service::outcomes::{self as svc, OutcomeChanges, OutcomeInput};
use crate::service::studios::StudioBrief;
use crate::state::AppState;
use crate::store::outcomes::Outcome;

/// The most files one form sends.
const FORM_FILES: usize = 5;

pub fn router() -> Router<AppState> {
    let limit = DefaultBodyLimit::max(FORM_FILES * Owner::Outcome.max_bytes() + 64 * 1024);
    Router::new()
        .route("/outcomes/new", get(new_page).post(create).layer(limit))
        .route(
            "/outcomes/{id}/edit",
            get(edit_page).post(save).layer(limit),
        )
        .route("/outcomes/{id}/remove", post(remove))
}

/// The form's fields as typed.
#[derive(Debug, Default)]
struct OutcomeForm {
    studio_id: String,
    title: String,
    summary: String,
    body: String,
    kind: String,
    industry: String,
    patent_no: String,
    benefit_yuan: String,
    transferable: bool,
}

impl OutcomeForm {
    fn read(form: &UploadForm) -> OutcomeForm {
        OutcomeForm {
            studio_id: form.text("studio_id"),
            title: form.text("title"),
            summary: form.text("summary"),
            body: form.text("body"),
            kind: form.text("kind"),
            industry: form.text("industry"),
            patent_no: form.text("patent_no"),
            benefit_yuan: form.text("benefit_yuan"),
            transferable: form.fields.contains_key("transferable"),
        }
    }

    fn of(o: &Outcome) -> OutcomeForm {
        OutcomeForm {
            studio_id: o.studio_id.to_string(),
            title: o.title.clone(),
            summary: o.summary.clone(),
            body: o.body.clone(),
            kind: o.kind.clone(),
            industry: o.industry.clone(),
            patent_no: o.patent_no.clone(),
            benefit_yuan: o.benefit_yuan.map(|b| b.to_string()).unwrap_or_default(),
            transferable: o.transferable,
        }
    }
}

#[derive(Template)]
#[template(path = "outcomes/form.html")]
struct FormPage {
    t: Tr,
    nav: Nav,
    f: OutcomeForm,
    /// The outcome being changed; `None` for a new one.
    editing: Option<Outcome>,
    studios: Vec<StudioBrief>,
    errors: FormErrors,
}

async fn form_page(
    state: &AppState,
    ctx: &Ctx,
    f: OutcomeForm,
    editing: Option<Outcome>,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let studios = crate::service::studios::posting(&state.db, ctx.require()?).await?;
    Ok(render(
        status,
        &FormPage {
            t: ctx.t,
            nav: ctx.nav(),
            f,
            editing,
            studios,
            errors,
        },
    ))
}

async fn new_page(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let f = OutcomeForm {
        kind: "patent".to_owned(),
        ..OutcomeForm::default()
    };
    form_page(&state, &ctx, f, None, FormErrors::default(), StatusCode::OK).await
}

/// The files of one form, each checked before anything is written.
fn checked_files(form: &UploadForm) -> AppResult<Vec<&Upload>> {
    let uploads: Vec<&Upload> = form
        .files_of("attachment")
        .filter(|u| !u.bytes.is_empty())
        .collect();
    if uploads.len() > FORM_FILES {
        return Err(AppError::invalid_field(
            "file",
            "一次最多上传 5 个附件 / at most 5 files at once",
        ));
    }
    for u in &uploads {
        attachments::check(Owner::Outcome, &u.file_name, &u.bytes)?;
    }
    Ok(uploads)
}

async fn attach(state: &AppState, actor: &Actor, id: i64, files: Vec<&Upload>) -> AppResult<()> {
    for u in files {
        attachments::add(
            &state.db,
            &state.config.data_dir,
            actor,
            Owner::Outcome,
            id,
            &u.file_name,
            &u.bytes,
        )
        .await?;
    }
    Ok(())
}

async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    form: Multipart,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let form = UploadForm::read(form).await?;
    let f = OutcomeForm::read(&form);
    let result = async {
        let files = checked_files(&form)?;
        let input = OutcomeInput {
            studio_id: number("studio_id", &f.studio_id)?.unwrap_or_default(),
            title: f.title.clone(),
            summary: f.summary.clone(),
            body: f.body.clone(),
            kind: f.kind.clone(),
            industry: f.industry.clone(),
            challenge_id: None,
            project_id: None,
            patent_no: f.patent_no.clone(),
            benefit_yuan: number("benefit_yuan", &f.benefit_yuan)?,
            transferable: f.transferable,
        };
        let created = svc::create(&state.db, actor, input).await?;
        attach(&state, actor, created.id, files).await?;
        Ok(created.id)
    }
    .await;
    match result {
        Ok(id) => Ok(see_other(&format!("/outcomes/{id}?done=created"))),
        Err(e) => {
            let e = refused(e, Shown::AnyClient)?;
            let status = e.status();
            form_page(
                &state,
                &ctx,
                f,
                None,
                FormErrors(problem_fields(&e)),
                status,
            )
            .await
        }
    }
}

/// The outcome, if the reader may change it (403 otherwise).
async fn editable(state: &AppState, ctx: &Ctx, id: i64) -> Result<Outcome, PageError> {
    let o = svc::get(&state.db, id).await?;
    policy::outcomes::edit(ctx.require()?, &o)?;
    Ok(o)
}

async fn edit_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let o = editable(&state, &ctx, id).await?;
    let f = OutcomeForm::of(&o);
    form_page(
        &state,
        &ctx,
        f,
        Some(o),
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    form: Multipart,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let o = editable(&state, &ctx, id).await?;
    let form = UploadForm::read(form).await?;
    let f = OutcomeForm::read(&form);
    let result = async {
        let files = checked_files(&form)?;
        let changes = OutcomeChanges {
            title: Some(f.title.clone()),
            summary: Some(f.summary.clone()),
            body: Some(f.body.clone()),
            kind: Some(f.kind.clone()),
            industry: Some(f.industry.clone()),
            patent_no: Some(f.patent_no.clone()),
            benefit_yuan: Some(number("benefit_yuan", &f.benefit_yuan)?),
            transferable: Some(f.transferable),
        };
        svc::update(&state.db, actor, id, changes).await?;
        attach(&state, actor, id, files).await
    }
    .await;
    match result {
        Ok(()) => Ok(see_other(&format!("/outcomes/{id}?done=saved"))),
        Err(e) => {
            let e = refused(e, Shown::AnyClient)?;
            let status = e.status();
            form_page(
                &state,
                &ctx,
                f,
                Some(o),
                FormErrors(problem_fields(&e)),
                status,
            )
            .await
        }
    }
}

async fn remove(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    svc::remove(&state.db, &state.config.data_dir, actor, id).await?;
    Ok(see_other("/outcomes?done=removed"))
}
