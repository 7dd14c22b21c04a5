//! Outcome pages: the showcase (成果展示), an outcome with its adoptions, and notifications.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use super::i18n::Tr;
use super::{
    Ctx, FormErrors, Nav, PageError, PageForm, PagePath, Shown, next_page, refused, render,
    see_other,
};
use crate::state::AppState;

use crate::service::Page;
use crate::service::notifications;
use crate::service::outcomes::{self as svc, AdoptionInput, OutcomeDetail, ShowcaseQuery};
use crate::store::notifications::Notification;
use crate::store::outcomes::Outcome;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/outcomes", get(showcase))
        .route("/outcomes/{id}", get(show))
        .route("/outcomes/{id}/adoptions", post(adopt))
        .route("/notifications", get(notes))
        .route("/notifications/read", post(read_all))
}

#[derive(Template)]
#[template(path = "outcomes/index.html")]
struct Showcase {
    t: Tr,
    nav: Nav,
    q: ShowcaseQuery,
    page: Page<Outcome>,
    next_href: Option<String>,
}

async fn showcase(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ShowcaseQuery>,
) -> Result<Response, PageError> {
    let page = svc::list(&state.db, &q).await?;
    let filters = [
        ("kind", q.kind.clone()),
        ("industry", q.industry.clone()),
        ("transferable", q.transferable.clone()),
        ("year", q.year.map(|y| y.to_string())),
        ("studio_id", q.studio_id.map(|s| s.to_string())),
    ];
    let next_href = next_page("/outcomes", &filters, page.next_cursor.as_ref());
    Ok(render(
        StatusCode::OK,
        &Showcase {
            t: ctx.t,
            nav: ctx.nav(),
            q,
            page,
            next_href,
        },
    ))
}

#[derive(Template)]
#[template(path = "outcomes/show.html")]
struct Show {
    t: Tr,
    nav: Nav,
    o: OutcomeDetail,
    signed_in: bool,
    errors: FormErrors,
}

async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
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
    let o = svc::detail(&state.db, id).await?;
    Ok(render(
        status,
        &Show {
            t: ctx.t,
            nav: ctx.nav(),
            o,
            signed_in: ctx.actor.is_some(),
            errors,
        },
    ))
}

#[derive(Deserialize)]
struct AdoptionForm {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    effect: String,
}

async fn adopt(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<AdoptionForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    match svc::adopt(
        &state.db,
        actor,
        id,
        AdoptionInput {
            unit: f.unit,
            place: f.place,
            effect: f.effect,
        },
    )
    .await
    {
        Ok(_) => Ok(see_other(&format!("/outcomes/{id}#adoptions"))),
        Err(e) => {
            let e = refused(e, Shown::Invalid)?;
            show_with(
                &state,
                &ctx,
                id,
                FormErrors(e.field_errors().to_vec()),
                e.status(),
            )
            .await
        }
    }
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct Notes {
    t: Tr,
    nav: Nav,
    unread: i64,
    items: Vec<Notification>,
}

async fn notes(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let (unread, items) = notifications::list(&state.db, actor).await?;
    Ok(render(
        StatusCode::OK,
        &Notes {
            t: ctx.t,
            nav: ctx.nav(),
            unread,
            items,
        },
    ))
}

async fn read_all(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    notifications::mark_read(&state.db, actor, None).await?;
    Ok(see_other("/notifications"))
}
