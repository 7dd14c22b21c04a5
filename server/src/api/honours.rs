//! Honour recommendations (荣誉推荐): recorded by union staff for a person, a studio or an
//! outcome of their subtree, with the result recorded later.

use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router, extract::State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::wire::all;
use crate::api::wire::honours::HonourRecord;
use crate::auth::Actor;
use crate::error::{AppResult, Problem};
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::service::honours::{self as svc, DecisionInput, HonourInput, ListQuery};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/honours", post(recommend).get(list))
        .route("/api/v1/honours/{id}", get(show))
        .route("/api/v1/honours/{id}/decision", post(decide))
}

/// Recommends a person, a studio or an outcome of the org's subtree for an honour (staff of
/// the org or above it). The subject must be of the honour's kind; the same honour at the same
/// level is recommended once a year (409).
#[utoipa::path(post, path = "/api/v1/honours", tag = "honours", request_body = HonourInput,
    responses((status = 201, body = HonourRecord), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn recommend(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<HonourInput>,
) -> AppResult<(StatusCode, Json<HonourRecord>)> {
    let h = svc::recommend(&state.db, &actor, input).await?;
    Ok((StatusCode::CREATED, Json(h.into())))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct HonourFilter {
    /// Recommended by this org or one below it.
    pub org_id: Option<i64>,
    pub year: Option<i64>,
    /// `recommended`, `awarded` or `not_awarded`.
    pub status: Option<String>,
    /// For this person.
    pub user_id: Option<i64>,
    /// For this studio or one of its outcomes.
    pub studio_id: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Honours {
    pub items: Vec<HonourRecord>,
}

/// The recommendations the reader may read, newest first: staff those of their subtree, others
/// their own and their studios'.
#[utoipa::path(get, path = "/api/v1/honours", tag = "honours", params(HonourFilter),
    responses((status = 200, body = Honours), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(f): ApiQuery<HonourFilter>,
) -> AppResult<Json<Honours>> {
    let q = ListQuery {
        org_id: f.org_id,
        year: f.year,
        status: f.status,
        user_id: f.user_id,
        studio_id: f.studio_id,
    };
    Ok(Json(Honours {
        items: all(svc::list(&state.db, &actor, &q).await?),
    }))
}

/// A recommendation (404 for a reader who may not read it).
#[utoipa::path(get, path = "/api/v1/honours/{id}", tag = "honours", params(("id" = i64, Path)),
    responses((status = 200, body = HonourRecord), (status = 404, body = Problem)))]
pub async fn show(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<HonourRecord>> {
    Ok(Json(svc::get(&state.db, &actor, id).await?.into()))
}

/// Records whether the honour was awarded (staff of the recommending union or above; once).
#[utoipa::path(post, path = "/api/v1/honours/{id}/decision", tag = "honours", request_body = DecisionInput,
    params(("id" = i64, Path)),
    responses((status = 200, body = HonourRecord), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn decide(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<DecisionInput>,
) -> AppResult<Json<HonourRecord>> {
    Ok(Json(
        svc::decide(&state.db, &actor, id, input).await?.into(),
    ))
}
