//! Search (one box over challenges, outcomes and studios) and the similar check for drafts.

use axum::routing::get;
use axum::{Json, Router, extract::State};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Actor;
use crate::error::{AppResult, Problem};
use crate::http::extract::ApiQuery;
use crate::service::search::{self, SearchQuery, SearchResults, SimilarItem};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/search", get(find))
        .route("/api/v1/challenges/similar", get(similar))
        .route("/api/v1/studios/{id}/recommendations", get(recommendations))
        .route("/api/v1/challenges/{id}/invitees", get(invitees))
}

/// Chinese full-text search with facets and highlighted snippets.
#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(SearchQuery),
    responses((status = 200, body = SearchResults), (status = 422, body = Problem)))]
pub async fn find(
    State(state): State<AppState>,
    actor: Option<Actor>,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> AppResult<Json<SearchResults>> {
    Ok(Json(
        search::search(&state.search, actor.as_ref(), &q).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct SimilarQuery {
    /// The draft's title and description.
    pub text: Option<String>,
    pub limit: Option<usize>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SimilarList {
    pub items: Vec<SimilarItem>,
}

/// Existing challenges and outcomes like a draft (已有相似榜单 / 已有成果).
#[utoipa::path(get, path = "/api/v1/challenges/similar", tag = "search", params(SimilarQuery),
    responses((status = 200, body = SimilarList), (status = 422, body = Problem)))]
pub async fn similar(
    State(state): State<AppState>,
    actor: Option<Actor>,
    ApiQuery(q): ApiQuery<SimilarQuery>,
) -> AppResult<Json<SimilarList>> {
    let text = q.text.unwrap_or_default();
    let items = search::similar(
        &state.db,
        &state.search,
        actor.as_ref(),
        &text,
        q.limit.unwrap_or(10).min(50),
    )
    .await?;
    Ok(Json(SimilarList { items }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Suggestions {
    pub items: Vec<crate::service::search::Suggestion>,
}

/// 推荐揭榜: open challenges that fit this studio.
#[utoipa::path(get, path = "/api/v1/studios/{id}/recommendations", tag = "search", params(("id" = i64, Path)),
    responses((status = 200, body = Suggestions), (status = 404, body = Problem)))]
pub async fn recommendations(
    State(state): State<AppState>,
    actor: Option<Actor>,
    crate::http::extract::ApiPath(id): crate::http::extract::ApiPath<i64>,
) -> AppResult<Json<Suggestions>> {
    crate::service::studios::get(&state.db, actor.as_ref(), id).await?;
    let items =
        search::recommend_challenges(&state.db, &state.search, actor.as_ref(), id, 10).await?;
    Ok(Json(Suggestions { items }))
}

/// Studios the poster could invite to this challenge.
#[utoipa::path(get, path = "/api/v1/challenges/{id}/invitees", tag = "search", params(("id" = i64, Path)),
    responses((status = 200, body = Suggestions), (status = 404, body = Problem)))]
pub async fn invitees(
    State(state): State<AppState>,
    actor: Option<Actor>,
    crate::http::extract::ApiPath(id): crate::http::extract::ApiPath<i64>,
) -> AppResult<Json<Suggestions>> {
    let challenge = crate::service::challenges::get(&state.db, actor.as_ref(), id).await?;
    let items = search::studios_to_invite(&state.search, &challenge, 10).await?;
    Ok(Json(Suggestions { items }))
}
