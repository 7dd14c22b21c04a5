//! Challenge pages: the board, a challenge with its claims, timeline and the forms of
//! every step of the loop.

use super::Done;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;

use super::challenge_steps::StepForm;
use super::i18n::Tr;
use super::{Ctx, FormErrors, Nav, PageError, PagePath, markdown, next_page, render};
use crate::domain::challenge::{ChallengeStatus, ClaimStatus};
use crate::state::AppState;

use crate::service::Page;
use crate::service::challenges::{self as svc, BoardQuery, ChallengeViewer};
use crate::store::challenges::{Challenge, Event};
use crate::store::claims::Claim;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/challenges", get(board))
        .merge(super::challenge_form::router())
        .route("/challenges/{id}", get(show))
        .route("/studios/{id}/work", get(work))
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
    let page = svc::list(&state.db, ctx.actor.as_ref(), &q).await?;
    let filters = [
        ("status", q.status.clone()),
        ("industry", q.industry.clone()),
        ("deadline_before", q.deadline_before.clone()),
        ("min_reward", q.min_reward.map(|r| r.to_string())),
    ];
    let next_href = next_page("/challenges", &filters, page.next_cursor.as_ref());
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

#[derive(Template)]
#[template(path = "challenges/show.html")]
struct Show {
    t: Tr,
    nav: Nav,
    c: Challenge,
    description_html: String,
    claims: Vec<Claim>,
    timeline: Vec<Event>,
    /// What the reader may do with it.
    v: ChallengeViewer,
    /// For a draft: existing challenges and outcomes like it (避免重复攻关).
    similar: Vec<crate::service::search::SimilarItem>,
    /// Outcomes like this one, shown before its result is recorded as an outcome.
    similar_outcomes: Vec<crate::service::search::SimilarItem>,
    /// For the poster of an open challenge: studios whose profile fits it.
    invitees: Vec<crate::service::search::Suggestion>,
    /// Unions and enterprises backing it (挂帅), and the reward with what they added.
    backers: Vec<crate::store::challenge_backers::Backer>,
    total_reward: Option<i64>,
    /// The orgs the reader may back it for (staff, while it takes backers).
    backing_units: Vec<crate::store::orgs::Org>,
    /// What the last form did (a flash).
    done: Option<String>,
    errors: FormErrors,
    /// What was typed into a refused form, shown again.
    kept: StepForm,
}

impl Show {
    /// The day of an RFC 3339 instant.
    fn day<'a>(&self, at: &'a str) -> &'a str {
        at.get(..10).unwrap_or(at)
    }

    fn kind_key(&self, kind: &str) -> String {
        format!("sr.kind.{kind}")
    }
}

/// The messages the challenge page knows after a step went through; any other `done` is
/// ignored.
pub(super) const DONE: [&str; 14] = [
    "saved",
    "published",
    "cancelled",
    "sent_back",
    "progress",
    "delivered",
    "accepted",
    "commented",
    "claimed",
    "awarded",
    "declined",
    "withdrawn",
    "backed",
    "posted",
];

async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    axum::extract::Query(q): axum::extract::Query<Done>,
) -> Result<Response, PageError> {
    let done = q.known(&DONE);
    page(
        &state,
        &ctx,
        id,
        FormErrors::default(),
        done,
        StatusCode::OK,
        StepForm::default(),
    )
    .await
}

pub(super) async fn show_with(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    errors: FormErrors,
    status: StatusCode,
    kept: StepForm,
) -> Result<Response, PageError> {
    page(state, ctx, id, errors, None, status, kept).await
}

/// The most orgs the backing form offers.
const BACKING_UNITS: usize = 300;

async fn page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    errors: FormErrors,
    done: Option<String>,
    status: StatusCode,
    kept: StepForm,
) -> Result<Response, PageError> {
    let d = svc::detail(&state.db, ctx.actor.as_ref(), id).await?;
    let total_reward = d.total_reward_yuan();
    let takes_backers = crate::domain::challenge_rules::takes_backers(d.challenge.status);
    let backing_units = match ctx.actor.as_ref() {
        Some(a) if takes_backers => {
            crate::service::orgs::acted_for(&state.db, a, BACKING_UNITS).await?
        }
        _ => Vec::new(),
    };
    let backers = d.backers;
    let c = d.challenge;
    let v = d.viewer;
    let actor = ctx.actor.as_ref();
    let similar = if c.status == ChallengeStatus::Draft && v.poster {
        let text = format!("{}\n{}", c.title, c.description);
        crate::service::search::similar(&state.db, &state.search, actor, &text, 5)
            .await
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let similar_outcomes =
        if c.status == ChallengeStatus::Accepted && !v.may_record_outcome_for.is_empty() {
            let text = format!("{}\n{}\n{}", c.title, c.description, c.summary);
            crate::service::search::similar(&state.db, &state.search, actor, &text, 8)
                .await
                .unwrap_or_default()
                .into_iter()
                .filter(|s| s.kind == "outcome")
                .take(5)
                .collect()
        } else {
            Vec::new()
        };
    let invitees = if c.status == ChallengeStatus::Open && v.poster {
        crate::service::search::studios_to_invite(&state.search, &c, 5)
            .await
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    Ok(render(
        status,
        &Show {
            t: ctx.t,
            nav: ctx.nav(),
            description_html: markdown::render(&c.description),
            c,
            claims: d.claims,
            timeline: d.timeline,
            v,
            similar,
            similar_outcomes,
            invitees,
            backers,
            total_reward,
            backing_units,
            done,
            errors,
            kept,
        },
    ))
}

#[derive(Template)]
#[template(path = "studios/work.html")]
struct Work {
    t: Tr,
    nav: Nav,
    s: crate::store::studios::Studio,
    posted: Vec<Challenge>,
    claimed: Vec<crate::store::claims::StudioClaim>,
}

/// A studio's work (我的攻关): what it posted and what it claimed, with their status.
async fn work(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let s = crate::service::studios::get(&state.db, ctx.actor.as_ref(), id).await?;
    let q = BoardQuery {
        studio_id: Some(id),
        limit: Some(100),
        ..Default::default()
    };
    let posted = svc::list(&state.db, ctx.actor.as_ref(), &q).await?.items;
    let claimed = crate::service::claims::of_studio(&state.db, id).await?;
    Ok(render(
        StatusCode::OK,
        &Work {
            t: ctx.t,
            nav: ctx.nav(),
            s,
            posted,
            claimed,
        },
    ))
}
