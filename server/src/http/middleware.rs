//! Middleware: the frame of every request (the same-origin check for cookie sessions, the
//! client address that audit lines carry, the reader's language and failed pages rendered as
//! HTML, the security headers, and closing connections while draining), and metrics with the
//! log line for 500s.
//!
//! The frame's concerns are plain functions run by one middleware: every `from_fn` layer costs
//! each request a few microseconds (a boxed service and a boxed future), and five of them were a
//! quarter of a studio page's time (measured with `lianmeng-bench http`).

use std::net::SocketAddr;
use std::time::Instant;

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::auth::session;
use crate::error::{AppError, InternalCause};
use crate::pages::PageFrame;
use crate::state::AppState;

/// Strict CSP for our pages: our own scripts, styles and images only.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
    frame-ancestors 'none'; form-action 'self'";
/// Swagger UI (vendored) sets inline styles; it gets them, and still only our own scripts.
const CSP_DOCS: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
    frame-ancestors 'none'";

/// Around every request: refuses a cross-site state change, gives pages the reader's language,
/// runs the request with its client's address for the audit lines, renders a failed page as
/// HTML, then sets the security headers and, while draining, asks the client to close the
/// connection.
pub async fn frame(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let docs = req.uri().path().starts_with("/api/docs");
    let mut res = match refuse_cross_site(&state, &req) {
        Some(refused) => refused,
        None => {
            let address = client_address(&req);
            let page = PageFrame::enter(&mut req);
            let res = crate::store::audit::with_address(address, next.run(req)).await;
            page.leave(res)
        }
    };
    // Every answer, a refusal too.
    security_headers(&mut res, docs);
    crate::http::drain::close_if_draining(&state.draining, &mut res);
    res
}

/// Our own resources only (a looser style rule for the API documentation), no sniffing, no
/// framing, no referrer beyond the site.
fn security_headers(res: &mut Response, docs: bool) {
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
}

/// A state-changing request that rides on the session cookie must come from our own pages:
/// its `Origin` (or, failing that, `Sec-Fetch-Site`) must be this site. So must a browser's
/// sign-in and sign-up, which have no session yet (a foreign page must not sign a browser into
/// someone else's account). A request that carries a bearer token is authenticated by it alone
/// (the cookie is then ignored) and is no CSRF vector; any other `Authorization` header lifts
/// nothing.
fn refuse_cross_site(state: &AppState, req: &Request) -> Option<Response> {
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
    if unsafe_method && (has_cookie || signs_in) && !has_bearer && !origin_ok(state, h) {
        return Some(
            AppError::client(
                axum::http::StatusCode::FORBIDDEN,
                "cross_origin",
                Some("跨站请求被拒绝 / cross-site request refused".to_owned()),
            )
            .into_response(),
        );
    }
    None
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
fn client_address(req: &Request) -> String {
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(a)| a.ip().to_string())
        .unwrap_or_default()
}
