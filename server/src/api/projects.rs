//! A studio's own projects (课题): registering, following, delivering, opening as a
//! challenge. Only the studio and the unions above it see them (404 for anyone else).

use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router, extract::State};

use crate::api::wire::all;
use crate::api::wire::projects::{Project, ProjectDetail, Projects};
use crate::auth::Actor;
use crate::error::{AppResult, Problem};
use crate::http::extract::{ApiJson, ApiPath};
use crate::service::projects::{
    self as svc, DeliveryInput, OpenInput, Opened, ProgressInput, ProjectChanges, ProjectInput,
};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/studios/{id}/projects", post(create).get(list))
        .route("/api/v1/projects/{id}", get(show).patch(update))
        .route("/api/v1/projects/{id}/progress", post(progress))
        .route("/api/v1/projects/{id}/deliver", post(deliver))
        .route("/api/v1/projects/{id}/open", post(open))
}

/// Registers a project of the studio (课题立项; its leader or a member), with the studio's
/// people as the team.
#[utoipa::path(post, path = "/api/v1/studios/{id}/projects", tag = "projects", request_body = ProjectInput,
    params(("id" = i64, Path)),
    responses((status = 201, body = Project), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ProjectInput>,
) -> AppResult<(StatusCode, Json<Project>)> {
    let p = svc::create(&state.db, &actor, id, input).await?;
    Ok((StatusCode::CREATED, Json(p.into())))
}

/// The studio's projects, newest first (its people and the staff above; 404 for others).
#[utoipa::path(get, path = "/api/v1/studios/{id}/projects", tag = "projects", params(("id" = i64, Path)),
    responses((status = 200, body = Projects), (status = 404, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Projects>> {
    let items = svc::of_studio(&state.db, &actor, id).await?;
    Ok(Json(Projects { items: all(items) }))
}

/// A project with its team and timeline.
#[utoipa::path(get, path = "/api/v1/projects/{id}", tag = "projects", params(("id" = i64, Path)),
    responses((status = 200, body = ProjectDetail), (status = 404, body = Problem)))]
pub async fn show(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<ProjectDetail>> {
    Ok(Json(svc::detail(&state.db, &actor, id).await?.into()))
}

/// Changes a project under way (only the fields given; its leader or author).
#[utoipa::path(patch, path = "/api/v1/projects/{id}", tag = "projects", request_body = ProjectChanges,
    params(("id" = i64, Path)),
    responses((status = 200, body = Project), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(changes): ApiJson<ProjectChanges>,
) -> AppResult<Json<Project>> {
    Ok(Json(
        svc::update(&state.db, &actor, id, changes).await?.into(),
    ))
}

/// The team reports progress (项目跟进).
#[utoipa::path(post, path = "/api/v1/projects/{id}/progress", tag = "projects", request_body = ProgressInput,
    params(("id" = i64, Path)),
    responses((status = 200, body = Project), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn progress(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ProgressInput>,
) -> AppResult<Json<Project>> {
    Ok(Json(
        svc::progress(&state.db, &actor, id, input).await?.into(),
    ))
}

/// The work is done; its result is then recorded with `POST /api/v1/outcomes` and
/// `project_id` (成果转化).
#[utoipa::path(post, path = "/api/v1/projects/{id}/deliver", tag = "projects", request_body = DeliveryInput,
    params(("id" = i64, Path)),
    responses((status = 200, body = Project), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn deliver(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<DeliveryInput>,
) -> AppResult<Json<Project>> {
    Ok(Json(
        svc::deliver(&state.db, &actor, id, input).await?.into(),
    ))
}

/// Opens the project to other studios as a published challenge (揭榜) with its title, problem
/// and industry.
#[utoipa::path(post, path = "/api/v1/projects/{id}/open", tag = "projects", request_body = OpenInput,
    params(("id" = i64, Path)),
    responses((status = 201, body = Opened), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn open(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<OpenInput>,
) -> AppResult<(StatusCode, Json<Opened>)> {
    Ok((
        StatusCode::CREATED,
        Json(svc::open(&state.db, &actor, id, input).await?),
    ))
}
