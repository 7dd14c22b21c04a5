//! The workbench (工作台): where a signed-in person lands, with what waits for them.

use super::Done;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};

use super::i18n::Tr;
use super::{Ctx, Nav, PageError, PagePath, Shown, refused, render, see_other};
use crate::domain::invitation::InvitationStatus;
use crate::service::invitations;
use crate::service::workbench::{self, Workbench};
use crate::state::AppState;
use crate::store::invitations::Invitation;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/workbench", get(show))
        .route("/invitations/{id}/{answer}", post(answer))
}

#[derive(Template)]
#[template(path = "workbench.html")]
struct Page {
    t: Tr,
    nav: Nav,
    w: Workbench,
    /// Invitations to join a studio, waiting for the reader's answer.
    invitations: Vec<Invitation>,
    /// What the last answer did: `declined`.
    done: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<Done>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let w = workbench::of(&state.db, actor).await?;
    let invitations = invitations::mine(&state.db, actor).await?;
    Ok(render(
        StatusCode::OK,
        &Page {
            t: ctx.t,
            nav: ctx.nav(),
            w,
            invitations,
            done: q.done.filter(|d| d == "declined"),
        },
    ))
}

/// Accepts (then the studio's page) or declines (then the workbench) an invitation.
async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath((id, verb)): PagePath<(i64, String)>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    match invitations::answer(&state.db, actor, id, &verb).await {
        Ok(i) if i.status == InvitationStatus::Accepted => Ok(see_other(&format!(
            "/studios/{}?done=joined#members",
            i.studio_id
        ))),
        Ok(_) => Ok(see_other("/workbench?done=declined")),
        // Answered already (another tab): the workbench shows what still waits.
        Err(e) => {
            refused(e, Shown::Refusals)?;
            Ok(see_other("/workbench"))
        }
    }
}
