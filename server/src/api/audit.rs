//! The audit log (审计) for union staff and platform admins: who did what, when, on which
//! entity, from which address.

use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router, extract::State};

use crate::api::wire::audit::AuditLine;
use crate::api::wire::page;
use crate::auth::Actor;
use crate::error::{AppResult, Problem};
use crate::http::download;
use crate::http::extract::ApiQuery;
use crate::service::Page;
use crate::service::audit::{self as svc, AuditQuery};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/audit", get(list))
        .route("/api/v1/exports/audit.xlsx", get(export))
}

/// The log, newest first: staff see the lines about the entities of their subtree (its
/// studios, grants, batches and unions), whoever acted; admins every line.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = Page<AuditLine>), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> AppResult<Json<Page<AuditLine>>> {
    Ok(Json(page(svc::list(&state.db, &actor, &q).await?)))
}

/// The filtered log as xlsx.
#[utoipa::path(get, path = "/api/v1/exports/audit.xlsx", tag = "audit", params(AuditQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn export(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> AppResult<Response> {
    let bytes = svc::export(&state.db, &actor, &q).await?;
    Ok(download::xlsx("审计日志", bytes))
}
