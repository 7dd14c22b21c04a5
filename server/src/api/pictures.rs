//! Pictures: a studio's photo or logo and a person's portrait, uploaded as multipart `file`
//! and resized on arrival; served at `/pictures/{NAME}.jpg` (page size) and
//! `/pictures/{NAME}-s.jpg` (list size) to anyone, cached for a year (names never change).

use axum::extract::{DefaultBodyLimit, Multipart};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router, extract::State};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Actor;
use crate::error::{AppError, AppResult, Problem};
use crate::http::extract::ApiPath;
use crate::http::upload::UploadForm;
use crate::pictures;
use crate::service::pictures as svc;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    let limit = DefaultBodyLimit::max(pictures::MAX_BYTES + 64 * 1024);
    Router::new()
        .route(
            "/api/v1/studios/{id}/picture",
            post(set_studio).delete(remove_studio).layer(limit),
        )
        .route(
            "/api/v1/me/portrait",
            post(set_portrait).delete(remove_portrait).layer(limit),
        )
        .route("/pictures/{file}", get(serve))
}

/// A picture now in place.
#[derive(Debug, Serialize, ToSchema)]
pub struct PictureAnswer {
    /// The picture's name (`null` once removed).
    pub picture: Option<String>,
    /// Where the page size is served.
    pub url: Option<String>,
    /// Where the list size is served.
    pub list_url: Option<String>,
}

impl PictureAnswer {
    fn of(name: Option<String>) -> Self {
        Self {
            url: name.as_ref().map(|n| format!("/pictures/{n}.jpg")),
            list_url: name.as_ref().map(|n| format!("/pictures/{n}-s.jpg")),
            picture: name,
        }
    }
}

async fn upload(form: Multipart) -> AppResult<Vec<u8>> {
    let form = UploadForm::read(form).await?;
    form.files_of("file")
        .next()
        .map(|f| f.bytes.to_vec())
        .ok_or_else(|| AppError::invalid_field("file", "请选择图片 / a picture is required"))
}

/// Sets a studio's photo or logo (those who edit its profile); resized to 1200 and 320 px.
#[utoipa::path(post, path = "/api/v1/studios/{id}/picture", tag = "studios", params(("id" = i64, Path)),
    request_body(content_type = "multipart/form-data", description = "`file`: a JPEG, PNG or WebP picture of at most 10 MiB"),
    responses((status = 200, body = PictureAnswer), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn set_studio(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    form: Multipart,
) -> AppResult<Json<PictureAnswer>> {
    let bytes = upload(form).await?;
    let name = svc::set_studio(&state.db, &state.config.data_dir, &actor, id, Some(bytes)).await?;
    Ok(Json(PictureAnswer::of(name)))
}

/// Removes a studio's picture.
#[utoipa::path(delete, path = "/api/v1/studios/{id}/picture", tag = "studios", params(("id" = i64, Path)),
    responses((status = 200, body = PictureAnswer), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn remove_studio(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<PictureAnswer>> {
    let name = svc::set_studio(&state.db, &state.config.data_dir, &actor, id, None).await?;
    Ok(Json(PictureAnswer::of(name)))
}

/// Sets the reader's own portrait.
#[utoipa::path(post, path = "/api/v1/me/portrait", tag = "accounts",
    request_body(content_type = "multipart/form-data", description = "`file`: a JPEG, PNG or WebP picture of at most 10 MiB"),
    responses((status = 200, body = PictureAnswer), (status = 401, body = Problem), (status = 413, body = Problem),
        (status = 422, body = Problem)))]
pub async fn set_portrait(
    State(state): State<AppState>,
    actor: Actor,
    form: Multipart,
) -> AppResult<Json<PictureAnswer>> {
    let bytes = upload(form).await?;
    let name = svc::set_portrait(&state.db, &state.config.data_dir, &actor, Some(bytes)).await?;
    Ok(Json(PictureAnswer::of(name)))
}

/// Removes the reader's own portrait.
#[utoipa::path(delete, path = "/api/v1/me/portrait", tag = "accounts",
    responses((status = 200, body = PictureAnswer), (status = 401, body = Problem)))]
pub async fn remove_portrait(
    State(state): State<AppState>,
    actor: Actor,
) -> AppResult<Json<PictureAnswer>> {
    let name = svc::set_portrait(&state.db, &state.config.data_dir, &actor, None).await?;
    Ok(Json(PictureAnswer::of(name)))
}

/// A picture, public and cached for a year: a changed picture gets a new name.
pub async fn serve(
    State(state): State<AppState>,
    ApiPath(file): ApiPath<String>,
) -> AppResult<Response> {
    let path = pictures::path(&state.config.data_dir, &file).ok_or_else(AppError::not_found)?;
    let bytes = tokio::fs::read(path)
        .await
        .map_err(|_| AppError::not_found())?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/jpeg"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        bytes,
    )
        .into_response())
}
