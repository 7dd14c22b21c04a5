//! Registration and the door (线下活动签到): registering and cancelling, the host's door code
//! with its QR code, and check-in on the attendee's phone.

use crate::domain::event::RegistrationStatus;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use super::events::after;
use super::i18n::Tr;
use super::{
    Ctx, FormErrors, Nav, PageError, PageForm, PagePath, Shown, problem_fields, refused, render,
    see_other,
};
use crate::error::AppError;
use crate::state::AppState;

use crate::service::event_attendance::{self as attendance, CheckinInput, DoorCode};
use crate::service::events as svc;
use crate::store::events::Event;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/events/{id}/register", post(register))
        .route("/events/{id}/cancel", post(cancel))
        .route("/events/{id}/door", post(door))
        .route("/events/{id}/checkin", get(checkin_page).post(check_in))
}

async fn register(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let result = attendance::register(&state.db, actor, id)
        .await
        .map(|r| match r.status {
            RegistrationStatus::Waitlisted => "waitlisted",
            _ => "registered",
        });
    after(&state, &ctx, id, result).await
}

async fn cancel(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let result = attendance::cancel(&state.db, actor, id)
        .await
        .map(|()| "unregistered");
    after(&state, &ctx, id, result).await
}

#[derive(Template)]
#[template(path = "events/door.html")]
struct Door {
    t: Tr,
    nav: Nav,
    id: i64,
    title: String,
    code: DoorCode,
    /// The QR code of the check-in link, as an SVG element.
    qr_svg: String,
}

/// An SVG QR code of `text`, ready to inline (no XML declaration, no styles or scripts).
fn qr_svg(text: &str) -> Result<String, AppError> {
    let code = qrcode::QrCode::new(text.as_bytes())
        .map_err(|e| AppError::Internal(anyhow::anyhow!("qr code: {e}")))?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build();
    Ok(match svg.find("<svg") {
        Some(i) => svg[i..].to_owned(),
        None => svg,
    })
}

/// Shows the door code for the host, with a QR code of the check-in link.
async fn door(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let code = match attendance::door_code(
        &state.db,
        state.config.site_origin.as_deref(),
        actor,
        id,
    )
    .await
    {
        Ok(code) => code,
        Err(e) => return after(&state, &ctx, id, Err(e)).await,
    };
    let event = svc::get(&state.db, id).await?;
    // Without a configured site URL, the link is made absolute from the address in use.
    let link = if code.checkin_url.starts_with('/') {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("127.0.0.1:8080");
        format!("http://{host}{}", code.checkin_url)
    } else {
        code.checkin_url.clone()
    };
    let page = Door {
        t: ctx.t,
        nav: ctx.nav(),
        id,
        title: event.title,
        qr_svg: qr_svg(&link)?,
        code,
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Deserialize)]
struct CodeQuery {
    code: Option<String>,
}

#[derive(Template)]
#[template(path = "events/checkin.html")]
struct Checkin {
    t: Tr,
    nav: Nav,
    e: Event,
    code: String,
    errors: FormErrors,
}

async fn checkin_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    Query(q): Query<CodeQuery>,
) -> Result<Response, PageError> {
    ctx.require()?;
    let e = svc::get(&state.db, id).await?;
    let code: String = q.code.unwrap_or_default().chars().take(12).collect();
    let page = Checkin {
        t: ctx.t,
        nav: ctx.nav(),
        e,
        code,
        errors: FormErrors::default(),
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Deserialize)]
struct CodeForm {
    #[serde(default)]
    code: String,
}

async fn check_in(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<CodeForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let input = CheckinInput {
        code: f.code.clone(),
    };
    match attendance::check_in(&state.db, actor, id, input).await {
        Ok(_) => Ok(see_other(&format!("/events/{id}#checked-in"))),
        Err(e) => {
            let e = refused(e, Shown::Refusals)?;
            let event = svc::get(&state.db, id).await?;
            let page = Checkin {
                t: ctx.t,
                nav: ctx.nav(),
                e: event,
                code: f.code.chars().take(12).collect(),
                errors: FormErrors(problem_fields(&e)),
            };
            Ok(render(e.status(), &page))
        }
    }
}
