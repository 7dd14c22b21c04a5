//! The picture forms of the pages, without script: a studio's photo or logo on its page, a
//! person's portrait on their own page. Each ends with a message; a refused file is named
//! beside the form and nothing changes.

use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::response::Response;
use axum::routing::post;

use super::{Ctx, FormErrors, PageError, PagePath, Shown, problem_fields, refused, see_other};
use crate::error::AppError;
use crate::http::upload::UploadForm;
use crate::service::pictures as svc;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    let limit = DefaultBodyLimit::max(crate::pictures::MAX_BYTES + 64 * 1024);
    Router::new()
        .route("/studios/{id}/picture", post(studio).layer(limit))
        .route("/studios/{id}/picture/remove", post(remove_studio))
        .route("/me/portrait", post(portrait).layer(limit))
        .route("/me/portrait/remove", post(remove_portrait))
}

/// The picture of a page's form (422 when none was chosen).
async fn upload(form: Multipart) -> Result<Vec<u8>, AppError> {
    let form = UploadForm::read(form).await?;
    form.files_of("file")
        .next()
        .map(|f| f.bytes.to_vec())
        .ok_or_else(|| AppError::invalid_field("file", "请选择图片 / a picture is required"))
}

async fn studio(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    form: Multipart,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let result = match upload(form).await {
        Ok(bytes) => {
            svc::set_studio(&state.db, &state.config.data_dir, actor, id, Some(bytes)).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(see_other(&format!("/studios/{id}?done=picture"))),
        Err(e) => {
            let e = refused(e, Shown::NotForbiddenOrMissing)?;
            let errors = FormErrors(problem_fields(&e));
            super::studios::show_with(&state, &ctx, id, errors, None, e.status()).await
        }
    }
}

async fn remove_studio(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    svc::set_studio(&state.db, &state.config.data_dir, actor, id, None).await?;
    Ok(see_other(&format!("/studios/{id}?done=picture_removed")))
}

async fn portrait(
    State(state): State<AppState>,
    ctx: Ctx,
    form: Multipart,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let result = match upload(form).await {
        Ok(bytes) => svc::set_portrait(&state.db, &state.config.data_dir, actor, Some(bytes)).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(see_other("/me?done=portrait")),
        Err(e) => {
            let e = refused(e, Shown::AnyClient)?;
            super::accounts::me_with(&state, &ctx, FormErrors(problem_fields(&e)), e.status()).await
        }
    }
}

async fn remove_portrait(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    svc::set_portrait(&state.db, &state.config.data_dir, actor, None).await?;
    Ok(see_other("/me?done=portrait_removed"))
}
