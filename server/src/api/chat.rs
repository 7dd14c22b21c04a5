//! Chat rooms over HTTP: history, sending (idempotent by client id), edits, deletions, read
//! positions and unread counts. The live side is the WebSocket in `chat_ws`.

use axum::http::StatusCode;
use axum::routing::{get, patch, post};
use axum::{Json, Router, extract::State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::wire::all;
use crate::api::wire::chat::{Message, RoomState};
use crate::auth::Actor;
use crate::error::{AppResult, Problem};
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::service::chat::{self, HistoryQuery};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/rooms", get(rooms))
        .route("/api/v1/rooms/{room}/messages", get(history).post(send))
        .route(
            "/api/v1/rooms/{room}/messages/{id}",
            patch(edit).delete(delete),
        )
        .route("/api/v1/rooms/{room}/read", post(mark_read))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Messages {
    pub items: Vec<Message>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct HistoryParams {
    /// Messages with a larger id (oldest first): resuming.
    pub after: Option<i64>,
    /// Messages with a smaller id (the newest of them): scrolling back.
    pub before: Option<i64>,
    /// 1–200, default 50.
    pub limit: Option<i64>,
}

/// A page of a room's history, in id order (the newest page without `after`/`before`).
#[utoipa::path(get, path = "/api/v1/rooms/{room}/messages", tag = "chat",
    params(("room" = String, Path, description = "studio:ID, challenge:ID, alliance:ID or dm:A:B"), HistoryParams),
    responses((status = 200, body = Messages), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn history(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(room): ApiPath<String>,
    ApiQuery(q): ApiQuery<HistoryParams>,
) -> AppResult<Json<Messages>> {
    let q = HistoryQuery {
        after: q.after,
        before: q.before,
        limit: q.limit,
    };
    let items = chat::history(&state.db, &actor, &room, q).await?;
    Ok(Json(Messages { items: all(items) }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SendInput {
    /// Plain text, 1–4,000 characters.
    pub body: String,
    /// Chosen by the client; sending again with the same one returns the same message.
    pub client_id: String,
}

/// Sends a message; the same client_id again answers with the message already sent.
#[utoipa::path(post, path = "/api/v1/rooms/{room}/messages", tag = "chat", request_body = SendInput,
    params(("room" = String, Path, description = "room name")),
    responses((status = 201, body = Message), (status = 403, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn send(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(room): ApiPath<String>,
    ApiJson(input): ApiJson<SendInput>,
) -> AppResult<(StatusCode, Json<Message>)> {
    let m = chat::send(
        &state.db,
        &state.chat,
        &state.chat_writer,
        &actor,
        &room,
        &input.body,
        &input.client_id,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(m.into())))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct EditInput {
    pub body: String,
}

/// Edits one's own message; the room sees it marked edited.
#[utoipa::path(patch, path = "/api/v1/rooms/{room}/messages/{id}", tag = "chat", request_body = EditInput,
    params(("room" = String, Path), ("id" = i64, Path)),
    responses((status = 200, body = Message), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn edit(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath((room, id)): ApiPath<(String, i64)>,
    ApiJson(input): ApiJson<EditInput>,
) -> AppResult<Json<Message>> {
    Ok(Json(
        chat::change(&state.db, &state.chat, &actor, &room, id, Some(&input.body))
            .await?
            .into(),
    ))
}

/// Deletes one's own message: its id stays, its body is cleared and it is marked deleted.
#[utoipa::path(delete, path = "/api/v1/rooms/{room}/messages/{id}", tag = "chat",
    params(("room" = String, Path), ("id" = i64, Path)),
    responses((status = 200, body = Message), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath((room, id)): ApiPath<(String, i64)>,
) -> AppResult<Json<Message>> {
    Ok(Json(
        chat::change(&state.db, &state.chat, &actor, &room, id, None)
            .await?
            .into(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReadInput {
    /// The last message id read.
    pub id: i64,
}

/// Records how far the caller has read a room.
#[utoipa::path(post, path = "/api/v1/rooms/{room}/read", tag = "chat", request_body = ReadInput,
    params(("room" = String, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn mark_read(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(room): ApiPath<String>,
    ApiJson(input): ApiJson<ReadInput>,
) -> AppResult<StatusCode> {
    chat::mark_read(&state.db, &actor, &room, input.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Rooms {
    pub items: Vec<RoomState>,
}

/// The caller's rooms with unread counts.
#[utoipa::path(get, path = "/api/v1/rooms", tag = "chat",
    responses((status = 200, body = Rooms), (status = 401, body = Problem)))]
pub async fn rooms(State(state): State<AppState>, actor: Actor) -> AppResult<Json<Rooms>> {
    Ok(Json(Rooms {
        items: all(chat::rooms(&state.db, &actor).await?),
    }))
}
