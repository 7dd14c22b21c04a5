//! Requests to add a host enterprise to the union tree: asked by anyone signed in, decided by
//! the staff of the union named as its parent (or above).

use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router, extract::State};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::wire::org_requests::OrgRequest;
use crate::auth::Actor;
use crate::domain::request::RequestAction;
use crate::error::{AppResult, Problem};
use crate::http::extract::{ApiJson, ApiPath};
use crate::service::org_requests::{
    self as svc, OrgRequestAnswer, OrgRequestDecision, OrgRequestInput,
};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/org-requests", post(create).get(list))
        .route("/api/v1/org-requests/{id}", get(show))
        .route("/api/v1/org-requests/{id}/approve", post(approve))
        .route("/api/v1/org-requests/{id}/decline", post(decline))
}

/// Asks for a host enterprise to be added under a union; that union's staff are told.
#[utoipa::path(post, path = "/api/v1/org-requests", tag = "orgs", request_body = OrgRequestInput,
    responses((status = 201, body = OrgRequest), (status = 401, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<OrgRequestInput>,
) -> AppResult<(StatusCode, Json<OrgRequest>)> {
    let r = svc::create(&state.db, &actor, input).await?;
    Ok((StatusCode::CREATED, Json(r.into())))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrgRequestLists {
    /// The reader's own requests, newest first.
    pub mine: Vec<OrgRequest>,
    /// Pending requests under the unions where the reader is staff, oldest first.
    pub to_decide: Vec<OrgRequest>,
}

/// The reader's requests and those waiting for their decision.
#[utoipa::path(get, path = "/api/v1/org-requests", tag = "orgs",
    responses((status = 200, body = OrgRequestLists), (status = 401, body = Problem)))]
pub async fn list(State(state): State<AppState>, actor: Actor) -> AppResult<Json<OrgRequestLists>> {
    let l = svc::lists(&state.db, &actor).await?;
    Ok(Json(OrgRequestLists {
        mine: l.mine.into_iter().map(Into::into).collect(),
        to_decide: l.to_decide.into_iter().map(Into::into).collect(),
    }))
}

/// One request (its asker and the staff who may decide it).
#[utoipa::path(get, path = "/api/v1/org-requests/{id}", tag = "orgs", params(("id" = i64, Path)),
    responses((status = 200, body = OrgRequest), (status = 404, body = Problem)))]
pub async fn show(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<OrgRequest>> {
    Ok(Json(svc::get(&state.db, &actor, id).await?.into()))
}

/// Approves: the enterprise joins the tree now and the asker is told.
#[utoipa::path(post, path = "/api/v1/org-requests/{id}/approve", tag = "orgs", params(("id" = i64, Path)),
    responses((status = 200, body = OrgRequestAnswer), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem)))]
pub async fn approve(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<OrgRequestAnswer>> {
    let d = OrgRequestDecision::default();
    Ok(Json(
        svc::decide(&state.db, &actor, id, RequestAction::Approve, d).await?,
    ))
}

/// Declines, with the reason the asker is told.
#[utoipa::path(post, path = "/api/v1/org-requests/{id}/decline", tag = "orgs", params(("id" = i64, Path)),
    request_body = OrgRequestDecision,
    responses((status = 200, body = OrgRequestAnswer), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn decline(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(d): ApiJson<OrgRequestDecision>,
) -> AppResult<Json<OrgRequestAnswer>> {
    Ok(Json(
        svc::decide(&state.db, &actor, id, RequestAction::Decline, d).await?,
    ))
}
