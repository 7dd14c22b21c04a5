//! The people picker: find a person by the Chinese name everyone sees, the start of a username
//! or a whole phone number.

use axum::routing::get;
use axum::{Json, Router, extract::State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Actor;
use crate::error::{AppResult, Problem};
use crate::http::extract::ApiQuery;
use crate::service::people::{self as svc, Person};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/people", get(search))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct PeopleQuery {
    /// Part of a name, the start of a username, or a whole phone number (at most 40
    /// characters).
    #[serde(default)]
    pub q: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct People {
    pub items: Vec<Person>,
}

/// People found by name, username or phone (at most 20; exact matches first), each with their
/// studios and unions; a phone or e-mail only for the person and union staff above them.
#[utoipa::path(get, path = "/api/v1/people", tag = "accounts", params(PeopleQuery),
    responses((status = 200, body = People), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn search(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<PeopleQuery>,
) -> AppResult<Json<People>> {
    Ok(Json(People {
        items: svc::search(&state.db, &actor, &q.q).await?,
    }))
}
