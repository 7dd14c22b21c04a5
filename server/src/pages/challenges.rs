//! Challenge pages: the board, posting, a challenge with its claims, timeline and the forms of
//! every step of the loop.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use super::i18n::Tr;
use super::{Ctx, FormErrors, Nav, PageError, PageForm, encode, markdown, render, see_other};
use crate::app::AppState;
use crate::auth::policy;
use crate::domain::challenge::ChallengeStatus;
use crate::domain::studio::MemberRole;
use crate::error::{AppError, FieldError};
use crate::http::extract::ApiPath;
use crate::service::Page;
use crate::service::challenges::{self as svc, BoardQuery, ChallengeInput, Reason};
use crate::service::claims::{
    self, Acceptance, ClaimInput, CommentInput, DeliveryInput, MemberShare, ProgressInput,
};
use crate::service::outcomes::{self, OutcomeInput};
use crate::store::challenges::{Challenge, Event};
use crate::store::claims::Claim;
use crate::store::{studios, users};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/challenges", get(board))
        .route("/challenges/new", get(new_page).post(create))
        .route("/challenges/{id}", get(show))
        .route("/challenges/{id}/{action}", post(act))
        .route(
            "/challenges/{id}/claims/{claim_id}/{action}",
            post(act_on_claim),
        )
}

#[derive(Template)]
#[template(path = "challenges/index.html")]
struct Board {
    t: Tr,
    nav: Nav,
    q: BoardQuery,
    statuses: Vec<&'static str>,
    page: Page<Challenge>,
    next_href: Option<String>,
}

async fn board(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<BoardQuery>,
) -> Result<Response, PageError> {
    let page = svc::list(&state, ctx.actor.as_ref(), &q)
        .await
        .map_err(|e| ctx.err(e))?;
    let next_href = page.next_cursor.as_ref().map(|c| {
        let mut href = String::from("/challenges?");
        for (k, v) in [
            ("status", &q.status),
            ("industry", &q.industry),
            ("deadline_before", &q.deadline_before),
        ] {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                href.push_str(&format!("{k}={}&", encode(v)));
            }
        }
        if let Some(r) = q.min_reward {
            href.push_str(&format!("min_reward={r}&"));
        }
        href.push_str(&format!("cursor={c}"));
        href
    });
    let statuses = ChallengeStatus::ALL
        .iter()
        .filter(|s| **s != ChallengeStatus::Draft)
        .map(|s| s.code())
        .collect();
    Ok(render(
        StatusCode::OK,
        &Board {
            t: ctx.t,
            nav: ctx.nav(),
            q,
            statuses,
            page,
            next_href,
        },
    ))
}

#[derive(Debug, Default, Deserialize)]
struct ChallengeForm {
    #[serde(default)]
    studio_id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    industry: String,
    #[serde(default)]
    tags: String,
    #[serde(default)]
    deadline: String,
    #[serde(default)]
    reward_yuan: String,
    #[serde(default)]
    claim_mode: String,
}

#[derive(Template)]
#[template(path = "challenges/form.html")]
struct FormPage {
    t: Tr,
    nav: Nav,
    f: ChallengeForm,
    studios: Vec<(i64, String)>,
    errors: FormErrors,
}

/// Studios the actor may post for (leader or member).
async fn posting_studios(state: &AppState, ctx: &Ctx) -> Result<Vec<(i64, String)>, PageError> {
    let actor = ctx.require()?;
    let rows = studios::memberships(state.db.reader(), actor.id())
        .await
        .map_err(|e| ctx.err(e.into()))?;
    Ok(rows
        .into_iter()
        .filter(|(id, _, _)| policy::post_challenge(actor, *id).is_ok())
        .map(|(id, _, name)| (id, name))
        .collect())
}

async fn new_page(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let studios = posting_studios(&state, &ctx).await?;
    Ok(render(
        StatusCode::OK,
        &FormPage {
            t: ctx.t,
            nav: ctx.nav(),
            f: ChallengeForm::default(),
            studios,
            errors: FormErrors::default(),
        },
    ))
}

fn number(field: &str, v: &str) -> Result<Option<i64>, AppError> {
    match v.trim() {
        "" => Ok(None),
        n => n
            .parse()
            .map(Some)
            .map_err(|_| AppError::invalid_field(field, "应为整数 / must be a whole number")),
    }
}

async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    PageForm(f): PageForm<ChallengeForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let result = async {
        let input = ChallengeInput {
            studio_id: number("studio_id", &f.studio_id)?.unwrap_or_default(),
            title: f.title.clone(),
            description: f.description.clone(),
            industry: f.industry.clone(),
            tags: f
                .tags
                .split([' ', ',', '，', '、'])
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect(),
            deadline: Some(f.deadline.clone()).filter(|d| !d.trim().is_empty()),
            reward_yuan: number("reward_yuan", &f.reward_yuan)?,
            visibility: None,
            alliance_id: None,
            claim_mode: Some(f.claim_mode.clone()).filter(|m| !m.is_empty()),
        };
        svc::create(&state, actor, input).await
    }
    .await;
    match result {
        Ok(ch) => Ok(see_other(&format!("/challenges/{}", ch.id))),
        Err(e @ AppError::Client(_)) => {
            let studios = posting_studios(&state, &ctx).await?;
            let errors = FormErrors(problem_fields(&e));
            Ok(render(
                e.status(),
                &FormPage {
                    t: ctx.t,
                    nav: ctx.nav(),
                    f,
                    studios,
                    errors,
                },
            ))
        }
        Err(e) => Err(ctx.err(e)),
    }
}

/// The field errors of a failed step, or its detail as one line.
fn problem_fields(e: &AppError) -> Vec<FieldError> {
    let fields = e.field_errors().to_vec();
    if fields.is_empty() {
        vec![FieldError::new(
            e.code(),
            e.problem().detail.unwrap_or_default(),
        )]
    } else {
        fields
    }
}

#[derive(Template)]
#[template(path = "challenges/show.html")]
struct Show {
    t: Tr,
    nav: Nav,
    c: Challenge,
    description_html: String,
    claims: Vec<Claim>,
    timeline: Vec<Event>,
    is_poster: bool,
    can_work: bool,
    can_discuss: bool,
    withdrawable: Vec<i64>,
    claim_studios: Vec<(i64, String)>,
    outcome_studios: Vec<(i64, String)>,
    errors: FormErrors,
}

async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, PageError> {
    show_with(&state, &ctx, id, FormErrors::default(), StatusCode::OK).await
}

async fn show_with(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let d = svc::detail(state, ctx.actor.as_ref(), id)
        .await
        .map_err(|e| ctx.err(e))?;
    let c = d.challenge;
    let actor = ctx.actor.as_ref();
    let is_poster = actor.is_some_and(|a| policy::manage_challenge(a, &c).is_ok());
    let can_work = actor.is_some_and(|a| policy::work_on_challenge(a, &d.claims).is_ok());
    let can_discuss = actor.is_some_and(|a| policy::discuss_challenge(a, &c, &d.claims).is_ok());
    let withdrawable = match actor {
        Some(a) => d
            .claims
            .iter()
            .filter(|k| policy::withdraw_claim(a, k).is_ok())
            .map(|k| k.id)
            .collect(),
        None => Vec::new(),
    };
    let mut claim_studios = Vec::new();
    let mut outcome_studios = Vec::new();
    if let Some(a) = actor {
        let mine = studios::memberships(state.db.reader(), a.id())
            .await
            .map_err(|e| ctx.err(e.into()))?;
        claim_studios = mine
            .iter()
            .filter(|(sid, role, _)| {
                role == MemberRole::Leader.code() && d.claims.iter().all(|k| k.studio_id != *sid)
            })
            .filter(|(sid, _, _)| policy::claim_challenge(a, &c, *sid).is_ok())
            .map(|(sid, _, name)| (*sid, name.clone()))
            .collect();
        if policy::record_challenge_outcome(a, &c, &d.claims).is_ok() {
            for k in d.claims.iter().filter(|k| k.status == "awarded") {
                for m in &k.team {
                    if !outcome_studios.iter().any(|(s, _)| *s == m.studio_id) {
                        outcome_studios.push((m.studio_id, m.studio_name.clone()));
                    }
                }
            }
        }
    }
    Ok(render(
        status,
        &Show {
            t: ctx.t,
            nav: ctx.nav(),
            description_html: markdown::render(&c.description),
            c,
            claims: d.claims,
            timeline: d.timeline,
            is_poster,
            can_work,
            can_discuss,
            withdrawable,
            claim_studios,
            outcome_studios,
            errors,
        },
    ))
}

/// Every form a challenge page posts, as one bag of optional fields.
#[derive(Debug, Default, Deserialize)]
struct StepForm {
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

async fn act(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiPath((id, action)): ApiPath<(i64, String)>,
    PageForm(f): PageForm<StepForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let result: Result<Next, AppError> = async {
        match action.as_str() {
            "publish" => svc::publish(&state, actor, id)
                .await
                .map(|_| Next::Anchor("")),
            "cancel" => svc::cancel(
                &state,
                actor,
                id,
                Reason {
                    reason: text(&f.reason),
                },
            )
            .await
            .map(|_| Next::Anchor("")),
            "send-back" => claims::send_back(
                &state,
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
                claims::progress(
                    &state,
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
            "deliver" => claims::deliver(
                &state,
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
                claims::accept(
                    &state,
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
            "comments" => claims::comment(
                &state,
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
                outcomes::create(&state, actor, input)
                    .await
                    .map(|o| Next::Outcome(o.id))
            }
            _ => Err(AppError::not_found()),
        }
    }
    .await;
    after(&state, &ctx, id, result).await
}

async fn claim(
    state: &AppState,
    actor: &crate::auth::Actor,
    id: i64,
    f: &StepForm,
) -> Result<(), AppError> {
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
    claims::claim(state, actor, id, input).await.map(|_| ())
}

async fn act_on_claim(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiPath((id, claim_id, action)): ApiPath<(i64, i64, String)>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let result = match action.as_str() {
        "award" => claims::award(&state, actor, id, claim_id)
            .await
            .map(|_| Next::Anchor("#claims")),
        "decline" => claims::decline(&state, actor, id, claim_id)
            .await
            .map(|_| Next::Anchor("#claims")),
        "withdraw" => claims::withdraw(&state, actor, id, claim_id)
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
        Err(e) => Err(ctx.err(e)),
    }
}
