//! Liveness, readiness and metrics.

use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Router, extract::State};

use crate::error::AppError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
}

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200)))]
pub async fn healthz() -> &'static str {
    "ok"
}

/// The database answers and the server is not shutting down.
#[utoipa::path(get, path = "/readyz", tag = "operations", responses((status = 200), (status = 503)))]
pub async fn readyz(State(state): State<AppState>) -> Result<&'static str, AppError> {
    if state.draining.is_draining() {
        return Err(AppError::client(
            StatusCode::SERVICE_UNAVAILABLE,
            "draining",
            Some("shutting down".to_owned()),
        ));
    }
    match tokio::time::timeout(std::time::Duration::from_secs(2), state.db.ping()).await {
        Ok(Ok(())) => Ok("ready"),
        _ => Err(AppError::client(
            StatusCode::SERVICE_UNAVAILABLE,
            "not_ready",
            Some("database unavailable".to_owned()),
        )),
    }
}

/// Prometheus text metrics.
#[utoipa::path(get, path = "/metrics", tag = "operations", responses((status = 200)))]
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(),
    )
}
