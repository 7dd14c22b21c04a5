//! Mentorships (师带徒): recording, the session log, completion, the talent record.

use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router, extract::State};
use serde::Deserialize;

use crate::api::wire::mentorships::{Mentorship, MentorshipDetail, TalentRecord};
use crate::auth::Actor;
use crate::error::{AppError, AppResult, Problem};
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::service::mentorships::{
    self as svc, CompleteInput, Created, EndInput, LogInput, MentorshipAnswer, MentorshipInput,
};
use crate::service::{Page, Paging};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/mentorships", post(create).get(list))
        .route("/api/v1/mentorships/{id}", get(show))
        .route("/api/v1/mentorships/{id}/logs", post(log))
        .route("/api/v1/mentorships/{id}/complete", post(complete))
        .route("/api/v1/mentorships/{id}/end", post(end))
        .route("/api/v1/talent", get(talent))
}

/// Records a mentorship (the studio's leader, or a member for their own apprentice).
#[utoipa::path(post, path = "/api/v1/mentorships", tag = "mentorships", request_body = MentorshipInput,
    responses((status = 201, body = MentorshipAnswer), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<MentorshipInput>,
) -> AppResult<(StatusCode, Json<MentorshipAnswer>)> {
    Ok((
        StatusCode::CREATED,
        Json(svc::create(&state.db, &actor, input).await?),
    ))
}

/// Whose record: a studio, or every member studio of an alliance.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct Scope {
    pub studio_id: Option<i64>,
    pub alliance_id: Option<i64>,
}

impl Scope {
    fn check(&self) -> AppResult<()> {
        match (self.studio_id, self.alliance_id) {
            (Some(_), None) | (None, Some(_)) => Ok(()),
            _ => Err(AppError::invalid_field(
                "studio_id",
                "须给出 studio_id 或 alliance_id 之一 / give studio_id or alliance_id",
            )),
        }
    }
}

/// Mentorships of a studio or an alliance, newest first.
#[utoipa::path(get, path = "/api/v1/mentorships", tag = "mentorships", params(Scope, Paging),
    responses((status = 200, body = Page<Mentorship>), (status = 422, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<Scope>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> AppResult<Json<Page<Mentorship>>> {
    q.check()?;
    let page = svc::list(&state.db, q.studio_id, q.alliance_id, &paging).await?;
    Ok(Json(crate::api::wire::page(page)))
}

/// The talent-cultivation record (人才培养数据库) of a studio or an alliance.
#[utoipa::path(get, path = "/api/v1/talent", tag = "mentorships", params(Scope),
    responses((status = 200, body = TalentRecord), (status = 422, body = Problem)))]
pub async fn talent(
    State(state): State<AppState>,
    actor: Option<Actor>,
    ApiQuery(q): ApiQuery<Scope>,
) -> AppResult<Json<TalentRecord>> {
    q.check()?;
    let record = svc::record(&state.db, actor.as_ref(), q.studio_id, q.alliance_id).await?;
    Ok(Json(record.into()))
}

/// A mentorship with its log and the apprentice's challenge work.
#[utoipa::path(get, path = "/api/v1/mentorships/{id}", tag = "mentorships", params(("id" = i64, Path)),
    responses((status = 200, body = MentorshipDetail), (status = 404, body = Problem)))]
pub async fn show(
    State(state): State<AppState>,
    actor: Option<Actor>,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<MentorshipDetail>> {
    Ok(Json(
        svc::detail(&state.db, actor.as_ref(), id).await?.into(),
    ))
}

/// Logs a session: date, hours (at most 24), content (mentor or apprentice).
#[utoipa::path(post, path = "/api/v1/mentorships/{id}/logs", tag = "mentorships", request_body = LogInput,
    params(("id" = i64, Path)),
    responses((status = 201, body = Created), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn log(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<LogInput>,
) -> AppResult<(StatusCode, Json<Created>)> {
    Ok((
        StatusCode::CREATED,
        Json(svc::log(&state.db, &actor, id, input).await?),
    ))
}

/// Ends an active pairing early with a reason (either of the pair or the studio's leader):
/// 200 `{status: "ended"}`; 409 once it is no longer active.
#[utoipa::path(post, path = "/api/v1/mentorships/{id}/end", tag = "mentorships", request_body = EndInput,
    params(("id" = i64, Path)),
    responses((status = 200, body = MentorshipAnswer), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn end(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<EndInput>,
) -> AppResult<Json<MentorshipAnswer>> {
    Ok(Json(svc::end(&state.db, &actor, id, input).await?))
}

/// Completes with an evaluation and a grade (mentor or studio leader).
#[utoipa::path(post, path = "/api/v1/mentorships/{id}/complete", tag = "mentorships", request_body = CompleteInput,
    params(("id" = i64, Path)),
    responses((status = 200, body = MentorshipAnswer), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn complete(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<CompleteInput>,
) -> AppResult<Json<MentorshipAnswer>> {
    Ok(Json(svc::complete(&state.db, &actor, id, input).await?))
}
