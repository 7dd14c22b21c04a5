//! Alliance pages: the directory, founding, and an alliance's page with its members, join
//! requests, board, outcomes, events, courses and talent record.

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
use crate::auth::policy;
use crate::domain::alliance::{AllianceAction, AllianceStatus, RequestAction, RequestKind};
use crate::domain::studio::MemberRole;
use crate::error::AppError;
use crate::state::AppState;

use crate::service::Page;
use crate::service::alliance_membership::{self as membership, JoinInput};
use crate::service::alliances::{self as svc, AllianceDetail, AllianceInput, AllianceQuery};
use crate::service::{courses, events};
use crate::store::alliances::Alliance;
use crate::store::challenges::Challenge;
use crate::store::courses::Course;
use crate::store::events::Event;
use crate::store::mentorships::{self, Mentorship, TalentRecord};
use crate::store::outcomes::Outcome;
use crate::store::studios;

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
    studios: Vec<(i64, String)>,
    errors: FormErrors,
}

/// Studios the actor leads: those they may found an alliance with or act for.
async fn led_studios(state: &AppState, ctx: &Ctx) -> Result<Vec<(i64, String)>, PageError> {
    let actor = ctx.require()?;
    let rows = crate::service::studios::memberships(&state.db, actor).await?;
    Ok(rows
        .into_iter()
        .filter(|(id, _, _)| actor.role_in(*id) == Some(MemberRole::Leader))
        .map(|(id, _, name)| (id, name))
        .collect())
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
        Ok(a) => Ok(see_other(&format!("/alliances/{}", a.id))),
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
    is_lead: bool,
    is_member: bool,
    can_name: bool,
    /// Studios the reader leads that are not members yet (to ask to join).
    joinable: Vec<(i64, String)>,
    /// Studios the reader leads that are members but not the lead (to leave).
    leavable: Vec<(i64, String)>,
    /// Online studios that are not members (for the lead to invite).
    invitable: Vec<(i64, String)>,
}

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
) -> Result<Response, PageError> {
    let actor = ctx.actor.as_ref();
    let err = |e: AppError| PageError(e);
    let a = svc::detail(&state.db, actor, id).await.map_err(err)?;
    let pool = state.db.reader();
    let members: Vec<i64> = a.members.iter().map(|m| m.studio_id).collect();
    let is_lead = actor.is_some_and(|x| policy::lead_alliance(x, &a.alliance).is_ok());
    let is_member = actor.is_some_and(|x| x.in_alliance(id));
    let can_name = actor.is_some_and(|x| policy::name_alliance(x, &a.alliance).is_ok());
    let led = match actor {
        Some(_) => led_studios(&state, &ctx).await?,
        None => Vec::new(),
    };
    let (leavable, joinable): (Vec<_>, Vec<_>) =
        led.into_iter().partition(|(s, _)| members.contains(s));
    let leavable = leavable
        .into_iter()
        .filter(|(s, _)| *s != a.alliance.lead_studio_id)
        .collect();
    let invitable = if is_lead {
        let filter = studios::Filter {
            online: Some(true),
            ..Default::default()
        };
        studios::list(pool, &filter, None, 200)
            .await
            .map_err(|e| err(e.into()))?
            .into_iter()
            .filter(|s| !members.contains(&s.id))
            .map(|s| (s.id, s.name))
            .collect()
    } else {
        Vec::new()
    };
    let scope = events::EventQuery {
        studio_id: None,
        alliance_id: Some(id),
    };
    let page = Show {
        t: ctx.t,
        nav: ctx.nav(),
        challenges: svc::board(&state.db, actor, id).await.map_err(err)?,
        outcomes: svc::outcomes(&state.db, id).await.map_err(err)?,
        events: events::upcoming(&state.db, &scope).await.map_err(err)?,
        courses: courses::list(
            &state.db,
            &courses::CourseQuery {
                studio_id: None,
                alliance_id: Some(id),
            },
        )
        .await
        .map_err(err)?,
        mentorships: mentorships::list(pool, None, Some(id), 20)
            .await
            .map_err(|e| err(e.into()))?,
        talent: mentorships::record(pool, None, Some(id))
            .await
            .map_err(|e| err(e.into()))?,
        a,
        is_lead,
        is_member,
        can_name,
        joinable,
        leavable,
        invitable,
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
    Ok(see_other(&format!("/alliances/{id}#requests")))
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
    Ok(see_other(&format!("/alliances/{id}")))
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
    Ok(see_other(&format!("/alliances/{id}")))
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
    Ok(see_other(&format!("/alliances/{id}")))
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
        "name" => AllianceAction::Name,
        // Dissolving is not undone: the form asks for a tick first.
        "dissolve" if f.confirm.as_deref() == Some("yes") => AllianceAction::Dissolve,
        "dissolve" => {
            let e = AppError::invalid_field("confirm", "请勾选确认 / tick to confirm");
            return Err(e.into());
        }
        _ => return Err(PageError(AppError::not_found())),
    };
    membership::settle(&state.db, actor, id, action).await?;
    Ok(see_other(&format!("/alliances/{id}")))
}
