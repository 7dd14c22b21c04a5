//! The JSON API under `/api/v1`, one file per resource.

pub mod accounts;
pub mod alliances;
pub mod assessment;
pub mod attachments;
pub mod audit;
pub mod bulletins;
pub mod challenges;
pub mod chat;
pub mod chat_ws;
pub mod courses;
pub mod docs;
pub mod events;
pub mod funds;
pub mod health;
pub mod honours;
pub mod invitations;
pub mod mentorships;
pub mod naming;
pub mod notifications;
pub mod org_requests;
pub mod orgs;
pub mod outcomes;
pub mod people;
pub mod personal_data;
pub mod pictures;
pub mod projects;
pub mod reports;
pub mod search;
pub mod studio_changes;
pub mod studios;
pub mod wire;

use axum::Router;

use crate::error::AppError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(accounts::router())
        .merge(people::router())
        .merge(personal_data::router())
        .merge(invitations::router())
        .merge(org_requests::router())
        .merge(orgs::router())
        .merge(pictures::router())
        .merge(studios::router())
        .merge(search::router())
        .merge(challenges::router())
        .merge(notifications::router())
        .merge(outcomes::router())
        .merge(projects::router())
        .merge(alliances::router())
        .merge(mentorships::router())
        .merge(naming::router())
        .merge(assessment::router())
        .merge(studio_changes::router())
        .merge(funds::router())
        .merge(audit::router())
        .merge(reports::router())
        .merge(bulletins::router())
        .merge(attachments::router())
        .merge(honours::router())
        .merge(events::router())
        .merge(courses::router())
        .merge(chat::router())
        .merge(chat_ws::router())
        .merge(health::router())
        .merge(docs::router())
        .route("/api/{*rest}", axum::routing::any(api_not_found))
}

async fn api_not_found() -> AppError {
    AppError::not_found()
}
