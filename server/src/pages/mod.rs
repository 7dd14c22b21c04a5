//! Server-rendered pages (askama templates in web/templates), over the same services as the API.

pub mod accounts;
pub mod alliances;
pub mod assets;
pub mod challenge_form;
pub mod challenge_steps;
pub mod challenges;
pub mod chat;
pub mod courses;
pub mod event_checkin;
pub mod events;
pub mod home;
pub mod i18n;
pub mod markdown;
pub mod mentorships;
pub mod orgs;
pub mod outcomes;
pub mod search;
pub mod studio_form;
pub mod studios;

use askama::Template;
use axum::Router;
use axum::extract::{FromRequestParts, OptionalFromRequestParts, Query};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

use crate::auth::{Actor, session};
use crate::error::{AppError, FieldError};
use crate::state::AppState;
use i18n::{Lang, Tr};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/lang", get(switch_lang))
        .merge(home::router())
        .merge(accounts::router())
        .merge(studios::router())
        .merge(challenges::router())
        .merge(challenge_steps::router())
        .merge(chat::router())
        .merge(orgs::router())
        .merge(outcomes::router())
        .merge(alliances::router())
        .merge(mentorships::router())
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
        }
    }
}

/// The header of every page.
#[derive(Debug, Clone)]
pub struct Nav {
    pub user: Option<String>,
    pub lang_href: String,
    pub lang: &'static str,
}

/// The reader's language: the `lang` cookie, else Chinese.
fn lang_of(headers: &axum::http::HeaderMap) -> Lang {
    session::cookie_value(headers, "lang")
        .and_then(|v| Lang::parse(&v))
        .unwrap_or_default()
}

impl<S> FromRequestParts<S> for Ctx
where
    S: Send + Sync,
    Actor: OptionalFromRequestParts<S, Rejection = AppError>,
{
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, PageError> {
        let lang = match parts.extensions.get::<Lang>() {
            Some(lang) => *lang,
            None => lang_of(&parts.headers),
        };
        let actor =
            <Actor as OptionalFromRequestParts<S>>::from_request_parts(parts, state).await?;
        let here = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| "/".to_owned());
        Ok(Ctx {
            t: Tr { lang },
            actor,
            here,
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

/// A whole number from a form field; empty is `None`, anything else a 422 naming the field.
pub fn number(field: &str, v: &str) -> Result<Option<i64>, AppError> {
    match v.trim() {
        "" => Ok(None),
        n => n
            .parse()
            .map(Some)
            .map_err(|_| AppError::invalid_field(field, "应为整数 / must be a whole number")),
    }
}

/// The field errors of a failed step, or its detail as one line.
pub fn problem_fields(e: &AppError) -> Vec<FieldError> {
    let fields = e.field_errors().to_vec();
    if fields.is_empty() {
        vec![FieldError::new(
            e.code(),
            e.problem().detail.unwrap_or_default(),
        )]
    } else {
        fields
    }
}

/// Which refusals of a form step come back on the form, for the person to put right; the rest
/// fail the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// Invalid fields only (422).
    Invalid,
    /// A conflict, invalid fields or a limit (409, 422, 429).
    Refusals,
    /// Every client error but a forbidden step (403).
    NotForbidden,
    /// Every client error but a forbidden step or a missing thing (403, 404).
    NotForbiddenOrMissing,
    /// Every client error but a missing thing or a missing sign-in (404, 401).
    NotMissing,
    /// Every client error.
    AnyClient,
}

/// Sorts a failed form step: the error back when `shown` puts it on the form again, else the
/// page's error (so a handler writes `let e = refused(e, Shown::Invalid)?;` and re-renders).
pub fn refused(e: AppError, shown: Shown) -> Result<AppError, PageError> {
    let AppError::Client(_) = &e else {
        return Err(PageError(e));
    };
    let status = e.status();
    let on_form = match shown {
        Shown::Invalid => status == StatusCode::UNPROCESSABLE_ENTITY,
        Shown::Refusals => matches!(status.as_u16(), 409 | 422 | 429),
        Shown::NotForbidden => status != StatusCode::FORBIDDEN,
        Shown::NotForbiddenOrMissing => {
            status != StatusCode::FORBIDDEN && status != StatusCode::NOT_FOUND
        }
        Shown::NotMissing => status != StatusCode::NOT_FOUND && status != StatusCode::UNAUTHORIZED,
        Shown::AnyClient => true,
    };
    if on_form { Ok(e) } else { Err(PageError(e)) }
}

/// Field errors of a failed form, by field name, for the template.
#[derive(Debug, Default, Clone)]
pub struct FormErrors(pub Vec<FieldError>);

impl FormErrors {
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    pub fn has(&self, field: &str) -> bool {
        self.get(field).is_some()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// An error on a page. A handler returns it with `?` from any service call; the answer is an HTML
/// page in the reader's language, rendered by [`render_failures`] on the way out (the language
/// is a request extension, so the error itself need not carry it).
#[derive(Debug)]
pub struct PageError(pub AppError);

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        PageError(e)
    }
}

impl From<crate::domain::error::RuleError> for PageError {
    fn from(e: crate::domain::error::RuleError) -> Self {
        PageError(e.into())
    }
}

/// A failed page on its way out, waiting for [`render_failures`] to render it.
#[derive(Debug, Clone)]
struct PageFailure {
    /// What a person is told of a client error (4xx); nothing for a 500.
    detail: Option<String>,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    t: Tr,
    nav: Nav,
    status: u16,
    message: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let PageError(err) = self;
        let status = err.status();
        if status == StatusCode::UNAUTHORIZED {
            return Redirect::to("/login").into_response();
        }
        let detail = status
            .is_client_error()
            .then(|| err.problem().detail.unwrap_or_default());
        // The problem answer carries the cause of a 500 for the logging middleware.
        let mut res = err.into_response();
        *res.body_mut() = axum::body::Body::empty();
        res.headers_mut().remove(header::CONTENT_TYPE);
        res.extensions_mut().insert(PageFailure { detail });
        res
    }
}

/// Renders a failed page as HTML in the reader's language. Every request passes here; only an
/// answer marked by `PageError` is touched. The language goes in as a request extension for
/// `Ctx`.
pub async fn render_failures(
    mut req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let lang = lang_of(req.headers());
    req.extensions_mut().insert(lang);
    let mut res = next.run(req).await;
    let Some(failure) = res.extensions_mut().remove::<PageFailure>() else {
        return res;
    };
    let t = Tr { lang };
    let status = res.status();
    let message = match status {
        StatusCode::NOT_FOUND => t.s("error.not_found").to_owned(),
        StatusCode::FORBIDDEN => t.s("error.forbidden").to_owned(),
        _ => failure.detail.unwrap_or_default(),
    };
    let nav = Nav {
        user: None,
        lang_href: "/lang?to=en&next=/".to_owned(),
        lang: lang.html(),
    };
    let mut page = render(
        status,
        &ErrorPage {
            t,
            nav,
            status: status.as_u16(),
            message,
        },
    );
    let headers = std::mem::take(res.headers_mut());
    for (name, value) in headers.iter() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            page.headers_mut().insert(name, value.clone());
        }
    }
    if let Some(cause) = res.extensions().get::<crate::error::InternalCause>() {
        page.extensions_mut().insert(cause.clone());
    }
    page
}

/// The fallback: HTML 404 for pages.
pub async fn not_found() -> PageError {
    PageError(AppError::not_found())
}

/// Path parameters of a page; anything that does not parse is the HTML 404 page.
pub struct PagePath<T>(pub T);

impl<S, T> FromRequestParts<S> for PagePath<T>
where
    T: serde::de::DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, PageError> {
        let crate::http::extract::ApiPath(v) =
            crate::http::extract::ApiPath::<T>::from_request_parts(parts, state).await?;
        Ok(PagePath(v))
    }
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

/// A urlencoded form body; a malformed one is a 400 page.
pub struct PageForm<T>(pub T);

impl<S, T> axum::extract::FromRequest<S> for PageForm<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = PageError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, PageError> {
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(v)) => Ok(PageForm(v)),
            Err(r) if r.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(AppError::too_large().into())
            }
            Err(r) => Err(AppError::bad_request("bad_form", r.body_text()).into()),
        }
    }
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
