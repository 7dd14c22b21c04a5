//! Challenges (揭榜攻关), their claims and their backers (挂帅).

use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router, extract::State};

use crate::api::wire::challenges::{Backer, Challenge, ChallengeDetail};
use crate::api::wire::page;
use crate::auth::Actor;
use crate::error::{AppResult, Problem};
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::service::Page;
use crate::service::challenge_backers::{self, BackingInput};
use crate::service::challenge_drafts::{self, DraftChanges};
use crate::service::challenges::{self, BoardQuery, ChallengeInput, Reason, StatusAnswer};
use crate::service::claims::{self, ClaimAnswer, ClaimInput};
use crate::service::work::{self, Acceptance, CommentInput, DeliveryInput, ProgressInput};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/challenges", post(create).get(list))
        .route("/api/v1/challenges/{id}", get(show).patch(update_draft))
        .route("/api/v1/challenges/{id}/publish", post(publish))
        .route("/api/v1/challenges/{id}/claims", post(claim))
        .route(
            "/api/v1/challenges/{id}/claims/{claim_id}/award",
            post(award),
        )
        .route(
            "/api/v1/challenges/{id}/claims/{claim_id}/decline",
            post(decline),
        )
        .route(
            "/api/v1/challenges/{id}/claims/{claim_id}/withdraw",
            post(withdraw),
        )
        .route("/api/v1/challenges/{id}/progress", post(progress))
        .route("/api/v1/challenges/{id}/deliver", post(deliver))
        .route("/api/v1/challenges/{id}/accept", post(accept))
        .route("/api/v1/challenges/{id}/send-back", post(send_back))
        .route("/api/v1/challenges/{id}/cancel", post(cancel))
        .route("/api/v1/challenges/{id}/comments", post(comment))
        .route("/api/v1/challenges/{id}/backers", post(back))
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Backers {
    pub items: Vec<Backer>,
}

/// A union or an enterprise backs the challenge (挂帅): its staff (or staff above it) add to
/// the reward for it and follow the challenge. 409 `already_backing` for a second backing by
/// the same org; 422 for an amount out of range or a challenge not published or already
/// accepted.
#[utoipa::path(post, path = "/api/v1/challenges/{id}/backers", tag = "challenges", request_body = BackingInput,
    params(("id" = i64, Path)),
    responses((status = 201, body = Backers), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn back(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<BackingInput>,
) -> AppResult<(StatusCode, Json<Backers>)> {
    let items = challenge_backers::back(&state.db, &actor, id, input).await?;
    Ok((
        StatusCode::CREATED,
        Json(Backers {
            items: crate::api::wire::all(items),
        }),
    ))
}

/// Drafts a challenge (a member of the posting studio).
#[utoipa::path(post, path = "/api/v1/challenges", tag = "challenges", request_body = ChallengeInput,
    responses((status = 201, body = Challenge), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<ChallengeInput>,
) -> AppResult<(StatusCode, Json<Challenge>)> {
    Ok((
        StatusCode::CREATED,
        Json(challenges::create(&state.db, &actor, input).await?.into()),
    ))
}

/// The challenge board.
#[utoipa::path(get, path = "/api/v1/challenges", tag = "challenges", params(BoardQuery),
    responses((status = 200, body = Page<Challenge>), (status = 422, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Option<Actor>,
    ApiQuery(q): ApiQuery<BoardQuery>,
) -> AppResult<Json<Page<Challenge>>> {
    Ok(Json(page(
        challenges::list(&state.db, actor.as_ref(), &q).await?,
    )))
}

/// A challenge with its claims and timeline.
#[utoipa::path(get, path = "/api/v1/challenges/{id}", tag = "challenges", params(("id" = i64, Path)),
    responses((status = 200, body = ChallengeDetail), (status = 404, body = Problem)))]
pub async fn show(
    State(state): State<AppState>,
    actor: Option<Actor>,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<ChallengeDetail>> {
    Ok(Json(
        challenges::detail(&state.db, actor.as_ref(), id)
            .await?
            .into(),
    ))
}

/// Rewrites a draft (the poster); a published challenge answers 409 `not_draft`.
#[utoipa::path(patch, path = "/api/v1/challenges/{id}", tag = "challenges", params(("id" = i64, Path)),
    request_body = DraftChanges,
    responses((status = 200, body = Challenge), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update_draft(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(changes): ApiJson<DraftChanges>,
) -> AppResult<Json<Challenge>> {
    Ok(Json(
        challenge_drafts::update(&state.db, &actor, id, changes)
            .await?
            .into(),
    ))
}

/// Publishes a draft to the board (发榜).
#[utoipa::path(post, path = "/api/v1/challenges/{id}/publish", tag = "challenges", params(("id" = i64, Path)),
    responses((status = 200, body = StatusAnswer), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn publish(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<StatusAnswer>> {
    Ok(Json(challenges::publish(&state.db, &actor, id).await?))
}

/// Claims the challenge (揭榜) for a studio, with a proposal and a team.
#[utoipa::path(post, path = "/api/v1/challenges/{id}/claims", tag = "challenges", request_body = ClaimInput,
    params(("id" = i64, Path)),
    responses((status = 201, body = ClaimAnswer), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn claim(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ClaimInput>,
) -> AppResult<(StatusCode, Json<ClaimAnswer>)> {
    Ok((
        StatusCode::CREATED,
        Json(claims::claim(&state.db, &actor, id, input).await?),
    ))
}

/// Awards a claim (挂帅; poster only).
#[utoipa::path(post, path = "/api/v1/challenges/{id}/claims/{claim_id}/award", tag = "challenges",
    params(("id" = i64, Path), ("claim_id" = i64, Path)),
    responses((status = 200, body = StatusAnswer), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn award(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath((id, claim_id)): ApiPath<(i64, i64)>,
) -> AppResult<Json<StatusAnswer>> {
    Ok(Json(claims::award(&state.db, &actor, id, claim_id).await?))
}

/// Declines a pending claim (poster only).
#[utoipa::path(post, path = "/api/v1/challenges/{id}/claims/{claim_id}/decline", tag = "challenges",
    params(("id" = i64, Path), ("claim_id" = i64, Path)),
    responses((status = 200, body = ClaimAnswer), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn decline(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath((id, claim_id)): ApiPath<(i64, i64)>,
) -> AppResult<Json<ClaimAnswer>> {
    Ok(Json(
        claims::decline(&state.db, &actor, id, claim_id).await?,
    ))
}

/// Withdraws a pending claim (its author or studio leader).
#[utoipa::path(post, path = "/api/v1/challenges/{id}/claims/{claim_id}/withdraw", tag = "challenges",
    params(("id" = i64, Path), ("claim_id" = i64, Path)),
    responses((status = 200, body = ClaimAnswer), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn withdraw(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath((id, claim_id)): ApiPath<(i64, i64)>,
) -> AppResult<Json<ClaimAnswer>> {
    Ok(Json(
        claims::withdraw(&state.db, &actor, id, claim_id).await?,
    ))
}

/// Posts progress (awarded team only); the challenge becomes in_progress.
#[utoipa::path(post, path = "/api/v1/challenges/{id}/progress", tag = "challenges", request_body = ProgressInput,
    params(("id" = i64, Path)),
    responses((status = 201, body = StatusAnswer), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn progress(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ProgressInput>,
) -> AppResult<(StatusCode, Json<StatusAnswer>)> {
    Ok((
        StatusCode::CREATED,
        Json(work::progress(&state.db, &actor, id, input).await?),
    ))
}

/// Delivers the result (awarded team only).
#[utoipa::path(post, path = "/api/v1/challenges/{id}/deliver", tag = "challenges", request_body = DeliveryInput,
    params(("id" = i64, Path)),
    responses((status = 200, body = StatusAnswer), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn deliver(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<DeliveryInput>,
) -> AppResult<Json<StatusAnswer>> {
    Ok(Json(work::deliver(&state.db, &actor, id, input).await?))
}

/// Accepts the delivery (验收) with a 1–5 rating (poster only).
#[utoipa::path(post, path = "/api/v1/challenges/{id}/accept", tag = "challenges", request_body = Acceptance,
    params(("id" = i64, Path)),
    responses((status = 200, body = StatusAnswer), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn accept(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<Acceptance>,
) -> AppResult<Json<StatusAnswer>> {
    Ok(Json(work::accept(&state.db, &actor, id, input).await?))
}

/// Sends the delivery back with reasons (poster only, a limited number of times).
#[utoipa::path(post, path = "/api/v1/challenges/{id}/send-back", tag = "challenges", request_body = Reason,
    params(("id" = i64, Path)),
    responses((status = 200, body = StatusAnswer), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn send_back(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<Reason>,
) -> AppResult<Json<StatusAnswer>> {
    Ok(Json(
        work::send_back(&state.db, state.config.max_send_backs, &actor, id, input).await?,
    ))
}

/// Cancels (撤榜) before delivery, with a reason (poster only).
#[utoipa::path(post, path = "/api/v1/challenges/{id}/cancel", tag = "challenges", request_body = Reason,
    params(("id" = i64, Path)),
    responses((status = 200, body = StatusAnswer), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn cancel(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<Reason>,
) -> AppResult<Json<StatusAnswer>> {
    Ok(Json(
        challenges::cancel(&state.db, &actor, id, input).await?,
    ))
}

/// Adds to the discussion on the challenge page.
#[utoipa::path(post, path = "/api/v1/challenges/{id}/comments", tag = "challenges", request_body = CommentInput,
    params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn comment(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<CommentInput>,
) -> AppResult<StatusCode> {
    work::comment(&state.db, &actor, id, input).await?;
    Ok(StatusCode::NO_CONTENT)
}
