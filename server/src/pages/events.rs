//! Event pages (线下活动): the calendar, scheduling, an event with registration, the door code
//! with its QR code for the host, and check-in on a phone.

use super::Done;
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::i18n::Tr;
use super::{
    Ctx, FormErrors, Nav, PageError, PageForm, PagePath, Shown, next_page, number, problem_fields,
    refused, render, see_other,
};
use crate::error::AppError;
use crate::files;
use crate::state::AppState;

use crate::domain::event::RegistrationStatus;
use crate::service::events::{self as svc, EventDetail, EventInput, EventQuery, SummaryInput};
use crate::store::events::Event;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/events", get(index).post(create))
        .route("/events/new", get(new_page))
        .route("/events/{id}", get(show))
        .route("/events/{id}/summary", post(summarise))
        .route("/events/{id}/call-off", post(call_off))
        .route("/events/{id}/change", post(change))
        .route(
            "/events/{id}/photos",
            post(add_photo).layer(DefaultBodyLimit::max(files::MAX_PHOTO_BYTES + 64 * 1024)),
        )
        .route("/uploads/events/{id}/{name}", get(photo))
}

#[derive(Template)]
#[template(path = "events/index.html")]
struct Index {
    t: Tr,
    nav: Nav,
    events: Vec<Event>,
    next_href: Option<String>,
}

async fn index(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<EventQuery>,
) -> Result<Response, PageError> {
    let page = svc::upcoming(&state.db, &q).await?;
    let host = [
        ("studio_id", q.studio_id.map(|s| s.to_string())),
        ("alliance_id", q.alliance_id.map(|a| a.to_string())),
        ("org_id", q.org_id.map(|o| o.to_string())),
    ];
    let page = Index {
        t: ctx.t,
        nav: ctx.nav(),
        next_href: next_page("/events", &host, page.next_cursor.as_ref()),
        events: page.items,
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Debug, Default, Deserialize)]
struct EventForm {
    #[serde(default)]
    studio_id: String,
    #[serde(default)]
    alliance_id: String,
    #[serde(default)]
    org_id: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    starts_at: String,
    #[serde(default)]
    ends_at: String,
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    audience: String,
    /// "on" when the host keeps a waiting list.
    #[serde(default)]
    waitlist: String,
}

#[derive(Template)]
#[template(path = "events/form.html")]
struct FormPage {
    t: Tr,
    nav: Nav,
    f: EventForm,
    errors: FormErrors,
}

async fn new_page(ctx: Ctx, Query(q): Query<EventQuery>) -> Result<Response, PageError> {
    ctx.require()?;
    let f = EventForm {
        studio_id: q.studio_id.map(|s| s.to_string()).unwrap_or_default(),
        alliance_id: q.alliance_id.map(|s| s.to_string()).unwrap_or_default(),
        org_id: q.org_id.map(|s| s.to_string()).unwrap_or_default(),
        kind: "lecture".into(),
        capacity: "50".into(),
        audience: "public".into(),
        ..EventForm::default()
    };
    let page = FormPage {
        t: ctx.t,
        nav: ctx.nav(),
        f,
        errors: FormErrors::default(),
    };
    Ok(render(StatusCode::OK, &page))
}

async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    PageForm(f): PageForm<EventForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let result = async {
        let input = EventInput {
            studio_id: number("studio_id", &f.studio_id)?,
            alliance_id: number("alliance_id", &f.alliance_id)?,
            org_id: number("org_id", &f.org_id)?,
            kind: f.kind.clone(),
            title: f.title.clone(),
            description: f.description.clone(),
            location: f.location.clone(),
            starts_at: f.starts_at.clone(),
            ends_at: f.ends_at.clone(),
            capacity: number("capacity", &f.capacity)?.unwrap_or_default(),
            audience: Some(f.audience.clone()).filter(|a| !a.is_empty()),
            waitlist: !f.waitlist.is_empty(),
        };
        svc::create(&state.db, actor, input).await
    }
    .await;
    match result {
        Ok(c) => Ok(see_other(&format!("/events/{}?done=created", c.id))),
        Err(e) => {
            let e = refused(e, Shown::NotForbidden)?;
            let page = FormPage {
                t: ctx.t,
                nav: ctx.nav(),
                errors: FormErrors(problem_fields(&e)),
                f,
            };
            Ok(render(e.status(), &page))
        }
    }
}

#[derive(Template)]
#[template(path = "events/show.html")]
struct Show {
    t: Tr,
    nav: Nav,
    e: EventDetail,
    signed_in: bool,
    errors: FormErrors,
    /// What the last button did (a flash), by its code.
    done: Option<String>,
}

/// The messages the event page knows; any other `done` is ignored.
const DONE: [&str; 8] = [
    "created",
    "registered",
    "waitlisted",
    "unregistered",
    "changed",
    "called_off",
    "summarised",
    "photo",
];

impl Show {
    fn kind(&self) -> String {
        self.t
            .s(&format!("act.kind.{}", self.e.event.kind))
            .to_owned()
    }

    fn places_left(&self) -> i64 {
        (self.e.event.capacity - self.e.event.registered).max(0)
    }

    /// An instant as the time fields of the host's form show it.
    fn local(&self, ms: &i64) -> String {
        crate::domain::event::china_local(*ms)
    }
}

pub(super) async fn show_with(
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
    let e = svc::detail(&state.db, ctx.actor.as_ref(), id).await?;
    let page = Show {
        t: ctx.t,
        nav: ctx.nav(),
        e,
        signed_in: ctx.actor.is_some(),
        errors,
        done,
    };
    Ok(render(status, &page))
}

async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    Query(d): Query<Done>,
) -> Result<Response, PageError> {
    let done = d.known(&DONE);
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

/// After a button: back to the page, or the page again with the problem shown.
pub(super) async fn after(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    result: Result<&str, AppError>,
) -> Result<Response, PageError> {
    match result {
        Ok(done) => Ok(see_other(&format!("/events/{id}?done={done}"))),
        Err(e) => {
            let e = refused(e, Shown::Refusals)?;
            let errors = FormErrors(problem_fields(&e));
            show_with(state, ctx, id, errors, e.status()).await
        }
    }
}

#[derive(Deserialize)]
struct ChangeForm {
    #[serde(default)]
    location: String,
    #[serde(default)]
    starts_at: String,
    #[serde(default)]
    ends_at: String,
    #[serde(default)]
    capacity: String,
}

/// The host moves the event (time, place) or changes its capacity.
async fn change(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<ChangeForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let result = async {
        let capacity = f.capacity.trim().parse::<i64>().map_err(|_| {
            AppError::invalid_field("capacity", "名额应为整数 / capacity must be a whole number")
        })?;
        let patch = svc::EventPatch {
            location: Some(f.location),
            starts_at: Some(f.starts_at),
            ends_at: Some(f.ends_at),
            capacity: Some(capacity),
            ..svc::EventPatch::default()
        };
        svc::update(&state.db, actor, id, patch)
            .await
            .map(|_| "changed")
    }
    .await;
    after(&state, &ctx, id, result).await
}

#[derive(Deserialize)]
struct CallOffForm {
    #[serde(default)]
    reason: String,
}

/// The host cancels the event (the registrant's own "cancel" is `/events/{id}/cancel`).
async fn call_off(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<CallOffForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let input = svc::CancelInput { reason: f.reason };
    let result = svc::cancel(&state.db, actor, id, input)
        .await
        .map(|()| "called_off");
    after(&state, &ctx, id, result).await
}

#[derive(Deserialize)]
struct SummaryForm {
    #[serde(default)]
    summary: String,
}

async fn summarise(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<SummaryForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let input = SummaryInput { summary: f.summary };
    let result = svc::summarise(&state.db, actor, id, input)
        .await
        .map(|()| "summarised");
    after(&state, &ctx, id, result).await
}

/// The host's photo upload (a multipart form with one `photo` file).
async fn add_photo(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    mut form: Multipart,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let mut bytes = None;
    loop {
        match form.next_field().await {
            Ok(Some(field)) if field.name() == Some("photo") => {
                let data = field.bytes().await.map_err(|e| match e.status() {
                    StatusCode::PAYLOAD_TOO_LARGE => PageError(AppError::too_large()),
                    _ => PageError(AppError::bad_request("bad_form", e.body_text())),
                })?;
                bytes = Some(data);
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(PageError(AppError::too_large()));
            }
            Err(e) => return Err(PageError(AppError::bad_request("bad_form", e.body_text()))),
        }
    }
    let bytes = bytes.unwrap_or_default();
    let result = svc::add_photo(&state.db, &state.config.data_dir, actor, id, &bytes)
        .await
        .map(|_| "photo");
    after(&state, &ctx, id, result).await
}

/// A stored event photo, by the name the upload gave it.
async fn photo(
    State(state): State<AppState>,
    PagePath((id, name)): PagePath<(i64, String)>,
) -> Result<Response, PageError> {
    let not_found = || PageError(AppError::not_found());
    let path = files::event_photo_path(&state.config.data_dir, id, &name).ok_or_else(not_found)?;
    let bytes = tokio::fs::read(path).await.map_err(|_| not_found())?;
    let headers = [
        (header::CONTENT_TYPE, files::mime_of(&name)),
        (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
    ];
    Ok((headers, bytes).into_response())
}
