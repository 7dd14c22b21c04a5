//! Server-rendered pages (askama templates in web/templates), over the same services as the API.

pub mod accounts;
pub mod alliances;
pub mod assessment;
pub mod assets;
pub mod audit;
pub mod bulletins;
pub mod challenge_form;
pub mod challenge_steps;
pub mod challenges;
mod charts;
pub mod chat;
pub mod courses;
mod done;
pub mod event_checkin;
pub mod events;
mod failure;
mod form;
pub mod funds;
pub mod home;
pub mod honours;
pub mod i18n;
pub mod markdown;
pub mod mentorships;
pub mod naming;
pub mod org_requests;
pub mod orgs;
pub mod outcome_form;
pub mod outcomes;
pub mod pictures;
pub mod projects;
pub mod reports;
pub mod search;
pub mod studio_changes;
pub mod studio_form;
pub mod studio_sheet;
pub mod studios;
pub mod supervision;
pub mod workbench;

use askama::Template;
use axum::Router;
use axum::extract::{FromRequestParts, OptionalFromRequestParts, Query};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

use crate::auth::{Actor, session};
use crate::error::AppError;
use crate::state::AppState;
use i18n::{Lang, Tr};

pub use done::Done;
pub use failure::{PageError, PageFrame, PagePath, not_found};
pub use form::{FormErrors, PageForm, Shown, number, problem_fields, refused};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/lang", get(switch_lang))
        .merge(home::router())
        .merge(accounts::router())
        .merge(studios::router())
        .merge(challenges::router())
        .merge(challenge_steps::router())
        .merge(chat::router())
        .merge(org_requests::router())
        .merge(orgs::router())
        .merge(pictures::router())
        .merge(outcomes::router())
        .merge(outcome_form::router())
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
        .merge(honours::router())
        .merge(studio_sheet::router())
        .merge(supervision::router())
        .merge(workbench::router())
        .merge(events::router())
        .merge(event_checkin::router())
        .merge(courses::router())
        .merge(search::router())
        .merge(assets::router())
}

/// What every page knows: the language, the signed-in user, and where it is.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub t: Tr,
    pub actor: Option<Actor>,
    /// Path and query of this page, for the language switch and sign-in redirects.
    pub here: String,
    /// The reader's unread notifications, for the tab bar's badge.
    pub unread: i64,
}

impl Ctx {
    pub fn nav(&self) -> Nav {
        let other = match self.t.lang {
            Lang::Zh => "en",
            Lang::En => "zh",
        };
        Nav {
            user: self.actor.as_ref().map(|a| a.user.display_name.clone()),
            lang_href: format!("/lang?to={other}&next={}", encode(&self.here)),
            lang: self.t.lang.html(),
            tab: Tab::of(&self.here),
            unread: self.unread,
        }
    }
}

/// The header and the phone's tab bar of every page.
#[derive(Debug, Clone)]
pub struct Nav {
    pub user: Option<String>,
    pub lang_href: String,
    pub lang: &'static str,
    /// The tab this page belongs to, marked as the current one.
    pub tab: Tab,
    pub unread: i64,
}

/// The sections of the phone's tab bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Home,
    Workbench,
    Challenges,
    Chat,
    Notifications,
    Me,
    /// Outcomes, studios (the signed-out tab bar).
    Outcomes,
    Studios,
    Other,
}

impl Tab {
    fn of(here: &str) -> Tab {
        let path = here.split('?').next().unwrap_or_default();
        let under = |p: &str| path == p || path.starts_with(&format!("{p}/"));
        match path {
            "/" => Tab::Home,
            _ if under("/workbench") => Tab::Workbench,
            _ if under("/challenges") => Tab::Challenges,
            _ if under("/chat") => Tab::Chat,
            _ if under("/notifications") => Tab::Notifications,
            _ if under("/me") || under("/login") || under("/register") => Tab::Me,
            _ if under("/outcomes") => Tab::Outcomes,
            _ if under("/studios") => Tab::Studios,
            _ => Tab::Other,
        }
    }

    /// This page belongs to the tab named `tab` (marked `aria-current="page"`).
    pub fn is(&self, tab: &str) -> bool {
        let this = match tab {
            "home" => Tab::Home,
            "workbench" => Tab::Workbench,
            "challenges" => Tab::Challenges,
            "chat" => Tab::Chat,
            "notifications" => Tab::Notifications,
            "me" => Tab::Me,
            "outcomes" => Tab::Outcomes,
            "studios" => Tab::Studios,
            _ => Tab::Other,
        };
        *self == this && this != Tab::Other
    }
}

/// The reader's language: the `lang` cookie, else Chinese.
fn lang_of(headers: &axum::http::HeaderMap) -> Lang {
    session::cookie_value(headers, "lang")
        .and_then(|v| Lang::parse(&v))
        .unwrap_or_default()
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let lang = match parts.extensions.get::<Lang>() {
            Some(lang) => *lang,
            None => lang_of(&parts.headers),
        };
        let actor =
            <Actor as OptionalFromRequestParts<AppState>>::from_request_parts(parts, state).await?;
        // The badge is a courtesy: a page still renders when the count cannot be read.
        let unread = match &actor {
            Some(a) => crate::service::notifications::unread(&state.db, a)
                .await
                .unwrap_or_default(),
            None => 0,
        };
        if let (Some(a), Some(slot)) = (&actor, parts.extensions.get::<failure::SignedIn>()) {
            let _ = slot.0.set(a.user.display_name.clone());
        }
        let here = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| "/".to_owned());
        Ok(Ctx {
            t: Tr { lang },
            actor,
            here,
            unread,
        })
    }
}

impl Ctx {
    /// The signed-in actor, or a redirect to the sign-in page.
    pub fn require(&self) -> Result<&Actor, PageError> {
        self.actor
            .as_ref()
            .ok_or_else(|| PageError(AppError::unauthorized()))
    }
}

/// The link to a list's next page: `path` with the filters given (empty ones left out) and the
/// page's cursor; `None` on the last page.
pub fn next_page(
    path: &str,
    filters: &[(&str, Option<String>)],
    cursor: Option<&String>,
) -> Option<String> {
    let cursor = cursor?;
    let mut href = format!("{path}?");
    for (k, v) in filters {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            href.push_str(&format!("{k}={}&", encode(v)));
        }
    }
    href.push_str(&format!("cursor={}", encode(cursor)));
    Some(href)
}

/// Percent-encodes a value for a query string.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A local path to go back to: only same-site paths, never `//host`.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".to_owned(),
    }
}

/// Renders a template into a page.
pub fn render(status: StatusCode, tpl: &impl Template) -> Response {
    match tpl.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => AppError::Internal(anyhow::anyhow!("template: {e}")).into_response(),
    }
}

/// See-other redirect after a successful form post.
pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

#[derive(Deserialize)]
struct LangQuery {
    to: Option<String>,
    next: Option<String>,
}

/// Remembers the chosen language in a cookie and goes back.
async fn switch_lang(Query(q): Query<LangQuery>) -> Response {
    let lang = q.to.as_deref().and_then(Lang::parse).unwrap_or_default();
    let mut res = Redirect::to(&safe_next(q.next.as_deref())).into_response();
    let cookie = format!(
        "lang={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.code()
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_must_stay_on_this_site() {
        assert_eq!(safe_next(Some("/studios?x=1")), "/studios?x=1");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil")), "/");
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn encoding_keeps_paths_readable() {
        assert_eq!(
            encode("/studios?industry=power&x=焊"),
            "/studios%3Findustry%3Dpower%26x%3D%E7%84%8A"
        );
    }
}
