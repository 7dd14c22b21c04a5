//! Offline events (线下活动): scheduling, registration, door code and check-in, summary.

use axum::body::Bytes;
use axum::extract::DefaultBodyLimit;
use axum::extract::rejection::BytesRejection;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router, extract::State};

use crate::api::wire::events::{Event, EventDetail};
use crate::api::wire::page;
use crate::auth::Actor;
use crate::error::{AppError, AppResult, Problem};
use crate::files;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::service::Page;
use crate::service::event_attendance::{self as attendance, CheckinInput, DoorCode, Registration};
use crate::service::events::{
    self as svc, CancelInput, Created, EventInput, EventPatch, EventQuery, SummaryInput,
};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/events", post(create).get(list))
        .route("/api/v1/events/{id}", get(show).patch(update))
        .route(
            "/api/v1/events/{id}/registrations",
            post(register).delete(cancel),
        )
        .route("/api/v1/events/{id}/checkin-code", post(door_code))
        .route("/api/v1/events/{id}/checkins", post(check_in))
        .route("/api/v1/events/{id}/summary", post(summarise))
        .route("/api/v1/events/{id}/cancel", post(cancel_event))
        .route(
            "/api/v1/events/{id}/photos",
            post(add_photo).layer(DefaultBodyLimit::max(files::MAX_PHOTO_BYTES + 1024)),
        )
}

/// Schedules an event (leader of the host studio, or the alliance's lead).
#[utoipa::path(post, path = "/api/v1/events", tag = "events", request_body = EventInput,
    responses((status = 201, body = Created), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<EventInput>,
) -> AppResult<(StatusCode, Json<Created>)> {
    Ok((
        StatusCode::CREATED,
        Json(svc::create(&state.db, &actor, input).await?),
    ))
}

/// Events not yet over, soonest first.
#[utoipa::path(get, path = "/api/v1/events", tag = "events", params(EventQuery),
    responses((status = 200, body = Page<Event>), (status = 422, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<EventQuery>,
) -> AppResult<Json<Page<Event>>> {
    Ok(Json(page(svc::upcoming(&state.db, &q).await?)))
}

/// An event with the reader's registration (and, for the host, the attendees).
#[utoipa::path(get, path = "/api/v1/events/{id}", tag = "events", params(("id" = i64, Path)),
    responses((status = 200, body = EventDetail), (status = 404, body = Problem)))]
pub async fn show(
    State(state): State<AppState>,
    actor: Option<Actor>,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<EventDetail>> {
    Ok(Json(
        svc::detail(&state.db, actor.as_ref(), id).await?.into(),
    ))
}

/// Registers. Past capacity: 201 with `status: "waitlisted"` and the place in line when the
/// host keeps a waiting list, else 409 `full`; 409 when already registered or waiting.
#[utoipa::path(post, path = "/api/v1/events/{id}/registrations", tag = "events", params(("id" = i64, Path)),
    responses((status = 201, body = Registration), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn register(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<(StatusCode, Json<Registration>)> {
    Ok((
        StatusCode::CREATED,
        Json(attendance::register(&state.db, &actor, id).await?),
    ))
}

/// Cancels the reader's registration.
#[utoipa::path(delete, path = "/api/v1/events/{id}/registrations", tag = "events", params(("id" = i64, Path)),
    responses((status = 204), (status = 409, body = Problem)))]
pub async fn cancel(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<StatusCode> {
    attendance::cancel(&state.db, &actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The short-lived code the host shows at the door (and the link its QR code holds).
#[utoipa::path(post, path = "/api/v1/events/{id}/checkin-code", tag = "events", params(("id" = i64, Path)),
    responses((status = 200, body = DoorCode), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn door_code(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<DoorCode>> {
    Ok(Json(
        attendance::door_code(&state.db, state.config.site_origin.as_deref(), &actor, id).await?,
    ))
}

/// Checks in with the door code: 422 for a wrong or expired code.
#[utoipa::path(post, path = "/api/v1/events/{id}/checkins", tag = "events", request_body = CheckinInput,
    params(("id" = i64, Path)),
    responses((status = 201, body = Created), (status = 409, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn check_in(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<CheckinInput>,
) -> AppResult<(StatusCode, Json<Created>)> {
    Ok((
        StatusCode::CREATED,
        Json(attendance::check_in(&state.db, &actor, id, input).await?),
    ))
}

/// The host changes an event that stands and has not ended (only the fields given). A new time
/// or place is told to every registrant; the capacity cannot go below the places taken.
#[utoipa::path(patch, path = "/api/v1/events/{id}", tag = "events", request_body = EventPatch,
    params(("id" = i64, Path)),
    responses((status = 200, body = Event), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(patch): ApiJson<EventPatch>,
) -> AppResult<Json<Event>> {
    Ok(Json(
        svc::update(&state.db, &actor, id, patch).await?.into(),
    ))
}

/// The host cancels an event that has not ended, with a reason every registrant is told;
/// registration and check-in close (409 `cancelled`). 409 `cancelled` again, `ended` once over.
#[utoipa::path(post, path = "/api/v1/events/{id}/cancel", tag = "events", request_body = CancelInput,
    params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn cancel_event(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<CancelInput>,
) -> AppResult<StatusCode> {
    svc::cancel(&state.db, &actor, id, input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The host's summary, once the event has begun.
#[utoipa::path(post, path = "/api/v1/events/{id}/summary", tag = "events", request_body = SummaryInput,
    params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn summarise(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<SummaryInput>,
) -> AppResult<StatusCode> {
    svc::summarise(&state.db, &actor, id, input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Adds a photo (the request body: a JPEG, PNG or WebP image of at most 5 MiB) to the record of
/// an event that has begun (its host).
#[utoipa::path(post, path = "/api/v1/events/{id}/photos", tag = "events", params(("id" = i64, Path)),
    request_body(content = Vec<u8>, content_type = "image/jpeg"),
    responses((status = 201, body = Created), (status = 403, body = Problem), (status = 409, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn add_photo(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    body: Result<Bytes, BytesRejection>,
) -> AppResult<(StatusCode, Json<Created>)> {
    let body = body.map_err(|r| match r.status() {
        StatusCode::PAYLOAD_TOO_LARGE => AppError::too_large(),
        _ => AppError::bad_request("bad_body", r.body_text()),
    })?;
    Ok((
        StatusCode::CREATED,
        Json(svc::add_photo(&state.db, &state.config.data_dir, &actor, id, &body).await?),
    ))
}
