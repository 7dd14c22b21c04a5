//! The union tree: orgs, staff roles, deadlines, the onboarding dashboard, and the studio list
//! in and out of a spreadsheet.

use axum::extract::{DefaultBodyLimit, Multipart};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post, put};
use axum::{Json, Router, extract::State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::wire::all;
use crate::api::wire::orgs::{Org, OrgDetail};
use crate::auth::Actor;
use crate::domain::onboarding::OrgProgress;
use crate::domain::studio_import::MAX_BYTES;
use crate::error::{AppError, AppResult, Problem};
use crate::http::download;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::http::upload::UploadForm;
use crate::service::orgs::{self, Deadlines, NewOrg, StaffGrant};
use crate::service::studio_sheet::{self, ImportReport};
use crate::service::subtree_figures::{self, Supervision};
use crate::service::supervision::OfflineStudio;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/orgs", post(create).get(roots))
        .route("/api/v1/orgs/{id}", get(show))
        .route("/api/v1/orgs/{id}/staff", post(grant_staff))
        .route("/api/v1/orgs/{id}/deadlines", put(set_deadlines))
        .route("/api/v1/orgs/{id}/onboarding", get(onboarding))
        .route("/api/v1/orgs/{id}/offline-studios", get(offline_studios))
        .route("/api/v1/orgs/{id}/supervision", get(supervision))
        .route(
            "/api/v1/orgs/{id}/studios/import",
            post(import_studios).layer(DefaultBodyLimit::max(MAX_BYTES + 64 * 1024)),
        )
        .route("/api/v1/exports/studios.xlsx", get(export_studios))
        .route("/api/v1/exports/talent.xlsx", get(export_talent))
}

/// Adds an org to the union tree (admin, or staff of the parent's subtree).
#[utoipa::path(post, path = "/api/v1/orgs", tag = "orgs", request_body = NewOrg,
    responses((status = 201, body = Org), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<NewOrg>,
) -> AppResult<(StatusCode, Json<Org>)> {
    let org = orgs::create(&state.db, &actor, input).await?;
    Ok((StatusCode::CREATED, Json(org.into())))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrgList {
    pub items: Vec<Org>,
}

/// The roots of the union tree.
#[utoipa::path(get, path = "/api/v1/orgs", tag = "orgs", responses((status = 200, body = OrgList)))]
pub async fn roots(State(state): State<AppState>) -> AppResult<Json<OrgList>> {
    let items = orgs::roots(&state.db).await?;
    Ok(Json(OrgList { items: all(items) }))
}

/// An org with its children.
#[utoipa::path(get, path = "/api/v1/orgs/{id}", tag = "orgs",
    params(("id" = i64, Path)), responses((status = 200, body = OrgDetail), (status = 404, body = Problem)))]
pub async fn show(
    State(state): State<AppState>,
    actor: Option<Actor>,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<OrgDetail>> {
    Ok(Json(
        orgs::detail(&state.db, actor.as_ref(), id).await?.into(),
    ))
}

/// Gives a user a staff (or expert) role scoped to this org and its subtree.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/staff", tag = "orgs", request_body = StaffGrant,
    params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn grant_staff(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<StaffGrant>,
) -> AppResult<StatusCode> {
    orgs::grant_staff(&state.db, &actor, id, input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sets this org's onboarding deadlines (its subtree inherits them).
#[utoipa::path(put, path = "/api/v1/orgs/{id}/deadlines", tag = "orgs", request_body = Deadlines,
    params(("id" = i64, Path)),
    responses((status = 200, body = Org), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn set_deadlines(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<Deadlines>,
) -> AppResult<Json<Org>> {
    Ok(Json(
        orgs::set_deadlines(&state.db, &actor, id, input)
            .await?
            .into(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OnboardingReport {
    /// Today in China, against which deadlines are judged.
    pub today: String,
    pub items: Vec<OrgProgress>,
}

/// Online against registered studios for each org of the subtree; late orgs are flagged.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/onboarding", tag = "orgs",
    params(("id" = i64, Path)),
    responses((status = 200, body = OnboardingReport), (status = 403, body = Problem)))]
pub async fn onboarding(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<OnboardingReport>> {
    let items = orgs::onboarding(&state.db, &actor, id).await?;
    Ok(Json(OnboardingReport {
        today: orgs::china_today().to_string(),
        items,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OfflineStudios {
    pub items: Vec<OfflineStudio>,
}

/// Onboarding supervision (上线进网督导): the studios of the subtree still offline, the nearest
/// deadline first, each with what it lacks, its leader's contact and the reminders sent.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/offline-studios", tag = "orgs",
    params(("id" = i64, Path)),
    responses((status = 200, body = OfflineStudios), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn offline_studios(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<OfflineStudios>> {
    let items = crate::service::supervision::offline(&state.db, &actor, id).await?;
    Ok(Json(OfflineStudios { items }))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct SupervisionQuery {
    /// The calendar year (China time); this year when left out.
    pub year: Option<i32>,
}

/// Supervision (督导): the org's figures for a year, then each child org's, every row the
/// total of its subtree: onboarding against the deadlines, challenges posted and solved,
/// outcomes and adoptions, mentoring, events, missing reports, grants and spending.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/supervision", tag = "orgs",
    params(("id" = i64, Path), SupervisionQuery),
    responses((status = 200, body = Supervision), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn supervision(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<SupervisionQuery>,
) -> AppResult<Json<Supervision>> {
    Ok(Json(
        subtree_figures::of_org(&state.db, &actor, id, q.year).await?,
    ))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct ImportQuery {
    /// Check and report only (the default); `false` writes the import, all or nothing.
    pub dry_run: Option<bool>,
}

/// Imports the org's studio list from an xlsx or CSV sheet (multipart `file`), its columns
/// found by their Chinese headings. A dry run reports each row (created, updated, unchanged,
/// or its faults); the real import writes every row in one transaction or none (422 naming
/// each faulty row). Importing the same sheet twice changes nothing the second time.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/studios/import", tag = "orgs",
    params(("id" = i64, Path), ImportQuery), request_body(content_type = "multipart/form-data"),
    responses((status = 200, body = ImportReport), (status = 403, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn import_studios(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ImportQuery>,
    form: Multipart,
) -> AppResult<Json<ImportReport>> {
    let form = UploadForm::read(form).await?;
    let file = form.files_of("file").next().ok_or_else(|| {
        AppError::invalid_field("file", "请选择要导入的表格 / a file is required")
    })?;
    let dry_run = q.dry_run.unwrap_or(true);
    Ok(Json(
        studio_sheet::import(&state.db, &actor, id, &file.bytes, dry_run).await?,
    ))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct ExportQuery {
    /// The union whose subtree's studios are listed.
    pub org_id: i64,
}

/// The studio list of an org's subtree as xlsx, with the import's headings (staff see every
/// studio, others the online ones).
#[utoipa::path(get, path = "/api/v1/exports/studios.xlsx", tag = "orgs", params(ExportQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn export_studios(
    State(state): State<AppState>,
    actor: Option<Actor>,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> AppResult<Response> {
    let bytes = crate::service::studio_export::export(&state.db, actor.as_ref(), q.org_id).await?;
    Ok(download::xlsx("工作室名单", bytes))
}

/// The talent database of an org's subtree as xlsx (人才库): the people of its studios with
/// their unit, studio, role, trade, title, phone, honours and mentoring. Staff of the org or
/// above it (the sheet carries phones).
#[utoipa::path(get, path = "/api/v1/exports/talent.xlsx", tag = "orgs", params(ExportQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn export_talent(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> AppResult<Response> {
    let sheet = crate::service::talent_export::export(&state.db, &actor, q.org_id).await?;
    Ok(download::xlsx("人才库", sheet))
}
