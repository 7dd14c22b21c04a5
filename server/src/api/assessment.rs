//! Assessment (考核): rounds, their boards, a studio's assessment and its steps.

use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router, extract::State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::wire::all;
use crate::api::wire::assessment::{Assessment, AssessmentDetail, Round, RoundBoard};
use crate::auth::Actor;
use crate::error::{AppResult, Problem};
use crate::http::extract::{ApiJson, ApiJsonOrEmpty, ApiPath, ApiQuery};
use crate::service::assessment::{self as svc, RoundInput, StepAnswer, StepInput};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/assessment-rounds", post(open_round).get(rounds))
        .route("/api/v1/assessment-rounds/{id}", get(board))
        .route("/api/v1/assessments", get(queue))
        .route("/api/v1/assessments/{id}", get(assessment))
        .route("/api/v1/assessments/{id}/{step}", post(step))
}

/// Opens a round for every studio the union named (its staff, or staff above it).
#[utoipa::path(post, path = "/api/v1/assessment-rounds", tag = "assessment", request_body = RoundInput,
    responses((status = 201, body = Round), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn open_round(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<RoundInput>,
) -> AppResult<(StatusCode, Json<Round>)> {
    let r = svc::open_round(&state.db, &actor, input).await?;
    Ok((StatusCode::CREATED, Json(r.into())))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct RoundQuery {
    /// Only this union's rounds.
    pub org_id: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Rounds {
    pub items: Vec<Round>,
}

/// Assessment rounds, newest first.
#[utoipa::path(get, path = "/api/v1/assessment-rounds", tag = "assessment", params(RoundQuery),
    responses((status = 200, body = Rounds), (status = 401, body = Problem)))]
pub async fn rounds(
    State(state): State<AppState>,
    _actor: Actor,
    ApiQuery(q): ApiQuery<RoundQuery>,
) -> AppResult<Json<Rounds>> {
    let items = all(svc::rounds(&state.db, q.org_id).await?);
    Ok(Json(Rounds { items }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct BoardQuery {
    /// Only the studios under this org (a subtree of the round's union).
    pub under: Option<i64>,
}

/// A round's board: who has submitted, who is late, the grades, who is in rectification,
/// over the studios the reader may see (and under `under` when given).
#[utoipa::path(get, path = "/api/v1/assessment-rounds/{id}", tag = "assessment",
    params(("id" = i64, Path), BoardQuery),
    responses((status = 200, body = RoundBoard), (status = 404, body = Problem)))]
pub async fn board(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<BoardQuery>,
) -> AppResult<Json<RoundBoard>> {
    Ok(Json(
        svc::board(&state.db, &actor, id, q.under).await?.into(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Assessments {
    pub items: Vec<Assessment>,
}

/// What waits for the reader: assessments at a step they take, and those their union's
/// panel may score.
#[utoipa::path(get, path = "/api/v1/assessments", tag = "assessment",
    responses((status = 200, body = Assessments), (status = 401, body = Problem)))]
pub async fn queue(State(state): State<AppState>, actor: Actor) -> AppResult<Json<Assessments>> {
    let items = all(svc::queue(&state.db, &actor).await?);
    Ok(Json(Assessments { items }))
}

/// An assessment with its figures (counted from the platform, frozen with the
/// self-evaluation), its trail, scores and what the reader may do.
#[utoipa::path(get, path = "/api/v1/assessments/{id}", tag = "assessment", params(("id" = i64, Path)),
    responses((status = 200, body = AssessmentDetail), (status = 404, body = Problem)))]
pub async fn assessment(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<AssessmentDetail>> {
    Ok(Json(svc::detail(&state.db, &actor, id).await?.into()))
}

/// A step: `self`, `unit`, `review`, `score`, `decide`, `rectify`, `recheck`. A wrong step is
/// 409 naming the current status; a wrong actor 403; bad input 422.
#[utoipa::path(post, path = "/api/v1/assessments/{id}/{step}", tag = "assessment", request_body = StepInput,
    params(("id" = i64, Path), ("step" = String, Path)),
    responses((status = 200, body = StepAnswer), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn step(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath((id, step)): ApiPath<(i64, String)>,
    ApiJsonOrEmpty(input): ApiJsonOrEmpty<StepInput>,
) -> AppResult<Json<StepAnswer>> {
    Ok(Json(svc::step(&state.db, &actor, id, &step, input).await?))
}
