//! The forms of each step on a challenge page: publish, claim, award, progress, deliver,
//! accept, send back, cancel, discuss, record the outcome. Each goes back to the page.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::challenges::show_with;
use super::{Ctx, FormErrors, PageError, PageForm, PagePath, see_other};
use super::{number, problem_fields};
use crate::auth::Actor;
use crate::error::AppError;
use crate::state::AppState;

use crate::service::challenges::{self as svc, Reason};
use crate::service::claims::{self, ClaimInput, MemberShare};
use crate::service::outcomes::{self, OutcomeInput};
use crate::service::work::{self, Acceptance, CommentInput, DeliveryInput, ProgressInput};
use crate::store::users;

/// Every form a challenge page posts, as one bag of optional fields.
#[derive(Debug, Default, Deserialize)]
pub(super) struct StepForm {
    reason: Option<String>,
    note: Option<String>,
    percent: Option<String>,
    summary: Option<String>,
    rating: Option<String>,
    comment: Option<String>,
    body: Option<String>,
    studio_id: Option<String>,
    proposal: Option<String>,
    plan: Option<String>,
    member1: Option<String>,
    share1: Option<String>,
    member2: Option<String>,
    share2: Option<String>,
    member3: Option<String>,
    share3: Option<String>,
    title: Option<String>,
    kind: Option<String>,
    patent_no: Option<String>,
    benefit_yuan: Option<String>,
    transferable: Option<String>,
}

fn text(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

pub(super) async fn act(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath((id, action)): PagePath<(i64, String)>,
    PageForm(f): PageForm<StepForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let result: Result<Next, AppError> = async {
        match action.as_str() {
            "publish" => svc::publish(&state.db, actor, id)
                .await
                .map(|_| Next::Anchor("")),
            "cancel" => svc::cancel(
                &state.db,
                actor,
                id,
                Reason {
                    reason: text(&f.reason),
                },
            )
            .await
            .map(|_| Next::Anchor("")),
            "send-back" => work::send_back(
                &state.db,
                state.config.max_send_backs,
                actor,
                id,
                Reason {
                    reason: text(&f.reason),
                },
            )
            .await
            .map(|_| Next::Anchor("#timeline")),
            "progress" => {
                let percent = number("percent", &text(&f.percent))?.unwrap_or(-1);
                work::progress(
                    &state.db,
                    actor,
                    id,
                    ProgressInput {
                        note: text(&f.note),
                        percent,
                    },
                )
                .await
                .map(|_| Next::Anchor("#timeline"))
            }
            "deliver" => work::deliver(
                &state.db,
                actor,
                id,
                DeliveryInput {
                    summary: text(&f.summary),
                },
            )
            .await
            .map(|_| Next::Anchor("")),
            "accept" => {
                let rating = number("rating", &text(&f.rating))?.unwrap_or(0);
                work::accept(
                    &state.db,
                    actor,
                    id,
                    Acceptance {
                        rating,
                        comment: text(&f.comment),
                    },
                )
                .await
                .map(|_| Next::Anchor("#outcome"))
            }
            "comments" => work::comment(
                &state.db,
                actor,
                id,
                CommentInput {
                    body: text(&f.body),
                },
            )
            .await
            .map(|_| Next::Anchor("#timeline")),
            "claims" => claim(&state, actor, id, &f)
                .await
                .map(|_| Next::Anchor("#claims")),
            "outcome" => {
                let input = OutcomeInput {
                    studio_id: number("studio_id", &text(&f.studio_id))?.unwrap_or_default(),
                    title: text(&f.title),
                    summary: text(&f.summary),
                    body: String::new(),
                    kind: text(&f.kind),
                    industry: String::new(),
                    challenge_id: Some(id),
                    patent_no: text(&f.patent_no),
                    benefit_yuan: number("benefit_yuan", &text(&f.benefit_yuan))?,
                    transferable: f.transferable.is_some(),
                };
                outcomes::create(&state.db, actor, input)
                    .await
                    .map(|o| Next::Outcome(o.id))
            }
            _ => Err(AppError::not_found()),
        }
    }
    .await;
    after(&state, &ctx, id, result).await
}

async fn claim(state: &AppState, actor: &Actor, id: i64, f: &StepForm) -> Result<(), AppError> {
    let mut members = Vec::new();
    for (name, share) in [
        (&f.member1, &f.share1),
        (&f.member2, &f.share2),
        (&f.member3, &f.share3),
    ] {
        let name = text(name);
        if name.trim().is_empty() {
            continue;
        }
        let user = users::find_by_username(state.db.reader(), name.trim())
            .await?
            .ok_or_else(|| {
                AppError::invalid_field("members", format!("用户 {name} 不存在 / no such user"))
            })?;
        let share_percent = number("members", &text(share))?.unwrap_or(0);
        members.push(MemberShare {
            user_id: user.id,
            share_percent,
        });
    }
    let input = ClaimInput {
        studio_id: number("studio_id", &text(&f.studio_id))?.unwrap_or_default(),
        proposal: text(&f.proposal),
        plan: text(&f.plan),
        member_ids: Vec::new(),
        members,
    };
    claims::claim(&state.db, actor, id, input).await.map(|_| ())
}

pub(super) async fn act_on_claim(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath((id, claim_id, action)): PagePath<(i64, i64, String)>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let result = match action.as_str() {
        "award" => claims::award(&state.db, actor, id, claim_id)
            .await
            .map(|_| Next::Anchor("#claims")),
        "decline" => claims::decline(&state.db, actor, id, claim_id)
            .await
            .map(|_| Next::Anchor("#claims")),
        "withdraw" => claims::withdraw(&state.db, actor, id, claim_id)
            .await
            .map(|_| Next::Anchor("#claims")),
        _ => Err(AppError::not_found()),
    };
    after(&state, &ctx, id, result).await
}

/// Where a successful step goes.
enum Next {
    /// Back to the challenge page, at this anchor.
    Anchor(&'static str),
    /// To the outcome just recorded.
    Outcome(i64),
}

/// After a step: onwards on success, the challenge page with the problem otherwise.
async fn after(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    result: Result<Next, AppError>,
) -> Result<Response, PageError> {
    match result {
        Ok(Next::Outcome(o)) => Ok(see_other(&format!("/outcomes/{o}"))),
        Ok(Next::Anchor(anchor)) => Ok(see_other(&format!("/challenges/{id}{anchor}"))),
        Err(e @ AppError::Client(_))
            if e.status() != StatusCode::NOT_FOUND && e.status() != StatusCode::UNAUTHORIZED =>
        {
            show_with(state, ctx, id, FormErrors(problem_fields(&e)), e.status()).await
        }
        Err(e) => Err(e.into()),
    }
}
