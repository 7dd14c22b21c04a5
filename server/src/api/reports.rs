//! Progress reports (信息报送): a union's schedule for its subtree, reports filed by studios and
//! alliances (urgent ones at any time), and the reports still missing.

use std::collections::HashMap;

use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router, extract::State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::wire::attachments::AttachmentView;
use crate::api::wire::reports::{Report, Schedule};
use crate::auth::Actor;
use crate::domain::attachment::Owner;
use crate::error::{AppError, AppResult, Problem};
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::service::attachments;
use crate::service::reports::{self as svc, Overdue, ReportInput, ScheduleInput};
use crate::state::AppState;
use crate::store::reports::Filter;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/orgs/{id}/report-schedule",
            get(schedule).put(set_schedule),
        )
        .route("/api/v1/orgs/{id}/overdue-reports", get(overdue))
        .route("/api/v1/reports", post(file).get(list))
}

/// Sets the reporting schedule of the org's subtree (its staff or staff above it).
#[utoipa::path(put, path = "/api/v1/orgs/{id}/report-schedule", tag = "reports", request_body = ScheduleInput,
    params(("id" = i64, Path)),
    responses((status = 200, body = Schedule), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn set_schedule(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ScheduleInput>,
) -> AppResult<Json<Schedule>> {
    Ok(Json(
        svc::set_schedule(&state.db, &actor, id, input)
            .await?
            .into(),
    ))
}

/// The org's own schedule (404 when it set none; its studios then follow the nearest union above).
#[utoipa::path(get, path = "/api/v1/orgs/{id}/report-schedule", tag = "reports",
    params(("id" = i64, Path)),
    responses((status = 200, body = Schedule), (status = 404, body = Problem)))]
pub async fn schedule(
    State(state): State<AppState>,
    _actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Schedule>> {
    let s = svc::schedule_of(&state.db, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok(Json(s.into()))
}

/// Files a report; an urgent one goes to the staff of every union above at once.
#[utoipa::path(post, path = "/api/v1/reports", tag = "reports", request_body = ReportInput,
    responses((status = 201, body = Report), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn file(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<ReportInput>,
) -> AppResult<(StatusCode, Json<Report>)> {
    let r = svc::file(&state.db, &actor, input).await?;
    Ok((StatusCode::CREATED, Json(r.into())))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct ReportQuery {
    /// Reports of the studios under this org.
    pub org_id: Option<i64>,
    pub studio_id: Option<i64>,
    pub urgent: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Reports {
    pub items: Vec<ReportItem>,
}

/// A report with its attachments.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportItem {
    #[serde(flatten)]
    pub report: Report,
    pub attachments: Vec<AttachmentView>,
}

/// The reports the reader may read, newest first: of the studios under the unions where they
/// are staff, and of their own studios.
#[utoipa::path(get, path = "/api/v1/reports", tag = "reports", params(ReportQuery),
    responses((status = 200, body = Reports), (status = 401, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> AppResult<Json<Reports>> {
    let org_path = match q.org_id {
        Some(id) => Some(
            crate::store::orgs::find(state.db.reader(), id)
                .await?
                .ok_or_else(AppError::not_found)?
                .path,
        ),
        None => None,
    };
    let filter = Filter {
        org_path,
        studio_id: q.studio_id,
        urgent: q.urgent,
    };
    let reports = svc::list(&state.db, &actor, &filter).await?;
    let ids: Vec<i64> = reports.iter().map(|r| r.id).collect();
    let mut files: HashMap<i64, Vec<AttachmentView>> = HashMap::new();
    for a in attachments::of(&state.db, Owner::Report, &ids).await? {
        files
            .entry(a.owner_id)
            .or_default()
            .push(AttachmentView::of(Owner::Report, a));
    }
    let items = reports
        .into_iter()
        .map(|r| ReportItem {
            attachments: files.remove(&r.id).unwrap_or_default(),
            report: r.into(),
        })
        .collect();
    Ok(Json(Reports { items }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OverdueReports {
    pub items: Vec<Overdue>,
}

/// The online studios under the org whose report for the last due period is missing.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/overdue-reports", tag = "reports",
    params(("id" = i64, Path)),
    responses((status = 200, body = OverdueReports), (status = 403, body = Problem)))]
pub async fn overdue(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<OverdueReports>> {
    let items = svc::overdue(&state.db, &actor, id).await?;
    Ok(Json(OverdueReports { items }))
}
