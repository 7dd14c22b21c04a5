//! Outcomes (成果): publishing, changing and removing, the showcase, an outcome, adoptions and
//! transfer enquiries.

use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router, extract::State};

use crate::api::wire::outcomes::{Adoption, Outcome, OutcomeDetail};
use crate::api::wire::page;
use crate::auth::Actor;
use crate::error::{AppResult, Problem};
use crate::http::download;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::service::Page;
use crate::service::adoptions::{self, AdoptionInput};
use crate::service::outcomes::{self, Created, OutcomeChanges, OutcomeInput, ShowcaseQuery};
use crate::service::transfer_enquiries::{self, Enquiry, EnquiryInput};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/outcomes", post(create).get(list))
        .route(
            "/api/v1/outcomes/{id}",
            get(show).patch(update).delete(remove),
        )
        .route("/api/v1/outcomes/{id}/adoptions", post(adopt))
        .route(
            "/api/v1/outcomes/{id}/adoptions/{aid}/confirm",
            post(confirm),
        )
        .route(
            "/api/v1/outcomes/{id}/adoptions/{aid}/decline",
            post(decline),
        )
        .route("/api/v1/outcomes/{id}/enquiries", post(enquire))
        .route("/api/v1/exports/outcomes.xlsx", get(export))
}

/// Publishes an outcome; with `challenge_id`, records an accepted challenge's result (成果转化)
/// credited to the awarded teams' studios, and closes the challenge.
#[utoipa::path(post, path = "/api/v1/outcomes", tag = "outcomes", request_body = OutcomeInput,
    responses((status = 201, body = Created), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<OutcomeInput>,
) -> AppResult<(StatusCode, Json<Created>)> {
    Ok((
        StatusCode::CREATED,
        Json(outcomes::create(&state.db, &actor, input).await?),
    ))
}

/// The showcase (成果展示).
#[utoipa::path(get, path = "/api/v1/outcomes", tag = "outcomes", params(ShowcaseQuery),
    responses((status = 200, body = Page<Outcome>), (status = 422, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ShowcaseQuery>,
) -> AppResult<Json<Page<Outcome>>> {
    Ok(Json(page(outcomes::list(&state.db, &q).await?)))
}

/// An outcome with its contributors, adoptions, files and challenge.
#[utoipa::path(get, path = "/api/v1/outcomes/{id}", tag = "outcomes", params(("id" = i64, Path)),
    responses((status = 200, body = OutcomeDetail), (status = 404, body = Problem)))]
pub async fn show(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<OutcomeDetail>> {
    Ok(Json(outcomes::detail(&state.db, id).await?.into()))
}

/// The studio's people change an outcome (only the fields given); search follows.
#[utoipa::path(patch, path = "/api/v1/outcomes/{id}", tag = "outcomes", request_body = OutcomeChanges,
    params(("id" = i64, Path)),
    responses((status = 200, body = Outcome), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(changes): ApiJson<OutcomeChanges>,
) -> AppResult<Json<Outcome>> {
    Ok(Json(
        outcomes::update(&state.db, &actor, id, changes)
            .await?
            .into(),
    ))
}

/// The studio's leader removes an outcome entered by hand, with its adoptions and files. One
/// from a challenge (409 `from_challenge`) or named by an honour (409 `honoured`) is kept.
#[utoipa::path(delete, path = "/api/v1/outcomes/{id}", tag = "outcomes", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn remove(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<StatusCode> {
    outcomes::remove(&state.db, &state.config.data_dir, &actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Records that a unit applied the outcome (成果推广): a person of that unit or union staff
/// above it. It counts once the outcome's studio confirms it. 409 `already_recorded` while the
/// unit's earlier record waits.
#[utoipa::path(post, path = "/api/v1/outcomes/{id}/adoptions", tag = "outcomes", request_body = AdoptionInput,
    params(("id" = i64, Path)),
    responses((status = 201, body = Created), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn adopt(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<AdoptionInput>,
) -> AppResult<(StatusCode, Json<Created>)> {
    Ok((
        StatusCode::CREATED,
        Json(adoptions::adopt(&state.db, &actor, id, input).await?),
    ))
}

/// The outcome studio's leader confirms a recorded adoption; from then on it counts. 409
/// `answered` when it was answered already.
#[utoipa::path(post, path = "/api/v1/outcomes/{id}/adoptions/{aid}/confirm", tag = "outcomes",
    params(("id" = i64, Path), ("aid" = i64, Path)),
    responses((status = 200, body = Adoption), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn confirm(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath((id, aid)): ApiPath<(i64, i64)>,
) -> AppResult<Json<Adoption>> {
    Ok(Json(
        adoptions::answer(&state.db, &actor, id, aid, true)
            .await?
            .into(),
    ))
}

/// The outcome studio's leader declines a recorded adoption; it never counts.
#[utoipa::path(post, path = "/api/v1/outcomes/{id}/adoptions/{aid}/decline", tag = "outcomes",
    params(("id" = i64, Path), ("aid" = i64, Path)),
    responses((status = 200, body = Adoption), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn decline(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath((id, aid)): ApiPath<(i64, i64)>,
) -> AppResult<Json<Adoption>> {
    Ok(Json(
        adoptions::answer(&state.db, &actor, id, aid, false)
            .await?
            .into(),
    ))
}

/// A transfer enquiry (意向洽谈) on an outcome offered for transfer: opens the direct room with
/// the studio's leader with a first message naming the outcome. 409 `not_transferable`,
/// `own_outcome`.
#[utoipa::path(post, path = "/api/v1/outcomes/{id}/enquiries", tag = "outcomes", request_body = EnquiryInput,
    params(("id" = i64, Path)),
    responses((status = 201, body = Enquiry), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn enquire(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<EnquiryInput>,
) -> AppResult<(StatusCode, Json<Enquiry>)> {
    let e = transfer_enquiries::open(
        &state.db,
        &state.chat,
        &state.chat_writer,
        &actor,
        id,
        input,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(e)))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct ExportQuery {
    /// The union whose subtree's outcomes are listed.
    pub org_id: i64,
}

/// The outcome database of a union's subtree as xlsx (成果库): kind, studio, unit, year, patent
/// number, declared benefit, adoptions.
#[utoipa::path(get, path = "/api/v1/exports/outcomes.xlsx", tag = "outcomes", params(ExportQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn export(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> AppResult<Response> {
    let bytes = crate::service::outcomes_export::export(&state.db, q.org_id).await?;
    Ok(download::xlsx("成果库", bytes))
}
