//! Changes to a named studio (动态管理, Jieyang art. 7): requested by its unit's union,
//! reviewed by the union between and approved by the naming union.

use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router, extract::State};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::wire::all;
use crate::api::wire::studio_changes::StudioChange;
use crate::auth::Actor;
use crate::error::{AppResult, Problem};
use crate::http::extract::{ApiJson, ApiJsonOrEmpty, ApiPath};
use crate::service::studio_changes::{self as svc, ChangeInput, DecisionInput};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/studios/{id}/changes", post(request).get(history))
        .route("/api/v1/studio-changes/{id}/{action}", post(decide))
}

/// Requests a change of a named studio (the union of its unit, or one above it).
#[utoipa::path(post, path = "/api/v1/studios/{id}/changes", tag = "naming", request_body = ChangeInput,
    params(("id" = i64, Path)),
    responses((status = 201, body = StudioChange), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn request(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ChangeInput>,
) -> AppResult<(StatusCode, Json<StudioChange>)> {
    let c = svc::request(&state.db, &actor, id, input).await?;
    Ok((StatusCode::CREATED, Json(c.into())))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StudioChanges {
    pub items: Vec<StudioChange>,
}

/// A studio's changes, newest first: its history.
#[utoipa::path(get, path = "/api/v1/studios/{id}/changes", tag = "naming", params(("id" = i64, Path)),
    responses((status = 200, body = StudioChanges), (status = 404, body = Problem)))]
pub async fn history(
    State(state): State<AppState>,
    actor: Option<Actor>,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<StudioChanges>> {
    crate::service::studios::get(&state.db, actor.as_ref(), id).await?;
    let items = all(svc::of_studio(&state.db, id).await?);
    Ok(Json(StudioChanges { items }))
}

/// `approve` (the union between reviews, then the naming union approves and the change takes
/// effect) or `reject` (with an opinion). A wrong step is 409, a wrong person 403.
#[utoipa::path(post, path = "/api/v1/studio-changes/{id}/{action}", tag = "naming", request_body = DecisionInput,
    params(("id" = i64, Path), ("action" = String, Path)),
    responses((status = 200, body = StudioChange), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn decide(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath((id, action)): ApiPath<(i64, String)>,
    ApiJsonOrEmpty(input): ApiJsonOrEmpty<DecisionInput>,
) -> AppResult<Json<StudioChange>> {
    let c = svc::decide(&state.db, &actor, id, &action, input).await?;
    Ok(Json(c.into()))
}
