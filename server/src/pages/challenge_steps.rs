//! The forms of each step on a challenge page, one route each: publish, claim, award,
//! progress, deliver, accept, send back, cancel, discuss, record the outcome. Each goes back to
//! the page.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use serde::Deserialize;

use super::challenges::show_with;
use super::{Ctx, FormErrors, PageError, PageForm, PagePath, Shown, refused, see_other};
use super::{number, problem_fields};
use crate::auth::Actor;
use crate::error::AppError;
use crate::state::AppState;

use crate::service::challenges::{self as svc, Reason};
use crate::service::claims::{self, ClaimInput, MemberShare};
use crate::service::outcomes::{self, OutcomeInput};
use crate::service::people;
use crate::service::work::{self, Acceptance, CommentInput, DeliveryInput, ProgressInput};

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
    org_id: Option<String>,
    amount_yuan: Option<String>,
}

impl StepForm {
    /// What was typed into a field of a refused form, so the page shows it again.
    pub(super) fn kept(&self, field: &str) -> &str {
        let v = match field {
            "body" => &self.body,
            "comment" => &self.comment,
            "note" => &self.note,
            "percent" => &self.percent,
            "summary" => &self.summary,
            "proposal" => &self.proposal,
            "plan" => &self.plan,
            _ => &None,
        };
        v.as_deref().unwrap_or_default()
    }

    /// The `i`-th team row (1–3) of a refused claim: (person, share).
    pub(super) fn member(&self, i: &usize) -> (&str, &str) {
        let (m, s) = match i {
            1 => (&self.member1, &self.share1),
            2 => (&self.member2, &self.share2),
            3 => (&self.member3, &self.share3),
            _ => (&None, &None),
        };
        (
            m.as_deref().unwrap_or_default(),
            s.as_deref().unwrap_or_default(),
        )
    }
}

fn text(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/challenges/{id}/publish", post(publish))
        .route("/challenges/{id}/cancel", post(cancel))
        .route("/challenges/{id}/send-back", post(send_back))
        .route("/challenges/{id}/progress", post(progress))
        .route("/challenges/{id}/deliver", post(deliver))
        .route("/challenges/{id}/accept", post(accept))
        .route("/challenges/{id}/comments", post(comment))
        .route("/challenges/{id}/backers", post(back))
        .route("/challenges/{id}/claims", post(claim_page))
        .route("/challenges/{id}/outcome", post(outcome))
        .route("/challenges/{id}/claims/{claim_id}/award", post(award))
        .route("/challenges/{id}/claims/{claim_id}/decline", post(decline))
        .route(
            "/challenges/{id}/claims/{claim_id}/withdraw",
            post(withdraw),
        )
}

async fn publish(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<StepForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let result = svc::publish(&state.db, actor, id).await;
    after(
        &state,
        &ctx,
        id,
        result.map(|_| Next::Done("published", "")),
        f,
    )
    .await
}

async fn cancel(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<StepForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let reason = Reason {
        reason: text(&f.reason),
    };
    let result = svc::cancel(&state.db, actor, id, reason).await;
    after(
        &state,
        &ctx,
        id,
        result.map(|_| Next::Done("cancelled", "")),
        f,
    )
    .await
}

async fn send_back(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<StepForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let reason = Reason {
        reason: text(&f.reason),
    };
    let limit = state.config.max_send_backs;
    let result = work::send_back(&state.db, limit, actor, id, reason).await;
    after(
        &state,
        &ctx,
        id,
        result.map(|_| Next::Done("sent_back", "#timeline")),
        f,
    )
    .await
}

async fn progress(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<StepForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let result = async {
        let input = ProgressInput {
            note: text(&f.note),
            percent: number("percent", &text(&f.percent))?.unwrap_or(-1),
        };
        work::progress(&state.db, actor, id, input).await
    }
    .await;
    after(
        &state,
        &ctx,
        id,
        result.map(|_| Next::Done("progress", "#timeline")),
        f,
    )
    .await
}

async fn deliver(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<StepForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let input = DeliveryInput {
        summary: text(&f.summary),
    };
    let result = work::deliver(&state.db, actor, id, input).await;
    after(
        &state,
        &ctx,
        id,
        result.map(|_| Next::Done("delivered", "")),
        f,
    )
    .await
}

async fn accept(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<StepForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let result = async {
        let input = Acceptance {
            rating: number("rating", &text(&f.rating))?.unwrap_or(0),
            comment: text(&f.comment),
        };
        work::accept(&state.db, actor, id, input).await
    }
    .await;
    after(
        &state,
        &ctx,
        id,
        result.map(|_| Next::Done("accepted", "#outcome")),
        f,
    )
    .await
}

async fn comment(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<StepForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let input = CommentInput {
        body: text(&f.body),
    };
    let result = work::comment(&state.db, actor, id, input).await;
    after(
        &state,
        &ctx,
        id,
        result.map(|_| Next::Done("commented", "#timeline")),
        f,
    )
    .await
}

/// A union's or an enterprise's staff back the challenge (挂帅) for their org.
async fn back(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<StepForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let result = async {
        let input = crate::service::challenge_backers::BackingInput {
            org_id: number("org_id", &text(&f.org_id))?.unwrap_or_default(),
            amount_yuan: number("amount_yuan", &text(&f.amount_yuan))?.unwrap_or_default(),
        };
        crate::service::challenge_backers::back(&state.db, actor, id, input).await
    }
    .await;
    after(
        &state,
        &ctx,
        id,
        result.map(|_| Next::Done("backed", "#backers")),
        f,
    )
    .await
}

async fn claim_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<StepForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let result = claim(&state, actor, id, &f).await;
    after(
        &state,
        &ctx,
        id,
        result.map(|_| Next::Done("claimed", "#claims")),
        f,
    )
    .await
}

async fn outcome(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<StepForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let result = async {
        let input = OutcomeInput {
            studio_id: number("studio_id", &text(&f.studio_id))?.unwrap_or_default(),
            title: text(&f.title),
            summary: text(&f.summary),
            body: String::new(),
            kind: text(&f.kind),
            industry: String::new(),
            challenge_id: Some(id),
            project_id: None,
            patent_no: text(&f.patent_no),
            benefit_yuan: number("benefit_yuan", &text(&f.benefit_yuan))?,
            transferable: f.transferable.is_some(),
        };
        outcomes::create(&state.db, actor, input).await
    }
    .await;
    after(&state, &ctx, id, result.map(|o| Next::Outcome(o.id)), f).await
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
        // Found by name, username or phone; several of one name are listed for the next try.
        let person = people::resolve(&state.db, actor, "members", &name).await?;
        let share_percent = number("members", &text(share))?.unwrap_or(0);
        members.push(MemberShare {
            user_id: person.id,
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

async fn award(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath((id, claim_id)): PagePath<(i64, i64)>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let result = claims::award(&state.db, actor, id, claim_id).await;
    after(
        &state,
        &ctx,
        id,
        result.map(|_| Next::Done("awarded", "#claims")),
        StepForm::default(),
    )
    .await
}

async fn decline(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath((id, claim_id)): PagePath<(i64, i64)>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let result = claims::decline(&state.db, actor, id, claim_id).await;
    after(
        &state,
        &ctx,
        id,
        result.map(|_| Next::Done("declined", "#claims")),
        StepForm::default(),
    )
    .await
}

async fn withdraw(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath((id, claim_id)): PagePath<(i64, i64)>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let result = claims::withdraw(&state.db, actor, id, claim_id).await;
    after(
        &state,
        &ctx,
        id,
        result.map(|_| Next::Done("withdrawn", "#claims")),
        StepForm::default(),
    )
    .await
}

/// Where a successful step goes.
enum Next {
    /// Back to the challenge page with the message of what was done (one of
    /// `challenges::DONE`), at this anchor.
    Done(&'static str, &'static str),
    /// To the outcome just recorded.
    Outcome(i64),
}

/// After a step: onwards on success, the challenge page with the problem otherwise.
async fn after(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    result: Result<Next, AppError>,
    f: StepForm,
) -> Result<Response, PageError> {
    match result {
        Ok(Next::Outcome(o)) => Ok(see_other(&format!("/outcomes/{o}"))),
        Ok(Next::Done(done, anchor)) => {
            Ok(see_other(&format!("/challenges/{id}?done={done}{anchor}")))
        }
        Err(e) => {
            let e = refused(e, Shown::NotMissing)?;
            show_with(
                state,
                ctx,
                id,
                FormErrors(problem_fields(&e)),
                e.status(),
                f,
            )
            .await
        }
    }
}
