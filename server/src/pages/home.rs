//! The home page.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;

use super::i18n::Tr;
use super::{Ctx, Nav, PageError, render};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    t: Tr,
    nav: Nav,
    registered: i64,
    online: i64,
}

async fn home(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let (registered, online) = crate::service::studios::totals(&state.db).await?;
    Ok(render(
        StatusCode::OK,
        &Home {
            t: ctx.t,
            nav: ctx.nav(),
            registered,
            online,
        },
    ))
}
