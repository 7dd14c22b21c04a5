//! Middleware: security headers, the same-origin check for cookie sessions, metrics, the log
//! line for 500s, and the client address that audit lines carry.

use std::net::SocketAddr;
use std::time::Instant;

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::auth::session;
use crate::error::{AppError, InternalCause};
use crate::state::AppState;

/// Strict CSP for our pages: our own scripts, styles and images only.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
    frame-ancestors 'none'; form-action 'self'";
/// Swagger UI (vendored) sets inline styles; it gets them, and still only our own scripts.
const CSP_DOCS: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
    frame-ancestors 'none'";

pub async fn security_headers(req: Request, next: Next) -> Response {
    let docs = req.uri().path().starts_with("/api/docs");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(if docs { CSP_DOCS } else { CSP }),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    res
}

/// A state-changing request that rides on the session cookie must come from our own pages:
/// its `Origin` (or, failing that, `Sec-Fetch-Site`) must be this site. So must a browser's
/// sign-in and sign-up, which have no session yet (a foreign page must not sign a browser into
/// someone else's account). A request that carries a bearer token is authenticated by it alone
/// (the cookie is then ignored) and is no CSRF vector; any other `Authorization` header lifts
/// nothing.
pub async fn same_origin(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let h = req.headers();
    let has_cookie = session::cookie_token(h).is_some();
    let has_bearer = h
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Bearer ") && !v["Bearer ".len()..].trim().is_empty());
    let signs_in = matches!(
        req.uri().path(),
        "/login" | "/register" | "/api/v1/auth/login" | "/api/v1/auth/register"
    );
    if unsafe_method && (has_cookie || signs_in) && !has_bearer && !origin_ok(&state, h) {
        return AppError::client(
            axum::http::StatusCode::FORBIDDEN,
            "cross_origin",
            Some("跨站请求被拒绝 / cross-site request refused".to_owned()),
        )
        .into_response();
    }
    next.run(req).await
}

pub(crate) fn origin_ok(state: &AppState, h: &axum::http::HeaderMap) -> bool {
    if let Some(origin) = h.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        return match &state.config.site_origin {
            Some(site) => origin == site,
            None => {
                let host = h
                    .get(header::HOST)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("");
                origin
                    .split_once("://")
                    .is_some_and(|(_, rest)| rest == host)
            }
        };
    }
    match h.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        Some(site) => site == "same-origin" || site == "none",
        // Neither header: not a browser, so not a CSRF vector.
        None => true,
    }
}

/// Counts each request by its route template and logs the cause of any 500.
pub async fn observe(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let res = next.run(req).await;
    let status = res.status().as_u16();
    state
        .metrics
        .observe(&method, &route, status, start.elapsed());
    if let Some(InternalCause(cause)) = res.extensions().get::<InternalCause>() {
        tracing::error!(%method, %route, %cause, "request failed");
    }
    res
}

/// Every audit line a request writes carries the client's address (the TCP peer).
pub async fn client_address(req: Request, next: Next) -> Response {
    let address = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(a)| a.ip().to_string())
        .unwrap_or_default();
    crate::store::audit::with_address(address, next.run(req)).await
}
