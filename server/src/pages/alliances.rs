//! Alliance pages: the directory, founding, and an alliance's page with its members, join
//! requests, board, outcomes, events, courses and talent record.

use super::Done;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use super::i18n::Tr;
use super::{
    Ctx, FormErrors, Nav, PageError, PageForm, PagePath, Shown, number, problem_fields, refused,
    render, see_other,
};
use crate::domain::alliance::{AllianceAction, AllianceStatus, RequestAction, RequestKind};
use crate::error::AppError;
use crate::state::AppState;

use crate::service::alliance_membership::{self as membership, JoinInput};
use crate::service::alliances::{self as svc, AllianceDetail, AllianceInput, AllianceQuery};
use crate::service::studios::StudioBrief;
use crate::service::{Page, Paging, courses, events, mentorships};
use crate::store::alliances::Alliance;
use crate::store::challenges::Challenge;
use crate::store::courses::Course;
use crate::store::events::Event;
use crate::store::mentorships::{Mentorship, TalentRecord};
use crate::store::outcomes::Outcome;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/alliances", get(index).post(create))
        .route("/alliances/new", get(new_page))
        .route("/alliances/{id}", get(show))
        .route("/alliances/{id}/join", post(join))
        .route("/alliances/{id}/invite", post(invite))
        .route("/alliances/{id}/requests/{rid}/{action}", post(decide))
        .route("/alliances/{id}/leave", post(leave))
        .route("/alliances/{id}/lead", post(hand_over))
        .route("/alliances/{id}/settle/{action}", post(settle))
}

#[derive(Template)]
#[template(path = "alliances/index.html")]
struct Index {
    t: Tr,
    nav: Nav,
    page: Page<Alliance>,
    signed_in: bool,
}

async fn index(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<AllianceQuery>,
) -> Result<Response, PageError> {
    let page = svc::list(&state.db, &q).await?;
    Ok(render(
        StatusCode::OK,
        &Index {
            t: ctx.t,
            nav: ctx.nav(),
            page,
            signed_in: ctx.actor.is_some(),
        },
    ))
}

#[derive(Debug, Default, Deserialize)]
struct FoundForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    lead_studio_id: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    scope: String,
}

#[derive(Template)]
#[template(path = "alliances/form.html")]
struct FormPage {
    t: Tr,
    nav: Nav,
    f: FoundForm,
    studios: Vec<StudioBrief>,
    errors: FormErrors,
}

/// Studios the actor leads: those they may found an alliance with.
async fn led_studios(state: &AppState, ctx: &Ctx) -> Result<Vec<StudioBrief>, PageError> {
    Ok(crate::service::studios::led(&state.db, ctx.require()?).await?)
}

async fn new_page(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let studios = led_studios(&state, &ctx).await?;
    let f = FoundForm {
        scope: "cross_enterprise".into(),
        ..FoundForm::default()
    };
    Ok(render(
        StatusCode::OK,
        &FormPage {
            t: ctx.t,
            nav: ctx.nav(),
            f,
            studios,
            errors: FormErrors::default(),
        },
    ))
}

async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    PageForm(f): PageForm<FoundForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let result = async {
        let input = AllianceInput {
            name: f.name.clone(),
            lead_studio_id: number("lead_studio_id", &f.lead_studio_id)?.unwrap_or_default(),
            description: f.description.clone(),
            scope: f.scope.clone(),
            org_id: None,
        };
        svc::create(&state.db, actor, input).await
    }
    .await;
    match result {
        Ok(a) => Ok(see_other(&format!("/alliances/{}?done=created", a.id))),
        Err(e) => {
            let e = refused(e, Shown::AnyClient)?;
            let studios = led_studios(&state, &ctx).await?;
            let errors = FormErrors(problem_fields(&e));
            let page = FormPage {
                t: ctx.t,
                nav: ctx.nav(),
                f,
                studios,
                errors,
            };
            Ok(render(e.status(), &page))
        }
    }
}

#[derive(Template)]
#[template(path = "alliances/show.html")]
struct Show {
    t: Tr,
    nav: Nav,
    a: AllianceDetail,
    challenges: Vec<Challenge>,
    outcomes: Vec<Outcome>,
    events: Vec<Event>,
    courses: Vec<Course>,
    mentorships: Vec<Mentorship>,
    talent: TalentRecord,
    /// Online studios that are not members (for the lead to invite).
    invitable: Vec<StudioBrief>,
    /// What the last form did (a flash).
    done: Option<String>,
}

/// The messages the alliance page knows after a form; any other `done` is ignored.
const DONE: [&str; 9] = [
    "created",
    "asked",
    "invited",
    "approve",
    "decline",
    "withdraw",
    "left",
    "handed_over",
    "dissolved",
];

impl Show {
    fn scope(&self) -> String {
        self.t
            .s(&format!("al.scope.{}", self.a.alliance.scope))
            .to_owned()
    }
}

async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    Query(q): Query<Done>,
) -> Result<Response, PageError> {
    let done = q.known(&DONE);
    let actor = ctx.actor.as_ref();
    let db = &state.db;
    let a = svc::detail(db, actor, id).await?;
    let first = |limit| Paging {
        limit: Some(limit),
        cursor: None,
    };
    let events = events::EventQuery {
        alliance_id: Some(id),
        limit: Some(100),
        ..Default::default()
    };
    let courses = courses::CourseQuery {
        alliance_id: Some(id),
        limit: Some(100),
        ..Default::default()
    };
    let page = Show {
        t: ctx.t,
        nav: ctx.nav(),
        challenges: svc::board(db, actor, id, &first(50)).await?.items,
        outcomes: svc::outcomes(db, id).await?,
        events: events::upcoming(db, &events).await?.items,
        courses: courses::list(db, &courses).await?.items,
        mentorships: mentorships::list(db, None, Some(id), &first(20))
            .await?
            .items,
        talent: mentorships::record(db, actor, None, Some(id)).await?,
        invitable: svc::invitable(db, &a).await?,
        a,
        done,
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Deserialize)]
struct StudioForm {
    #[serde(default)]
    studio_id: String,
    #[serde(default)]
    message: String,
}

impl StudioForm {
    fn input(&self) -> Result<JoinInput, AppError> {
        Ok(JoinInput {
            studio_id: number("studio_id", &self.studio_id)?.unwrap_or_default(),
            message: self.message.clone(),
        })
    }
}

async fn ask(
    state: AppState,
    ctx: Ctx,
    id: i64,
    kind: RequestKind,
    f: StudioForm,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let input = f.input()?;
    membership::ask(&state.db, actor, id, kind, input).await?;
    let done = match kind {
        RequestKind::Request => "asked",
        RequestKind::Invite => "invited",
    };
    Ok(see_other(&format!("/alliances/{id}?done={done}#requests")))
}

async fn join(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<StudioForm>,
) -> Result<Response, PageError> {
    ask(state, ctx, id, RequestKind::Request, f).await
}

async fn invite(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<StudioForm>,
) -> Result<Response, PageError> {
    ask(state, ctx, id, RequestKind::Invite, f).await
}

async fn decide(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath((id, rid, action)): PagePath<(i64, i64, String)>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let action = RequestAction::parse(&action).ok_or_else(|| PageError(AppError::not_found()))?;
    membership::decide(&state.db, actor, id, rid, action).await?;
    Ok(see_other(&format!(
        "/alliances/{id}?done={}",
        action.verb()
    )))
}

async fn leave(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<StudioForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let studio = f.input()?.studio_id;
    membership::leave(&state.db, actor, id, studio).await?;
    Ok(see_other(&format!("/alliances/{id}?done=left")))
}

async fn hand_over(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<StudioForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let studio = f.input()?.studio_id;
    membership::hand_over(&state.db, actor, id, studio).await?;
    Ok(see_other(&format!("/alliances/{id}?done=handed_over")))
}

#[derive(Deserialize)]
struct ConfirmForm {
    confirm: Option<String>,
}

async fn settle(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath((id, action)): PagePath<(i64, String)>,
    PageForm(f): PageForm<ConfirmForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let action = match action.as_str() {
        // Dissolving is not undone: the form asks for a tick first.
        "dissolve" if f.confirm.as_deref() == Some("yes") => AllianceAction::Dissolve,
        "dissolve" => {
            let e = AppError::invalid_field("confirm", "请勾选确认 / tick to confirm");
            return Err(e.into());
        }
        _ => return Err(PageError(AppError::not_found())),
    };
    membership::settle(&state.db, actor, id, action).await?;
    Ok(see_other(&format!("/alliances/{id}?done=dissolved")))
}
