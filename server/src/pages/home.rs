//! The home page, alive for everyone: the network's figures, the newest open challenges, new
//! outcomes, upcoming events and active alliances. A reader who already belongs to a studio is
//! not asked to register one.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;

use super::i18n::Tr;
use super::{Ctx, Nav, PageError, render};
use crate::service::{alliances, challenges, events, outcomes};
use crate::state::AppState;
use crate::store::alliances::Alliance;
use crate::store::challenges::Challenge;
use crate::store::events::Event;
use crate::store::outcomes::Outcome;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    t: Tr,
    nav: Nav,
    registered: i64,
    online: i64,
    /// The newest public challenges still open to claims.
    open: Vec<Challenge>,
    outcomes: Vec<Outcome>,
    events: Vec<Event>,
    alliances: Vec<Alliance>,
    /// The reader belongs to a studio already (no "register my studio").
    has_studio: bool,
}

impl Home {
    /// When an event starts, in China time as the event pages show it.
    fn day(&self, e: &Event) -> String {
        crate::domain::event::china_local(e.starts_ms).replace('T', " ")
    }
}

async fn home(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let db = &state.db;
    let (registered, online) = crate::service::studios::totals(db).await?;
    let open = challenges::list(
        db,
        None,
        &challenges::BoardQuery {
            status: Some("open".to_owned()),
            limit: Some(5),
            ..challenges::BoardQuery::default()
        },
    )
    .await?
    .items;
    let showcase = outcomes::ShowcaseQuery {
        limit: Some(4),
        ..outcomes::ShowcaseQuery::default()
    };
    let upcoming = events::EventQuery {
        limit: Some(3),
        ..events::EventQuery::default()
    };
    let active = alliances::AllianceQuery {
        limit: Some(4),
        ..alliances::AllianceQuery::default()
    };
    Ok(render(
        StatusCode::OK,
        &Home {
            t: ctx.t,
            nav: ctx.nav(),
            registered,
            online,
            open,
            outcomes: outcomes::list(db, &showcase).await?.items,
            events: events::upcoming(db, &upcoming).await?.items,
            alliances: alliances::list(db, &active).await?.items,
            has_studio: ctx.actor.as_ref().is_some_and(|a| !a.studios.is_empty()),
        },
    ))
}
