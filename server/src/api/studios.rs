//! Studios: the application form, members, onboarding (上线进网) and the directory.

use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router, extract::State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::wire::invitations::Invitation;
use crate::api::wire::studios::{Member, Studio, StudioMetrics};
use crate::api::wire::{all, page};
use crate::auth::Actor;
use crate::error::{AppResult, Problem};
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::service::Page;
use crate::service::delisting::{self, DelistInput, Delisted};
use crate::service::directory::{self, ListQuery};
use crate::service::invitations;
use crate::service::metrics;
use crate::service::studios::{self, HandOver, NewMember, Onboarded, StudioInput, StudioViewer};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/studios", post(create).get(list))
        .route("/api/v1/studios/{id}", get(show).patch(update))
        .route(
            "/api/v1/studios/{id}/members",
            post(add_member).get(members),
        )
        .route("/api/v1/studios/{id}/onboard", post(onboard))
        .route("/api/v1/studios/{id}/metrics", get(metrics))
        .route("/api/v1/studios/{id}/delist", post(delist))
        .route("/api/v1/studios/{id}/leader", post(hand_over))
        .route(
            "/api/v1/studios/{id}/members/{user_id}",
            axum::routing::delete(remove_member),
        )
}

/// Registers a studio in `draft`; the caller becomes its leader.
#[utoipa::path(post, path = "/api/v1/studios", tag = "studios", request_body = StudioInput,
    responses((status = 201, body = Studio), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<StudioInput>,
) -> AppResult<(StatusCode, Json<Studio>)> {
    let studio = studios::create(&state.db, &actor, input).await?;
    Ok((StatusCode::CREATED, Json(studio.into())))
}

/// The studio directory: online studios (and one's own drafts), filtered.
#[utoipa::path(get, path = "/api/v1/studios", tag = "studios", params(ListQuery),
    responses((status = 200, body = Page<Studio>), (status = 422, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Option<Actor>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> AppResult<Json<Page<Studio>>> {
    Ok(Json(page(
        directory::list(&state.db, actor.as_ref(), &q).await?,
    )))
}

/// A studio with its members.
#[derive(Debug, Serialize, ToSchema)]
pub struct StudioDetail {
    #[serde(flatten)]
    pub studio: Studio,
    pub members: Vec<Member>,
    /// Fields still empty that going online needs.
    pub missing_for_onboarding: Vec<&'static str>,
    pub viewer: StudioViewer,
}

#[utoipa::path(get, path = "/api/v1/studios/{id}", tag = "studios", params(("id" = i64, Path)),
    responses((status = 200, body = StudioDetail), (status = 404, body = Problem)))]
pub async fn show(
    State(state): State<AppState>,
    actor: Option<Actor>,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<StudioDetail>> {
    let (studio, members) = studios::get_with_members(&state.db, actor.as_ref(), id).await?;
    let missing_for_onboarding = studios::missing_fields(&studio);
    let viewer = studios::viewer(actor.as_ref(), &studio);
    Ok(Json(StudioDetail {
        studio: studio.into(),
        members: all(members),
        missing_for_onboarding,
        viewer,
    }))
}

/// Changes profile fields (leader only).
#[utoipa::path(patch, path = "/api/v1/studios/{id}", tag = "studios", request_body = StudioInput,
    params(("id" = i64, Path)),
    responses((status = 200, body = Studio), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<StudioInput>,
) -> AppResult<Json<Studio>> {
    Ok(Json(
        studios::update(&state.db, &actor, id, input).await?.into(),
    ))
}

/// Invites a person to become a member or apprentice (leader only). They join when they
/// accept (`POST /api/v1/invitations/{id}/accept`); until then they are not one of the
/// studio's people. 409 `already_member` or `already_invited`.
#[utoipa::path(post, path = "/api/v1/studios/{id}/members", tag = "studios", request_body = NewMember,
    params(("id" = i64, Path)),
    responses((status = 201, body = Invitation), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_member(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<NewMember>,
) -> AppResult<(StatusCode, Json<Invitation>)> {
    let invitation = invitations::invite(&state.db, &actor, id, input).await?;
    Ok((StatusCode::CREATED, Json(invitation.into())))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MemberList {
    pub items: Vec<Member>,
}

#[utoipa::path(get, path = "/api/v1/studios/{id}/members", tag = "studios", params(("id" = i64, Path)),
    responses((status = 200, body = MemberList), (status = 404, body = Problem)))]
pub async fn members(
    State(state): State<AppState>,
    actor: Option<Actor>,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<MemberList>> {
    studios::get(&state.db, actor.as_ref(), id).await?;
    Ok(Json(MemberList {
        items: all(studios::members(&state.db, id).await?),
    }))
}

/// Takes the studio online (上线进网) once its profile is complete.
#[utoipa::path(post, path = "/api/v1/studios/{id}/onboard", tag = "studios", params(("id" = i64, Path)),
    responses((status = 200, body = Onboarded), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn onboard(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Onboarded>> {
    Ok(Json(studios::onboard(&state.db, &actor, id).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct MetricsQuery {
    /// The calendar year (China time); this year when left out.
    pub year: Option<i32>,
}

/// A studio's figures for a year, counted from what it did on the platform (the facts behind
/// its self-evaluation and assessment).
#[utoipa::path(get, path = "/api/v1/studios/{id}/metrics", tag = "studios", params(("id" = i64, Path), MetricsQuery),
    responses((status = 200, body = StudioMetrics), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn metrics(
    State(state): State<AppState>,
    actor: Option<Actor>,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<MetricsQuery>,
) -> AppResult<Json<StudioMetrics>> {
    let figures = metrics::of_studio(&state.db, actor.as_ref(), id, q.year).await?;
    Ok(Json(figures.into()))
}

/// Delists a named studio (摘牌) for one of the cases of Jieyang art. 8, with a note: the staff
/// of the union that named it. The studio keeps its account, people and history.
#[utoipa::path(post, path = "/api/v1/studios/{id}/delist", tag = "studios", request_body = DelistInput,
    params(("id" = i64, Path)),
    responses((status = 200, body = Delisted), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn delist(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<DelistInput>,
) -> AppResult<Json<Delisted>> {
    Ok(Json(delisting::delist(&state.db, &actor, id, input).await?))
}

/// The leader hands the studio over to one of its people; the old leader stays as a member.
/// A named studio (or one applying for a name) changes its leader through an approved change:
/// 409 `change_needs_approval`.
#[utoipa::path(post, path = "/api/v1/studios/{id}/leader", tag = "studios", request_body = HandOver,
    params(("id" = i64, Path)),
    responses((status = 200, body = Studio), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn hand_over(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<HandOver>,
) -> AppResult<Json<Studio>> {
    Ok(Json(
        studios::hand_over(&state.db, &actor, id, input)
            .await?
            .into(),
    ))
}

/// The leader takes a member or apprentice off the studio, or a member or apprentice leaves it
/// (the leader cannot: 409 `leader_stays`). The audit log keeps who was there.
#[utoipa::path(delete, path = "/api/v1/studios/{id}/members/{user_id}", tag = "studios",
    params(("id" = i64, Path), ("user_id" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn remove_member(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath((id, user_id)): ApiPath<(i64, i64)>,
) -> AppResult<StatusCode> {
    studios::remove_member(&state.db, &actor, id, user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
