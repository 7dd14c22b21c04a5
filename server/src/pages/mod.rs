//! Server-rendered pages.

use axum::Router;
use crate::app::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
}

pub async fn not_found() -> crate::error::AppError {
    crate::error::AppError::not_found()
}
