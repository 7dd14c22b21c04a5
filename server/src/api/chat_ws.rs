//! The chat WebSocket at `/api/v1/ws`: the session (cookie, bearer or `?token=`) and the
//! Origin are checked at the upgrade; the limits are set explicitly on it.

use axum::Router;
use axum::extract::State;
use axum::extract::ws::WebSocketUpgrade;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::{Actor, actor_for_token};
use crate::error::{AppError, AppResult, Problem};
use crate::http::extract::ApiQuery;
use crate::http::middleware::origin_ok;
use crate::state::AppState;

/// The largest message (and frame) a client may send: bigger closes the socket with 1009.
pub const MAX_MESSAGE: usize = 64 * 1024;
/// Read buffer per socket: small, so that idle sockets stay cheap. Clients' frames are small;
/// a bigger one grows the buffer for itself. (Every read attempt also zeroes up to this many
/// bytes before the read, so a big buffer costs at each wake, not only in memory.)
pub const READ_BUFFER: usize = 1024;
/// Frames are gathered up to this many bytes and written with one system call; a flush writes
/// the rest. A burst then costs a few writes per socket, not one per frame.
const WRITE_BUFFER: usize = 8 * 1024;
/// Bytes a socket may have waiting to be written before writes fail.
const MAX_WRITE_BUFFER: usize = 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/ws", get(upgrade))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct WsParams {
    /// A session token, for clients that cannot set headers on a WebSocket.
    pub token: Option<String>,
}

/// Upgrades to the chat socket. 401 without a session, 403 from a foreign Origin.
#[utoipa::path(get, path = "/api/v1/ws", tag = "chat", params(WsParams),
    responses(
        (status = 101, description = "The chat socket. Client frames: subscribe {room, after}, \
            unsubscribe, send {room, body, client_id}, typing, ping. Server frames: message, \
            ack, update, presence, typing, pong, error {code, room, client_id}. Closes: 1007 \
            invalid UTF-8, 1008 session ended, 1009 frame over 64 KiB, 1012 server restarting, \
            1013 too slow (resume with after)."),
        (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn upgrade(
    State(state): State<AppState>,
    headers: HeaderMap,
    actor: Option<Actor>,
    ApiQuery(params): ApiQuery<WsParams>,
    ws: WebSocketUpgrade,
) -> AppResult<Response> {
    if !origin_ok(&state, &headers) {
        return Err(AppError::client(
            StatusCode::FORBIDDEN,
            "cross_origin",
            Some("跨站连接被拒绝 / cross-site socket refused".to_owned()),
        ));
    }
    let actor = match (actor, params.token) {
        (Some(a), _) => a,
        (None, Some(token)) => actor_for_token(&state.db, &token, false)
            .await?
            .ok_or_else(AppError::unauthorized)?,
        (None, None) => return Err(AppError::unauthorized()),
    };
    Ok(ws
        .read_buffer_size(READ_BUFFER)
        .write_buffer_size(WRITE_BUFFER)
        .max_write_buffer_size(MAX_WRITE_BUFFER)
        .max_message_size(MAX_MESSAGE)
        .max_frame_size(MAX_MESSAGE)
        .on_upgrade(move |socket| crate::chat::socket::serve(socket, state, actor)))
}
