//! Search (one box over challenges, outcomes and studios) and the similar check for drafts.

use axum::routing::get;
use axum::{Json, Router, extract::State};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::app::AppState;
use crate::auth::Actor;
use crate::error::{AppResult, Problem};
use crate::http::extract::ApiQuery;
use crate::service::search::{self, SearchQuery, SearchResults, SimilarItem};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/search", get(find))
        .route("/api/v1/challenges/similar", get(similar))
}

/// Chinese full-text search with facets and highlighted snippets.
#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(SearchQuery),
    responses((status = 200, body = SearchResults), (status = 422, body = Problem)))]
pub async fn find(
    State(state): State<AppState>,
    actor: Option<Actor>,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> AppResult<Json<SearchResults>> {
    Ok(Json(search::search(&state, actor.as_ref(), &q).await?))
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
    let items =
        search::similar(&state, actor.as_ref(), &text, q.limit.unwrap_or(10).min(50)).await?;
    Ok(Json(SimilarList { items }))
}
