//! Accounts: register, log in and out, and one's own profile.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router, extract::State};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::wire::accounts::{LoginResult, Person, User};
use crate::auth::{Actor, session};
use crate::error::{AppResult, Problem};
use crate::http::extract::{ApiJson, ClientAddr};
use crate::service::accounts::{self, PersonFields, Registration};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/auth/register", post(register))
        .route("/api/v1/auth/login", post(login))
        .route("/api/v1/auth/logout", post(logout))
        .route("/api/v1/me", get(me).patch(update_me))
}

/// Creates an account.
#[utoipa::path(post, path = "/api/v1/auth/register", tag = "accounts",
    request_body = Registration,
    responses((status = 201, body = User), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn register(
    State(state): State<AppState>,
    ApiJson(input): ApiJson<Registration>,
) -> AppResult<(StatusCode, Json<User>)> {
    let user = accounts::register(&state.db, input, false).await?;
    Ok((StatusCode::CREATED, Json(User::from(user))))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Login {
    pub username: String,
    pub password: String,
}

/// Signs in: returns a bearer token and sets the session cookie.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "accounts",
    request_body = Login,
    responses((status = 200, body = LoginResult), (status = 401, body = Problem), (status = 429, body = Problem)))]
pub async fn login(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    ApiJson(input): ApiJson<Login>,
) -> AppResult<Response> {
    let result = accounts::login(
        &state.db,
        &state.limiter,
        state.config.session_ttl,
        &input.username,
        input.password,
        &addr,
    )
    .await?;
    let cookie = session::set_cookie(
        &result.token,
        state.config.session_ttl.as_secs(),
        state.config.secure_cookies,
    );
    Ok((
        [(header::SET_COOKIE, cookie)],
        Json(LoginResult::from(result)),
    )
        .into_response())
}

/// Ends the current session.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "accounts",
    responses((status = 204), (status = 401, body = Problem)))]
pub async fn logout(State(state): State<AppState>, actor: Actor) -> AppResult<Response> {
    accounts::logout(&state.db, &actor).await?;
    let clear = session::clear_cookie(state.config.secure_cookies);
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, clear)]).into_response())
}

/// The signed-in user, their roles and profile.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    /// `admin`, `staff:ORG_ID`, `expert:ORG_ID`, `leader:STUDIO_ID`, `member:STUDIO_ID`, `apprentice:STUDIO_ID`.
    pub roles: Vec<String>,
    pub profile: Person,
}

#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    responses((status = 200, body = Me), (status = 401, body = Problem)))]
pub async fn me(State(state): State<AppState>, actor: Actor) -> AppResult<Json<Me>> {
    let profile = accounts::person(&state.db, actor.id()).await?;
    Ok(Json(me_of(&actor, profile)))
}

/// Updates one's own profile (the personal part of the application form).
#[utoipa::path(patch, path = "/api/v1/me", tag = "accounts",
    request_body = PersonFields,
    responses((status = 200, body = Me), (status = 422, body = Problem)))]
pub async fn update_me(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<PersonFields>,
) -> AppResult<Json<Me>> {
    let profile = accounts::update_person(&state.db, &actor, &input).await?;
    Ok(Json(me_of(&actor, profile)))
}

fn me_of(actor: &Actor, profile: crate::store::users::Person) -> Me {
    Me {
        id: actor.id(),
        username: actor.user.username.clone(),
        display_name: profile.display_name.clone(),
        roles: actor.role_names(),
        profile: Person::from(profile),
    }
}
