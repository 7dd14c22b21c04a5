//! The forms of a named studio's changes (Jieyang art. 7), on the studio's page: the unit's
//! union requests one; the unions above approve or reject it.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use serde::Deserialize;

use super::studios::show_with;
use super::{
    Ctx, FormErrors, PageError, PageForm, PagePath, Shown, number, problem_fields, refused,
    see_other,
};
use crate::error::AppError;
use crate::service::studio_changes::{self as svc, ChangeInput, DecisionInput};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/studios/{id}/changes", post(request))
        .route("/studio-changes/{id}/{action}", post(decide))
}

#[derive(Debug, Default, Deserialize)]
struct ChangeForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    new_leader_id: String,
    #[serde(default)]
    new_name: String,
    #[serde(default)]
    reason: String,
}

impl ChangeForm {
    fn input(self) -> Result<ChangeInput, AppError> {
        Ok(ChangeInput {
            new_leader_id: number("new_leader_id", &self.new_leader_id)?,
            kind: self.kind,
            new_name: self.new_name,
            reason: self.reason,
        })
    }
}

async fn request(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<ChangeForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let result = match f.input() {
        Ok(input) => svc::request(&state.db, actor, id, input).await.map(|_| ()),
        Err(e) => Err(e),
    };
    back(&state, &ctx, id, "change", result).await
}

async fn decide(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath((id, action)): PagePath<(i64, String)>,
    PageForm(f): PageForm<DecisionInput>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let studio = svc::get(&state.db, id).await?.studio_id;
    let result = svc::decide(&state.db, actor, id, &action, f)
        .await
        .map(|_| ());
    back(&state, &ctx, studio, "decided", result).await
}

/// Back to the studio's changes, or its page again with what was refused.
async fn back(
    state: &AppState,
    ctx: &Ctx,
    studio: i64,
    done: &str,
    result: Result<(), AppError>,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(see_other(&format!("/studios/{studio}?done={done}#changes"))),
        Err(e) => {
            let e = refused(e, Shown::Refusals)?;
            let errors = FormErrors(problem_fields(&e));
            show_with(state, ctx, studio, errors, None, e.status()).await
        }
    }
}
