//! Alliances (工作室联盟): founding, the directory, joining, leaving, the lead, naming.

use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router, extract::State};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::api::wire::alliances::{Alliance, AllianceDetail};
use crate::api::wire::challenges::Challenge;
use crate::api::wire::page;
use crate::auth::Actor;
use crate::domain::alliance::{AllianceAction, RequestAction, RequestKind};
use crate::error::{AppResult, Problem};
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::service::alliance_membership::{self as membership, JoinInput};
use crate::service::alliances::{self as svc, AllianceAnswer, AllianceInput, AllianceQuery};
use crate::service::{Page, Paging};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/alliances", post(create).get(list))
        .route("/api/v1/alliances/{id}", get(show))
        .route("/api/v1/alliances/{id}/challenges", get(board))
        .route("/api/v1/alliances/{id}/join-requests", post(request_join))
        .route("/api/v1/alliances/{id}/invitations", post(invite))
        .route(
            "/api/v1/alliances/{id}/join-requests/{rid}/{action}",
            post(decide),
        )
        .route("/api/v1/alliances/{id}/leave", post(leave))
        .route("/api/v1/alliances/{id}/lead", post(hand_over))
        .route("/api/v1/alliances/{id}/dissolve", post(dissolve))
}

/// Founds an alliance, `forming` until a second studio joins (leader of the lead studio).
#[utoipa::path(post, path = "/api/v1/alliances", tag = "alliances", request_body = AllianceInput,
    responses((status = 201, body = AllianceAnswer), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<AllianceInput>,
) -> AppResult<(StatusCode, Json<AllianceAnswer>)> {
    Ok((
        StatusCode::CREATED,
        Json(svc::create(&state.db, &actor, input).await?),
    ))
}

/// The alliance directory.
#[utoipa::path(get, path = "/api/v1/alliances", tag = "alliances", params(AllianceQuery),
    responses((status = 200, body = Page<Alliance>), (status = 422, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<AllianceQuery>,
) -> AppResult<Json<Page<Alliance>>> {
    Ok(Json(page(svc::list(&state.db, &q).await?)))
}

/// An alliance with its members (and the pending requests the reader may act on).
#[utoipa::path(get, path = "/api/v1/alliances/{id}", tag = "alliances", params(("id" = i64, Path)),
    responses((status = 200, body = AllianceDetail), (status = 404, body = Problem)))]
pub async fn show(
    State(state): State<AppState>,
    actor: Option<Actor>,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<AllianceDetail>> {
    Ok(Json(
        svc::detail(&state.db, actor.as_ref(), id).await?.into(),
    ))
}

/// The alliance's board: alliance-only challenges (members only) and members' public ones.
#[utoipa::path(get, path = "/api/v1/alliances/{id}/challenges", tag = "alliances", params(("id" = i64, Path), Paging),
    responses((status = 200, body = Page<Challenge>), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn board(
    State(state): State<AppState>,
    actor: Option<Actor>,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> AppResult<Json<Page<Challenge>>> {
    Ok(Json(page(
        svc::board(&state.db, actor.as_ref(), id, &paging).await?,
    )))
}

/// A studio asks to join (its leader).
#[utoipa::path(post, path = "/api/v1/alliances/{id}/join-requests", tag = "alliances", request_body = JoinInput,
    params(("id" = i64, Path)),
    responses((status = 201, body = AllianceAnswer), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn request_join(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<JoinInput>,
) -> AppResult<(StatusCode, Json<AllianceAnswer>)> {
    let answer = membership::ask(&state.db, &actor, id, RequestKind::Request, input).await?;
    Ok((StatusCode::CREATED, Json(answer)))
}

/// The lead invites a studio; its leader approves or declines the invitation.
#[utoipa::path(post, path = "/api/v1/alliances/{id}/invitations", tag = "alliances", request_body = JoinInput,
    params(("id" = i64, Path)),
    responses((status = 201, body = AllianceAnswer), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn invite(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<JoinInput>,
) -> AppResult<(StatusCode, Json<AllianceAnswer>)> {
    let answer = membership::ask(&state.db, &actor, id, RequestKind::Invite, input).await?;
    Ok((StatusCode::CREATED, Json(answer)))
}

/// Approves, declines or withdraws a join request or invitation. Approval makes the alliance
/// `active` once it has two member studios.
#[utoipa::path(post, path = "/api/v1/alliances/{id}/join-requests/{rid}/{action}", tag = "alliances",
    params(("id" = i64, Path), ("rid" = i64, Path), ("action" = String, Path, description = "approve, decline or withdraw")),
    responses((status = 200, body = AllianceAnswer), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn decide(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath((id, rid, action)): ApiPath<(i64, i64, String)>,
) -> AppResult<Json<AllianceAnswer>> {
    let action = RequestAction::parse(&action).ok_or_else(crate::error::AppError::not_found)?;
    Ok(Json(
        membership::decide(&state.db, &actor, id, rid, action).await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct StudioRef {
    pub studio_id: i64,
}

/// A member studio leaves (its leader).
#[utoipa::path(post, path = "/api/v1/alliances/{id}/leave", tag = "alliances", request_body = StudioRef,
    params(("id" = i64, Path)),
    responses((status = 200, body = AllianceAnswer), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn leave(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<StudioRef>,
) -> AppResult<Json<AllianceAnswer>> {
    Ok(Json(
        membership::leave(&state.db, &actor, id, input.studio_id).await?,
    ))
}

/// Hands the lead role to another member studio (the lead).
#[utoipa::path(post, path = "/api/v1/alliances/{id}/lead", tag = "alliances", request_body = StudioRef,
    params(("id" = i64, Path)),
    responses((status = 200, body = AllianceAnswer), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn hand_over(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<StudioRef>,
) -> AppResult<Json<AllianceAnswer>> {
    Ok(Json(
        membership::hand_over(&state.db, &actor, id, input.studio_id).await?,
    ))
}

/// Dissolves the alliance (the lead).
#[utoipa::path(post, path = "/api/v1/alliances/{id}/dissolve", tag = "alliances", params(("id" = i64, Path)),
    responses((status = 200, body = AllianceAnswer), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn dissolve(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<AllianceAnswer>> {
    Ok(Json(
        membership::settle(&state.db, &actor, id, AllianceAction::Dissolve).await?,
    ))
}
