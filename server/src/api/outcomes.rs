//! Outcomes (成果): publishing, the showcase, an outcome, adoptions.

use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router, extract::State};

use crate::api::wire::outcomes::{Outcome, OutcomeDetail};
use crate::api::wire::page;
use crate::auth::Actor;
use crate::error::{AppResult, Problem};
use crate::http::download;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::service::Page;
use crate::service::outcomes::{self, AdoptionInput, Created, OutcomeInput, ShowcaseQuery};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/outcomes", post(create).get(list))
        .route("/api/v1/outcomes/{id}", get(show))
        .route("/api/v1/outcomes/{id}/adoptions", post(adopt))
        .route("/api/v1/exports/outcomes.xlsx", get(export))
}

/// Publishes an outcome; with `challenge_id`, records an accepted challenge's result (成果转化)
/// credited to the awarded teams' studios, and closes the challenge.
#[utoipa::path(post, path = "/api/v1/outcomes", tag = "outcomes", request_body = OutcomeInput,
    responses((status = 201, body = Created), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<OutcomeInput>,
) -> AppResult<(StatusCode, Json<Created>)> {
    Ok((
        StatusCode::CREATED,
        Json(outcomes::create(&state.db, &actor, input).await?),
    ))
}

/// The showcase (成果展示).
#[utoipa::path(get, path = "/api/v1/outcomes", tag = "outcomes", params(ShowcaseQuery),
    responses((status = 200, body = Page<Outcome>), (status = 422, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ShowcaseQuery>,
) -> AppResult<Json<Page<Outcome>>> {
    Ok(Json(page(outcomes::list(&state.db, &q).await?)))
}

/// An outcome with its contributors, adoptions and challenge.
#[utoipa::path(get, path = "/api/v1/outcomes/{id}", tag = "outcomes", params(("id" = i64, Path)),
    responses((status = 200, body = OutcomeDetail), (status = 404, body = Problem)))]
pub async fn show(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<OutcomeDetail>> {
    Ok(Json(outcomes::detail(&state.db, id).await?.into()))
}

/// Records that a unit applied the outcome (成果推广).
#[utoipa::path(post, path = "/api/v1/outcomes/{id}/adoptions", tag = "outcomes", request_body = AdoptionInput,
    params(("id" = i64, Path)),
    responses((status = 201, body = Created), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn adopt(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<AdoptionInput>,
) -> AppResult<(StatusCode, Json<Created>)> {
    Ok((
        StatusCode::CREATED,
        Json(outcomes::adopt(&state.db, &actor, id, input).await?),
    ))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct ExportQuery {
    /// The union whose subtree's outcomes are listed.
    pub org_id: i64,
}

/// The outcome database of a union's subtree as xlsx (成果库): kind, studio, unit, year, patent
/// number, declared benefit, adoptions.
#[utoipa::path(get, path = "/api/v1/exports/outcomes.xlsx", tag = "outcomes", params(ExportQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn export(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> AppResult<Response> {
    let bytes = crate::service::outcomes_export::export(&state.db, q.org_id).await?;
    Ok(download::xlsx("成果库", bytes))
}
