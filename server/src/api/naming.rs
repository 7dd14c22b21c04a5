//! Naming (命名): batches, applications and their steps, objections, the expert pool.

use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router, extract::State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::wire::all;
use crate::api::wire::naming::{Application, ApplicationDetail, Batch, BatchDetail};
use crate::auth::Actor;
use crate::error::{AppResult, Problem};
use crate::http::extract::{ApiJson, ApiJsonOrEmpty, ApiPath, ApiQuery};
use crate::service::Created;
use crate::service::naming::{
    self as svc, ApplicationInput, BatchInput, Expert, StepAnswer, StepInput, TextInput,
};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/naming/batches", post(open_batch).get(batches))
        .route("/api/v1/naming/batches/{id}", get(batch))
        .route("/api/v1/naming/applications", post(apply).get(queue))
        .route("/api/v1/naming/applications/{id}", get(application))
        .route("/api/v1/naming/applications/{id}/objections", post(object))
        .route(
            "/api/v1/naming/applications/{id}/objections/{oid}/answer",
            post(answer),
        )
        .route("/api/v1/naming/applications/{id}/{action}", post(step))
        .route("/api/v1/orgs/{id}/experts", get(experts))
}

/// Opens a naming batch (staff of the naming union).
#[utoipa::path(post, path = "/api/v1/naming/batches", tag = "naming", request_body = BatchInput,
    responses((status = 201, body = Batch), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn open_batch(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<BatchInput>,
) -> AppResult<(StatusCode, Json<Batch>)> {
    let b = svc::open_batch(&state.db, &actor, input).await?;
    Ok((StatusCode::CREATED, Json(b.into())))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct BatchQuery {
    /// Only this union's batches.
    pub org_id: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Batches {
    pub items: Vec<Batch>,
}

/// Naming batches, newest first.
#[utoipa::path(get, path = "/api/v1/naming/batches", tag = "naming", params(BatchQuery),
    responses((status = 200, body = Batches)))]
pub async fn batches(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<BatchQuery>,
) -> AppResult<Json<Batches>> {
    let items = all(svc::batches(&state.db, q.org_id).await?);
    Ok(Json(Batches { items }))
}

/// A batch with its candidates (the public notice) and, for its staff, every application.
#[utoipa::path(get, path = "/api/v1/naming/batches/{id}", tag = "naming", params(("id" = i64, Path)),
    responses((status = 200, body = BatchDetail), (status = 404, body = Problem)))]
pub async fn batch(
    State(state): State<AppState>,
    actor: Option<Actor>,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<BatchDetail>> {
    let d = svc::batch_detail(&state.db, actor.as_ref(), id).await?;
    Ok(Json(d.into()))
}

/// A studio's leader starts an application in an open batch (a draft until submitted).
#[utoipa::path(post, path = "/api/v1/naming/applications", tag = "naming", request_body = ApplicationInput,
    responses((status = 201, body = Created), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn apply(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<ApplicationInput>,
) -> AppResult<(StatusCode, Json<Created>)> {
    Ok((
        StatusCode::CREATED,
        Json(svc::apply(&state.db, &actor, input).await?),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Applications {
    pub items: Vec<Application>,
}

/// What waits for the reader: applications at a step they take, panels they sit on, and their
/// own studios' applications.
#[utoipa::path(get, path = "/api/v1/naming/applications", tag = "naming",
    responses((status = 200, body = Applications), (status = 401, body = Problem)))]
pub async fn queue(State(state): State<AppState>, actor: Actor) -> AppResult<Json<Applications>> {
    let items = all(svc::queue(&state.db, &actor).await?);
    Ok(Json(Applications { items }))
}

/// An application with its trail, panel, objections and what the reader may do.
#[utoipa::path(get, path = "/api/v1/naming/applications/{id}", tag = "naming", params(("id" = i64, Path)),
    responses((status = 200, body = ApplicationDetail), (status = 404, body = Problem)))]
pub async fn application(
    State(state): State<AppState>,
    actor: Option<Actor>,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<ApplicationDetail>> {
    let d = svc::detail(&state.db, actor.as_ref(), id).await?;
    Ok(Json(d.into()))
}

/// A step: `submit`, `recommend`, `review`, `approve`, `assign-experts`, `score`, `decide`,
/// `publish`, `name`, `return`, `reject`, `withdraw`. A wrong step is 409 naming the current
/// status; a wrong actor 403.
#[utoipa::path(post, path = "/api/v1/naming/applications/{id}/{action}", tag = "naming", request_body = StepInput,
    params(("id" = i64, Path), ("action" = String, Path)),
    responses((status = 200, body = StepAnswer), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn step(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath((id, action)): ApiPath<(i64, String)>,
    ApiJsonOrEmpty(input): ApiJsonOrEmpty<StepInput>,
) -> AppResult<Json<StepAnswer>> {
    Ok(Json(
        svc::step(&state.db, &actor, id, &action, input).await?,
    ))
}

/// An objection (异议) to a candidate in public notice (anyone signed in).
#[utoipa::path(post, path = "/api/v1/naming/applications/{id}/objections", tag = "naming", request_body = TextInput,
    params(("id" = i64, Path)),
    responses((status = 201, body = Created), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn object(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<TextInput>,
) -> AppResult<(StatusCode, Json<Created>)> {
    Ok((
        StatusCode::CREATED,
        Json(svc::object(&state.db, &actor, id, input).await?),
    ))
}

/// The naming union's answer to an objection.
#[utoipa::path(post, path = "/api/v1/naming/applications/{id}/objections/{oid}/answer", tag = "naming",
    request_body = TextInput, params(("id" = i64, Path), ("oid" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn answer(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath((id, oid)): ApiPath<(i64, i64)>,
    ApiJson(input): ApiJson<TextInput>,
) -> AppResult<StatusCode> {
    svc::answer(&state.db, &actor, id, oid, input).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Experts {
    pub items: Vec<Expert>,
}

/// An org's expert pool: people granted the `expert` role there, with their field.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/experts", tag = "naming", params(("id" = i64, Path)),
    responses((status = 200, body = Experts), (status = 404, body = Problem)))]
pub async fn experts(
    State(state): State<AppState>,
    _actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Experts>> {
    Ok(Json(Experts {
        items: svc::experts(&state.db, id).await?,
    }))
}
