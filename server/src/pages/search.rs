//! The search page: one box over challenges, outcomes and studios, with kind facets.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;

use super::i18n::Tr;
use super::{Ctx, Nav, PageError, encode, render};
use crate::error::AppError;
use crate::service::search::{self, SearchItem, SearchQuery, SearchResults};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/search", get(page))
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    t: Tr,
    nav: Nav,
    q: SearchQuery,
    q_enc: String,
    results: Option<SearchResults>,
    error: Option<String>,
}

impl SearchPage {
    fn kind_key(&self, kind: &str) -> String {
        format!("sr.kind.{kind}")
    }

    fn link(&self, h: &SearchItem) -> String {
        let base = match h.kind.as_str() {
            "challenge" => "challenges",
            "outcome" => "outcomes",
            "alliance" => "alliances",
            "course" => "courses",
            _ => "studios",
        };
        format!("/{base}/{}", h.id)
    }

    /// When nothing was found for several words: each word alone, as (word, encoded).
    fn fewer_words(&self) -> Vec<(String, String)> {
        let words: Vec<&str> = self
            .q
            .q
            .as_deref()
            .unwrap_or("")
            .split_whitespace()
            .filter(|w| !w.starts_with('-'))
            .collect();
        if words.len() < 2 {
            return Vec::new();
        }
        words
            .into_iter()
            .map(|w| (w.trim_matches('"').to_owned(), encode(w.trim_matches('"'))))
            .collect()
    }
}

async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<SearchQuery>,
) -> Result<Response, PageError> {
    let text = q.q.as_deref().map(str::trim).unwrap_or("");
    let (results, error, status) = if text.is_empty() {
        (None, None, StatusCode::OK)
    } else {
        match search::search(&state.search, ctx.actor.as_ref(), &q).await {
            Ok(r) => (Some(r), None, StatusCode::OK),
            Err(e @ AppError::Client(_)) => {
                let msg = e
                    .field_errors()
                    .first()
                    .map(|f| f.message.clone())
                    .unwrap_or_default();
                (None, Some(msg), e.status())
            }
            Err(e) => return Err(e.into()),
        }
    };
    let q_enc = encode(text);
    Ok(render(
        status,
        &SearchPage {
            t: ctx.t,
            nav: ctx.nav(),
            q,
            q_enc,
            results,
            error,
        },
    ))
}
