//! In-app notifications with their unread count.

use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router, extract::State};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::wire::all;
use crate::api::wire::notifications::Notification;
use crate::auth::Actor;
use crate::error::{AppResult, Problem};
use crate::http::extract::ApiJson;
use crate::service::notifications;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/notifications", get(list))
        .route("/api/v1/notifications/read", post(mark_read))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Notifications {
    pub unread: i64,
    pub items: Vec<Notification>,
}

/// The newest notifications (100) and the unread count.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications",
    responses((status = 200, body = Notifications), (status = 401, body = Problem)))]
pub async fn list(State(state): State<AppState>, actor: Actor) -> AppResult<Json<Notifications>> {
    let (unread, items) = notifications::list(&state.db, &actor).await?;
    Ok(Json(Notifications {
        unread,
        items: all(items),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReadInput {
    pub ids: Vec<i64>,
}

/// Marks the given notifications read.
#[utoipa::path(post, path = "/api/v1/notifications/read", tag = "notifications", request_body = ReadInput,
    responses((status = 204), (status = 422, body = Problem)))]
pub async fn mark_read(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<ReadInput>,
) -> AppResult<StatusCode> {
    notifications::mark_read(&state.db, &actor, Some(&input.ids)).await?;
    Ok(StatusCode::NO_CONTENT)
}
