//! Files attached to records: a bulletin's pictures, a report's and an outcome's attachments,
//! added with multipart `file` and read by the record's readers.

use axum::extract::{DefaultBodyLimit, Multipart};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router, extract::State};

use crate::auth::Actor;
use crate::domain::attachment::Owner;
use crate::error::{AppError, AppResult, Problem};
use crate::http::download;
use crate::http::extract::ApiPath;
use crate::http::upload::UploadForm;
use crate::service::Created;
use crate::service::attachments as svc;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    let limit = |o: Owner| DefaultBodyLimit::max(o.max_bytes() + 64 * 1024);
    Router::new()
        .route(
            "/api/v1/bulletins/{id}/images",
            post(add_image).layer(limit(Owner::Bulletin)),
        )
        .route("/api/v1/bulletins/{id}/images/{name}", get(image))
        .route(
            "/api/v1/reports/{id}/attachments",
            post(add_attachment).layer(limit(Owner::Report)),
        )
        .route("/api/v1/reports/{id}/attachments/{name}", get(attachment))
        .route(
            "/api/v1/outcomes/{id}/attachments",
            post(add_outcome_file).layer(limit(Owner::Outcome)),
        )
        .route(
            "/api/v1/outcomes/{id}/attachments/{name}",
            get(outcome_file),
        )
}

async fn add(
    state: &AppState,
    actor: &Actor,
    owner: Owner,
    id: i64,
    form: Multipart,
) -> AppResult<(StatusCode, Json<Created>)> {
    let form = UploadForm::read(form).await?;
    let file = form
        .files_of("file")
        .next()
        .ok_or_else(|| AppError::invalid_field("file", "请选择文件 / a file is required"))?;
    let created = svc::add(
        &state.db,
        &state.config.data_dir,
        actor,
        owner,
        id,
        &file.file_name,
        &file.bytes,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(created)))
}

async fn serve(
    state: &AppState,
    actor: Option<&Actor>,
    owner: Owner,
    id: i64,
    name: &str,
) -> AppResult<Response> {
    let (a, bytes) = svc::read(&state.db, &state.config.data_dir, actor, owner, id, name).await?;
    let inline = a.mime.starts_with("image/");
    Ok(download::file(&a.original_name, &a.mime, bytes, inline))
}

/// Adds a picture to a bulletin (staff of the sending union or above): multipart with one
/// `file`, a JPEG, PNG or WebP image of at most 5 MiB; at most 9 a bulletin.
#[utoipa::path(post, path = "/api/v1/bulletins/{id}/images", tag = "bulletins", params(("id" = i64, Path)),
    request_body(content_type = "multipart/form-data"),
    responses((status = 201, body = Created), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn add_image(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    form: Multipart,
) -> AppResult<(StatusCode, Json<Created>)> {
    add(&state, &actor, Owner::Bulletin, id, form).await
}

/// A bulletin's picture, for its readers.
#[utoipa::path(get, path = "/api/v1/bulletins/{id}/images/{name}", tag = "bulletins",
    params(("id" = i64, Path), ("name" = String, Path)),
    responses((status = 200, content_type = "image/jpeg"), (status = 404, body = Problem)))]
pub async fn image(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath((id, name)): ApiPath<(i64, String)>,
) -> AppResult<Response> {
    serve(&state, Some(&actor), Owner::Bulletin, id, &name).await
}

/// Attaches a file to a report (the person who filed it or the studio's leader): multipart
/// with one `file`, a JPEG, PNG or WebP image or a PDF of at most 10 MiB; at most 5 a report.
#[utoipa::path(post, path = "/api/v1/reports/{id}/attachments", tag = "reports", params(("id" = i64, Path)),
    request_body(content_type = "multipart/form-data"),
    responses((status = 201, body = Created), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn add_attachment(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    form: Multipart,
) -> AppResult<(StatusCode, Json<Created>)> {
    add(&state, &actor, Owner::Report, id, form).await
}

/// A report's attachment, for its readers.
#[utoipa::path(get, path = "/api/v1/reports/{id}/attachments/{name}", tag = "reports",
    params(("id" = i64, Path), ("name" = String, Path)),
    responses((status = 200, content_type = "application/octet-stream"), (status = 404, body = Problem)))]
pub async fn attachment(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath((id, name)): ApiPath<(i64, String)>,
) -> AppResult<Response> {
    serve(&state, Some(&actor), Owner::Report, id, &name).await
}

/// Adds a file to an outcome (the studio's people): multipart with one `file`, a JPEG, PNG or
/// WebP image (a certificate scan, a photo) or a PDF of at most 10 MiB; at most 9 an outcome.
#[utoipa::path(post, path = "/api/v1/outcomes/{id}/attachments", tag = "outcomes", params(("id" = i64, Path)),
    request_body(content_type = "multipart/form-data"),
    responses((status = 201, body = Created), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn add_outcome_file(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    form: Multipart,
) -> AppResult<(StatusCode, Json<Created>)> {
    add(&state, &actor, Owner::Outcome, id, form).await
}

/// An outcome's file: outcomes are public, so are their files.
#[utoipa::path(get, path = "/api/v1/outcomes/{id}/attachments/{name}", tag = "outcomes",
    params(("id" = i64, Path), ("name" = String, Path)),
    responses((status = 200, content_type = "application/octet-stream"), (status = 404, body = Problem)))]
pub async fn outcome_file(
    State(state): State<AppState>,
    actor: Option<Actor>,
    ApiPath((id, name)): ApiPath<(i64, String)>,
) -> AppResult<Response> {
    serve(&state, actor.as_ref(), Owner::Outcome, id, &name).await
}
