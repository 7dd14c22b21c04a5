//! Courses (在线学习): publishing, enrolling, completing lessons.

use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router, extract::State};

use crate::api::wire::courses::{Course, CourseDetail};
use crate::api::wire::page;
use crate::auth::Actor;
use crate::error::{AppResult, Problem};
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::service::Page;
use crate::service::courses::{
    self as svc, CourseInput, CourseQuery, CourseRecord, Created, Progress,
};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/courses", post(create).get(list))
        .route("/api/v1/courses/{id}", get(show))
        .route("/api/v1/courses/{id}/enrolments", post(enrol))
        .route("/api/v1/courses/{id}/lessons/{n}/complete", post(complete))
        .route("/api/v1/courses/{id}/record", get(record))
}

/// The reader's record of a course (学习记录): each lesson and the day it was done, the study
/// time, and the day the course was finished (then it is a completion record, 结业证明).
/// 409 `not_enrolled` before enrolling.
#[utoipa::path(get, path = "/api/v1/courses/{id}/record", tag = "courses", params(("id" = i64, Path)),
    responses((status = 200, body = CourseRecord), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn record(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<CourseRecord>> {
    Ok(Json(svc::record(&state.db, &actor, id).await?))
}

/// Publishes a course of lessons (leader or member of the studio, or the alliance's lead).
#[utoipa::path(post, path = "/api/v1/courses", tag = "courses", request_body = CourseInput,
    responses((status = 201, body = Created), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<CourseInput>,
) -> AppResult<(StatusCode, Json<Created>)> {
    Ok((
        StatusCode::CREATED,
        Json(svc::create(&state.db, &actor, input).await?),
    ))
}

/// Courses, newest first, of a host or all.
#[utoipa::path(get, path = "/api/v1/courses", tag = "courses", params(CourseQuery),
    responses((status = 200, body = Page<Course>), (status = 422, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<CourseQuery>,
) -> AppResult<Json<Page<Course>>> {
    Ok(Json(page(svc::list(&state.db, &q).await?)))
}

/// A course with its lessons and the reader's progress.
#[utoipa::path(get, path = "/api/v1/courses/{id}", tag = "courses", params(("id" = i64, Path)),
    responses((status = 200, body = CourseDetail), (status = 404, body = Problem)))]
pub async fn show(
    State(state): State<AppState>,
    actor: Option<Actor>,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<CourseDetail>> {
    Ok(Json(
        svc::detail(&state.db, actor.as_ref(), id).await?.into(),
    ))
}

/// Enrols the reader: 409 when already enrolled.
#[utoipa::path(post, path = "/api/v1/courses/{id}/enrolments", tag = "courses", params(("id" = i64, Path)),
    responses((status = 201, body = Created), (status = 409, body = Problem)))]
pub async fn enrol(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<(StatusCode, Json<Created>)> {
    Ok((
        StatusCode::CREATED,
        Json(svc::enrol(&state.db, &actor, id).await?),
    ))
}

/// Marks lesson `n` complete and answers the progress.
#[utoipa::path(post, path = "/api/v1/courses/{id}/lessons/{n}/complete", tag = "courses",
    params(("id" = i64, Path), ("n" = i64, Path)),
    responses((status = 200, body = Progress), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn complete(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath((id, n)): ApiPath<(i64, i64)>,
) -> AppResult<Json<Progress>> {
    Ok(Json(svc::complete_lesson(&state.db, &actor, id, n).await?))
}
