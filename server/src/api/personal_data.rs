//! One's own data: a copy to download, and closing the account.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Router, extract::State};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::{Actor, session};
use crate::error::{AppResult, Problem};
use crate::http::download;
use crate::http::extract::ApiJson;
use crate::service::personal_data;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/me/data", get(download))
        .route("/api/v1/me/close", post(close))
}

/// Everything the platform holds about the signed-in person (profile, places, messages they
/// wrote, logs, registrations, notifications, their actions), as a JSON file to keep.
#[utoipa::path(get, path = "/api/v1/me/data", tag = "accounts",
    responses((status = 200, description = "the person's data as a JSON attachment"), (status = 401, body = Problem)))]
pub async fn download(State(state): State<AppState>, actor: Actor) -> AppResult<Response> {
    let data = personal_data::export(&state.db, &actor).await?;
    let bytes = serde_json::to_vec_pretty(&data).map_err(anyhow::Error::from)?;
    Ok(download::file(
        "我的数据.json",
        "application/json",
        bytes,
        false,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CloseAccount {
    /// The account's password, to confirm.
    pub password: String,
}

/// Closes the signed-in person's account: personal fields erased, name shown as 已注销用户,
/// every session ended, studio places and union roles given up. A studio's leader hands the
/// studio over first (409 `hand_over_first`); a wrong password is 422 on `password`.
#[utoipa::path(post, path = "/api/v1/me/close", tag = "accounts", request_body = CloseAccount,
    responses((status = 204), (status = 401, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn close(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<CloseAccount>,
) -> AppResult<Response> {
    personal_data::close(&state.db, &state.config.data_dir, &actor, input.password).await?;
    let clear = session::clear_cookie(state.config.secure_cookies);
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, clear)]).into_response())
}
