//! A failed page: the error a page handler returns with `?`, rendered as HTML in the reader's
//! language on the way out, and the path extractor whose failure is that page.

use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::i18n::Tr;
use super::{Lang, Nav, lang_of, render};
use crate::error::AppError;

/// An error on a page. A handler returns it with `?` from any service call; the answer is an HTML
/// page in the reader's language, rendered by [`PageFrame::leave`] on the way out (the language
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

/// Where a page's `Ctx` leaves the reader's name for the error page's header: a failed page is
/// rendered after its handler, outside it, and should still know who is signed in.
#[derive(Debug, Clone, Default)]
pub(super) struct SignedIn(pub(super) std::sync::Arc<std::sync::OnceLock<String>>);

/// A failed page on its way out, waiting for [`PageFrame::leave`] to render it.
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

/// What a request carries for its page and for the rendering of a failed page: the reader's
/// language and who turned out to be signed in. Set on every request by the request's frame
/// (`http::middleware::Frame`), as extensions `Ctx` reads.
pub struct PageFrame {
    lang: Lang,
    signed_in: SignedIn,
}

impl PageFrame {
    pub fn enter(req: &mut axum::extract::Request) -> PageFrame {
        let frame = PageFrame {
            lang: lang_of(req.headers()),
            signed_in: SignedIn::default(),
        };
        req.extensions_mut().insert(frame.signed_in.clone());
        req.extensions_mut().insert(frame.lang);
        frame
    }

    /// Renders a failed page as HTML in the reader's language; only an answer marked by
    /// `PageError` is touched.
    pub fn leave(self, res: Response) -> Response {
        render_failure(self.lang, self.signed_in, res)
    }
}

fn render_failure(lang: Lang, signed_in: SignedIn, mut res: Response) -> Response {
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
        user: signed_in.0.get().cloned(),
        lang_href: "/lang?to=en&next=/".to_owned(),
        lang: lang.html(),
        tab: super::Tab::Other,
        unread: 0,
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

/// The fallback: HTML 404 for pages. It reads the session like any page, so that the header
/// of the 404 page shows a signed-in reader as signed in.
pub async fn not_found(_ctx: super::Ctx) -> PageError {
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
