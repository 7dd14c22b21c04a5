//! Invitations to join a studio: the person's list, and their answer.

use axum::routing::{get, post};
use axum::{Json, Router, extract::State};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::wire::all;
use crate::api::wire::invitations::Invitation;
use crate::auth::Actor;
use crate::error::{AppResult, Problem};
use crate::http::extract::ApiPath;
use crate::service::invitations;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/me/invitations", get(mine))
        .route("/api/v1/studios/{id}/invitations", get(of_studio))
        .route("/api/v1/invitations/{id}/{answer}", post(answer))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationList {
    pub items: Vec<Invitation>,
}

/// The invitations waiting for the signed-in person.
#[utoipa::path(get, path = "/api/v1/me/invitations", tag = "studios",
    responses((status = 200, body = InvitationList), (status = 401, body = Problem)))]
pub async fn mine(State(state): State<AppState>, actor: Actor) -> AppResult<Json<InvitationList>> {
    Ok(Json(InvitationList {
        items: all(invitations::mine(&state.db, &actor).await?),
    }))
}

/// A studio's invitations still waiting for an answer (its leader).
#[utoipa::path(get, path = "/api/v1/studios/{id}/invitations", tag = "studios", params(("id" = i64, Path)),
    responses((status = 200, body = InvitationList), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn of_studio(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<InvitationList>> {
    Ok(Json(InvitationList {
        items: all(invitations::waiting_at(&state.db, &actor, id).await?),
    }))
}

/// The invited person answers: `accept` (they join the studio) or `decline`. Someone else's
/// invitation is 404; one answered already 409 `already_answered`.
#[utoipa::path(post, path = "/api/v1/invitations/{id}/{answer}", tag = "studios",
    params(("id" = i64, Path), ("answer" = String, Path, description = "accept or decline")),
    responses((status = 200, body = Invitation), (status = 401, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn answer(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath((id, verb)): ApiPath<(i64, String)>,
) -> AppResult<Json<Invitation>> {
    Ok(Json(
        invitations::answer(&state.db, &actor, id, &verb)
            .await?
            .into(),
    ))
}
