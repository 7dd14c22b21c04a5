//! Union tree pages: the roots, an org with its onboarding dashboard, and staff forms.

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
    Ctx, FormErrors, Nav, PageError, PageForm, PagePath, Shown, number, refused, render, see_other,
};
use crate::domain::onboarding::OrgProgress;
use crate::error::AppError;
use crate::state::AppState;

use crate::service::orgs::{self as svc, Deadlines, NewOrg, OrgDetail, StaffGrant};
use crate::service::supervision::{self, OfflineStudio};
use crate::store::orgs::Org;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orgs", get(index).post(create_root))
        .route("/orgs/{id}", get(show))
        .route("/orgs/{id}/children", post(create_child))
        .route("/orgs/{id}/deadlines", post(set_deadlines))
        .route("/orgs/{id}/staff", post(grant_staff))
}

#[derive(Template)]
#[template(path = "orgs/index.html")]
struct Index {
    t: Tr,
    nav: Nav,
    roots: Vec<Org>,
    is_admin: bool,
    errors: FormErrors,
}

async fn index(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    index_with(&state, &ctx, FormErrors::default(), StatusCode::OK).await
}

async fn index_with(
    state: &AppState,
    ctx: &Ctx,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let roots = svc::roots(&state.db).await?;
    Ok(render(
        status,
        &Index {
            t: ctx.t,
            nav: ctx.nav(),
            roots,
            is_admin: ctx.actor.as_ref().is_some_and(|a| a.user.is_admin),
            errors,
        },
    ))
}

#[derive(Deserialize)]
struct OrgForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    level: String,
}

async fn create_root(
    State(state): State<AppState>,
    ctx: Ctx,
    PageForm(f): PageForm<OrgForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let input = NewOrg {
        name: f.name,
        level: f.level,
        parent_id: None,
    };
    match svc::create(&state.db, actor, input).await {
        Ok(org) => Ok(see_other(&format!("/orgs/{}?done=created", org.id))),
        Err(e) => {
            let e = refused(e, Shown::Invalid)?;
            index_with(
                &state,
                &ctx,
                FormErrors(e.field_errors().to_vec()),
                e.status(),
            )
            .await
        }
    }
}

#[derive(Template)]
#[template(path = "orgs/show.html")]
struct Show {
    t: Tr,
    nav: Nav,
    d: OrgDetail,
    progress: Option<Vec<OrgProgress>>,
    /// The subtree's studios still offline, for staff (上线进网督导).
    offline: Option<Vec<OfflineStudio>>,
    today: String,
    staff: Vec<(i64, String, String)>,
    errors: FormErrors,
    /// What the last form did (a flash).
    done: Option<String>,
}

/// The messages the org page knows after a form; any other `done` is ignored.
const DONE: [&str; 4] = ["created", "child", "deadlines", "staff"];

async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    Query(q): Query<Done>,
) -> Result<Response, PageError> {
    let done = q.known(&DONE);
    page(
        &state,
        &ctx,
        id,
        FormErrors::default(),
        done,
        StatusCode::OK,
    )
    .await
}

async fn show_with(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    page(state, ctx, id, errors, None, status).await
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    errors: FormErrors,
    done: Option<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let d = svc::detail(&state.db, ctx.actor.as_ref(), id).await?;
    let (progress, offline, staff) = match &ctx.actor {
        Some(actor) if d.viewer.may_manage => (
            Some(svc::onboarding(&state.db, actor, id).await?),
            Some(supervision::offline(&state.db, actor, id).await?),
            svc::staff_of(&state.db, id).await?,
        ),
        _ => (None, None, Vec::new()),
    };
    Ok(render(
        status,
        &Show {
            t: ctx.t,
            nav: ctx.nav(),
            d,
            progress,
            offline,
            today: svc::china_today().to_string(),
            staff,
            errors,
            done,
        },
    ))
}

/// After a form on the org page: back to it, or the page again with the errors.
async fn after(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    result: Result<(), AppError>,
    (done, anchor): (&str, &str),
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(see_other(&format!("/orgs/{id}?done={done}{anchor}"))),
        Err(e) => {
            let e = refused(e, Shown::Invalid)?;
            show_with(
                state,
                ctx,
                id,
                FormErrors(e.field_errors().to_vec()),
                e.status(),
            )
            .await
        }
    }
}

async fn create_child(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<OrgForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let input = NewOrg {
        name: f.name,
        level: f.level,
        parent_id: Some(id),
    };
    let result = svc::create(&state.db, actor, input).await.map(|_| ());
    after(&state, &ctx, id, result, ("child", "#add-child")).await
}

#[derive(Deserialize)]
struct DeadlineForm {
    deadline_demo: Option<String>,
    deadline_all: Option<String>,
    #[serde(default)]
    remind_days: String,
}

async fn set_deadlines(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<DeadlineForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let result = match number("remind_days", &f.remind_days) {
        Ok(remind_days) => {
            let input = Deadlines {
                deadline_demo: f.deadline_demo,
                deadline_all: f.deadline_all,
                remind_days,
            };
            svc::set_deadlines(&state.db, actor, id, input)
                .await
                .map(|_| ())
        }
        Err(e) => Err(e),
    };
    after(&state, &ctx, id, result, ("deadlines", "#onboarding")).await
}

#[derive(Deserialize)]
struct StaffForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    field: String,
}

async fn grant_staff(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<StaffForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    // The person as typed: a name, a username or a phone.
    let result =
        match crate::service::people::resolve(&state.db, actor, "username", &f.username).await {
            Ok(person) => {
                let input = StaffGrant {
                    user_id: Some(person.id),
                    username: None,
                    role: Some(f.role).filter(|r| !r.is_empty()),
                    field: Some(f.field),
                };
                svc::grant_staff(&state.db, actor, id, input).await
            }
            Err(e) => Err(e),
        };
    after(&state, &ctx, id, result, ("staff", "")).await
}
