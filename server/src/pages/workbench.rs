//! The workbench (工作台): where a signed-in person lands, with what waits for them.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;

use super::i18n::Tr;
use super::{Ctx, Nav, PageError, render};
use crate::service::workbench::{self, Workbench};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/workbench", get(show))
}

#[derive(Template)]
#[template(path = "workbench.html")]
struct Page {
    t: Tr,
    nav: Nav,
    w: Workbench,
}

async fn show(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let w = workbench::of(&state.db, actor).await?;
    Ok(render(
        StatusCode::OK,
        &Page {
            t: ctx.t,
            nav: ctx.nav(),
            w,
        },
    ))
}
