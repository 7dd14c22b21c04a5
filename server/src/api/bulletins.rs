//! Bulletins (简报): sent down a union's subtree, read by its studios' people and staff, with
//! the senders' view of who read each one.

use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router, extract::State};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::wire::all;
use crate::api::wire::attachments::AttachmentView;
use crate::api::wire::bulletins::Bulletin;
use crate::auth::Actor;
use crate::domain::attachment::Owner;
use crate::error::{AppResult, Problem};
use crate::http::extract::{ApiJson, ApiPath};
use crate::service::attachments;
use crate::service::bulletins::{self as svc, BulletinInput, Reads};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/bulletins", post(send).get(list))
        .route("/api/v1/bulletins/{id}", get(show))
        .route("/api/v1/bulletins/{id}/read", post(read))
        .route("/api/v1/bulletins/{id}/reads", get(reads))
}

/// Sends a bulletin down the org's subtree (its staff, or staff above it); everyone it reaches
/// is notified.
#[utoipa::path(post, path = "/api/v1/bulletins", tag = "bulletins", request_body = BulletinInput,
    responses((status = 201, body = Bulletin), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn send(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<BulletinInput>,
) -> AppResult<(StatusCode, Json<Bulletin>)> {
    let b = svc::send(&state.db, &actor, input).await?;
    Ok((StatusCode::CREATED, Json(b.into())))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Bulletins {
    pub items: Vec<Bulletin>,
}

/// The bulletins the reader may read, newest first.
#[utoipa::path(get, path = "/api/v1/bulletins", tag = "bulletins",
    responses((status = 200, body = Bulletins), (status = 401, body = Problem)))]
pub async fn list(State(state): State<AppState>, actor: Actor) -> AppResult<Json<Bulletins>> {
    Ok(Json(Bulletins {
        items: all(svc::list(&state.db, &actor).await?),
    }))
}

/// A bulletin (404 for a reader it does not reach).
#[utoipa::path(get, path = "/api/v1/bulletins/{id}", tag = "bulletins", params(("id" = i64, Path)),
    responses((status = 200, body = BulletinDetail), (status = 404, body = Problem)))]
pub async fn show(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<BulletinDetail>> {
    let b = svc::get(&state.db, &actor, id).await?;
    let images = attachments::of(&state.db, Owner::Bulletin, &[b.id])
        .await?
        .into_iter()
        .map(|a| AttachmentView::of(Owner::Bulletin, a))
        .collect();
    Ok(Json(BulletinDetail {
        bulletin: b.into(),
        images,
    }))
}

/// A bulletin with its pictures.
#[derive(Debug, Serialize, ToSchema)]
pub struct BulletinDetail {
    #[serde(flatten)]
    pub bulletin: Bulletin,
    pub images: Vec<AttachmentView>,
}

/// Records that the reader read it (a second time changes nothing).
#[utoipa::path(post, path = "/api/v1/bulletins/{id}/read", tag = "bulletins", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn read(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<StatusCode> {
    svc::read(&state.db, &actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Who read it, and which studios under the union have or have not (the sending union's staff
/// and those above it).
#[utoipa::path(get, path = "/api/v1/bulletins/{id}/reads", tag = "bulletins", params(("id" = i64, Path)),
    responses((status = 200, body = Reads), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn reads(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Reads>> {
    Ok(Json(svc::reads(&state.db, &actor, id).await?))
}
